// Paces the run's requests to the gateway so it stays under the gateway's rate limit instead of
// running into it: at most `--rate N/min` request starts in any minute (a sliding window), and what
// the gateway says about its limit (x-ratelimit-remaining-* / -reset-*, and 429 retry delays) holds
// every request back until the limit has room again. Requests start in the order they asked.
import { parseDuration, rateLimitWaitMs } from './retry-policy.js';

export interface PacerOptions {
  /** Longest the pacer holds a request back for the gateway's sake (--max-wait); longer waits are not waited. */
  maxWaitMs?: number;
  /** Request starts allowed per window (from --rate); undefined: only what the gateway says. */
  perWindow?: number;
  windowMs?: number;
  now?: () => number;
}

export class RatePacer {
  private readonly perWindow: number | undefined;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxWaitMs: number;
  /** Start times of the last `perWindow` requests. */
  private readonly starts: number[] = [];
  /** Nothing starts before this (a 429's delay, or an exhausted limit's reset). */
  private blockedUntil = 0;
  /** The gateway refused with a delay longer than --max-wait: until then checks are not run. */
  private refusedUntil = 0;
  /** Requests the gateway's last x-ratelimit-remaining-* allows, less those started since. */
  private credit: number | undefined;
  private inFlight = 0;
  /** Resolves at the next answer (a request waiting for the gateway to say how much room is left). */
  private nextAnswer: { promise: Promise<void>; resolve: () => void } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Total time requests were held back (report/console). */
  waitedMs = 0;

  constructor(options: PacerOptions = {}) {
    this.perWindow = options.perWindow;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
  }

  /** How long from now the gateway refuses requests (it asked for more than --max-wait). */
  get refusedForMs(): number {
    return Math.max(0, this.refusedUntil - this.now());
  }

  /** A 429 given up on because its delay exceeds --max-wait. */
  refused(waitMs: number): void {
    this.refusedUntil = Math.max(this.refusedUntil, this.now() + waitMs);
  }

  /** Waits for a slot; resolves false when the signal aborted first (the request goes nowhere). */
  acquire(signal?: AbortSignal): Promise<boolean> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Learns from an answer: remaining requests and when the limit resets. */
  release(headers: Record<string, string> | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.nextAnswer?.resolve();
    this.nextAnswer = undefined;
    if (!headers) return;
    const remaining = Number(headers['x-ratelimit-remaining-requests'] ?? headers['x-ratelimit-remaining']);
    const reset = parseDuration(headers['x-ratelimit-reset-requests'] ?? headers['x-ratelimit-reset']);
    if (!Number.isFinite(remaining)) return;
    // Requests still in flight were (probably) not counted in `remaining` yet.
    this.credit = remaining - this.inFlight;
    if (this.credit <= 0 && reset !== undefined) this.block(reset);
  }

  /** A 429: nothing starts until its delay is over (retries included). */
  rateLimited(headers: Record<string, string>, waitMs?: number): void {
    const wait = waitMs ?? rateLimitWaitMs(headers);
    if (wait !== undefined) this.block(wait);
    this.credit = 0;
  }

  private block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }

  private waitForAnswer(signal?: AbortSignal): Promise<boolean> {
    if (!this.nextAnswer) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.nextAnswer = { promise, resolve };
    }
    const answered = this.nextAnswer.promise;
    // Not longer than a moment: the answer may be a slow generation.
    return Promise.race([answered.then(() => 'answer' as const), sleep(ANSWER_WAIT_MS, signal).then((slept) => (slept ? ('timeout' as const) : ('aborted' as const)))]).then((how) => {
      // No answer in time: go ahead (a 429 would be waited out); an answer has set the credit itself.
      if (how === 'timeout') this.credit = undefined;
      return how !== 'aborted';
    });
  }

  private async waitForSlot(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const now = this.now();
      // What the gateway asks beyond --max-wait is not waited: the request goes and meets its 429.
      let until = this.blockedUntil - now > this.maxWaitMs ? now : this.blockedUntil;
      if (this.perWindow !== undefined) {
        while (this.starts.length && now - this.starts[0]! >= this.windowMs) this.starts.shift();
        if (this.starts.length >= this.perWindow) until = Math.max(until, this.starts[0]! + this.windowMs);
      }
      if (this.credit !== undefined && this.credit <= 0 && this.blockedUntil <= now) {
        // Used up what the gateway said was left: wait for an answer in flight to say more (briefly).
        if (this.inFlight > 0 && until <= now) {
          if (!(await this.waitForAnswer(signal))) return false;
          continue;
        }
        // The gateway's reset passed: its limit has room again (how much, its next answer says).
        this.credit = undefined;
      }
      if (until <= now) {
        if (this.perWindow !== undefined) this.starts.push(now);
        if (this.credit !== undefined) this.credit--;
        this.inFlight++;
        return true;
      }
      const waited = await sleep(until - now, signal);
      this.waitedMs += until - now;
      if (!waited) return false;
    }
  }
}

const ANSWER_WAIT_MS = 2_000;

/** Resolves true after `ms`, false at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `--rate`: `N/min`, `N/s` or a bare N per minute -> starts per window. */
export function parseRate(raw: string): { perWindow: number; windowMs: number } | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(min|m|minute|s|sec|second))?\s*$/i.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!(n > 0)) return undefined;
  const perSecond = /^s/i.test(m[2] ?? '');
  // Fractional per-minute rates become a longer window with a whole count (0.5/min = 1 per 2 min).
  if (Number.isInteger(n)) return { perWindow: n, windowMs: perSecond ? 1000 : 60_000 };
  return { perWindow: 1, windowMs: Math.round((perSecond ? 1000 : 60_000) / n) };
}
