// Request bodies: the Content-Type an operation takes (from the spec's requestBody) and the bytes
// of a body read within a byte limit. A declared Content-Length over the limit is refused before
// reading; any other body is counted while it streams and reading stops at the limit (the stream
// is cancelled), so memory stays bounded. An adapter that can read its platform's body faster
// than through a ReadableStream offers that under READ_CAPPED (node/ does).
import { operation, type JsonObject } from '../../../contract/spec.js';
import { orList, show } from '../wording.js';

export interface BodyProblem {
  kind: string;
  vars: Record<string, string | number | null>;
  /** The connection broke while reading: answer with `connection: close`. */
  unread?: boolean;
  /** The body is refused unread: drop the rest as it arrives (see discardRest). */
  discard?: boolean;
}

/** `request[READ_CAPPED](limit)`: the whole body, or a problem once `limit` is passed (undefined: read the stream). */
export const READ_CAPPED = Symbol.for('imagegen-contract.read-capped');

type CappedReader = (limit: number) => Promise<Uint8Array | BodyProblem> | undefined;

/** The media type of a Content-Type header, lower-cased without parameters ('' when absent). */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

const mediaTypes = new Map<string, string[]>();
/** Operation, then media type: the schema name (read from the spec once). */
const schemas = new Map<string, Map<string, string>>();

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
  return { kind: 'request_too_large', vars: { max: limit }, discard: true };
}

/** Bytes of a refused body an adapter drops at most (beyond the body limit) before closing the connection anyway. */
export const MIN_DISCARD_BYTES = 16 * 1024 * 1024;

/**
 * Gives up on the rest of a refused body: its stream is cancelled, and the node adapter then reads
 * and drops what still arrives, so the client reads the answer (closing while it is still sending
 * makes its TCP stack see a reset, which can throw away the unread 413) and past
 * max(body limit, MIN_DISCARD_BYTES) more bytes closes the socket all the same.
 */
export function discardRest(request: Request): void {
  const body = request.body;
  if (body && !body.locked) void body.cancel().catch(() => {});
}

/** A body that broke off (the connection closed or failed before its end). */
export function truncated(): BodyProblem {
  return { kind: 'malformed_json', vars: {}, unread: true };
}

/** Content-Length over `limit` (checked before reading anything). */
export function declaredTooLarge(request: Request, limit: number): boolean {
  const declared = request.headers.get('content-length');
  return declared !== null && Number(declared) > limit;
}

/** Reads the whole body up to `limit` bytes; a longer one resolves to a 413 problem once the limit is passed. */
export function readBody(request: Request, limit: number): Promise<Uint8Array | BodyProblem> {
  if (declaredTooLarge(request, limit)) return Promise.resolve(tooLarge(limit));
  // The adapter's own reader, handed on as is (an async wrapper would cost two more microtask turns).
  const fast = (request as { [READ_CAPPED]?: CappedReader })[READ_CAPPED]?.call(request, limit);
  return fast ?? readStream(request, limit);
}

async function readStream(request: Request, limit: number): Promise<Uint8Array | BodyProblem> {
  const body = request.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        void reader.cancel().catch(() => {});
        return tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch {
    return truncated();
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

export function isBodyProblem(value: unknown): value is BodyProblem {
  return typeof value === 'object' && value !== null && 'kind' in value && !(value instanceof Uint8Array);
}

/** The component schema name of an operation's request body for a media type (from its $ref). */
export function requestSchema(operationId: string, media: string): string {
  let byMedia = schemas.get(operationId);
  if (!byMedia) schemas.set(operationId, (byMedia = new Map()));
  const known = byMedia.get(media);
  if (known) return known;
  const body = operation(operationId).operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined;
  const ref = body?.content?.[media]?.schema?.$ref;
  if (!ref) throw new Error(`operation ${operationId} takes no ${media} body in the spec`);
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  byMedia.set(media, name);
  return name;
}
