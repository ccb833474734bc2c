// Typed image stream events from an SSE response: JSON per `data:`, `[DONE]` ends the stream, error
// events throw `ImagesApiError`, and a stream must end with its `*.completed` event.
import { ImagesApiError, ResponseValidationError, isErrorEnvelope, problem } from './errors.js';
import { responseProblems } from './response-schema.js';
import { parseServerSentEvents } from './sse.js';

export interface ImageEventOptions {
  operationId: string;
  validate: boolean;
}

export async function* imageEvents<E>(response: Response, options: ImageEventOptions): AsyncGenerator<E> {
  const { operationId, validate } = options;
  const fail = (message: string, keyword: string, body: unknown = undefined) =>
    new ResponseValidationError({ operationId, status: response.status, problems: [problem(keyword, message)], body, headers: response.headers, what: 'event stream' });

  const contentType = response.headers.get('content-type') ?? '';
  if (!/^text\/event-stream\b/i.test(contentType)) {
    const text = await response.text().catch(() => '');
    throw fail(`expected content-type text/event-stream for a streamed request, got '${contentType || '(none)'}'`, 'contentType', text);
  }
  if (!response.body) throw fail('the event stream has no body', 'body');

  let completed = false;
  for await (const sse of parseServerSentEvents(response.body)) {
    if (sse.data === '[DONE]') break;
    let payload: unknown;
    try {
      payload = JSON.parse(sse.data);
    } catch {
      if (sse.event === 'error') throw new ImagesApiError({ status: undefined, body: sse.data, headers: response.headers });
      throw fail(`malformed JSON in the data of event '${sse.event}': ${truncate(sse.data)}`, 'json', sse.data);
    }
    if (sse.event === 'error' || isErrorEnvelope(payload)) throw new ImagesApiError({ status: undefined, body: payload, headers: response.headers });
    if (validate) {
      const problems = responseProblems(operationId, response.status, 'text/event-stream', payload);
      if (problems.length) throw new ResponseValidationError({ operationId, status: response.status, problems, body: payload, headers: response.headers, what: `event '${sse.event}'` });
    }
    const type = (payload as { type?: unknown }).type;
    if (typeof type === 'string' && type.endsWith('.completed')) completed = true;
    yield payload as E;
  }
  if (!completed) throw fail('the stream ended without a completed event', 'completed');
}

const truncate = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}…` : s);
