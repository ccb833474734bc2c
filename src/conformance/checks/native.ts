// Ref 000's native surface (profiles with nativeEnvelope): `{status: "ok", data: {...}}` answers,
// `{status: "error", error: {code, message}}` errors with the code that goes with the status.
import { invalidBody, judgeClientError, pass } from '../assert.js';
import type { RunContext } from '../context.js';
import { PROMPT } from '../generations.js';
import type { CheckDef, Target } from '../types.js';
import { allOf, serves } from './applicability.js';
import { generationCheck } from './generation-check.js';
import { dimensionProblem, overItems } from './images.js';

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
      const want = gen.request.expect;
      return overItems(ctx, gen, `${want.responseFormat} items of ${want.size ?? 'the requested size'}`, (i) => {
        if (want.responseFormat !== 'any' && i.source !== want.responseFormat) return `has ${i.source}`;
        return want.size ? dimensionProblem(i, want.size, t.model) : i.problem;
      });
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
