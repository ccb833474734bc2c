// What the edit and variation checks share (both upload images as multipart): when the operation
// applies to a model, how an upload's answer is judged, and the refusal of a non-square image by
// models that need square ones. A 404/501 from either endpoint means "not implemented".
import { body, fail, invalidBody, judgeClientError } from '../assert.js';
import type { Generation, RunContext } from '../context.js';
import { inputPng } from '../generations.js';
import type { Exchange, MultipartPart } from '../http.js';
import type { CheckDef, GenerationKind, Outcome } from '../types.js';
import { allOf, inCatalogue, serves, type Applicability } from './applicability.js';
import { generationCheck } from './generation-check.js';
import { dimensionProblem, overItems } from './images.js';

export type UploadOperation = 'createImageEdit' | 'createImageVariation';

/** Where the catalogue describes a model's uploads for the operation. */
const catalogueKey = (operation: UploadOperation) => (operation === 'createImageEdit' ? 'edits' : 'variations');

/** The profile serves the operation and the catalogue says the model supports it. */
export const uploadApplies = (operation: UploadOperation): Applicability =>
  allOf(serves(operation), inCatalogue, (_ctx, t) =>
    t.model!.operations.includes(operation) && t.model![catalogueKey(operation)] ? true : `catalogue: ${t.model!.id} does not support ${operation}`,
  );

/** As `uploadApplies`, for models whose uploads must be square (dall-e-2). */
export const squareUploadApplies = (operation: UploadOperation): Applicability =>
  allOf(uploadApplies(operation), (_ctx, t) => (t.model![catalogueKey(operation)]!.image.square ? true : `catalogue: ${t.model!.id} takes non-square images`));

/** 200, a valid ImagesResponse, n images of the requested size. */
export async function judgeUpload(ctx: RunContext, gen: Generation, what: string): Promise<Outcome> {
  const want = gen.request.expect.size;
  const expected = `${what}: 200, a valid ImagesResponse with ${gen.request.n} image(s)${want ? ` of ${want}` : ''}`;
  const invalid = invalidBody(gen, ctx.validator, 'ImagesResponse', expected, 3);
  if (invalid) return invalid;
  const data = body(gen).data as unknown[];
  if (data.length !== gen.request.n) return fail(expected, `${data.length} image(s)`, [gen.exchange]);
  return overItems(ctx, gen, expected, (i) => (want ? dimensionProblem(i, want, gen.target.model) : undefined));
}

/** A check that an upload generation gives valid images (`judgeUpload`; `what` names the upload). */
export function uploadCheck(operation: UploadOperation, kind: GenerationKind, def: Pick<CheckDef, 'id' | 'title' | 'rule'> & { what: string }): CheckDef {
  const { what, ...meta } = def;
  return generationCheck(kind, { ...meta, severity: 'MUST', appliesTo: uploadApplies(operation), judge: (ctx, gen) => judgeUpload(ctx, gen, what) });
}

/** A 404/501 from an upload endpoint is "not implemented" (one-api answers 501), not a rejection. */
export function notImplementedNote(outcome: Outcome, ex: Exchange, operation: string): Outcome {
  const status = ex.response?.status;
  if (outcome.status === 'fail' && (status === 404 || status === 501)) return { ...outcome, note: `${operation}: endpoint not implemented (${status}).` };
  return outcome;
}

/** Uploads `files` with `fields`; the model must refuse them with a 400 (invalid_image). */
export async function judgeUploadRejected(
  ctx: RunContext,
  operation: UploadOperation,
  label: string,
  files: MultipartPart[],
  fields: Record<string, string>,
  what: string,
  param?: string,
): Promise<Outcome> {
  const ex = await ctx.send({
    method: 'POST',
    url: ctx.operationUrl(operation),
    label,
    body: { kind: 'multipart', parts: [...files, ...Object.entries(fields).map(([name, value]) => ({ name, value }))] },
  });
  return notImplementedNote(judgeClientError(ex, ctx, { statuses: [400], kind: 'invalid_image', ...(param ? { param } : {}), what }), ex, operation);
}

/** Uploads a 256x128 PNG with `fields`; a model that needs square images must answer 400 invalid_image. */
export function judgeNonSquareRejected(ctx: RunContext, operation: UploadOperation, label: string, fields: Record<string, string>): Promise<Outcome> {
  const oblong: MultipartPart = { name: 'image', filename: 'oblong.png', contentType: 'image/png', data: inputPng(256, 128, 0), describe: '256x128 PNG' };
  return judgeUploadRejected(ctx, operation, label, [oblong], fields, 'a 256x128 image');
}
