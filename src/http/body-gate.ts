// How many large bodies one client reads at once. Under concurrency (several checks in flight),
// every reader could otherwise hold up to the size cap at the same time (4 x 64 MiB); a reader
// that grows past `thresholdBytes` waits here for one of `slots` (its socket paused meanwhile), so
// memory in flight stays about slots x cap + readers x threshold. Small bodies - nearly all of
// them - never wait. No deadlock: a slot holder waits on nothing but its own stream.

export class BodyGate {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(
    slots: number,
    readonly thresholdBytes: number,
  ) {
    this.free = Math.max(1, slots);
  }

  /** Resolves with a release function once a slot is free; rejects when the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const grant = (): (() => void) => {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next) next();
        else this.free++;
      };
    };
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(grant());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(wake);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(grant());
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(wake);
    });
  }
}
