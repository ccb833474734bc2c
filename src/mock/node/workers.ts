// `mock --workers N`: N replicas of the node:http mock in one process tree (node:cluster), sharing
// one port, for machines with many cores. Replicas share nothing but the media secret: an image
// URL one of them signs downloads from any other, so a load balancer may send a request and the
// download of its URL to different replicas. Each replica keeps its own rate-limit windows and
// Socket.IO rooms (see docs/deploy.md).
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { MockOptions } from '../options.js';
import { startMock, type RunningMock } from '../index.js';

/** How the primary hands the shared media secret to its workers (never on the command line). */
const SECRET_ENV = 'IMAGEGEN_MOCK_WORKER_SECRET';

export interface WorkerReady {
  url: string;
  openaiUrl: string;
}

export function isWorker(): boolean {
  return cluster.isWorker && process.env[SECRET_ENV] !== undefined;
}

/** In a worker: serve with the primary's media secret and report the URL; close on disconnect. */
export async function serveAsWorker(options: MockOptions): Promise<RunningMock> {
  const mock = await startMock({ ...options, mediaSecret: Buffer.from(process.env[SECRET_ENV]!, 'base64url') });
  process.send?.({ ready: { url: mock.url, openaiUrl: mock.openaiUrl } satisfies WorkerReady });
  return mock;
}

export interface Workers {
  ready: WorkerReady;
  /** Stops every worker (each closes its server) and resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * In the primary: forks `count` workers running this same command line and resolves once all of
 * them listen. A worker that dies unexpectedly is replaced.
 */
export function startWorkers(count: number, options: MockOptions, log: (line: string) => void): Promise<Workers> {
  const secret = options.mediaSecret === undefined ? randomBytes(32) : Buffer.from(options.mediaSecret);
  const env = { [SECRET_ENV]: secret.toString('base64url') };
  let stopping = false;
  let ready: WorkerReady | undefined;
  const live = new Set<Worker>();
  return new Promise((resolve, reject) => {
    let listening = 0;
    const fork = () => {
      const worker = cluster.fork(env);
      live.add(worker);
      worker.on('message', (m: { ready?: WorkerReady }) => {
        if (!m.ready) return;
        ready ??= m.ready;
        if (++listening === count) resolve({ ready, stop });
      });
      worker.on('exit', (code, signal) => {
        live.delete(worker);
        if (stopping) return;
        if (listening < count) {
          stopping = true;
          for (const w of live) w.kill('SIGTERM');
          return reject(new Error(`a mock worker exited before listening (${signal ?? `code ${code}`})`));
        }
        log(`imagegen-contract mock: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
        fork();
      });
    };
    for (let i = 0; i < count; i++) fork();
  });

  async function stop(): Promise<void> {
    stopping = true;
    const exits = [...live].map((w) => new Promise<void>((r) => (w.isDead() ? r() : w.once('exit', () => r()))));
    for (const w of live) w.kill('SIGTERM');
    await Promise.all(exits);
  }
}
