// Generation progress hooks: an answer reports its run's steps, completion or failure to a
// ProgressHub when the adapter provides one. The node adapter's hub sends them over Socket.IO
// (node/progress.ts, the AsyncAPI document's `/image-progress` events); other runtimes (MSW, a
// Worker) have none, and answers are the same without it.

export interface ProgressRun {
  /** Reports `percent` (0-100, rounded; a value below the last one is dropped). */
  step(percent: number): void;
  /** Emits `completed` (percent 100) and ends the run. */
  complete(): void;
  /** Emits `failed` and ends the run. */
  fail(error: { code: string | null; message: string }): void;
}

export interface ProgressStart {
  /** The `x-request-id` of the HTTP answer. */
  requestId: string;
  apiKey: string;
  /** The client's `x-progress-id` header, when it sent one. */
  progressId?: string;
  model: string;
  /** Images the request makes (the `images` of `completed`). */
  images: number;
}

export interface ProgressHub {
  begin(start: ProgressStart): ProgressRun;
  /** Stops reporting and releases what the hub holds (sockets). */
  close(): Promise<void>;
}
