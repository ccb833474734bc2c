// The conformance suite as vitest tests: `IMAGEGEN_BASE_URL=http://127.0.0.1:4010/v1 npm run conformance`.
// Environment: IMAGEGEN_BASE_URL (required), IMAGEGEN_API_KEY, IMAGEGEN_PROFILE (openai), IMAGEGEN_MODELS
// (comma list), IMAGEGEN_MAX_IMAGES (6), IMAGEGEN_TIMEOUT (seconds per request), IMAGEGEN_ONLY /
// IMAGEGEN_SKIP (comma lists of check ids or areas). One test per check result: MUST failures and
// errors fail, SHOULD failures pass with an annotation, skips are skipped with their reason.
import { describe, test } from 'vitest';
import { runConformance, type CheckResult } from '../../../src/conformance/index.js';
import { formatPlan } from '../../../src/conformance/reporters/console.js';

const env = process.env;
const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function explain(r: CheckResult): string {
  const lines = [`${r.key} [${r.severity}] ${r.title}`, `rule: ${r.rule}`];
  if (r.status === 'fail') lines.push(`expected: ${r.expected}`, `observed: ${r.observed}`);
  else lines.push(`error: ${r.reason}`);
  if (r.note) lines.push(`note: ${r.note}`);
  if (r.curl) lines.push('reproduce:', r.curl);
  return lines.join('\n');
}

if (!env.IMAGEGEN_BASE_URL) {
  test('IMAGEGEN_BASE_URL is set', () => {
    throw new Error('Set IMAGEGEN_BASE_URL to the gateway base URL (what the OpenAI SDK takes, ending in /v1).');
  });
} else {
  const report = await runConformance({
    baseUrl: env.IMAGEGEN_BASE_URL,
    ...(env.IMAGEGEN_API_KEY ? { apiKey: env.IMAGEGEN_API_KEY } : {}),
    profile: env.IMAGEGEN_PROFILE || 'openai',
    models: list(env.IMAGEGEN_MODELS),
    only: list(env.IMAGEGEN_ONLY),
    skip: list(env.IMAGEGEN_SKIP),
    ...(env.IMAGEGEN_MAX_IMAGES ? { maxImages: Number(env.IMAGEGEN_MAX_IMAGES) } : {}),
    ...(env.IMAGEGEN_TIMEOUT ? { timeoutMs: Number(env.IMAGEGEN_TIMEOUT) * 1000 } : {}),
    onEvent: (e) => {
      if (e.type === 'plan') process.stdout.write(formatPlan(e.plan));
    },
  });
  if (report.unreachable) {
    test('the gateway is reachable', () => {
      throw new Error(report.unreachable);
    });
  }
  for (const area of [...new Set(report.results.map((r) => r.area))]) {
    describe(area, () => {
      for (const r of report.results.filter((x) => x.area === area)) {
        test(`${r.key}: ${r.title}`, (ctx) => {
          if (r.status === 'skip' || r.status === 'not-applicable') return ctx.skip(r.reason);
          if (r.status === 'pass') return;
          if (r.status === 'fail' && r.severity === 'SHOULD') {
            void ctx.annotate(`SHOULD not met: expected ${r.expected}; observed ${r.observed}`);
            return;
          }
          throw new Error(explain(r));
        });
      }
    });
  }
}
