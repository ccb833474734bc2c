// Whatever arrives - arbitrary JSON, random bytes, huge numbers, deep nesting, wrong types per
// field, garbage headers, random paths and methods, random multipart - the mock answers 2xx or
// a contract-shaped 4xx, promptly, and keeps serving. The control headers x-mock-scenario and
// Prefer are left out on purpose: they ask for 5xx answers.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModels, findModel } from '../../src/contract/catalogue.js';
import { specValidator } from '../../src/contract/validator.js';
import { renderPng, sniffImage } from '../../src/images/index.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { KEY, parseSse } from './helpers.js';

let openai: RunningMock;
let scaigrid: RunningMock;
let lenient: RunningMock;

beforeAll(async () => {
  [openai, scaigrid, lenient] = await Promise.all([startMock({ profile: 'openai' }), startMock({ profile: 'scaigrid' }), startMock({ profile: 'openai', lenient: true })]);
});
afterAll(() => Promise.all([openai.close(), scaigrid.close(), lenient.close()]));

const REQUEST_TIMEOUT_MS = 10_000;
const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

const wrongTypes = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 2 ** 53),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const models = fc.constantFrom('dall-e-2', 'dall-e-3', 'gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5', 'gpt-image-2', 'openai/dall-e-3', 'stability/sd-xl', 'imagen-3', 'flux-pro', 'chatgpt-image-latest', 'nope');
// Small sizes keep the run short; big ones appear rarely.
const sizes = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('256x256', '512x512', '64x64', '16x16', '1024x1024', 'auto') },
  { weight: 1, arbitrary: fc.constantFrom('1792x1024', '1536x1024', '1024x1536', '2048x1152', '99999x99999', '0x0', 'big') },
);
const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: wrongTypes });

const imageBody = fc.record(
  {
    prompt: field(fc.oneof(fc.string({ maxLength: 40 }), fc.constant(''), fc.constant('猫'.repeat(1001)))),
    model: field(models),
    n: field(fc.integer({ min: -1, max: 12 })),
    size: field(sizes),
    quality: field(fc.constantFrom('standard', 'hd', 'low', 'medium', 'high', 'auto', 'ultra')),
    response_format: field(fc.constantFrom('url', 'b64_json', 'png')),
    output_format: field(fc.constantFrom('png', 'jpeg', 'webp', 'gif')),
    output_compression: field(fc.integer({ min: -5, max: 105 })),
    background: field(fc.constantFrom('transparent', 'opaque', 'auto')),
    style: field(fc.constantFrom('vivid', 'natural')),
    moderation: field(fc.constantFrom('low', 'auto')),
    stream: field(fc.boolean()),
    partial_images: field(fc.integer({ min: -1, max: 4 })),
    user: field(fc.string({ maxLength: 10 })),
    metadata: field(fc.dictionary(fc.string({ maxLength: 70 }), fc.string({ maxLength: 10 }), { maxKeys: 3 })),
    images: field(fc.array(fc.record({ image_url: fc.constantFrom('https://example.com/a.png', 'not a url'), file_id: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }), { maxLength: 3 })),
    [`x_${'unknown'}`]: wrongTypes,
  },
  { requiredKeys: [] },
);

// Bodies valid for one model, so a good share of runs reach image rendering.
const validBody = fc.oneof(
  fc.record({ model: fc.constantFrom('dall-e-2', 'openai/dall-e-2'), prompt: fc.string({ minLength: 1, maxLength: 30 }), n: fc.integer({ min: 1, max: 3 }), size: fc.constantFrom('256x256', '512x512'), response_format: fc.constantFrom('url', 'b64_json') }, { requiredKeys: ['model', 'prompt'] }),
  fc.record({ model: fc.constantFrom('gpt-image-1', 'gpt-image-1.5', 'gpt-image-1-mini'), prompt: fc.string({ minLength: 1, maxLength: 30 }), quality: fc.constantFrom('low', 'medium', 'auto'), output_format: fc.constantFrom('png', 'jpeg', 'webp'), output_compression: fc.integer({ min: 0, max: 100 }), background: fc.constantFrom('opaque', 'auto'), stream: fc.boolean(), partial_images: fc.integer({ min: 0, max: 2 }), moderation: fc.constantFrom('low', 'auto') }, { requiredKeys: ['model', 'prompt'] }),
  fc.record({ model: fc.constantFrom('dall-e-3', 'openai/dall-e-3'), prompt: fc.string({ minLength: 1, maxLength: 30 }), quality: fc.constantFrom('standard', 'hd'), style: fc.constantFrom('vivid', 'natural'), user: fc.string({ maxLength: 10 }), metadata: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }) }, { requiredKeys: ['model', 'prompt'] }),
  fc.record({ model: fc.constantFrom('stability/sd-xl', 'imagen-3'), prompt: fc.string({ minLength: 1, maxLength: 30 }), n: fc.integer({ min: 1, max: 2 }), response_format: fc.constantFrom('url', 'b64_json') }, { requiredKeys: ['model', 'prompt'] }),
);
/** A valid body with one field replaced by a value of another type (or removed). */
const mutatedBody = fc.tuple(validBody, fc.constantFrom('prompt', 'model', 'n', 'size', 'quality', 'stream', 'metadata', 'response_format'), fc.option(wrongTypes, { nil: undefined })).map(([body, key, value]) => {
  const copy: Record<string, unknown> = { ...body };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
});

const deep = fc.integer({ min: 1, max: 200_000 }).map((depth) => `{"prompt":"x","metadata":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
const bodies: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 5, arbitrary: validBody.map((b) => JSON.stringify(b)) },
  { weight: 3, arbitrary: mutatedBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: imageBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '1e999', '{"prompt":"x","n":1e400}', '{"prompt":"x","n":123456789012345678901234567890}', '\u0000', '{"__proto__":{"x":1},"prompt":"x"}', '{"prompt":"x","constructor":{"prototype":1}}') },
);

const routes: fc.Arbitrary<[string, string]> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom<[string, string]>(
      ['POST', '/v1/images/generations'],
      ['POST', '/v1/images/generations'],
      ['POST', '/v1/images/generations'],
      ['POST', '/v1/inference/images/generate'],
      ['POST', '/v1/inference/images/generate'],
      ['POST', '/oai/v1/images/generations'],
      ['POST', '/v1/images/edits'],
      ['POST', '/v1/images/variations'],
      ['GET', '/v1/models'],
      ['GET', '/v1/models?modality=image'],
      ['GET', '/v1/models?modality=x&modality=image'],
      ['HEAD', '/v1/models'],
      ['GET', '/v1/media/abc.def'],
      ['OPTIONS', '/v1/images/generations'],
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
      fc.oneof(fc.constantFrom('/v1/images/generations', '/v1/models', '/v1/media/', '/oai/v1/models'), fc.stringMatching(/^\/[A-Za-z0-9_\-./%?=&~]{0,60}$/)),
    ),
  },
);
const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'multipart/form-data', 'multipart/form-data; boundary=xyz', 'application/x-www-form-urlencoded', 'APPLICATION/JSON', '') },
  { weight: 1, arbitrary: printable(40) },
);
const authorizations = fc.oneof(
  { weight: 6, arbitrary: fc.constant(`Bearer ${KEY}`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic abc', `bearer   ${KEY}`) },
  { weight: 1, arbitrary: printable(60) },
);
const extraHeaders = fc.dictionary(
  fc.constantFrom('x-stainless-retry-count', 'x-stainless-timeout', 'x-progress-id', 'openai-organization', 'accept', 'origin', 'access-control-request-headers', 'x-random'),
  printable(30),
  { maxKeys: 3 },
);

/** The answer is 2xx or a 4xx in one of the contract's error envelopes; the body matches its route. */
/** Statuses seen, to check the generators reach both successes and refusals. */
const seen = new Map<number, number>();

async function checkAnswer(res: Response, path: string, method: string): Promise<void> {
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  const text = method === 'HEAD' ? '' : await res.text();
  expect(res.status, text).toBeLessThan(500);
  expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
  const type = res.headers.get('content-type') ?? '';
  if (res.status >= 400) {
    expect(type).toMatch(/^application\/json/);
    if (method === 'HEAD') return;
    const body = JSON.parse(text);
    const schema = body.status === 'error' ? 'NativeErrorResponse' : 'ErrorResponse';
    expect(specValidator().problems(schema, body), text).toEqual([]);
    return;
  }
  if (method === 'HEAD' || res.status === 204) return;
  if (type.startsWith('text/event-stream')) {
    for (const e of parseSse(text)) expect(specValidator().problems(e.event.startsWith('image_edit') ? 'ImageEditStreamEvent' : 'ImageGenStreamEvent', e.data)).toEqual([]);
    return;
  }
  if (type.startsWith('image/')) return;
  const body = JSON.parse(text);
  const schema = path.includes('/models') ? 'ModelList' : body.status === 'ok' ? 'NativeGenerateResponse' : 'ImagesResponse';
  expect(specValidator().problems(schema, body), text.slice(0, 500)).toEqual([]);
}

describe('property: no input gets a 5xx, a malformed answer, a crash or a hang', () => {
  it('random requests (JSON, bytes, paths, methods, headers)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), routes, bodies, contentTypes, fc.option(authorizations, { nil: undefined }), extraHeaders, async (native, [method, path], body, contentType, authorization, extra) => {
        const mock = native ? scaigrid : openai;
        const headers: Record<string, string> = { ...extra, 'content-type': contentType };
        if (authorization !== undefined) headers.authorization = authorization;
        const res = await fetch(`${mock.origin}${path}`, {
          method,
          headers,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        await checkAnswer(res, path, method);
      }),
      { numRuns: 200 },
    );
  });

  it('random multipart edits and variations', async () => {
    const square = renderPng({ width: 32, height: 32, seed: 'p', prompt: 'p', index: 0 });
    const files = fc.constantFrom<Uint8Array>(square, renderPng({ width: 32, height: 16, seed: 'p', prompt: 'p', index: 0 }), renderPng({ width: 32, height: 32, transparent: true, seed: 'p', prompt: 'p', index: 1 }), new Uint8Array([1, 2, 3]), new Uint8Array(0));
    const parts = fc.array(
      fc.tuple(fc.constantFrom('image', 'image[]', 'mask', 'prompt', 'model', 'n', 'size', 'response_format', 'output_format', 'stream', 'input_fidelity', 'quality', 'junk'), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('dall-e-2', 'gpt-image-1', '2', '256x256', 'true', 'b64_json')), fc.option(files, { nil: undefined })),
      { maxLength: 8 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/images/edits', '/v1/images/variations'), parts, async (path, fields) => {
        const form = new FormData();
        for (const [name, text, file] of fields) {
          if (file) form.append(name, new Blob([new Uint8Array(file)], { type: 'image/png' }), 'f.png');
          else form.append(name, text);
        }
        const res = await fetch(`${openai.url}${path.slice(3)}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await checkAnswer(res, path, 'POST');
      }),
      { numRuns: 80 },
    );
  });

  // Prototype keys (issue 10 point 9): top level and nested, in strict and lenient mode. They are
  // unknown fields: never a 5xx, never more images than asked for by an own `n` (or the default
  // 1), never more than the catalogue's largest n; in strict mode never a 200.
  const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
  const protoValues = fc.constantFrom('{"n":100000}', '{"n":-5}', '{"n":2.5}', '{"n":3}', '{"size":"99999x99999","model":"nope"}', '1', 'null', '"x"', '[]', '{"prototype":{"n":50}}', '{"__proto__":{"n":9}}', '{"constructor":{"prototype":{"n":7}}}');
  const catalogueMaxN = Math.max(...allModels().map((m) => m.n.max));
  /** How many images a 200 may carry: the own `n` of the body as parsed, else 1. */
  const expectedCount = (n: unknown) => (typeof n === 'number' ? n : 1);
  const strictBound = (model: unknown) => (typeof model === 'string' ? (findModel(model)?.n.max ?? catalogueMaxN) : catalogueMaxN);

  /** `strict 200`, `lenient 400`, ...: the proto properties must reach both outcomes in both modes. */
  const protoSeen = new Set<string>();
  const expectBothOutcomes = () => {
    for (const mode of ['strict', 'lenient']) for (const outcome of ['2xx', '4xx']) if (!(mode === 'strict' && outcome === '2xx')) expect(protoSeen.has(`${mode} ${outcome}`), `${mode} ${outcome}`).toBe(true);
    protoSeen.clear();
  };

  async function countImages(res: Response, isLenient: boolean): Promise<number | undefined> {
    protoSeen.add(`${isLenient ? 'lenient' : 'strict'} ${res.status < 300 ? '2xx' : '4xx'}`);
    const type = res.headers.get('content-type') ?? '';
    const text = await res.clone().text();
    if (res.status !== 200) return undefined;
    if (type.startsWith('text/event-stream')) return parseSse(text).filter((e) => e.event.endsWith('.completed')).length;
    return JSON.parse(text).data.length;
  }

  it('prototype keys in JSON bodies, strict and lenient', async () => {
    const entry = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...PROTO_KEYS), protoValues) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('metadata'), fc.tuple(fc.constantFrom(...PROTO_KEYS), protoValues).map(([k, v]) => `{${JSON.stringify(k)}:${v}}`)) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('n'), fc.constantFrom('1', '2', '3', '-5', '2.5', '100000', '0', 'null')) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('stream', 'size'), fc.constantFrom('true', '"256x256"', '"1024x1024"')) },
    );
    const body = fc.tuple(fc.constantFrom('dall-e-2', 'dall-e-3', 'gpt-image-1', 'stability/sd-xl', undefined), fc.array(entry, { minLength: 1, maxLength: 5 })).map(([model, entries]) => {
      const all: Array<[string, string]> = [['prompt', '"proto"'], ['size', '"256x256"'], ...(model ? ([['model', JSON.stringify(model)]] as Array<[string, string]>) : []), ...entries];
      return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
    });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), body, async (isLenient, text) => {
        const mock = isLenient ? lenient : openai;
        const res = await fetch(`${mock.url}/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: text, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const count = await countImages(res, isLenient);
        await checkAnswer(res, '/v1/images/generations', 'POST');
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const hasProto = PROTO_KEYS.some((k) => Object.hasOwn(parsed, k));
        if (count === undefined) return;
        expect(isLenient || !hasProto, `strict 200 for ${text}`).toBe(true);
        const n = Object.hasOwn(parsed, 'n') ? parsed.n : undefined;
        expect(count, text).toBe(expectedCount(n));
        expect(count, text).toBeLessThanOrEqual(isLenient ? catalogueMaxN : strictBound(parsed.model));
      }),
      { numRuns: 150 },
    );
    expectBothOutcomes();
  });

  it('prototype field names in multipart bodies, strict and lenient', async () => {
    const square = renderPng({ width: 32, height: 32, seed: 'p', prompt: 'p', index: 0 });
    const names = fc.constantFrom('__proto__', 'constructor', 'prototype', '__proto__[n]', 'constructor[prototype]', 'prototype[]', '__proto__[]', '__proto__.n', 'n', 'size');
    const values = fc.constantFrom('100000', '2', '-5', '2.5', 'x', '256x256', '{"n":5}', '');
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.constantFrom('/images/edits', '/images/variations'), fc.array(fc.tuple(names, values), { minLength: 1, maxLength: 4 }), async (isLenient, path, fields) => {
        const mock = isLenient ? lenient : openai;
        const form = new FormData();
        form.append('image', new Blob([new Uint8Array(square)], { type: 'image/png' }), 'a.png');
        if (path === '/images/edits') form.append('prompt', 'proto');
        form.append('model', 'dall-e-2');
        form.append('response_format', 'url');
        for (const [name, value] of fields) form.append(name, value);
        const res = await fetch(`${mock.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const count = await countImages(res, isLenient);
        await checkAnswer(res, `/v1${path}`, 'POST');
        if (count === undefined) return;
        const unknown = fields.some(([name]) => name !== 'n' && name !== 'size');
        expect(isLenient || !unknown, `strict 200 for ${JSON.stringify(fields)}`).toBe(true);
        const lastN = fields.filter(([name]) => name === 'n').at(-1)?.[1];
        expect(count).toBe(lastN === undefined ? 1 : Number(lastN));
        expect(count).toBeLessThanOrEqual(isLenient ? catalogueMaxN : 10);
      }),
      { numRuns: 60 },
    );
    expectBothOutcomes();
  });

  it('reached successes and refusals alike', () => {
    expect(seen.get(200) ?? 0).toBeGreaterThan(10);
    expect([400, 401, 404, 415].every((s) => (seen.get(s) ?? 0) > 0)).toBe(true);
  });

  it('still serves normally afterwards', async () => {
    const res = await fetch(`${openai.url}/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'after the storm', response_format: 'b64_json', size: '256x256' }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(sniffImage(Buffer.from(body.data[0].b64_json, 'base64'))).toMatchObject({ width: 256, height: 256 });
  });
});
