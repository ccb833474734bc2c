// Requests-per-minute limit per API key: an exact sliding window (the last N request times in a
// ring per key). Every answer to a limited key carries x-ratelimit-* headers; a refused request
// gets 429 rate_limit_exceeded with Retry-After in whole seconds.

const WINDOW_MS = 60_000;
/** Keys whose window is empty are dropped once the table grows past this. */
const SWEEP_AT = 10_000;

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

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    private readonly now: () => number,
  ) {}

  take(key: string): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { times: new Float64Array(this.limit), next: 0, count: 0 };
      this.windows.set(key, w);
    }
    // Forget requests that left the window (the oldest sit at next - count).
    while (w.count > 0) {
      const oldest = w.times[(w.next - w.count + this.limit) % this.limit]!;
      if (now - oldest < WINDOW_MS) break;
      w.count--;
    }
    if (w.count >= this.limit) {
      const oldest = w.times[(w.next - w.count + this.limit) % this.limit]!;
      return { allowed: false, limit: this.limit, remaining: 0, resetMs: oldest + WINDOW_MS - now, current: w.count + 1 };
    }
    w.times[w.next] = now;
    w.next = (w.next + 1) % this.limit;
    w.count++;
    const oldest = w.times[(w.next - w.count + this.limit) % this.limit]!;
    return { allowed: true, limit: this.limit, remaining: this.limit - w.count, resetMs: oldest + WINDOW_MS - now, current: w.count };
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) {
      const newest = w.times[(w.next - 1 + this.limit) % this.limit]!;
      if (w.count === 0 || now - newest >= WINDOW_MS) this.windows.delete(key);
    }
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
