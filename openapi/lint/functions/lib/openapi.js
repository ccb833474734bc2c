// Shared helpers of the project's Spectral functions: local $ref resolution, operation and schema
// traversal over the *unresolved* document (so each component is visited, and reported, once).

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The JSON path of a local `$ref` (`#/components/schemas/X` -> ['components', 'schemas', 'X']). */
export function refPath(ref) {
  return ref
    .slice(2)
    .split('/')
    .map((key) => decodeURIComponent(key).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a JSON path, or undefined. */
export function at(doc, path) {
  return path.reduce((parent, key) => (parent && typeof parent === 'object' ? parent[key] : undefined), doc);
}

/** Follows local `$ref`s (`#/...`) until a non-ref node; returns the node and the path it came from. */
export function deref(doc, node, path) {
  let current = node;
  let where = path;
  const seen = new Set();
  while (current && typeof current === 'object' && typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
    if (seen.has(current.$ref)) break;
    seen.add(current.$ref);
    where = refPath(current.$ref);
    current = at(doc, where);
  }
  return { node: current, path: where };
}

/** Every operation of `paths` (and `webhooks`) with its JSON path. */
export function* operations(doc) {
  for (const section of ['paths', 'webhooks']) {
    const items = doc?.[section];
    if (!items || typeof items !== 'object') continue;
    for (const [route, rawItem] of Object.entries(items)) {
      const item = deref(doc, rawItem, [section, route]).node;
      if (!item || typeof item !== 'object') continue;
      for (const method of METHODS) {
        const operation = item[method];
        if (operation && typeof operation === 'object') yield { route, method, operation, path: [section, route, method] };
      }
    }
  }
}

/** Every response of every operation, dereferenced, with the path of its status key in the operation. */
export function* responses(doc) {
  for (const op of operations(doc)) {
    const responsesObject = op.operation.responses;
    if (!responsesObject || typeof responsesObject !== 'object') continue;
    for (const [status, raw] of Object.entries(responsesObject)) {
      if (status.startsWith('x-')) continue;
      const { node } = deref(doc, raw, [...op.path, 'responses', status]);
      if (node && typeof node === 'object') yield { ...op, status, response: node, path: [...op.path, 'responses', status] };
    }
  }
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLES = [
  'items', 'additionalItems', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'not', 'if', 'then',
  'else', 'contains', 'propertyNames', 'contentSchema',
];

function walkSchema(schema, path, visit) {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  visit(schema, path);
  for (const keyword of SCHEMA_MAPS) {
    const map = schema[keyword];
    if (map && typeof map === 'object' && !Array.isArray(map))
      for (const [name, child] of Object.entries(map)) walkSchema(child, [...path, keyword, name], visit);
  }
  for (const keyword of SCHEMA_LISTS) {
    if (Array.isArray(schema[keyword])) schema[keyword].forEach((child, i) => walkSchema(child, [...path, keyword, i], visit));
  }
  for (const keyword of SCHEMA_SINGLES) {
    const child = schema[keyword];
    if (Array.isArray(child)) child.forEach((c, i) => walkSchema(c, [...path, keyword, i], visit));
    else walkSchema(child, [...path, keyword], visit);
  }
}

/**
 * Calls `visit(schema, path)` for every Schema object of the document: `components.schemas`, every
 * `schema` of parameters, headers and media types, and their subschemas. Examples, defaults and
 * `x-` extensions are data, not schemas, and are skipped.
 */
export function forEachSchema(doc, visit) {
  const walk = (node, path) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, [...path, i]));
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-') || key === 'example' || key === 'examples') continue;
      if (key === 'schema') walkSchema(value, [...path, key], visit);
      else if (key === 'schemas' && path.length === 1 && path[0] === 'components') {
        for (const [name, schema] of Object.entries(value ?? {})) walkSchema(schema, [...path, key, name], visit);
      } else walk(value, [...path, key]);
    }
  };
  walk(doc, []);
}

/** The `type` keyword as a list (`type: string` and `type: [string, 'null']` alike). */
export function types(schema) {
  if (typeof schema.type === 'string') return [schema.type];
  return Array.isArray(schema.type) ? schema.type : [];
}

/** A media type whose body is raw image bytes (no JSON or text to give an example of). */
export function isBinaryMediaType(mediaType, media) {
  if (/^image\//.test(mediaType) || mediaType === 'application/octet-stream') return true;
  const schema = media?.schema;
  return Boolean(schema && (schema.format === 'binary' || /^(image\/|application\/octet-stream)/.test(schema.contentMediaType ?? '')));
}
