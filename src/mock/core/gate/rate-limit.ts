// Requests-per-minute limit per API key: an exact sliding window (the last N request times in a
// ring per key). Every answer to a limited key carries x-ratelimit-* headers; a refused request
// gets 429 rate_limit_exceeded with Retry-After in whole seconds.

/** Keys tracked at most (without --api-key any key is accepted, so clients choose how many). */
export const MAX_RATE_KEYS = 10_000;
/** Bytes of request-time rings at most (a key costs 8 bytes per allowed request per minute). */
const MAX_RING_BYTES = 32 * 1024 * 1024;

interface Window {
  times: Float64Array; // ring of the last `limit` accepted request times
  next: number;
  count: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** ms until a slot frees up (the oldest request leaves the window). */
  resetMs: number;
  /** Requests in the window including this one (for the 429 message). */
  current: number;
}

/** `1s`, `250ms`, `6m0s` as OpenAI writes x-ratelimit-reset-* values. */
export function durationString(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

// The table is a Map kept in least-recently-used order (a used key moves to the end). When it is
// full, the least recently used key is dropped: an idle key first in practice; a key dropped while
// its window still counts requests starts afresh, which only ever lets a very busy table's
// quietest client through early. Each request costs O(1), however many keys there are.
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  readonly maxKeys: number;

  constructor(
    readonly limit: number,
    private readonly now: () => number,
    maxKeys = MAX_RATE_KEYS,
    /** The sliding window (60 s; `--rate-limit N/s` makes it 1 s, for fast tests). */
    private readonly windowMs = 60_000,
  ) {
    this.maxKeys = Math.max(1, Math.min(maxKeys, Math.floor(MAX_RING_BYTES / (8 * limit))));
  }

  get size(): number {
    return this.windows.size;
  }

  take(key: string): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (w) {
      this.windows.delete(key);
      this.windows.set(key, w);
    } else {
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
      w = { times: new Float64Array(this.limit), next: 0, count: 0 };
      this.windows.set(key, w);
    }
    // Forget requests that left the window (the oldest sit at next - count).
    while (w.count > 0) {
      const oldest = w.times[(w.next - w.count + this.limit) % this.limit]!;
      if (now - oldest < this.windowMs) break;
      w.count--;
    }
    if (w.count >= this.limit) {
      const oldest = w.times[(w.next - w.count + this.limit) % this.limit]!;
      return { allowed: false, limit: this.limit, remaining: 0, resetMs: oldest + this.windowMs - now, current: w.count + 1 };
    }
    w.times[w.next] = now;
    w.next = (w.next + 1) % this.limit;
    w.count++;
    const oldest = w.times[(w.next - w.count + this.limit) % this.limit]!;
    return { allowed: true, limit: this.limit, remaining: this.limit - w.count, resetMs: oldest + this.windowMs - now, current: w.count };
  }
}

/** The x-ratelimit-* header pairs of a decision. */
export function rateLimitHeaders(d: RateDecision): string[] {
  return [
    'x-ratelimit-limit-requests',
    String(d.limit),
    'x-ratelimit-remaining-requests',
    String(d.remaining),
    'x-ratelimit-reset-requests',
    durationString(d.resetMs),
  ];
}

/** Retry-After in whole seconds (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
