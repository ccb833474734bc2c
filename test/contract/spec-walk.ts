// Test helpers that walk the bundled spec (generated/openapi.json): JSON pointers, local $refs,
// every media type, parameter, header and schema with the pointer a validator can compile.
import type { JsonObject, OpenApiDocument } from '../../src/contract/spec.js';

export type Path = Array<string | number>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `['paths', '/media/{token}', 'get']` -> `#/paths/~1media~1%7Btoken%7D/get` (a URI fragment Ajv resolves). */
export function pointer(path: Path): string {
  return '#/' + path.map((s) => encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

export function refPath(ref: string): string[] {
  return ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function at(doc: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), doc);
}

/** Follows local `$ref`s; returns the node and the path it really lives at. */
export function resolve(doc: OpenApiDocument, node: unknown, path: Path): { node: JsonObject; path: Path } {
  let current = node;
  let where = path;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 16; hops++) {
    where = refPath(current.$ref);
    current = at(doc, where);
  }
  if (!isObject(current)) throw new Error(`${pointer(path)} does not resolve to an object`);
  return { node: current, path: where };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface OperationRef {
  route: string;
  method: string;
  operation: JsonObject;
  path: Path;
}

export function operations(doc: OpenApiDocument): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [route, item] of Object.entries(doc.paths))
    for (const method of METHODS) {
      const operation = item[method];
      if (isObject(operation)) out.push({ route, method, operation, path: ['paths', route, method] });
    }
  return out;
}

export interface ResponseRef {
  operation: OperationRef;
  status: string;
  /** Where the response object really lives (a components.responses entry when referenced). */
  path: Path;
  response: JsonObject;
}

export function responses(doc: OpenApiDocument): ResponseRef[] {
  const out: ResponseRef[] = [];
  for (const operation of operations(doc))
    for (const [status, raw] of Object.entries((operation.operation.responses ?? {}) as JsonObject)) {
      const { node, path } = resolve(doc, raw, [...operation.path, 'responses', status]);
      out.push({ operation, status, path, response: node });
    }
  return out;
}

export interface MediaRef {
  mediaType: string;
  media: JsonObject;
  /** Path of the media type object (its schema is at [...path, 'schema']). */
  path: Path;
  /** The HTTP statuses of the responses it belongs to (empty for request bodies). */
  statuses: Set<number>;
  request: boolean;
}

/** Every media type object of request bodies and responses (once each, even when referenced from many operations). */
export function mediaTypes(doc: OpenApiDocument): MediaRef[] {
  const found = new Map<string, MediaRef>();
  const add = (content: unknown, base: Path, status: number | undefined, request: boolean) => {
    for (const [mediaType, media] of Object.entries(isObject(content) ? content : {})) {
      const path = [...base, 'content', mediaType];
      const key = pointer(path);
      const entry = found.get(key) ?? { mediaType, media: media as JsonObject, path, statuses: new Set<number>(), request };
      if (status !== undefined) entry.statuses.add(status);
      found.set(key, entry);
    }
  };
  for (const op of operations(doc))
    if (op.operation.requestBody) {
      const { node, path } = resolve(doc, op.operation.requestBody, [...op.path, 'requestBody']);
      add(node.content, path, undefined, true);
    }
  for (const r of responses(doc)) add(r.response.content, r.path, /^\d{3}$/.test(r.status) ? Number(r.status) : undefined, false);
  // Component responses and request bodies no operation uses still have examples to check.
  for (const [name, response] of Object.entries(doc.components.responses ?? {})) add(response.content, ['components', 'responses', name], undefined, false);
  for (const [name, body] of Object.entries((doc.components as JsonObject).requestBodies ?? {}))
    add((body as JsonObject).content, ['components', 'requestBodies', name], undefined, true);
  return [...found.values()];
}

/** Parameters (path-item and operation level, and components.parameters) and headers, each with a `schema`. */
export function parametersAndHeaders(doc: OpenApiDocument): Array<{ path: Path; node: JsonObject }> {
  const out = new Map<string, { path: Path; node: JsonObject }>();
  const add = (raw: unknown, path: Path) => {
    const resolved = resolve(doc, raw, path);
    out.set(pointer(resolved.path), resolved);
  };
  for (const [route, item] of Object.entries(doc.paths)) {
    ((item.parameters ?? []) as unknown[]).forEach((p, i) => add(p, ['paths', route, 'parameters', i]));
  }
  for (const op of operations(doc)) ((op.operation.parameters ?? []) as unknown[]).forEach((p, i) => add(p, [...op.path, 'parameters', i]));
  for (const r of responses(doc)) for (const [name, h] of Object.entries((r.response.headers ?? {}) as JsonObject)) add(h, [...r.path, 'headers', name]);
  for (const [name, p] of Object.entries((doc.components as JsonObject).parameters ?? {})) add(p, ['components', 'parameters', name]);
  for (const [name, h] of Object.entries(doc.components.headers ?? {})) add(h, ['components', 'headers', name]);
  return [...out.values()];
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLES = ['items', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'contentSchema'];

function walkSchema(schema: unknown, path: Path, visit: (schema: JsonObject, path: Path) => void): void {
  if (!isObject(schema)) return;
  visit(schema, path);
  for (const k of SCHEMA_MAPS) if (isObject(schema[k])) for (const [name, child] of Object.entries(schema[k])) walkSchema(child, [...path, k, name], visit);
  for (const k of SCHEMA_LISTS) if (Array.isArray(schema[k])) (schema[k] as unknown[]).forEach((child, i) => walkSchema(child, [...path, k, i], visit));
  for (const k of SCHEMA_SINGLES) walkSchema(schema[k], [...path, k], visit);
}

/** Every schema of the document (component schemas and the inline `schema` of media types, parameters, headers). */
export function forEachSchema(doc: OpenApiDocument, visit: (schema: JsonObject, path: Path) => void): void {
  const walk = (node: unknown, path: Path): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, [...path, i]));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-') || key === 'example' || key === 'examples') continue;
      if (key === 'schema') walkSchema(value, [...path, key], visit);
      else if (key === 'schemas' && path.length === 1 && path[0] === 'components')
        for (const [name, schema] of Object.entries(value as JsonObject)) walkSchema(schema, [...path, key, name], visit);
      else walk(value, [...path, key]);
    }
  };
  walk(doc, []);
}

/** The examples of a media type, parameter or header: `example` and each entry of `examples` (resolved). */
export function examplesOf(doc: OpenApiDocument, node: JsonObject, path: Path): Array<{ name: string; value: unknown; ref?: string; example?: JsonObject }> {
  const out: Array<{ name: string; value: unknown; ref?: string; example?: JsonObject }> = [];
  if ('example' in node) out.push({ name: 'example', value: node.example });
  for (const [name, raw] of Object.entries(isObject(node.examples) ? node.examples : {})) {
    const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
    const { node: example } = resolve(doc, raw, [...path, 'examples', name]);
    out.push({ name, value: example.value, example, ...(ref ? { ref } : {}) });
  }
  return out;
}

/** Server-sent events: `event:` and the joined `data:` lines of each blank-line-separated block. */
export function parseSse(text: string): Array<{ event?: string; data: string }> {
  const events: Array<{ event?: string; data: string }> = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n\n+/)) {
    if (block.trim() === '') continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    events.push({ ...(event !== undefined ? { event } : {}), data: data.join('\n') });
  }
  return events;
}
