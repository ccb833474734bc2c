// Broken and hostile gateways: the run never crashes or hangs, always ends with a report, and the
// checks fail for the right reason (identified by id).
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance, type CheckDef, type CheckResult, type ConformanceReport } from '../../src/conformance/index.js';
import { renderPng } from '../../src/images/index.js';
import { envelope, sendJson, startServer, type TestServer } from './helpers/servers.js';

const KEY = 'sk-hostile-test-key-0123456789';
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function result(report: ConformanceReport, key: string): CheckResult {
  const r = report.results.find((x) => x.key === key);
  if (!r) throw new Error(`no result ${key}: ${report.results.map((x) => x.key).join(', ')}`);
  return r;
}

const png = (w: number, h: number) => renderPng({ width: w, height: h, seed: 's', prompt: 'p', index: 0 });

/** A gateway that answers every generation with this body (and 400 for anything without a prompt). */
function generationServer(body: () => unknown, status = 200) {
  return serve((req, res) => {
    if (req.method === 'GET') return sendJson(res, 200, { object: 'list', data: [] });
    sendJson(res, status, body());
  });
}

describe('the run survives broken gateways', () => {
  it('garbage: non-JSON bodies fail the checks, none errors', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b, 0x22]));
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, maxImages: 20, timeoutMs: 5_000 });
    expect(report.summary.error).toBe(0);
    expect(report.exitCode).toBe(1);
    expect(result(report, 'success.content-type-json[dall-e-2]').status).toBe('fail');
    expect(result(report, 'success.schema[dall-e-2]').observed).toMatch(/not JSON/);
    expect(result(report, 'negative.missing-prompt').observed).toMatch(/^accepted: 200/);
    expect(result(report, 'sdk.generate-parsed[dall-e-2]').observed).toMatch(/resolved to a string/);
  });

  it('hanging: headers that never come time out per request', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const report = await runConformance({
      baseUrl: s.url,
      apiKey: KEY,
      timeoutMs: 300,
      only: ['negative.missing-prompt', 'success.status-200', 'models-list.schema'],
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report.unreachable).toBeUndefined();
    for (const r of report.results) {
      expect(r.status, r.key).toBe('fail');
      expect(r.observed).toMatch(/no (answer|response headers) within 0.3s/);
    }
  });

  it('stalling and dripping bodies are cut at the deadline', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write('{"created":');
      if (req.method === 'POST') {
        const drip = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(drip));
      }
    });
    const started = Date.now();
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, timeoutMs: 400, only: ['success.schema', 'models-list.schema'] });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result(report, 'success.schema[dall-e-2]').status).toBe('fail');
    expect(result(report, 'models-list.schema').status).toBe('fail');
    const exchange = report.exchanges.find((e) => e.label.startsWith('baseline'))!;
    expect(exchange.error?.kind).toBe('timeout');
    expect(exchange.truncated).toBe(true);
  });

  it('huge bodies stop at the response size cap', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      const pump = () => {
        while (res.write(chunk)) {
          /* fill the buffer */
        }
      };
      res.on('drain', pump);
      pump();
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, maxResponseBytes: 1024 * 1024, only: ['success.schema'] });
    const r = result(report, 'success.schema[dall-e-2]');
    expect(r.status).toBe('fail');
    const exchange = report.exchanges.find((e) => e.label.startsWith('baseline'))!;
    expect(exchange.error?.kind).toBe('too-large');
    expect(exchange.responseBytes).toBe(1024 * 1024);
  });

  it('a compression bomb stops at the response size cap, counted after decoding', async () => {
    // 256 MiB of zeros gzip to about 256 KiB: the cap must apply to what the body decodes to.
    const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024));
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, maxResponseBytes: 1024 * 1024, only: ['success.schema'] });
    expect(result(report, 'success.schema[dall-e-2]').status).toBe('fail');
    const exchange = report.exchanges.find((e) => e.label.startsWith('baseline'))!;
    expect(exchange.error?.kind).toBe('too-large');
    expect(exchange.responseBytes).toBe(1024 * 1024);
  });

  it('a body that claims gzip but is not fails as undecodable, without erroring the run', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end('{"created": 1, "data": []}');
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['success.schema'] });
    expect(result(report, 'success.schema[dall-e-2]').status).toBe('fail');
    expect(report.exchanges.find((e) => e.label.startsWith('baseline'))!.error?.message).toMatch(/does not decode/);
  });

  it('HTTP 200 with an error body fails the success checks', async () => {
    const s = await generationServer(() => envelope('upstream failed', 'ali_error'));
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['success'] });
    expect(result(report, 'success.no-error-key[dall-e-2]').observed).toMatch(/200 with error/);
    expect(result(report, 'success.schema[dall-e-2]').status).toBe('fail');
    expect(result(report, 'success.status-200[dall-e-2]').status).toBe('pass');
  });

  it('truncated, mislabelled and huge base64 images fail the image checks', async () => {
    const whole = png(1024, 1024).toString('base64');
    const cut = png(256, 256);
    const truncated = cut.subarray(0, cut.length - 40).toString('base64');
    const s = await generationServer(() => ({
      created: Math.floor(Date.now() / 1000),
      data: [{ b64_json: truncated }, { b64_json: `data:image/png;base64,${whole}` }, { b64_json: 'A'.repeat(4 * 1024 * 1024) }],
    }));
    const report = await runConformance({
      baseUrl: s.url,
      apiKey: KEY,
      models: ['gpt-image-1'],
      only: ['images.decodes', 'images.b64-plain-base64', 'images.dimensions', 'success.data-length-n'],
    });
    expect(result(report, 'images.decodes[gpt-image-1]').observed).toMatch(/#0: does not decode: PNG truncated/);
    expect(result(report, 'images.b64-plain-base64[gpt-image-1]').observed).toMatch(/data: URL prefix/);
    expect(result(report, 'images.dimensions[gpt-image-1]').status).toBe('fail');
    expect(result(report, 'success.data-length-n[gpt-image-1]').observed).toBe('3 item(s)');
    expect(report.summary.error).toBe(0);
  });

  it('client errors answered 5xx or with non-standard statuses fail with a note', async () => {
    let status = 500;
    const s = await serve((_req, res) => sendJson(res, status, envelope('nope')));
    const five = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['negative.missing-prompt'] });
    expect(result(five, 'negative.missing-prompt').note).toMatch(/retry every 5xx/);
    status = 422;
    const odd = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['negative.missing-prompt'] });
    expect(result(odd, 'negative.missing-prompt').note).toMatch(/422 is a non-standard status/);
    status = 446;
    const hooks = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['negative.missing-prompt'] });
    expect(result(hooks, 'negative.missing-prompt').note).toMatch(/446 is a non-standard status/);
  });

  it('a 429 with a short Retry-After is waited out and retried; the 429 stays in the report', async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 429, envelope('slow down', 'rate_limit_exceeded'), { 'retry-after': '1' });
      sendJson(res, 400, envelope('n must be at least 1', 'invalid_value', 'n'));
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['negative.n-zero', 'headers.retry-after'] });
    expect(result(report, 'negative.n-zero').status).toBe('pass');
    expect(result(report, 'headers.retry-after').status).toBe('pass');
    // The first request (the reachability probe) got the 429 and was retried after a second.
    expect(report.exchanges.map((e) => [e.status, e.label])).toEqual([
      [429, 'reachability probe'],
      [400, 'reachability probe (retry 1 after 429, retry-after 1)'],
      [400, 'n: 0'],
    ]);
  });

  it('a proxy cutting slow generations with a 504 fails the opt-in timeout check', async () => {
    const s = await serve((_req, res) => {
      setTimeout(() => sendJson(res, 504, envelope('upstream timed out', 'gateway_timeout')), 200);
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, models: ['gpt-image-1'], only: ['timeouts'] });
    const r = result(report, 'timeouts.slow-generation[gpt-image-1]');
    expect(r.status).toBe('fail');
    expect(r.note).toMatch(/gave up after 0\.\d s/);
  });

  it('edits answered 501 are reported as not implemented', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/v1/images/edits') return sendJson(res, 501, { error: { message: 'API not implemented', type: 'one_api_error', param: '', code: 'api_not_implemented' } });
      sendJson(res, 400, envelope());
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['edits'], maxImages: 5 });
    expect(result(report, 'edits.single-image[dall-e-2]').note).toBe('createImageEdit: endpoint not implemented (501).');
    expect(result(report, 'edits.non-square-rejected[dall-e-2]').note).toBe('createImageEdit: endpoint not implemented (501).');
  });

  it('an incomplete error envelope fails with the missing keys named', async () => {
    const s = await serve((_req, res) => sendJson(res, 400, { error: { message: 'bad', type: 'one_api_error', param: '', code: 400 } }));
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['negative.n-zero'] });
    const r = result(report, 'negative.n-zero');
    expect(r.observed).toMatch(/error.param is "" \(must be a string or null, never empty\)/);
    expect(r.observed).toMatch(/error.code is 400 \(number\)/);
  });
});

describe('redirects', () => {
  it('API calls never follow a redirect to another origin', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, { created: 1, data: [] }));
    const s = await serve((req, res) => {
      res.writeHead(307, { location: `${elsewhere.origin}${req.url}` });
      res.end();
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, only: ['success.status-200', 'negative.missing-prompt', 'sdk.generate-parsed'] });
    expect(elsewhere.requests).toHaveLength(0);
    expect(result(report, 'success.status-200[dall-e-2]').observed).toMatch(/307 .*redirect to http:\/\/127\.0\.0\.1:\d+\/v1\/images\/generations not followed/);
    expect(result(report, 'sdk.generate-parsed[dall-e-2]').status).toBe('fail');
  });

  it('same-origin redirects of API calls are followed', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/v1/images/generations') {
        res.writeHead(308, { location: '/v1/real/images/generations' });
        return res.end();
      }
      sendJson(res, 200, { created: Math.floor(Date.now() / 1000), data: [{ b64_json: png(256, 256).toString('base64') }] });
    });
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, models: ['gpt-image-1'], only: ['success.status-200'] });
    expect(result(report, 'success.status-200[gpt-image-1]').status).toBe('pass');
    const followed = s.requests.filter((r) => r.url === '/v1/real/images/generations');
    expect(followed).toHaveLength(1);
    expect(followed[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('image downloads send no credentials, even when redirected to another origin', async () => {
    const cdn = await serve((_req, res) => {
      const bytes = png(256, 256);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
      res.end(bytes);
    });
    const s = await serve((req, res, self) => {
      if (req.url?.startsWith('/files/')) {
        res.writeHead(302, { location: `${cdn.origin}/blob.png` });
        return res.end();
      }
      sendJson(res, 200, { created: Math.floor(Date.now() / 1000), data: [{ url: `${self.origin}/files/image.png` }] });
    });
    const report = await runConformance({
      baseUrl: s.url,
      apiKey: KEY,
      headers: { 'x-portkey-api-key': 'pk-secret-header-value' },
      only: ['images.url-download', 'images.dimensions'],
    });
    expect(result(report, 'images.url-download[dall-e-2]').status).toBe('pass');
    expect(result(report, 'images.dimensions[dall-e-2]').status).toBe('pass');
    expect(cdn.requests).toHaveLength(1);
    const download = s.requests.find((r) => r.url === '/files/image.png')!;
    for (const seen of [cdn.requests[0]!, download]) {
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-portkey-api-key']).toBeUndefined();
    }
    expect(s.requests.find((r) => r.url === '/v1/images/generations')!.headers['x-portkey-api-key']).toBe('pk-secret-header-value');
  });
});

describe('checks that misbehave', () => {
  const base = { title: 't', severity: 'MUST' as const, rule: 'r', scope: 'run' as const, uses: [], appliesTo: () => true as const };
  it('a check that throws, hangs or passes without looking becomes an error result', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, {}));
    const checks: CheckDef[] = [
      {
        ...base,
        id: 'test.throws',
        run: async () => {
          throw new TypeError('boom');
        },
      },
      { ...base, id: 'test.hangs', run: () => new Promise(() => undefined) },
      { ...base, id: 'test.lazy', run: async () => ({ status: 'pass', observed: 'trust me', exchanges: [] }) },
      {
        ...base,
        id: 'test.fine',
        run: async (ctx) => {
          const ex = await ctx.send({ method: 'GET', url: `${ctx.baseUrl}/models`, label: 'look' });
          return { status: 'pass', observed: String(ex.response?.status), exchanges: [ex.seq] };
        },
      },
    ];
    const report = await runConformance({ baseUrl: s.url, apiKey: KEY, checks, checkTimeoutMs: 300 });
    expect(result(report, 'test.throws')).toMatchObject({ status: 'error', reason: 'the check threw: TypeError: boom' });
    expect(result(report, 'test.hangs').reason).toMatch(/did not finish within/);
    expect(result(report, 'test.lazy').reason).toMatch(/without looking/);
    expect(result(report, 'test.fine').status).toBe('pass');
    expect(report.exitCode).toBe(1);
  });
});
