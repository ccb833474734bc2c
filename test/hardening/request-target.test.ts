// Issue 10 point 1: request targets `new URL` chokes on (`//`, `/\`, `http://%zz/`) are a 400 in the
// contract's envelope from the proxy and the mock, sent over a raw socket, and both keep serving.
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../src/http/request-target.js';
import { startMock } from '../../src/mock/index.js';
import { startProxy } from '../../src/proxy/index.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** One raw HTTP/1.1 request line and what came back (status, body), within 5 s. */
function rawRequest(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${target}`));
    }, 5_000);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-test\r\nConnection: close\r\n\r\n`);
  });
}

const HOSTILE_TARGETS = ['//', '/\\', 'http://%zz/', '//evil.example/v1/models', '/v1/models%zz', '*', 'example.com:443'];

describe('request targets', () => {
  it('parses origin-form and absolute-form, and refuses what URL parsers disagree on, without throwing', () => {
    const ok = parseRequestTarget('/v1/images/generations?x=1');
    expect(ok.ok && [ok.path, ok.query, ok.url.pathname]).toEqual(['/v1/images/generations', 'x=1', '/v1/images/generations']);
    const abs = parseRequestTarget('http://gateway.example:8080/v1/models?a=b');
    expect(abs.ok && [abs.path, abs.query, abs.url.host]).toEqual(['/v1/models', 'a=b', 'gateway.example:8080']);
    for (const raw of [...HOSTILE_TARGETS, '', undefined, '/a b', '/a\u0000', '/caf\u00e9', 'http://user:pw@host/', 'http:///x', `/${'a'.repeat(70_000)}`]) {
      const parsed = parseRequestTarget(raw);
      expect(parsed.ok, String(raw).slice(0, 40)).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/\w/);
    }
  });

  it('the proxy answers 400 in the error envelope to each hostile target and keeps running', async () => {
    const upstream: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      res.end('{"object":"list","data":[]}');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => { upstream.closeAllConnections(); upstream.close(r); }));
    const proxy = await startProxy({ upstream: `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}/v1` });
    cleanups.push(() => proxy.close());
    const port = Number(new URL(proxy.url).port);
    for (const target of HOSTILE_TARGETS) {
      const answer = await rawRequest(port, target);
      expect(answer.status, target).toBe(400);
      const body = JSON.parse(answer.body) as { error: { message: string; type: string; code: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toMatch(/request target/);
    }
    expect((await rawRequest(port, '/v1/models')).status).toBe(200);
  });

  it('the mock answers 400 in the error envelope to each hostile target and keeps running', async () => {
    const mock = await startMock({ port: 0, apiKeys: ['sk-test'] });
    cleanups.push(() => mock.close());
    const port = Number(new URL(mock.url).port);
    for (const target of HOSTILE_TARGETS) {
      const answer = await rawRequest(port, target);
      expect(answer.status, target).toBe(400);
      const body = JSON.parse(answer.body) as { error: { code: string | null; type: string } };
      expect(body.error.type).toBe('invalid_request_error');
      // Node's own parser refuses authority-form before the handler (the mock's clientError answer).
      if (target !== 'example.com:443') expect(body.error.code).toBe('invalid_value');
    }
    expect((await rawRequest(port, '/v1/models')).status).toBe(200);
    expect((await rawRequest(port, `http://127.0.0.1:${port}/v1/models`)).status).toBe(200);
  });
});
