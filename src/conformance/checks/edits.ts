// Edits (multipart, facts §6.16): `image[]` x2 + mask and a single `image` are accepted and give
// valid images, every `image[]` is used, an edit naming no optional field gets the catalogue's
// defaults; dall-e-2 refuses a non-square image; 404/501 is "endpoint not implemented".
import { servesOperation } from '../../contract/profiles.js';
import { body, fail, generationFailure, judgeClientError, pass, skip } from '../assert.js';
import type { Generation, RunContext } from '../context.js';
import { inputPng, lowestQuality } from '../generations.js';
import type { Exchange } from '../http.js';
import type { CheckDef, Outcome, Target } from '../types.js';
import { dimensionProblem, overItems } from './images.js';
import { judgeEcho } from './success.js';

/** usage.input_tokens_details.image_tokens of an answer, or why it cannot be read. */
function inputImageTokens(gen: Generation): number | string {
  const usage = body(gen).usage as { input_tokens_details?: { image_tokens?: unknown } } | undefined;
  if (usage === undefined) return 'no usage';
  const tokens = usage?.input_tokens_details?.image_tokens;
  return Number.isInteger(tokens) ? (tokens as number) : `usage.input_tokens_details.image_tokens is ${JSON.stringify(tokens)}`;
}

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
  return overItems(ctx, gen, expected, (i) => (want ? dimensionProblem(i, want, gen.target.model) : undefined));
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
    id: 'edits.every-image-used',
    title: 'A multi-image edit uses every `image[]`: it reports more input image tokens than the one-image edit',
    severity: 'MUST',
    rule: 'facts §5.4 (BerriAI/litellm#14488: only the first image was used); catalogue output.usage; input image tokens are counted per input image (spec ImageGenUsage input_tokens: text and images)',
    scope: 'model',
    uses: ['edit-multi', 'edit-single'],
    appliesTo(ctx, t) {
      const ok = uploadApplies('createImageEdit', 'edits')(ctx, t);
      if (ok !== true) return ok;
      if ((t.model!.edits!.image.maxCount ?? 1) < 2) return `catalogue: ${t.model!.id} edits take one image`;
      return t.model!.output.usage ? true : `catalogue: ${t.model!.id} reports no usage (its input image tokens cannot be compared)`;
    },
    async run(ctx, t) {
      const [multi, single] = await Promise.all([ctx.generation(t, 'edit-multi'), ctx.generation(t, 'edit-single')]);
      const expected = 'usage.input_tokens_details.image_tokens of the edit with image[] x2 + mask above that of the edit with one image + mask';
      const failure = generationFailure(multi, expected);
      if (failure) return failure;
      if (generationFailure(single, expected)) return skip(`the one-image edit failed (edits.single-image reports it): nothing to compare with`, single.exchange);
      const [two, one] = [inputImageTokens(multi), inputImageTokens(single)];
      if (typeof two === 'string') return fail(expected, `edit with image[] x2: ${two}`, [multi.exchange, single.exchange]);
      if (typeof one === 'string') return fail(expected, `edit with one image: ${one}`, [single.exchange, multi.exchange]);
      if (two <= one)
        return fail(
          expected,
          `image_tokens ${two} for two input images, ${one} for one: the second image[] was not used`,
          [multi.exchange, single.exchange],
          'Gateways that forward only the first image[] (BerriAI/litellm#14488) edit one image silently; the upstream counts the input images it received.',
        );
      return pass(`image_tokens ${two} for two input images, ${one} for one`, multi.exchange, single.exchange);
    },
  },
  {
    id: 'edits.defaults',
    title: 'An edit naming only model, prompt and image (the minimal SDK call) gets the catalogue defaults: default size, echoed default quality',
    severity: 'MUST',
    rule: 'spec: CreateImageEditRequest (size, quality, n optional); catalogue size.default, params.quality.default (+ resolves), n.default; facts §4.4 (new-api defaults edits to quality "standard")',
    scope: 'model',
    uses: ['edit-defaults'],
    appliesTo: uploadApplies('createImageEdit', 'edits'),
    async run(ctx, t) {
      const gen = await ctx.generation(t, 'edit-defaults');
      const outcome = await judgeUpload(ctx, gen, 'edit with only model, prompt and image');
      if (outcome.status !== 'pass' || !t.model!.output.echo.length) return outcome;
      const echo = judgeEcho(t.model!, gen);
      return echo.status === 'fail' ? fail(echo.expected, echo.observed, [gen.exchange]) : pass(`${outcome.observed}; ${echo.observed}`, gen.exchange);
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
