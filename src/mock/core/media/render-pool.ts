// PNG rendering on worker threads: big pictures are drawn on the other cores while the main thread
// keeps answering requests. Small ones (a thread hop costs more than drawing them), a pool of size
// 0 and a pool whose threads failed render in the calling thread; the bytes are the same either way.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderPng, type PictureRequest } from '../../../images/render.js';
import type { RenderJob, RenderReply } from './render-worker.js';

/** Below this many pixels a picture is drawn in the calling thread. */
const MIN_POOLED_PIXELS = 256 * 256;

/** Default thread count: the cores but one (the main thread's), at most 4. */
export function defaultRenderThreads(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

interface Pending {
  request: PictureRequest;
  resolve(png: Buffer): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** The worker, from compiled JS, or from TypeScript sources (tsx, vitest) through tsx's loader. */
function startWorker(): Worker | undefined {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./render-worker.js', here));
  // Loader hooks are per thread in Node 20: the worker registers tsx's before loading the entry.
  let tsx: string;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    return undefined; // sources without tsx: render in the calling thread
  }
  const entry = new URL('./render-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

export class RenderPool {
  private threads: Thread[] | undefined;
  private failed = false;
  private nextId = 0;

  constructor(private readonly size: number) {}

  /** Whether big pictures go to render threads (none failed so far). */
  get threaded(): boolean {
    return this.size > 0 && !this.failed && (this.threads === undefined || this.threads.length > 0);
  }

  /** The PNG of `request`: from a render thread when the picture is big enough to be worth one. */
  render(request: PictureRequest): Buffer | Promise<Buffer> {
    if (this.size <= 0 || this.failed || request.width * request.height < MIN_POOLED_PIXELS) return renderPng(request);
    const threads = (this.threads ??= this.start());
    if (threads.length === 0) return renderPng(request);
    let thread = threads[0]!;
    for (const t of threads) if (t.pending.size < thread.pending.size) thread = t;
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      if (thread.pending.size === 0) thread.worker.ref(); // a render under way keeps the process alive
      thread.pending.set(id, { request, resolve, reject });
      thread.worker.postMessage({ id, request } satisfies RenderJob);
    });
  }

  private start(): Thread[] {
    const threads: Thread[] = [];
    for (let i = 0; i < this.size; i++) {
      const worker = startWorker();
      if (!worker) break;
      const thread: Thread = { worker, pending: new Map() };
      worker.on('message', (reply: RenderReply) => {
        const job = thread.pending.get(reply.id);
        if (!job) return;
        thread.pending.delete(reply.id);
        if (thread.pending.size === 0) thread.worker.unref();
        if ('png' in reply) job.resolve(Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength));
        else job.reject(new Error(reply.error));
      });
      // A thread that fails (it could not start, or died) leaves the pool; its renders and all
      // later ones are drawn in this thread instead.
      const fail = () => {
        this.failed = true;
        const left = [...thread.pending.values()];
        thread.pending.clear();
        for (const job of left) {
          try {
            job.resolve(renderPng(job.request));
          } catch (e) {
            job.reject(e instanceof Error ? e : new Error(String(e)));
          }
        }
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      worker.unref(); // an idle render thread never keeps the process alive
      threads.push(thread);
    }
    return threads;
  }
}

const pools = new Map<number, RenderPool>();

/** The process's pool of `threads` render threads (shared by its mocks), started on first use. */
export function renderPool(threads: number = defaultRenderThreads()): RenderPool {
  let pool = pools.get(threads);
  if (!pool) pools.set(threads, (pool = new RenderPool(threads)));
  return pool;
}
