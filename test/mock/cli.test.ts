// `imagegen-contract mock` as a process: prints its URL, serves, exits 0 on SIGTERM; bad usage is
// one line and exit 2.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KEY, post } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'mock', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('imagegen-contract mock (CLI)', () => {
  it('--port 0 prints the base URL and examples, serves, and exits 0 on SIGTERM', async () => {
    const run = cli(['--port', '0', '--api-key', KEY, '--seed', 'cli']);
    try {
      const url = await waitFor(() => /listening on (http:\/\/\S+\/v1)\b/.exec(run.out())?.[1], 20_000);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/v1$/);
      expect(run.out()).toContain(`baseURL: '${url}'`);
      expect(run.out()).toMatch(/curl http:\/\/127\.0\.0\.1:[0-9]+\/v1\/images\/generations/);
      const a = await post(`${url}/images/generations`, { prompt: 'from the CLI' });
      expect(a.status, a.text).toBe(200);
      expect(a.json.data[0].url.startsWith(`${url}/media/`)).toBe(true);
      const refused = await post(`${url}/images/generations`, { prompt: 'x' }, { authorization: 'Bearer sk-not-the-key', 'content-type': 'application/json' });
      expect(refused.status).toBe(401);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    expect(run.err()).toBe('');
  });

  it('bad usage is one line on stderr and exit 2', async () => {
    for (const args of [['--bogus'], ['--port', 'abc'], ['--profile', 'no-such-profile'], ['--rate-limit', 'lots']]) {
      const run = cli(args);
      expect(await run.exited, args.join(' ')).toBe(2);
      const lines = run.err().trim().split('\n');
      expect(lines, run.err()).toHaveLength(1);
      expect(lines[0]).toMatch(/^imagegen-contract: /);
    }
  });

  it('--help describes the options and scenarios', async () => {
    const run = cli(['--help']);
    expect(await run.exited).toBe(0);
    for (const word of ['--port', '--profile', '--api-key', '--rate-limit', '--url-ttl', '--lenient', 'x-mock-scenario', 'rate_limit', 'content_policy', 'slow']) expect(run.out()).toContain(word);
  });
});
