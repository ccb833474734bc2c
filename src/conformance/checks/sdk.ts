// The official `openai` SDK against the gateway (facts §6.15, §3): parsed objects with _request_id,
// and the right error classes with code/param. maxRetries 0 (no billed retries); its requests go
// through the suite's HTTP client, so they are recorded, time-limited and size-capped like the rest.
import OpenAI from 'openai';
import { fail, pass, skip } from '../assert.js';
import type { RunContext } from '../context.js';
import { PROMPT } from '../generations.js';
import type { Exchange, RequestBody } from '../http.js';
import type { CheckDef, Outcome, Target } from '../types.js';
import { servesCreateImage, wrongKeyApplies } from './applicability.js';
import { WRONG_KEY } from './auth.js';

/** A key for the SDK constructor when the user gave none (it refuses to start without one). */
const PLACEHOLDER_KEY = 'sk-imagegen-contract-no-key-given';

function client(ctx: RunContext, apiKey: string | undefined, seen: Exchange[], label: string): OpenAI {
  const fetchThroughSuite = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    let body: RequestBody | undefined;
    if (typeof init?.body === 'string') body = { kind: 'text', text: init.body, contentType: headers['content-type'] ?? null };
    else if (init?.body != null) throw new TypeError('imagegen-contract: the SDK checks send JSON bodies only');
    const ex = await ctx.send({ method: (init?.method ?? 'GET').toUpperCase() as 'GET' | 'POST', url, auth: 'none', headers, label, ...(body ? { body } : {}) });
    seen.push(ex);
    if (!ex.response) throw new TypeError(`fetch failed: ${ex.error?.message ?? 'no answer'}`);
    const { status, headers: resHeaders, body: bytes } = ex.response;
    try {
      return new Response([101, 204, 205, 304].includes(status) ? null : new Uint8Array(bytes), { status, headers: resHeaders });
    } catch (error) {
      throw new TypeError(`fetch failed: unusable answer (${(error as Error).message})`);
    }
  };
  return new OpenAI({
    apiKey: apiKey ?? PLACEHOLDER_KEY,
    baseURL: ctx.openaiBase,
    maxRetries: 0,
    timeout: ctx.http.timeoutMs,
    fetch: fetchThroughSuite,
  });
}

function errorText(error: unknown): string {
  if (error instanceof OpenAI.APIError) return `${error.constructor.name} status ${error.status}: ${error.message.slice(0, 200)}`;
  return `${(error as Error)?.constructor?.name ?? 'Error'}: ${String((error as Error)?.message ?? error).slice(0, 200)}`;
}

/** A generation the SDK must refuse: resolving fails, a throw goes to `judge` with the exchanges the SDK made. */
async function judgeRefusal(
  ctx: RunContext,
  apiKey: string | undefined,
  label: string,
  params: OpenAI.Images.ImageGenerateParamsNonStreaming,
  expected: string,
  judge: (error: unknown, seen: Exchange[]) => Outcome,
): Promise<Outcome> {
  // Memoised: a contract check and its fidelity companion judge the same refusal.
  const { res, error, seen } = await ctx.memo(`sdk-refusal:${label}`, async () => {
    const seen: Exchange[] = [];
    try {
      return { res: await client(ctx, apiKey, seen, label).images.generate(params), seen };
    } catch (error) {
      return { error, seen };
    }
  });
  if (res !== undefined) return fail(expected, `resolved: ${JSON.stringify(res).slice(0, 160)}`, seen);
  return judge(error, seen);
}

const N_ZERO_LABEL = 'SDK images.generate with n: 0';
const nZero = (ctx: RunContext): OpenAI.Images.ImageGenerateParamsNonStreaming => ({ model: ctx.primary.name, prompt: PROMPT, n: 0 });

export const sdkChecks: CheckDef[] = [
  {
    id: 'sdk.generate-parsed',
    title: 'The official openai SDK gets a parsed ImagesResponse object with `_request_id`',
    severity: 'MUST',
    rule: 'facts §6.15, §3.2 (non-JSON content types reach users as strings; _request_id from x-request-id)',
    examplesOnly: true,
    scope: 'model',
    uses: ['sdk'],
    appliesTo: servesCreateImage,
    async run(ctx, t: Target) {
      const seen: Exchange[] = [];
      const request = ctx.claim(t, 'sdk');
      const expected = 'images.generate() resolves to an object with a data array and a non-empty _request_id';
      try {
        const res = (await client(ctx, ctx.apiKey, seen, `SDK images.generate ${t.name}`).images.generate(
          request.fields as unknown as OpenAI.Images.ImageGenerateParamsNonStreaming,
        )) as unknown;
        if (typeof res !== 'object' || res === null) return fail(expected, `resolved to a ${typeof res}: ${String(res).slice(0, 120)}`, seen);
        const r = res as { data?: unknown; _request_id?: unknown };
        if (!Array.isArray(r.data)) return fail(expected, `resolved to an object without a data array (keys: ${Object.keys(r).join(', ')})`, seen);
        ctx.noteReturned(r.data.length);
        if (typeof r._request_id !== 'string' || !r._request_id) return fail(expected, `_request_id is ${JSON.stringify(r._request_id)}`, seen);
        return pass(`object with ${r.data.length} image(s), _request_id ${r._request_id}`, ...seen);
      } catch (error) {
        return fail(expected, `threw ${errorText(error)}`, seen);
      }
    },
  },
  {
    id: 'sdk.bad-request-error',
    title: 'An invalid request throws BadRequestError carrying the error body (message and type)',
    severity: 'MUST',
    rule: 'facts §6.15, §3.3 (APIError.generate reads body.error)',
    scope: 'run',
    uses: [],
    appliesTo: servesCreateImage,
    async run(ctx) {
      const expected = 'BadRequestError, status 400, with error.message and error.type from the body';
      return judgeRefusal(ctx, ctx.apiKey, N_ZERO_LABEL, nZero(ctx), expected, (error, seen) => {
        if (!(error instanceof OpenAI.BadRequestError)) return fail(expected, `threw ${errorText(error)}`, seen);
        const e = error.error as { message?: unknown; type?: unknown } | undefined;
        const problems: string[] = [];
        if (!e || typeof e !== 'object') problems.push('no error object (the body has no `error`)');
        else {
          if (typeof e.message !== 'string' || !e.message) problems.push(`error.message ${JSON.stringify(e.message)}`);
          if (typeof error.type !== 'string' || !error.type) problems.push(`type ${JSON.stringify(error.type)}`);
        }
        if (problems.length) return fail(expected, `BadRequestError with ${problems.join(', ')}`, seen);
        return pass(`BadRequestError type ${error.type}, code ${error.code}, requestID ${error.requestID ?? '(none)'}`, ...seen);
      });
    },
  },
  {
    id: 'sdk.bad-request-error-fidelity',
    title: "An invalid request's BadRequestError has code and param populated as from OpenAI (param n)",
    severity: 'SHOULD',
    tier: 'fidelity',
    rule: 'facts §6.15, §3.3 (err.code, err.param from body.error); OpenAI fidelity',
    scope: 'run',
    uses: [],
    appliesTo: servesCreateImage,
    async run(ctx) {
      const expected = 'BadRequestError, status 400, code a non-empty string, param "n"';
      return judgeRefusal(ctx, ctx.apiKey, N_ZERO_LABEL, nZero(ctx), expected, (error, seen) => {
        if (!(error instanceof OpenAI.BadRequestError)) return skip(`the SDK did not throw BadRequestError (sdk.bad-request-error fails): ${errorText(error)}`);
        const problems: string[] = [];
        if (typeof error.code !== 'string' || !error.code) problems.push(`code ${JSON.stringify(error.code)}`);
        if (error.param !== 'n') problems.push(`param ${JSON.stringify(error.param)}`);
        if (problems.length) return fail(expected, `BadRequestError with ${problems.join(', ')}`, seen);
        return pass(`BadRequestError code ${error.code}, param ${error.param}`, ...seen);
      });
    },
  },
  {
    id: 'sdk.authentication-error',
    title: 'A wrong key throws AuthenticationError',
    severity: 'MUST',
    rule: 'facts §6.15, §3.3 (401 -> AuthenticationError)',
    scope: 'run',
    uses: [],
    appliesTo: wrongKeyApplies,
    async run(ctx) {
      const expected = 'AuthenticationError (401)';
      return judgeRefusal(ctx, WRONG_KEY, 'SDK with a wrong key', { model: ctx.primary.name, prompt: PROMPT, n: 1 }, expected, (error, seen) => {
        if (error instanceof OpenAI.AuthenticationError) return pass(`AuthenticationError: ${error.message.slice(0, 120)}`, ...seen);
        return fail(expected, `threw ${errorText(error)}`, seen);
      });
    },
  },
];
