// The bundled OpenAPI document (generated/openapi.json) and lookups into it.
import { readGeneratedJson } from './files.js';

export type JsonObject = { [key: string]: unknown };

export interface OpenApiDocument extends JsonObject {
  openapi: string;
  paths: Record<string, Record<string, JsonObject>>;
  components: {
    schemas: Record<string, JsonObject>;
    responses: Record<string, JsonObject>;
    examples: Record<string, ExampleObject>;
    headers: Record<string, JsonObject>;
  };
}

export interface ExampleObject extends JsonObject {
  summary?: string;
  value: unknown;
  'x-error'?: { kind: string; status: number; native?: string; template?: string; alternatives?: ErrorAlternative[] };
}

/** Another answer OpenAI gives for the same fault (`x-error.alternatives`); no `param`: the example's. */
export interface ErrorAlternative {
  code: string | null;
  param?: string | null;
  type?: string;
}

export interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  operation: JsonObject;
}

let cached: OpenApiDocument | undefined;

export function spec(): OpenApiDocument {
  cached ??= readGeneratedJson<OpenApiDocument>('openapi.json');
  return cached;
}

export function operations(doc: OpenApiDocument = spec()): OperationInfo[] {
  const out: OperationInfo[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation === 'object' && operation && typeof operation.operationId === 'string')
        out.push({ operationId: operation.operationId, method: method.toUpperCase(), path, operation });
    }
  }
  return out;
}

export function operation(operationId: string, doc: OpenApiDocument = spec()): OperationInfo {
  const found = operations(doc).find((o) => o.operationId === operationId);
  if (!found) throw new Error(`no operation '${operationId}' in the spec`);
  return found;
}

/** Follows a local `$ref` (`#/components/...`) once; returns the value itself when it is not a ref. */
export function deref<T = JsonObject>(value: unknown, doc: OpenApiDocument = spec()): T {
  let current = value as JsonObject;
  while (current && typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as JsonObject)[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as JsonObject;
  }
  return current as T;
}

/** The enum-like `oneOf: [{const, description, x-status}]` vocabularies (ErrorCode, NativeErrorCode). */
export function constVocabulary(
  schemaName: string,
  doc: OpenApiDocument = spec(),
): Array<{ value: string; status: number; description: string; contractual?: string }> {
  const schema = doc.components.schemas[schemaName] as { oneOf?: Array<{ const: string; description: string; 'x-status': number; 'x-contractual'?: string }> };
  if (!schema?.oneOf) throw new Error(`schema ${schemaName} is not a const vocabulary`);
  return schema.oneOf.map((c) => ({ value: c.const, status: c['x-status'], description: c.description, ...(c['x-contractual'] ? { contractual: c['x-contractual'] } : {}) }));
}

/**
 * The component schema name behind a request parameter (`quality` -> `ImageQuality`), read from the
 * request schemas' properties (through `anyOf: [$ref, null]`), so no code keeps its own mapping.
 */
export function requestParamSchemaName(
  param: string,
  requestSchemas: readonly string[] = ['CreateImageRequest', 'EditImageJsonRequest'],
  doc: OpenApiDocument = spec(),
): string | undefined {
  for (const name of requestSchemas) {
    const property = (doc.components.schemas[name]?.properties as Record<string, JsonObject> | undefined)?.[param];
    if (!property) continue;
    const candidates = [property, ...((property.anyOf as JsonObject[] | undefined) ?? [])];
    const ref = candidates.map((c) => c.$ref).find((r): r is string => typeof r === 'string' && r.startsWith('#/components/schemas/'));
    if (ref) return ref.slice('#/components/schemas/'.length);
  }
  return undefined;
}

/** The enum values the spec allows for a request parameter, or undefined when it is not an enum. */
export function requestParamEnum(param: string, doc: OpenApiDocument = spec()): string[] | undefined {
  const name = requestParamSchemaName(param, undefined, doc);
  const values = name ? (doc.components.schemas[name]?.enum as string[] | undefined) : undefined;
  return values ? [...values] : undefined;
}
