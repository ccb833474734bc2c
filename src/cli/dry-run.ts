// `conform --dry-run`: what a run would do, from the plan alone (nothing is sent): the checks that
// would run, those skipped for the caps (and what would run them), images per model, estimated cost.
import { formatPlan } from '../conformance/reporters/console.js';
import type { CheckResult, Plan } from '../conformance/types.js';

export function formatDryRun(planned: { plan: Plan; results: CheckResult[]; notes: string[] }): string {
  const { plan, results } = planned;
  const wouldRun = results.filter((r) => r.status === 'skip' && r.skipKind === 'other');
  const budget = results.filter((r) => r.skipKind === 'budget');
  const na = results.filter((r) => r.status === 'not-applicable');
  const must = (rs: CheckResult[]) => rs.filter((r) => r.severity === 'MUST').length;
  const out = [...planned.notes.map((n) => `note: ${n}`), 'Dry run: nothing is sent.', formatPlan(plan).trimEnd()];
  out.push(`${wouldRun.length} check(s) would run (${must(wouldRun)} MUST); ${na.length} not applicable.`);
  if (budget.length) {
    out.push(`${budget.length} check(s) (${must(budget)} MUST) are over the caps and would be skipped:`);
    for (const r of budget) out.push(`  ${r.key.padEnd(46)} ${r.reason ?? ''}`);
  }
  return `${out.join('\n')}\n`;
}
