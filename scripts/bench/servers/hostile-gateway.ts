// Gateways for the hardening benchmark (scripts/bench/hostile.ts), one mode per process:
//   polite     small, valid error answers (the baseline)
//   huge-bomb  every answer a 500 MB JSON body (with Content-Length, or chunked) or a brotli bomb
//              (1 GiB inflated), in turn
//   sse-flood  every answer an endless event stream of 64 KiB partial-image events, as fast as allowed
import { createServer, type ServerResponse } from 'node:http';
import zlib from 'node:zlib';

const mode = process.argv[2] ?? 'polite';
const MB = 1024 * 1024;

/** 1 GiB of zeros through brotli quality 1 (~190 kB), compressed as a stream. */
async function brotliBomb(): Promise<Buffer> {
  const enc = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 } });
  const out: Buffer[] = [];
  enc.on('data', (c: Buffer) => out.push(c));
  const zeros = Buffer.alloc(MB);
  for (let i = 0; i < 1024; i++) if (!enc.write(zeros)) await new Promise((r) => enc.once('drain', r));
  enc.end();
  await new Promise((r) => enc.once('end', r));
  return Buffer.concat(out);
}

const bomb = mode === 'huge-bomb' ? await brotliBomb() : Buffer.alloc(0);
let n = 0;

/** Writes `total` bytes of a JSON-looking body with flow control, stopping when the client leaves. */
function hugeBody(res: ServerResponse, total: number, declared: boolean): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': total } : {}), 'x-request-id': 'req_huge' });
  const chunk = Buffer.alloc(MB, 'a');
  let sent = 0;
  const pump = () => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

function sseFlood(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_sse' });
  const event = Buffer.from(`data: ${JSON.stringify({ type: 'image_generation.partial_image', partial_image_index: 0, b64_json: 'A'.repeat(64 * 1024) })}\n\n`);
  const pump = () => {
    while (!res.destroyed) if (!res.write(event)) return void res.once('drain', pump);
  };
  pump();
}

const server = createServer((req, res) => {
  res.on('error', () => undefined);
  req.on('error', () => undefined);
  req.resume();
  const answer = () => {
    if (mode === 'sse-flood') return sseFlood(res);
    if (mode === 'huge-bomb') {
      const turn = n++ % 3;
      if (turn < 2) return hugeBody(res, 500 * 1000 * 1000, turn === 0);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br', 'content-length': bomb.length, 'x-request-id': 'req_bomb' });
      return res.end(bomb);
    }
    const text = JSON.stringify({ error: { message: 'Invalid request.', type: 'invalid_request_error', param: null, code: 'invalid_value' } });
    res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': 'req_polite' });
    res.end(text);
  };
  // Answer early (before a 70 MiB upload is read), as a gateway refusing by Content-Length would.
  answer();
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ url: `http://127.0.0.1:${address.port}/v1` });
});
