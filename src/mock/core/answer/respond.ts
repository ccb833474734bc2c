// Writing answers: JSON, contract errors, image bytes and the head of an event stream, each with
// the headers every answer carries (x-request-id, openai-processing-ms, CORS, rate limits).
import { buildError, type ErrorVars } from '../../../contract/errors.js';
import { CORS_HEADERS } from '../route/cors.js';
import type { RequestContext } from '../request-context.js';

function head(ctx: RequestContext, status: number, extra: readonly (string | number)[]): boolean {
  const { res } = ctx;
  if (res.headersSent || res.destroyed) return false;
  const headers: (string | number)[] = ['x-request-id', ctx.requestId, 'openai-processing-ms', ctx.elapsedMs()];
  for (let i = 0; i < CORS_HEADERS.length; i++) headers.push(CORS_HEADERS[i]!);
  for (let i = 0; i < ctx.headers.length; i++) headers.push(ctx.headers[i]!);
  for (let i = 0; i < extra.length; i++) headers.push(extra[i]!);
  if (ctx.closeConnection) headers.push('connection', 'close');
  res.writeHead(status, headers as string[]);
  return true;
}

export function sendJson(ctx: RequestContext, status: number, body: unknown): void {
  sendJsonText(ctx, status, JSON.stringify(body));
}

/** A JSON answer already serialised. */
export function sendJsonText(ctx: RequestContext, status: number, text: string): void {
  if (head(ctx, status, ['content-type', 'application/json', 'content-length', Buffer.byteLength(text)])) ctx.res.end(text);
}

/** A contract error by kind (components/examples `x-error`), in the request's envelope. */
export function sendError(ctx: RequestContext, kind: string, vars: ErrorVars & { param?: string | null } = {}): void {
  const built = buildError(kind, vars, { envelope: ctx.envelope, requestId: ctx.requestId });
  sendJson(ctx, built.status, built.body);
}

export function sendBytes(ctx: RequestContext, status: number, contentType: string, bytes: Uint8Array, extra: readonly (string | number)[] = []): void {
  if (head(ctx, status, ['content-type', contentType, 'content-length', bytes.length, ...extra])) ctx.res.end(bytes);
}

export function sendEmpty(ctx: RequestContext, status: number, extra: readonly (string | number)[] = []): void {
  if (head(ctx, status, ['content-length', 0, ...extra])) ctx.res.end();
}

/** Starts a `text/event-stream` answer; false when the client is already gone. */
export function startEventStream(ctx: RequestContext): boolean {
  const ok = head(ctx, 200, ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache', 'x-accel-buffering', 'no']);
  if (ok) ctx.res.flushHeaders();
  return ok;
}

/** One server-sent event (`event:` line and one `data:` line); false when the client is gone. */
export function writeEvent(ctx: RequestContext, event: string, data: unknown): boolean {
  const { res } = ctx;
  if (res.destroyed || res.writableEnded) return false;
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  return true;
}
