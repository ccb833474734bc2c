// The benchmark's load generator (scripts/bench/load-client.ts): it must send what it says (a
// distinct prompt per request when asked, the same bytes otherwise), read answers by their
// Content-Length however they are split, survive `connection: close`, and count what failed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../scripts/bench/load-client.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A server recording every prompt; `answer` writes the reply. */
async function serve(answer: (req: { prompt: string; n: number }, res: import('node:http').ServerResponse) => void): Promise<{ url: string; prompts: string[] }> {
  const prompts: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const prompt = (JSON.parse(body) as { prompt: string }).prompt;
      prompts.push(prompt);
      answer({ prompt, n: prompts.length }, res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, prompts };
}

const options = { path: '/images/generations', headers: { 'content-type': 'application/json' }, body: { prompt: 'a lighthouse', model: 'dall-e-2' }, connections: 4 };

describe('load client', () => {
  it('sends a distinct prompt per request when asked, and exactly `amount` requests', async () => {
    const { url, prompts } = await serve((_, res) => res.writeHead(200, { 'content-length': 2 }).end('{}'));
    const stats = await runLoad({ ...options, url, unique: true, amount: 300 });
    expect(stats).toMatchObject({ requests: 300, errors: 0, non2xx: 0 });
    expect(prompts).toHaveLength(300);
    expect(new Set(prompts).size).toBe(300);
    for (const p of prompts) expect(p).toMatch(/^a lighthouse #\d{12}$/);
    expect(stats.p99).toBeGreaterThanOrEqual(stats.p50);
    expect(stats.rps).toBeGreaterThan(0);
  });

  it('sends the same body every time otherwise', async () => {
    const { url, prompts } = await serve((_, res) => res.writeHead(200, { 'content-length': 2 }).end('{}'));
    await runLoad({ ...options, url, unique: false, amount: 50 });
    expect(new Set(prompts)).toEqual(new Set(['a lighthouse']));
  });

  it('reads answers split across many writes, counts non-2xx, and reconnects after connection: close', async () => {
    const big = 'x'.repeat(70_000);
    const { url } = await serve(({ n }, res) => {
      if (n % 5 === 0) return res.writeHead(503, { 'content-length': 2, connection: 'close' }).end('{}');
      res.writeHead(200, { 'content-length': big.length + 2 });
      res.write('"');
      setImmediate(() => res.end(`${big}"`)); // the body arrives in pieces, after the head
    });
    const stats = await runLoad({ ...options, url, unique: true, amount: 100 });
    expect(stats.requests).toBe(100);
    expect(stats.non2xx).toBe(20);
    expect(stats.errors).toBe(0);
  });

  it('counts an answer without a Content-Length as an error instead of hanging', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.end('{}');
    });
    const stats = await runLoad({ ...options, url, unique: true, amount: 8 });
    expect(stats.errors).toBe(8); // each request once, none left hanging
    expect(stats.requests).toBe(0);
  });
});

describe('load client, paced', () => {
  it('offers about the rate asked for, spread over the connections', async () => {
    const { url } = await serve((_, res) => res.writeHead(200, { 'content-length': 2 }).end('{}'));
    const stats = await runLoad({ ...options, url, unique: true, rate: 400, durationSec: 1 });
    expect(stats.requests).toBeGreaterThan(300);
    expect(stats.requests).toBeLessThan(480);
  });
});
