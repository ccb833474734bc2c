// imagegen-error-envelope: every 4xx/5xx (and `default`) response of an operation has a body, and
// each of its media types is one of the contract's error envelopes - a $ref to an envelope schema,
// or a oneOf/anyOf whose every branch is one (possibly through further $refs).
import { at, refPath, responses } from './lib/openapi.js';

const ERROR_STATUS = /^([45](\d\d|XX)|default)$/;

function isEnvelope(doc, schema, envelopes, depth = 0) {
  if (!schema || typeof schema !== 'object' || depth > 8) return false;
  if (typeof schema.$ref === 'string') {
    if (envelopes.includes(schema.$ref)) return true;
    return schema.$ref.startsWith('#/') && isEnvelope(doc, at(doc, refPath(schema.$ref)), envelopes, depth + 1);
  }
  const branches = schema.oneOf ?? schema.anyOf;
  return Array.isArray(branches) && branches.length > 0 && branches.every((b) => isEnvelope(doc, b, envelopes, depth + 1));
}

export default function errorEnvelope(doc, options) {
  const envelopes = options?.envelopes ?? ['#/components/schemas/ErrorResponse', '#/components/schemas/NativeErrorResponse'];
  const names = envelopes.map((e) => e.split('/').pop()).join(' or ');
  const results = [];
  for (const { route, method, status, response, path } of responses(doc)) {
    if (!ERROR_STATUS.test(status)) continue;
    const content = response.content;
    if (!content || typeof content !== 'object' || Object.keys(content).length === 0) {
      results.push({ message: `${method.toUpperCase()} ${route} ${status}: error response has no body; use ${names}.`, path });
      continue;
    }
    for (const [mediaType, media] of Object.entries(content)) {
      if (!isEnvelope(doc, media?.schema, envelopes))
        results.push({
          message: `${method.toUpperCase()} ${route} ${status} ${mediaType}: error body must be ${names} (via $ref, oneOf or anyOf).`,
          path: [...path, 'content', mediaType],
        });
    }
  }
  return results;
}
