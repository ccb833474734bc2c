// Requests Node's HTTP parser refuses before any handler sees them (headers over 16 KB, broken
// chunked framing, a client too slow to send its request): answered as Node itself would (431,
// 400, 408) but with a body in the contract's ErrorResponse shape, `x-request-id` and CORS, then
// the connection is closed. The envelope is malformed_json's (an unreadable request, `code: null`)
// with a message saying what was wrong.
import type { Duplex } from 'node:stream';
import { buildError } from '../../contract/errors.js';
import { CORS_HEADERS } from '../core/route/cors.js';
import { nextRequestId } from '../core/request-context.js';
import { refusalFor } from '../../http/parser-refusals.js';

type ServedSocket = Duplex & { _httpMessage?: { headersSent?: boolean } | null };

/** The server's 'clientError' listener: a complete answer when the socket can still take one. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const served = socket as ServedSocket;
  // A reset peer cannot read anything; an answer already under way must not be interleaved.
  if (error.code === 'ECONNRESET' || !socket.writable || served._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const refusal = refusalFor(error.code);
  const built = buildError('malformed_json');
  const body = JSON.stringify({ error: { ...(built.body as { error: object }).error, message: refusal.message } });
  const headers = ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), 'x-request-id', nextRequestId(), 'openai-processing-ms', '0', ...CORS_HEADERS, 'connection', 'close'];
  let head = `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  socket.on('error', () => {}); // the peer may be gone by now
  socket.end(`${head}\r\n${body}`);
}
