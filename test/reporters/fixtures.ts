// Small hand-made reports for reporter tests (no gateway needed).
import { summarise } from '../../src/conformance/index.js';
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
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
  return {
    tool: { name: 'imagegen-contract', version: '0.0.0-test' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    target: { baseUrl: 'http://127.0.0.1:9/v1', openaiBaseUrl: 'http://127.0.0.1:9/v1', profile: 'openai', models: [{ name: 'dall-e-2', catalogueId: 'dall-e-2' }] },
    notes: [],
    plan: { images: 0, usd: 0, unknownPriceImages: 0, maxImages: 6, lines: [] },
    imagesMade: 0,
    summary: summarise(results),
    results,
    exchanges: [],
    images: [],
    exitCode: bad.some((r) => r.severity === 'MUST') ? 1 : 0,
    ...over,
  };
}
