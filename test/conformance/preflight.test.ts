// Preflight hints and "images made" as images actually returned (issue 8 point 5).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/index.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { sendJson, startServer, type TestServer } from './helpers/servers.js';

const KEY = 'sk-preflight-test-abcdef';
let nothing: TestServer;
let mock: RunningMock;
beforeAll(async () => {
  nothing = await startServer((_req, res) => sendJson(res, 404, { error: { message: 'Not found', type: 'invalid_request_error', code: null, param: null } }));
  mock = await startMock({ port: 0, profile: 'openai', apiKeys: [KEY] });
});
afterAll(async () => {
  await nothing?.close();
  await mock?.close();
});

it('a gateway answering 404 everywhere: a hint, and 0 images made though generations were sent', async () => {
  const report = await runConformance({ baseUrl: nothing.url, apiKey: KEY, models: ['dall-e-2'], only: ['success'], maxImages: 10 });
  expect(report.unreachable).toBeUndefined();
  expect(report.hints).toEqual([expect.stringMatching(/^GET \/v1\/models and POST \/v1\/images\/generations both answer 404: is --base-url the URL the OpenAI SDK takes/)]);
  expect(report.imagesRequested).toBeGreaterThan(0);
  expect(report.imagesMade).toBe(0);
});

it('a native profile against a gateway without the native paths: a hint', async () => {
  const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, profile: 'scaigrid', models: ['dall-e-2'], only: ['negative.n-zero'] });
  expect(report.hints?.some((h) => /^profile scaigrid expects native operations, but POST \/v1\/inference\/images\/generate answers 404/.test(h))).toBe(true);
});

it('images made are the images returned', async () => {
  const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, models: ['dall-e-2'], only: ['success', 'model-rules.n-max'], maxImages: 20 });
  expect(report.imagesMade).toBe(report.imagesRequested);
  expect(report.imagesMade).toBeGreaterThanOrEqual(10);
});
