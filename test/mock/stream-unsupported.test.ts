// `stream: true` to a model that cannot stream (dall-e-2, dall-e-3, the diffusion models): a 400
// naming `stream`, never a plain JSON 200 that the SDK's stream iterator would read as "no events"
// (facts §3.2, §6.12; catalogue `stream: unsupported: reject`). `stream: false` asks for nothing
// and is accepted. The conformance check model-rules.unsupported-params-rejected agrees.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPng } from '../../src/images/index.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { runConformance } from '../../src/conformance/index.js';
import { KEY, expectError, expectImagesResponse, multipart, post } from './helpers.js';

let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({ profile: 'openai' });
});
afterAll(() => mock.close());

describe('stream: true on models without streaming', () => {
  for (const model of ['dall-e-3', 'dall-e-2', 'openai/dall-e-3']) {
    it(`${model}: 400 unsupported_for_model, param stream`, async () => {
      expectError(await post(`${mock.url}/images/generations`, { model, prompt: 'x', stream: true }), 'unsupported_for_model', { param: 'stream', model });
    });
  }

  it('stream: false (and null) is accepted: JSON as usual', async () => {
    for (const stream of [false, null]) {
      const a = await post(`${mock.url}/images/generations`, { model: 'dall-e-3', prompt: 'x', stream });
      expect(a.status, a.text).toBe(200);
      expect(a.headers.get('content-type')).toMatch(/^application\/json/);
      expectImagesResponse(a.json);
    }
  });

  it('multipart edits with stream=true on dall-e-2 are refused too', async () => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(renderPng({ width: 32, height: 32, seed: 'u', prompt: 'u', index: 0 }))], { type: 'image/png' }), 'a.png');
    form.append('prompt', 'x');
    form.append('model', 'dall-e-2');
    form.append('stream', 'true');
    expectError(await multipart(`${mock.url}/images/edits`, form), 'unsupported_for_model', { param: 'stream', model: 'dall-e-2' });
  });

  it('the openai SDK gets a BadRequestError instead of an empty stream', async () => {
    const client = new OpenAI({ baseURL: mock.url, apiKey: KEY, maxRetries: 0 });
    const e = await client.images.generate({ model: 'dall-e-3', prompt: 'x', stream: true }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e).toMatchObject({ status: 400, param: 'stream' });
  });

  it('GPT image models still stream', async () => {
    const a = await post(`${mock.url}/images/generations`, { model: 'gpt-image-1', prompt: 'x', stream: true, quality: 'low' });
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('the suite agrees: model-rules.unsupported-params-rejected passes for dall-e-3 and dall-e-2 against the mock', async () => {
    const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, only: ['model-rules.unsupported-params-rejected'], models: ['dall-e-3', 'dall-e-2'], timeoutMs: 20_000 });
    const results = report.results.filter((r) => r.id === 'model-rules.unsupported-params-rejected');
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.status, JSON.stringify(r)).toBe('pass');
  });
});
