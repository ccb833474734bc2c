// Progress of a run for the console's live line: `[n/N]` and an ETA from the plan. Free checks run
// first and take about the same time each; once images are being made, the time per image seen so
// far times the images still planned dominates. Before the first image is made its cost is unknown,
// so the ETA says how many images are still to come instead of guessing.

export class RunProgress {
  done = 0;
  private imagesMade = 0;
  private readonly started: number;
  /** When the first image-making result arrived (images' share of the time starts just before). */
  private freeUntil: number | undefined;
  private lastAt: number;

  constructor(
    readonly total: number,
    readonly plannedImages: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    this.lastAt = this.started;
  }

  /** A result arrived; `imagesMade` is the run's count so far. */
  record(imagesMade?: number): void {
    const at = this.now();
    this.done++;
    if (imagesMade !== undefined && imagesMade > this.imagesMade) {
      if (this.imagesMade === 0) this.freeUntil = this.lastAt;
      this.imagesMade = imagesMade;
    }
    this.lastAt = at;
  }

  /** Milliseconds left, or undefined while there is nothing to go on. */
  etaMs(): { ms: number; imagesToCome: number } | undefined {
    if (this.done === 0) return undefined;
    const elapsed = this.lastAt - this.started;
    const remaining = Math.max(0, this.total - this.done);
    const imagesLeft = Math.max(0, this.plannedImages - this.imagesMade);
    if (this.imagesMade === 0 || this.freeUntil === undefined) return { ms: (elapsed / this.done) * remaining, imagesToCome: imagesLeft };
    const perImage = (this.lastAt - this.freeUntil) / this.imagesMade;
    const perCheck = (this.freeUntil - this.started) / Math.max(1, this.done - 1);
    return { ms: perImage * imagesLeft + (imagesLeft ? 0 : perCheck * remaining), imagesToCome: 0 };
  }

  /** `[n/N]` for the check that is running now, and the ETA (counted down since the last result). */
  label(): string {
    const position = `[${Math.min(this.done + 1, this.total)}/${this.total}]`;
    const eta = this.etaMs();
    if (!eta) return position;
    const left = Math.max(0, eta.ms - (this.now() - this.lastAt));
    return `${position} ETA ${formatDuration(left)}${eta.imagesToCome ? ` + ${eta.imagesToCome} image(s)` : ''}`;
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
