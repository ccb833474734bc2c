// Counted scenarios (issue 9 point 4): `:once` and `:N` fail the first N matching requests (same
// scenario, method, path and body) and let the next one through, whatever headers the client
// sends; proven with plain fetch and with the Vercel AI SDK, which sends no x-stainless-* header.
import { createOpenAI } from '@ai-sdk/openai';
import { generateImage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPng } from '../../src/images/index.js';
import { startMock, type RequestLogEntry, type RunningMock } from '../../src/mock/index.js';
import { MAX_COUNTED_REQUESTS, ScenarioCounts } from '../../src/mock/core/gate/scenario-counts.js';
import { parseScenario } from '../../src/mock/core/gate/scenarios.js';
import type { RequestContext } from '../../src/mock/core/request-context.js';
import { JSON_HEADERS, KEY, call, expectError, multipart, post } from './helpers.js';

let mock: RunningMock;
let gen: string;
const log: RequestLogEntry[] = [];

beforeAll(async () => {
  mock = await startMock({ profile: 'openai', onRequest: (e) => log.push(e) });
  gen = `${mock.url}/images/generations`;
});
afterAll(() => mock.close());

const statuses = async (n: number, send: (i: number) => Promise<{ status: number }>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send(i)).status);
  return out;
};

describe('counted scenarios, any client', () => {
  it(':once by header: fail, succeed; the same call made again fails first again (plain fetch, no x-stainless-*)', async () => {
    const headers = { ...JSON_HEADERS, 'x-mock-scenario': 'server_error:once' };
    const body = { prompt: 'plain fetch once', size: '256x256' };
    expect(await statuses(4, () => post(gen, body, headers))).toEqual([500, 200, 500, 200]);
  });

  it(':N by prompt trigger: N failures, then success', async () => {
    expect(await statuses(4, () => post(gen, { prompt: 'thrice [[server_error:3]]', size: '256x256' }))).toEqual([500, 500, 500, 200]);
  });

  it('rate_limit:S:N keeps its Retry-After and counts', async () => {
    const a = await post(gen, { prompt: 'limited [[rate_limit:2:2]]', size: '256x256' });
    expectError(a, 'rate_limit_exceeded');
    expect(a.headers.get('retry-after')).toBe('2');
    expect(await statuses(2, () => post(gen, { prompt: 'limited [[rate_limit:2:2]]', size: '256x256' }))).toEqual([429, 200]);
  });

  it('whatever headers the client adds (retry counters, ids, other keys) the count is per body', async () => {
    const body = { prompt: 'header noise [[unavailable:1:once]]', size: '256x256' };
    const first = await post(gen, body, { ...JSON_HEADERS, 'x-stainless-retry-count': '7', 'x-random': 'a' });
    expect(first.status).toBe(503);
    const second = await post(gen, body, { authorization: 'Bearer another-key', 'content-type': 'application/json', 'x-request-attempt': '2' });
    expect(second.status).toBe(200);
  });

  it('different bodies are counted apart', async () => {
    const headers = { ...JSON_HEADERS, 'x-mock-scenario': 'bad_gateway:once' };
    const a = { prompt: 'body a', size: '256x256' };
    const b = { prompt: 'body b', size: '256x256' };
    expect((await post(gen, a, headers)).status).toBe(502);
    expect((await post(gen, b, headers)).status).toBe(502);
    expect((await post(gen, a, headers)).status).toBe(200);
    expect((await post(gen, b, headers)).status).toBe(200);
  });

  it('multipart edits match by fields and file bytes, not by the boundary', async () => {
    const image = new Uint8Array(renderPng({ width: 32, height: 32, seed: 'u', prompt: 'u', index: 0 }));
    const form = () => {
      const f = new FormData();
      f.append('image', new Blob([image], { type: 'image/png' }), 'a.png');
      f.append('prompt', 'edit me');
      f.append('model', 'dall-e-2');
      f.append('size', '256x256');
      return f;
    };
    const headers = { authorization: `Bearer ${KEY}`, 'x-mock-scenario': 'server_error:once' };
    expect(await statuses(2, () => multipart(`${mock.url}/images/edits`, form(), headers))).toEqual([500, 200]);
  });

  it('model listings count too', async () => {
    const headers = { authorization: `Bearer ${KEY}`, 'x-mock-scenario': 'timeout:2' };
    expect(await statuses(3, () => call(`${mock.url}/models`, { headers }))).toEqual([504, 504, 200]);
  });

  it('without a count every request fails, as before', async () => {
    expect(await statuses(3, () => post(gen, { prompt: 'always [[server_error]]', size: '256x256' }))).toEqual([500, 500, 500]);
  });

  it('a count of 0 or a second count is an unknown scenario (400)', async () => {
    for (const s of ['server_error:0', 'server_error:2:3', 'rate_limit:1:2:3', 'server_error:once:2']) {
      expect(parseScenario(s), s).toBeUndefined();
      expect((await post(gen, { prompt: 'x' }, { ...JSON_HEADERS, 'x-mock-scenario': s })).status, s).toBe(400);
    }
    expect(parseScenario('rate_limit:3')).toMatchObject({ retryAfter: 3, label: 'rate_limit:3' });
    expect(parseScenario('rate_limit:3')!.count).toBeUndefined();
    expect(parseScenario('slow:10:once')).toMatchObject({ slowMs: 10, count: 1 });
  });
});

describe('the Vercel AI SDK (no x-stainless-* headers) recovers through its own retries', () => {
  it('generateImage: 429 with Retry-After, one retry, then the image', async () => {
    log.length = 0;
    const provider = createOpenAI({ baseURL: mock.url, apiKey: KEY });
    const started = performance.now();
    const result = await generateImage({ model: provider.image('dall-e-2'), prompt: 'ai sdk retry [[rate_limit:1:once]]', size: '256x256', maxRetries: 2 });
    const elapsed = performance.now() - started;
    expect(result.images).toHaveLength(1);
    expect(result.images[0]!.uint8Array.length).toBeGreaterThan(100);
    const attempts = log.filter((e) => e.path === '/v1/images/generations');
    expect(attempts.map((e) => e.status)).toEqual([429, 200]);
    for (const a of attempts) expect(Object.keys(a.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(900); // it waited for Retry-After
  });

  it('generateImage with unavailable:1:2 recovers on the third attempt', async () => {
    log.length = 0;
    const provider = createOpenAI({ baseURL: mock.url, apiKey: KEY });
    const result = await generateImage({ model: provider.image('dall-e-2'), prompt: 'ai sdk twice [[unavailable:1:2]]', size: '256x256', maxRetries: 2 });
    expect(result.images).toHaveLength(1);
    expect(log.filter((e) => e.path === '/v1/images/generations').map((e) => e.status)).toEqual([503, 503, 200]);
  });
});

describe('memory', () => {
  it('the table of pending counts is bounded (LRU)', () => {
    const counts = new ScenarioCounts(100);
    const scenario = parseScenario('server_error:once')!;
    const ctx = (i: number) => ({ method: 'POST', path: '/v1/images/generations', query: '', body: { media: 'application/json', text: `{"prompt":"${i}"}` } }) as unknown as RequestContext;
    for (let i = 0; i < 1000; i++) expect(counts.fails(scenario, ctx(i))).toBe(true);
    expect(counts.size).toBe(100);
    expect(counts.fails(scenario, ctx(999))).toBe(false); // recent entries are kept
    expect(counts.size).toBe(99); // and a success frees its entry
    expect(MAX_COUNTED_REQUESTS).toBeLessThanOrEqual(100_000);
  });
});
