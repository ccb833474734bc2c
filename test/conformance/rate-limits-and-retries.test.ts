// Live-gateway behaviour of the runner (issue 8): 429s waited out and paced (never a failure), a
// gateway that keeps refusing ends "not run: rate limited", transient faults retried (flaky when
// recovered, the MUST failure with every attempt when not), concurrent image checks reported in plan
// order with shared generations made once. Against the mock (per-second rate limit, latency,
// scenarios) and small servers of our own.
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/conformance/http.js';
import { runConformance, type CheckResult, type ConformanceReport, type RunEvent } from '../../src/conformance/index.js';
import { RatePacer, parseRate } from '../../src/conformance/rate-pacer.js';
import { Redactor } from '../../src/conformance/redact.js';
import { RetryPolicy, parseDuration, rateLimitWaitMs } from '../../src/conformance/retry-policy.js';
import { formatSummary } from '../../src/conformance/reporters/console.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { sendJson, startServer, type TestServer } from './helpers/servers.js';

const KEY = 'sk-rate-limit-test-123456';
const RATE_LIMIT_CHECKS = ['headers.retry-after', 'headers.rate-limit-envelope'];
/** Free checks and one model's generations: enough requests to run into a small limit. */
const REDUCED = ['negative', 'auth', 'models-list', 'success', ...RATE_LIMIT_CHECKS];

const mustFailures = (r: ConformanceReport) => r.results.filter((x) => (x.status === 'fail' || x.status === 'error') && x.severity === 'MUST').map((x) => `${x.key}: ${x.observed ?? x.reason}`);

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
async function mock(options: Parameters<typeof startMock>[0]): Promise<RunningMock> {
  const m = await startMock({ port: 0, apiKeys: [KEY], ...options });
  closers.push(() => m.close());
  return m;
}
async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  closers.push(() => s.close());
  return s;
}

describe('rate limits are the gateway\'s right', () => {
  it('against a 5/s limit: paced by its x-ratelimit-* headers, no MUST failure, the 429 checks judge what was seen', async () => {
    const m = await mock({ rateLimitPerMinute: 5, rateLimitWindowMs: 1000 });
    const started = Date.now();
    const report = await runConformance({ baseUrl: m.url, apiKey: KEY, models: ['dall-e-2'], only: REDUCED, maxImages: 10 });
    expect(mustFailures(report)).toEqual([]);
    // Learned from the headers: the run kept to about 5 requests a second.
    // (The mock limits authenticated requests only.)
    const limited = report.exchanges.filter((e) => e.requestHeaders.authorization).length;
    expect(Date.now() - started).toBeGreaterThanOrEqual((Math.floor(limited / 5) - 2) * 1000);
    const seen429 = report.exchanges.some((e) => e.status === 429);
    for (const id of RATE_LIMIT_CHECKS) expect(report.results.find((r) => r.id === id)!.status).toBe(seen429 ? 'pass' : 'skip');
    expect(report.summary.mustNotRun['rate-limit'] ?? 0).toBe(0);
    expect(report.exitCode).toBe(0);
  }, 60_000);

  it('--rate paces the run under the limit: no 429 at all', async () => {
    const m = await mock({ rateLimitPerMinute: 5, rateLimitWindowMs: 1000 });
    const started = Date.now();
    const report = await runConformance({ baseUrl: m.url, apiKey: KEY, models: ['dall-e-2'], only: ['negative'], rate: parseRate('4/s')! });
    const requests = report.exchanges.length;
    expect(report.exchanges.filter((e) => e.status === 429)).toEqual([]);
    expect(mustFailures(report)).toEqual([]);
    // 4 starts a second at most: the run cannot be quicker than that.
    expect(Date.now() - started).toBeGreaterThanOrEqual(Math.floor((requests - 1) / 4) * 1000 - 50);
  }, 60_000);

  it('a gateway that keeps refusing: "not run: rate limited", the verdict says incomplete, --require-all exits 1', async () => {
    const s = await server((req, res) => {
      if (req.url === '/v1/models' && !req.headers.authorization) return sendJson(res, 401, { error: { message: 'no key', type: 'invalid_request_error', code: 'invalid_api_key', param: null } });
      sendJson(res, 429, { error: { message: 'Rate limit reached for images per day.', type: 'requests', code: 'rate_limit_exceeded', param: null } }, { 'retry-after': '3600' });
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, models: ['dall-e-2'], only: ['negative.n-zero', 'negative.n-eleven', 'success.status-200', ...RATE_LIMIT_CHECKS], requireAll: true });
    const byId = (id: string) => report.results.find((r) => r.id === id)!;
    for (const id of ['negative.n-zero', 'negative.n-eleven', 'success.status-200']) {
      expect(byId(id).status, JSON.stringify(byId(id))).toBe('skip');
      expect(byId(id).skipKind).toBe('rate-limit');
      expect(byId(id).reason).toMatch(/^not run: rate limited/);
    }
    // The checks about 429s still judge the 429s seen (this one carried Retry-After and its envelope).
    expect(byId('headers.retry-after').status).toBe('pass');
    expect(byId('headers.rate-limit-envelope').status).toBe('pass');
    expect(report.summary.mustFailed).toBe(0);
    expect(report.summary.mustNotRun['rate-limit']).toBe(3);
    expect(report.exitCode).toBe(1);
    const text = formatSummary(report);
    expect(text).toMatch(/Incomplete run: no MUST check that ran failed, but 3 MUST check\(s\) did not run \(3 rate limit\)/);
    expect(text).not.toContain('Every MUST check passed');
    // Given up at once (3600 s > --max-wait), and later checks not even tried.
    expect(report.durationMs).toBeLessThan(10_000);
  }, 30_000);

  it('a 429 without Retry-After is waited out by its x-ratelimit-reset-requests', async () => {
    const seen = new Map<string, number[]>();
    const s = await server((req, res) => {
      const times = seen.get(req.url!) ?? [];
      times.push(Date.now());
      seen.set(req.url!, times);
      if (times.length === 1) return sendJson(res, 429, { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded', param: null } }, { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '400ms' });
      sendJson(res, 200, { object: 'list', data: [] });
    });
    const http = new HttpClient({ origin: s.origin, redactor: new Redactor([]), retryPolicy: new RetryPolicy({ maxWaitMs: 5000 }), pacer: new RatePacer() });
    const ex = await http.send({ method: 'GET', url: `${s.url}/models`, label: 'models' });
    await http.close();
    expect(ex.response?.status).toBe(200);
    expect(ex.retry?.attempts.map((a) => a.outcome)).toEqual(['429', '200']);
    const [first, second] = seen.get('/v1/models')!;
    expect(second! - first!).toBeGreaterThanOrEqual(390);
    // The retry says what it is, as the official SDKs do.
    expect(http.exchanges[1]!.requestHeaders['x-stainless-retry-count']).toBe('1');
  });

  it('requests that probe 429s opt out and see the 429', async () => {
    const s = await server((_req, res) => sendJson(res, 429, { error: { message: 'x', type: 'requests', code: 'rate_limit_exceeded', param: null } }, { 'retry-after': '1' }));
    const http = new HttpClient({ origin: s.origin, redactor: new Redactor([]) });
    const ex = await http.send({ method: 'GET', url: `${s.url}/models`, label: 'probe', retry: { rateLimit: false } });
    await http.close();
    expect(ex.response?.status).toBe(429);
    expect(http.exchanges).toHaveLength(1);
  });

  it('the pacer holds requests back while the gateway says its limit is used up, never beyond --max-wait', async () => {
    const pacer = new RatePacer({ maxWaitMs: 5_000 });
    await pacer.acquire();
    pacer.release({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '300ms' });
    let t = Date.now();
    await pacer.acquire();
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    pacer.release({ 'x-ratelimit-remaining-requests': '2', 'x-ratelimit-reset-requests': '1s' });
    t = Date.now();
    await pacer.acquire();
    pacer.release(undefined);
    expect(Date.now() - t).toBeLessThan(100);
    // A delay longer than --max-wait is not waited (the request goes and meets its 429).
    pacer.rateLimited({ 'retry-after': '3600' });
    t = Date.now();
    await pacer.acquire();
    expect(Date.now() - t).toBeLessThan(100);
  });

  it('reads the retry delays gateways send', () => {
    expect(rateLimitWaitMs({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(rateLimitWaitMs({ 'retry-after': '2' })).toBe(2000);
    expect(rateLimitWaitMs({ 'retry-after': new Date(Date.now() + 5000).toUTCString() })).toBeGreaterThan(3000);
    expect(rateLimitWaitMs({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '1s' })).toBe(360_000);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseRate('20/min')).toEqual({ perWindow: 20, windowMs: 60_000 });
    expect(parseRate('0.5/min')).toEqual({ perWindow: 1, windowMs: 120_000 });
    expect(parseRate('-1/min')).toBeUndefined();
  });
});

describe('transient faults on valid requests', () => {
  it('recovered (504 once per generation): the checks pass, flaky, with their attempts', async () => {
    const m = await mock({});
    const report = await runConformance({ baseUrl: m.url, apiKey: KEY, models: ['dall-e-2'], only: ['success.status-200', 'success.schema'], headers: { 'x-mock-scenario': 'timeout:once' } });
    expect(mustFailures(report)).toEqual([]);
    const status = report.results.find((r) => r.id === 'success.status-200')!;
    expect(status.status).toBe('pass');
    expect(status.flaky).toBe(true);
    expect(status.attempts!.map((a) => a.outcome)).toEqual(['504', '200']);
    expect(status.attempts![0]!.waitedMs).toBeGreaterThan(0);
    expect(report.exitCode).toBe(0);
    expect(formatSummary(report)).toMatch(/2 check\(s\) passed only after retrying transient faults \(flaky, SHOULD answer first time\): success\.status-200\[dall-e-2\], success\.schema\[dall-e-2\]\./);
  }, 30_000);

  it('persistent (503 every time): the MUST failure, every attempt in the report', async () => {
    const m = await mock({});
    const report = await runConformance({ baseUrl: m.url, apiKey: KEY, models: ['dall-e-2'], only: ['success.status-200'], headers: { 'x-mock-scenario': 'unavailable:1' } });
    const r = report.results.find((x) => x.id === 'success.status-200')!;
    expect(r.status).toBe('fail');
    expect(r.flaky).toBeUndefined();
    expect(r.attempts!.map((a) => a.outcome)).toEqual(['503', '503', '503']);
    // Retry-After: 1 honoured between attempts.
    expect(r.attempts![0]!.waitedMs).toBe(1000);
    for (const a of r.attempts!) expect(r.exchanges).toContain(a.seq);
    expect(report.exitCode).toBe(1);
  }, 30_000);

  it('a reset connection is retried', async () => {
    let n = 0;
    const s = await server((req, res) => {
      if (++n === 1) return req.socket.destroy();
      sendJson(res, 200, { object: 'list', data: [] });
    });
    const http = new HttpClient({ origin: s.origin, redactor: new Redactor([]), retryPolicy: new RetryPolicy({ maxWaitMs: 1000, backoffMs: 10 }) });
    const ex = await http.send({ method: 'GET', url: `${s.url}/models`, label: 'models' });
    await http.close();
    expect(ex.response?.status).toBe(200);
    expect(ex.retry?.attempts[0]!.outcome).toMatch(/^network: /);
  });
});

describe('concurrent image checks', () => {
  it('results come in plan order whatever order they finish in; each shared generation is made once', async () => {
    const posts: string[] = [];
    const m = await mock({ latencyMs: 200, onRequest: (e) => e.method === 'POST' && posts.push(e.path) });
    const events: RunEvent[] = [];
    const serial: string[] = [];
    const run = (concurrency: number, onEvent: (e: RunEvent) => void) =>
      runConformance({ baseUrl: m.url, apiKey: KEY, models: ['dall-e-2', 'gpt-image-1'], only: ['success', 'images', 'edits'], maxImages: 30, concurrency, onEvent });
    const started = Date.now();
    const one = await run(1, (e) => e.type === 'result' && serial.push(e.result.key));
    const serialMs = Date.now() - started;
    const serialPosts = posts.splice(0).length;
    const t = Date.now();
    const four = await run(4, (e) => events.push(e));
    const parallelMs = Date.now() - t;
    const order = events.filter((e): e is Extract<RunEvent, { type: 'result' }> => e.type === 'result').map((e) => e.result.key);
    expect(order).toEqual(serial);
    // Reports unchanged: registry order, same outcomes.
    const outcome = (r: CheckResult) => `${r.key} ${r.status}`;
    expect(four.results.map(outcome)).toEqual(one.results.map(outcome));
    expect(mustFailures(four)).toEqual([]);
    // One request per shared generation (in-flight dedupe), as many as the serial run made.
    expect(posts.length).toBe(serialPosts);
    const generations = posts.filter((p) => /\/images\/(generations|edits)$/.test(p)).length;
    expect(generations).toBeGreaterThanOrEqual(four.plan.lines.length);
    expect(parallelMs).toBeLessThan(serialMs);
  }, 60_000);
});
