// JSON pointers to the schemas of an operation's request and responses, following `$ref`ed
// response objects, so any validator can compile `#/...` straight into the bundled document.
import { spec, type JsonObject, type OpenApiDocument, type OperationInfo } from './spec.js';

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

export interface MediaSchema {
  /** JSON pointer to the schema inside the bundled spec. */
  pointer: string;
  /** For text/event-stream: pointer to the schema of each event's data (`x-event-schema`). */
  eventPointer?: string;
}

function resolveObject(pointer: string, doc: OpenApiDocument): { pointer: string; value: JsonObject } {
  let current = pointer;
  for (let hops = 0; hops < 8; hops++) {
    const value = current
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as JsonObject;
    if (value && typeof value.$ref === 'string' && value.$ref.startsWith('#/')) current = value.$ref;
    else return { pointer: current, value };
  }
  throw new Error(`$ref chain too long at ${pointer}`);
}

function mediaFor(contentPointer: string, content: JsonObject | undefined, contentType: string): MediaSchema | undefined {
  if (!content) return undefined;
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  const key = Object.keys(content).find((k) => k.toLowerCase() === base);
  if (!key) return undefined;
  const media = content[key] as JsonObject;
  const out: MediaSchema = { pointer: `${contentPointer}/${escape(key)}/schema` };
  if (typeof media['x-event-schema'] === 'string') out.eventPointer = media['x-event-schema'];
  return out;
}

/** The declared response for a status (exact code, then `4XX`-style range, then `default`). */
export function declaredResponse(op: OperationInfo, status: number, doc: OpenApiDocument = spec()): { pointer: string; value: JsonObject } | undefined {
  const base = `#/paths/${escape(op.path)}/${op.method.toLowerCase()}/responses`;
  const responses = (op.operation.responses ?? {}) as JsonObject;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
  return key ? resolveObject(`${base}/${key}`, doc) : undefined;
}

export function responseContentTypes(op: OperationInfo, status: number, doc: OpenApiDocument = spec()): string[] {
  const response = declaredResponse(op, status, doc);
  return Object.keys((response?.value.content as JsonObject | undefined) ?? {});
}

export function responseSchema(op: OperationInfo, status: number, contentType: string, doc: OpenApiDocument = spec()): MediaSchema | undefined {
  const response = declaredResponse(op, status, doc);
  if (!response) return undefined;
  return mediaFor(`${response.pointer}/content`, response.value.content as JsonObject | undefined, contentType);
}

export function requestSchema(op: OperationInfo, contentType: string, doc: OpenApiDocument = spec()): MediaSchema | undefined {
  const base = `#/paths/${escape(op.path)}/${op.method.toLowerCase()}/requestBody`;
  const body = resolveObject(base, doc);
  return mediaFor(`${body.pointer}/content`, body.value?.content as JsonObject | undefined, contentType);
}

/** Matches a concrete request path (below the base URL) to an operation of the spec. */
export function matchOperation(method: string, path: string, ops: OperationInfo[]): OperationInfo | undefined {
  const upper = method.toUpperCase();
  for (const op of ops) {
    if (op.method !== upper) continue;
    const pattern = new RegExp('^' + op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+').replace(/\{[^}]+\}/g, '[^/]+') + '/?$');
    if (pattern.test(path)) return op;
  }
  return undefined;
}
