// The API key never appears in any output: console, JSON, JUnit, HTML, curl - not even when a hostile
// gateway echoes it back in bodies, headers and image URLs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redactor, runConformance, type ConformanceReport } from '../../src/conformance/index.js';
import { ConsoleReporter } from '../../src/conformance/reporters/console.js';
import { renderGithub } from '../../src/conformance/reporters/github.js';
import { renderHtml } from '../../src/conformance/reporters/html.js';
import { renderJson } from '../../src/conformance/reporters/json.js';
import { renderJunit } from '../../src/conformance/reporters/junit.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { sendJson, startServer, type TestServer } from './helpers/servers.js';

const KEY = 'sk-canary-5f0c9a7e1d2b4c6a8e0f';
const HEADER_SECRET = 'pk-header-canary-31415926';

let echo: TestServer;
let mock: RunningMock;
beforeAll(async () => {
  // Echoes the Authorization header everywhere it can: body, headers, image URLs.
  echo = await startServer((req, res, self) => {
    const auth = String(req.headers.authorization ?? '');
    const secret = String(req.headers['x-portkey-api-key'] ?? '');
    if (req.url?.startsWith('/img')) return sendJson(res, 404, { error: { message: `no image for ${auth}`, type: 'x', param: null, code: null } });
    if (req.method === 'GET') return sendJson(res, 200, { object: 'list', data: [{ id: auth, object: 'model', created: 1, owned_by: secret }] }, { 'x-echo': auth });
    sendJson(
      res,
      200,
      { created: Date.now(), data: [{ url: `${self.origin}/img?k=${encodeURIComponent(auth.replace('Bearer ', ''))}`, revised_prompt: auth }], note: `you sent ${auth} and ${secret}` },
      { 'x-echo': auth, 'x-request-id': auth },
    );
  });
  mock = await startMock({ port: 0, profile: 'openai-compatible', apiKeys: [KEY] });
});
afterAll(async () => {
  await echo?.close();
  await mock?.close();
});

function outputs(report: ConformanceReport, redactor: Redactor): Record<string, string> {
  let consoleText = '';
  const reporter = new ConsoleReporter({ write: (s: string) => (consoleText += s), isTTY: true, columns: 200 }, redactor);
  for (const result of report.results) {
    reporter.onEvent({ type: 'start', key: result.key, title: result.title });
    reporter.onEvent({ type: 'result', result });
  }
  reporter.finish(report);
  return {
    console: consoleText,
    json: renderJson(report, redactor),
    junit: renderJunit(report, redactor),
    html: renderHtml(report, redactor),
    github: renderGithub(report, redactor),
    raw: JSON.stringify(report),
  };
}

it('a gateway echoing the key: no output contains it', async () => {
  const report = await runConformance({
    baseUrl: echo.url,
    apiKey: KEY,
    headers: { 'x-portkey-api-key': HEADER_SECRET, 'x-portkey-provider': 'openai' },
    maxImages: 10,
  });
  expect(report.summary.fail).toBeGreaterThan(5);
  const redactor = new Redactor([KEY]);
  redactor.addSecretHeaders({ 'x-portkey-api-key': HEADER_SECRET });
  const out = outputs(report, redactor);
  for (const [name, text] of Object.entries(out)) {
    expect(text.includes(KEY), `${name} contains the key`).toBe(false);
    expect(text.includes(encodeURIComponent(KEY)), `${name} contains the URL-encoded key`).toBe(false);
    expect(text.includes(HEADER_SECRET), `${name} contains the secret header`).toBe(false);
  }
  // The reproductions still work: the key as an environment variable, quoted for expansion.
  expect(out.console).toContain('-H "Authorization: Bearer $IMAGEGEN_API_KEY"');
  expect(out.json).toContain('[REDACTED]');
  // The harmless header is kept as sent.
  expect(out.console).toContain("-H 'x-portkey-provider: openai'");
});

it('a full run against the mock: no output contains the key', async () => {
  const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, profile: 'openai-compatible', maxImages: 20 });
  expect(report.exitCode).toBe(0);
  const out = outputs(report, new Redactor([KEY]));
  for (const [name, text] of Object.entries(out)) expect(text.includes(KEY), `${name} contains the key`).toBe(false);
  expect(report.images.length).toBeGreaterThan(0);
});
