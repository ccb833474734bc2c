// When the suite sends a request again, and how long it waits first. Two kinds of retry, decided per
// request (`HttpRequest.retry`):
// - rate limit (429): the gateway's right, never a defect. Waited out as the gateway asks
//   (retry-after-ms, Retry-After, x-ratelimit-reset-*), each wait bounded by --max-wait; a 429 that
//   asks for longer, or keeps coming, is given up on and the check reports "not run: rate limited".
// - transient fault (503, 504, connection reset, timeout): a few retries with exponential backoff and
//   jitter (Retry-After honoured on 503). Recovered: the check is marked flaky; persistent: the
//   failure stands with every attempt in the report.
// Requests that probe 429s themselves opt out of the first kind, so their check sees the 429.
import type { Exchange } from './http.js';

export interface RetryOptions {
  /** Longest single wait for a 429 (--max-wait); 0 never retries a 429. */
  maxWaitMs: number;
  /** Retries of one request after 429s (each wait bounded by maxWaitMs). */
  rateLimitRetries?: number;
  /** Retries of one request after transient faults. */
  transientRetries?: number;
  /** First backoff step; doubled per retry, capped at maxBackoffMs, 0-25 % jitter off. */
  backoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

/** Per request: which retries apply (both by default on API calls; downloads never wait out 429s). */
export interface RequestRetry {
  rateLimit?: boolean;
  transient?: boolean;
}

export type RetryKind = 'rate-limit' | 'transient';

export type RetryDecision =
  | { retry: true; kind: RetryKind; waitMs: number; why: string }
  | { retry: false; gaveUp?: { kind: RetryKind; why: string } };

/** What the final exchange of a retried request carries: every attempt, and why retrying stopped. */
export interface RetryRecord {
  attempts: Array<{ seq: number; outcome: string; waitedMs?: number; kind?: RetryKind }>;
  gaveUp?: { kind: RetryKind; why: string };
}

export const DEFAULT_MAX_WAIT_MS = 60_000;
const DEFAULT_RATE_LIMIT_RETRIES = 8;
const DEFAULT_TRANSIENT_RETRIES = 2;
/** A request that timed out already took --timeout: retried once at most. */
const TIMEOUT_RETRIES = 1;

export class RetryPolicy {
  readonly maxWaitMs: number;
  private readonly rateLimitRetries: number;
  private readonly transientRetries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;

  constructor(options: RetryOptions) {
    this.maxWaitMs = options.maxWaitMs;
    this.rateLimitRetries = options.maxWaitMs > 0 ? (options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES) : 0;
    this.transientRetries = options.transientRetries ?? DEFAULT_TRANSIENT_RETRIES;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 8_000;
    this.random = options.random ?? Math.random;
  }

  /** After `ex` (the latest attempt; `previous` the earlier ones of the same request), retry or not. */
  decide(ex: Exchange, previous: readonly Exchange[], retry: RequestRetry): RetryDecision {
    const status = ex.response?.status;
    if (status === 429) {
      if (retry.rateLimit === false) return { retry: false };
      const why = rateLimitWhy(ex);
      if (/insufficient_quota/.test(ex.response!.body.toString('utf8', 0, 4096)))
        return { retry: false, gaveUp: { kind: 'rate-limit', why: 'insufficient_quota: the account is out of credit (retrying cannot help)' } };
      const n = previous.filter((p) => p.response?.status === 429).length;
      if (n >= this.rateLimitRetries)
        return { retry: false, gaveUp: { kind: 'rate-limit', why: this.rateLimitRetries ? `still 429 after ${n + 1} attempts` : `429 (${why}) and --max-wait 0` } };
      const asked = rateLimitWaitMs(ex.response!.headers);
      const waitMs = asked ?? this.backoff(n);
      if (waitMs > this.maxWaitMs)
        return { retry: false, gaveUp: { kind: 'rate-limit', why: `asked to wait ${seconds(waitMs)} (${why}), more than --max-wait ${seconds(this.maxWaitMs)}` } };
      return { retry: true, kind: 'rate-limit', waitMs, why: `429, ${why}` };
    }
    if (retry.transient === false) return { retry: false };
    const fault = transientFault(ex);
    if (!fault) return { retry: false };
    const n = previous.filter((p) => transientFault(p)).length;
    const limit = ex.error?.kind === 'timeout' ? Math.min(TIMEOUT_RETRIES, this.transientRetries) : this.transientRetries;
    if (n >= limit) return { retry: false, gaveUp: { kind: 'transient', why: `${fault} on all ${n + 1} attempts` } };
    const asked = status === 503 ? retryAfterMs(ex.response!.headers) : undefined;
    if (asked !== undefined && asked > this.maxWaitMs)
      return { retry: false, gaveUp: { kind: 'transient', why: `${fault} asking to wait ${seconds(asked)}, more than --max-wait ${seconds(this.maxWaitMs)}` } };
    return { retry: true, kind: 'transient', waitMs: asked ?? this.backoff(n), why: fault };
  }

  /** Exponential backoff with jitter, as the official SDKs do (0.5 s doubling to 8 s, up to 25 % less). */
  backoff(retriesSoFar: number): number {
    const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** retriesSoFar);
    return Math.round(base * (1 - 0.25 * this.random()));
  }
}

/** A fault worth retrying a valid request for: 503, 504, a reset connection, a timeout. */
export function transientFault(ex: Exchange): string | undefined {
  const status = ex.response?.status;
  if (status === 503 || status === 504) return `${status}`;
  if (!ex.response && ex.error?.kind === 'network') return `connection failed (${ex.error.message})`;
  if (!ex.response && ex.error?.kind === 'timeout') return `timeout (${ex.error.message})`;
  return undefined;
}

/** What an attempt ended with, in a few words (report lines). */
export function attemptOutcome(ex: Exchange): string {
  if (ex.response) return `${ex.response.status}`;
  return ex.error ? `${ex.error.kind}: ${ex.error.message}` : 'no answer';
}

function rateLimitWhy(ex: Exchange): string {
  const h = ex.response!.headers;
  for (const name of ['retry-after-ms', 'retry-after', 'x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens'])
    if (h[name] !== undefined) return `${name} ${h[name]}`;
  return 'no retry delay given';
}

/** Delay a 429 asks for: retry-after-ms, Retry-After (seconds or HTTP date), else the x-ratelimit-reset-* of the exhausted limit. */
export function rateLimitWaitMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  const asked = retryAfterMs(headers, now);
  if (asked !== undefined) return asked;
  const resets: number[] = [];
  const any: number[] = [];
  for (const kind of ['requests', 'tokens', 'images']) {
    const reset = parseDuration(headers[`x-ratelimit-reset-${kind}`]);
    if (reset === undefined) continue;
    any.push(reset);
    if (headers[`x-ratelimit-remaining-${kind}`]?.trim() === '0') resets.push(reset);
  }
  const pick = resets.length ? resets : any;
  return pick.length ? Math.max(...pick) : undefined;
}

/** retry-after-ms, else Retry-After in seconds or as an HTTP date; undefined when absent or odd. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const raw = headers['retry-after']?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `1s`, `250ms`, `6m0s`, `1h2m3.5s` (OpenAI's x-ratelimit-reset-* form) or plain seconds, in ms. */
export function parseDuration(raw: string | undefined): number | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let rest = text;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms)}ms`;
}
