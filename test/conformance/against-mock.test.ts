// The suite against the project's own mock gateway, under every built-in profile: every check that
// applies passes (no failure, no error), and together the runs exercise every check of the registry.
import { afterAll, describe, expect, it } from 'vitest';
import { builtInProfiles, profileModels } from '../../src/contract/profiles.js';
import { CHECKS, runConformance, type ConformanceReport } from '../../src/conformance/index.js';
import { startMock } from '../../src/mock/index.js';

const KEY = 'sk-mock-conformance-key-42';
/** Checks that judge the 429s a run meets (skipped when it meets none). */
const RATE_LIMIT_CHECKS = ['headers.retry-after', 'headers.rate-limit-envelope', 'headers.retry-after-sdk-limit'];
const passedIds = new Set<string>();

function failures(report: ConformanceReport): string[] {
  return report.results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => `${r.key}: ${r.status === 'fail' ? `expected ${r.expected}; observed ${r.observed}` : r.reason}`);
}

/** Every catalogue model the profile serves (wildcard profiles: all of them). */
function modelsOf(profile: string): string[] {
  return profileModels(builtInProfiles()[profile]!).map((m) => m.id);
}

describe.each(Object.keys(builtInProfiles()))('profile %s', (profile) => {
  const started = startMock({ port: 0, profile, seed: 'conformance', apiKeys: [KEY] });
  afterAll(async () => (await started).close());

  it('passes every applicable check with the default model', async () => {
    const mock = await started;
    const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, profile, maxImages: 50, timeoutMs: 20_000 });
    expect(failures(report)).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(40);
    expect(report.imagesMade).toBeLessThanOrEqual(50);
    for (const r of report.results) if (r.status === 'pass') passedIds.add(r.id);
  });

  it('passes every applicable check for every model the profile serves', async () => {
    const mock = await started;
    const models = modelsOf(profile);
    const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, profile, models, maxImages: 1_000, timeoutMs: 20_000 });
    expect(failures(report)).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.summary.skip).toBeLessThan(report.summary.total);
    for (const r of report.results) if (r.status === 'pass') passedIds.add(r.id);
  });
});

describe('coverage', () => {
  it('the opt-in slow-generation check passes against a slow mock (and only runs when asked for)', async () => {
    const mock = await startMock({ port: 0, profile: 'openai', apiKeys: [KEY], latencyMs: 300 });
    try {
      const asked = await runConformance({ baseUrl: mock.url, apiKey: KEY, models: ['gpt-image-1', 'dall-e-3'], only: ['timeouts'] });
      expect(failures(asked)).toEqual([]);
      expect(asked.results.map((r) => [r.key, r.status])).toEqual([
        ['timeouts.slow-generation[gpt-image-1]', 'pass'],
        ['timeouts.slow-generation[dall-e-3]', 'pass'],
      ]);
      expect(asked.exchanges.find((e) => e.label.startsWith('slow'))!.requestBody).toContain('"quality":"high"');
      for (const r of asked.results) passedIds.add(r.id);
      const notAsked = await runConformance({ baseUrl: mock.url, apiKey: KEY, only: ['negative.n-zero'] });
      expect(notAsked.results.map((r) => r.id)).toEqual(['negative.n-zero']);
    } finally {
      await mock.close();
    }
  });

  it.each(['openai', 'scaigrid'])('a rate-limited mock (profile %s): its 429s carry the error envelope and a well-formed Retry-After the SDKs honour', async (profile) => {
    // scaigrid: two requests a minute, so the native generation after the two free native checks is limited
    // (the native endpoint's own envelope).
    const mock = await startMock({ port: 0, profile, apiKeys: [KEY], rateLimitPerMinute: profile === 'scaigrid' ? 2 : 4 });
    try {
      const report = await runConformance({
        baseUrl: mock.url,
        apiKey: KEY,
        profile,
        only: profile === 'scaigrid' ? ['native', ...RATE_LIMIT_CHECKS] : ['negative.n-zero', 'negative.n-eleven', 'negative.invalid-size', 'negative.invalid-quality', 'negative.invalid-style', ...RATE_LIMIT_CHECKS],
        maxRetryWaitMs: 0,
      });
      for (const id of RATE_LIMIT_CHECKS) {
        const r = report.results.find((x) => x.id === id)!;
        expect(r.status, JSON.stringify(r)).toBe('pass');
        passedIds.add(id);
      }
      expect(report.exchanges.some((e) => e.status === 429)).toBe(true);
      if (profile === 'scaigrid') expect(report.exchanges.some((e) => e.status === 429 && e.url.includes('/inference/'))).toBe(true);
    } finally {
      await mock.close();
    }
  });

  it('the opt-in checks pass when enabled: owner triggers (mock scenarios), URL expiry with a short lifetime, metadata echoed', async () => {
    // A profile echoing metadata, with 2-second URLs (the mock signs them for the profile's lifetime).
    const profile = { ...builtInProfiles()['perf-block']!, name: 'echo-short-urls', extras: { perf: true, metadata: 'echoed' as const }, urlTtlSeconds: 2 };
    const mock = await startMock({ port: 0, profile, apiKeys: [KEY] });
    try {
      const report = await runConformance({
        baseUrl: mock.url,
        apiKey: KEY,
        profile,
        only: ['errors', 'urls', 'metadata'],
        waitUrlExpiry: true,
        triggers: { 'content-policy': 'A red cube [[content_policy_violation]]', quota: 'x-mock-scenario: insufficient_quota', budget: 'x-mock-scenario: budget_exceeded' },
        timeoutMs: 10_000,
      });
      expect(failures(report)).toEqual([]);
      expect(report.results.map((r) => `${r.key}:${r.status}`).sort()).toEqual(['errors.budget:pass', 'errors.content-policy:pass', 'errors.quota:pass', 'metadata.echoed[dall-e-3]:pass', 'urls.expire-after-ttl:pass']);
      for (const r of report.results) passedIds.add(r.id);
    } finally {
      await mock.close();
    }
  });

  it('every check of the registry passed against the mock under some profile', () => {
    const never = CHECKS.map((c) => c.id).filter((id) => !passedIds.has(id));
    // The 429 checks pass only against the rate-limited mocks above.
    expect(never).toEqual([]);
  });
});
