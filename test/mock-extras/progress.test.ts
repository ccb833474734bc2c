import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { io as connect, type Socket } from 'socket.io-client';
import { attachProgress, type ProgressHub } from '../../src/mock/node/progress.js';

const KEYS = new Set(['sk-alice-0123456789', 'sk-bob-0123456789']);
const asyncapi = JSON.parse(readFileSync(new URL('../../generated/image-progress.asyncapi.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
ajv.addSchema(asyncapi, 'image-progress');
const validators = Object.fromEntries(
  Object.entries(asyncapi.components.messages as Record<string, { payload: { $ref: string } }>).map(([event, message]) => [
    event,
    ajv.compile({ $ref: `image-progress${message.payload.$ref}` }),
  ]),
);

let server: http.Server;
let hub: ProgressHub;
let origin: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  // The mock's own handler, installed before the hub as the mock core does.
  server = http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ handledBy: 'mock', url: req.url }));
  });
  hub = attachProgress(server, { authorize: (token) => token !== undefined && KEYS.has(token) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await hub.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

type Received = Array<{ event: string; payload: any }>;

/** A connected client of the progress namespace that records every event it gets. */
async function client(options: { token?: string; header?: string; transports?: string[] }): Promise<{ socket: Socket; received: Received }> {
  const received: Received = [];
  const socket = connect(`${origin}/image-progress`, {
    path: '/socket.io',
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.token !== undefined ? { auth: { token: options.token } } : {}),
    ...(options.header !== undefined ? { extraHeaders: { authorization: options.header } } : {}),
  });
  sockets.push(socket);
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, received };
}

function until(received: Received, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (received.some((r) => r.event === event)) return resolve();
      if (Date.now() - started > 5000) return reject(new Error(`no '${event}' event; got ${JSON.stringify(received)}`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

function expectValid(received: Received) {
  for (const { event, payload } of received) {
    const validate = validators[event];
    expect(validate, `event '${event}' is not in the AsyncAPI document`).toBeDefined();
    expect(validate!(payload), `${event}: ${JSON.stringify(validate!.errors)}`).toBe(true);
  }
}

describe('progress over Socket.IO', () => {
  it('sends a key its own progress, then completed, all valid against the AsyncAPI schemas', async () => {
    const alice = await client({ token: 'sk-alice-0123456789' });
    const bob = await client({ header: 'Bearer sk-bob-0123456789' });

    const run = hub.begin({ requestId: 'req_alice_1', apiKey: 'sk-alice-0123456789', progressId: 'mine-1', model: 'dall-e-2', images: 2 });
    for (const p of [0, 12.4, 40, 30, 40, 99.6]) run.step(p);
    run.complete();
    run.step(100); // ignored after completion
    run.fail({ code: 'x', message: 'ignored' });
    await until(alice.received, 'completed');

    expectValid(alice.received);
    expect(alice.received.map((r) => r.event)).toEqual(['progress', 'progress', 'progress', 'progress', 'progress', 'completed']);
    const percents = alice.received.filter((r) => r.event === 'progress').map((r) => r.payload.percent);
    expect(percents).toEqual([0, 12, 40, 40, 100]); // rounded, the regression to 30 dropped
    expect(alice.received[0]!.payload).toMatchObject({ request_id: 'req_alice_1', progress_id: 'mine-1', model: 'dall-e-2', step: 0, total_steps: 100 });
    expect(alice.received.at(-1)!.payload).toMatchObject({ request_id: 'req_alice_1', progress_id: 'mine-1', model: 'dall-e-2', percent: 100, images: 2 });
    expect(Math.abs(alice.received[0]!.payload.timestamp - Date.now())).toBeLessThan(60_000);

    // Bob's socket got none of it: the next event it sees is its own request's.
    const bobRun = hub.begin({ requestId: 'req_bob_1', apiKey: 'sk-bob-0123456789', model: 'gpt-image-1', images: 1 });
    bobRun.step(50);
    bobRun.fail({ code: 'moderation_blocked', message: 'Your request was rejected by the safety system.' });
    await until(bob.received, 'failed');
    expectValid(bob.received);
    expect(bob.received.map((r) => [r.event, r.payload.request_id])).toEqual([
      ['progress', 'req_bob_1'],
      ['failed', 'req_bob_1'],
    ]);
    expect(bob.received[0]!.payload).not.toHaveProperty('progress_id');
    expect(bob.received[1]!.payload.error).toEqual({ code: 'moderation_blocked', message: 'Your request was rejected by the safety system.' });
    expect(alice.received).toHaveLength(6);
  });

  it('works over long-polling with the Authorization header', async () => {
    const carol = await client({ header: 'Bearer sk-alice-0123456789', transports: ['polling'] });
    // An x-progress-id longer than the document allows is left out, keeping the events valid.
    const run = hub.begin({ requestId: 'req_poll', apiKey: 'sk-alice-0123456789', progressId: 'p'.repeat(200), model: 'dall-e-3', images: 1 });
    run.step(10);
    run.complete();
    await until(carol.received, 'completed');
    expectValid(carol.received);
    expect(carol.received[0]!.payload).not.toHaveProperty('progress_id');
    expect(carol.received.map((r) => r.event)).toEqual(['progress', 'completed']);
  });

  it('refuses a handshake without a key or with a wrong one', async () => {
    await expect(client({ token: 'sk-wrong-0000000000' })).rejects.toMatchObject({
      message: expect.stringContaining('Incorrect API key provided: sk-wro***000'),
      data: { status: 401, code: 'invalid_api_key' },
    });
    await expect(client({})).rejects.toMatchObject({ message: expect.stringContaining("You didn't provide an API key"), data: { status: 401 } });
    await expect(client({ header: 'Basic c2stYWxpY2U=' })).rejects.toMatchObject({ data: { status: 401 } });
  });

  it('builds no payload for a key nobody listens to', async () => {
    const alice = await client({ token: 'sk-alice-0123456789' });
    const clock = vi.spyOn(Date, 'now');
    try {
      const run = hub.begin({ requestId: 'req_nobody', apiKey: 'sk-nobody-listens', model: 'dall-e-2', images: 1 });
      for (let p = 0; p <= 100; p += 10) run.step(p);
      run.complete();
      expect(clock).not.toHaveBeenCalled(); // each payload carries Date.now(): none was made
      const heard = hub.begin({ requestId: 'req_heard', apiKey: 'sk-alice-0123456789', model: 'dall-e-2', images: 1 });
      heard.step(5);
      expect(clock).toHaveBeenCalledTimes(1);
      heard.complete();
    } finally {
      clock.mockRestore();
    }
    await until(alice.received, 'completed');
    expect(alice.received.map((r) => r.payload.request_id)).toEqual(['req_heard', 'req_heard']);
    expect(validators.progress!({ request_id: 'r', model: 'm', percent: 101, step: 0, total_steps: 1, timestamp: Date.now() })).toBe(false);
  });

  it('lets the HTTP server keep its own routes while attached', async () => {
    const res = await fetch(`${origin}/v1/models`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ handledBy: 'mock', url: '/v1/models' });
    // Socket.IO's path is the engine's.
    const handshake = await fetch(`${origin}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('access-control-allow-origin')).toBe('*');
    await handshake.text();
  });
});

describe('closing the hub', () => {
  it('disconnects sockets and hands /socket.io back to the server, which keeps serving', async () => {
    const own = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`mock ${req.url}`);
    });
    const ownHub = attachProgress(own, { authorize: () => true });
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
    try {
      const socket = connect(`${base}/image-progress`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: 'any' } });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      await ownHub.close();
      expect(await disconnected).toMatch(/disconnect|transport close/);
      expect(own.listening).toBe(true);
      const after = await fetch(`${base}/socket.io/?EIO=4&transport=polling`);
      expect(await after.text()).toBe('mock /socket.io/?EIO=4&transport=polling');
      expect(own.listeners('request')).toHaveLength(1);
      expect(own.listeners('upgrade')).toHaveLength(0);
      await ownHub.close(); // idempotent
    } finally {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
  });
});
