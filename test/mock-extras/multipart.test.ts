import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { parseMultipart, MultipartError, type ParsedMultipart } from '../../src/mock/core/read/multipart.js';
import { nodeRequest } from '../../src/mock/node/request.js';
import { coerceFormFields } from '../../src/mock/core/read/form-fields.js';
import { buildError, type ErrorVars } from '../../src/contract/errors.js';
import { renderPng } from '../../src/images/render.js';

const MB = 1024 * 1024;
const LIMITS = { maxBytes: 1 * MB, maxFiles: 3, maxFieldBytes: 64 };

interface Outcome {
  parsed?: ParsedMultipart;
  error?: unknown;
  /** Body bytes the server had read off the socket when the parser settled. */
  socketBytesRead: number;
}

/** A server whose handler parses each request with parseMultipart and answers as the mock will. */
function startServer() {
  const outcomes: Outcome[] = [];
  const waiters: Array<(o: Outcome) => void> = [];
  const record = (o: Outcome) => {
    outcomes.push(o);
    waiters.splice(0).forEach((w) => w(o));
  };
  const server = http.createServer((req, res) => {
    parseMultipart(nodeRequest(req, res, 'localhost'), LIMITS).then(
      (parsed) => {
        record({ parsed, socketBytesRead: req.socket.bytesRead });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ created: 1, data: [] }));
      },
      (error: unknown) => {
        record({ error, socketBytesRead: req.socket.bytesRead });
        const e = error as MultipartError;
        // param null must reach buildError as null (undefined would keep the example's param).
        const built = buildError(e.kind, { ...e.vars, param: e.param } as ErrorVars & { param: string | null });
        res.writeHead(built.status, {
          'content-type': 'application/json',
          ...(e.kind === 'request_too_large' ? { connection: 'close' } : {}),
        });
        res.end(JSON.stringify(built.body));
      },
    );
  });
  return {
    server,
    outcomes,
    next: () => new Promise<Outcome>((resolve) => waiters.push(resolve)),
  };
}

let srv: ReturnType<typeof startServer>;
let base: string;

beforeAll(async () => {
  srv = startServer();
  await new Promise<void>((resolve) => srv.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(srv.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  srv.server.closeAllConnections();
  await new Promise((resolve) => srv.server.close(resolve));
});

/** Sends raw bytes with http.request; resolves with the status and parsed JSON answer. */
function send(body: Buffer | string, headers: http.OutgoingHttpHeaders, agent?: http.Agent): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/v1/images/edits`, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The bytes and Content-Type a Web FormData serialises to (what fetch and the SDK put on the wire). */
async function encode(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const request = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** A Buffer's bytes as a BlobPart (File wants an ArrayBuffer-backed view). */
const bytes = (buf: Buffer) => new Uint8Array(buf);
const png = (width: number, height: number, index = 0) => renderPng({ width, height, seed: 's', prompt: 'p', index, transparent: true });

function multipartBody(boundary: string, parts: string[], close = true): string {
  return parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + (close ? `--${boundary}--\r\n` : '');
}

describe('parseMultipart: what the SDK sends', () => {
  it('reads image[] twice, mask and n=2 from a Web FormData body', async () => {
    const first = png(64, 64, 0);
    const second = png(64, 64, 1);
    const mask = png(64, 64, 2);
    const form = new FormData();
    form.append('image[]', new File([bytes(first)], 'first.png', { type: 'image/png' }));
    form.append('image[]', new File([bytes(second)], 'second.png', { type: 'image/png' }));
    form.append('mask', new File([bytes(mask)], 'mask.png', { type: 'image/png' }));
    form.append('prompt', 'Add a small red boat');
    form.append('model', 'gpt-image-1');
    form.append('n', '2');
    const { body, contentType } = await encode(form);
    const outcome = srv.next();
    const answer = await send(body, { 'content-type': contentType, 'content-length': body.length });
    expect(answer.status).toBe(200);
    const { parsed } = await outcome;
    expect(parsed!.fields).toEqual({ prompt: ['Add a small red boat'], model: ['gpt-image-1'], n: ['2'] });
    expect(Object.keys(parsed!.files).sort()).toEqual(['image[]', 'mask']);
    const images = parsed!.files['image[]']!;
    expect(images.map((f) => [f.field, f.filename, f.contentType])).toEqual([
      ['image[]', 'first.png', 'image/png'],
      ['image[]', 'second.png', 'image/png'],
    ]);
    expect(images[0]!.bytes.equals(first)).toBe(true);
    expect(images[1]!.bytes.equals(second)).toBe(true);
    expect(parsed!.files.mask![0]!.bytes.equals(mask)).toBe(true);
    expect(coerceFormFields(parsed!.fields, 'CreateImageEditRequest').body).toEqual({ prompt: 'Add a small red boat', model: 'gpt-image-1', n: 2 });
  });

  it('reads the request the openai SDK itself builds for images.edit', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${base}/v1`, maxRetries: 0 });
    const outcome = srv.next();
    await client.images.edit({
      model: 'gpt-image-1',
      image: [new File([bytes(png(32, 32, 0))], 'a.png', { type: 'image/png' }), new File([bytes(png(32, 32, 1))], 'b.png', { type: 'image/png' })],
      mask: new File([bytes(png(32, 32, 2))], 'mask.png', { type: 'image/png' }),
      prompt: 'a boat',
      n: 2,
      stream: false,
    });
    const { parsed } = await outcome;
    expect(parsed!.files['image[]']?.map((f) => f.filename)).toEqual(['a.png', 'b.png']);
    expect(parsed!.files.mask?.[0]?.filename).toBe('mask.png');
    expect(parsed!.fields.n).toEqual(['2']);
    const { body } = coerceFormFields(parsed!.fields, 'CreateImageEditRequest');
    expect(body).toMatchObject({ model: 'gpt-image-1', prompt: 'a boat', n: 2 });
    if ('stream' in body) expect(body.stream).toBe(false);
  });

  it('keeps a single image key, non-ASCII filenames and an empty field', async () => {
    const form = new FormData();
    form.append('image', new File([bytes(png(8, 8))], 'ñandú 画像.png', { type: 'image/png' }));
    form.append('prompt', '');
    const { body, contentType } = await encode(form);
    const outcome = srv.next();
    expect((await send(body, { 'content-type': contentType })).status).toBe(200);
    const { parsed } = await outcome;
    expect(parsed!.files.image?.[0]?.filename).toBe('ñandú 画像.png');
    expect(parsed!.fields.prompt).toEqual(['']);
  });
});

describe('parseMultipart: limits', () => {
  it('refuses a 50 MB streamed body at the 1 MB limit without reading it all', async () => {
    const boundary = 'LimitBoundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 7);
    const total = 50 * MB;
    const outcome = srv.next();
    const result = await new Promise<{ status: number; body: any; written: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      // Chunked: no Content-Length, so only counting the stream can stop it.
      const req = http.request(`${base}/v1/images/edits`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), written });
          req.destroy();
        });
      });
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      const pump = () => {
        while (!answered && written < total) {
          written += chunk.length;
          if (!req.write(written === chunk.length ? Buffer.concat([head, chunk]) : chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.body).toEqual(buildError('request_too_large', { max: MB }).body);
    expect(result.body.error.message).toContain(String(MB));
    // The answer came while the client was still sending...
    expect(result.written).toBeLessThan(total);
    // ...and the server had read no more than the limit plus a socket read or two.
    const { error, socketBytesRead } = await outcome;
    expect(error).toBeInstanceOf(MultipartError);
    expect(error).toMatchObject({ kind: 'request_too_large', param: null, vars: { max: MB } });
    expect(socketBytesRead).toBeLessThan(MB + 512 * 1024);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const outcome = srv.next();
    const answer = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/v1/images/edits`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': 50 * MB },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024)); // a first chunk only; the rest never comes
    });
    expect(answer).toBe(413);
    expect((await outcome).socketBytesRead).toBeLessThan(64 * 1024);
  });

  it('refuses more files than allowed with invalid_value on image', async () => {
    const form = new FormData();
    for (let i = 0; i < 4; i++) form.append('image[]', new File([bytes(png(4, 4, i))], `${i}.png`, { type: 'image/png' }));
    form.append('prompt', 'p');
    const { body, contentType } = await encode(form);
    const outcome = srv.next();
    const answer = await send(body, { 'content-type': contentType });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_value', param: 'image' });
    expect(answer.body.error.message).toContain('at most 3');
    expect((await outcome).error).toMatchObject({ kind: 'invalid_value', param: 'image', vars: { max: 3 } });
  });

  it('refuses a field longer than maxFieldBytes with invalid_value on that field', async () => {
    const form = new FormData();
    form.append('prompt', 'x'.repeat(65));
    const { body, contentType } = await encode(form);
    const answer = await send(body, { 'content-type': contentType });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_value', param: 'prompt' });
    // exactly at the limit is fine
    const ok = new FormData();
    ok.append('prompt', 'x'.repeat(64));
    const atLimit = await encode(ok);
    expect((await send(atLimit.body, { 'content-type': atLimit.contentType })).status).toBe(200);
  });

  it('keeps a keep-alive connection usable after a 400 (the rest of the body is drained)', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const tooMany = new FormData();
      for (let i = 0; i < 5; i++) tooMany.append('image', new File([bytes(Buffer.alloc(100 * 1024, i))], `${i}.png`, { type: 'image/png' }));
      const bad = await encode(tooMany);
      const first = await send(bad.body, { 'content-type': bad.contentType, 'content-length': bad.body.length }, agent);
      expect(first.status).toBe(400);
      const goodForm = new FormData();
      goodForm.append('prompt', 'again');
      const again = await encode(goodForm);
      const second = await send(again.body, { 'content-type': again.contentType, 'content-length': again.body.length }, agent);
      expect(second.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

describe('parseMultipart: malformed bodies', () => {
  const cases: Array<{ name: string; contentType?: string; body: string; kind: string; message: RegExp }> = [
    { name: 'no boundary', contentType: 'multipart/form-data', body: 'x', kind: 'invalid_value', message: /boundary/ },
    { name: 'no Content-Type', body: 'x', kind: 'unsupported_media_type', message: /multipart\/form-data/ },
    { name: 'JSON Content-Type', contentType: 'application/json', body: '{}', kind: 'unsupported_media_type', message: /application\/json/ },
    {
      name: 'truncated before the closing boundary',
      contentType: 'multipart/form-data; boundary=B',
      body: multipartBody('B', ['Content-Disposition: form-data; name="prompt"\r\n\r\nhello'], false),
      kind: 'invalid_value',
      message: /closing boundary/,
    },
    {
      name: 'truncated inside a file',
      contentType: 'multipart/form-data; boundary=B',
      body: '--B\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n\x89PNG half a file',
      kind: 'invalid_value',
      message: /closing boundary/,
    },
    { name: 'empty body', contentType: 'multipart/form-data; boundary=B', body: '', kind: 'invalid_value', message: /closing boundary/ },
    {
      name: 'malformed part header',
      contentType: 'multipart/form-data; boundary=B',
      body: '--B\r\nContent-Disposition form-data no colon\u0001\r\n\r\nv\r\n--B--\r\n',
      kind: 'invalid_value',
      message: /malformed|Malformed/,
    },
  ];
  for (const c of cases) {
    it(`answers ${c.kind} for ${c.name}`, async () => {
      const outcome = srv.next();
      const headers: http.OutgoingHttpHeaders = { 'content-length': Buffer.byteLength(c.body) };
      if (c.contentType) headers['content-type'] = c.contentType;
      const answer = await send(c.body, headers);
      const { error } = await outcome;
      expect(error).toBeInstanceOf(MultipartError);
      const e = error as MultipartError;
      expect(e.kind).toBe(c.kind);
      expect(e.message).toMatch(c.message);
      if (c.kind === 'invalid_value') expect(String(e.vars.message)).toMatch(c.message);
      expect(answer.status).toBe(c.kind === 'invalid_value' ? 400 : 415);
      expect(answer.body.error.message).not.toMatch(/\{\w+\}/); // the template got every var it names
    });
  }

  it('settles (rejects) when the client disconnects mid-body', async () => {
    const outcome = srv.next();
    const req = http.request(`${base}/v1/images/edits`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=B', 'content-length': 10_000 },
    });
    req.on('error', () => {});
    req.write('--B\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nhel');
    setTimeout(() => req.destroy(), 50);
    const { error } = await outcome;
    expect(error).toMatchObject({ kind: 'invalid_value' });
  });
});
