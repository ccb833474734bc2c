// Opt-in checks (owner triggers, URL expiry) that were not enabled: a `skip` of kind `opt-in`, kept out
// of "incomplete" (a run cannot enable them by itself) but named in the closing lines, so "every MUST
// check passed" is never read as "every MUST check was tried".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/index.js';
import { formatSummary } from '../../src/conformance/reporters/console.js';
import { startMock } from '../../src/mock/index.js';

const KEY = 'sk-opt-in-verdict';
let mock: Awaited<ReturnType<typeof startMock>>;
beforeAll(async () => {
  mock = await startMock({ apiKeys: [KEY] });
});
afterAll(async () => mock.close());

describe('opt-in checks in the verdict', () => {
  it('not enabled: skip kind opt-in, the run is complete, and the closing lines name them', async () => {
    const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, only: ['errors.content-policy', 'urls.expire-after-ttl', 'negative.missing-prompt'], maxImages: 2, requireAll: true });
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('errors.content-policy')).toMatchObject({ status: 'skip', skipKind: 'opt-in' });
    expect(byId.get('urls.expire-after-ttl')).toMatchObject({ status: 'skip', skipKind: 'opt-in' });
    expect(byId.get('negative.missing-prompt')?.status).toBe('pass');
    expect(report.exitCode).toBe(0); // --require-all: opt-in checks do not make the run incomplete
    const text = formatSummary(report);
    expect(text).toContain('Every MUST check passed.');
    const line = text.split('\n').find((l) => l.includes('opt-in MUST'));
    expect(line).toMatch(/^2 opt-in MUST check\(s\) not enabled: /);
    expect(line).toContain('errors.content-policy');
    expect(line).toContain('urls.expire-after-ttl');
  });

  it('enabled with a trigger: it runs and is judged', async () => {
    const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, only: ['errors.content-policy'], triggers: { 'content-policy': 'a picture [[content_policy]]' } });
    const r = report.results.find((x) => x.id === 'errors.content-policy')!;
    expect(r.status).toBe('pass');
    expect(formatSummary(report)).not.toContain('opt-in');
  });
});
