import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { startProxy, type RunningProxy } from '../../src/proxy/index.js';

const GOOD_IMAGE =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAMAAACeL25MAAAAA1BMVEXmoCiRp4XbAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAC0lEQVR42mNgwAQAABQAAe5aaQkAAAAASUVORK5CYII=';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function upstream(handler: Handler): Promise<string> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
}

async function proxyTo(url: string): Promise<RunningProxy> {
  const proxy = await startProxy({ upstream: url });
  cleanups.push(() => proxy.close());
  return proxy;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const post = (url: string, body: string, type = 'application/json') =>
  fetch(url + '/images/generations', { method: 'POST', headers: { 'content-type': type, authorization: 'Bearer k' }, body });

describe('validation proxy', () => {
  it('passes a correct exchange through untouched and reports nothing', async () => {
    const proxy = await proxyTo(
      await upstream((_req, _body, res) => json(res, 200, { created: Math.floor(Date.now() / 1000), data: [{ b64_json: GOOD_IMAGE }] }, { 'x-request-id': 'req_1' })),
    );
    const res = await post(proxy.url, JSON.stringify({ prompt: 'otter' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-contract-violations')).toBeNull();
    expect((await res.json()).data[0].b64_json).toBe(GOOD_IMAGE);
    expect(proxy.violations).toEqual([]);
  });

  it('reports a client error answered 500 with a non-OpenAI envelope', async () => {
    const proxy = await proxyTo(await upstream((_req, _body, res) => json(res, 500, { status: 'failure', message: 'Something went wrong' }, { 'x-request-id': 'req_2' })));
    const res = await post(proxy.url, JSON.stringify({ n: 2 }));
    expect(res.status).toBe(500);
    const rules = proxy.violations.map((v) => v.rule);
    expect(rules).toContain('request-schema');
    expect(rules).toContain('client-error-as-5xx');
    expect(rules).toContain('error-envelope');
    expect(JSON.parse(res.headers.get('x-contract-violations')!).length).toBeGreaterThan(0);
  });

  it('reports 200 with an error body, missing x-request-id and a millisecond created', async () => {
    const proxy = await proxyTo(
      await upstream((_req, _body, res) => json(res, 200, { created: Date.now(), data: [], error: { message: 'upstream failed', type: 'ali_error', param: '', code: null } })),
    );
    await post(proxy.url, JSON.stringify({ prompt: 'otter' }));
    const rules = proxy.violations.map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['no-error-in-success', 'x-request-id', 'response-schema']));
    expect(proxy.violations.some((v) => v.message.includes('/created'))).toBe(true);
  });

  it('reports undeclared statuses and content types', async () => {
    const proxy = await proxyTo(
      await upstream((_req, _body, res) => {
        res.writeHead(246, { 'content-type': 'text/plain', 'x-request-id': 'r' });
        res.end('hooks failed');
      }),
    );
    await post(proxy.url, JSON.stringify({ prompt: 'otter' }));
    expect(proxy.violations.map((v) => v.rule)).toContain('status-declared');
  });

  it('checks streamed events as they pass', async () => {
    const event = (type: string, extra: object) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, b64_json: GOOD_IMAGE, created_at: 1763712000, size: '1024x1024', quality: 'low', background: 'opaque', output_format: 'png', ...extra })}\n\n`;
    const proxy = await proxyTo(
      await upstream((_req, _body, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r' });
        res.write(event('image_generation.partial_image', { partial_image_index: 0 }));
        res.write('event: image_generation.completed\ndata: {"type":"image_generation.completed","b64_json":"x"\n\n');
        res.end(event('image_generation.completed', { usage: { prompt_tokens: 1, completion_tokens: 2 } }));
      }),
    );
    const res = await post(proxy.url, JSON.stringify({ prompt: 'otter', model: 'gpt-image-1', stream: true }));
    const text = await res.text();
    expect(text).toContain('image_generation.partial_image');
    const rules = proxy.violations.map((v) => v.rule);
    expect(rules).toContain('stream-event-json');
    expect(rules).toContain('stream-event-schema');
    expect(proxy.violations.filter((v) => v.rule === 'stream-event-schema').length).toBeGreaterThanOrEqual(1);
  });

  it('answers 502 in the contract envelope when the upstream is unreachable', async () => {
    const dead = await upstream(() => undefined);
    await cleanups.pop()!();
    const proxy = await proxyTo(dead);
    const res = await post(proxy.url, JSON.stringify({ prompt: 'otter' }));
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatchObject({ code: 'bad_gateway', param: null });
  });
});
