// The whole run's deadline (`--deadline`, `deadlineMs`): one AbortSignal handed to the HTTP client
// (every request in flight is aborted, no new one starts) and to the runner (checks not finished by
// then end 'skip' with skipKind 'deadline'), so a gateway that never finishes a body costs at most
// the deadline, not exchanges x --timeout, and the reports are still written.
import { setMaxListeners } from 'node:events';

export const DEFAULT_DEADLINE_MS = 30 * 60_000;
export const DEADLINE_REASON = 'not run: deadline';

export class RunDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly ms: number) {
    this.timer = setTimeout(() => this.controller.abort(new DeadlineReached(ms)), ms);
    // The deadline must never be what keeps the process alive.
    this.timer.unref();
    // Every request in flight (AbortSignal.any) and the running check listen to it at once.
    setMaxListeners(0, this.controller.signal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

export class DeadlineReached extends Error {
  constructor(ms: number) {
    super(`the run's deadline of ${Math.round(ms / 1000)}s passed`);
    this.name = 'DeadlineReached';
  }
}
