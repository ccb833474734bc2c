// Issue 4 "Proof": the correct gateway passes every applicable check (directly and through the
// pass-through interposer), and each deliberately broken gateway - the correct one plus one realistic
// defect (defects.ts) - is caught by the checks it names, while the same run against the correct
// gateway passes. No defect makes the run crash or hang: every check that reports against the correct
// gateway reports against the broken one, and none errors.
import { describe, expect, it } from 'vitest';
import { builtInProfiles, profileModels } from '../../src/contract/profiles.js';
import { CHECKS, failedChecks, runConformance, selectChecks, type ConformanceReport } from '../../src/conformance/index.js';
import { startMock } from '../../src/mock/index.js';
import { DEFECTS, KNOWN_GAPS } from './defects.js';
import { failures, GATEWAY_KEY, runAgainst } from './harness.js';
import { VARIATIONS } from './legitimate-variations.js';

const PROFILES = Object.keys(builtInProfiles());
const modelsOf = (profile: string) => profileModels(builtInProfiles()[profile]!).map((m) => m.id);
const keys = (report: ConformanceReport) => report.results.map((r) => r.key).sort();

describe('the correct gateway passes every applicable check', () => {
  it.each(PROFILES)('the mock under profile %s, every model it serves', async (profile) => {
    const mock = await startMock({ port: 0, profile, seed: 'broken-gateways', apiKeys: [GATEWAY_KEY] });
    try {
      const report = await runConformance({ baseUrl: mock.url, apiKey: GATEWAY_KEY, profile, models: modelsOf(profile), maxImages: 1_000, timeoutMs: 10_000 });
      expect(failures(report), `${profile}: failing checks`).toEqual([]);
      expect(report.summary.mustFailed).toBe(0);
      expect(report.summary.pass).toBeGreaterThan(40);
    } finally {
      await mock.close();
    }
  });

  it.each(PROFILES)('the pass-through interposer in front of the mock under profile %s (the interposer is faithful)', async (profile) => {
    const report = await runAgainst({ profile, models: modelsOf(profile), maxImages: 1_000 });
    expect(failures(report), `${profile} through the interposer: failing checks`).toEqual([]);
    expect(report.summary.mustFailed).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(40);
  });
});

describe('the table of broken gateways', () => {
  it('has at least 24 distinct defects, each naming known checks that its run selects', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(24);
    const ids = [...DEFECTS, ...KNOWN_GAPS].map((d) => d.id);
    expect(new Set(ids).size, 'defect ids are unique').toBe(ids.length);
    const severity = new Map(CHECKS.map((c) => [c.id, c.severity]));
    for (const d of DEFECTS) {
      const named = [...d.caughtBy, ...(d.warnedBy ?? [])];
      expect(d.id, 'kebab id').toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(named.length, `${d.id}: neither caughtBy nor warnedBy names a check`).toBeGreaterThan(0);
      expect(named.filter((c) => !severity.has(c)), `${d.id}: unknown check ids`).toEqual([]);
      expect(d.caughtBy.filter((c) => severity.get(c) !== 'MUST'), `${d.id}: caughtBy names SHOULD checks (they go in warnedBy)`).toEqual([]);
      expect((d.warnedBy ?? []).filter((c) => severity.get(c) !== 'SHOULD'), `${d.id}: warnedBy names MUST checks (they go in caughtBy)`).toEqual([]);
      const selected = new Set(selectChecks(d.only).checks.map((c) => c.id));
      expect(named.filter((c) => !selected.has(c)), `${d.id}: caughtBy/warnedBy outside its only-list`).toEqual([]);
      expect(d.source.length, `${d.id}: source`).toBeGreaterThan(5);
    }
  });
});

describe.each(DEFECTS)('broken gateway $id', (d) => {
  const named = [...d.caughtBy, ...(d.warnedBy ?? [])];
  it(`is caught by its ${named.length} named check(s); the same run against the correct gateway passes`, async () => {
    const control = await runAgainst(d);
    expect(failures(control), `${d.id}: the control run (correct gateway, same settings) fails`).toEqual([]);

    const broken = await runAgainst(d, d.apply);
    const failed = failedChecks(broken);
    const missed = named.filter((c) => !failed.includes(c));
    expect(missed, `${d.id}: not caught by ${missed.join(', ')} (failed: ${failed.join(', ') || 'nothing'})`).toEqual([]);
    // MUST failures fail the run; a defect only SHOULD checks see is reported and the run passes.
    expect(broken.exitCode, `${d.id}: exit code`).toBe(d.caughtBy.length ? 1 : 0);
    expect(broken.summary.shouldFailed, `${d.id}: SHOULD failures`).toBeGreaterThanOrEqual(d.warnedBy?.length ?? 0);
    // The run is complete: no crash (error result), every check of the control run reported.
    expect(broken.unreachable, `${d.id}: unreachable`).toBeUndefined();
    expect(broken.results.filter((r) => r.status === 'error').map((r) => `${r.key}: ${r.reason}`), `${d.id}: errored checks`).toEqual([]);
    expect(keys(broken), `${d.id}: results missing against the broken gateway`).toEqual(keys(control));
  });
});

describe.each(KNOWN_GAPS)('known gap $id (no check catches it yet; see docs/broken-gateways.md)', (g) => {
  it('passes the suite although it is broken', async () => {
    const control = await runAgainst(g);
    expect(failures(control), `${g.id}: the control run fails`).toEqual([]);
    const broken = await runAgainst(g, g.apply);
    const failed = failedChecks(broken);
    expect(failed, `${g.id} is now caught by ${failed.join(', ')}: move it to DEFECTS with caughtBy`).toEqual([]);
    expect(keys(broken)).toEqual(keys(control));
  });
});

describe.each(VARIATIONS)('legitimate variation $id', (v) => {
  it(`passes every check: ${v.why}`, async () => {
    const models = v.models ?? ['dall-e-2', 'dall-e-3', 'gpt-image-1'];
    const report = await runAgainst({ ...v, models, maxImages: 1_000 }, v.apply);
    expect(failures(report), `${v.id}: false alarms`).toEqual([]);
    expect(report.results.filter((r) => r.severity === 'SHOULD' && r.status === 'fail').map((r) => r.key), `${v.id}: SHOULD warnings`).toEqual([]);
    expect(report.summary.pass).toBeGreaterThan(40);
  });
});
