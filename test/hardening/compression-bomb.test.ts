// Issue 10 points 3 and 4: a brotli bomb (1 GiB inflated) answered to negative.oversized-body (the
// streamed 70 MiB upload) and to a plain request ends the run promptly, and once it has ended the
// process is idle - the decoder and the socket were destroyed at the cap, nothing inflates on. The
// run's history keeps a small excerpt per exchange, not the decoded body.
import type { ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/conformance/http.js';
import { runConformance } from '../../src/conformance/index.js';
import { Redactor } from '../../src/conformance/redact.js';
import { BodyGate } from '../../src/http/body-gate.js';
import { EXCERPT_BYTES } from '../../src/http/body-reader.js';
import { startServer, type TestServer } from '../conformance/helpers/servers.js';

const GIB = 1024 * 1024 * 1024;
let bomb: Buffer;
let gzipBomb: Buffer;

beforeAll(async () => {
  // 1 GiB of zeros, brotli quality 1 (fast to make: ~190 kB), and gzip members of 1 MiB each.
  const enc = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 } });
  const out: Buffer[] = [];
  enc.on('data', (c: Buffer) => out.push(c));
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < GIB / zeros.length; i++) if (!enc.write(zeros)) await new Promise((r) => enc.once('drain', r));
  enc.end();
  await new Promise((r) => enc.once('end', r));
  bomb = Buffer.concat(out);
  const member = zlib.gzipSync(zeros, { level: 9 });
  gzipBomb = Buffer.concat(Array.from({ length: 64 }, () => member));
}, 30_000);

function sendBomb(res: ServerResponse, status: number, body: Buffer, encoding: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': body.length, 'x-request-id': 'req_bomb' });
  res.end(body);
}

/** CPU time the process spends over `ms` of wall time, idle otherwise. */
async function cpuOver(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('compression bombs', () => {
  let gateway: TestServer;
  afterAll(() => gateway?.close());

  it('a brotli bomb to negative.oversized-body and to a plain request: the run ends and the process goes idle', async () => {
    gateway = await startServer((req, res) => {
      if (req.method === 'GET') return sendBomb(res, 200, bomb, 'br');
      sendBomb(res, Number(req.headers['content-length'] ?? 0) > 1e6 ? 413 : 400, bomb, 'br');
    });
    const started = Date.now();
    const report = await runConformance({ baseUrl: gateway.url, apiKey: 'sk-bomb-test', timeoutMs: 20_000, only: ['negative.oversized-body', 'negative.missing-prompt', 'models-list.schema'] });
    const took = Date.now() - started;
    expect(took).toBeLessThan(20_000);
    const oversized = report.results.find((r) => r.key === 'negative.oversized-body')!;
    expect(oversized.status).not.toBe('error');
    const bombed = report.exchanges.filter((e) => e.error?.kind === 'too-large');
    expect(bombed.length).toBeGreaterThanOrEqual(3);
    for (const e of bombed) {
      expect(e.responseBytes).toBe(64 * 1024 * 1024);
      expect(e.responseBody!.length).toBeLessThanOrEqual(16_384 + 64);
    }
    // Before the fix the decoder kept inflating (and copying) for minutes after the summary.
    expect(await cpuOver(1_000)).toBeLessThan(250);
  }, 60_000);

  it('the history keeps an excerpt per exchange; the caller gets the whole body while it holds it', async () => {
    const server = await startServer((req, res) => {
      if (req.url?.includes('big')) return sendBomb(res, 200, gzipBomb, 'gzip');
      const text = JSON.stringify({ data: 'x'.repeat(1024 * 1024) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
    const http = new HttpClient({ origin: server.origin, redactor: new Redactor(), timeoutMs: 10_000, maxResponseBytes: 2 * 1024 * 1024 });
    try {
      for (let i = 0; i < 48; i++) {
        const ex = await http.send({ method: 'GET', url: `${server.url}/${i % 2 ? 'big' : 'small'}`, label: `#${i}` });
        if (i % 2) {
          expect(ex.error?.kind).toBe('too-large');
          expect(ex.response!.body.length).toBe(EXCERPT_BYTES);
        } else expect(ex.response!.body.length).toBe(1024 * 1024 + 11);
      }
      const kept = http.exchanges.reduce((n, e) => n + (e.response?.body.length ?? 0), 0);
      expect(kept).toBeLessThanOrEqual(48 * EXCERPT_BYTES);
    } finally {
      await http.close();
      await server.close();
    }
  }, 60_000);

  it('a declared 500 MB body is refused after its excerpt: the rest never crosses the wire', async () => {
    let written = 0;
    const server = await startServer((_req, res) => {
      const total = 500 * 1000 * 1000;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': total });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const http = new HttpClient({ origin: server.origin, redactor: new Redactor(), timeoutMs: 10_000 });
    try {
      const ex = await http.send({ method: 'GET', url: `${server.url}/huge`, label: 'huge' });
      expect(ex.error?.kind).toBe('too-large');
      expect(ex.error?.message).toMatch(/declared Content-Length/);
      expect(ex.response!.body.length).toBe(EXCERPT_BYTES);
      await new Promise((r) => setTimeout(r, 200));
      expect(written).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await http.close();
      await server.close();
    }
  });

  it('large bodies wait for a slot of the body gate: memory in flight stays bounded under concurrency', async () => {
    const gate = new BodyGate(1, 1024);
    const first = await gate.acquire();
    let second: (() => void) | undefined;
    const waiting = gate.acquire().then((r) => (second = r));
    const controller = new AbortController();
    const third = gate.acquire(controller.signal);
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toBeUndefined();
    controller.abort(new Error('gone'));
    await expect(third).rejects.toThrow('gone');
    first();
    first();
    await waiting;
    expect(second).toBeTypeOf('function');
    second!();
    // Free again: the next caller gets a slot at once.
    (await gate.acquire())();
  });
});
