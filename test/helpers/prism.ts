// Starts Stoplight Prism as a mock of the bundled spec on a free loopback port, for tests. Prism
// serves the spec's paths at its root (it ignores `servers`, so there is no `/v1` prefix): `url` is
// the base URL to give a client. Always `close()` it (afterAll); a failed start cleans up itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PRISM_CLI = join(root, 'node_modules/@stoplight/prism-cli/dist/index.js');

export interface PrismServer {
  /** `http://127.0.0.1:<port>`: the base URL for clients (no `/v1`). */
  url: string;
  /** Stops Prism (SIGTERM, then SIGKILL after 5 s) and resolves when it has exited. */
  close(): Promise<void>;
}

export interface StartPrismOptions {
  /** OpenAPI document to mock (default generated/openapi.json). */
  document?: string;
  /** Extra `prism mock` arguments, e.g. `['--dynamic']` or `['--errors']`. */
  args?: string[];
  /** How long to wait for Prism to answer HTTP (default 60 s). */
  startTimeoutMs?: number;
}

/** A port that was free a moment ago: listen on port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPrism(options: StartPrismOptions = {}): Promise<PrismServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const document = options.document ?? join(root, 'generated/openapi.json');
  // -m false: one process, so the pid we kill is Prism itself (it forks when NODE_ENV=production).
  const args = [PRISM_CLI, 'mock', document, '--host', '127.0.0.1', '--port', String(port), '-m', 'false', '-v', 'warn', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });

  // Keep the tail of Prism's output for error messages; reading it also keeps the pipes from filling up.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const close = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswering(url, child, exited, options.startTimeoutMs ?? 60_000, () => tail);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}

async function waitUntilAnswering(url: string, child: ChildProcess, exited: Promise<number | null>, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined || child.exitCode !== null) throw new Error(`Prism exited (code ${exitCode ?? child.exitCode}) before answering:\n${output()}`);
    try {
      // Any HTTP answer (a 404 for this unknown path) means Prism is listening.
      await fetch(`${url}/__prism_ready`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Prism did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
