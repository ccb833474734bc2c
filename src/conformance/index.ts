// Programmatic entry of the conformance suite: `runConformance(options)` runs the checks against a
// gateway and returns the report (already redacted). It never throws for anything the gateway does;
// it throws only for bad options (unknown profile or check ids).
import { readFileSync } from 'node:fs';
import { findModel } from '../contract/catalogue.js';
import { hasProgress, loadProfile, normaliseProfile, profileModel, profileModels, wireName, type Profile } from '../contract/profiles.js';
import { useCatalogueFile } from '../contract/user-catalogue.js';
import { packageRoot } from '../contract/files.js';
import { Budget } from './budget.js';
import { RunContext } from './context.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, HttpClient, originOf } from './http.js';
import { DEFAULT_DEADLINE_MS, RunDeadline } from './deadline.js';
import { ImageGallery } from './inspect-images.js';
import { preflight } from './preflight.js';
import { mustNotRunCount } from './verdict.js';
import { ProgressListener } from './progress-listener.js';
import { RatePacer } from './rate-pacer.js';
import { RetryPolicy, DEFAULT_MAX_WAIT_MS } from './retry-policy.js';
import { Redactor } from './redact.js';
import { selectChecks } from './registry.js';
import { plannedResults, planEntries, runEntries } from './runner.js';
import { collectRunImages, linkImagesToChecks } from './run-images.js';
import type { CheckDef, CheckResult, ConformanceOptions, ConformanceReport, Plan, RunEvent, Summary, Target } from './types.js';

export * from './types.js';
export { CHECKS, selectChecks, examplesOnlyIds, findCheck, failedChecks, checkCost, EXAMPLES_ONLY } from './registry.js';
export { GENERATIONS } from './generations.js';
export { Redactor } from './redact.js';

export const DEFAULT_MAX_IMAGES = 6;
export const DEFAULT_CONCURRENCY = 4;
export { DEFAULT_MAX_WAIT_MS };

export class ConformanceOptionsError extends Error {}

function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Under --strict (or a strict profile) the fidelity tier is MUST: exact OpenAI parity. */
export function applyStrictness(checks: CheckDef[], strict: boolean): CheckDef[] {
  return strict ? checks.map((c) => (c.tier === 'fidelity' ? { ...c, severity: 'MUST' as const } : c)) : checks;
}

/** The models a run tests: the given ones, else the profile's default model (or its first model), named as the gateway names them. */
export function resolveTargets(profile: Profile, models: string[] | undefined): Target[] {
  const names = [...new Set(models?.length ? models : defaultModelNames(profile))];
  return names.map((name) => {
    const model = findModel(name);
    return model ? { name, model } : { name };
  });
}

function defaultModelNames(profile: Profile): string[] {
  const preferred = profile.defaultModel.createImage ?? profile.defaultModel.generateNativeImage;
  const known = preferred ? findModel(preferred) : undefined;
  if (known) return [wireName(profile, known)];
  if (preferred) return [preferred];
  const served = profileModels(profile).filter((m) => profile.operations.some((op) => m.operations.includes(op as never)));
  const first = served[0] ?? profileModels(profile)[0];
  if (!first) throw new ConformanceOptionsError(`profile ${profile.name} names no model; pass --model`);
  return [wireName(profile, first)];
}

export function summarise(results: CheckResult[]): Summary {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  const bad = (r: CheckResult) => r.status === 'fail' || r.status === 'error';
  return {
    total: results.length,
    pass: count('pass'),
    fail: count('fail'),
    skip: count('skip'),
    error: count('error'),
    notApplicable: count('not-applicable'),
    mustNotRun: mustNotRun(results),
    mustFailed: results.filter((r) => bad(r) && r.severity === 'MUST').length,
    shouldFailed: results.filter((r) => bad(r) && r.severity === 'SHOULD').length,
  };
}

function mustNotRun(results: CheckResult[]): Summary['mustNotRun'] {
  const out: Summary['mustNotRun'] = {};
  for (const r of results) if (r.status === 'skip' && r.severity === 'MUST') out[r.skipKind ?? 'other'] = (out[r.skipKind ?? 'other'] ?? 0) + 1;
  return out;
}

/** The exit code a report earns: 2 could not start, 1 a MUST failure (or, with requireAll, a MUST check not run). */
export function exitCodeOf(summary: Summary, unreachable: boolean, requireAll: boolean | undefined): 0 | 1 | 2 {
  if (unreachable) return 2;
  if (summary.mustFailed > 0) return 1;
  return requireAll && mustNotRunCount(summary) > 0 ? 1 : 0;
}

interface Prepared {
  ctx: RunContext;
  http: HttpClient;
  redactor: Redactor;
  profile: Profile;
  targets: Target[];
  checks: ReturnType<typeof selectChecks>['checks'];
  timeoutMs: number;
  notes: string[];
  deadline: RunDeadline;
  progress?: ProgressListener;
}

/** Options checked, the HTTP client, pacer and context built; nothing sent yet. */
function prepare(options: ConformanceOptions): Prepared {
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl);
  } catch {
    throw new ConformanceOptionsError(`base URL '${options.baseUrl}' is not a URL`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new ConformanceOptionsError(`base URL must be http(s): ${options.baseUrl}`);
  if (options.catalogue) useCatalogueFile(options.catalogue);
  const profile = typeof options.profile === 'object' ? normaliseProfile(options.profile) : loadProfile(options.profile ?? 'openai');
  const selected = selectChecks(options.only, options.skip, options.checks);
  if (selected.unknown.length) throw new ConformanceOptionsError(`unknown check id or area: ${selected.unknown.join(', ')}`);
  const checks = applyStrictness(selected.checks, options.strict === true || profile.strict === true);
  const targets = resolveTargets(profile, options.models);
  const redactor = new Redactor([options.apiKey]);
  redactor.addSecretHeaders(options.headers ?? {});
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new RunDeadline(options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const http = new HttpClient({
    signal: deadline.signal,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    headers: options.headers ?? {},
    origin: originOf(baseUrl.toString()),
    timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    retryPolicy: new RetryPolicy({ maxWaitMs: options.maxRetryWaitMs ?? DEFAULT_MAX_WAIT_MS }),
    pacer: new RatePacer({ ...options.rate, maxWaitMs: options.maxRetryWaitMs ?? DEFAULT_MAX_WAIT_MS }),
    redactor,
    userAgent: `imagegen-contract-conformance/${toolVersion()}`,
  });
  const progress = hasProgress(profile) ? new ProgressListener(baseUrl.origin, options.apiKey, Math.min(timeoutMs, 10_000)) : undefined;
  const ctx = new RunContext({
    baseUrl: baseUrl.toString(),
    profile,
    targets,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    http,
    redactor,
    budget: new Budget(options.maxImages ?? DEFAULT_MAX_IMAGES, options.maxCostUsd),
    gallery: new ImageGallery(),
    ...(progress ? { progress } : {}),
    ...(options.triggers ? { triggers: options.triggers } : {}),
    ...(options.waitUrlExpiry ? { waitUrlExpiry: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const notes = targets.flatMap((t) => {
    if (!t.model) return [`'${t.name}' is not in the model catalogue: only the generic checks run for it`];
    if (!profileModel(profile, t.name)) return [`profile ${profile.name} does not list ${t.name}: a gateway of that profile answers it 404 model_not_found`];
    return [];
  });
  return { ctx, http, redactor, profile, targets, checks, timeoutMs, notes, deadline, ...(progress ? { progress } : {}) };
}

/** The plan of a run (checks, images per model, estimated cost) without sending anything: --dry-run. */
export async function planConformance(options: ConformanceOptions): Promise<{ plan: Plan; results: CheckResult[]; notes: string[] }> {
  const { ctx, http, checks, notes, progress, deadline } = prepare(options);
  deadline.dispose();
  progress?.close();
  await http.close();
  const { entries, plan } = planEntries(ctx, checks);
  return { plan, results: plannedResults(entries), notes };
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const started = Date.now();
  const { ctx, http, redactor, profile, targets, checks, timeoutMs, notes, progress, deadline } = prepare(options);
  let results: CheckResult[] = [];
  let unreachable: string | undefined;
  const hints: string[] = [];
  const { entries, plan } = planEntries(ctx, checks);
  try {
    // First probe: only a connection that cannot be made at all stops the run.
    const probe = await http.send({ method: 'GET', url: ctx.operationUrl('listModels'), auth: 'none', label: 'reachability probe' });
    if (!probe.response && probe.error?.kind === 'unreachable') unreachable = `cannot reach ${ctx.baseUrl}: ${probe.error.message}`;
    else {
      const pre = await preflight(ctx, probe);
      hints.push(...pre.hints);
      if (pre.stop) unreachable = pre.stop;
    }
    if (!unreachable) {
      for (const message of [...notes, ...hints]) options.onEvent?.({ type: 'note', message });
      options.onEvent?.({ type: 'plan', plan, checks: entries.length });
      const onEvent = options.onEvent;
      results = await runEntries(ctx, entries, {
        checkTimeoutMs: options.checkTimeoutMs ?? 3 * timeoutMs + 10_000,
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        ...(options.signal ? { signal: options.signal } : {}),
        deadline: deadline.signal,
        // Results carry the images made so far, for the console's progress and ETA.
        ...(onEvent ? { onEvent: (e: RunEvent) => onEvent(e.type === 'result' ? { ...e, imagesMade: ctx.imagesReturned } : e) } : {}),
      });
      await collectRunImages(ctx);
      linkImagesToChecks(ctx.gallery.samples, results);
    }
  } finally {
    deadline.dispose();
    progress?.close();
    await http.close();
  }
  const summary = summarise(results);
  const report: ConformanceReport = {
    tool: { name: 'imagegen-contract', version: toolVersion() },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    target: {
      baseUrl: ctx.baseUrl,
      openaiBaseUrl: ctx.openaiBase,
      profile: profile.name,
      models: targets.map((t) => ({ name: t.name, ...(t.model ? { catalogueId: t.model.id } : {}) })),
    },
    notes,
    ...(unreachable ? { unreachable } : {}),
    ...(hints.length ? { hints } : {}),
    ...(options.signal?.aborted ? { interrupted: true } : {}),
    plan,
    imagesMade: ctx.imagesReturned,
    imagesRequested: ctx.budget.spent,
    summary,
    results,
    exchanges: http.exchanges.map((e) => http.toRecord(e)),
    images: ctx.gallery.samples,
    ...(ctx.gallery.notShown ? { imagesNotShown: ctx.gallery.notShown } : {}),
    exitCode: exitCodeOf(summary, Boolean(unreachable), options.requireAll),
  };
  return redactor.redactDeep(report);
}
