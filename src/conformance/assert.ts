// Outcome builders and the judgements many checks share: the error envelope, a client error's
// status, a successful generation. Texts say what was expected and what was seen.
import { constVocabulary, operation as specOperation } from '../contract/spec.js';
import { errorForms, errorKind, type ErrorForm } from '../contract/errors.js';
import type { ErrorEnvelope } from '../contract/profiles.js';
import type { SchemaProblem, SpecValidator } from '../contract/validator.js';
import { describe, excerpt, header, isJsonMediaType, isObject, mediaType, parseJson } from './exchange.js';
import type { Exchange } from './http.js';
import type { Generation } from './context.js';
import type { Outcome } from './types.js';

type ExLike = Exchange | number | undefined;
const seqs = (exs: ExLike[]): number[] => exs.map((e) => (typeof e === 'number' ? e : e?.seq)).filter((n): n is number => typeof n === 'number');

export function pass(observed: string, ...exchanges: ExLike[]): Outcome {
  return { status: 'pass', observed, exchanges: seqs(exchanges) };
}

export function fail(expected: string, observed: string, exchanges: ExLike[], note?: string): Outcome {
  return { status: 'fail', expected, observed, exchanges: seqs(exchanges), ...(note ? { note } : {}) };
}

export function skip(reason: string, ...exchanges: ExLike[]): Outcome {
  return { status: 'skip', reason, ...(exchanges.length ? { exchanges: seqs(exchanges) } : {}) };
}

/** A check that needs what only the gateway's owner can give (a trigger, a long wait): the reason says how to enable it. */
export function optInSkip(reason: string): Outcome {
  return { status: 'skip', reason: `opt-in: ${reason}`, kind: 'opt-in' };
}

export const RETRY_NOTE =
  'The official SDKs retry every 5xx (and 408/409/429) up to 2 more times, so a client error labelled 5xx is sent three times and may be billed three times (facts §3.4).';

export const CONNECTION_NOTE =
  'The server dropped the connection without an answer the client could read; SDKs report a connection error and retry it (facts §3.4). Answer with the status, then close gracefully.';

/** The error body dialects of the OpenAI-compatible operations (profile `errorEnvelope`). */
export type ErrorDialect = ErrorEnvelope;

/**
 * Problems of an OpenAI error envelope (empty when complete). `openai`: all four keys (facts §1.7);
 * `openai-without-param`: ref 001's three keys, `param` optional.
 */
export function envelopeProblems(ex: Exchange, validator: SpecValidator, dialect: ErrorDialect = 'openai'): string[] {
  const problems: string[] = [];
  const type = mediaType(ex);
  if (!isJsonMediaType(type)) problems.push(`content-type is '${header(ex, 'content-type') ?? 'absent'}', not application/json (SDKs do not parse it)`);
  const parsed = parseJson(ex);
  if (!parsed.ok) return [...problems, `body is ${parsed.error}`];
  const body = parsed.value;
  if (!isObject(body) || !isObject(body.error)) {
    const keys = isObject(body) ? Object.keys(body).join(', ') : typeof body;
    return [...problems, `no 'error' object (top-level: ${keys || 'empty'}); SDKs leave code/param/type empty`];
  }
  const e = body.error;
  const required = dialect === 'openai' ? ['message', 'type', 'param', 'code'] : ['message', 'type', 'code'];
  for (const key of required) if (!(key in e)) problems.push(`error.${key} is missing (${dialect === 'openai' ? 'all four keys are required' : 'message, type and code are required'})`);
  if ('message' in e && (typeof e.message !== 'string' || e.message.trim() === '')) problems.push(`error.message is ${JSON.stringify(e.message)}, not a non-empty string`);
  for (const key of ['param', 'code'] as const) {
    if (!(key in e)) continue;
    const v = e[key];
    if (v === '') problems.push(`error.${key} is "" (must be a string or null, never empty)`);
    else if (v !== null && typeof v !== 'string') problems.push(`error.${key} is ${JSON.stringify(v)} (${typeof v}), not a string or null`);
  }
  // A code that is the HTTP status again (LiteLLM's code "400", facts §4.5) tells clients nothing to branch on.
  if (typeof e.code === 'string' && /^\d{3}$/.test(e.code)) problems.push(`error.code is ${JSON.stringify(e.code)}: the HTTP status again, not a machine-readable code (string or null)`);
  if (problems.length === 0) {
    // The three-key dialect is the four-key schema with param left out.
    const asFour = 'param' in e ? body : { ...body, error: { ...e, param: null } };
    for (const p of validator.problems('ErrorResponse', asFour).slice(0, 3)) problems.push(`schema ErrorResponse: ${p.path} ${p.message}`);
  }
  return problems;
}

/** Problems of ref 000's native error envelope, including the status its code implies. */
export function nativeEnvelopeProblems(ex: Exchange, validator: SpecValidator): string[] {
  const parsed = parseJson(ex);
  if (!parsed.ok) return [`body is ${parsed.error}`];
  const problems = validator.problems('NativeErrorResponse', parsed.value).slice(0, 3).map((p) => `schema NativeErrorResponse: ${p.path} ${p.message}`);
  if (problems.length) return problems;
  const code = (parsed.value as { error: { code: string } }).error.code;
  const status = constVocabulary('NativeErrorCode').find((c) => c.value === code)?.status;
  if (status !== undefined && status !== ex.response?.status) problems.push(`error.code ${code} goes with status ${status}, answered ${ex.response?.status}`);
  return problems;
}

/** The statuses the spec declares for an operation. */
export function declaredStatuses(operationId: string): number[] {
  const responses = (specOperation(operationId).operation.responses ?? {}) as Record<string, unknown>;
  return Object.keys(responses)
    .filter((k) => /^\d{3}$/.test(k))
    .map(Number);
}

export interface ClientErrorExpectation {
  /** Statuses the contract accepts, first = OpenAI's (e.g. [400], [413, 400], [404, 400]). */
  statuses: number[];
  /** Error kind: its code is contract where the spec marks it contractual, else fidelity (with `param` and `type`). */
  kind?: string;
  /** Expected param (overrides the kind's example param); undefined = the kind's. */
  param?: string | null;
  /** Default: the profile's `errorEnvelope` (OpenAI-compatible operations). */
  envelope?: ErrorDialect | 'native';
  /** Native envelope: the error.code expected (VALIDATION_ERROR, UNAUTHENTICATED, ...): ref 000 documents them, so contract. */
  nativeCode?: string;
  what: string;
  /** Why a 2xx answer matters, when the default for the expected status does not say it. */
  acceptedNote?: string;
}

/** Why accepting the request is wrong, by the status the contract expects (the note a 2xx gets). */
const ACCEPTED_NOTE: Record<number, string> = {
  401: 'The gateway served a request whose credentials it should have refused: anyone can use it, spending its own provider key.',
  403: 'The gateway served a request it should have refused as forbidden.',
  404: 'The gateway answered success for something it does not serve (an unknown model or route) instead of a 404.',
  413: 'The gateway accepted a body over the size limit instead of refusing it with a 413.',
  415: 'The gateway accepted a body of a content type the operation does not take instead of refusing it with a 415.',
};
const ACCEPTED_INVALID_NOTE = 'The gateway accepted an invalid request instead of rejecting it: the bad value was dropped, clamped or passed on unchecked, and the caller never learns.';

function acceptedNote(exp: ClientErrorExpectation): string {
  return exp.acceptedNote ?? ACCEPTED_NOTE[exp.statuses[0] ?? 400] ?? ACCEPTED_INVALID_NOTE;
}

/** What the error judges read from the run: the validator and the profile's dialect. */
export interface ErrorJudgeContext {
  validator: SpecValidator;
  profile: { errorEnvelope: ErrorDialect };
}

function dialectOf(ctx: ErrorJudgeContext, exp: ClientErrorExpectation): ErrorDialect | 'native' {
  return exp.envelope ?? ctx.profile.errorEnvelope;
}

/**
 * Contract tier of an answer to an invalid request: a 4xx from `statuses` (never 2xx, never 5xx) with
 * the complete error envelope of the profile's dialect, and the code where clients branch on it
 * (ErrorCode `x-contractual`) or where ref 000 documents it (native codes).
 */
export function judgeClientError(ex: Exchange, ctx: ErrorJudgeContext, exp: ClientErrorExpectation): Outcome {
  const dialect = dialectOf(ctx, exp);
  const contractual = exp.kind && dialect !== 'native' ? errorKind(exp.kind).contractual : undefined;
  const codes = exp.kind && contractual ? [...new Set(errorForms(exp.kind).map((f) => f.code))] : [];
  const codeWant = dialect === 'native' ? (exp.nativeCode ? ` (code ${exp.nativeCode})` : '') : codes.length ? ` (code ${codes.map((c) => JSON.stringify(c)).join(' or ')})` : '';
  const envelopeName = dialect === 'native' ? 'native' : dialect === 'openai' ? 'OpenAI' : 'OpenAI (param optional)';
  const expected = `${exp.what}: ${exp.statuses.join(' or ')} with a complete ${envelopeName} error envelope${codeWant}`;
  if (!ex.response) return fail(expected, describe(ex), [ex], ex.error?.kind === 'network' ? CONNECTION_NOTE : undefined);
  const status = ex.response.status;
  if (status >= 200 && status < 300) return fail(expected, `accepted: ${describe(ex)}`, [ex], acceptedNote(exp));
  // A 5xx is a client error mislabelled - unless the contract itself gives that status (ref 000's BACKEND_ERROR is 502).
  if (status >= 500 && !exp.statuses.includes(status)) return fail(expected, describe(ex), [ex], RETRY_NOTE);
  if (!exp.statuses.includes(status)) {
    const note =
      status >= 400 && status < 500 && ![400, 401, 403, 404, 409, 413, 415, 429].includes(status)
        ? `${status} is a non-standard status for this error: OpenAI answers ${exp.statuses[0]}, and SDKs map ${status} to ${status === 422 ? 'UnprocessableEntityError' : 'a generic APIError'}.`
        : undefined;
    return fail(expected, describe(ex), [ex], note);
  }
  const problems = dialect === 'native' ? nativeEnvelopeProblems(ex, ctx.validator) : envelopeProblems(ex, ctx.validator, dialect);
  if (problems.length) return fail(expected, `${status}: ${problems.join('; ')}`, [ex]);
  const e = (parseJson(ex) as { value: { error: { code: unknown } } }).value.error;
  if (dialect === 'native' && exp.nativeCode && e.code !== exp.nativeCode) return fail(expected, `${status} with error.code ${JSON.stringify(e.code)}`, [ex]);
  if (codes.length && !codes.includes(e.code as string | null))
    return fail(expected, `${status} with code ${JSON.stringify(e.code)}`, [ex], `Clients branch on this code: ${contractual}`);
  return pass(`${status} with a complete error envelope${observedCode(ex)}`, ex);
}

/**
 * Fidelity tier of the same answer: OpenAI's status (the first of `statuses`) and one of the
 * (code, param, type) forms OpenAI gives for the fault (the spec example and its `alternatives`).
 * Under the three-key dialect an absent `param` is not judged.
 */
export function judgeErrorFidelity(ex: Exchange, ctx: ErrorJudgeContext, exp: ClientErrorExpectation): Outcome {
  const dialect = dialectOf(ctx, exp);
  if (!exp.kind || dialect === 'native') return skip('no OpenAI error code is expected for this fault');
  const forms = errorForms(exp.kind, exp.param);
  const formText = (f: ErrorForm) => `code ${JSON.stringify(f.code)}, param ${JSON.stringify(f.param)}, type ${JSON.stringify(f.type)}`;
  const expected = `${exp.what}: ${exp.statuses[0]} with ${forms.map(formText).join(' | ')}`;
  const parsed = parseJson(ex);
  const e = parsed.ok && isObject(parsed.value) && isObject(parsed.value.error) ? parsed.value.error : undefined;
  if (!ex.response || !e) return skip(`the answer is not an error envelope (its contract check fails): ${describe(ex).slice(0, 120)}`, ex);
  const status = ex.response.status;
  const paramJudged = dialect === 'openai' || 'param' in e;
  const matches = forms.some((f) => e.code === f.code && e.type === f.type && (!paramJudged || e.param === f.param));
  if (status === exp.statuses[0] && matches) return pass(`${status} with code ${JSON.stringify(e.code)}, param ${paramJudged ? JSON.stringify(e.param) : '(absent)'}`, ex);
  const seen = `${status} with code ${JSON.stringify(e.code)}, param ${'param' in e ? JSON.stringify(e.param) : '(absent)'}, type ${JSON.stringify(e.type)}`;
  return fail(expected, seen, [ex], 'OpenAI fidelity: clients that read code/param/type (SDK APIError fields, facts §3.3) see different values than from OpenAI.');
}

function observedCode(ex: Exchange): string {
  const parsed = parseJson(ex);
  if (!parsed.ok || !isObject(parsed.value) || !isObject(parsed.value.error)) return '';
  const e = parsed.value.error;
  if ('code' in e && 'param' in e) return ` (code ${JSON.stringify(e.code)}, param ${JSON.stringify(e.param)})`;
  if ('code' in e) return ` (code ${JSON.stringify(e.code)})`;
  return '';
}

/**
 * A generation the checks can read: 200 and a JSON body. Otherwise the failure every dependent
 * check reports (they could not look, so they cannot pass).
 */
export function generationFailure(gen: Generation, expected: string): Outcome | undefined {
  const ex = gen.exchange;
  if (!ex.response) return fail(expected, `the ${gen.kind} request got ${describe(ex)}`, [ex]);
  if (ex.response.status !== 200) {
    const notImplemented = ex.response.status === 404 || ex.response.status === 501;
    return fail(
      expected,
      `the ${gen.kind} request was answered ${describe(ex)}`,
      [ex],
      notImplemented && gen.request.operation !== 'createImage' ? `${gen.request.operation}: endpoint not implemented (${ex.response.status}).` : undefined,
    );
  }
  const parsed = parseJson(ex);
  if (!parsed.ok) return fail(expected, `the ${gen.kind} response body is ${parsed.error}`, [ex]);
  return undefined;
}

/** The parsed JSON body of a generation already judged readable. */
export function body(gen: Generation): Record<string, unknown> {
  const parsed = parseJson(gen.exchange);
  return parsed.ok && isObject(parsed.value) ? parsed.value : {};
}

/** `judge` on the body of a readable generation; an unreadable one fails as `generationFailure` says. */
export function judgeBody(gen: Generation, expected: string, judge: (body: Record<string, unknown>) => Outcome): Outcome {
  return generationFailure(gen, expected) ?? judge(body(gen));
}

/**
 * The first `shown` schema problems as `path message`. Under `at` (the name of the value validated),
 * paths read relative to it and the value's own root is just `at`.
 */
export function schemaProblemsText(problems: SchemaProblem[], shown: number, at?: string): string {
  const where = (path: string) => (at === undefined ? path : `${at}${path === '/' ? '' : path}`);
  return problems
    .slice(0, shown)
    .map((p) => `${where(p.path)} ${p.message}`)
    .join('; ');
}

/** The failure of a generation that is unreadable or whose body is not a valid `schema`; undefined when it is. */
export function invalidBody(gen: Generation, validator: SpecValidator, schema: string, expected: string, shown: number): Outcome | undefined {
  const failure = generationFailure(gen, expected);
  if (failure) return failure;
  const problems = validator.problems(schema, body(gen));
  return problems.length ? fail(expected, schemaProblemsText(problems, shown), [gen.exchange]) : undefined;
}

export { excerpt };
