// Small hand-made reports for reporter tests (no gateway needed).
import type { CheckResult, ConformanceReport } from '../../src/conformance/types.js';

export function result(over: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult {
  return {
    key: over.id,
    title: 'A `prompt` is required',
    severity: 'MUST',
    rule: 'spec: CreateImageRequest.required; facts §6.8',
    area: over.id.split('.')[0]!,
    exchanges: [],
    durationMs: 3,
    ...over,
  };
}

export function reportOf(results: CheckResult[], over: Partial<ConformanceReport> = {}): ConformanceReport {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
  return {
    tool: { name: 'imagegen-contract', version: '0.0.0-test' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    target: { baseUrl: 'http://127.0.0.1:9/v1', openaiBaseUrl: 'http://127.0.0.1:9/v1', profile: 'openai', models: [{ name: 'dall-e-2', catalogueId: 'dall-e-2' }] },
    notes: [],
    plan: { images: 0, usd: 0, unknownPriceImages: 0, maxImages: 6, lines: [] },
    imagesMade: 0,
    summary: {
      total: results.length,
      pass: count('pass'),
      fail: count('fail'),
      skip: count('skip'),
      error: count('error'),
      notApplicable: count('not-applicable'),
      mustNotRun: {},
      mustFailed: bad.filter((r) => r.severity === 'MUST').length,
      shouldFailed: bad.filter((r) => r.severity === 'SHOULD').length,
    },
    results,
    exchanges: [],
    images: [],
    exitCode: bad.some((r) => r.severity === 'MUST') ? 1 : 0,
    ...over,
  };
}
