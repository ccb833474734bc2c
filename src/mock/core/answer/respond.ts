// Every answer the core gives, as a Response: JSON, contract errors, image bytes, empty answers
// and event streams, each with the headers all answers carry (x-request-id, openai-processing-ms,
// CORS, rate limits, and connection: close after a body that was not read to its end).
import { buildError, type ErrorVars } from '../../../contract/errors.js';
import { CORS_HEADERS } from '../route/cors.js';
import type { RequestContext } from '../request-context.js';
import { answer, type AnswerBody } from './response.js';

function respond(ctx: RequestContext, status: number, extra: readonly string[], body: AnswerBody): Response {
  const headers: string[] = ['x-request-id', ctx.requestId, 'openai-processing-ms', String(ctx.elapsedMs())];
  for (let i = 0; i < CORS_HEADERS.length; i++) headers.push(CORS_HEADERS[i]!);
  for (let i = 0; i < ctx.headers.length; i++) headers.push(ctx.headers[i]!);
  for (let i = 0; i < extra.length; i++) headers.push(extra[i]!);
  if (ctx.closeConnection) headers.push('connection', 'close');
  return answer(status, headers, body);
}

export function json(ctx: RequestContext, status: number, body: unknown): Response {
  return jsonText(ctx, status, JSON.stringify(body));
}

/** A JSON answer already serialised. */
export function jsonText(ctx: RequestContext, status: number, text: string): Response {
  return respond(ctx, status, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(text))], text);
}

/** A contract error by kind (components/examples `x-error`), in the request's envelope. */
export function error(ctx: RequestContext, kind: string, vars: ErrorVars & { param?: string | null } = {}): Response {
  const built = buildError(kind, vars, { envelope: ctx.envelope, requestId: ctx.requestId });
  return json(ctx, built.status, built.body);
}

export function bytes(ctx: RequestContext, status: number, contentType: string, body: Uint8Array, extra: readonly string[] = []): Response {
  return respond(ctx, status, ['content-type', contentType, 'content-length', String(body.length), ...extra], body);
}

export function empty(ctx: RequestContext, status: number, extra: readonly string[] = []): Response {
  return respond(ctx, status, ['content-length', '0', ...extra], null);
}

/** A `text/event-stream` answer whose events `stream` produces. */
export function eventStream(ctx: RequestContext, stream: ReadableStream<Uint8Array>): Response {
  return respond(ctx, 200, ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache', 'x-accel-buffering', 'no'], stream);
}

/** One server-sent event (`event:` line and one `data:` line) as bytes. */
export function eventBytes(event: string, data: unknown): Uint8Array {
  return Buffer.from(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, 'utf8');
}

/** The answer to a client that went away while the mock waited (nobody reads it; nginx's 499). */
export function clientGone(ctx: RequestContext): Response {
  ctx.closeConnection = true;
  return empty(ctx, 499);
}
