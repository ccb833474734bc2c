// Issue 10 point 2: a gateway that echoes the Authorization header in messages, headers and bodies -
// as-is, URL-encoded, JSON-escaped, base64/base64url of the key, of "Bearer KEY" and of Basic's
// "user:KEY", at every offset around the places outputs cut text (160-character console lines,
// 200-character excerpts, 16,384-character record bodies, the 64 KiB excerpt) - gets no run of
// MIN_FRAGMENT (8) characters of the key, or of its base64, into the console, JSON, JUnit, HTML or curl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type ConformanceReport } from '../../src/conformance/index.js';
import { MIN_FRAGMENT, Redactor } from '../../src/conformance/redact.js';
import { ConsoleReporter } from '../../src/conformance/reporters/console.js';
import { renderHtml } from '../../src/conformance/reporters/html.js';
import { renderJson } from '../../src/conformance/reporters/json.js';
import { renderJunit } from '../../src/conformance/reporters/junit.js';
import { startProxy } from '../../src/proxy/index.js';
import { violationLine } from '../../src/proxy/violation-log.js';
import { startServer, type TestServer } from '../conformance/helpers/servers.js';

// 32 characters with the ones encodings change: '/', '+', '='.
const KEY = 'sk-Q7/x+Vb9Zr2=Lp4Wm8Tn6Yc3Hk5Jd';

/** Every form of `text` a careless gateway might print. */
function echoes(text: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const b64url = (s: string) => Buffer.from(s).toString('base64url');
  return [
    text,
    encodeURIComponent(text),
    encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    JSON.stringify(text).slice(1, -1).replace(/\//g, '\\/'),
    b64(text),
    b64url(text),
    b64(`Bearer ${text}`),
    b64url(`Bearer ${text}`),
    b64(`user:${text}`),
    b64(`x${text}`),
    b64(`xy${text}`),
  ];
}

/** Every MIN_FRAGMENT-long window of the key and of the base64 of texts containing it. */
function leakWindows(): string[] {
  const sources = [KEY, ...[0, 1, 2].flatMap((skip) => {
    const bytes = Buffer.from(KEY).subarray(skip);
    const core = bytes.subarray(0, Math.floor(bytes.length / 3) * 3);
    return [core.toString('base64'), core.toString('base64url')];
  })];
  const out = new Set<string>();
  for (const s of sources) for (let i = 0; i + MIN_FRAGMENT <= s.length; i++) out.add(s.slice(i, i + MIN_FRAGMENT));
  return [...out];
}

function findLeaks(name: string, text: string): string[] {
  return leakWindows().filter((w) => text.includes(w)).map((w) => `${name}: …${text.slice(Math.max(0, text.indexOf(w) - 30), text.indexOf(w) + 30)}…`);
}

let gateway: TestServer;
let report: ConformanceReport;
let consoleText = '';
const redactor = new Redactor([KEY]);

beforeAll(async () => {
  let n = 0;
  gateway = await startServer((req, res) => {
    const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || KEY;
    // Each answer shifts the echoes by one character, so over the run they straddle every cut.
    const shift = n++ % 64;
    const forms = echoes(key);
    const near = (at: number) => forms.map((f, i) => `${'.'.repeat(Math.max(0, at - shift - (i % 8) - 2))}${f}`).join(' ');
    const message = `${'m'.repeat(shift)} you sent ${forms.join(' | ')} ${near(160)} ${near(200)}`;
    const body = JSON.stringify({
      error: { message, type: 'invalid_request_error', param: key, code: forms[4] },
      echo: forms,
      pad16k: `${'p'.repeat(16_384 - 40 - shift)}${key}${forms[6]}`,
      pad64k: `${'q'.repeat(64 * 1024 - 300 - shift)}${key}${forms[5]}`,
    });
    res.writeHead(400, {
      'content-type': 'application/json',
      'x-request-id': `req_${forms[5]!.slice(0, 40)}`,
      'x-echo': forms.slice(0, 6).join(','),
      'x-echo-b64': forms[6]!,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  const reporter = new ConsoleReporter({ write: (s: string) => (consoleText += s), isTTY: true, columns: 400 }, redactor, { color: false });
  report = await runConformance({ baseUrl: gateway.url, apiKey: KEY, maxImages: 4, timeoutMs: 5_000, onEvent: reporter.onEvent });
  reporter.finish(report);
}, 60_000);
afterAll(() => gateway?.close());

describe('no piece of the key in any output', () => {
  it('the gateway did echo the key and the run reported on it', () => {
    expect(gateway.requests.length).toBeGreaterThan(10);
    expect(report.results.filter((r) => r.status === 'fail').length).toBeGreaterThan(5);
    expect(report.results.some((r) => r.curl)).toBe(true);
    expect(consoleText).toMatch(/FAIL/);
  });

  it('console, JSON, JUnit, HTML and curl lines carry no 8-character fragment of the key or its base64', () => {
    const outputs: Record<string, string> = {
      console: consoleText,
      json: renderJson(report, redactor),
      junit: renderJunit(report, redactor),
      html: renderHtml(report, redactor),
      curl: report.results.map((r) => r.curl ?? '').join('\n'),
    };
    const leaks = Object.entries(outputs).flatMap(([name, text]) => findLeaks(name, text));
    expect(leaks.slice(0, 5)).toEqual([]);
  });

  it('the redactor replaces every encoding and every long piece, cut anywhere', () => {
    const r = new Redactor([KEY]);
    for (const form of echoes(KEY)) {
      for (let cut = 0; cut <= form.length; cut++) {
        const pieces = [form.slice(0, cut), form.slice(cut)];
        for (const piece of pieces) expect(findLeaks('piece', r.redact(`<${piece}>`)), `${form} cut at ${cut}`).toEqual([]);
      }
    }
    // Short fragments and unrelated text are left alone.
    expect(r.redact('sk-Q7/x and plain text')).toBe('sk-Q7/x and plain text');
  });

  it("the proxy's lines and header carry no 8-character fragment of the caller's key, cut or encoded", async () => {
    const upstream = await startServer((req, res) => {
      const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const forms = echoes(key);
      if (req.url?.includes('stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r' });
        // Not JSON, so the violation quotes the first 80 characters: the key is cut at every offset.
        for (let shift = 50; shift < 80; shift++) for (const f of forms) res.write(`data: ${'x'.repeat(shift)}${f}\n\n`);
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"created":1}');
    });
    const lines: string[] = [];
    const proxy = await startProxy({ upstream: upstream.url, onViolation: (v) => lines.push(violationLine(v)) });
    try {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
      await (await fetch(`${proxy.url}/images/generations?stream`, { method: 'POST', headers, body: '{"prompt":"x","stream":true}' })).text();
      const res = await fetch(`${proxy.url}/images/generations`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'x', metadata: { [KEY]: 1 } }) });
      const header = res.headers.get('x-contract-violations') ?? '';
      expect(lines.length).toBeGreaterThan(100);
      expect(header).not.toBe('');
      expect([...findLeaks('proxy lines', lines.join('\n')), ...findLeaks('header', header)].slice(0, 5)).toEqual([]);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
