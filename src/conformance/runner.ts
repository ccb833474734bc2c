// Runs the selected checks: applicability, the image budget (planned before any image is made),
// free checks first, a per-check timeout, and never a throw - a check that throws or hangs becomes
// an `error` result, a check that "passes" without looking at any exchange too.
import { findModel, pricePerImage } from '../contract/catalogue.js';
import { Budget } from './budget.js';
import type { RunContext } from './context.js';
import { buildCurl } from './curl.js';
import { DEADLINE_REASON } from './deadline.js';
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
  /** Image-making checks running at once (default 1). */
  concurrency?: number;
  /** Aborted on interruption (Ctrl-C): running checks stop, the rest are skipped as interrupted. */
  signal?: AbortSignal;
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
  // Price per image of each generation (catalogue, by size and quality).
  const prices = new Map<string, number | undefined>();
  const priceOf = (entry: Entry, c: Entry['costs'][number]): number | undefined => {
    if (!prices.has(c.key)) {
      const req = safeBuild(ctx, entry.target, c.kind);
      // Priced as the model that makes it: the one named in the request, else the profile's default.
      const named = typeof req?.fields.model === 'string' ? req.fields.model : undefined;
      const model = named !== undefined ? findModel(named) : req ? ctx.defaultModel(req.operation) : undefined;
      prices.set(c.key, model ? pricePerImage(model, req?.size, req?.quality) : undefined);
    }
    return prices.get(c.key);
  };
  // What running every applicable check would take (the --max-images / --max-cost that runs them all).
  const all = new Budget(Number.POSITIVE_INFINITY);
  // Budget: handed out in check order (the registry lists the most telling checks first).
  const lines: PlanLine[] = [];
  const listed = new Set<string>();
  for (const entry of entries) {
    if (entry.skipReason || entry.costs.length === 0) continue;
    const items = entry.costs.map((c) => ({ key: c.key, images: c.images, usdPerImage: priceOf(entry, c) }));
    all.reserve(items);
    const fresh = entry.costs.filter((c) => !ctx.budget.isReserved(c.key));
    const ok = ctx.budget.reserve(items);
    if (ok !== true) {
      entry.skipReason = `not run: ${ok}`;
      entry.skipKind = 'budget';
      continue;
    }
    for (const c of fresh) {
      if (listed.has(c.key) || c.images === 0) continue;
      listed.add(c.key);
      const usd = priceOf(entry, c);
      lines.push({ model: entry.target.name || '(default model)', generation: c.kind, images: c.images, ...(usd !== undefined ? { usdPerImage: usd } : {}) });
    }
  }
  const priced = lines.filter((l) => l.usdPerImage !== undefined);
  const plan: Plan = {
    images: ctx.budget.planned,
    usd: Math.round(priced.reduce((s, l) => s + l.images * l.usdPerImage!, 0) * 1000) / 1000,
    unknownPriceImages: lines.filter((l) => l.usdPerImage === undefined).reduce((s, l) => s + l.images, 0),
    maxImages: ctx.budget.max,
    ...(ctx.budget.maxUsd !== undefined ? { maxUsd: ctx.budget.maxUsd } : {}),
    imagesForAll: all.planned,
    usdForAll: Math.round(all.plannedUsd * 1000) / 1000,
    lines,
  };
  return { entries, plan };
}

/** The results a plan foresees (dry run): skips as planned, `pass`-less placeholders for the rest. */
export function plannedResults(entries: Entry[]): CheckResult[] {
  return entries.map((e) => (e.skipReason ? skipped(e, e.skipReason, e.skipKind ?? 'other') : { ...base(e), status: 'skip', skipKind: 'other', reason: 'dry run: would run', exchanges: [], durationMs: 0 }));
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
  // Free checks first, then the ones that make images (concurrently, up to `concurrency`), then the
  // ones reading what the run saw (Array.prototype.sort is stable: registry order within a phase).
  const ordered = [...entries].sort((a, b) => a.phase - b.phase);
  const results = new Map<Entry, CheckResult>();
  const printer = new OrderedEmitter(ordered, options.onEvent);
  for (const phase of [0, 1, 2]) {
    const batch = ordered.filter((e) => e.phase === phase);
    const width = phase === 1 ? Math.max(1, options.concurrency ?? 1) : 1;
    const checks = pool(batch, width, async (entry) => {
      printer.started(entry);
      const result = await settle(ctx, entry, options);
      results.set(entry, result);
      printer.finished(entry, result);
    });
    // The generations are made `width` at a time in plan order, whichever check asks first: checks
    // waiting for one shared generation then do not hold back the next ones.
    const stop = options.signal && options.deadline ? AbortSignal.any([options.signal, options.deadline]) : (options.signal ?? options.deadline);
    await Promise.all([checks, width > 1 ? prefetch(ctx, batch, width, stop) : undefined]);
  }
  // Reports list results in registry order, whatever order they ran in.
  return entries.map((e) => results.get(e)!);
}

/** Starts the shared generations the planned entries use (each once), `width` at a time. */
async function prefetch(ctx: RunContext, entries: readonly Entry[], width: number, signal: AbortSignal | undefined): Promise<void> {
  const wanted = new Map<string, { target: Target; kind: GenerationKind }>();
  for (const e of entries) {
    if (e.skipReason) continue;
    for (const c of e.costs) if (!GENERATIONS[c.kind].custom && !wanted.has(c.key)) wanted.set(c.key, { target: e.target, kind: c.kind });
  }
  await pool([...wanted.values()], width, async ({ target, kind }) => {
    if (signal?.aborted || (ctx.http.pacer?.refusedForMs ?? 0) > 0) return;
    // Failures are the checks' to judge (they await the same promise).
    await ctx.generation(target, kind).catch(() => undefined);
  });
}

/** Runs `work` over `items` with at most `width` at a time, starting them in order. */
async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/** Emits results in run order whatever order they finish in (console output stays stable). */
class OrderedEmitter {
  private readonly done = new Map<Entry, CheckResult>();
  private next = 0;

  constructor(
    private readonly order: readonly Entry[],
    private readonly onEvent: ((event: RunEvent) => void) | undefined,
  ) {}

  started(entry: Entry): void {
    if (this.order[this.next] === entry) this.onEvent?.({ type: 'start', key: entry.key, title: entry.check.title });
  }

  finished(entry: Entry, result: CheckResult): void {
    this.done.set(entry, result);
    for (let e = this.order[this.next]; e && this.done.has(e); e = this.order[this.next]) {
      this.onEvent?.({ type: 'result', result: this.done.get(e)! });
      this.next++;
      // The next one in order may be running already: show it as the live line.
      const upcoming = this.order[this.next];
      if (upcoming && !this.done.has(upcoming)) this.onEvent?.({ type: 'start', key: upcoming.key, title: upcoming.check.title });
    }
  }
}

/** One entry's result: skipped as planned, not run (interrupted, rate limited), or run. */
async function settle(ctx: RunContext, entry: Entry, options: RunnerOptions): Promise<CheckResult> {
  if (entry.skipReason) return skipped(entry, entry.skipReason, entry.skipKind ?? 'other');
  if (options.signal?.aborted) return skipped(entry, 'not run: the run was interrupted', 'interrupted');
  if (options.deadline?.aborted) return skipped(entry, DEADLINE_REASON, 'deadline');
  // Checks that only read what the run saw (phase 2) run whatever the gateway refuses.
  const refused = entry.phase < 2 ? (ctx.http.pacer?.refusedForMs ?? 0) : 0;
  if (refused > 0)
    return skipped(entry, `not run: rate limited (the gateway asked to wait ${Math.ceil(refused / 1000)}s, more than --max-wait ${Math.round(ctx.http.retryPolicy.maxWaitMs / 1000)}s)`, 'rate-limit');
  return runOne(ctx, entry, options);
}

function base(entry: Entry): Omit<CheckResult, 'status' | 'exchanges' | 'durationMs'> {
  return {
    id: entry.check.id,
    key: entry.key,
    title: entry.check.title,
    severity: entry.check.severity,
    tier: entry.check.tier ?? 'contract',
    rule: entry.check.rule,
    area: areaOf(entry.check.id),
    ...(entry.check.scope === 'model' ? { model: entry.target.name } : {}),
  };
}

function skipped(entry: Entry, reason: string, kind: SkipKind | 'not-applicable'): CheckResult {
  if (kind === 'not-applicable') return { ...base(entry), status: 'not-applicable', reason, exchanges: [], durationMs: 0 };
  return { ...base(entry), status: 'skip', skipKind: kind, reason, exchanges: [], durationMs: 0 };
}

async function runOne(ctx: RunContext, entry: Entry, options: RunnerOptions): Promise<CheckResult> {
  const started = Date.now();
  // A check that waits on purpose (URL expiry) gets the time it asks for.
  const checkTimeoutMs = Math.max(options.checkTimeoutMs, entry.check.minTimeoutMs?.(ctx) ?? 0);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new Interrupted());
  options.signal?.addEventListener('abort', onInterrupt, { once: true });
  const onDeadline = () => controller.abort(options.deadline?.reason);
  options.deadline?.addEventListener('abort', onDeadline, { once: true });
  const view = ctx.forCheck(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  let outcome: Outcome | { status: 'error'; reason: string; exchanges: number[] };
  try {
    outcome = await Promise.race([
      entry.check.run(view, entry.target),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout(checkTimeoutMs)), checkTimeoutMs);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      }),
    ]);
  } catch (error) {
    controller.abort();
    const reason = error instanceof CheckTimeout ? error.message : `the check threw: ${describeThrow(error)}`;
    outcome = { status: 'error', reason, exchanges: [] };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onInterrupt);
    options.deadline?.removeEventListener('abort', onDeadline);
  }
  const seen = [...view.scope!.seen];
  if (options.signal?.aborted) {
    const result = skipped(entry, 'not run to the end: the run was interrupted', 'interrupted');
    return { ...result, exchanges: seen.sort((a, b) => a - b), durationMs: Date.now() - started };
  }
  // Cut short by the deadline (its requests aborted): not run, rather than a verdict on half a check.
  if (options.deadline?.aborted && outcome.status !== 'pass') {
    return { ...skipped(entry, DEADLINE_REASON, 'deadline'), exchanges: seen.sort((a, b) => a - b), durationMs: Date.now() - started };
  }
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
  if (outcome.status === 'skip') result.skipKind = outcome.kind ?? 'other';
  const retried = applyRetries(ctx, result, seen);
  if (retried.status === 'fail' || retried.status === 'error') {
    const seq = retried.exchanges[0];
    const ex = seq === undefined ? undefined : exchangeBySeq(ctx, seq);
    if (ex) retried.curl = buildCurl(ex, ctx.redactor);
  }
  return retried;
}

/**
 * What retries mean for a result (retry-policy.ts): a check that did not pass because the gateway
 * kept answering 429 did not run (skip, rate-limit); one that passed only after retrying transient
 * faults is flaky; one that failed through them lists every attempt.
 */
function applyRetries(ctx: RunContext, result: CheckResult, seen: number[]): CheckResult {
  const exchanges = seen.map((seq) => exchangeBySeq(ctx, seq)).filter((e): e is NonNullable<typeof e> => Boolean(e?.retry));
  const limited = exchanges.find((e) => e.retry!.gaveUp?.kind === 'rate-limit');
  if (result.status !== 'pass' && limited) {
    const { expected: _e, observed: _o, note: _n, ...rest } = result;
    return {
      ...rest,
      status: 'skip',
      skipKind: 'rate-limit',
      reason: `not run: rate limited (#${limited.seq} ${limited.method} ${new URL(limited.url).pathname}: ${limited.retry!.gaveUp!.why})`,
      exchanges: [...new Set([...result.exchanges, ...limited.retry!.attempts.map((a) => a.seq)])],
    };
  }
  const transient = exchanges.filter((e) => e.retry!.attempts.some((a) => a.kind === 'transient'));
  if (transient.length === 0) return result;
  const attempts = transient.flatMap((e) => e.retry!.attempts.map((a) => ({ seq: a.seq, outcome: a.outcome, ...(a.waitedMs !== undefined ? { waitedMs: a.waitedMs } : {}) })));
  const out: CheckResult = { ...result, attempts };
  if (result.status === 'pass') out.flaky = true;
  else out.exchanges = [...new Set([...result.exchanges, ...attempts.map((a) => a.seq)])];
  return out;
}

/** Exchanges are numbered from 1 in the order they are recorded. */
function exchangeBySeq(ctx: RunContext, seq: number) {
  const at = ctx.http.exchanges[seq - 1];
  return at?.seq === seq ? at : ctx.http.exchanges.find((e) => e.seq === seq);
}

class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
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
