// Writing a Response to a ServerResponse: where the mock's bytes reach the socket. A lazy answer
// of the core (answer/response.ts) is written from its fields; any other Response from its
// Headers and body. A streamed body is written chunk by chunk as it comes and cancelled when the
// client goes away.
import type { ServerResponse } from 'node:http';
import { writeWithBackpressure } from '../../http/backpressure.js';
import { answerFields } from '../core/answer/response.js';

export function writeResponse(response: Response, res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  const fields = answerFields(response);
  let headers: string[];
  let body: string | Uint8Array | ReadableStream<Uint8Array> | null;
  if (fields) {
    headers = fields.headers;
    body = fields.body;
  } else {
    headers = [];
    response.headers.forEach((value, name) => headers.push(name, value));
    body = response.body;
  }
  res.writeHead(response.status, headers);
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body ?? undefined);
    return;
  }
  res.flushHeaders();
  void pipe(body, res);
}

async function pipe(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const gone = () => void reader.cancel().catch(() => {});
  res.once('close', gone);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(await writeWithBackpressure(res, value))) return;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', gone);
  }
}

