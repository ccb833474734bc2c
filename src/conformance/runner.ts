// Runs the selected checks: applicability, the image budget (planned before any image is made),
// free checks first, a per-check timeout, and never a throw - a check that throws or hangs becomes
// an `error` result, a check that "passes" without looking at any exchange too.
import { pricePerImage } from '../contract/catalogue.js';
import type { RunContext } from './context.js';
import { buildCurl } from './curl.js';
import { DEADLINE_REASON, DeadlineReached, whenAborted } from './deadline.js';
import { GENERATIONS } from './generations.js';
import { areaOf } from './registry.js';
import type { CheckDef, CheckResult, GenerationKind, Outcome, Plan, PlanLine, RunEvent, SkipKind, Target } from './types.js';

interface Entry {
  check: CheckDef;
  target: Target;
  key: string;
  phase: number;
  /** Why it does not run (not applicable, or over budget). */
  skipReason?: string;
  skipKind?: SkipKind | 'not-applicable';
  costs: Array<{ key: string; kind: GenerationKind; images: number }>;
}

export interface RunnerOptions {
  checkTimeoutMs: number;
  onEvent?: (event: RunEvent) => void;
  /** The run's deadline: checks not finished when it aborts end 'skip' (skipKind 'deadline'). */
  deadline?: AbortSignal;
}

export function planEntries(ctx: RunContext, checks: readonly CheckDef[]): { entries: Entry[]; plan: Plan } {
  const entries: Entry[] = [];
  for (const check of checks) {
    const targets = check.scope === 'model' ? ctx.targets : [ctx.primary];
    for (const target of targets) {
      const key = check.scope === 'model' ? `${check.id}[${target.name}]` : check.id;
      const entry: Entry = { check, target, key, phase: 1, costs: [] };
      const applies = safeApplies(ctx, check, target);
      if (applies !== true) {
        entry.skipReason = applies;
        entry.skipKind = 'not-applicable';
      }
      for (const kind of check.uses) {
        if (entry.skipReason) break;
        const resolved = ctx.resolveKind(target, kind);
        const genApplies = GENERATIONS[resolved].applies(ctx, target);
        if (genApplies !== true) {
          entry.skipReason = genApplies;
          entry.skipKind = 'not-applicable';
          break;
        }
        entry.costs.push({ key: ctx.generationKey(target, kind), kind: resolved, images: GENERATIONS[resolved].images(ctx, target) });
      }
      const images = entry.costs.reduce((s, c) => s + c.images, 0);
      entry.phase = check.order === 'last' ? 2 : images === 0 ? 0 : 1;
      entries.push(entry);
    }
  }
  // Budget: handed out in check order (the registry lists the most telling checks first).
  const lines: PlanLine[] = [];
  const listed = new Set<string>();
  for (const entry of entries) {
    if (entry.skipReason || entry.costs.length === 0) continue;
    const fresh = entry.costs.filter((c) => !ctx.budget.isReserved(c.key));
    const ok = ctx.budget.reserve(entry.costs);
    if (ok !== true) {
      entry.skipReason = ok;
      entry.skipKind = 'budget';
      continue;
    }
    for (const c of fresh) {
      if (listed.has(c.key) || c.images === 0) continue;
      listed.add(c.key);
      const req = safeBuild(ctx, entry.target, c.kind);
      const model = entry.target.model;
      const usd = model ? pricePerImage(model, req?.size, req?.quality) : undefined;
      lines.push({ model: entry.target.name || '(default model)', generation: c.kind, images: c.images, ...(usd !== undefined ? { usdPerImage: usd } : {}) });
    }
  }
  const priced = lines.filter((l) => l.usdPerImage !== undefined);
  const plan: Plan = {
    images: ctx.budget.planned,
    usd: Math.round(priced.reduce((s, l) => s + l.images * l.usdPerImage!, 0) * 1000) / 1000,
    unknownPriceImages: lines.filter((l) => l.usdPerImage === undefined).reduce((s, l) => s + l.images, 0),
    maxImages: ctx.budget.max,
    lines,
  };
  return { entries, plan };
}

function safeApplies(ctx: RunContext, check: CheckDef, target: Target): true | string {
  try {
    return check.appliesTo(ctx, target);
  } catch (error) {
    return `appliesTo failed: ${(error as Error).message}`;
  }
}

function safeBuild(ctx: RunContext, target: Target, kind: GenerationKind) {
  try {
    return GENERATIONS[kind].build(ctx, target);
  } catch {
    return undefined;
  }
}

export async function runEntries(ctx: RunContext, entries: Entry[], options: RunnerOptions): Promise<CheckResult[]> {
  // Free checks first, then the ones that make images, then the ones reading what the run saw
  // (Array.prototype.sort is stable: registry order within a phase).
  const ordered = [...entries].sort((a, b) => a.phase - b.phase);
  const results = new Map<Entry, CheckResult>();
  for (const entry of ordered) {
    options.onEvent?.({ type: 'start', key: entry.key, title: entry.check.title });
    const result = entry.skipReason
      ? skipped(entry, entry.skipReason, entry.skipKind ?? 'other')
      : options.deadline?.aborted
        ? skipped(entry, DEADLINE_REASON, 'deadline')
        : await runOne(ctx, entry, options.checkTimeoutMs, options.deadline);
    results.set(entry, result);
    options.onEvent?.({ type: 'result', result });
  }
  // Reports list results in registry order, whatever order they ran in.
  return entries.map((e) => results.get(e)!);
}

function base(entry: Entry): Omit<CheckResult, 'status' | 'exchanges' | 'durationMs'> {
  return {
    id: entry.check.id,
    key: entry.key,
    title: entry.check.title,
    severity: entry.check.severity,
    rule: entry.check.rule,
    area: areaOf(entry.check.id),
    ...(entry.check.scope === 'model' ? { model: entry.target.name } : {}),
  };
}

function skipped(entry: Entry, reason: string, kind: SkipKind | 'not-applicable'): CheckResult {
  if (kind === 'not-applicable') return { ...base(entry), status: 'not-applicable', reason, exchanges: [], durationMs: 0 };
  return { ...base(entry), status: 'skip', skipKind: kind, reason, exchanges: [], durationMs: 0 };
}

async function runOne(ctx: RunContext, entry: Entry, timeoutMs: number, deadline?: AbortSignal): Promise<CheckResult> {
  const started = Date.now();
  const controller = new AbortController();
  ctx.signal = controller.signal;
  let timer: NodeJS.Timeout | undefined;
  let outcome: Outcome | { status: 'error'; reason: string; exchanges: number[] };
  const cut = whenAborted(deadline);
  try {
    outcome = await Promise.race([
      entry.check.run(ctx, entry.target),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout(timeoutMs)), timeoutMs);
      }),
      cut.promise,
    ]);
  } catch (error) {
    controller.abort();
    if (error instanceof DeadlineReached || deadline?.aborted) return { ...skipped(entry, DEADLINE_REASON, 'deadline'), durationMs: Date.now() - started };
    const reason = error instanceof CheckTimeout ? error.message : `the check threw: ${describeThrow(error)}`;
    outcome = { status: 'error', reason, exchanges: [] };
  } finally {
    clearTimeout(timer);
    cut.dispose();
    ctx.signal = undefined;
  }
  // Cut short by the deadline (its requests aborted): not run, rather than a verdict on half a check.
  if (deadline?.aborted && outcome.status !== 'pass') return { ...skipped(entry, DEADLINE_REASON, 'deadline'), durationMs: Date.now() - started };
  if (outcome.status === 'pass' && outcome.exchanges.length === 0)
    outcome = { status: 'error', reason: 'internal: the check reported pass without looking at any exchange', exchanges: [] };
  const result: CheckResult = { ...base(entry), status: outcome.status, exchanges: outcome.exchanges ?? [], durationMs: Date.now() - started };
  if (outcome.status === 'pass') result.observed = outcome.observed;
  if (outcome.status === 'fail') {
    result.expected = outcome.expected;
    result.observed = outcome.observed;
    if (outcome.note) result.note = outcome.note;
  }
  if (outcome.status === 'skip' || outcome.status === 'error') result.reason = outcome.reason;
  if (outcome.status === 'skip') result.skipKind = 'other';
  if (outcome.status === 'fail' || outcome.status === 'error') {
    const seq = result.exchanges[0];
    const ex = ctx.http.exchanges.find((e) => e.seq === seq);
    if (ex) result.curl = buildCurl(ex, ctx.redactor);
  }
  return result;
}

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`the check did not finish within ${Math.round(ms / 1000)}s (per-check timeout)`);
  }
}

function describeThrow(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.split('\n')[0]!;
  return String(error);
}
