// `imagegen-contract conform` as a user runs it: exit codes 0/1/2, one-line messages, report files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { conformCli } from './helpers/conform-cli.js';
import { closedPort, sendJson, startServer, type TestServer } from './helpers/servers.js';

const KEY = 'sk-cli-canary-0a1b2c3d4e5f';

const cli = conformCli;

let mock: RunningMock;
let broken: TestServer;
let dir: string;
beforeAll(async () => {
  mock = await startMock({ port: 0, profile: 'openai', apiKeys: [KEY] });
  broken = await startServer((_req, res) => sendJson(res, 500, { detail: 'Internal Server Error' }));
  dir = mkdtempSync(join(tmpdir(), 'conform-cli-'));
});
afterAll(async () => {
  await mock?.close();
  await broken?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exit 2 with one line', () => {
  it('an unreachable gateway (connection refused)', async () => {
    const port = await closedPort();
    const r = await cli(['--base-url', `http://127.0.0.1:${port}/v1`, '--no-auth']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^imagegen-contract: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: .*ECONNREFUSED.*\n$/);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--base-url', 'http://127.0.0.1:1/v1', '--bogus'], /Unknown option '--bogus'/],
    [[], /--base-url is required/],
    [['--base-url', 'not a url'], /--base-url is not a URL/],
    [['--base-url', 'http://127.0.0.1:1/v1', '--profile', 'nope'], /unknown profile 'nope'/],
    [['--base-url', 'http://127.0.0.1:1/v1', '--only', 'negative.nope'], /unknown check id or area: negative.nope/],
    [['--base-url', 'http://127.0.0.1:1/v1', '--report', 'xml=out.xml'], /--report must be json=PATH/],
    [['--base-url', 'http://127.0.0.1:1/v1', '--header', 'no colon'], /--header must be 'Name: value'/],
    [['--base-url', 'http://127.0.0.1:1/v1', '--max-images', 'many'], /--max-images must be an integer/],
    [['--base-url', 'http://127.0.0.1:1/v1', '--timeout', '0'], /--timeout must be a positive number/],
  ])('bad usage %j', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

it('--help exits 0', async () => {
  const r = await cli(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('--base-url URL');
});

it('a conforming gateway exits 0 and writes every report without the key', async () => {
  const reports = ['json', 'junit', 'html'].map((f) => join(dir, 'nested', `report.${f}`));
  const r = await cli(
    ['--base-url', mock.url, '--model', 'dall-e-2', '--model', 'gpt-image-1', '--max-images', '41', '--report', `json=${reports[0]}`, '--report', `junit=${reports[1]}`, '--report', `html=${reports[2]}`],
    { IMAGEGEN_API_KEY: KEY },
  );
  expect(r.stderr).toBe('');
  expect(r.code, r.stdout.slice(-3000)).toBe(0);
  expect(r.stdout).toMatch(/^This run will make \d+ image\(s\)/);
  expect(r.stdout).toContain('Every MUST check passed');
  const json = JSON.parse(readFileSync(reports[0]!, 'utf8'));
  expect(json.exitCode).toBe(0);
  expect(readFileSync(reports[1]!, 'utf8')).toMatch(/^<\?xml version="1.0"/);
  expect(readFileSync(reports[2]!, 'utf8')).toMatch(/<img src="data:image\/png;base64,/);
  for (const text of [r.stdout, ...reports.map((p) => readFileSync(p, 'utf8'))]) expect(text.includes(KEY)).toBe(false);
});

it('a broken gateway exits 1 with the failures and their reproductions', async () => {
  const r = await cli(['--base-url', broken.url, '--api-key', KEY, '--only', 'negative,success']);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/FAIL  negative\.missing-prompt \[MUST\]/);
  expect(r.stdout).toContain('retry every 5xx');
  expect(r.stdout).toContain('curl -sS -i -X POST');
  expect(r.stdout.includes(KEY)).toBe(false);
});

it('the budget is printed before images are made and respected', async () => {
  const r = await cli(['--base-url', mock.url, '--max-images', '1', '--only', 'success,images,model-rules'], { IMAGEGEN_API_KEY: KEY });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/This run will make 1 image\(s\) \(≈ \$0\.016; cap --max-images 1\):\n {2}dall-e-2 +baseline +1 × \$0\.016/);
  expect(r.stdout).toMatch(/SKIP  model-rules\.n-max\[dall-e-2\] +not run: image budget: needs 10 more images, 0 left of --max-images 1/);
  expect(r.stdout).toContain('1 image(s) made');
});
