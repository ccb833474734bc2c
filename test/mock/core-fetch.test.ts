// The core as a plain Fetch handler: a Web Request in, a real Response out, with no server and no
// MSW. The node:http adapter and the MSW handlers are thin layers over exactly this.
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/images/index.js';
import { createMockCore } from '../../src/mock/index.js';

const KEY = 'sk-core';
const JSON_HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const ORIGIN = 'https://core.example.com';

describe('createMockCore().fetch', () => {
  const core = createMockCore({ apiKeys: [KEY], maxBodyBytes: 64 * 1024 });

  it('answers a generation with a real Response whose image URL it also serves', async () => {
    const res = await core.fetch(new Request(`${ORIGIN}/v1/images/generations`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ model: 'dall-e-2', prompt: 'core', size: '256x256' }) }));
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    const url: string = ((await res.json()) as { data: Array<{ url: string }> }).data[0]!.url;
    expect(url.startsWith(`${ORIGIN}/v1/media/`)).toBe(true);
    const image = await core.fetch(new Request(url));
    expect(sniffImage(Buffer.from(await image.arrayBuffer()))).toMatchObject({ format: 'png', width: 256, height: 256 });
  });

  it('refuses a streamed body past the limit with 413 after reading no more than the limit and a chunk', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.length;
        if (pulled > 64 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await core.fetch(new Request(`${ORIGIN}/v1/images/generations`, { method: 'POST', headers: JSON_HEADERS, body, duplex: 'half' } as RequestInit));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    expect(pulled).toBeLessThanOrEqual(64 * 1024 + 3 * chunk.length);
  });

  it('streams a GPT image generation as a ReadableStream body of server-sent events', async () => {
    const res = await core.fetch(new Request(`${ORIGIN}/v1/images/generations`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ model: 'gpt-image-1', prompt: 'stream', stream: true, partial_images: 1, quality: 'low', size: '1024x1024' }) }));
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.body).toBeInstanceOf(ReadableStream);
    const text = await res.text();
    expect([...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1])).toEqual(['image_generation.partial_image', 'image_generation.completed']);
  });
});
