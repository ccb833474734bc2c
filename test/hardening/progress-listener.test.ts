// Issue 10 point 5: the Socket.IO progress listener against a gateway whose /socket.io/ long-poll
// never answers (or answers the handshake and then hangs, or floods no-op packets): the run ends and
// the process EXITS by itself - run in a child process with a timeout - and polling stops with it.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../conformance/helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const OPEN_PACKET = `0${JSON.stringify({ sid: 'hostile-sid', upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000 })}`;

async function gateway(socketIo: (req: IncomingMessage, res: ServerResponse, nth: number) => void): Promise<TestServer> {
  let nth = 0;
  const server = await startServer((req, res) => {
    if (req.url?.startsWith('/socket.io/')) return socketIo(req, res, nth++);
    res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
    res.end(JSON.stringify({ error: { message: 'nope', type: 'invalid_request_error', param: null, code: null } }));
  });
  servers.push(server);
  return server;
}

/** Runs the suite in a child process; resolves with its exit code and output, or 'hung' after `ms`. */
function runChild(baseUrl: string, ms: number): Promise<{ code: number | null | 'hung'; out: string; wallMs: number }> {
  const started = Date.now();
  const options = { apiKey: 'sk-progress-test', profile: 'openai-compatible', timeoutMs: 2_000, maxImages: 2 };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/hardening/fixtures/run-conform.ts', baseUrl, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'hung', out, wallMs: Date.now() - started });
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, wallMs: Date.now() - started });
    });
  });
}

describe('Socket.IO progress listener against hostile servers', () => {
  it('a long-poll that never answers: the run ends and the process exits by itself', async () => {
    const server = await gateway(() => {
      /* never answers */
    });
    const result = await runChild(server.url, 40_000);
    expect(result.code).toBe(0);
    const line = JSON.parse(result.out.trim().split('\n').pop()!) as { progress: Array<[string, string, string]> };
    expect(line.progress.length).toBeGreaterThan(0);
    for (const [, , why] of line.progress) expect(why).toMatch(/connect/);
  }, 60_000);

  it('a handshake answered, then every poll hangs: the process exits by itself', async () => {
    const server = await gateway((req, res, nth) => {
      if (nth === 0 && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' });
        return res.end(OPEN_PACKET);
      }
      /* hang */
    });
    expect((await runChild(server.url, 40_000)).code).toBe(0);
  }, 60_000);

  it('polls flooded with no-op packets: bounded, and polling stops when the run ends', async () => {
    const server = await gateway((req, res, nth) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' });
      res.end(nth === 0 && req.method === 'GET' ? OPEN_PACKET : req.method === 'GET' ? '6' : 'ok');
    });
    const result = await runChild(server.url, 40_000);
    expect(result.code).toBe(0);
    const polls = server.requests.filter((r) => r.url.startsWith('/socket.io/')).length;
    await new Promise((r) => setTimeout(r, 500));
    expect(server.requests.filter((r) => r.url.startsWith('/socket.io/')).length).toBe(polls);
  }, 60_000);
});
