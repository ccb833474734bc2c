// Request bodies: the Content-Type an operation takes (from the spec's requestBody) and JSON read
// within a byte limit. A declared Content-Length over the limit is refused before reading; a
// chunked body is counted while it streams and reading stops at the limit, so memory stays bounded.
import type { IncomingMessage } from 'node:http';
import { operation, type JsonObject } from '../../../contract/spec.js';
import { orList, show } from '../wording.js';

export interface BodyProblem {
  kind: string;
  vars: Record<string, string | number | null>;
  /** The rest of the body was not read: answer with `connection: close`. */
  unread?: boolean;
}

/** The media type of a Content-Type header, lower-cased without parameters ('' when absent). */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

const mediaTypes = new Map<string, string[]>();
const schemas = new Map<string, string>();

/** The request media types of an operation, in spec order. */
export function requestMediaTypes(operationId: string): string[] {
  let known = mediaTypes.get(operationId);
  if (!known) {
    const body = operation(operationId).operation.requestBody as { content?: JsonObject } | undefined;
    mediaTypes.set(operationId, (known = Object.keys(body?.content ?? {})));
  }
  return known;
}

export function unsupportedMediaType(contentType: string | undefined, allowed: readonly string[]): BodyProblem {
  return { kind: 'unsupported_media_type', vars: { value: show(contentType ?? '', 128), allowed: orList(allowed) } };
}

export function tooLarge(limit: number): BodyProblem {
  return { kind: 'request_too_large', vars: { max: limit }, unread: true };
}

/** Content-Length over `limit` (checked before reading anything). */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

// Reading state lives on the request and the listeners are module functions (EventEmitter calls
// them with the request as `this`): no closures per request on the hot path.
const reading = Symbol('imagegen-contract:reading');

interface Reading {
  chunks: Buffer[];
  total: number;
  limit: number;
  resolve(value: Buffer | BodyProblem): void;
}

type ReadingRequest = IncomingMessage & { [reading]?: Reading | undefined };

function finish(req: ReadingRequest, value: Buffer | BodyProblem): void {
  const state = req[reading];
  if (!state) return;
  req[reading] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onError);
  req.off('close', onClose);
  state.resolve(value);
}

function onData(this: ReadingRequest, chunk: Buffer): void {
  const state = this[reading];
  if (!state) return;
  state.total += chunk.length;
  if (state.total > state.limit) {
    state.chunks.length = 0;
    this.pause(); // stop reading: the answer goes out with connection: close
    this.on('error', ignore);
    finish(this, tooLarge(state.limit));
    return;
  }
  state.chunks.push(chunk);
}

function onEnd(this: ReadingRequest): void {
  const state = this[reading];
  if (state) finish(this, state.chunks.length === 1 ? state.chunks[0]! : Buffer.concat(state.chunks, state.total));
}

function onError(this: ReadingRequest): void {
  finish(this, { kind: 'malformed_json', vars: {}, unread: true });
}

function onClose(this: ReadingRequest): void {
  if (!this.complete) finish(this, { kind: 'malformed_json', vars: {}, unread: true });
}

function ignore(): void {}

/** Reads the whole body up to `limit` bytes; a longer one resolves to a 413 problem once the limit is passed. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | BodyProblem> {
  if (declaredTooLarge(req, limit)) return Promise.resolve(tooLarge(limit));
  return new Promise((resolve) => {
    (req as ReadingRequest)[reading] = { chunks: [], total: 0, limit, resolve };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

export function isBodyProblem(value: unknown): value is BodyProblem {
  return typeof value === 'object' && value !== null && 'kind' in value && !Buffer.isBuffer(value);
}

/** The component schema name of an operation's request body for a media type (from its $ref). */
export function requestSchema(operationId: string, media: string): string {
  const key = `${operationId} ${media}`;
  const known = schemas.get(key);
  if (known) return known;
  const body = operation(operationId).operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined;
  const ref = body?.content?.[media]?.schema?.$ref;
  if (!ref) throw new Error(`operation ${operationId} takes no ${media} body in the spec`);
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  schemas.set(key, name);
  return name;
}
