// imagegen-operation-documented: every operation has an operationId, a summary and tags, and an
// example for every request-body media type and every response media type - except raw image bytes
// (image/*, application/octet-stream, format: binary), which have no meaningful textual example.
import { deref, isBinaryMediaType, operations } from './lib/openapi.js';

const hasExample = (media) =>
  media.example !== undefined || (media.examples && typeof media.examples === 'object' && Object.keys(media.examples).length > 0);

export default function operationDocumented(doc) {
  const results = [];
  for (const { route, method, operation, path } of operations(doc)) {
    const name = `${method.toUpperCase()} ${route}`;
    if (typeof operation.operationId !== 'string' || operation.operationId.trim() === '')
      results.push({ message: `${name} has no operationId.`, path });
    if (typeof operation.summary !== 'string' || operation.summary.trim() === '')
      results.push({ message: `${name} has no summary.`, path });
    if (!Array.isArray(operation.tags) || operation.tags.length === 0) results.push({ message: `${name} has no tags.`, path });

    if (operation.requestBody) {
      const { node: body } = deref(doc, operation.requestBody, [...path, 'requestBody']);
      for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
        if (!hasExample(media ?? {}))
          results.push({ message: `${name} request body ${mediaType} has no example.`, path: [...path, 'requestBody', 'content', mediaType] });
      }
    }
    for (const [status, raw] of Object.entries(operation.responses ?? {})) {
      if (status.startsWith('x-')) continue;
      const { node: response, path: responsePath } = deref(doc, raw, [...path, 'responses', status]);
      for (const [mediaType, media] of Object.entries(response?.content ?? {})) {
        const schema = deref(doc, media?.schema, []).node;
        if (isBinaryMediaType(mediaType, { schema }) || hasExample(media ?? {})) continue;
        results.push({ message: `${name} response ${status} ${mediaType} has no example.`, path: [...responsePath, 'content', mediaType] });
      }
    }
  }
  return results;
}
