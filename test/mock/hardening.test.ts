// The mock under hostile transport (issue 10 point 10): parser-level refusals answered with a
// contract body (431, 400, 408), a 413 for an oversized chunked upload that reaches the client
// every time, native-envelope 404s in the native path space, one spelling per media token, and a
// rate-limit table that stays bounded however many keys clients invent.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specValidator } from '../../src/contract/validator.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { MAX_RATE_KEYS, RateLimiter } from '../../src/mock/core/gate/rate-limit.js';
import { KEY, JSON_HEADERS, call, expectError, expectNativeError, post } from './helpers.js';

let mock: RunningMock;
let small: RunningMock;
let scaigrid: RunningMock;

beforeAll(async () => {
  [mock, small, scaigrid] = await Promise.all([
    startMock({ profile: 'openai', headersTimeoutMs: 300 }),
    startMock({ profile: 'openai', maxBodyBytes: 64 * 1024 }),
    startMock({ profile: 'scaigrid' }),
  ]);
});
afterAll(() => Promise.all([mock.close(), small.close(), scaigrid.close()]));

interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** Sends raw bytes, reads until the server closes (or `ms` pass). */
function raw(port: number, bytes: string | Buffer, { ms = 5000, keepOpen = false } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer in ${ms} ms: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, ms);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(bytes);
    if (!keepOpen) socket.end();
  });
}

function expectContractBody(a: RawAnswer, status: number): void {
  expect(a.status, a.head).toBe(status);
  const head = `${a.head}\r\n`;
  expect(head).toMatch(/\r\ncontent-type: application\/json\r\n/i);
  expect(head).toMatch(/\r\nx-request-id: req_[0-9a-f]{32}\r\n/i);
  expect(head).toMatch(/\r\nconnection: close\r\n/i);
  const body = JSON.parse(a.body);
  expect(specValidator().problems('ErrorResponse', body)).toEqual([]);
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe('parser-level refusals carry a contract body', () => {
  it('headers over 16 KB: 431', async () => {
    const a = await raw(mock.port, `GET /v1/models HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectContractBody(a, 431);
  });

  it('broken chunked framing: 400', async () => {
    const a = await raw(mock.port, `POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`);
    expectContractBody(a, 400);
  });

  it('not HTTP at all: 400', async () => {
    expectContractBody(await raw(mock.port, 'HELLO THERE\r\n\r\n'), 400);
  });

  it('headers that never finish: 408 after the headers timeout', async () => {
    const started = performance.now();
    const a = await raw(mock.port, 'GET /v1/models HTTP/1.1\r\nHost: x\r\n', { keepOpen: true });
    expectContractBody(a, 408);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('the mock still serves afterwards', async () => {
    expect((await call(`${mock.url}/models`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
  });
});

/**
 * POSTs a chunked body of 8 MiB in one go, keeps sending while the answer comes and reads it only
 * 100 ms later; resolves with whatever answer was read before the connection ended.
 */
function oversizedUpload(port: number, path: string, contentType: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (c) => received.push(c));
    socket.on('error', () => {}); // EPIPE/ECONNRESET: judged by what was read
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? -1);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: split < 0 ? '' : text.slice(split + 4, split + 4 + Math.max(0, length)) });
    });
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    socket.write(Buffer.concat(Array.from({ length: 32 }, () => framed)));
    // A client busy uploading reads its answer late (as one that writes the whole body first does).
    socket.pause();
    setTimeout(() => socket.resume(), 100);
    // Stop once the answer is complete, as a client that has read it would.
    const done = setInterval(() => {
      const text = Buffer.concat(received).toString('utf8');
      if (/\r\n\r\n\{.*\}\}$/s.test(text)) {
        clearInterval(done);
        socket.destroy();
      }
    }, 5);
    socket.on('close', () => clearInterval(done));
  });
}

describe('413 for an oversized chunked body reaches the client', () => {
  it('multipart, 10 tries in a row', async () => {
    for (let i = 0; i < 10; i++) {
      const a = await oversizedUpload(small.port, '/v1/images/edits', 'multipart/form-data; boundary=xyz');
      expect(a.status, `try ${i + 1}`).toBe(413);
      expect(JSON.parse(a.body).error.code).toBe('request_too_large');
    }
  });

  it('JSON, 5 tries in a row', async () => {
    for (let i = 0; i < 5; i++) {
      const a = await oversizedUpload(small.port, '/v1/images/generations', 'application/json');
      expect(a.status, `try ${i + 1}`).toBe(413);
    }
  });

  it('the connection stays usable when the client finishes its body', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: small.port, path: '/v1/images/generations', method: 'POST', agent, headers: JSON_HEADERS }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await send(Buffer.alloc(200 * 1024, 0x20))).toBe(413);
    expect(await send(Buffer.from(JSON.stringify({ prompt: 'after', size: '256x256' })))).toBe(200);
    agent.destroy();
  });
});

describe('scaigrid: unknown native paths answer in the native envelope', () => {
  it('under /v1/inference/ and /v1/media/: native route_not_found', async () => {
    for (const path of ['/v1/inference/images/nope', '/v1/inference/', '/v1/media/a/b']) {
      const a = await call(`${scaigrid.origin}${path}`, { method: 'POST', headers: JSON_HEADERS, body: '{}' });
      expectNativeError(a, 'route_not_found');
    }
  });

  it('OpenAI-style unknown paths keep the OpenAI envelope', async () => {
    for (const path of ['/v1/images/nope', '/oai/v1/images/nope', '/nope']) {
      expectError(await call(`${scaigrid.origin}${path}`, { headers: { authorization: `Bearer ${KEY}` } }), 'route_not_found');
    }
  });
});

describe('media tokens have one spelling', () => {
  it('the other spellings of the last base64url character are 404', async () => {
    const a = await post(`${mock.url}/images/generations`, { prompt: 'token spelling', size: '256x256' });
    const url: string = a.json.data[0].url;
    expect((await fetch(url)).status).toBe(200);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(url.at(-1)!);
    expect(last % 4).toBe(0); // 32 bytes in 43 characters: the last one has 2 unused bits
    for (const bits of [1, 2, 3]) {
      const forged = `${url.slice(0, -1)}${alphabet[last + bits]}`;
      expect(Buffer.from(forged.split('.').pop()!, 'base64url')).toEqual(Buffer.from(url.split('.').pop()!, 'base64url'));
      expectError(await call(forged), 'media_not_found');
    }
  });
});

describe('rate limits without --api-key: bounded state', () => {
  it('50,000 distinct keys keep at most MAX_RATE_KEYS windows; recent keys keep their count', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    for (let i = 0; i < 50_000; i++) {
      now += 1;
      limiter.take(`key-${i}`);
    }
    expect(limiter.size).toBe(MAX_RATE_KEYS);
    now += 1;
    expect(limiter.take('key-49999').allowed).toBe(true);
    expect(limiter.take('key-49999').allowed).toBe(false); // its 3rd request within the minute
  });

  it('a high limit caps the keys by ring memory (32 MiB)', () => {
    const limiter = new RateLimiter(100_000, () => 0);
    expect(limiter.maxKeys).toBe(Math.floor((32 * 1024 * 1024) / (8 * 100_000)));
  });

  it('over HTTP, a limited key stays limited while other keys come and go', async () => {
    const limited = await startMock({ profile: 'openai', rateLimitPerMinute: 1 });
    try {
      const models = (key: string) => call(`${limited.url}/models`, { headers: { authorization: `Bearer ${key}` } });
      expect((await models('sk-steady')).status).toBe(200);
      for (let i = 0; i < 200; i++) expect((await models(`sk-churn-${i}`)).status).toBe(200);
      expectError(await models('sk-steady'), 'rate_limit_exceeded');
    } finally {
      await limited.close();
    }
  });
});
