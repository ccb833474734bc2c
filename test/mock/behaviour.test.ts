// The mock gateway's behaviour: every bad request answered with the contract's error, every
// success valid against our spec and OpenAI's, real images, signed URLs, streaming, scenarios,
// rate limits, CORS, body limits, and the three profiles.
import http from 'node:http';
import { builtInProfiles } from '../../src/contract/profiles.js';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { io as connectSocket } from 'socket.io-client';
import { errorKind, errorKinds } from '../../src/contract/errors.js';
import { findModel, sizeProblem } from '../../src/contract/catalogue.js';
import { specValidator } from '../../src/contract/validator.js';
import { decodeImage, renderPng, sniffImage } from '../../src/images/index.js';
import { createMockServer, startMock, type RunningMock } from '../../src/mock/index.js';
import { KEY, JSON_HEADERS, b64, call, expectError, expectImagesResponse, expectNativeError, expectRequestId, multipart, parseSse, post } from './helpers.js';

let mock: RunningMock;
let gen: string;

beforeAll(async () => {
  mock = await startMock({ profile: 'openai' });
  gen = `${mock.url}/images/generations`;
});
afterAll(() => mock.close());

const cjk = (n: number) => '猫'.repeat(n);
const png = (width: number, height: number, transparent = false) => new Uint8Array(renderPng({ width, height, transparent, seed: 'upload', prompt: 'upload', index: 0 }));

describe('successful generations', () => {
  it('dall-e-2 by default: a URL served by the mock itself, a real 1024x1024 PNG', async () => {
    const a = await post(gen, { prompt: 'A cute baby sea otter' });
    expect(a.status, a.text).toBe(200);
    expectRequestId(a);
    expectImagesResponse(a.json);
    expect(a.json.data).toHaveLength(1);
    const url: string = a.json.data[0].url;
    expect(url.startsWith(`${mock.url}/media/`)).toBe(true);
    const img = await fetch(url);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('cache-control')).toMatch(/max-age=(3[0-5][0-9]{2}|3600)\b/);
    expect(img.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const decoded = await decodeImage(new Uint8Array(await img.arrayBuffer()));
    expect(decoded).toMatchObject({ ok: true, format: 'png', width: 1024, height: 1024 });
  });

  it('accepts the nulls the SDK sends for optional fields', async () => {
    const a = await post(gen, { prompt: 'otter', model: null, n: null, size: null, response_format: null, user: null, quality: null });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
  });

  it('dall-e-2 n=3 b64_json 256x256: three different real images', async () => {
    const a = await post(gen, { model: 'dall-e-2', prompt: 'Minimalist logo', n: 3, size: '256x256', response_format: 'b64_json' });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(a.json.data).toHaveLength(3);
    const images = [0, 1, 2].map((i) => b64(a, i));
    for (const bytes of images) expect(sniffImage(bytes)).toMatchObject({ format: 'png', width: 256, height: 256 });
    expect(new Set(images.map((b) => b.toString('base64'))).size).toBe(3);
    expect(a.json.usage).toBeUndefined();
  });

  it('dall-e-3 hd landscape returns revised_prompt and the exact size', async () => {
    const a = await post(gen, { model: 'dall-e-3', prompt: 'A futuristic city at night', size: '1792x1024', quality: 'hd', style: 'natural', response_format: 'b64_json' });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(a.json.data[0].revised_prompt).toMatch(/^A futuristic city at night/);
    expect(sniffImage(b64(a))).toMatchObject({ format: 'png', width: 1792, height: 1024 });
  });

  it('gpt-image-1 webp with a transparent background: usage, resolved echoes, real alpha', async () => {
    const a = await post(gen, { model: 'gpt-image-1', prompt: 'A sticker of a smiling cactus', output_format: 'webp', output_compression: 80, background: 'transparent', quality: 'low' });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(a.json).toMatchObject({ background: 'transparent', output_format: 'webp', quality: 'low', size: '1024x1024' });
    expect(a.json.data[0].url).toBeUndefined();
    expect(a.json.usage.total_tokens).toBe(a.json.usage.input_tokens + a.json.usage.output_tokens);
    expect(a.json.usage.input_tokens_details.text_tokens).toBeGreaterThan(0);
    const decoded = await decodeImage(b64(a));
    expect(decoded).toMatchObject({ ok: true, format: 'webp', width: 1024, height: 1024, hasAlpha: true });
    expect(decoded.ok && decoded.transparentPixelRatio).toBeGreaterThan(0.3);
  });

  it('gpt-image-1.5 auto size and quality are echoed resolved, never auto', async () => {
    const a = await post(gen, { model: 'gpt-image-1.5', prompt: 'A lighthouse', size: 'auto', quality: 'auto', background: 'auto' });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(a.json).toMatchObject({ size: '1024x1024', quality: 'medium', background: 'opaque', output_format: 'png' });
    const decoded = await decodeImage(b64(a));
    expect(decoded).toMatchObject({ ok: true, format: 'png', hasAlpha: false });
  });

  it('gpt-image-1 jpeg portrait at the requested size', async () => {
    const a = await post(gen, { model: 'gpt-image-1', prompt: 'A tall tower', size: '1024x1536', output_format: 'jpeg', output_compression: 40 });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(await decodeImage(b64(a))).toMatchObject({ ok: true, format: 'jpeg', width: 1024, height: 1536 });
  });

  it('gpt-image-2 custom size (valid for our spec; outside the size enum of OpenAI\'s response schema, so only ours applies)', async () => {
    expect(sizeProblem(findModel('gpt-image-2')!, '2048x1152')).toBeUndefined();
    const a = await post(gen, { model: 'gpt-image-2', prompt: 'A panoramic lake', size: '2048x1152', quality: 'medium' });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json, { openaiSchema: false });
    expect(a.json.size).toBe('2048x1152');
    expect(sniffImage(b64(a))).toMatchObject({ width: 2048, height: 1152 });
  });

  it('a GPT-image-only parameter without model selects a GPT image model, as OpenAI does', async () => {
    const a = await post(gen, { prompt: 'A cactus', output_format: 'webp' });
    expect(a.status, a.text).toBe(200);
    expect(a.json.usage).toBeDefined();
    expect(sniffImage(b64(a))?.format).toBe('webp');
  });

  it('counts the prompt limit in characters, so CJK prompts are not penalised', async () => {
    const ok = await post(gen, { model: 'dall-e-2', prompt: cjk(999) });
    expect(ok.status, ok.text).toBe(200);
    const max = findModel('dall-e-2')!.prompt.maxChars;
    const tooLong = await post(gen, { model: 'dall-e-2', prompt: cjk(max + 1) });
    expectError(tooLong, 'prompt_too_long', { param: 'prompt', max, length: max + 1 });
  });

  it('is deterministic per (seed, prompt, index) and different per index, prompt and seed', async () => {
    const body = { model: 'dall-e-2', prompt: 'determinism', n: 2, size: '256x256', response_format: 'b64_json' };
    const [a, b] = await Promise.all([post(gen, body), post(gen, body)]);
    expect(a.json.data).toEqual(b.json.data);
    expect(a.json.data[0].b64_json).not.toBe(a.json.data[1].b64_json);
    const other = await post(gen, { ...body, prompt: 'something else' });
    expect(other.json.data[0].b64_json).not.toBe(a.json.data[0].b64_json);
    const seeded = await startMock({ seed: 'another seed' });
    try {
      const c = await post(`${seeded.url}/images/generations`, body);
      expect(c.json.data[0].b64_json).not.toBe(a.json.data[0].b64_json);
    } finally {
      await seeded.close();
    }
    // The URL of the same request serves the same bytes.
    const viaUrl = await post(gen, { ...body, response_format: 'url' });
    const bytes = Buffer.from(await (await fetch(viaUrl.json.data[1].url)).arrayBuffer());
    expect(bytes.toString('base64')).toBe(a.json.data[1].b64_json);
  });
});

describe('bad requests get the contract error, never 422 or 5xx', () => {
  const cases: Array<[string, unknown, string, Record<string, unknown>?]> = [
    ['missing prompt', { model: 'dall-e-3' }, 'missing_required_parameter', { param: 'prompt' }],
    ['empty prompt', { prompt: '' }, 'empty_prompt', { param: 'prompt' }],
    ['n of the wrong type', { prompt: 'x', n: 'two' }, 'invalid_type', { param: 'n', expected: 'an integer', actual: 'a string' }],
    ['prompt of the wrong type', { prompt: 42 }, 'invalid_type', { param: 'prompt', expected: 'a string', actual: 'an integer' }],
    ['n = 0', { prompt: 'x', n: 0 }, 'integer_out_of_range', { param: 'n', min: 1, max: 10, value: '0' }],
    ['n = 11', { prompt: 'x', n: 11 }, 'integer_out_of_range', { param: 'n', min: 1, max: 10, value: '11' }],
    ['dall-e-3 with n = 2', { model: 'dall-e-3', prompt: 'x', n: 2 }, 'n_must_be_one', { param: null }],
    ['dall-e-2 with 1792x1024', { model: 'dall-e-2', prompt: 'x', size: '1792x1024' }, 'invalid_size'],
    ['gpt-image-1 with 512x512', { model: 'gpt-image-1', prompt: 'x', size: '512x512' }, 'invalid_value'],
    ['gpt-image-2 size not a multiple of 16', { model: 'gpt-image-2', prompt: 'x', size: '2048x1150' }, 'invalid_value'],
    ['size not WIDTHxHEIGHT', { prompt: 'x', size: 'big' }, 'invalid_value'],
    ['response_format on a GPT image model', { model: 'gpt-image-1', prompt: 'x', response_format: 'b64_json' }, 'unknown_parameter', { param: 'response_format' }],
    ['an unknown top-level field', { prompt: 'x', colour: 'blue' }, 'unknown_parameter', { param: 'colour' }],
    ['output_compression 101', { model: 'gpt-image-1', prompt: 'x', output_compression: 101 }, 'integer_out_of_range', { param: 'output_compression', min: 0, max: 100, value: '101' }],
    ['partial_images 4', { model: 'gpt-image-1', prompt: 'x', stream: true, partial_images: 4 }, 'integer_out_of_range'],
    ['transparent jpeg', { model: 'gpt-image-1', prompt: 'x', background: 'transparent', output_format: 'jpeg' }, 'transparent_needs_alpha_format', { param: 'background', value: 'jpeg', allowed: "'png' or 'webp'" }],
    ['hd quality on a GPT image model', { model: 'gpt-image-1', prompt: 'x', quality: 'hd' }, 'invalid_value'],
    ['quality not in the vocabulary', { prompt: 'x', quality: 'ultra' }, 'invalid_value'],
    ['an unknown model', { model: 'dall-e-9', prompt: 'x' }, 'model_not_found', { param: 'model', model: 'dall-e-9' }],
    ['a catalogue model outside the profile', { model: 'flux-pro', prompt: 'x' }, 'model_not_found', { param: 'model', model: 'flux-pro' }],
    ['an operation the model lacks', { model: 'chatgpt-image-latest', prompt: 'x' }, 'unsupported_operation'],
    ['a JSON array body', [], 'invalid_type'],
    ['metadata values of the wrong type', { prompt: 'x', metadata: { a: { b: 1 } } }, 'invalid_type'],
  ];
  for (const [name, body, kind, vars] of cases) {
    it(name, async () => {
      const a = await post(gen, body);
      expectError(a, kind, vars as never);
    });
  }

  it('malformed JSON is 400 malformed_json', async () => {
    expectError(await post(gen, '{"prompt": "x",'), 'malformed_json');
    expectError(await post(gen, ''), 'malformed_json');
  });

  it('a Content-Type the operation does not take is 415', async () => {
    const a = await post(gen, 'prompt=x', { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded' });
    expectError(a, 'unsupported_media_type');
    expect(a.json.error.message).toContain("'application/x-www-form-urlencoded'");
  });

  it('a missing key is 401 missing_api_key; a wrong key 401 invalid_api_key, masked', async () => {
    expectError(await post(gen, { prompt: 'x' }, { 'content-type': 'application/json' }), 'missing_api_key');
    const keyed = await startMock({ apiKeys: ['sk-right-key-0001'] });
    try {
      const wrong = await post(`${keyed.url}/images/generations`, { prompt: 'x' }, { authorization: 'Bearer sk-abcdefghijklmnopxyz', 'content-type': 'application/json' });
      expectError(wrong, 'invalid_api_key', { value: 'sk-abc***xyz' });
      const right = await post(`${keyed.url}/images/generations`, { prompt: 'x' }, { authorization: 'Bearer sk-right-key-0001', 'content-type': 'application/json' });
      expect(right.status).toBe(200);
    } finally {
      await keyed.close();
    }
  });

  it('unknown routes and methods are 404 route_not_found', async () => {
    expectError(await post(`${mock.url}/images/generate`, { prompt: 'x' }), 'route_not_found', { method: 'POST', path: '/v1/images/generate' });
    expectError(await call(gen, { headers: JSON_HEADERS }), 'route_not_found', { method: 'GET', path: '/v1/images/generations' });
    expectError(await call(`${mock.origin}/`), 'route_not_found');
  });

  it('refuses a declared Content-Length over the limit with 413 before reading', async () => {
    const small = await startMock({ maxBodyBytes: 2048 });
    try {
      const a = await post(`${small.url}/images/generations`, { prompt: 'x'.repeat(4096) });
      expectError(a, 'request_too_large', { max: 2048 });
    } finally {
      await small.close();
    }
  });

  it('refuses a huge chunked body with 413 while it streams, without buffering it', async () => {
    const limit = 1024 * 1024;
    const small = await startMock({ maxBodyBytes: limit });
    try {
      const before = process.memoryUsage().rss;
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      let sent = 0;
      const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${small.url}/images/generations`, { method: 'POST', headers: JSON_HEADERS }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
          res.on('error', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', () => {}); // the mock closes the connection once it has answered
        const pump = () => {
          // Up to 512 MB offered; the mock must answer long before that.
          while (sent < 512 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        req.on('response', () => (sent = Infinity));
        pump();
        setTimeout(() => reject(new Error('no answer to an oversized body')), 20_000).unref();
      });
      expect(status.status).toBe(413);
      expect(JSON.parse(status.body)).toEqual({ error: expect.objectContaining({ code: errorKind('request_too_large').body.error.code }) });
      expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
      // The mock is still fine afterwards.
      expect((await post(`${small.url}/images/generations`, { prompt: 'x' })).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('lenient mode', () => {
  let lenient: RunningMock;
  beforeAll(async () => (lenient = await startMock({ lenient: true })));
  afterAll(() => lenient.close());

  it('accepts cross-model combinations as Prism does', async () => {
    const a = await post(`${lenient.url}/images/generations`, { model: 'gpt-image-2', prompt: 'x', response_format: 'url', size: '256x256' });
    expect(a.status, a.text).toBe(200);
    // The echoed size 256x256 is outside the size enum of OpenAI's response schema: ours only.
    expectImagesResponse(a.json, { openaiSchema: false });
    const img = await fetch(a.json.data[0].url);
    expect(sniffImage(new Uint8Array(await img.arrayBuffer()))).toMatchObject({ width: 256, height: 256 });
    const dalle3 = await post(`${lenient.url}/images/generations`, { model: 'dall-e-3', prompt: 'x', n: 2, extra: true });
    expect(dalle3.status, dalle3.text).toBe(200);
    expect(dalle3.json.data).toHaveLength(2);
  });

  it('still enforces the schema and the model lookup', async () => {
    expectError(await post(`${lenient.url}/images/generations`, { prompt: 'x', n: 'two' }), 'invalid_type');
    expectError(await post(`${lenient.url}/images/generations`, { prompt: 'x', n: 11 }), 'integer_out_of_range');
    expectError(await post(`${lenient.url}/images/generations`, { prompt: 'x', model: 'nope' }), 'model_not_found');
  });
});

describe('media URLs: stateless signed tokens', () => {
  it('forged tokens are 404 media_not_found, expired ones 410 media_expired', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const m = await startMock({ now: () => clock, urlTtlSeconds: 60 });
    try {
      const a = await post(`${m.url}/images/generations`, { prompt: 'expiring' });
      const url: string = a.json.data[0].url;
      expect((await fetch(url)).status).toBe(200);
      const sig = url.slice(url.lastIndexOf('.') + 1);
      const forged = url.slice(0, url.lastIndexOf('.') + 1) + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
      expectError(await call(forged), 'media_not_found');
      expectError(await call(`${m.url}/media/not-a-token`), 'media_not_found');
      clock += 61_000;
      expectError(await call(url), 'media_expired');
    } finally {
      await m.close();
    }
  });

  it('replicas given the same secret serve each other\'s URLs; others do not', async () => {
    const [a, b, c] = await Promise.all([startMock({ mediaSecret: 'shared' }), startMock({ mediaSecret: 'shared' }), startMock({ mediaSecret: 'other' })]);
    try {
      const made = await post(`${a.url}/images/generations`, { prompt: 'replicated', size: '256x256' });
      const token = made.json.data[0].url.split('/media/')[1];
      const fromB = await fetch(`${b.url}/media/${token}`);
      expect(fromB.status).toBe(200);
      expect(sniffImage(new Uint8Array(await fromB.arrayBuffer()))).toMatchObject({ width: 256, height: 256 });
      expectError(await call(`${c.url}/media/${token}`), 'media_not_found');
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('streaming', () => {
  it('gpt-image-1 partial_images=2: two partial events then one completed with usage', async () => {
    const a = await post(gen, { model: 'gpt-image-1', prompt: 'A watercolor fox', stream: true, partial_images: 2, quality: 'low' });
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expectRequestId(a);
    const events = parseSse(a.text);
    expect(events.map((e) => e.event)).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
    for (const e of events) {
      expect(e.data.type).toBe(e.event);
      expect(specValidator().problems('ImageGenStreamEvent', e.data)).toEqual([]);
      expect(sniffImage(Buffer.from(e.data.b64_json, 'base64'))).toMatchObject({ format: 'png', width: 1024, height: 1024 });
    }
    expect(events.slice(0, 2).map((e) => e.data.partial_image_index)).toEqual([0, 1]);
    expect(events[2]!.data.usage.input_tokens_details).toBeDefined();
    expect(events[2]!.data).toMatchObject({ quality: 'low', size: '1024x1024', background: 'opaque', output_format: 'png' });
    // Partials are earlier renderings, not the final image.
    expect(events[0]!.data.b64_json).not.toBe(events[2]!.data.b64_json);
  });

  it('spaces events by the configured latency', async () => {
    const slow = await startMock({ latencyMs: 400 });
    try {
      const started = performance.now();
      const res = await fetch(`${slow.url}/images/generations`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ model: 'gpt-image-1', prompt: 'x', stream: true, partial_images: 1 }) });
      const reader = res.body!.getReader();
      const firstChunk = await reader.read();
      const firstAt = performance.now() - started;
      let text = new TextDecoder().decode(firstChunk.value);
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
      const total = performance.now() - started;
      expect(parseSse(text).map((e) => e.event)).toEqual(['image_generation.partial_image', 'image_generation.completed']);
      expect(total).toBeGreaterThanOrEqual(380);
      expect(total - firstAt).toBeGreaterThanOrEqual(150);
    } finally {
      await slow.close();
    }
  });

  it('models without streaming refuse stream: true (see stream-unsupported.test.ts)', async () => {
    expectError(await post(gen, { model: 'dall-e-2', prompt: 'x', stream: true }), 'unsupported_for_model', { param: 'stream', model: 'dall-e-2' });
  });

  it('edits stream image_edit.* events', async () => {
    const form = new FormData();
    form.append('model', 'gpt-image-1');
    form.append('prompt', 'Add a hat');
    form.append('stream', 'true');
    form.append('partial_images', '1');
    form.append('image[]', new Blob([png(64, 64)], { type: 'image/png' }), 'a.png');
    const a = await multipart(`${mock.url}/images/edits`, form);
    expect(a.status, a.text).toBe(200);
    const events = parseSse(a.text);
    expect(events.map((e) => e.event)).toEqual(['image_edit.partial_image', 'image_edit.completed']);
    for (const e of events) expect(specValidator().problems('ImageEditStreamEvent', e.data)).toEqual([]);
  });
});

describe('scenarios', () => {
  it('content policy: content_policy_violation for dall-e, moderation_blocked for GPT image models', async () => {
    expectError(await post(gen, { model: 'dall-e-3', prompt: 'x' }, { ...JSON_HEADERS, 'x-mock-scenario': 'content_policy' }), 'content_policy_violation');
    expectError(await post(gen, { model: 'gpt-image-1', prompt: 'x [[moderation]] y' }), 'moderation_blocked');
    expectError(await post(gen, { model: 'dall-e-2', prompt: '[[content_policy]]' }), 'content_policy_violation');
  });

  it('rate_limit: 429 with integer Retry-After and x-ratelimit-*', async () => {
    const a = await post(gen, { prompt: 'please [[rate_limit:2]]' });
    expectError(a, 'rate_limit_exceeded');
    expect(a.headers.get('retry-after')).toBe('2');
    expect(a.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(a.headers.get('x-ratelimit-reset-requests')).toBe('2s');
  });

  it('quota, budget, server error, unavailable (with Retry-After), bad gateway', async () => {
    const quota = await post(gen, { prompt: '[[quota]]' });
    expectError(quota, 'insufficient_quota');
    expect(quota.headers.get('retry-after')).toBeNull();
    expectError(await post(gen, { prompt: '[[budget]]' }), 'budget_exceeded');
    expectError(await post(gen, { prompt: '[[server_error]]' }), 'server_error');
    const unavailable = await post(gen, { prompt: '[[unavailable]]' });
    expectError(unavailable, 'service_unavailable');
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expectError(await post(gen, { prompt: 'x' }, { ...JSON_HEADERS, 'x-mock-scenario': 'bad_gateway' }), 'bad_gateway');
  });

  it('slow answers after the delay', async () => {
    const a = await post(gen, { prompt: 'x [[slow:300]]' });
    expect(a.status).toBe(200);
    expect(a.ms).toBeGreaterThanOrEqual(290);
  });

  it("Prism's Prefer: code= and example= select error kinds", async () => {
    expectError(await post(gen, { prompt: 'x' }, { ...JSON_HEADERS, prefer: 'code=429' }), 'rate_limit_exceeded');
    expectError(await post(gen, { prompt: 'x' }, { ...JSON_HEADERS, prefer: 'example=InsufficientQuota' }), 'insufficient_quota');
    expectError(await post(gen, { prompt: 'x' }, { ...JSON_HEADERS, prefer: 'code=503' }), 'service_unavailable');
    expect((await post(gen, { prompt: 'x' }, { ...JSON_HEADERS, prefer: 'code=200' })).status).toBe(200);
  });

  it(':once fails only the first attempt (the retry succeeds)', async () => {
    const headers = { ...JSON_HEADERS, 'x-mock-scenario': 'server_error:once' };
    expectError(await post(gen, { prompt: 'x' }, headers), 'server_error');
    expect((await post(gen, { prompt: 'x' }, { ...headers, 'x-stainless-retry-count': '1' })).status).toBe(200);
  });

  it('every error kind of the spec is a scenario, with a filled-in message', async () => {
    for (const kind of errorKinds().keys()) {
      const a = await post(gen, { model: 'dall-e-3', prompt: 'x' }, { ...JSON_HEADERS, 'x-mock-scenario': kind });
      expectError(a, kind);
      expect(a.json.error.message, kind).not.toMatch(/\{[a-z]+\}/);
    }
    const model = await post(gen, { model: 'dall-e-3', prompt: 'x' }, { ...JSON_HEADERS, prefer: 'code=404' });
    expectError(model, 'model_not_found', { param: 'model', model: 'dall-e-3' });
  });

  it('an unknown scenario name is a 400, not silently ignored', async () => {
    expectError(await post(gen, { prompt: 'x' }, { ...JSON_HEADERS, 'x-mock-scenario': 'nonsense' }), 'invalid_value');
  });
});

describe('rate limiter', () => {
  it('allows N per minute per key, then 429 with Retry-After; headers on every answer', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const m = await startMock({ rateLimitPerMinute: 3, now: () => clock });
    try {
      const url = `${m.url}/images/generations`;
      const remaining: Array<string | null> = [];
      for (let i = 0; i < 3; i++) {
        const a = await post(url, { prompt: 'x' });
        expect(a.status).toBe(200);
        expect(a.headers.get('x-ratelimit-limit-requests')).toBe('3');
        expect(a.headers.get('x-ratelimit-reset-requests')).toMatch(/^([0-9]+(ms|s|m))+$/);
        remaining.push(a.headers.get('x-ratelimit-remaining-requests'));
        clock += 1000;
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const refused = await post(url, { prompt: 'x' });
      expectError(refused, 'rate_limit_exceeded', { limit: 3, current: 4 });
      expect(refused.headers.get('retry-after')).toBe('57');
      // Errors count too, and other keys have their own window.
      expect((await post(url, { prompt: 'x' }, { ...JSON_HEADERS, authorization: 'Bearer sk-other-key-000' })).status).toBe(200);
      clock += 57_000;
      expect((await post(url, { prompt: 'x' })).status).toBe(200);
    } finally {
      await m.close();
    }
  });
});

describe('headers on every answer', () => {
  it('x-request-id and CORS on success, errors, 404s, media and preflights', async () => {
    const answers = [await post(gen, { prompt: 'x' }), await post(gen, { prompt: '' }), await call(`${mock.url}/nope`), await call(`${mock.url}/models`, { headers: JSON_HEADERS })];
    answers.push(await call(answers[0]!.json.data[0].url));
    for (const a of answers) expectRequestId(a);
    expect(new Set(answers.map((a) => a.headers.get('x-request-id'))).size).toBe(answers.length);
    expect(answers[0]!.headers.get('access-control-expose-headers')).toMatch(/x-request-id.*retry-after.*x-ratelimit-limit-requests/);
  });

  it('answers the SDK\'s CORS preflight with 204', async () => {
    const requested = 'authorization, content-type, x-stainless-os, x-stainless-lang, x-stainless-retry-count, x-stainless-timeout, openai-organization, openai-project';
    const a = await call(gen, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': requested } });
    expect(a.status).toBe(204);
    expectRequestId(a);
    expect(a.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = a.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const h of requested.split(', ')) expect(allowed).toContain(h);
    for (const h of ['x-stainless-package-version', 'x-stainless-runtime-version', 'x-mock-scenario', 'prefer']) expect(allowed).toContain(h);
  });
});

describe('edits and variations', () => {
  it('dall-e-2 edit with a square PNG and a same-size mask', async () => {
    const form = new FormData();
    form.append('model', 'dall-e-2');
    form.append('prompt', 'A flamingo in the pool');
    form.append('n', '2');
    form.append('size', '512x512');
    form.append('image', new Blob([png(128, 128)], { type: 'image/png' }), 'lounge.png');
    form.append('mask', new Blob([png(128, 128, true)], { type: 'image/png' }), 'mask.png');
    const a = await multipart(`${mock.url}/images/edits`, form);
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(a.json.data).toHaveLength(2);
    const img = await fetch(a.json.data[0].url);
    expect(sniffImage(new Uint8Array(await img.arrayBuffer()))).toMatchObject({ width: 512, height: 512 });
  });

  it('dall-e-2 refuses a non-square image (invalid_image)', async () => {
    const form = new FormData();
    form.append('model', 'dall-e-2');
    form.append('prompt', 'x');
    form.append('image', new Blob([png(128, 64)], { type: 'image/png' }), 'wide.png');
    expectError(await multipart(`${mock.url}/images/edits`, form), 'invalid_image');
  });

  it('gpt-image-1 with two images as image[] (default model otherwise gpt-image-1.5)', async () => {
    const form = new FormData();
    form.append('model', 'gpt-image-1');
    form.append('prompt', 'Put both in a gift basket');
    form.append('output_format', 'webp');
    form.append('image[]', new Blob([png(64, 64)], { type: 'image/png' }), 'a.png');
    form.append('image[]', new Blob([png(96, 64)], { type: 'image/png' }), 'b.png');
    const a = await multipart(`${mock.url}/images/edits`, form);
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(a.json.usage.input_tokens_details.image_tokens).toBeGreaterThan(0);
    expect(sniffImage(b64(a))?.format).toBe('webp');
  });

  it('input_fidelity on gpt-image-1-mini is unsupported_for_model; a file sent as text is invalid_type', async () => {
    const form = new FormData();
    form.append('model', 'gpt-image-1-mini');
    form.append('prompt', 'x');
    form.append('input_fidelity', 'high');
    form.append('image', new Blob([png(64, 64)], { type: 'image/png' }), 'a.png');
    expectError(await multipart(`${mock.url}/images/edits`, form), 'unsupported_for_model', { param: 'input_fidelity', model: 'gpt-image-1-mini' });
    const text = new FormData();
    text.append('prompt', 'x');
    text.append('image', 'not a file');
    expectError(await multipart(`${mock.url}/images/edits`, text), 'invalid_type', { param: 'image', expected: 'a file', actual: 'a string' });
  });

  it('JSON edits by image URL for GPT image models; not for dall-e-2', async () => {
    const a = await post(`${mock.url}/images/edits`, { prompt: 'Make it snow', images: [{ image_url: 'https://example.com/house.png' }] });
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expectError(await post(`${mock.url}/images/edits`, { model: 'dall-e-2', prompt: 'x', images: [{ file_id: 'file-1' }] }), 'unsupported_for_model');
    expectError(await post(`${mock.url}/images/edits`, { prompt: 'x' }), 'missing_required_parameter', { param: 'images' });
  });

  it('variations: dall-e-2 n=2; a JPEG is invalid_image; dall-e-3 unsupported_operation', async () => {
    const form = new FormData();
    form.append('n', '2');
    form.append('size', '256x256');
    form.append('response_format', 'b64_json');
    form.append('image', new Blob([png(64, 64)], { type: 'image/png' }), 'otter.png');
    const a = await multipart(`${mock.url}/images/variations`, form);
    expect(a.status, a.text).toBe(200);
    expectImagesResponse(a.json);
    expect(sniffImage(b64(a, 1))).toMatchObject({ width: 256, height: 256 });
    const dalle3 = new FormData();
    dalle3.append('model', 'dall-e-3');
    dalle3.append('image', new Blob([png(64, 64)], { type: 'image/png' }), 'otter.png');
    expectError(await multipart(`${mock.url}/images/variations`, dalle3), 'unsupported_operation');
    expectError(await post(`${mock.url}/images/variations`, { image: 'x' }), 'unsupported_media_type');
  });
});

describe('profiles', () => {
  it('scaigrid: native envelope, /oai/v1 alias, metadata, model required, model list', async () => {
    const sg = await startMock({ profile: 'scaigrid' });
    try {
      const native = await post(`${sg.url}/inference/images/generate`, { model: 'openai/dall-e-3', prompt: 'A cozy reading nook', size: '1024x1024', quality: 'standard', n: 1, metadata: { team: 'design' } });
      expect(native.status, native.text).toBe(200);
      expect(specValidator().problems('NativeGenerateResponse', native.json)).toEqual([]);
      expect(native.json.data.data[0]).toMatchObject({ b64_json: null, revised_prompt: expect.stringMatching(/^A cozy reading nook/) });
      expect(native.json.data.metadata).toEqual({ team: 'design' });
      expect((await fetch(native.json.data.data[0].url)).status).toBe(200);
      const b64 = await post(`${sg.url}/inference/images/generate`, { model: 'stability/sd-xl', prompt: 'x', response_format: 'b64_json' });
      expect(specValidator().problems('NativeGenerateResponse', b64.json)).toEqual([]);
      expect(b64.json.data.data[0].url).toBeNull();

      expectNativeError(await post(`${sg.url}/inference/images/generate`, { model: 'openai/dall-e-3' }), 'missing_required_parameter', { param: 'prompt' });
      expectNativeError(await post(`${sg.url}/inference/images/generate`, { prompt: 'x' }), 'missing_required_parameter', { param: 'model' });
      expectNativeError(await post(`${sg.url}/inference/images/generate`, { model: 'gpt-image-1', prompt: 'x' }), 'model_not_found');
      expectNativeError(await post(`${sg.url}/inference/images/generate`, { model: 'openai/dall-e-3', prompt: 'x', size: '256x256' }), 'invalid_size');
      expectNativeError(await post(`${sg.url}/inference/images/generate`, { model: 'openai/dall-e-3', prompt: '[[budget]]' }), 'budget_exceeded');
      expectNativeError(await post(`${sg.url}/inference/images/generate`, { model: 'openai/dall-e-3', prompt: 'x' }, { 'content-type': 'application/json' }), 'missing_api_key');
      expectNativeError(await call(`${sg.url}/media/forged.token`), 'media_not_found');

      const oai = await post(`${sg.openaiUrl}/images/generations`, { model: 'openai/dall-e-2', prompt: 'x', metadata: { a: 'b' } });
      expect(sg.openaiUrl).toMatch(/\/oai\/v1$/);
      expect(oai.status, oai.text).toBe(200);
      expectImagesResponse(oai.json, { openaiSchema: true });
      expect(oai.json.metadata).toEqual({ a: 'b' });
      expectError(await post(`${sg.openaiUrl}/images/generations`, { prompt: 'x' }), 'missing_required_parameter', { param: 'model' });
      expectError(await post(`${sg.openaiUrl}/images/edits`, { prompt: 'x' }), 'route_not_found');

      const models = await call(`${sg.url}/models?modality=image`, { headers: JSON_HEADERS });
      expect(models.status).toBe(200);
      expect(specValidator().problems('ModelList', models.json)).toEqual([]);
      expect(models.json.data.map((m: { id: string }) => m.id)).toEqual(sg.profile.models);
      expect((await call(`${sg.url}/models?modality=audio`, { headers: JSON_HEADERS })).json.data).toEqual([]);
      const smell = await call(`${sg.url}/models?modality=smell`, { headers: JSON_HEADERS });
      expectError(smell, 'invalid_value');
      expect(smell.json.error).toMatchObject({ param: 'modality', message: expect.stringContaining("'smell'") });
    } finally {
      await sg.close();
    }
  });

  // A gateway profile with every extra at once (model required, perf block, progress, all models).
  const everyExtra = () => ({ ...builtInProfiles()['openai-compatible']!, name: 'every-extra', modelRequired: true, extras: { perf: true, metadata: false }, progressEvents: true });

  it('a profile with the perf block: model required, third-party models, perf block, no edits', async () => {
    const oc = await startMock({ profile: everyExtra() });
    try {
      const url = `${oc.url}/images/generations`;
      const a = await post(url, { model: 'flux-pro', prompt: 'A magical forest', size: '1536x640', n: 2 });
      expect(a.status, a.text).toBe(200);
      expectImagesResponse(a.json);
      expect(a.json.perf).toMatchObject({ request_id: a.headers.get('x-request-id'), model_used: 'flux-pro', size: '1536x640' });
      expect(a.json.perf.cost_usd).toBeGreaterThan(0);
      expect(sniffImage(new Uint8Array(await (await fetch(a.json.data[1].url)).arrayBuffer()))).toMatchObject({ width: 1536, height: 640 });
      expectError(await post(url, { prompt: 'x' }), 'missing_required_parameter', { param: 'model' });
      expectError(await post(url, { model: 'flux-pro', prompt: 'x', n: 5 }), 'integer_out_of_range', { param: 'n', min: 1, max: 4, value: 5 });
      expectError(await post(`${oc.url}/images/edits`, { prompt: 'x' }), 'route_not_found');
    } finally {
      await oc.close();
    }
  });

  it('a profile with progress events: Socket.IO progress events for a generation, failed for an abandoned stream', async () => {
    const oc = await startMock({ profile: everyExtra(), latencyMs: 300 });
    const socket = connectSocket(`${oc.origin}/image-progress`, { auth: { token: KEY }, transports: ['websocket'] });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const seen: Array<{ event: string; data: any }> = [];
      for (const event of ['progress', 'completed', 'failed']) socket.on(event, (data) => seen.push({ event, data }));
      const a = await post(`${oc.url}/images/generations`, { model: 'dall-e-2', prompt: 'x', n: 2 });
      expect(a.status).toBe(200);
      const mineOf = () => seen.filter((e) => e.data.request_id === a.headers.get('x-request-id'));
      await vi.waitFor(() => expect(mineOf().map((e) => e.event)).toContain('completed'), { timeout: 10_000, interval: 25 });
      const mine = mineOf();
      expect(mine.length).toBeGreaterThanOrEqual(3);
      expect(mine[0]).toMatchObject({ event: 'progress', data: { percent: 0 } });
      const percents = mine.filter((e) => e.event === 'progress').map((e) => e.data.percent);
      expect([...percents].sort((x, y) => x - y)).toEqual(percents);
      expect(mine.at(-1)).toMatchObject({ event: 'completed', data: { percent: 100, images: 2, model: 'dall-e-2' } });

      // A stream the client abandons stops and reports failed.
      seen.length = 0;
      const controller = new AbortController();
      const res = await fetch(`${oc.url}/images/generations`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ model: 'gpt-image-1', prompt: 'x', stream: true, partial_images: 3 }), signal: controller.signal });
      const requestId = res.headers.get('x-request-id');
      await res.body!.getReader().read();
      controller.abort();
      // Wait for the failed event (not a fixed delay: a loaded machine can take longer), then make sure nothing follows it.
      const eventsOf = () => seen.filter((e) => e.data.request_id === requestId).map((e) => e.event);
      await vi.waitFor(() => expect(eventsOf()).toContain('failed'), { timeout: 10_000, interval: 25 });
      await new Promise((r) => setTimeout(r, 100));
      const events = eventsOf();
      expect(events.at(-1)).toBe('failed');
      expect(events).not.toContain('completed');
    } finally {
      socket.close();
      await oc.close();
    }
  });
});

describe('image cache', () => {
  it('keeps a picture from its second request on, serves repeats from the cache and stays within its byte budget', async () => {
    const budget = 256 * 1024;
    const { server, state } = createMockServer({ imageCacheBytes: budget });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/images/generations`;
      const body = (i: number) => ({ model: 'dall-e-2', prompt: `distinct prompt ${i}`, response_format: 'b64_json' });
      const first = (await post(url, body(0))).json as { data: unknown };
      expect(state.images.cachedBytes).toBe(0); // a one-off picture is not kept
      const second = (await post(url, body(0))).json as { data: unknown };
      const one = state.images.cachedBytes;
      expect(one).toBeGreaterThan(0);
      expect(second.data).toEqual(first.data); // the same bytes, drawn again
      await post(url, body(0));
      expect(state.images.cachedBytes).toBe(one); // a hit adds nothing
      for (let i = 1; i < 40; i++) for (let k = 0; k < 2; k++) expect((await post(url, body(i))).status).toBe(200);
      expect(one * 40).toBeGreaterThan(budget); // the budget was really exceeded by demand
      expect(state.images.cachedBytes).toBeLessThanOrEqual(budget);
      expect(state.images.cachedBytes).toBeGreaterThan(budget / 2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
