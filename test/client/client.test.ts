import { describe, it, expect, vi } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  createImagesClient,
  imageBytes,
  saveImages,
  ImagesApiError,
  ResponseValidationError,
  parseServerSentEvents,
  type EditRequest,
  type ImagesClientOptions,
} from '../../src/client/index.js';
import { spec } from '../../src/contract/index.js';

const BASE = 'http://gateway.test/v1';
const example = <T = any>(name: string): T => structuredClone(spec().components.examples[name]!.value) as T;
const PNG_B64: string = example('GptImageB64').data[0].b64_json;
const PNG = new Uint8Array(Buffer.from(PNG_B64, 'base64'));
const WEBP_B64: string = example('GptImageWebpTransparent').data[0].b64_json;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-request-id': 'req_test123', ...headers } });
}

/** A Response whose body arrives in the given chunks (strings are UTF-8 encoded). */
function chunked(chunks: Array<string | Uint8Array>, headers: Record<string, string> = { 'content-type': 'text/event-stream' }): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(typeof c === 'string' ? enc.encode(c) : c);
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers });
}

function setup(respond: (request: Request) => Response | Promise<Response>, extra: Partial<ImagesClientOptions> = {}) {
  const fetch = vi.fn(async (request: Request) => respond(request));
  const client = createImagesClient({ baseUrl: BASE, apiKey: 'sk-test', fetch, ...extra });
  const request = (i = 0): Request => fetch.mock.calls[i]![0];
  return { client, fetch, request };
}

describe('requests', () => {
  it('generate: POSTs JSON with bearer auth and returns the parsed body', async () => {
    const answer = example('GptImageB64');
    const { client, request } = setup(() => json(answer), { headers: { 'OpenAI-Project': 'proj_1' } });
    const body = { model: 'gpt-image-1', prompt: 'A cute baby sea otter', n: 1, size: '1024x1024', quality: 'medium', user: null } as const;
    const result = await client.generate(body);
    expect(result).toEqual(answer);
    const req = request();
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`${BASE}/images/generations`);
    expect(req.headers.get('authorization')).toBe('Bearer sk-test');
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.headers.get('accept')).toBe('application/json');
    expect(req.headers.get('openai-project')).toBe('proj_1');
    expect(await req.json()).toEqual(body);
  });

  it('edit: multipart with image[] parts for several images, a mask, and numbers/booleans as strings', async () => {
    const { client, request } = setup(() => json(example('GptImageEdit')));
    const jpegFile = new File([JPEG], 'soap.jpg', { type: 'image/jpeg' });
    await client.edit({
      model: 'gpt-image-1',
      prompt: 'Put both products in a gift basket',
      image: [PNG, jpegFile],
      mask: { data: PNG.buffer.slice(PNG.byteOffset, PNG.byteOffset + PNG.byteLength), filename: 'mask.png' },
      n: 2,
      output_compression: 80,
      stream: false,
    });
    const req = request();
    expect(req.url).toBe(`${BASE}/images/edits`);
    expect(req.headers.get('authorization')).toBe('Bearer sk-test');
    expect(req.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const form = await req.formData();
    expect(form.has('image')).toBe(false);
    const images = form.getAll('image[]') as File[];
    expect(images).toHaveLength(2);
    expect(images.map((f) => [f.name, f.type])).toEqual([
      ['image-1.png', 'image/png'],
      ['soap.jpg', 'image/jpeg'],
    ]);
    expect(new Uint8Array(await images[0]!.arrayBuffer())).toEqual(PNG);
    const mask = form.get('mask') as File;
    expect([mask.name, mask.type, mask.size]).toEqual(['mask.png', 'image/png', PNG.byteLength]);
    expect(form.get('prompt')).toBe('Put both products in a gift basket');
    expect(form.get('n')).toBe('2');
    expect(form.get('output_compression')).toBe('80');
    expect(form.get('stream')).toBe('false');
  });

  it('edit: a single image goes as one `image` part', async () => {
    const { client, request } = setup(() => json(example('GptImageEdit')));
    await client.edit({ model: 'dall-e-2', prompt: 'flamingo', image: new Blob([PNG]) });
    const form = await request().formData();
    expect(form.getAll('image').map((f) => (f as File).name)).toEqual(['image.png']);
    expect(form.has('image[]')).toBe(false);
  });

  it('editJson: POSTs the JSON edit body', async () => {
    const { client, request } = setup(() => json(example('GptImageEdit')));
    const body = { model: 'gpt-image-1.5', prompt: 'Make it snow', images: [{ image_url: 'https://example.com/house.png' }] };
    await client.editJson(body);
    expect(request().headers.get('content-type')).toBe('application/json');
    expect(await request().json()).toEqual(body);
  });

  it('createVariation: multipart with the image part and n as a string', async () => {
    const { client, request } = setup(() => json(example('DallE2Variation')));
    const result = await client.createVariation({ model: 'dall-e-2', image: PNG.buffer.slice(PNG.byteOffset, PNG.byteOffset + PNG.byteLength), n: 2, size: '512x512' });
    expect(result).toEqual(example('DallE2Variation'));
    const req = request();
    expect(req.url).toBe(`${BASE}/images/variations`);
    const form = await req.formData();
    const image = form.get('image') as File;
    expect([image.name, image.type]).toEqual(['image.png', 'image/png']);
    expect(form.get('n')).toBe('2');
    expect(form.get('size')).toBe('512x512');
  });

  it('listModels: GET /models with the modality query', async () => {
    const { client, request } = setup(() => json(example('ImageModels')));
    const list = await client.listModels({ modality: 'image' });
    expect(list.data.map((m) => m.id)).toContain('dall-e-3');
    expect(request().method).toBe('GET');
    expect(request().url).toBe(`${BASE}/models?modality=image`);
    await client.listModels();
    expect(request(1).url).toBe(`${BASE}/models`);
  });

  it('generateNative: unwraps the {status: "ok", data} envelope', async () => {
    const envelope = example('NativeGenerated');
    const { client, request } = setup(() => json(envelope));
    const data = await client.generateNative({ model: 'openai/dall-e-3', prompt: 'A cozy reading nook', n: 1 });
    expect(data).toEqual(envelope.data);
    expect(request().url).toBe(`${BASE}/inference/images/generate`);
  });

  it('downloadMedia: resolves relative URLs against baseUrl and sends no API key', async () => {
    const { client, request } = setup(() => new Response(PNG, { headers: { 'content-type': 'image/png' } }));
    const media = await client.downloadMedia('media/tok.sig');
    expect(media.contentType).toBe('image/png');
    expect(media.bytes).toEqual(PNG);
    expect(request().url).toBe(`${BASE}/media/tok.sig`);
    expect(request().headers.get('authorization')).toBeNull();
    await client.downloadMedia('https://cdn.example.com/img/1.png');
    expect(request(1).url).toBe('https://cdn.example.com/img/1.png');
  });

  it('per-call headers and signal are applied', async () => {
    const { client, request } = setup(() => json(example('DallE3Url')));
    const controller = new AbortController();
    await client.generate({ prompt: 'x' }, { headers: { Prefer: 'code=200' }, signal: controller.signal });
    expect(request().headers.get('prefer')).toBe('code=200');
    controller.abort();
    expect(request().signal.aborted).toBe(true);
  });

  it('timeoutMs aborts a request that does not answer', async () => {
    const { client } = setup(
      (req) =>
        new Promise<Response>((_, reject) => {
          req.signal.addEventListener('abort', () => reject(req.signal.reason));
        }),
      { timeoutMs: 50 },
    );
    await expect(client.generate({ prompt: 'x' })).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('errors', () => {
  it('reads the OpenAI envelope, status and x-request-id', async () => {
    const body = example('RateLimitExceeded');
    const { client } = setup(() => json(body, 429, { 'x-request-id': 'req_abc', 'retry-after': '1' }));
    const err = await client.generate({ prompt: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagesApiError);
    expect(err).toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      type: 'requests',
      param: null,
      requestId: 'req_abc',
      envelope: 'openai',
      body,
      message: `429 ${body.error.message}`,
    });
    expect((err as ImagesApiError).headers?.get('retry-after')).toBe('1');
  });

  it('keeps param of the OpenAI envelope', async () => {
    const { client } = setup(() => json(example('InvalidValue'), 400));
    await expect(client.generate({ prompt: 'x', size: '512x512' })).rejects.toMatchObject({ status: 400, code: 'invalid_value', param: 'size', type: 'invalid_request_error' });
  });

  it('reads the native envelope (code, request_id from the body when the header is missing)', async () => {
    const body = example('NativeValidationError');
    const { client } = setup(() => new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }));
    await expect(client.generateNative({ model: 'openai/dall-e-3', prompt: '' })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
      envelope: 'native',
      type: null,
      param: null,
      requestId: body.error.request_id,
      message: `400 ${body.error.message}`,
    });
  });

  it('throws on a native error envelope even with status 200', async () => {
    const { client } = setup(() => json(example('NativeBackendError')));
    await expect(client.generateNative({ model: 'openai/dall-e-3', prompt: 'x' })).rejects.toMatchObject({ status: 200, code: 'BACKEND_ERROR', envelope: 'native' });
  });

  it('throws on an OpenAI error envelope in a 200 answer', async () => {
    const { client } = setup(() => json(example('BadGateway'), 200));
    await expect(client.generate({ prompt: 'x' })).rejects.toMatchObject({ name: 'ImagesApiError', status: 200, code: 'bad_gateway' });
  });

  it('keeps a non-JSON error body as text', async () => {
    const html = '<html><body>502 Bad Gateway</body></html>';
    const { client } = setup(() => new Response(html, { status: 502, headers: { 'content-type': 'text/html' } }));
    const err = (await client.listModels().catch((e: unknown) => e)) as ImagesApiError;
    expect(err).toBeInstanceOf(ImagesApiError);
    expect(err).toMatchObject({ status: 502, body: html, code: null, type: null, envelope: 'none', message: `502 ${html}` });
  });

  it('an empty error body says so', async () => {
    const { client } = setup(() => new Response(null, { status: 503 }));
    await expect(client.listModels()).rejects.toMatchObject({ status: 503, message: '503 status code (no body)', body: undefined });
  });

  it('an unknown JSON error envelope is kept and stringified into the message', async () => {
    const body = { detail: 'Not authenticated' };
    const { client } = setup(() => json(body, 401));
    await expect(client.listModels()).rejects.toMatchObject({ status: 401, body, code: null, message: `401 ${JSON.stringify(body)}` });
  });

  it('a 200 that is not JSON is a ResponseValidationError, not a string result', async () => {
    const { client } = setup(() => new Response('<html>ok</html>', { headers: { 'content-type': 'text/html' } }));
    const err = await client.generate({ prompt: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect((err as ResponseValidationError).message).toMatch(/expected content-type application\/json, got 'text\/html'/);
  });

  it('a 200 with malformed JSON is a ResponseValidationError', async () => {
    const { client } = setup(() => new Response('{"created": 17', { headers: { 'content-type': 'application/json' } }));
    await expect(client.generate({ prompt: 'x' })).rejects.toThrow(/malformed JSON/);
  });
});

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const partial = () => {
  const lines = (example('StreamGeneration') as string).split('\n').filter((l) => l.startsWith('data: '));
  return JSON.parse(lines[0]!.slice(6));
};
const completed = () => {
  const lines = (example('StreamGeneration') as string).split('\n').filter((l) => l.startsWith('data: '));
  return JSON.parse(lines[1]!.slice(6));
};

describe('streaming', () => {
  it('sends stream: true with Accept text/event-stream and yields partial then completed events', async () => {
    const { client, request } = setup(() => chunked([example('StreamGeneration') as string]));
    const events = [];
    for await (const e of client.stream({ model: 'gpt-image-1', prompt: 'A watercolor fox', partial_images: 1 })) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['image_generation.partial_image', 'image_generation.completed']);
    expect(events[1]).toEqual(completed());
    expect(request().headers.get('accept')).toBe('text/event-stream');
    expect(await request().json()).toEqual({ model: 'gpt-image-1', prompt: 'A watercolor fox', partial_images: 1, stream: true });
  });

  it('joins multi-line data, skips comments, handles CRLF and chunks split anywhere, stops at [DONE]', async () => {
    const p = partial();
    const c = completed();
    // The completed event as pretty-printed JSON, one `data:` line per line (joined with "\n").
    const multiLine = JSON.stringify(c, null, 2)
      .split('\n')
      .map((l) => `data: ${l}\n`)
      .join('');
    expect(multiLine.split('\n').length).toBeGreaterThan(10);
    const text =
      `: keep-alive\r\n\r\nevent: image_generation.partial_image\r\ndata: ${JSON.stringify(p)}\r\n\r\n` +
      `event: image_generation.completed\n${multiLine}\n` +
      `data: [DONE]\n\nevent: image_generation.completed\ndata: {"never": "read"}\n\n`;
    const bytes = new TextEncoder().encode(text);
    // Split at every 7th byte, so CRLF pairs and field names are cut across chunks.
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const { client } = setup(() => chunked(chunks));
    const events = [];
    for await (const e of client.stream({ model: 'gpt-image-1', prompt: 'fox' })) events.push(e);
    expect(events).toEqual([p, c]);
  });

  it('decodes UTF-8 characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: {"t":"é—🦦"}\n\n');
    const events = [];
    for await (const e of parseServerSentEvents(chunked([bytes.subarray(0, 13), bytes.subarray(13, 15), bytes.subarray(15)]).body!)) events.push(e);
    expect(events).toEqual([{ event: 'message', data: '{"t":"é—🦦"}' }]);
  });

  it('handles CR-only line ends and delivers a last event without its blank line', async () => {
    const events = [];
    for await (const e of parseServerSentEvents(chunked(['event: a\rdata: 1\r', '\rid: 7\rdata: 2']).body!)) events.push(e);
    expect(events).toEqual([
      { event: 'a', data: '1' },
      { event: 'message', data: '2', id: '7' },
    ]);
  });

  it('treats CRLF as one line end, also when CR and LF arrive in different chunks', async () => {
    const events = [];
    for await (const e of parseServerSentEvents(chunked(['event: a\r', '\ndata: 1\r', '\n\r', '\nevent: b\r\ndata: 2\r\n\r\n']).body!)) events.push(e);
    expect(events).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
    ]);
  });

  it('an `event: error` throws ImagesApiError with the error fields', async () => {
    const { client } = setup(() => chunked([event('image_generation.partial_image', partial()), event('error', example('ServerError'))]));
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of client.stream({ prompt: 'x' })) seen.push(e.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['image_generation.partial_image']);
    expect(err).toBeInstanceOf(ImagesApiError);
    expect(err).toMatchObject({ status: undefined, code: 'server_error', type: 'server_error', requestId: null });
  });

  it('a data object with `error` throws even without `event: error`', async () => {
    const { client } = setup(() => chunked([`data: ${JSON.stringify(example('ModerationBlocked'))}\n\n`]));
    await expect(drain(client.stream({ prompt: 'x' }))).rejects.toMatchObject({ name: 'ImagesApiError', code: 'moderation_blocked' });
  });

  it('malformed JSON in an event throws a clear error', async () => {
    const { client } = setup(() => chunked(['event: image_generation.completed\ndata: {"type": "image_generation.comp\n\n']));
    const err = await drain(client.stream({ prompt: 'x' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect((err as Error).message).toMatch(/malformed JSON in the data of event 'image_generation\.completed'/);
  });

  it('a non-SSE answer to a stream request throws', async () => {
    const { client } = setup(() => json(example('GptImageB64')));
    await expect(drain(client.stream({ prompt: 'x' }))).rejects.toThrow(/expected content-type text\/event-stream.*application\/json/);
  });

  it('a stream that ends without a completed event throws', async () => {
    const { client } = setup(() => chunked([event('image_generation.partial_image', partial())]));
    await expect(drain(client.stream({ prompt: 'x' }))).rejects.toThrow(/ended without a completed event/);
  });

  it('a non-2xx answer to a stream request throws ImagesApiError', async () => {
    const { client } = setup(() => json(example('InvalidApiKey'), 401));
    await expect(drain(client.stream({ prompt: 'x' }))).rejects.toMatchObject({ name: 'ImagesApiError', status: 401, code: 'invalid_api_key' });
  });

  it('streamEdit sends multipart with stream=true and yields image_edit events', async () => {
    const { client, request } = setup(() => chunked([example('StreamEdit') as string]));
    const events = [];
    for await (const e of client.streamEdit({ model: 'gpt-image-1', prompt: 'hat', image: PNG })) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['image_edit.completed']);
    const form = await request().formData();
    expect(form.get('stream')).toBe('true');
    expect(request().headers.get('accept')).toBe('text/event-stream');
  });
});

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable) void _;
}

describe('validateResponses', () => {
  it('throws ResponseValidationError listing the problems of a bad success body', async () => {
    const bad = { created: 1763712000, data: [] };
    const { client } = setup(() => json(bad), { validateResponses: true });
    const err = (await client.generate({ prompt: 'x' }).catch((e: unknown) => e)) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.operationId).toBe('createImage');
    expect(err.requestId).toBe('req_test123');
    expect(err.body).toEqual(bad);
    expect(err.problems).toContainEqual(expect.objectContaining({ path: '/data', keyword: 'minItems' }));
    expect(err.message).toMatch(/\/data must NOT have fewer than 1 items/);
  });

  it('passes bodies that match the spec, for every wrapped operation', async () => {
    const answers: Record<string, unknown> = {
      '/images/generations': example('DallE3Url'),
      '/images/edits': example('GptImageEdit'),
      '/images/variations': example('DallE2Variation'),
      '/models': example('ImageModels'),
      '/inference/images/generate': example('NativeGenerated'),
    };
    const { client } = setup((req) => json(answers[new URL(req.url).pathname.replace('/v1', '')]), { validateResponses: true });
    await expect(client.generate({ prompt: 'x' })).resolves.toEqual(answers['/images/generations']);
    await expect(client.edit({ prompt: 'x', image: PNG })).resolves.toBeDefined();
    await expect(client.editJson({ prompt: 'x', images: [{ file_id: 'file_1' }] })).resolves.toBeDefined();
    await expect(client.createVariation({ image: PNG })).resolves.toBeDefined();
    await expect(client.listModels({ modality: 'image' })).resolves.toBeDefined();
    await expect(client.generateNative({ model: 'm', prompt: 'x' })).resolves.toBeDefined();
  });

  it('catches schema problems per operation (model list, native envelope) and in stream events', async () => {
    const { client } = setup(
      (req) => {
        const path = new URL(req.url).pathname;
        if (path.endsWith('/models')) return json({ object: 'list', data: [{ id: 'x', object: 'model' }] });
        if (path.endsWith('/generate')) return json({ status: 'ok', data: { created: 1713888000, data: [{ url: null, b64_json: null }] } });
        return chunked([event('image_generation.completed', { ...completed(), created_at: 1763712000000 })]);
      },
      { validateResponses: true },
    );
    await expect(client.listModels()).rejects.toMatchObject({ name: 'ResponseValidationError', operationId: 'listModels' });
    await expect(client.generateNative({ model: 'm', prompt: 'x' })).rejects.toMatchObject({ name: 'ResponseValidationError', operationId: 'generateNativeImage' });
    const err = (await drain(client.stream({ prompt: 'x' })).catch((e: unknown) => e)) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.problems).toContainEqual(expect.objectContaining({ path: '/created_at' }));
  });

  it('without validateResponses the same bad body is returned as it came', async () => {
    const { client } = setup(() => json({ created: 1763712000, data: [] }));
    await expect(client.generate({ prompt: 'x' })).resolves.toEqual({ created: 1763712000, data: [] });
  });
});

describe('image helpers', () => {
  it('imageBytes decodes b64_json', async () => {
    expect(await imageBytes({ b64_json: PNG_B64 })).toEqual(PNG);
    expect(await imageBytes({ b64_json: PNG_B64, url: null })).toEqual(PNG);
  });

  it('imageBytes rejects base64 the contract does not allow, saying why', async () => {
    await expect(imageBytes({ b64_json: `data:image/png;base64,${PNG_B64}` })).rejects.toThrow(/data: URL prefix/);
    await expect(imageBytes({})).rejects.toThrow(/neither b64_json nor url/);
  });

  it('imageBytes downloads url items with the given fetch, without an API key', async () => {
    const fetch = vi.fn(async (_: Request) => new Response(PNG, { headers: { 'content-type': 'image/png' } }));
    expect(await imageBytes({ url: 'http://127.0.0.1:4010/v1/media/tok' }, { fetch })).toEqual(PNG);
    const req = fetch.mock.calls[0]![0];
    expect(req.url).toBe('http://127.0.0.1:4010/v1/media/tok');
    expect(req.headers.get('authorization')).toBeNull();
  });

  it('imageBytes throws ImagesApiError for an expired media URL', async () => {
    const fetch = async () => json(example('MediaExpired'), 410);
    await expect(imageBytes({ url: 'http://127.0.0.1:4010/v1/media/old' }, { fetch })).rejects.toMatchObject({
      name: 'ImagesApiError',
      status: 410,
      code: 'media_expired',
    });
  });

  it('saveImages names files by their bytes (png, jpg, webp, bin)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imagegen-client-'));
    try {
      const fetch = async () => new Response(JPEG, { headers: { 'content-type': 'image/png' } }); // the bytes decide, not the header
      const response = {
        created: 1763712000,
        data: [{ b64_json: PNG_B64 }, { url: 'http://127.0.0.1:4010/v1/media/tok' }, { b64_json: WEBP_B64 }, { b64_json: Buffer.from('not an image').toString('base64') }],
      };
      const paths = await saveImages(response, join(dir, 'out'), { prefix: 'otter', fetch });
      expect(paths.map((p) => basename(p))).toEqual(['otter-0.png', 'otter-1.jpg', 'otter-2.webp', 'otter-3.bin']);
      expect(new Uint8Array(await readFile(paths[0]!))).toEqual(PNG);
      expect(new Uint8Array(await readFile(paths[1]!))).toEqual(JPEG);
      expect(basename((await saveImages({ data: [{ b64_json: PNG_B64 }] }, dir))[0]!)).toBe('image-0.png');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('types follow the spec', () => {
  it('EditRequest lists exactly the multipart fields of CreateImageEditRequest', () => {
    // `Required<EditRequest>` makes the compiler demand every field, and excess-property checks
    // forbid extra ones; the keys are then compared with the spec's schema.
    const all: Required<EditRequest> = {
      image: PNG,
      mask: PNG,
      prompt: '',
      model: '',
      n: 1,
      size: 'auto',
      quality: 'auto',
      response_format: 'url',
      output_format: 'png',
      output_compression: 0,
      background: 'auto',
      input_fidelity: 'low',
      stream: false,
      partial_images: 0,
      user: '',
    };
    const schema = spec().components.schemas.CreateImageEditRequest as { properties: Record<string, unknown> };
    const specFields = Object.keys(schema.properties).filter((k) => k !== 'image[]');
    expect(Object.keys(all).sort()).toEqual(specFields.sort());
  });
});
