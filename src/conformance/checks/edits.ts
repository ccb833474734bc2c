// Edits (multipart, facts §6.16): `image[]` x2 + mask and a single `image` are accepted and give
// valid images; dall-e-2 refuses a non-square image; 404/501 is "endpoint not implemented".
import { servesOperation } from '../../contract/profiles.js';
import { body, fail, generationFailure, judgeClientError } from '../assert.js';
import type { Generation, RunContext } from '../context.js';
import { inputPng, lowestQuality } from '../generations.js';
import type { Exchange } from '../http.js';
import type { CheckDef, Outcome, Target } from '../types.js';
import { dimensionProblem, overItems } from './images.js';

/** 200, a valid ImagesResponse, n images of the requested size. */
export async function judgeUpload(ctx: RunContext, gen: Generation, what: string): Promise<Outcome> {
  const want = gen.request.expect.size;
  const expected = `${what}: 200, a valid ImagesResponse with ${gen.request.n} image(s)${want ? ` of ${want}` : ''}`;
  const failure = generationFailure(gen, expected);
  if (failure) return failure;
  const problems = ctx.validator.problems('ImagesResponse', body(gen));
  if (problems.length) return fail(expected, problems.slice(0, 3).map((p) => `${p.path} ${p.message}`).join('; '), [gen.exchange]);
  const data = body(gen).data as unknown[];
  if (data.length !== gen.request.n) return fail(expected, `${data.length} image(s)`, [gen.exchange]);
  return overItems(ctx, gen, expected, (i) => (want ? dimensionProblem(i, want) : undefined));
}

/** A 404/501 from an upload endpoint is "not implemented" (one-api answers 501), not a rejection. */
export function notImplementedNote(outcome: Outcome, ex: Exchange, operation: string): Outcome {
  const status = ex.response?.status;
  if (outcome.status === 'fail' && (status === 404 || status === 501)) return { ...outcome, note: `${operation}: endpoint not implemented (${status}).` };
  return outcome;
}

export const uploadApplies = (operation: 'createImageEdit' | 'createImageVariation', key: 'edits' | 'variations') => (ctx: RunContext, t: Target) => {
  if (!servesOperation(ctx.profile, operation)) return `profile ${ctx.profile.name} does not serve ${operation}`;
  if (!t.model) return `'${t.name}' is not in the model catalogue: generic checks only`;
  if (!t.model.operations.includes(operation) || !t.model[key]) return `catalogue: ${t.model.id} does not support ${operation}`;
  return true as const;
};

export const editChecks: CheckDef[] = [
  {
    id: 'edits.single-image',
    title: 'A multipart edit with one `image` (and a mask where the model takes one) gives valid images',
    severity: 'MUST',
    rule: 'spec: createImageEdit multipart (CreateImageEditRequest); catalogue edits; facts §6.16',
    scope: 'model',
    uses: ['edit-single'],
    appliesTo: uploadApplies('createImageEdit', 'edits'),
    async run(ctx, t) {
      return judgeUpload(ctx, await ctx.generation(t, 'edit-single'), 'edit with one image');
    },
  },
  {
    id: 'edits.multi-image',
    title: 'A multipart edit with `image[]` x2 + mask (as the SDKs send it) gives valid images',
    severity: 'MUST',
    rule: 'spec: CreateImageEditRequest image[]; catalogue edits.image.maxCount; facts §6.16, §5.5',
    scope: 'model',
    uses: ['edit-multi'],
    appliesTo: uploadApplies('createImageEdit', 'edits'),
    async run(ctx, t) {
      return judgeUpload(ctx, await ctx.generation(t, 'edit-multi'), 'edit with image[] x2 + mask');
    },
  },
  {
    id: 'edits.non-square-rejected',
    title: 'An edit with a non-square image is a 400 for models that need square images (dall-e-2)',
    severity: 'MUST',
    rule: 'catalogue edits.image.square; x-error invalid_image; facts §6.16',
    scope: 'model',
    uses: [],
    appliesTo(ctx, t) {
      const ok = uploadApplies('createImageEdit', 'edits')(ctx, t);
      if (ok !== true) return ok;
      return t.model!.edits!.image.square ? true : `catalogue: ${t.model!.id} takes non-square images`;
    },
    async run(ctx, t) {
      const fields: Record<string, string> = { model: t.name, prompt: 'Add a small blue sphere', n: '1' };
      const q = lowestQuality(t.model);
      if (q) fields.quality = q;
      const ex = await ctx.send({
        method: 'POST',
        url: ctx.operationUrl('createImageEdit'),
        label: 'edit with a 256x128 image',
        body: {
          kind: 'multipart',
          parts: [
            { name: 'image', filename: 'oblong.png', contentType: 'image/png', data: inputPng(256, 128, 0), describe: '256x128 PNG' },
            ...Object.entries(fields).map(([name, value]) => ({ name, value })),
          ],
        },
      });
      return notImplementedNote(judgeClientError(ex, ctx.validator, { statuses: [400], kind: 'invalid_image', what: 'a 256x128 image' }), ex, 'createImageEdit');
    },
  },
];
