// Response headers: x-request-id on success and error, Retry-After on rate limits, and every header
// the spec declares well-formed when present (facts §6.13). The rate-limit answers the run meets are
// judged here as a whole: their headers, their retry delay and their error envelope.
import { deref, operations, type JsonObject } from '../../contract/spec.js';
import { envelopeProblems, fail, nativeEnvelopeProblems, pass, skip } from '../assert.js';
import type { RunContext } from '../context.js';
import { header, isObject, parseJson } from '../exchange.js';
import type { Exchange } from '../http.js';
import type { CheckDef } from '../types.js';
import { servesCreateImage } from './applicability.js';
import { missingKeyExchange } from './auth.js';
import { generationCheck } from './generation-check.js';
import { negativeExchange } from './negative.js';

/** Header name -> JSON pointer of its schema, for every response header the spec declares. */
let declared: Map<string, string> | undefined;
export function declaredHeaders(): Map<string, string> {
  if (declared) return declared;
  declared = new Map();
  for (const op of operations()) {
    for (const response of Object.values((op.operation.responses ?? {}) as Record<string, unknown>)) {
      const r = deref<JsonObject>(response);
      for (const [name, h] of Object.entries((r.headers ?? {}) as Record<string, { $ref?: string }>)) {
        const pointer = h.$ref ? `${h.$ref}/schema` : undefined;
        if (pointer && !declared.has(name.toLowerCase())) declared.set(name.toLowerCase(), pointer);
      }
    }
  }
  return declared;
}

/** Why a header value does not match its declared schema (integers arrive as text). */
export function headerProblem(ctx: RunContext, name: string, value: string): string | undefined {
  const pointer = declaredHeaders().get(name);
  if (!pointer) return undefined;
  const schema = deref<{ type?: string }>({ $ref: pointer.replace(/\/schema$/, '') }) as { schema?: { type?: string } };
  let typed: unknown = value;
  if (schema.schema?.type === 'integer') {
    if (!/^-?\d+$/.test(value.trim())) return `${name}: ${JSON.stringify(value)} is not an integer`;
    typed = Number(value.trim());
  }
  const problems = ctx.validator.problems(pointer, typed);
  return problems.length ? `${name}: ${JSON.stringify(value)} ${problems[0]!.message}` : undefined;
}

function requestIdProblem(ex: Exchange): string | undefined {
  if (!ex.response) return `no answer (${ex.error?.message})`;
  const id = header(ex, 'x-request-id');
  if (!id) return `${ex.response.status} without x-request-id`;
  if (id.length > 128) return `x-request-id is ${id.length} characters`;
  return undefined;
}

const allResponses = (ctx: RunContext) => ctx.http.exchanges.filter((e) => e.response);

/** The 429s the gateway itself answered during the run (image downloads from other origins aside). */
const rateLimited = (ctx: RunContext) => allResponses(ctx).filter((e) => e.response!.status === 429 && sameOrigin(e.url, ctx.origin));

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * The error schema the spec declares for an exchange's status on the operation it called
 * (NativeErrorResponse on ref 000's native endpoint, ErrorResponse elsewhere).
 */
export function declaredErrorSchema(ctx: RunContext, ex: Exchange): 'ErrorResponse' | 'NativeErrorResponse' {
  const path = ex.url.split('?', 1)[0]!;
  for (const op of operations()) {
    if (op.method !== ex.method) continue;
    // The operation's URL on this gateway, its path parameters standing for any one segment.
    const marker = '__path_parameter__';
    const params = Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, marker]));
    const template = ctx.operationUrl(op.operationId as Parameters<RunContext['operationUrl']>[0], params).split(marker);
    const pattern = new RegExp(`^${template.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const responses = (op.operation.responses ?? {}) as Record<string, unknown>;
    const response = deref<JsonObject>(responses[String(ex.response?.status)] ?? responses.default ?? {});
    const schema = (response.content as Record<string, { schema?: { $ref?: string } }> | undefined)?.['application/json']?.schema?.$ref ?? '';
    return schema.endsWith('/NativeErrorResponse') ? 'NativeErrorResponse' : 'ErrorResponse';
  }
  return 'ErrorResponse';
}

/** The delay the official SDKs take from a 429 (facts §3.4): retry-after-ms, else Retry-After (seconds or an HTTP date). */
/** 429 codes that waiting does not cure (OpenAI's quota; ref 000's native budget cap). */
const NEEDS_USER_ACTION = ['insufficient_quota', 'BUDGET_EXCEEDED'];

export function retryDelayMs(ex: Exchange): { ms: number; from: string } | undefined {
  const ms = header(ex, 'retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number.parseFloat(ms))) return { ms: Number.parseFloat(ms), from: `retry-after-ms ${ms}` };
  const ra = header(ex, 'retry-after');
  if (ra === undefined) return undefined;
  const seconds = Number.parseFloat(ra);
  if (Number.isFinite(seconds)) return { ms: seconds * 1000, from: `retry-after ${ra}` };
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : { ms: date - Date.now(), from: `retry-after ${ra}` };
}

const duration = (ms: number): string => (ms < 3_600_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 3_600_000).toFixed(1)} h`);

/** The longest retry delay the official SDKs honour; longer ones are ignored for their own backoff (facts §3.4). */
const SDK_MAX_RETRY_DELAY_MS = 60_000;

export const headerChecks: CheckDef[] = [
  generationCheck('baseline', {
    id: 'headers.request-id-success',
    title: 'A success carries `x-request-id`',
    severity: 'MUST',
    rule: 'spec: XRequestId (required on every answer); facts §6.13, §2.2',
    examplesOnly: true,
    judge(_ctx, { exchange: ex }) {
      const expected = 'x-request-id on the 200';
      if (ex.response?.status !== 200) return fail(expected, `the baseline generation was not a success (${ex.response?.status ?? ex.error?.message})`, [ex]);
      const problem = requestIdProblem(ex);
      return problem ? fail(expected, problem, [ex]) : pass(`x-request-id: ${header(ex, 'x-request-id')}`, ex);
    },
  }),
  {
    id: 'headers.request-id-error',
    title: 'Errors (400, 401) carry `x-request-id`',
    severity: 'MUST',
    rule: 'spec: XRequestId on BadRequest and Unauthorized; facts §6.13',
    scope: 'run',
    uses: [],
    examplesOnly: true,
    appliesTo: servesCreateImage,
    async run(ctx) {
      const exs = [await negativeExchange(ctx, 'negative.missing-prompt'), await missingKeyExchange(ctx)];
      const errors = exs.filter((e) => e.response && e.response.status >= 400);
      if (errors.length === 0) return fail('x-request-id on error answers', `no error answer to look at: ${exs.map((e) => e.response?.status ?? e.error?.message).join(', ')}`, exs);
      const problems = errors.map(requestIdProblem).filter(Boolean);
      if (problems.length) return fail('x-request-id on every error answer', problems.join('; '), errors);
      return pass(errors.map((e) => `${e.response!.status}: ${header(e, 'x-request-id')}`).join('; '), ...errors);
    },
  },
  {
    id: 'headers.retry-after',
    title: 'A rate-limit 429 carries Retry-After (integer seconds ≥ 1) or retry-after-ms',
    severity: 'MUST',
    rule: 'spec: TooManyRequests headers RetryAfter/RetryAfterMs; facts §6.13, §3.4',
    scope: 'run',
    uses: [],
    order: 'last',
    appliesTo: () => true,
    async run(ctx) {
      const limited = allResponses(ctx).filter((e) => e.response!.status === 429);
      if (limited.length === 0) return skip('no 429 was seen during the run');
      const problems: string[] = [];
      for (const ex of limited) {
        const parsed = parseJson(ex);
        const code = parsed.ok && isObject(parsed.value) && isObject(parsed.value.error) ? parsed.value.error.code : undefined;
        const ra = header(ex, 'retry-after');
        const ms = header(ex, 'retry-after-ms');
        // Quota errors may omit it: retrying cannot help (spec RetryAfter description).
        // Quota and budget 429s need the user to act, not to wait: Retry-After may be absent (facts §2.2).
        if (!ra && !ms && !NEEDS_USER_ACTION.includes(String(code))) problems.push(`#${ex.seq} 429 (${String(code)}) has neither retry-after nor retry-after-ms`);
        for (const [name, value] of [['retry-after', ra], ['retry-after-ms', ms]] as const) {
          const p = value === undefined ? undefined : headerProblem(ctx, name, value);
          if (p) problems.push(`#${ex.seq} ${p}`);
        }
      }
      if (problems.length) return fail('retry-after: integer seconds ≥ 1 (or retry-after-ms) on rate-limit 429s', problems.join('; '), limited);
      return pass(limited.map((e) => `429 retry-after ${header(e, 'retry-after') ?? '-'} / retry-after-ms ${header(e, 'retry-after-ms') ?? '-'}`).join('; '), ...limited);
    },
  },
  {
    id: 'headers.rate-limit-envelope',
    title: 'Every 429 the run meets is JSON with the error envelope its operation declares (not a CDN text page)',
    severity: 'MUST',
    rule: 'spec: TooManyRequests / NativeTooManyRequests (application/json ErrorResponse / NativeErrorResponse); facts §6.6, §5.21 (Cloudflare text/plain "error code: 1015"), §3.3 (SDKs leave code/type empty)',
    scope: 'run',
    uses: [],
    order: 'last',
    appliesTo: () => true,
    async run(ctx) {
      const limited = rateLimited(ctx);
      if (limited.length === 0) return skip('no 429 was seen during the run');
      const problems: string[] = [];
      for (const ex of limited) {
        const schema = declaredErrorSchema(ctx, ex);
        const found = schema === 'NativeErrorResponse' ? nativeEnvelopeProblems(ex, ctx.validator) : envelopeProblems(ex, ctx.validator, ctx.profile.errorEnvelope);
        if (found.length) problems.push(`#${ex.seq} ${ex.method} ${new URL(ex.url).pathname} 429 (${schema}): ${found.join('; ')}`);
      }
      if (problems.length) return fail('every 429: application/json with the declared error envelope', problems.slice(0, 4).join(' | '), limited);
      return pass(`${limited.length} 429(s), each with its error envelope`, ...limited);
    },
  },
  {
    id: 'headers.retry-after-sdk-limit',
    title: "A 429's retry delay (retry-after-ms, else Retry-After) is at most 60 s, the longest the official SDKs honour",
    severity: 'SHOULD',
    rule: 'facts §3.4 (openai-node honours a server delay only within 0-60 s, else backs off 0.5-8 s), §5.21 (lobehub#2795: retry-after 54749); spec RetryAfter description',
    scope: 'run',
    uses: [],
    order: 'last',
    appliesTo: () => true,
    async run(ctx) {
      const delays = rateLimited(ctx)
        .map((ex) => ({ ex, delay: retryDelayMs(ex) }))
        .filter((d): d is { ex: Exchange; delay: { ms: number; from: string } } => d.delay !== undefined);
      if (delays.length === 0) return skip('no 429 with a retry delay was seen during the run');
      const exchanges = delays.map((d) => d.ex);
      const long = delays.filter((d) => d.delay.ms > SDK_MAX_RETRY_DELAY_MS);
      const expected = `retry delays of at most ${SDK_MAX_RETRY_DELAY_MS / 1000} s`;
      if (long.length)
        return fail(
          expected,
          long.map((d) => `#${d.ex.seq} 429 ${d.delay.from} (${duration(d.delay.ms)})`).join('; '),
          exchanges,
          'The official SDKs ignore a longer delay and retry after their own 0.5-8 s backoff, so the client comes back long before the gateway said it may.',
        );
      return pass(delays.map((d) => `429 ${d.delay.from}`).join('; '), ...exchanges);
    },
  },
  {
    id: 'headers.well-formed',
    title: 'Declared headers (x-ratelimit-*, openai-processing-ms, retry-after) are well-formed when present',
    severity: 'SHOULD',
    rule: 'spec: components.headers; facts §6.13 (x-ratelimit-* integers, reset durations)',
    examplesOnly: true,
    scope: 'run',
    uses: [],
    order: 'last',
    appliesTo: () => true,
    async run(ctx) {
      const names = [...declaredHeaders().keys()].filter((n) => n !== 'x-request-id' && n !== 'cache-control');
      const seen: Exchange[] = [];
      const problems: string[] = [];
      let values = 0;
      for (const ex of allResponses(ctx)) {
        let any = false;
        for (const name of names) {
          const value = header(ex, name);
          if (value === undefined) continue;
          any = true;
          values++;
          const p = headerProblem(ctx, name, value);
          if (p) problems.push(`#${ex.seq} ${p}`);
        }
        if (any) seen.push(ex);
      }
      if (values === 0) return skip(`none of ${names.join(', ')} was sent`);
      if (problems.length) return fail('declared headers match their schemas', problems.slice(0, 6).join('; '), seen.slice(0, 10));
      return pass(`${values} header value(s) on ${seen.length} answer(s) well-formed`, ...seen.slice(0, 10));
    },
  },
];

