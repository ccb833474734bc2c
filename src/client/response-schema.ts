// Which spec schema a success body (or one stream event) must match, found in the bundled spec by
// operationId, status and media type; and the check behind `validateResponses: true`.
import { operation, deref, type JsonObject } from '../contract/spec.js';
import { specValidator, type SchemaProblem } from '../contract/validator.js';
import { problem } from './errors.js';

const pointerSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * JSON pointer of the schema for `operationId`'s `status` answer in `mediaType`, or the problem that
 * there is none. For `text/event-stream` it is the schema of one event (the media type's `x-event-schema`).
 */
export function responseSchemaRef(operationId: string, status: number, mediaType: string): string | SchemaProblem {
  const { path, method, operation: op } = operation(operationId);
  const responses = (op.responses ?? {}) as Record<string, JsonObject>;
  const code = [String(status), `${String(status)[0]}XX`, 'default'].find((c) => c in responses);
  if (!code) return problem('status', `status ${status} is not declared for ${operationId}`);
  const declared = responses[code]!;
  // A bundled response is inline or a `$ref` to components/responses; point at wherever it lives.
  const at = typeof declared.$ref === 'string' ? declared.$ref : `#/paths/${pointerSegment(path)}/${method.toLowerCase()}/responses/${code}`;
  const media = (deref<JsonObject>(declared).content as Record<string, JsonObject> | undefined)?.[mediaType];
  if (!media) return problem('contentType', `content type '${mediaType}' is not declared for ${operationId} ${status}`);
  if (mediaType === 'text/event-stream') {
    const eventSchema = media['x-event-schema'];
    return typeof eventSchema === 'string' ? eventSchema : problem('contentType', `${operationId} declares no x-event-schema for its event stream`);
  }
  return `${at}/content/${pointerSegment(mediaType)}/schema`;
}

/** Schema problems of a success body or stream event (empty when it matches). */
export function responseProblems(operationId: string, status: number, mediaType: string, body: unknown): SchemaProblem[] {
  const ref = responseSchemaRef(operationId, status, mediaType);
  return typeof ref === 'string' ? specValidator().problems(ref, body) : [ref];
}
