// Every check of the suite, in run order of importance (the budget is handed out in this order).
// Free checks run first regardless; `order: 'last'` ones read what the run saw.
import { authChecks } from './checks/auth.js';
import { editChecks } from './checks/edits.js';
import { headerChecks } from './checks/headers.js';
import { imageChecks } from './checks/images.js';
import { mediaChecks } from './checks/media.js';
import { modelRuleChecks } from './checks/model-rules.js';
import { modelsListChecks } from './checks/models-list.js';
import { nativeChecks } from './checks/native.js';
import { negativeChecks } from './checks/negative.js';
import { perfChecks } from './checks/perf.js';
import { progressChecks } from './checks/progress.js';
import { gatewayFeatureChecks } from './checks/gateway-features.js';
import { sdkChecks } from './checks/sdk.js';
import { streamingChecks } from './checks/streaming.js';
import { successChecks } from './checks/success.js';
import { timeoutChecks } from './checks/timeouts.js';
import { variationChecks } from './checks/variations.js';
import { GENERATIONS } from './generations.js';
import type { CheckDef } from './types.js';

export const CHECKS: readonly CheckDef[] = [
  ...negativeChecks,
  ...authChecks,
  ...modelsListChecks,
  ...successChecks,
  ...imageChecks,
  ...headerChecks,
  ...mediaChecks,
  ...nativeChecks,
  ...progressChecks,
  ...perfChecks,
  ...gatewayFeatureChecks,
  ...streamingChecks,
  ...editChecks,
  ...variationChecks,
  ...sdkChecks,
  ...modelRuleChecks,
  ...timeoutChecks,
];

const ID = /^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/;
{
  const seen = new Set<string>();
  for (const c of CHECKS) {
    if (!ID.test(c.id)) throw new Error(`check id '${c.id}' is not kebab 'area.name'`);
    if (seen.has(c.id)) throw new Error(`two checks have the id '${c.id}'`);
    seen.add(c.id);
  }
}

/** Images a check reads per model, in words: its shared generations (docs, --list-checks). */
export function checkCost(check: CheckDef): string {
  if (check.uses.length === 0) return '0';
  return check.uses.map((k) => `${GENERATIONS[k].cost} · ${k}`).join(' + ');
}

export function areaOf(id: string): string {
  return id.split('.', 1)[0]!;
}

export function findCheck(id: string): CheckDef | undefined {
  return CHECKS.find((c) => c.id === id);
}

/** The --only/--skip name of the checks tagged examplesOnly. */
export const EXAMPLES_ONLY = 'examples-only';

/**
 * Checks selected by --only/--skip: check ids, area names, or `examples-only`. Unknown names are
 * returned for a usage error.
 */
export function selectChecks(only: string[] = [], skip: string[] = [], from: readonly CheckDef[] = CHECKS): { checks: CheckDef[]; unknown: string[] } {
  const matchesName = (c: CheckDef, n: string) => c.id === n || areaOf(c.id) === n || (n === EXAMPLES_ONLY && c.examplesOnly === true);
  const known = (name: string) => from.some((c) => matchesName(c, name));
  const unknown = [...only, ...skip].filter((n) => !known(n));
  const matches = (c: CheckDef, names: string[]) => names.some((n) => matchesName(c, n));
  // Opt-in checks run only when --only names them (by id or area).
  const checks = from.filter((c) => (only.length === 0 ? !c.optIn : matches(c, only)) && !matches(c, skip));
  return { checks, unknown };
}

/** Ids of the checks that failed or errored (for tests of broken gateways). */
export function failedChecks(report: { results: Array<{ id: string; status: string }> }): string[] {
  return [...new Set(report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.id))];
}

/** The ids of the checks that pass against a plain example-serving mock (Prism on the spec). */
export function examplesOnlyIds(): string[] {
  return CHECKS.filter((c) => c.examplesOnly).map((c) => c.id);
}
