// The official `openai` SDK works unchanged against the mock: results, files, streams, typed
// errors, and retries that honour Retry-After.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPng, sniffImage } from '../../src/images/index.js';
import { startMock, type RequestLogEntry, type RunningMock } from '../../src/mock/index.js';
import { KEY, expectImagesResponse } from './helpers.js';

let mock: RunningMock;
let client: OpenAI;
const log: RequestLogEntry[] = [];

beforeAll(async () => {
  mock = await startMock({ onRequest: (e) => log.push(e) });
  client = new OpenAI({ baseURL: mock.url, apiKey: KEY, maxRetries: 0 });
});
afterAll(() => mock.close());

const png = (w: number, h: number, seed = 'sdk') => renderPng({ width: w, height: h, seed, prompt: 'upload', index: 0 });

describe('openai SDK against the mock', () => {
  it('generates with a URL (default) and the request id is exposed', async () => {
    const result = await client.images.generate({ prompt: 'A cute baby sea otter' });
    expectImagesResponse(result);
    expect(result._request_id).toMatch(/^req_[0-9a-f]{32}$/);
    const img = await fetch(result.data![0]!.url!);
    expect(img.headers.get('content-type')).toBe('image/png');
  });

  it('dall-e-2 n=3 b64_json', async () => {
    const result = await client.images.generate({ model: 'dall-e-2', prompt: 'Minimalist logo', n: 3, size: '512x512', response_format: 'b64_json' });
    expect(result.data).toHaveLength(3);
    for (const d of result.data!) expect(sniffImage(Buffer.from(d.b64_json!, 'base64'))).toMatchObject({ width: 512, height: 512 });
  });

  it('dall-e-3 hd with revised_prompt', async () => {
    const result = await client.images.generate({ model: 'dall-e-3', prompt: 'A cyberpunk street', quality: 'hd', size: '1024x1792', style: 'vivid' });
    expect(result.data![0]!.revised_prompt).toMatch(/cyberpunk street/);
    expect(result.data![0]!.url).toMatch(/\/v1\/media\//);
  });

  it('gpt-image-1 webp with usage', async () => {
    const result = await client.images.generate({ model: 'gpt-image-1', prompt: 'A cactus sticker', output_format: 'webp', background: 'transparent', quality: 'low' });
    expect(result.output_format).toBe('webp');
    expect(result.usage?.input_tokens_details.text_tokens).toBeGreaterThan(0);
    expect(sniffImage(Buffer.from(result.data![0]!.b64_json!, 'base64'))).toMatchObject({ format: 'webp', hasAlpha: true });
  });

  it('edits two images given with toFile (sent as image[])', async () => {
    const result = await client.images.edit({
      model: 'gpt-image-1',
      prompt: 'Put both products in a gift basket',
      image: [await toFile(png(64, 64, 'a'), 'lotion.png', { type: 'image/png' }), await toFile(png(64, 64, 'b'), 'soap.png', { type: 'image/png' })],
      size: '1024x1536',
      quality: 'low',
    });
    expectImagesResponse(result);
    expect(result.size).toBe('1024x1536');
    expect(result.usage!.input_tokens_details.image_tokens).toBeGreaterThan(0);
  });

  it('creates variations', async () => {
    const result = await client.images.createVariation({ image: await toFile(png(128, 128), 'otter.png', { type: 'image/png' }), n: 2, size: '256x256' });
    expect(result.data).toHaveLength(2);
    expectImagesResponse(result);
  });

  it('streams partial images and the completed event', async () => {
    const stream = await client.images.generate({ model: 'gpt-image-1', prompt: 'A watercolor fox', stream: true, partial_images: 2, quality: 'low' });
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'image_generation.completed') expect(event.usage.total_tokens).toBeGreaterThan(0);
    }
    expect(types).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
  });

  it('reports bad requests as BadRequestError with code and param', async () => {
    const e = await client.images.generate({ model: 'gpt-image-1', prompt: 'x', size: '512x512' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e).toMatchObject({ status: 400, code: 'invalid_value', param: 'size', type: 'invalid_request_error' });
    const rf = await client.images.generate({ model: 'gpt-image-1', prompt: 'x', response_format: 'url' }).catch((err: unknown) => err);
    expect(rf).toMatchObject({ code: 'unknown_parameter', param: 'response_format' });
    const n = await client.images.generate({ model: 'dall-e-3', prompt: 'x', n: 2 }).catch((err: unknown) => err);
    expect(n).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('reports a wrong key as AuthenticationError', async () => {
    const keyed = await startMock({ apiKeys: ['sk-the-right-key-123'] });
    try {
      const bad = new OpenAI({ baseURL: keyed.url, apiKey: 'sk-the-wrong-key-456', maxRetries: 0 });
      const e = await bad.images.generate({ prompt: 'x' }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(e).toMatchObject({ code: 'invalid_api_key' });
      expect((e as Error).message).toContain('sk-the***456');
    } finally {
      await keyed.close();
    }
  });

  it('reports 429 as RateLimitError', async () => {
    const e = await client.images.generate({ prompt: 'x [[rate_limit]]' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it("retries a 429 after the server's Retry-After (1 s) and then succeeds", async () => {
    const retrying = new OpenAI({ baseURL: mock.url, apiKey: KEY, maxRetries: 2 });
    log.length = 0;
    const started = performance.now();
    const result = await retrying.images.generate({ prompt: 'retry me' }, { headers: { 'x-mock-scenario': 'rate_limit:1:once' } });
    const elapsed = performance.now() - started;
    expect(result.data).toHaveLength(1);
    const attempts = log.filter((e) => e.path === '/v1/images/generations');
    expect(attempts.map((e) => [e.status, e.headers['x-stainless-retry-count']])).toEqual([
      [429, '0'],
      [200, '1'],
    ]);
    // The SDK's own backoff would be 0.5-1 s with jitter; Retry-After: 1 makes it exactly ~1 s.
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
  });

  it('honours a longer Retry-After too (maxRetries 1, Retry-After 2)', async () => {
    const retrying = new OpenAI({ baseURL: mock.url, apiKey: KEY, maxRetries: 1 });
    const started = performance.now();
    const e = await retrying.images.generate({ prompt: 'always limited [[rate_limit:2]]' }).catch((err: unknown) => err);
    const elapsed = performance.now() - started;
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(elapsed).toBeGreaterThanOrEqual(1950);
    expect(elapsed).toBeLessThan(3500);
  });
});
