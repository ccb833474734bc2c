// The spec passes both linters with the project rulesets (zero problems of any severity), and each
// of our own Spectral rules fires on a small spec that breaks it (test/fixtures/lint/<rule>.yaml),
// so none of them can pass vacuously.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test', 'fixtures', 'lint');
const spectralCli = join(root, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
const redoclyCli = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface SpectralResult {
  code: string;
  message: string;
  severity: number;
  path: Array<string | number>;
  source?: string;
}
interface RedoclyReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string }>;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'imagegen-lint-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return result;
}

/** Spectral with the project ruleset; the JSON report goes to a file (stdout also carries a summary line). */
function spectral(files: string[], name: string): SpectralResult[] {
  const out = join(tmp, `${name}.json`);
  const result = run([spectralCli, 'lint', ...files, '--ruleset', '.spectral.yaml', '--format', 'json', '--output', out, '--fail-severity', 'hint']);
  // Exit 0 = nothing found, 1 = results; anything else is a crash of the ruleset or a function.
  expect([0, 1], `spectral exited ${result.status}: ${result.stderr}`).toContain(result.status);
  return JSON.parse(readFileSync(out, 'utf8')) as SpectralResult[];
}

function redocly(args: string[]): { status: number | null; report: RedoclyReport } {
  const result = run([redoclyCli, 'lint', ...args, '--config', 'redocly.yaml', '--format', 'json']);
  return { status: result.status, report: JSON.parse(result.stdout) as RedoclyReport };
}

const describeResults = (results: Array<{ code?: string; ruleId?: string; message: string }>) =>
  results.map((r) => `${r.code ?? r.ruleId}: ${r.message}`).join('\n');

describe('redocly lint (redocly.yaml)', () => {
  it.each(['main', 'progress'])('finds no problem in api %s', (api) => {
    const { status, report } = redocly([api]);
    expect(report.problems, describeResults(report.problems)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    expect(status).toBe(0);
  });

  it('our configurable rules fire on a spec that breaks them', () => {
    const { status, report } = redocly([join('test', 'fixtures', 'lint', 'redocly-rules.yaml')]);
    const fired = new Set(report.problems.map((p) => p.ruleId));
    const configured = readFileSync(join(root, 'redocly.yaml'), 'utf8').match(/^ {2}rule\/[a-z0-9-]+/gm)!.map((r) => r.trim());
    expect(configured.length).toBeGreaterThan(0);
    for (const rule of [...configured, 'response-contains-header', 'no-invalid-media-type-examples']) expect(fired, rule).toContain(rule);
    expect(status).toBe(1);
  });
});

describe('spectral lint (.spectral.yaml)', () => {
  it('finds no problem in the bundled spec, hints included', () => {
    const results = spectral(['generated/openapi.json'], 'spec');
    expect(results, describeResults(results)).toEqual([]);
  });

  describe('our rules can fail', () => {
    // One fixture per rule: test/fixtures/lint/<rule id without "imagegen-">.yaml, with how often it must fire.
    const expected: Record<string, number> = {
      'error-envelope': 3,
      'no-nullable': 1,
      'operation-documented': 5,
      'enum-documented': 5,
      'bounded-string': 4,
      'bounded-number': 2,
      '429-retry-after': 1,
      'rate-limit-headers': 1,
      'event-stream-schema': 2,
    };
    let bySource: Map<string, SpectralResult[]>;
    beforeAll(() => {
      const files = readdirSync(fixtures).filter((f) => f.endsWith('.yaml') && !f.startsWith('redocly-'));
      const results = spectral(files.map((f) => join('test', 'fixtures', 'lint', f)), 'fixtures');
      bySource = new Map(files.map((f) => [f, results.filter((r) => r.source?.endsWith(`/${f}`))]));
    });

    it('every imagegen rule of the ruleset has a fixture', () => {
      const ruleset = readFileSync(join(root, '.spectral.yaml'), 'utf8');
      const declared = [...ruleset.matchAll(/^ {2}imagegen-([a-z0-9-]+):/gm)].map((m) => m[1]);
      expect(declared.sort()).toEqual(Object.keys(expected).sort());
    });

    it.each(Object.entries(expected))('imagegen-%s fires %i time(s) on its fixture', (rule, count) => {
      const results = bySource.get(`${rule}.yaml`) ?? [];
      const fired = results.filter((r) => r.code === `imagegen-${rule}`);
      expect(fired, describeResults(results)).toHaveLength(count);
      expect(fired.every((r) => r.severity === 0)).toBe(true);
    });

    it('no imagegen rule fires on a spec that uses every accepted alternative', () => {
      const ours = (bySource.get('valid.yaml') ?? []).filter((r) => r.code.startsWith('imagegen-'));
      expect(ours, describeResults(ours)).toEqual([]);
    });
  });
});
