// Requests Node's HTTP parser refuses before any handler sees them (headers over 16 KB, broken
// chunked framing, a client too slow to send its request): answered as Node itself would (431,
// 400, 408) but with a body in the contract's ErrorResponse shape, `x-request-id` and CORS, then
// the connection is closed. The envelope is malformed_json's (an unreadable request, `code: null`)
// with a message saying what was wrong.
import type { Duplex } from 'node:stream';
import { buildError } from '../../contract/errors.js';
import { CORS_HEADERS } from '../core/route/cors.js';
import { nextRequestId } from '../core/request-context.js';

interface Refusal {
  status: number;
  reason: string;
  message: string;
}

const TIMEOUT: Refusal = { status: 408, reason: 'Request Timeout', message: 'The request was not received in time: send the headers and body without pausing.' };
const HEADERS_TOO_LARGE: Refusal = { status: 431, reason: 'Request Header Fields Too Large', message: 'The request headers are too large: at most 16 KB in total.' };

/** What a parser error code (`HPE_*`, `ERR_HTTP_REQUEST_TIMEOUT`) is answered with. */
export function refusalFor(code: string | undefined): Refusal {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return TIMEOUT;
  if (code === 'HPE_HEADER_OVERFLOW') return HEADERS_TOO_LARGE;
  const framing = code === 'HPE_INVALID_CHUNK_SIZE' || code === 'HPE_INVALID_TRANSFER_ENCODING' || code === 'HPE_UNEXPECTED_CONTENT_LENGTH' || code === 'HPE_INVALID_CONTENT_LENGTH';
  return {
    status: 400,
    reason: 'Bad Request',
    message: framing ? 'The request body is not framed correctly (Content-Length or chunked Transfer-Encoding).' : 'The request is not valid HTTP/1.1.',
  };
}

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
