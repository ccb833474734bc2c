// Prism (the spec's reference mock) must serve every operation of the contract from its examples,
// and the typed client must work against it. Every request below is built from the spec's own
// request examples, and every answer is checked against the spec's schemas.
//
// What Prism 5.14 cannot do, asserted below as what it does instead (no silent skips):
// - Multipart arrays: Prism's multipart parser keeps one value per part name (the last), so repeated
//   `image[]` parts (what the SDK and this client send for several images) reach validation as one
//   string and fail `type: array`: Prism answers 400 with the operation's first 400 example
//   (MissingRequiredParameter, not the real reason) and the real reason in `sl-violations`.
// - Binary responses: `GET /media/{token}` has no example bytes, so Prism sends the literal text
//   `string` as `image/png`.
// - Event streams: Prism has no SSE support, but with `Accept: text/event-stream` it returns the
//   spec's `text/event-stream` example as the body, which is a valid event stream.
// - Prism generates headers from their schema when they have no example: `x-ratelimit-reset-requests`
//   comes out as `string`, which violates the header's pattern (reported in `sl-violations`). Header
//   violations are Prism's, so only body violations fail these tests.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPrism, type PrismServer } from '../helpers/prism.js';
import { operations, spec, deref, type JsonObject, type OperationInfo } from '../../src/contract/index.js';
import { responseProblems } from '../../src/client/response-schema.js';
import { createImagesClient, parseServerSentEvents, ImagesApiError, type ImagesClient } from '../../src/client/index.js';

const API_KEY = 'sk-prism-test';
const PNG = new Uint8Array(Buffer.from((spec().components.examples.GptImageB64!.value as { data: Array<{ b64_json: string }> }).data[0]!.b64_json, 'base64'));
const BINARY_PLACEHOLDER = /^<binary (.+)>$/;

interface RequestCase {
  name: string;
  op: OperationInfo;
  mediaType?: string;
  value?: Record<string, unknown>;
  /** Prism cannot take repeated `image[]` multipart parts (see the top of this file). */
  prismRejects: boolean;
}

const exampleValue = (example: unknown) => deref<{ value: unknown }>(example).value;
const requestContent = (op: OperationInfo) =>
  (deref<JsonObject>(op.operation.requestBody ?? {}).content ?? {}) as Record<string, { examples?: Record<string, unknown> }>;
const secured = (op: OperationInfo) => !Array.isArray(op.operation.security) || op.operation.security.length > 0;

/** One case per request example of every operation; operations without a body get one case from their parameter examples. */
function requestCases(): RequestCase[] {
  const cases: RequestCase[] = [];
  for (const op of operations()) {
    const content = requestContent(op);
    if (Object.keys(content).length === 0) {
      cases.push({ name: `${op.operationId} (parameter examples)`, op, prismRejects: false });
      continue;
    }
    for (const [mediaType, media] of Object.entries(content)) {
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        const value = exampleValue(example) as Record<string, unknown>;
        const prismRejects = mediaType === 'multipart/form-data' && Object.keys(value).some((k) => k.endsWith('[]'));
        cases.push({ name: `${op.operationId} ${mediaType} ${name}`, op, mediaType, value, prismRejects });
      }
    }
  }
  return cases;
}

/** A multipart body from an example: `<binary name.png>` placeholders become PNG files, arrays repeated parts, numbers strings. */
function formFromExample(value: Record<string, unknown>): FormData {
  const form = new FormData();
  const part = (key: string, v: unknown) => {
    const binary = typeof v === 'string' ? BINARY_PLACEHOLDER.exec(v) : null;
    if (binary) form.append(key, new File([PNG], binary[1]!, { type: 'image/png' }));
    else form.append(key, String(v));
  };
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v)) v.forEach((item) => part(key, item));
    else part(key, v);
  }
  return form;
}

function buildRequest(base: string, c: RequestCase, extraHeaders: Record<string, string> = {}): Request {
  let path = c.op.path;
  const query = new URLSearchParams();
  for (const p of (c.op.operation.parameters ?? []) as JsonObject[]) {
    const param = deref<{ name: string; in: string; example?: unknown; required?: boolean }>(p);
    if (param.example === undefined) continue;
    if (param.in === 'path') path = path.replace(`{${param.name}}`, encodeURIComponent(String(param.example)));
    if (param.in === 'query') query.set(param.name, String(param.example));
  }
  const headers: Record<string, string> = { ...extraHeaders };
  if (secured(c.op)) headers.Authorization = `Bearer ${API_KEY}`;
  let body: BodyInit | undefined;
  if (c.mediaType === 'application/json') {
    body = JSON.stringify(c.value);
    headers['Content-Type'] = 'application/json';
  } else if (c.mediaType === 'multipart/form-data') {
    body = formFromExample(c.value!); // fetch sets the multipart Content-Type with its boundary
  }
  // A streaming example asks for the event stream, as the SDK does.
  if (c.value?.stream === true) headers.Accept = 'text/event-stream';
  const qs = query.size ? `?${query}` : '';
  return new Request(`${base}${path}${qs}`, { method: c.op.method, headers, ...(body !== undefined ? { body } : {}) });
}

interface Violation {
  location: string[];
  message: string;
}
const violations = (response: Response): Violation[] => JSON.parse(response.headers.get('sl-violations') ?? '[]') as Violation[];
const bodyViolations = (response: Response) => violations(response).filter((v) => v.location[0] === 'response' && v.location[1] === 'body');
const mediaTypeOf = (response: Response) => (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** The first example of a declared response (what Prism serves for `Prefer: code=<status>`). */
function firstResponseExample(op: OperationInfo, status: string): unknown {
  const response = deref<JsonObject>((op.operation.responses as Record<string, unknown>)[status]);
  const content = response.content as Record<string, { examples: Record<string, unknown> }>;
  return exampleValue(Object.values(content['application/json']!.examples)[0]);
}

/** The declared example of a response header (Prism sends it). */
function headerExample(name: string): string {
  const header = deref<{ schema: { examples?: unknown[] } }>(spec().components.headers[name]);
  return String(header.schema.examples?.[0]);
}

const cases = requestCases();

describe('Prism mock of generated/openapi.json', () => {
  let prism: PrismServer | undefined;
  beforeAll(async () => {
    prism = await startPrism();
  });
  afterAll(async () => {
    await prism?.close();
  });
  const base = () => prism!.url;

  it('has a request case Prism can serve for every operation of the spec', () => {
    const served = new Set(cases.filter((c) => !c.prismRejects).map((c) => c.op.operationId));
    expect([...served].sort()).toEqual(operations().map((o) => o.operationId).sort());
    expect(operations().length).toBeGreaterThanOrEqual(6);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    if (c.prismRejects) {
      it('is rejected by Prism: repeated image[] parts collapse into one string (Prism limitation)', async () => {
        const response = await fetch(buildRequest(base(), c));
        expect(response.status).toBe(400);
        expect(violations(response)).toContainEqual(expect.objectContaining({ location: ['request', 'body', 'image[]'], message: 'Request body property image[] must be array' }));
        // Prism answers with the first declared 400 example, whatever the real violation.
        expect(await response.json()).toEqual(firstResponseExample(c.op, '400'));
      });
      return;
    }

    it('answers 2xx with a body that matches the spec', async () => {
      const response = await fetch(buildRequest(base(), c));
      const text = await response.text();
      expect(response.status, text).toBeGreaterThanOrEqual(200);
      expect(response.status, text).toBeLessThan(300);
      expect(response.headers.get('x-request-id')).toBe(headerExample('XRequestId'));
      expect(bodyViolations(response)).toEqual([]);
      const mediaType = mediaTypeOf(response);
      if (mediaType === 'application/json') {
        expect(responseProblems(c.op.operationId, response.status, mediaType, JSON.parse(text))).toEqual([]);
      } else if (mediaType === 'text/event-stream') {
        const events = [];
        for await (const e of parseServerSentEvents(new Response(text).body!)) events.push(e);
        expect(events.length).toBeGreaterThan(0);
        for (const e of events) {
          const payload = JSON.parse(e.data) as { type: string };
          expect(payload.type).toBe(e.event);
          expect(responseProblems(c.op.operationId, response.status, mediaType, payload)).toEqual([]);
        }
        expect(events.at(-1)!.event).toMatch(/\.completed$/);
      } else {
        // getMedia: no example bytes, so Prism sends the word "string" (see the top of this file).
        expect(mediaType).toMatch(/^image\//);
        expect(text).toBe('string');
        expect(responseProblems(c.op.operationId, response.status, mediaType, text)).toEqual([]);
      }
    });
  });

  const acceptable = (op: OperationInfo) => cases.find((c) => c.op.operationId === op.operationId && !c.prismRejects)!;
  const declares = (op: OperationInfo, status: string) => status in (op.operation.responses as object);

  describe.each(operations().map((op) => [op.operationId, op] as const))('%s error examples', (_, op) => {
    for (const status of ['400', '429']) {
      if (!declares(op, status)) continue;
      it(`Prefer: code=${status} gives the first declared ${status} example`, async () => {
        const response = await fetch(buildRequest(base(), acceptable(op), { Prefer: `code=${status}` }));
        expect(response.status).toBe(Number(status));
        expect(await response.json()).toEqual(firstResponseExample(op, status));
        expect(response.headers.get('x-request-id')).toBe(headerExample('XRequestId'));
        if (status === '429') expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      });
    }
    if (secured(op) && declares(op, '401')) {
      it('without an API key gives the first declared 401 example', async () => {
        const request = buildRequest(base(), acceptable(op));
        request.headers.delete('authorization');
        const response = await fetch(request);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual(firstResponseExample(op, '401'));
      });
    }
  });

  describe('the typed client against Prism', () => {
    let client: ImagesClient;
    beforeAll(() => {
      client = createImagesClient({ baseUrl: base(), apiKey: API_KEY, validateResponses: true, timeoutMs: 20_000 });
    });
    const op = (id: string) => operations().find((o) => o.operationId === id)!;
    const requestExample = <T,>(id: string, mediaType: string, name: string): T =>
      exampleValue(requestContent(op(id))[mediaType]!.examples![name]) as T;
    /** A multipart example as client input: `<binary ...>` placeholders become PNG bytes. */
    const uploads = (value: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k.replace(/\[\]$/, ''),
          Array.isArray(v) ? v.map(() => PNG) : typeof v === 'string' && BINARY_PLACEHOLDER.test(v) ? PNG : v,
        ]),
      );

    it('generate', async () => {
      const result = await client.generate(requestExample('createImage', 'application/json', 'DallE3Hd'));
      expect(result).toEqual(firstResponseExample(op('createImage'), '200'));
    });

    it('stream', async () => {
      const types = [];
      for await (const e of client.stream(requestExample('createImage', 'application/json', 'Stream'))) types.push(e.type);
      expect(types).toEqual(['image_generation.partial_image', 'image_generation.completed']);
    });

    it('listModels', async () => {
      const list = await client.listModels({ modality: 'image' });
      expect(list).toEqual(firstResponseExample(op('listModels'), '200'));
    });

    it('edit with one image and a mask', async () => {
      const body = uploads(requestExample('createImageEdit', 'multipart/form-data', 'DallE2Mask')) as unknown as Parameters<ImagesClient['edit']>[0];
      expect(body.image).toBe(PNG);
      expect(await client.edit(body)).toEqual(firstResponseExample(op('createImageEdit'), '200'));
    });

    it('edit with two images is rejected by Prism (image[] parts, Prism limitation)', async () => {
      const body = uploads(requestExample('createImageEdit', 'multipart/form-data', 'TwoImages')) as unknown as Parameters<ImagesClient['edit']>[0];
      expect(body.image).toEqual([PNG, PNG]);
      const err = (await client.edit(body).catch((e: unknown) => e)) as ImagesApiError;
      expect(err).toBeInstanceOf(ImagesApiError);
      expect(err.status).toBe(400);
      expect(err.code).toBe('missing_required_parameter'); // Prism's canned first 400 example
      expect(err.headers?.get('sl-violations')).toContain('image[] must be array');
    });

    it('editJson', async () => {
      const result = await client.editJson(requestExample('createImageEdit', 'application/json', 'ByUrl'));
      expect(result).toEqual(firstResponseExample(op('createImageEdit'), '200'));
    });

    it('streamEdit with one image', async () => {
      const types = [];
      for await (const e of client.streamEdit({ model: 'gpt-image-1', prompt: 'Add a hat', image: PNG })) types.push(e.type);
      expect(types).toEqual(['image_edit.completed']);
    });

    it('createVariation', async () => {
      const body = uploads(requestExample('createImageVariation', 'multipart/form-data', 'TwoVariations')) as unknown as Parameters<ImagesClient['createVariation']>[0];
      expect(await client.createVariation(body)).toEqual(firstResponseExample(op('createImageVariation'), '200'));
    });

    it('generateNative', async () => {
      const data = await client.generateNative(requestExample('generateNativeImage', 'application/json', 'DallE3'));
      expect(data).toEqual((firstResponseExample(op('generateNativeImage'), '200') as { data: unknown }).data);
    });

    it('downloadMedia gets what Prism has for binary bodies (the word "string")', async () => {
      const media = await client.downloadMedia(`${base()}/media/eyJ2IjoxfQ.c2lnbmF0dXJl`);
      expect(media.contentType).toBe('image/png');
      expect(new TextDecoder().decode(media.bytes)).toBe('string');
    });

    it('errors: Prefer code=429 on generate and code=400 on the native endpoint', async () => {
      const rateLimited = (firstResponseExample(op('createImage'), '429') as { error: { code: string; message: string } }).error;
      await expect(client.generate({ prompt: 'x' }, { headers: { Prefer: 'code=429' } })).rejects.toMatchObject({
        name: 'ImagesApiError',
        status: 429,
        code: rateLimited.code,
        message: `429 ${rateLimited.message}`,
        requestId: headerExample('XRequestId'),
        envelope: 'openai',
      });
      const native = (firstResponseExample(op('generateNativeImage'), '400') as { error: { code: string } }).error;
      await expect(client.generateNative({ model: 'openai/dall-e-3', prompt: 'x' }, { headers: { Prefer: 'code=400' } })).rejects.toMatchObject({
        status: 400,
        code: native.code,
        envelope: 'native',
        requestId: headerExample('XRequestId'),
      });
    });
  });
});
