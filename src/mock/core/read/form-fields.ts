// Turns multipart text fields (always strings, possibly repeated) into the JSON body the spec's
// request schema describes, reading each property's type from the schema itself:
// - a value becomes a number or boolean only when the property cannot be a string and the text
//   parses cleanly (`2`, `-1`, `0.5`, `true`, `false`); otherwise it stays a string, so schema
//   validation reports `invalid_type` for `n=two` just as OpenAI does;
// - a property that can only be an array (`image[]`) always gets every value, in order; one that
//   can be a scalar or an array (`image`) gets the value when sent once and an array when repeated;
// - a repeated scalar property keeps the LAST value (as most form parsers do); the SDKs never repeat
//   scalars, so this only matters for hand-made requests;
// - a field the schema does not declare stays a string (last value), or an array of strings when
//   its name ends in `[]`; the caller decides whether unknown parameters are an error.
import { deref, spec, type JsonObject } from '../../../contract/spec.js';

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'array' | 'object';

interface FieldShape {
  /** Scalar JSON types the property may take (of itself, or of its items when it is an array). */
  scalar: Set<JsonType>;
  /** The types allowed for array items, when the property may be an array. */
  items?: Set<JsonType>;
}

const cache = new Map<string, Map<string, FieldShape>>();

/** All JSON types a (sub)schema admits, following `$ref`, `anyOf`, `oneOf`, `allOf`, `const`, `enum`. */
function collectTypes(schema: unknown, into: { scalar: Set<JsonType>; items?: Set<JsonType> }, path = new Set<unknown>()): void {
  const node = deref<JsonObject>(schema);
  if (!node || typeof node !== 'object' || path.has(node)) return; // a recursive schema adds nothing new
  path.add(node);
  const types = typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? (node.type as string[]) : [];
  for (const t of types) {
    if (t === 'array') {
      const items = { scalar: new Set<JsonType>() };
      collectTypes(node.items, items, path);
      into.items ??= new Set();
      for (const it of items.scalar) into.items.add(it);
    } else {
      into.scalar.add(t as JsonType);
    }
  }
  const literals = 'const' in node ? [node.const] : Array.isArray(node.enum) ? node.enum : [];
  for (const v of literals) into.scalar.add(v === null ? 'null' : Number.isInteger(v) ? 'integer' : (typeof v as JsonType));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches)) for (const branch of branches) collectTypes(branch, into, path);
  }
  path.delete(node);
}

function shapesOf(schemaName: string): Map<string, FieldShape> {
  const known = cache.get(schemaName);
  if (known) return known;
  const schema = spec().components.schemas[schemaName];
  if (!schema) throw new Error(`no schema '${schemaName}' in the spec`);
  const shapes = new Map<string, FieldShape>();
  const properties = (deref<JsonObject>(schema).properties ?? {}) as Record<string, unknown>;
  for (const [name, property] of Object.entries(properties)) {
    const shape: FieldShape = { scalar: new Set() };
    collectTypes(property, shape);
    shapes.set(name, shape);
  }
  cache.set(schemaName, shapes);
  return shapes;
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** The typed value of one form string, given the JSON types it may take (empty set: unknown, keep the text). */
function coerce(text: string, types: Set<JsonType>): unknown {
  if (types.size === 0 || types.has('string')) return text;
  if (types.has('integer') && INTEGER.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  if (types.has('number') && NUMBER.test(text) && Number.isFinite(Number(text))) return Number(text);
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** The request body a schema expects, built from multipart text fields (see the rules above). */
export function coerceFormFields(fields: Record<string, string[]>, schemaName: string): { body: Record<string, unknown> } {
  const shapes = shapesOf(schemaName);
  // Null prototype: a field named `__proto__` stays an own key (an unknown parameter), not a setter.
  const body: Record<string, unknown> = Object.create(null);
  for (const [name, values] of Object.entries(fields)) {
    if (values.length === 0) continue;
    const shape = shapes.get(name);
    if (!shape) {
      body[name] = name.endsWith('[]') ? [...values] : values[values.length - 1];
      continue;
    }
    const arrayOnly = shape.items !== undefined && shape.scalar.size === 0;
    const arrayAllowed = shape.items !== undefined;
    if (arrayOnly || (arrayAllowed && values.length > 1)) {
      body[name] = values.map((v) => coerce(v, shape.items!));
    } else {
      body[name] = coerce(values[values.length - 1]!, shape.scalar);
    }
  }
  return { body };
}
