// imagegen-contract/msw: the official openai SDK with its DEFAULT base URL (https://api.openai.com/v1)
// talks to the mock in-process through MSW's setupServer. No port is opened, and MSW errors on any
// request it does not handle, so nothing leaves the machine.
import net from 'node:net';
import { setupServer } from 'msw/node';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderPng, sniffImage } from '../../src/images/index.js';
import { imageHandlers, releaseResponseClones } from '../../src/msw/index.js';

const listen = vi.spyOn(net.Server.prototype, 'listen');
const KEY = 'sk-test';
const png = (w: number, h: number, seed: string) => renderPng({ width: w, height: h, seed, prompt: 'upload', index: 0 });

const server = setupServer(
  ...imageHandlers({ apiKey: KEY }),
  // Another origin with the server's other options: a rate limit, a seed, short-lived URLs.
  ...imageHandlers({ origin: 'https://gateway.example.com', apiKey: KEY, rateLimitPerMinute: 2, seed: 'other', urlTtlSeconds: 60, profile: 'openai' }),
);
releaseResponseClones(server);
const unhandled: string[] = [];

beforeAll(() => {
  delete process.env.OPENAI_BASE_URL;
  server.listen({
    onUnhandledRequest: (request, print) => {
      if (request.url.startsWith('http')) unhandled.push(request.url);
      print.error();
    },
  });
});
afterAll(() => server.close());

const client = () => new OpenAI({ apiKey: KEY, maxRetries: 0 });

describe('MSW handlers with the openai SDK on its default base URL', () => {
  it('the SDK really uses OpenAI’s base URL', () => {
    expect(client().baseURL).toBe('https://api.openai.com/v1');
  });

  it('generates a URL that downloads a real PNG from the same handlers', async () => {
    const result = await client().images.generate({ model: 'dall-e-2', prompt: 'a lighthouse at dusk', size: '256x256' });
    const url = result.data![0]!.url!;
    expect(url).toMatch(/^https:\/\/api\.openai\.com\/v1\/media\//);
    expect(result._request_id).toMatch(/^req_[0-9a-f]{32}$/);
    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(sniffImage(Buffer.from(await image.arrayBuffer()))).toMatchObject({ format: 'png', width: 256, height: 256 });
  });

  it('generates b64_json', async () => {
    const result = await client().images.generate({ model: 'dall-e-2', prompt: 'a logo', n: 2, size: '512x512', response_format: 'b64_json' });
    expect(result.data).toHaveLength(2);
    for (const d of result.data!) expect(sniffImage(Buffer.from(d.b64_json!, 'base64'))).toMatchObject({ width: 512, height: 512 });
  });

  it('streams a GPT image generation (partial images, then completed)', async () => {
    const stream = await client().images.generate({ model: 'gpt-image-1', prompt: 'a watercolor fox', stream: true, partial_images: 2, quality: 'low', size: '1024x1024' });
    const types: string[] = [];
    let final: string | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'image_generation.completed') final = event.b64_json;
    }
    expect(types).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
    expect(sniffImage(Buffer.from(final!, 'base64'))).toMatchObject({ width: 1024, height: 1024 });
  });

  it('edits with two images (multipart image[])', async () => {
    const result = await client().images.edit({
      model: 'gpt-image-1',
      prompt: 'put both in a basket',
      image: [await toFile(png(64, 64, 'a'), 'a.png', { type: 'image/png' }), await toFile(png(64, 64, 'b'), 'b.png', { type: 'image/png' })],
      size: '1024x1536',
      quality: 'low',
    });
    expect(result.size).toBe('1024x1536');
    expect(result.usage!.input_tokens_details.image_tokens).toBeGreaterThan(0);
    expect(sniffImage(Buffer.from(result.data![0]!.b64_json!, 'base64'))).toMatchObject({ width: 1024, height: 1536 });
  });

  it('a model rule is a BadRequestError with the contract’s code and param', async () => {
    const e = await client().images.generate({ model: 'dall-e-3', prompt: 'x', n: 2 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e).toMatchObject({ status: 400, message: expect.stringContaining('n=1') });
  });

  it('a wrong key is an AuthenticationError', async () => {
    const e = await new OpenAI({ apiKey: 'sk-wrong-key-123', maxRetries: 0 }).images.generate({ prompt: 'x' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(e).toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('a rate-limit scenario is a RateLimitError; with retries the SDK waits Retry-After and succeeds', async () => {
    const e = await client().images.generate({ prompt: 'x [[rate_limit]]' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    const retrying = new OpenAI({ apiKey: KEY, maxRetries: 1 });
    const started = Date.now();
    const result = await retrying.images.generate({ prompt: 'retry me [[rate_limit:1:once]]' });
    expect(result.data).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('serves another origin with the server’s options (rate limit per key, seed, URL lifetime)', async () => {
    const gateway = new OpenAI({ apiKey: KEY, baseURL: 'https://gateway.example.com/v1', maxRetries: 0 });
    const first = await gateway.images.generate({ model: 'dall-e-2', prompt: 'a', size: '256x256' }).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.data.data![0]!.url).toMatch(/^https:\/\/gateway\.example\.com\/v1\/media\//);
    expect((await fetch(first.data.data![0]!.url!)).status).toBe(200);
    await gateway.images.generate({ model: 'dall-e-2', prompt: 'b', size: '256x256' });
    const e = await gateway.images.generate({ model: 'dall-e-2', prompt: 'c', size: '256x256' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    // A URL of one origin is not a credential at another (different secret per handler set).
    const foreign = first.data.data![0]!.url!.replace('https://gateway.example.com', 'https://api.openai.com');
    expect((await fetch(foreign)).status).toBe(404);
  });

  it('a progress hook receives each generation’s steps and completion (latency spread over them)', async () => {
    const events: string[] = [];
    server.use(
      ...imageHandlers({
        origin: 'https://progress.example.com',
        latencyMs: 200,
        progress: {
          begin: (start) => {
            events.push(`begin ${start.model} ${start.images}`);
            return { step: (p) => events.push(`step ${p}`), complete: () => events.push('complete'), fail: (e) => events.push(`fail ${e.message}`) };
          },
          close: async () => {},
        },
      }),
    );
    try {
      const sdk = new OpenAI({ apiKey: KEY, baseURL: 'https://progress.example.com/v1', maxRetries: 0 });
      await sdk.images.generate({ model: 'dall-e-2', prompt: 'slowly', size: '256x256' });
    } finally {
      server.resetHandlers();
    }
    expect(events[0]).toBe('begin dall-e-2 1');
    expect(events.filter((e) => e.startsWith('step')).length).toBeGreaterThan(2);
    expect(events.at(-1)).toBe('complete');
  });

  it('opened no port, and a request MSW does not handle errors instead of leaving the machine', async () => {
    await expect(fetch('https://example.invalid/anything')).rejects.toThrow();
    expect(unhandled).toEqual(['https://example.invalid/anything']);
    expect(listen).not.toHaveBeenCalled();
  });
});
