// Ending a conform run early without losing what it saw: Ctrl-C (SIGINT) aborts the run, which
// skips unfinished checks as interrupted and still writes the reports (a second Ctrl-C quits at once);
// a closed stdout (`conform … | head`) ends the run the same way, quietly, with no EPIPE stack trace.
import type { Writable } from 'node:stream';

type Out = { write(chunk: string): unknown; isTTY?: boolean; columns?: number };

/** Exit codes of a run ended by a signal, as shells report them (128 + SIGINT 2 / SIGPIPE 13). */
export const INTERRUPTED_EXIT = 130;
export const BROKEN_PIPE_EXIT = 141;

interface Proc {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  on(event: 'SIGINT', fn: () => void): unknown;
  off(event: 'SIGINT', fn: () => void): unknown;
  exit(code: number): never;
}

export class RunStopper {
  private readonly controller = new AbortController();
  private broken = false;
  /** Set when the run was stopped: the exit code to use instead of the report's. */
  exitCode: number | undefined;

  constructor(
    private readonly proc: Proc,
    private readonly say: (line: string) => void,
  ) {
    proc.on('SIGINT', this.onSigint);
    proc.stdout.on('error', this.onStdoutError);
    if (proc.stdout.isTTY) this.stdout.isTTY = true;
    if (proc.stdout.columns) this.stdout.columns = proc.stdout.columns;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** stdout for the console reporter: writes after a broken pipe go nowhere. */
  readonly stdout: Out = {
    write: (chunk: string) => (this.broken ? true : this.proc.stdout.write(chunk)),
  };

  /** The run is over: Ctrl-C is the default again (stdout errors stay swallowed). */
  release(): void {
    this.proc.off('SIGINT', this.onSigint);
  }

  private readonly onSigint = () => {
    if (this.controller.signal.aborted) this.proc.exit(INTERRUPTED_EXIT);
    this.exitCode = INTERRUPTED_EXIT;
    this.say('interrupted: stopping; writing the reports of what was seen (Ctrl-C again to quit at once)');
    this.controller.abort();
  };

  private readonly onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      this.say(`stdout: ${error.message}`);
    }
    this.broken = true;
    this.exitCode ??= BROKEN_PIPE_EXIT;
    this.controller.abort();
  };
}
