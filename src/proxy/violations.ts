// Contract checks on one observed exchange (request + response), used by the validation proxy.
// Everything is judged against the bundled spec: declared statuses, content types and schemas.
import {
  operations,
  matchOperation,
  requestSchema,
  responseSchema,
  responseContentTypes,
  declaredResponse,
  specValidator,
  type OperationInfo,
} from '../contract/index.js';

export interface Exchange {
  method: string;
  /** Path below the base URL, e.g. `/images/generations`. */
  path: string;
  requestContentType: string | undefined;
  requestBody: Buffer | undefined;
  status: number;
  responseHeaders: Record<string, string | string[] | undefined>;
  /** The response body when it was buffered (JSON); undefined for streamed bodies. */
  responseBody: Buffer | undefined;
}

export interface Violation {
  rule: string;
  side: 'request' | 'response';
  message: string;
}

const header = (headers: Exchange['responseHeaders'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function parseJson(bytes: Buffer | undefined): { ok: true; value: unknown } | { ok: false } {
  if (!bytes) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function schemaViolations(pointer: string, value: unknown, rule: string, side: Violation['side']): Violation[] {
  return specValidator()
    .problems(pointer, value)
    .slice(0, 5)
    .map((p) => ({ rule, side, message: `${p.path} ${p.message}` }));
}

let ops: OperationInfo[] | undefined;

export function findOperation(method: string, path: string): OperationInfo | undefined {
  ops ??= operations();
  return matchOperation(method, path, ops);
}

export function checkExchange(x: Exchange): Violation[] {
  const out: Violation[] = [];
  const op = findOperation(x.method, x.path);
  if (!op) {
    if (x.status < 400) out.push({ rule: 'undocumented-operation', side: 'request', message: `${x.method} ${x.path} is not an operation of the contract but was answered ${x.status}` });
    return out;
  }
  // The request, so a client's own mistakes are told apart from the gateway's.
  let requestValid = true;
  const reqType = x.requestContentType?.split(';')[0]?.trim().toLowerCase();
  if (reqType === 'application/json' && x.requestBody) {
    const schema = requestSchema(op, reqType);
    const parsed = parseJson(x.requestBody);
    if (!parsed.ok) requestValid = false;
    else if (schema) {
      const problems = schemaViolations(schema.pointer, parsed.value, 'request-schema', 'request');
      requestValid = problems.length === 0;
      out.push(...problems);
    }
  }

  const contentType = header(x.responseHeaders, 'content-type');
  if (!declaredResponse(op, x.status)) {
    out.push({ rule: 'status-declared', side: 'response', message: `${op.operationId} does not declare status ${x.status}` });
  }
  if (x.status >= 500 && !requestValid) {
    out.push({ rule: 'client-error-as-5xx', side: 'response', message: `an invalid request was answered ${x.status}; SDKs retry 5xx (and bill again) - it must be a 4xx` });
  }
  if (!header(x.responseHeaders, 'x-request-id')) {
    out.push({ rule: 'x-request-id', side: 'response', message: 'no x-request-id header' });
  }
  const declaredTypes = responseContentTypes(op, x.status);
  if (declaredTypes.length && (!contentType || !declaredTypes.some((t) => contentType.toLowerCase().startsWith(t)))) {
    out.push({ rule: 'content-type', side: 'response', message: `content-type ${contentType ?? '(none)'} is not one of ${declaredTypes.join(', ')}` });
    return out;
  }
  if (contentType?.toLowerCase().startsWith('application/json')) {
    const parsed = parseJson(x.responseBody);
    if (!parsed.ok) {
      out.push({ rule: 'json-body', side: 'response', message: 'the body is not valid JSON' });
      return out;
    }
    if (x.status < 300 && parsed.value && typeof parsed.value === 'object' && 'error' in parsed.value) {
      out.push({ rule: 'no-error-in-success', side: 'response', message: `status ${x.status} carries an "error" key` });
    }
    const schema = responseSchema(op, x.status, contentType);
    if (schema) out.push(...schemaViolations(schema.pointer, parsed.value, x.status >= 400 ? 'error-envelope' : 'response-schema', 'response'));
  }
  return out;
}

/** Validates one SSE event's data against the stream's event schema. */
export function checkStreamEvent(op: OperationInfo, status: number, data: string): Violation[] {
  const schema = responseSchema(op, status, 'text/event-stream');
  if (!schema?.eventPointer) return [];
  if (data.trim() === '[DONE]') return [];
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return [{ rule: 'stream-event-json', side: 'response', message: `event data is not JSON: ${data.slice(0, 80)}` }];
  }
  return schemaViolations(schema.eventPointer, value, 'stream-event-schema', 'response');
}
