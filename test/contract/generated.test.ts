// generated/ is exactly what `npm run generate` writes from openapi/, and `--check` notices when it
// is not: a hand edit of a generated file, or a source edit without regenerating.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function check(cwd: string) {
  const result = spawnSync(process.execPath, [join(cwd, 'scripts', 'generate.mjs'), '--check'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return result;
}

describe('generate --check', () => {
  it('passes on the repository: generated/ is fresh', () => {
    const result = check(root);
    expect(result.stderr).not.toMatch(/stale|no script writes/);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/generated\/ is fresh/);
  }, 120_000);

  describe('in a copy of the repository', () => {
    let copy: string;
    const fresh = () => {
      rmSync(join(copy, 'generated'), { recursive: true, force: true });
      rmSync(join(copy, 'openapi'), { recursive: true, force: true });
      cpSync(join(root, 'generated'), join(copy, 'generated'), { recursive: true });
      cpSync(join(root, 'openapi'), join(copy, 'openapi'), { recursive: true });
    };

    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), 'imagegen-generated-'));
      mkdirSync(join(copy, 'scripts'));
      cpSync(join(root, 'scripts', 'generate.mjs'), join(copy, 'scripts', 'generate.mjs'));
      symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    it('catches a hand edit of a generated file and names it', () => {
      fresh();
      expect(check(copy).status).toBe(0);
      const models = join(copy, 'generated', 'models.json');
      const original = readFileSync(models, 'utf8');
      const edited = original.replace(/"maxChars": (\d+)/, (_, n: string) => `"maxChars": ${Number(n) + 1}`);
      expect(edited).not.toBe(original);
      writeFileSync(models, edited);
      const result = check(copy);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/stale or hand-edited: models\.json\./);
    }, 120_000);

    it('catches a source edit that was not regenerated, naming every affected file', () => {
      fresh();
      appendFileSync(join(copy, 'openapi', 'components', 'schemas', 'ImageStyle.yaml'), 'title: Image style\n');
      const result = check(copy);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/stale or hand-edited: openapi\.json, openapi\.yaml, openapi\.d\.ts\./);
    }, 120_000);

    it('catches a file in generated/ that no script writes', () => {
      fresh();
      writeFileSync(join(copy, 'generated', 'notes.txt'), 'hand-written\n');
      const result = check(copy);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/no script writes: notes\.txt/);
    }, 120_000);
  });
});
