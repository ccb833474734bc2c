// Shapes shared by the conformance suite: check definitions, their outcomes, results and the report.
import type { Model } from '../contract/catalogue.js';
import type { Profile } from '../contract/profiles.js';
import type { ExchangeRecord } from './http.js';
import type { RunContext } from './context.js';

export type Severity = 'MUST' | 'SHOULD';
/** `not-applicable`: the check does not concern this gateway/model (kept apart from `skip`, which means it could have run but did not). */
export type Status = 'pass' | 'fail' | 'skip' | 'error' | 'not-applicable';
/** Expectation tier: `contract` binds every compatible gateway; `fidelity` is exact OpenAI parity (SHOULD unless strict). */
export type Tier = 'contract' | 'fidelity';
/** Why a check that applies did not run (status `skip`). */
/** Errors only the gateway owner can trigger (`--trigger kind=…`). */
export type TriggerKind = 'content-policy' | 'budget' | 'quota';
export const TRIGGER_KINDS: readonly TriggerKind[] = ['content-policy', 'budget', 'quota'];
/** `opt-in`: the check needs something only the gateway's owner can give (a trigger, a long wait). */
export type SkipKind = 'budget' | 'rate-limit' | 'deadline' | 'interrupted' | 'opt-in' | 'other';

/** A model the run tests: the name as given, and its catalogue entry when the catalogue knows it. */
export interface Target {
  name: string;
  model?: Model;
}

/** The outcome a check's `run` returns; the runner turns it into a `CheckResult`. */
export type Outcome =
  | { status: 'pass'; observed: string; exchanges: number[] }
  | { status: 'fail'; expected: string; observed: string; exchanges: number[]; note?: string }
  | { status: 'skip'; reason: string; exchanges?: number[]; kind?: SkipKind };

/** Shared generation kinds (see generations.ts): one request can feed several checks. */
export type GenerationKind =
  | 'baseline'
  | 'b64'
  | 'defaults'
  | 'size-alt'
  | 'n-max'
  | 'custom-size'
  | 'prompt-max'
  | 'values'
  | 'webp-transparent'
  | 'stream'
  | 'edit-single'
  | 'edit-multi'
  | 'edit-defaults'
  | 'variation'
  | 'native'
  | 'native-b64'
  | 'native-n'
  | 'native-values'
  | 'model-alias'
  | 'sdk'
  | 'model-omitted'
  | 'slow';

export interface CheckDef {
  /** Kebab id `area.name`, stable: reports, --only/--skip and docs use it. */
  id: string;
  title: string;
  severity: Severity;
  /** `contract` (every compatible gateway; the default) or `fidelity` (exact OpenAI parity: SHOULD, MUST under --strict). */
  tier?: Tier;
  /** The spec or reference rule the check enforces. */
  rule: string;
  /** `run`: once per run (on the first target model where a model is needed); `model`: once per target model. */
  scope: 'run' | 'model';
  /** Shared generations the check reads; their images are its cost (made once per model, shared). */
  uses: GenerationKind[];
  /** Passes against a plain example-serving mock (Prism on generated/openapi.json). */
  examplesOnly?: boolean;
  /** Runs only when named in --only (by id or area): costly checks such as a slow high-quality generation. */
  optIn?: boolean;
  /** A check that waits on purpose (URL expiry) gets at least this per-check timeout. */
  minTimeoutMs?(ctx: RunContext): number;
  /** `last`: runs after everything else (reads what the run saw). */
  order?: 'last';
  /** true, or why the check does not apply (the result is a skip with that reason). */
  appliesTo(ctx: RunContext, target: Target): true | string;
  run(ctx: RunContext, target: Target): Promise<Outcome>;
}

export interface ImageSample {
  /** Which check/generation produced it. */
  label: string;
  /** Read from the decoded bytes, not from the request. */
  format: string;
  width: number;
  height: number;
  /** The model the request named; with `modelFrom: 'default'`, the profile's default for a request that named none. */
  model?: string;
  modelFrom?: 'request' | 'default' | 'unknown';
  /** The shared generation kind, when the image came from one. */
  generation?: string;
  /** Sequence number of the answer that carried the image (and of its download, for `url` items). */
  exchange?: number;
  download?: number;
  /** Position in the answer's `data` (or among streamed completions). */
  index?: number;
  /** Keys of the check results that cite the answer or the download. */
  checks?: string[];
  /** Thumbnail as a data: URL (downscaled, size-capped). */
  dataUrl: string;
}

export interface CheckResult {
  id: string;
  /** `id` or `id[model]` for per-model checks: unique within a report. */
  key: string;
  title: string;
  severity: Severity;
  rule: string;
  area: string;
  model?: string;
  status: Status;
  expected?: string;
  observed?: string;
  note?: string;
  /** Skip, not-applicable or error reason. */
  reason?: string;
  /** With status `skip`: why it did not run. */
  skipKind?: SkipKind;
  /** The expectation tier of the check (absent: contract). */
  tier?: Tier;
  /** Passed only after retrying transient faults (503/504/reset/timeout): the attempts seen. */
  flaky?: boolean;
  attempts?: Array<{ seq?: number; outcome: string; waitedMs?: number }>;
  /** Sequence numbers of the exchanges the check looked at (in `report.exchanges`). */
  exchanges: number[];
  /** Copy-paste reproduction of the most relevant exchange (failures only). */
  curl?: string;
  durationMs: number;
}

export interface PlanLine {
  model: string;
  generation: GenerationKind;
  images: number;
  usdPerImage?: number;
}

export interface Plan {
  images: number;
  usd: number;
  unknownPriceImages: number;
  maxImages: number;
  /** --max-cost, when given. */
  maxUsd?: number;
  /** Images (and priced cost) running every applicable check would take: the --max-images that runs them all. */
  imagesForAll?: number;
  usdForAll?: number;
  lines: PlanLine[];
}

export interface Summary {
  total: number;
  pass: number;
  fail: number;
  skip: number;
  error: number;
  notApplicable: number;
  mustFailed: number;
  /** MUST checks that apply but did not run, by reason. */
  mustNotRun: Partial<Record<SkipKind, number>>;
  shouldFailed: number;
}

export interface ConformanceReport {
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  target: { baseUrl: string; openaiBaseUrl: string; profile: string; models: Array<{ name: string; catalogueId?: string }> };
  /** Things about the setup worth knowing (models the profile or the catalogue does not know). */
  notes: string[];
  /** Set when the run could not start (gateway unreachable, or a preflight finding such as a base URL missing /v1): no check ran, exit 2. */
  unreachable?: string;
  /** Hints from the preflight that did not stop the run (native paths missing, ...). */
  hints?: string[];
  /** The run was interrupted (Ctrl-C): the results are what was seen until then. */
  interrupted?: boolean;
  plan: Plan;
  /** Images the gateway actually returned (items with image data in the responses seen). */
  imagesMade: number;
  /** Images requested (charged to the budget), whatever the gateway answered. */
  imagesRequested?: number;
  summary: Summary;
  results: CheckResult[];
  exchanges: ExchangeRecord[];
  images: ImageSample[];
  /** Images the run made beyond the report's thumbnail cap (not in `images`). */
  imagesNotShown?: number;
  /** 0: every MUST check that ran passed; 1: a MUST check failed or errored (or, with requireAll, did not run); 2: unreachable / preflight. */
  exitCode: 0 | 1 | 2;
}

export interface ConformanceOptions {
  /** What the OpenAI SDK takes as baseURL (ends in /v1). */
  baseUrl: string;
  apiKey?: string;
  /** Built-in profile name or a profile file; default openai. */
  profile?: string | Profile;
  models?: string[];
  /** Extra headers sent on API calls to the gateway's origin (e.g. x-portkey-provider). */
  headers?: Record<string, string>;
  /** Image budget; checks that would exceed it are skipped. Default 6. */
  maxImages?: number;
  /** Money cap in USD at catalogue prices; checks beyond it (or with an unknown price) are skipped. */
  maxCostUsd?: number;
  /** Image-making checks run at once (default 4). */
  concurrency?: number;
  /** Pace requests to the gateway: at most `perWindow` starts per `windowMs` (--rate). */
  rate?: { perWindow: number; windowMs: number };
  /** Exit 1 when a MUST check that applies did not run (budget, rate limit, deadline, interruption). */
  requireAll?: boolean;
  /** Stops the run (Ctrl-C): running checks end, the rest are skipped as interrupted. */
  signal?: AbortSignal;
  /** Per-request timeout in ms. Default 300 000. */
  timeoutMs?: number;
  /** Per-check timeout in ms. Default 3 × timeoutMs + 10 s. */
  checkTimeoutMs?: number;
  /**
   * Deadline of the whole run in ms (default 30 minutes). When it passes, requests in flight are
   * aborted and unfinished checks end 'skip' with skipKind 'deadline' ("not run: deadline").
   */
  deadlineMs?: number;
  /** Longest wait for a 429 (or a 503's Retry-After) before retrying (default 60 s; 0: never retry a 429). */
  maxRetryWaitMs?: number;
  /** Response size cap in bytes. Default 64 MiB. */
  maxResponseBytes?: number;
  /** The checks to choose from (default: the registry). Tests and broken-gateway suites pass their own. */
  checks?: readonly CheckDef[];
  /** Check ids (or area prefixes like `negative`) to run / to leave out. */
  only?: string[];
  skip?: string[];
  /** Fidelity checks become MUST (exact OpenAI parity); also set by the profile's `strict`. */
  strict?: boolean;
  /** A user catalogue file (models.yaml format) adding or overriding models for this process. */
  catalogue?: string;
  /**
   * How to make the gateway produce errors only its owner can trigger: per kind (`content-policy`,
   * `budget`, `quota`), a prompt text or a `Header: value` to send (opt-in checks skip without it).
   */
  triggers?: Partial<Record<TriggerKind, string>>;
  /** Wait for image URLs to expire (at most the profile's urlTtlSeconds + 60 s) and check they do. */
  waitUrlExpiry?: boolean;
  /** Called as the run proceeds (console reporter). */
  onEvent?: (event: RunEvent) => void;
}

export type RunEvent =
  | { type: 'note'; message: string }
  /** `checks`: how many results the run will report (progress counters). */
  | { type: 'plan'; plan: Plan; checks?: number }
  | { type: 'start'; key: string; title: string }
  /** `imagesMade`: images made so far in the run (progress and ETA). */
  | { type: 'result'; result: CheckResult; imagesMade?: number };
