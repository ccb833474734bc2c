// Invalid requests (free: no image is made). Each must get a 4xx - 400 where the contract says so,
// 413/415 where the spec declares them - with a complete error envelope; never 2xx, never 5xx.
import { declaredStatuses, type ClientErrorExpectation } from '../assert.js';
import type { RunContext } from '../context.js';
import { PROMPT } from '../generations.js';
import type { Exchange, RequestBody } from '../http.js';
import type { CheckDef, Target } from '../types.js';
import { servesCreateImage } from './applicability.js';
import { errorChecks } from './error-checks.js';

/** 70 MiB: above the 64 MiB limit the spec's RequestTooLarge example states. */
export const OVERSIZED_BYTES = 70 * 1024 * 1024;

interface NegativeCase {
  id: string;
  title: string;
  rule: string;
  severity?: 'MUST' | 'SHOULD';
  examplesOnly?: boolean;
  body: (t: Target) => RequestBody;
  /** Path relative to the OpenAI base (default: the generations operation). */
  url?: (ctx: RunContext) => string;
  expect: (ctx: RunContext) => Omit<ClientErrorExpectation, 'what'>;
  what: string;
}

const json = (value: Record<string, unknown>): RequestBody => ({ kind: 'json', value });
const base = (t: Target, extra: Record<string, unknown> = {}) => json({ model: t.name, prompt: PROMPT, ...extra });
const only400 = () => ({ statuses: [400] });

/** Statuses the spec declares for createImage among `candidates`, the contract's first. */
function declared(...candidates: number[]): number[] {
  const spec = declaredStatuses('createImage');
  return candidates.filter((s) => spec.includes(s) || s === 400);
}

const CASES: NegativeCase[] = [
  {
    id: 'negative.missing-prompt',
    title: 'A request without `prompt` is a 400',
    rule: 'spec: CreateImageRequest.required [prompt]; facts §6.8 (400, not 500 or 422)',
    examplesOnly: true,
    body: (t) => json({ model: t.name }),
    expect: () => ({ statuses: [400], kind: 'missing_required_parameter', param: 'prompt' }),
    what: 'prompt missing',
  },
  {
    id: 'negative.empty-prompt',
    title: 'An empty `prompt` is a 400',
    rule: 'spec: x-error empty_prompt; facts §6.8',
    body: (t) => base(t, { prompt: '' }),
    expect: () => ({ statuses: [400], kind: 'empty_prompt' }),
    what: 'prompt ""',
  },
  {
    id: 'negative.prompt-wrong-type',
    title: 'A non-string `prompt` is a 400',
    rule: 'spec: CreateImageRequest.prompt (string); x-error invalid_type',
    body: (t) => base(t, { prompt: 42 }),
    expect: () => ({ statuses: [400], kind: 'invalid_type', param: 'prompt' }),
    what: 'prompt: 42',
  },
  {
    id: 'negative.n-wrong-type',
    title: 'A string `n` in a JSON body is a 400',
    rule: 'spec: CreateImageRequest.n (integer); x-error invalid_type',
    body: (t) => base(t, { n: '2' }),
    expect: () => ({ statuses: [400], kind: 'invalid_type', param: 'n' }),
    what: 'n: "2"',
  },
  {
    id: 'negative.n-zero',
    title: '`n: 0` is a 400, not clamped',
    rule: 'spec: CreateImageRequest.n minimum 1; facts §6.8',
    examplesOnly: true,
    body: (t) => base(t, { n: 0 }),
    expect: only400,
    what: 'n: 0',
  },
  {
    id: 'negative.n-eleven',
    title: '`n: 11` is a 400, not clamped to 10',
    rule: 'spec: CreateImageRequest.n maximum 10; facts §6.8, §4.1 (Portkey clamps)',
    examplesOnly: true,
    body: (t) => base(t, { n: 11 }),
    expect: only400,
    what: 'n: 11',
  },
  {
    id: 'negative.invalid-size',
    title: 'A size that is no WIDTHxHEIGHT is a 400',
    rule: 'spec: ImageSize pattern',
    examplesOnly: true,
    body: (t) => base(t, { size: 'big' }),
    expect: only400,
    what: 'size: "big"',
  },
  {
    id: 'negative.invalid-quality',
    title: 'An unknown `quality` is a 400',
    rule: 'spec: ImageQuality enum',
    examplesOnly: true,
    body: (t) => base(t, { quality: 'ultra' }),
    expect: only400,
    what: 'quality: "ultra"',
  },
  {
    id: 'negative.invalid-style',
    title: 'An unknown `style` is a 400',
    rule: 'spec: ImageStyle enum',
    examplesOnly: true,
    body: (t) => base(t, { style: 'cubist' }),
    expect: only400,
    what: 'style: "cubist"',
  },
  {
    id: 'negative.invalid-response-format',
    title: 'An unknown `response_format` is a 400',
    rule: 'spec: ResponseFormat enum',
    examplesOnly: true,
    body: (t) => base(t, { response_format: 'gif' }),
    expect: only400,
    what: 'response_format: "gif"',
  },
  {
    id: 'negative.malformed-json',
    title: 'A body that is not valid JSON is a 400',
    rule: 'spec: x-error malformed_json',
    body: (t) => ({ kind: 'text', text: `{"model": ${JSON.stringify(t.name)}, "prompt": "a cube",`, contentType: 'application/json' }),
    expect: () => ({ statuses: [400], kind: 'malformed_json' }),
    what: 'truncated JSON body',
  },
  {
    id: 'negative.wrong-content-type',
    title: 'A text/plain body is a 415 (or 400)',
    rule: 'spec: createImage 415 UnsupportedMediaType',
    examplesOnly: true,
    body: () => ({ kind: 'text', text: `prompt=${PROMPT}`, contentType: 'text/plain' }),
    expect: () => ({ statuses: declared(415, 400) }),
    what: 'Content-Type: text/plain',
  },
  {
    id: 'negative.oversized-body',
    title: 'A 70 MiB body is refused with 413 (or 400), not a 5xx or a dropped connection',
    rule: 'spec: createImage 413 PayloadTooLarge (limit 64 MiB)',
    body: (t) => ({
      kind: 'generated',
      bytes: OVERSIZED_BYTES,
      contentType: 'application/json',
      prefix: `{"model":${JSON.stringify(t.name)},"prompt":"`,
      fill: 'a',
      suffix: '"}',
    }),
    expect: () => ({ statuses: declared(413, 400) }),
    what: '70 MiB JSON body',
  },
  {
    id: 'negative.unknown-model',
    title: 'An unknown model is a 404 (or 400), never a 5xx or a success',
    rule: 'spec: createImage description (unknown model is 404 model_not_found); x-error model_not_found',
    body: () => json({ model: 'imagegen-contract-no-such-model', prompt: PROMPT }),
    // 404 is OpenAI's; a gateway answering 400 for a model it does not know still tells the client (fidelity: 404).
    expect: () => ({ statuses: [404, 400], kind: 'model_not_found', param: 'model' }),
    what: 'model "imagegen-contract-no-such-model"',
  },
  {
    id: 'negative.unknown-route',
    title: 'An unknown route under the base URL is a 404 with the error envelope',
    rule: 'spec: NotFound (x-error route_not_found)',
    severity: 'SHOULD',
    body: (t) => base(t),
    url: (ctx) => `${ctx.openaiBase}/images/generate`,
    expect: () => ({ statuses: [404] }),
    what: 'POST /images/generate',
  },
];

/** The exchange of a negative case (memoised: headers checks read the same answers). */
export function negativeExchange(ctx: RunContext, id: string): Promise<Exchange> {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`no negative case ${id}`);
  return ctx.memo(`negative:${id}`, () =>
    ctx.send({ method: 'POST', url: c.url?.(ctx) ?? ctx.operationUrl('createImage'), body: c.body(ctx.primary), label: c.what }),
  );
}

export const negativeChecks: CheckDef[] = CASES.flatMap((c): CheckDef[] => {
  const def = {
    id: c.id,
    title: c.title,
    severity: c.severity ?? 'MUST',
    rule: c.rule,
    scope: 'run' as const,
    ...(c.examplesOnly ? { examplesOnly: true } : {}),
    appliesTo: servesCreateImage,
    async cases(ctx: RunContext) {
      return [{ ex: await negativeExchange(ctx, c.id), exp: { ...c.expect(ctx), what: c.what } }];
    },
  };
  const pair = errorChecks(def);
  // Faults without an error kind have no OpenAI code to be faithful to: the contract check only.
  return c.expect({} as RunContext).kind ? pair : [pair[0]];
});
