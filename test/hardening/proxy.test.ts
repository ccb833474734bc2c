// Issue 10 point 8: the validation proxy under load and odd upstreams. Each test has its own small
// hostile upstream (loopback, port 0, bounded, closed after the test).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from '../../src/proxy/index.js';
import { SseScanner } from '../../src/proxy/sse-scanner.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function upstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1`, server };
}

async function proxyTo(url: string, options: { maxBodyBytes?: number; keepViolations?: number } = {}): Promise<RunningProxy> {
  const proxy = await startProxy({ upstream: url, ...options });
  cleanups.push(() => proxy.close());
  return proxy;
}

const GOOD = { created: 1_700_000_000, data: [{ b64_json: 'iVBORw0KGgo=' }] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('validation proxy under hostile conditions', () => {
  it('back-pressure: a paused client slows the upstream instead of filling the proxy', async () => {
    let written = 0;
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r' });
      const chunk = Buffer.from(`data: ${JSON.stringify({ type: 'image_generation.partial_image', b64_json: 'A'.repeat(64 * 1024) })}\n\n`);
      // Writes as fast as the proxy takes them, up to 256 MiB (bounded).
      const pump = () => {
        while (written < 256 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const proxy = await proxyTo(up.url);
    const { port } = new URL(proxy.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    // A path that is no operation: nothing is validated, so only flow control can slow the proxy down.
    socket.write('POST /v1/any-stream HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 29\r\n\r\n{"prompt":"x","stream":true}\n');
    socket.once('data', () => socket.pause());
    await sleep(1_500);
    // Socket buffers on the way hold a few MiB; without back-pressure the proxy read everything.
    expect(written).toBeLessThan(48 * 1024 * 1024);
    socket.destroy();
  });

  it('the upstream connection is destroyed when the client leaves', async () => {
    let upstreamClosed = false;
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r' });
      const tick = setInterval(() => res.write('data: {"type":"image_generation.partial_image"}\n\n'), 20);
      res.on('close', () => {
        clearInterval(tick);
        upstreamClosed = true;
      });
    });
    const proxy = await proxyTo(up.url);
    const controller = new AbortController();
    const res = await fetch(`${proxy.url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x","stream":true}', signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    for (let i = 0; i < 40 && !upstreamClosed; i++) await sleep(50);
    expect(upstreamClosed).toBe(true);
  });

  it('a JSON body over the buffer cap is streamed whole and unvalidated, never cut into a "complete" 200', async () => {
    const big = JSON.stringify({ ...GOOD, padding: 'x'.repeat(3 * 1024 * 1024) });
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r' });
      res.end(big);
    });
    const proxy = await proxyTo(up.url, { maxBodyBytes: 1024 * 1024 });
    const res = await fetch(`${proxy.url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBe(big.length);
    expect(proxy.violations.map((v) => v.rule)).toContain('proxy-unvalidated');
  });

  it('a violation with non-Latin-1 text goes into the header encoded; the 200 stays a 200', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r' });
      res.end(JSON.stringify(GOOD));
    });
    const proxy = await proxyTo(up.url);
    const res = await fetch(`${proxy.url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x', metadata: { 画像: 5 } }) });
    expect(res.status).toBe(200);
    const header = res.headers.get('x-contract-violations')!;
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect((JSON.parse(header) as string[]).join(' ')).toContain('/metadata/画像');
    expect(await res.json()).toEqual(GOOD);
  });

  it('gzip and br JSON answers are decoded for validation and forwarded as they came', async () => {
    const up = await upstream((req, res) => {
      const br = req.url?.includes('br');
      const body = br ? brotliCompressSync(JSON.stringify(GOOD)) : gzipSync(JSON.stringify(GOOD));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': br ? 'br' : 'gzip', 'x-request-id': 'r', 'content-length': body.length });
      res.end(body);
    });
    const proxy = await proxyTo(up.url);
    for (const path of ['/images/generations', '/images/generations?br']) {
      const res = await fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(GOOD);
    }
    expect(proxy.violations).toEqual([]);
  });

  it('the violation list is bounded (latest kept, every one counted)', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"created":"soon"}');
    });
    const proxy = await proxyTo(up.url, { keepViolations: 25 });
    for (let i = 0; i < 60; i++) await (await fetch(`${proxy.url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' })).text();
    expect(proxy.violations.length).toBe(25);
    expect(proxy.violationCount).toBeGreaterThanOrEqual(120);
    expect(proxy.violationsByRule.get('x-request-id')).toBe(60);
  });

  it('SSE without blank lines: bounded state, one pass, and the next event still checked', async () => {
    const scanner = new SseScanner(1024 * 1024);
    const line = Buffer.from(`data: ${'z'.repeat(16 * 1024 - 7)}\n`);
    for (let i = 0; i < 1_000; i++) {
      expect(scanner.feed(line)).toEqual([]);
      expect(scanner.bufferedChars).toBeLessThanOrEqual(1024 * 1024);
    }
    expect(scanner.feed(Buffer.from('\r\n'))).toEqual([]);
    expect(scanner.skipped).toBe(1);
    // CRLF split across chunks, and a multi-line data field.
    expect(scanner.feed(Buffer.from('data: {"a":\r'))).toEqual([]);
    expect(scanner.feed(Buffer.from('\ndata: 1}\r\n\r\n'))).toEqual([{ data: '{"a":\n1}' }]);

    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r' });
      for (let i = 0; i < 512; i++) res.write(line);
      res.end('\n\ndata: not json\n\n');
    });
    const proxy = await proxyTo(up.url, { maxBodyBytes: 1024 * 1024 });
    const res = await fetch(`${proxy.url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x","stream":true}' });
    expect((await res.arrayBuffer()).byteLength).toBe(512 * line.length + 18);
    expect(proxy.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['proxy-unvalidated', 'stream-event-json']));
  });
});
