// The two errors the client throws: the server said no (`ImagesApiError`), or the server said yes
// with something the contract does not allow (`ResponseValidationError`).
import type { SchemaProblem } from '../contract/validator.js';

export type ErrorEnvelope = 'openai' | 'native' | 'none';

type JsonRecord = Record<string, unknown>;
const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * An error answer: a non-2xx response, an error event inside an event stream, or an error envelope
 * in a 2xx body. Reads OpenAI's `{error: {message, type, param, code}}` and ref 000's native
 * `{status: "error", error: {code, message, request_id?}}`; any other body is kept as it came.
 */
export class ImagesApiError extends Error {
  override readonly name = 'ImagesApiError';
  /** HTTP status; undefined for an error event inside a stream that had started with 200. */
  readonly status: number | undefined;
  /** `error.code` of either envelope (`rate_limit_exceeded`, `VALIDATION_ERROR`, ...). */
  readonly code: string | null;
  readonly param: string | null;
  readonly type: string | null;
  /** From the `x-request-id` header, else the native envelope's `error.request_id`. */
  readonly requestId: string | null;
  /** The parsed JSON body, or the raw text when it was not JSON (undefined when empty). */
  readonly body: unknown;
  readonly envelope: ErrorEnvelope;
  readonly headers: Headers | undefined;

  constructor(init: { status: number | undefined; body: unknown; headers?: Headers }) {
    const { status, body, headers } = init;
    const read = readEnvelope(body);
    const requestId = headers?.get('x-request-id') ?? read.requestId;
    const prefix = status === undefined ? '' : `${status} `;
    super(read.message !== undefined ? `${prefix}${read.message}` : status === undefined ? 'error event (no body)' : `${status} status code (no body)`);
    this.status = status;
    this.code = read.code;
    this.param = read.param;
    this.type = read.type;
    this.requestId = requestId;
    this.body = body;
    this.envelope = read.envelope;
    this.headers = headers;
  }
}

function readEnvelope(body: unknown): {
  envelope: ErrorEnvelope;
  message: string | undefined;
  code: string | null;
  param: string | null;
  type: string | null;
  requestId: string | null;
} {
  const none = { envelope: 'none' as const, code: null, param: null, type: null, requestId: null };
  if (body === undefined || body === '') return { ...none, message: undefined };
  if (typeof body === 'string') return { ...none, message: body.length > 2000 ? `${body.slice(0, 2000)}…` : body };
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    const message = typeof e.message === 'string' ? e.message : JSON.stringify(body);
    if (body.status === 'error') {
      return { envelope: 'native', message, code: stringOrNull(e.code), param: null, type: null, requestId: stringOrNull(e.request_id) };
    }
    return { envelope: 'openai', message, code: stringOrNull(e.code), param: stringOrNull(e.param), type: stringOrNull(e.type), requestId: null };
  }
  // Gateways that answer `{"error": "text"}`: keep the text as the message.
  if (isRecord(body) && typeof body.error === 'string') return { ...none, message: body.error };
  return { ...none, message: JSON.stringify(body) };
}

/** True when a parsed body carries an error envelope (OpenAI's, ref 000's, or `{error: "text"}`). */
export function isErrorEnvelope(body: unknown): boolean {
  return isRecord(body) && (isRecord(body.error) || typeof body.error === 'string' || body.status === 'error');
}

/**
 * A 2xx answer that breaks the contract: not JSON where JSON is declared, not an event stream where
 * one was asked for, malformed JSON, a stream without its completed event, or (with
 * `validateResponses`) a body the spec's schema rejects. `problems` lists what is wrong.
 */
export class ResponseValidationError extends Error {
  override readonly name = 'ResponseValidationError';
  readonly operationId: string;
  readonly status: number;
  readonly problems: SchemaProblem[];
  readonly body: unknown;
  readonly requestId: string | null;

  constructor(init: { operationId: string; status: number; problems: SchemaProblem[]; body: unknown; headers?: Headers; what?: string }) {
    const list = init.problems.map((p) => (p.path === '/' ? p.message : `${p.path} ${p.message}`)).join('; ');
    super(`${init.operationId}: ${init.what ?? 'response'} does not match the contract: ${list}`);
    this.operationId = init.operationId;
    this.status = init.status;
    this.problems = init.problems;
    this.body = init.body;
    this.requestId = init.headers?.get('x-request-id') ?? null;
  }
}

/** A one-line problem for failures that are not schema keywords (content type, JSON syntax, stream shape). */
export function problem(keyword: string, message: string, path = '/'): SchemaProblem {
  return { path, message, keyword, params: {} };
}
