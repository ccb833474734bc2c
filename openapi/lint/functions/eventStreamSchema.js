// imagegen-event-stream-schema: a text/event-stream body is a string on the wire, so the schema of
// each `data:` payload is named by `x-event-schema` (a local pointer into components.schemas). The
// mock, the suite and the examples test validate events against it; it must exist.
import { deref, operations } from './lib/openapi.js';

export default function eventStreamSchema(doc) {
  const results = [];
  for (const { route, method, operation, path } of operations(doc)) {
    for (const [status, raw] of Object.entries(operation.responses ?? {})) {
      const { node: response, path: responsePath } = deref(doc, raw, [...path, 'responses', status]);
      const media = response?.content?.['text/event-stream'];
      if (!media) continue;
      const at = [...responsePath, 'content', 'text/event-stream'];
      const pointer = media['x-event-schema'];
      if (typeof pointer !== 'string' || !pointer.startsWith('#/components/schemas/')) {
        results.push({ message: `${method.toUpperCase()} ${route} ${status}: text/event-stream needs x-event-schema: '#/components/schemas/<Event>'.`, path: at });
        continue;
      }
      if (!deref(doc, { $ref: pointer }, []).node)
        results.push({ message: `x-event-schema '${pointer}' does not exist.`, path: [...at, 'x-event-schema'] });
    }
  }
  return results;
}
