// `npm run conformance` (vitest with vitest.conformance.config.ts) against a mock: one vitest test per
// check result, green for a conforming gateway, red without IMAGEGEN_BASE_URL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../src/mock/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const KEY = 'sk-live-suite-key-987654';

function vitest(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.conformance.config.ts', '--reporter=verbose'], {
      cwd: root,
      env: { ...process.env, IMAGEGEN_BASE_URL: '', IMAGEGEN_API_KEY: '', NO_COLOR: '1', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ port: 0, profile: 'openai-compatible', apiKeys: [KEY] });
});
afterAll(async () => mock?.close());

it('one test per check result, all green against the mock', async () => {
  const r = await vitest({ IMAGEGEN_BASE_URL: mock.url, IMAGEGEN_API_KEY: KEY, IMAGEGEN_PROFILE: 'openai-compatible', IMAGEGEN_MODELS: 'dall-e-2,gpt-image-1', IMAGEGEN_MAX_IMAGES: '40' });
  expect(r.code, r.out.slice(-3000)).toBe(0);
  expect(r.out).toMatch(/✓ .*success\.schema\[gpt-image-1\]: The success body validates against ImagesResponse/);
  expect(r.out).toMatch(/↓ .*native\.validation-error/);
  expect(r.out.includes(KEY)).toBe(false);
}, 120_000);

it('fails with a clear message without IMAGEGEN_BASE_URL', async () => {
  const r = await vitest({});
  expect(r.code).toBe(1);
  expect(r.out).toContain('Set IMAGEGEN_BASE_URL');
}, 120_000);
