// The closing lines of a run, in words a CI log reader can trust: never "every MUST check passed"
// when MUST checks did not run (budget, rate limit, deadline, interruption), counted by reason with
// what would run them all; "not applicable" kept apart; flaky passes said as such.
import type { CheckResult, ConformanceReport, SkipKind } from './types.js';

const REASON: Record<SkipKind, string> = {
  budget: 'budget',
  'rate-limit': 'rate limit',
  deadline: 'deadline',
  interrupted: 'interrupted',
  'opt-in': 'opt-in',
  other: 'other',
};

export interface VerdictLine {
  text: string;
  tone: 'good' | 'bad' | 'warn';
}

/** Reasons that leave a run incomplete; `other` skips (a check with nothing to judge, e.g. no 429 seen) do not. */
export const INCOMPLETE_KINDS: readonly SkipKind[] = ['budget', 'rate-limit', 'deadline', 'interrupted'];

/** MUST checks that applied but did not run for an incomplete-making reason. */
export function mustNotRunCount(summary: ConformanceReport['summary']): number {
  return INCOMPLETE_KINDS.reduce((s, k) => s + (summary.mustNotRun[k] ?? 0), 0);
}

/** The MUST checks that did not run, by reason: `19 (17 budget, 2 rate limit)`. */
export function notRunText(report: ConformanceReport): string | undefined {
  const entries = INCOMPLETE_KINDS.map((k) => [k, report.summary.mustNotRun[k] ?? 0] as const).filter(([, n]) => n > 0);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return undefined;
  return `${total} MUST check(s) did not run (${entries.map(([k, n]) => `${n} ${REASON[k]}`).join(', ')})`;
}

/** What would run the MUST checks that did not: the caps, rate and wait to change. */
function remedies(report: ConformanceReport): string[] {
  const out: string[] = [];
  const n = report.summary.mustNotRun;
  const plan = report.plan;
  if (n.budget) {
    const images = plan.imagesForAll;
    if (images !== undefined && images > plan.maxImages) out.push(`--max-images ${images} would run them all`);
    if (plan.maxUsd !== undefined && plan.usdForAll !== undefined && plan.usdForAll > plan.maxUsd) out.push(`--max-cost ${plan.usdForAll.toFixed(2)} (catalogue prices)`);
    const unknownUnderCap = plan.maxUsd !== undefined && report.results.some((r) => r.skipKind === 'budget' && /no price/.test(r.reason ?? ''));
    if (unknownUnderCap) out.push('some need models without a catalogue price, which --max-cost cannot cover');
  }
  if (n['rate-limit']) out.push('a lower --rate or a longer --max-wait would let the rate-limited ones run');
  if (n.deadline) out.push('a later --deadline would give the rest time');
  if (n.interrupted) out.push('the run was interrupted');
  return out;
}

export function verdictLines(report: ConformanceReport): VerdictLine[] {
  const s = report.summary;
  const lines: VerdictLine[] = [];
  const notRun = notRunText(report);
  const should = s.shouldFailed ? ` (${s.shouldFailed} SHOULD check(s) failed)` : '';
  if (s.mustFailed) lines.push({ text: `${s.mustFailed} MUST check(s) failed.`, tone: 'bad' });
  else if (!notRun) lines.push({ text: `Every MUST check passed${should}.`, tone: 'good' });
  if (notRun) {
    const fix = remedies(report);
    const head = s.mustFailed ? '' : `Incomplete run: no MUST check that ran failed${should}, but `;
    const required = report.exitCode === 1 && !s.mustFailed ? ' --require-all: exit 1.' : '';
    lines.push({ text: `${head}${notRun}${fix.length ? `; ${fix.join('; ')}` : ''}.${required}`, tone: 'warn' });
  }
  // Opt-in checks do not make a run incomplete (they need the owner's trigger or a long wait), but the
  // closing lines say which were left out, so "every MUST check passed" is never read as "all were tried".
  const optIn = report.results.filter((r) => r.status === 'skip' && r.skipKind === 'opt-in' && r.severity === 'MUST');
  if (optIn.length) lines.push({ text: `${optIn.length} opt-in MUST check(s) not enabled: ${keyList(optIn)} (--trigger, --wait-url-expiry: see docs/checks.md).`, tone: 'warn' });
  const flaky = report.results.filter((r) => r.flaky);
  if (flaky.length) lines.push({ text: `${flaky.length} check(s) passed only after retrying transient faults (flaky, SHOULD answer first time): ${keyList(flaky)}.`, tone: 'warn' });
  return lines;
}

function keyList(results: CheckResult[]): string {
  const keys = results.map((r) => r.key);
  return keys.length > 6 ? `${keys.slice(0, 6).join(', ')}, …` : keys.join(', ');
}

/** The attempts of a retried check, one line: `#12 503 (waited 0.5s), #13 200`. */
export function attemptsText(r: CheckResult): string {
  return (r.attempts ?? []).map((a) => `#${a.seq} ${a.outcome}${a.waitedMs !== undefined ? ` (then waited ${(a.waitedMs / 1000).toFixed(1)}s)` : ''}`).join(', ');
}
