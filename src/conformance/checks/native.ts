// Ref 000's native surface (profiles with nativeEnvelope): `{status: "ok", data: {...}}` answers,
// `{status: "error", error: {code, message}}` errors with the code that goes with the status.
import { allModels } from '../../contract/catalogue.js';
import { body, fail, invalidBody, judgeClientError, pass } from '../assert.js';
import type { RunContext } from '../context.js';
import { foreignSize, PROMPT } from '../generations.js';
import type { CheckDef, Target } from '../types.js';
import { allOf, serves } from './applicability.js';
import { generationCheck } from './generation-check.js';
import { dimensionProblem, overItems } from './images.js';
import type { Generation } from '../context.js';

/** Native images of a generation: the expected response format, each decoding at the requested size. */
function nativeItems(ctx: RunContext, gen: Generation, t: Target, what: string) {
  const want = gen.request.expect;
  return overItems(ctx, gen, `${what}: ${want.responseFormat} items of ${want.size ?? 'the requested size'}`, (i) => {
    if (want.responseFormat !== 'any' && i.source !== want.responseFormat) return `has ${i.source}`;
    return want.size ? dimensionProblem(i, want.size, t.model) : i.problem;
  });
}

const nativeApplies = allOf((ctx) => (ctx.profile.nativeEnvelope ? true : `profile ${ctx.profile.name} has no native envelope`), serves('generateNativeImage'));

function nativeRequest(ctx: RunContext, t: Target, value: Record<string, unknown>, label: string, auth?: 'none') {
  return ctx.memo(`native:${label}`, () =>
    ctx.send({ method: 'POST', url: ctx.operationUrl('generateNativeImage'), body: { kind: 'json', value }, label, ...(auth ? { auth } : {}) }),
  );
}

export const nativeChecks: CheckDef[] = [
  generationCheck('native', {
    id: 'native.success-envelope',
    title: 'The native endpoint answers 200 `{status: "ok", data: {created, data}}` valid against NativeGenerateResponse',
    severity: 'MUST',
    rule: 'spec: generateNativeImage 200 NativeGenerateResponse (ref 000)',
    appliesTo: nativeApplies,
    judge(ctx, gen) {
      return invalidBody(gen, ctx.validator, 'NativeGenerateResponse', '200 and a valid NativeGenerateResponse', 4) ?? pass('valid NativeGenerateResponse', gen.exchange);
    },
  }),
  generationCheck('native', {
    id: 'native.images',
    title: 'Native images come in the default response format, download or decode, and have the requested size',
    severity: 'MUST',
    rule: 'spec: NativeImage; catalogue response_format default; ref 000 (URLs through the media proxy)',
    appliesTo: nativeApplies,
    judge(ctx, gen, t) {
      return nativeItems(ctx, gen, t, 'native images');
    },
  }),
  generationCheck('native-b64', {
    id: 'native.b64-json',
    title: 'A native request with `response_format: b64_json` gets inline base64 images of the requested size',
    severity: 'MUST',
    rule: 'ref 000 (response_format b64_json: inline base64 instead of a URL); spec NativeImage',
    appliesTo: nativeApplies,
    judge(ctx, gen, t) {
      return invalidBody(gen, ctx.validator, 'NativeGenerateResponse', '200 and a valid NativeGenerateResponse', 3) ?? nativeItems(ctx, gen, t, 'b64_json');
    },
  }),
  generationCheck('native-n', {
    id: 'native.n-many',
    title: 'A native request with `n: 2` gets exactly 2 images',
    severity: 'MUST',
    rule: 'ref 000 (n: number of images, typically 1-10); catalogue n.max',
    appliesTo: nativeApplies,
    async judge(ctx, gen, t) {
      const invalid = invalidBody(gen, ctx.validator, 'NativeGenerateResponse', '200 and a valid NativeGenerateResponse with 2 images', 3);
      if (invalid) return invalid;
      const inner = (body(gen) as { data?: { data?: unknown[] } }).data?.data;
      if (!Array.isArray(inner) || inner.length !== 2) return fail('2 images in data.data', `${Array.isArray(inner) ? inner.length : 'no'} image(s)`, [gen.exchange]);
      return nativeItems(ctx, gen, t, '2 images');
    },
  }),
  generationCheck('native-values', {
    id: 'native.quality-style',
    title: "A native request with the model's non-default quality and style (hd, natural) is accepted with images of the requested size",
    severity: 'MUST',
    rule: 'ref 000 (quality standard|hd, style vivid|natural for DALL-E 3); catalogue params',
    appliesTo: nativeApplies,
    judge(ctx, gen, t) {
      const sent = ['quality', 'style'].filter((k) => k in gen.request.fields).map((k) => `${k}: ${String(gen.request.fields[k])}`).join(', ');
      return invalidBody(gen, ctx.validator, 'NativeGenerateResponse', `200 and a valid NativeGenerateResponse for ${sent}`, 3) ?? nativeItems(ctx, gen, t, sent);
    },
  }),
  {
    id: 'native.validation-error',
    title: 'A native request without prompt is a 400 VALIDATION_ERROR in the native envelope',
    severity: 'MUST',
    rule: 'spec: NativeBadRequest; NativeErrorCode VALIDATION_ERROR (ref 000)',
    scope: 'run',
    uses: [],
    appliesTo: nativeApplies,
    async run(ctx) {
      const ex = await nativeRequest(ctx, ctx.primary, { model: ctx.primary.name }, 'native request without prompt');
      return judgeClientError(ex, ctx, { statuses: [400], envelope: 'native', nativeCode: 'VALIDATION_ERROR', what: 'prompt missing' });
    },
  },
  {
    id: 'native.model-required',
    title: 'A native request without model is a 400 VALIDATION_ERROR',
    severity: 'MUST',
    rule: 'spec: NativeGenerateRequest.required [model, prompt] (ref 000: model required)',
    scope: 'run',
    uses: [],
    appliesTo: nativeApplies,
    async run(ctx) {
      const ex = await nativeRequest(ctx, ctx.primary, { prompt: PROMPT }, 'native request without model');
      return judgeClientError(ex, ctx, { statuses: [400], envelope: 'native', nativeCode: 'VALIDATION_ERROR', what: 'model missing' });
    },
  },
  {
    id: 'native.invalid-size',
    title: 'A native request with a size the model does not allow is a 400 VALIDATION_ERROR',
    severity: 'MUST',
    rule: 'ref 000 error cases (VALIDATION_ERROR: missing prompt or invalid size); catalogue size.values',
    scope: 'model',
    uses: [],
    appliesTo: allOf(nativeApplies, (_ctx, t) => (t.model && foreignSize(t.model, allModels()) ? true : `no invalid size known for ${t.name}`)),
    async run(ctx, t) {
      const size = foreignSize(t.model!, allModels())!;
      const ex = await nativeRequest(ctx, t, { model: t.name, prompt: PROMPT, n: 1, size }, `native request for ${t.name} with size ${size}`);
      return judgeClientError(ex, ctx, { statuses: [400], envelope: 'native', nativeCode: 'VALIDATION_ERROR', what: `size ${size} for ${t.name}` });
    },
  },
  {
    id: 'native.unauthenticated',
    title: 'A native request without a key is a 401 UNAUTHENTICATED in the native envelope',
    severity: 'MUST',
    rule: 'spec: NativeUnauthorized; NativeErrorCode UNAUTHENTICATED',
    scope: 'run',
    uses: [],
    appliesTo: nativeApplies,
    async run(ctx) {
      const ex = await nativeRequest(ctx, ctx.primary, { model: ctx.primary.name, prompt: PROMPT, n: 1 }, 'native request without a key', 'none');
      return judgeClientError(ex, ctx, { statuses: [401], envelope: 'native', nativeCode: 'UNAUTHENTICATED', what: 'no Authorization header' });
    },
  },
];
