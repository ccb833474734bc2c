// Against plain Prism serving generated/openapi.json (examples only, no per-model rules, no images):
// the checks tagged examplesOnly - the ones that only need the spec's own examples - all pass. The
// others are expected to fail there (Prism accepts any key, returns fixed examples, cannot render).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXAMPLES_ONLY, examplesOnlyIds, runConformance } from '../../src/conformance/index.js';
import { startPrism, type PrismServer } from '../helpers/prism.js';

let prism: PrismServer;
beforeAll(async () => {
  prism = await startPrism();
}, 90_000);
afterAll(async () => prism?.close());

it('the examples-only checks pass against Prism', async () => {
  const only = examplesOnlyIds();
  expect(only.length).toBeGreaterThan(15);
  // Prism serves the spec's paths at its root; any bearer token satisfies its security check.
  const report = await runConformance({ baseUrl: prism.url, apiKey: 'sk-prism-any-key', only: [EXAMPLES_ONLY], timeoutMs: 20_000 });
  const notPassed = report.results.filter((r) => r.status !== 'pass').map((r) => `${r.key}: ${r.status} ${r.observed ?? r.reason ?? ''}`);
  expect(notPassed).toEqual([]);
  expect(new Set(report.results.map((r) => r.id))).toEqual(new Set(only));
}, 120_000);

it('the other checks find what Prism cannot do (they are not vacuous)', async () => {
  const report = await runConformance({
    baseUrl: prism.url,
    apiKey: 'sk-prism-any-key',
    only: ['auth.wrong-key', 'negative.empty-prompt', 'images.dimensions', 'model-rules.size-foreign-rejected'],
    timeoutMs: 20_000,
  });
  expect(report.results.map((r) => [r.id, r.status])).toEqual([
    ['negative.empty-prompt', 'fail'],
    ['auth.wrong-key', 'fail'],
    ['images.dimensions', 'fail'],
    ['model-rules.size-foreign-rejected', 'fail'],
  ]);
}, 120_000);
