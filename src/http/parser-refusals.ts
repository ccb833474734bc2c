// What a request Node's HTTP parser refuses (headers over 16 KB, broken chunked framing, a client too
// slow to send its request) is answered with: Node's own status (431, 400, 408) and a message saying
// what was wrong. Shared by every server of the toolkit (the mock and the validation proxy).

export interface Refusal {
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
