// `conform` as it must behave against paid, rate-limited gateways (issue 8): no key / wrong base URL
// stop before any paid request, --dry-run sends nothing, --max-cost, the honest verdict and
// --require-all, bad values, EPIPE and Ctrl-C.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/conform-command.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { runConformance } from '../../src/conformance/index.js';
import { Redactor } from '../../src/conformance/redact.js';
import { formatSummary } from '../../src/conformance/reporters/console.js';
import { renderJunit } from '../../src/conformance/reporters/junit.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { conformCli, startConform } from './helpers/conform-cli.js';
import { sendJson, startServer, type TestServer } from './helpers/servers.js';

const KEY = 'sk-live-gateway-canary-5e6f7a';

const start = startConform;
const cli = conformCli;

let mock: RunningMock;
let slow: RunningMock;
let counting: TestServer;
let dir: string;
beforeAll(async () => {
  mock = await startMock({ port: 0, apiKeys: [KEY] });
  slow = await startMock({ port: 0, apiKeys: [KEY], latencyMs: 1500 });
  // Answers every request 404 except BASE/v1/models: a base URL given without /v1.
  counting = await startServer((req, res) => {
    if (req.url === '/v1/models') sendJson(res, 200, { object: 'list', data: [] });
    else sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error', code: null, param: null } });
  });
  dir = mkdtempSync(join(tmpdir(), 'conform-live-'));
});
afterAll(async () => {
  await mock?.close();
  await slow?.close();
  await counting?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('preflight: exit 2 with one line before any paid request', () => {
  it('no API key (and no --no-auth)', async () => {
    const before = counting.requests.length;
    const r = await cli(['--base-url', counting.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^imagegen-contract: no API key: pass --api-key or set IMAGEGEN_API_KEY \(--no-auth for a gateway that takes none\)\n$/);
    expect(counting.requests.length).toBe(before);
  });

  it('a base URL without /v1 whose operations all 404 while BASE/v1 answers', async () => {
    const before = counting.requests.length;
    const r = await cli(['--base-url', counting.origin, '--api-key', KEY, '--max-images', '40']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`imagegen-contract: every operation at ${counting.origin} answers 404, but ${counting.origin}/v1/models answers 200: did you mean --base-url ${counting.origin}/v1?\n`);
    // Only the free probes went out: no generation with a prompt.
    const sent = counting.requests.slice(before);
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(r.stdout).toBe('');
  });
});

describe('bad values: one line, exit 2', () => {
  it('a negative number is judged by the option, not taken for a flag', async () => {
    const r = await cli(['--base-url', 'http://127.0.0.1:1/v1', '--api-key', KEY, '--max-images', '-3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("imagegen-contract: --max-images must be an integer from 0 up, got '-3'\n");
  });

  // In-process: main.ts turns every UsageError into one line and exit 2 (proven above and in cli.test.ts).
  it.each([
    [['--max-images', '2.5'], /^--max-images must be an integer/],
    [['--concurrency', '0'], /^--concurrency must be an integer from 1 to 64, got '0'$/],
    [['--concurrency', '-1'], /^--concurrency must be an integer from 1 to 64, got '-1'$/],
    [['--max-cost', '-0.5'], /^--max-cost must be a number of US dollars >= 0, got '-0.5'$/],
    [['--max-cost', 'cheap'], /^--max-cost must be a number of US dollars/],
    [['--max-wait', '-1'], /^--max-wait must be a number of seconds >= 0/],
    [['--rate', 'fast'], /^--rate must look like 20\/min or 2\/s/],
    [['--rate', '0/min'], /^--rate must look like 20\/min/],
    [['--timeout', '-5'], /^--timeout must be a positive number of seconds, got '-5'$/],
    [['--unknown-flag'], /^Unknown option '--unknown-flag'/],
  ])('%j', async (args, message) => {
    const error = await run(['--base-url', 'http://127.0.0.1:1/v1', '--api-key', KEY, ...(args as string[])]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('cost you can plan', () => {
  it('--dry-run prints the plan and sends nothing', async () => {
    const before = counting.requests.length;
    const r = await cli(['--base-url', counting.url, '--api-key', KEY, '--model', 'dall-e-3', '--model', 'gpt-image-1', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dry run: nothing is sent\.\nThis run will make 6 image\(s\) \(≈ \$[\d.]+; cap --max-images 6\):/m);
    expect(r.stdout).toMatch(/dall-e-3 +baseline +1 × \$0\.040/);
    expect(r.stdout).toMatch(/gpt-image-1 +baseline +1 × \$0\.011/);
    expect(r.stdout).toMatch(/Running every applicable check would take \d+ image\(s\)/);
    expect(r.stdout).toMatch(/\d+ check\(s\) \(\d+ MUST\) are over the caps and would be skipped:/);
    expect(counting.requests.length).toBe(before);
  });

  it('--max-cost skips what it cannot pay for, and the verdict names what would run it all', async () => {
    const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, models: ['dall-e-3'], maxImages: 40, maxCostUsd: 0.1 });
    expect(report.plan.usd).toBeLessThanOrEqual(0.1);
    expect(report.plan.maxUsd).toBe(0.1);
    const budget = report.results.filter((x) => x.skipKind === 'budget');
    expect(budget.length).toBeGreaterThan(0);
    expect(budget[0]!.reason).toMatch(/^not run: cost budget: needs \$[\d.]+ more, \$[\d.]+ left of --max-cost 0\.1$/);
    const text = formatSummary(report);
    expect(text).toMatch(/Incomplete run: no MUST check that ran failed, but \d+ MUST check\(s\) did not run \(\d+ budget\); --max-cost [\d.]+ \(catalogue prices\)\./);
    expect(text).not.toContain('Every MUST check passed');
    expect(report.exitCode).toBe(0);
  });
});

describe('an honest verdict', () => {
  it('budget skips: never "every MUST check passed"; --require-all exits 1; JUnit keeps not-applicable apart', async () => {
    const options = { baseUrl: mock.url, apiKey: KEY, models: ['dall-e-3', 'gpt-image-1'] };
    const plain = await runConformance(options);
    expect(plain.exitCode).toBe(0);
    const notRun = plain.summary.mustNotRun.budget!;
    expect(notRun).toBeGreaterThan(0);
    const text = formatSummary(plain);
    expect(text).toContain(`${notRun} MUST check(s) did not run (${notRun} budget); --max-images ${plain.plan.imagesForAll} would run them all.`);
    expect(text).not.toContain('Every MUST check passed');
    const xml = renderJunit(plain, new Redactor([KEY]));
    expect(xml).toMatch(/<skipped type="budget" message="not run: image budget/);
    expect(xml).toMatch(/<skipped type="not-applicable" message="not applicable: /);
    expect(xml).toMatch(/<testcase classname="imagegen-contract.verdict" name="every-must-check-ran" time="0">\n {6}<skipped type="incomplete"/);

    const strict = await runConformance({ ...options, requireAll: true });
    expect(strict.exitCode).toBe(1);
    expect(formatSummary(strict)).toMatch(/--require-all: exit 1\./);
    expect(renderJunit(strict, new Redactor([KEY]))).toMatch(/name="every-must-check-ran" time="0">\n {6}<failure type="MUST"/);

    const all = await runConformance({ ...options, maxImages: plain.plan.imagesForAll!, requireAll: true });
    expect(all.exitCode).toBe(0);
    expect(formatSummary(all)).toContain('Every MUST check passed');
  });
});

describe('CLI hygiene', () => {
  it('a closed stdout (conform … | head) ends the run quietly: no EPIPE stack trace', async () => {
    const child = start(['--base-url', slow.url, '--model', 'dall-e-3', '--max-images', '10'], { IMAGEGEN_API_KEY: KEY });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(141);
  });

  it('Ctrl-C stops the run and still writes the reports of what was seen', async () => {
    const json = join(dir, 'interrupted.json');
    const child = start(['--base-url', slow.url, '--model', 'dall-e-3', '--max-images', '10', '--report', `json=${json}`], { IMAGEGEN_API_KEY: KEY });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Once the image checks are under way (each generation takes 1.5 s): one Ctrl-C.
      if (!sent && /^PASS {2}negative\./m.test(stdout)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/^imagegen-contract: interrupted: stopping; writing the reports of what was seen/);
    expect(existsSync(json)).toBe(true);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.interrupted).toBe(true);
    const interrupted = report.results.filter((x: { skipKind?: string }) => x.skipKind === 'interrupted');
    expect(interrupted.length).toBeGreaterThan(0);
    expect(report.results.some((x: { status: string }) => x.status === 'pass')).toBe(true);
    expect(stdout).toMatch(/MUST check\(s\) did not run \(.*\d+ interrupted\)/);
  });
});
