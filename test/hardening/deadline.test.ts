// Issue 10 point 6: against a gateway that never finishes a body, the run ends at its deadline (not
// exchanges x --timeout): requests in flight are aborted, unfinished checks are 'skip' with skipKind
// 'deadline' and reason "not run: deadline", and the CLI still writes its reports.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type ConformanceReport } from '../../src/conformance/index.js';
import { startServer, type TestServer } from '../conformance/helpers/servers.js';

let gateway: TestServer;
beforeAll(async () => {
  // Headers and the start of a body, then nothing, ever (a drip keeps the per-request timeout away).
  gateway = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
    res.write('{"data":[');
    const drip = setInterval(() => res.write(' '), 200);
    res.on('close', () => clearInterval(drip));
  });
});
afterAll(() => gateway?.close());

describe('--deadline', () => {
  it('ends the run at the deadline; unfinished checks are skipped as "not run: deadline"', async () => {
    const started = Date.now();
    const report: ConformanceReport = await runConformance({ baseUrl: gateway.url, apiKey: 'sk-Dl4x9Qp2Zr7Vb1Nm3Kt8', timeoutMs: 120_000, deadlineMs: 1_500, maxImages: 2 });
    const took = Date.now() - started;
    expect(took).toBeLessThan(10_000);
    const cut = report.results.filter((r) => r.skipKind === 'deadline');
    expect(cut.length).toBeGreaterThan(5);
    for (const r of cut) {
      expect(r.status).toBe('skip');
      expect(r.reason).toBe('not run: deadline');
    }
    expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
    expect(report.summary.mustNotRun.deadline).toBeGreaterThan(0);
    // The request in flight was aborted, not left to its 120 s timeout.
    expect(report.exchanges.some((e) => e.error?.kind === 'aborted')).toBe(true);
  });

  it('the CLI writes its reports after the deadline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deadline-'));
    try {
      const json = join(dir, 'report.json');
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'conform', '--base-url', gateway.url, '--api-key', 'sk-Dl4x9Qp2Zr7Vb1Nm3Kt8', '--deadline', '2', '--report', `json=${json}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('exit', (c) => {
          clearTimeout(killer);
          resolve(c);
        });
      });
      expect(code).not.toBeNull();
      expect(existsSync(json)).toBe(true);
      const report = JSON.parse(readFileSync(json, 'utf8')) as ConformanceReport;
      expect(report.results.some((r) => r.skipKind === 'deadline')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
