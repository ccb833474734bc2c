// Issue 10 point 7: a gateway's words reach the terminal as visible text only - no screen clear
// (ESC[2J), no window title (OSC ... BEL), no C1 CSI, no CR rewriting the line, no fake "PASS" line of
// its own - in conform's console output and in the validation proxy's lines.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/index.js';
import { Redactor } from '../../src/conformance/redact.js';
import { ConsoleReporter } from '../../src/conformance/reporters/console.js';
import { startProxy } from '../../src/proxy/index.js';
import { violationLine } from '../../src/proxy/violation-log.js';
import { terminalSafe } from '../../src/terminal/safe-text.js';

const PAYLOADS = [
  '\u001b[2J\u001b[H',
  '\u001b]0;owned title\u0007',
  '\u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\',
  '\r\u001b[2K\u001b[32mPASS  success.schema[dall-e-2]  all good\u001b[0m',
  '\nPASS  negative.missing-prompt  400 invalid_request_error\n',
  '\u009b2J\u009d0;c1 title\u009c',
  'abc\u0008\u0008\u0008xyz \u202eevil\u202c \u2028next',
];
const HOSTILE = PAYLOADS.join(' ~ ');

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function hostileServer(handler: (res: import('node:http').ServerResponse, url: string) => void): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    handler(res, req.url ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

/** No control character but newline (and tab) survives; no line pretends to be a result. */
function expectInert(text: string, realPassKeys: Set<string>) {
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
  for (const line of text.split('\n')) {
    const m = /^PASS\s+(\S+)/.exec(line);
    if (m) expect(realPassKeys.has(m[1]!), line).toBe(true);
  }
}

describe('terminal escapes from a gateway', () => {
  it('the sanitiser shows every control, escape and bidi character as a visible escape', () => {
    const safe = terminalSafe(HOSTILE);
    expectInert(safe, new Set());
    expect(safe).toContain('\\x1b[2J');
    expect(safe).toContain('\\x1b]0;owned title\\a');
    expect(safe).toContain('\\r\\x1b[2K');
    expect(safe).toContain('\\u202e');
    expect(terminalSafe('a\nb', { multiline: true })).toBe('a\nb');
    expect(terminalSafe('plain ünïcode 画像 ✓')).toBe('plain ünïcode 画像 ✓');
  });

  it("conform's console output carries the gateway's message inert", async () => {
    const url = await hostileServer((res, path) => {
      const body = JSON.stringify({ error: { message: HOSTILE, type: HOSTILE, param: null, code: HOSTILE } });
      res.writeHead(path.endsWith('/models') ? 200 : 400, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      res.end(path.endsWith('/models') ? JSON.stringify({ object: 'list', data: [{ id: HOSTILE }] }) : body);
    });
    let out = '';
    const redactor = new Redactor([]);
    for (const tty of [false, true]) {
      out = '';
      const reporter = new ConsoleReporter({ write: (s: string) => (out += s), isTTY: tty, columns: 300 }, redactor, { tty, color: false });
      const report = await runConformance({ baseUrl: url, apiKey: 'sk-terminal-test', maxImages: 2, timeoutMs: 5_000, only: ['negative', 'models-list', 'success'], onEvent: reporter.onEvent });
      reporter.finish(report);
      expect(report.results.some((r) => r.status === 'fail')).toBe(true);
      // The live line clears itself with our own CR + ESC[2K; remove exactly that before judging.
      expectInert(tty ? out.replaceAll('\r\u001b[2K', '') : out, new Set(report.results.filter((r) => r.status === 'pass').map((r) => r.key)));
      expect(out).toContain('\\x1b[2J');
    }
  });

  it("the proxy's violation lines carry the upstream's text inert", async () => {
    const url = await hostileServer((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_1' });
      res.end(`data: ${HOSTILE.replace(/\n/g, ' ')}\n\n`);
    });
    const lines: string[] = [];
    const proxy = await startProxy({ upstream: url, onViolation: (v) => lines.push(violationLine(v)) });
    cleanups.push(() => proxy.close());
    const res = await fetch(`${proxy.url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x","stream":true}' });
    await res.text();
    expect(lines.some((l) => l.includes('\\x1b[2J'))).toBe(true);
    for (const line of lines) expectInert(line, new Set());
  });
});
