// HTTP benchmark of the mock (url and b64_json answers) against plain Prism on the same spec and a
// bare node:http server returning a body of the same size. Every server runs in a child process;
// one load generator (load-client.ts) drives them all from this process, so every row pays the
// same client cost. Printed as ratios, never asserted.
//   npx tsx scripts/bench/http.ts [--duration 5] [--quick]
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { B64_BODY, URL_BODY } from './bodies.js';
import { printInProcess, type InProcessResult } from './msw.js';
import { runLoad } from './load-client.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

export interface LoadResult {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU (all threads) per answered request, in microseconds; undefined where not measured. */
  cpuUs?: number;
}

interface Server {
  url: string;
  memory(): Promise<NodeJS.MemoryUsage>;
  /** CPU time the server process has used so far (all its threads), in microseconds. */
  cpu(): Promise<number | undefined>;
  close(): void;
}

/** One question to a forked server over IPC (`memory`, `cpu`), answered as `{ [question]: value }`. */
function ask<T>(child: ChildProcess, question: 'memory' | 'cpu'): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, T>) => {
      if (!(question in m)) return;
      child.off('message', on);
      resolve(m[question]!);
    };
    child.on('message', on);
    child.send(question);
  });
}

function forkServer(script: string, args: string[] = []): Promise<Server> {
  const child = fork(join(here, 'servers', script), args, {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.once('message', (m: { url: string }) =>
      resolve({
        url: m.url,
        memory: () => ask<NodeJS.MemoryUsage>(child, 'memory'),
        cpu: () => ask<number>(child, 'cpu'),
        close: () => child.kill('SIGTERM'),
      }),
    );
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startPrism(): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'node_modules/@stoplight/prism-cli/dist/index.js'), 'mock', join(root, 'generated/openapi.json'), '--host', '127.0.0.1', '--port', String(port), '--errors', 'false', '-m', 'false'],
    { stdio: 'ignore' },
  );
  // Prism serves the spec's paths at its root (the server URL's /v1 is not applied).
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/models`, { headers: { authorization: 'Bearer k' } });
      return { url, memory: async () => process.memoryUsage(), cpu: async () => undefined, close: () => child.kill('SIGTERM') };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error('Prism did not start');
}

const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer bench-key' };

async function load(name: string, server: Server, body: { prompt: string }, connections: number, duration: number, unique = false, rate?: number): Promise<LoadResult> {
  // unique: every request gets its own prompt, so nothing the mock memoises or caches is reused
  // (the mock's cold path: validation, token signing or image rendering, serialisation).
  const before = await server.cpu();
  const r = await runLoad({ url: server.url, path: '/images/generations', headers: HEADERS, body, unique, connections, durationSec: duration, ...(rate ? { rate } : {}) });
  const after = await server.cpu();
  const cpuUs = before !== undefined && after !== undefined && r.requests > 0 ? (after - before) / r.requests : undefined;
  return { name, connections, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, non2xx: r.non2xx, ...(cpuUs !== undefined ? { cpuUs } : {}) };
}

type Row = [name: string, server: Server, body: { prompt: string }, unique: boolean, rate?: number];

/** The offered load of the paced rows: well below what bare and the mock's cold path take here. */
export const PACED_RATE = 5000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Every row in short rounds, the rows taking turns (bare, mock, bare, mock, ...), so a change in
 * the machine's load during the run weighs on each row alike; the median round of each is kept.
 */
async function interleaved(rows: Row[], connections: number, duration: number): Promise<LoadResult[]> {
  const rounds = duration >= 4 ? 3 : 2;
  const seconds = duration / rounds;
  const runs = rows.map(() => [] as LoadResult[]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [name, server, body, unique, rate]] of rows.entries()) runs[i]!.push(await load(name, server, body, connections, seconds, unique, rate));
  }
  return runs.map((got) => {
    const requests = got.map((g) => g.rps);
    const cpu = got.every((g) => g.cpuUs !== undefined) ? median(got.map((g) => g.cpuUs!)) : undefined;
    return {
      name: got[0]!.name,
      connections,
      rps: median(requests),
      p50: median(got.map((g) => g.p50)),
      p99: median(got.map((g) => g.p99)),
      errors: got.reduce((n, g) => n + g.errors, 0),
      non2xx: got.reduce((n, g) => n + g.non2xx, 0),
      ...(cpu !== undefined ? { cpuUs: cpu } : {}),
    };
  });
}

async function fixedBody(url: string, body: unknown): Promise<Buffer> {
  const res = await fetch(url + '/images/generations', {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`mock answered ${res.status}: ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

export { B64_BODY, URL_BODY } from './bodies.js';

/** The in-process (MSW) benchmark, in its own process like the servers. */
function inProcess(duration: number): Promise<InProcessResult[] | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'msw.ts'), '--json', '--duration', String(duration)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      try {
        resolve(code === 0 ? (JSON.parse(out.trim().split('\n').pop()!) as InProcessResult[]) : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

export async function benchHttp(options: { duration: number; memoryRequests: number }): Promise<{ results: LoadResult[]; inProcess?: InProcessResult[]; busyUs?: number; memory?: { before: number; after: number; requests: number } }> {
  const results: LoadResult[] = [];
  const mock = await forkServer('mock-server.ts');
  const tmp = mkdtempSync(join(tmpdir(), 'imagegen-bench-'));
  const urlFile = join(tmp, 'url.json');
  const b64File = join(tmp, 'b64.json');
  writeFileSync(urlFile, await fixedBody(mock.url, URL_BODY));
  writeFileSync(b64File, await fixedBody(mock.url, B64_BODY));
  const bareUrl = await forkServer('bare-server.ts', [urlFile]);
  const bareB64 = await forkServer('bare-server.ts', [b64File]);
  // The mock's own work per cold url request, measured without sockets; a bare server doing that
  // much busy work per request shows what the machine allows such a server.
  const measured = await inProcess(options.duration);
  const handler = measured?.find((r) => r.name.startsWith('bare node:http handler'));
  const adapter = measured?.find((r) => r.name.startsWith('node adapter + core, url'));
  const busyUs = handler && adapter ? Math.max(1, Math.round(adapter.usPerRequest - handler.usPerRequest)) : undefined;
  const bareBusy = busyUs !== undefined ? await forkServer('bare-server.ts', [urlFile, String(busyUs)]) : undefined;
  const prism = await startPrism().catch((e: Error) => {
    console.error(`(Prism skipped: ${e.message})`);
    return undefined;
  });
  try {
    for (const connections of [10, 50]) {
      const rows: Row[] = [
        ['bare node:http (url-sized body)', bareUrl, URL_BODY, false],
        ['mock url', mock, URL_BODY, false],
        ['mock url, unique prompts', mock, URL_BODY, true],
        // The same baseline sent unique prompts: shows that a unique prompt costs the client nothing more.
        ['bare node:http (url-sized body), unique prompts', bareUrl, URL_BODY, true],
        ...(bareBusy ? [[`bare node:http + ${busyUs} us busy work per request (url-sized body)`, bareBusy, URL_BODY, true] as Row] : []),
        ...(prism ? [['prism (url example)', prism, URL_BODY, false] as Row] : []),
        ['bare node:http (b64-sized body)', bareB64, B64_BODY, false],
        ['mock b64_json 1024x1024', mock, B64_BODY, false],
        ['mock b64_json 1024x1024, unique prompts', mock, B64_BODY, true],
      ];
      results.push(...(await interleaved(rows, connections, options.duration)));
    }
    // Answer times below saturation: at a saturating load, latency is mostly the queue a slower
    // server builds, so these rows compare the answers themselves.
    const paced = `, ${PACED_RATE} req/s offered`;
    results.push(
      ...(await interleaved(
        [
          [`bare node:http (url-sized body)${paced}`, bareUrl, URL_BODY, true, PACED_RATE],
          [`mock url, unique prompts${paced}`, mock, URL_BODY, true, PACED_RATE],
          [`bare node:http (b64-sized body)${paced}`, bareB64, B64_BODY, true, PACED_RATE],
          [`mock b64_json 1024x1024, unique prompts${paced}`, mock, B64_BODY, true, PACED_RATE],
        ],
        50,
        options.duration,
      )),
    );
    let memory;
    if (options.memoryRequests > 0) {
      const before = (await mock.memory()).rss;
      await runLoad({ url: mock.url, path: '/images/generations', headers: HEADERS, body: URL_BODY, unique: false, connections: 50, amount: options.memoryRequests });
      const after = (await mock.memory()).rss;
      memory = { before, after, requests: options.memoryRequests };
    }
    return { results, memory, ...(measured ? { inProcess: measured } : {}), ...(busyUs !== undefined ? { busyUs } : {}) };
  } finally {
    mock.close();
    bareBusy?.close();
    bareUrl.close();
    bareB64.close();
    prism?.close();
  }
}

function ratio(a: number, b: number): string {
  return b > 0 ? `${((a / b) * 100).toFixed(0)}%` : 'n/a';
}

export function printHttp(out: Awaited<ReturnType<typeof benchHttp>>): void {
  const us = (r: LoadResult) => (r.cpuUs !== undefined ? r.cpuUs.toFixed(1) : 'n/a');
  const rows = out.results.map((r) => `| ${r.name} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${us(r)} | ${r.errors + r.non2xx} |`);
  console.log('| server | connections | req/s | p50 ms | p99 ms | server CPU us/request | errors+non-2xx |\n|---|---|---|---|---|---|---|\n' + rows.join('\n'));
  for (const c of [10, 50]) {
    const get = (name: string) => out.results.find((r) => r.name === name && r.connections === c);
    const mu = get('mock url'), bu = get('bare node:http (url-sized body)'), pr = get('prism (url example)');
    const mb = get('mock b64_json 1024x1024'), bb = get('bare node:http (b64-sized body)');
    const muu = get('mock url, unique prompts'), mbu = get('mock b64_json 1024x1024, unique prompts');
    const lines = [];
    if (mu && bu) lines.push(`mock url / bare = ${ratio(mu.rps, bu.rps)} (target >= 50%)`);
    if (mu && pr) lines.push(`mock url / prism = ${(mu.rps / pr.rps).toFixed(1)}x (target >= 10x)`);
    const buu = get('bare node:http (url-sized body), unique prompts');
    if (muu && bu) lines.push(`cold url (unique prompts) / bare = ${ratio(muu.rps, bu.rps)} (target >= 50%)${buu ? ` (${ratio(muu.rps, buu.rps)} of bare sent unique prompts too)` : ''}`);
    if (muu && bu && c === 50) lines.push(`cold url p99 at 50 connections = ${muu.p99.toFixed(2)} ms, ${bu.p99 > 0 ? (muu.p99 / bu.p99).toFixed(1) : 'n/a'}x bare's ${bu.p99.toFixed(2)} ms (target <= 1.5x)`);
    const busy = out.busyUs !== undefined ? get(`bare node:http + ${out.busyUs} us busy work per request (url-sized body)`) : undefined;
    if (busy && bu) lines.push(`a bare server busy ${out.busyUs} us per request (the mock's own cold url work) / bare = ${ratio(busy.rps, bu.rps)}`);
    if (muu?.cpuUs !== undefined && bu?.cpuUs !== undefined) lines.push(`server CPU per cold url request = ${muu.cpuUs.toFixed(1)} us, ${(muu.cpuUs / bu.cpuUs).toFixed(2)}x bare's ${bu.cpuUs.toFixed(1)} us`);
    if (mbu?.cpuUs !== undefined && bb?.cpuUs !== undefined) lines.push(`server CPU per cold b64_json request = ${mbu.cpuUs.toFixed(1)} us, ${(mbu.cpuUs / bb.cpuUs).toFixed(2)}x bare's ${bb.cpuUs.toFixed(1)} us`);
    if (mb && bb) lines.push(`mock b64 / bare = ${ratio(mb.rps, bb.rps)} (target >= 20%)`);
    if (mbu && bb) lines.push(`cold b64_json 1024x1024 (an image rendered per request) / bare = ${ratio(mbu.rps, bb.rps)} (target >= 20%)`);
    if (mu && c === 50) lines.push(`mock url p99 at 50 connections = ${mu.p99.toFixed(2)} ms (target <= 5 ms)`);
    console.log(`\n${c} connections: ${lines.join('; ')}`);
  }
  const paced = (name: string) => out.results.find((r) => r.name === `${name}, ${PACED_RATE} req/s offered`);
  const pbu = paced('bare node:http (url-sized body)'), pmu = paced('mock url, unique prompts');
  const pbb = paced('bare node:http (b64-sized body)'), pmb = paced('mock b64_json 1024x1024, unique prompts');
  if (pbu && pmu && pbb && pmb)
    console.log(`\nat ${PACED_RATE} req/s offered over 50 connections (below saturation): cold url p99 ${pmu.p99.toFixed(2)} ms, ${(pmu.p99 / pbu.p99).toFixed(1)}x bare's ${pbu.p99.toFixed(2)} ms; cold b64_json p99 ${pmb.p99.toFixed(2)} ms, ${(pmb.p99 / pbb.p99).toFixed(1)}x bare's ${pbb.p99.toFixed(2)} ms`);
  if (out.inProcess) {
    console.log('');
    printInProcess(out.inProcess);
    const msw = out.inProcess.find((r) => r.name.startsWith('msw url'));
    const bare = out.results.find((r) => r.name === 'bare node:http (url-sized body)' && r.connections === 10);
    if (msw && bare) console.log(`\nin-process MSW cold url: ${(msw.usPerRequest / 1000).toFixed(3)} ms per request, one at a time (node:http bare at 10 connections: ${(1000 / bare.rps).toFixed(3)} ms of server time per request)`);
    const handler = out.inProcess.find((r) => r.name.startsWith('bare node:http handler'));
    const adapterUrl = out.inProcess.find((r) => r.name.startsWith('node adapter + core, url'));
    const adapterB64 = out.inProcess.find((r) => r.name.startsWith('node adapter + core, b64_json'));
    if (handler && adapterUrl && adapterB64)
      console.log(`the mock's own work per cold request, no socket (CPU): url ${adapterUrl.usPerRequest.toFixed(1)} us, b64_json 1024x1024 ${adapterB64.usPerRequest.toFixed(1)} us; a bare handler ${handler.usPerRequest.toFixed(1)} us`);
  }
  if (out.memory) {
    const mb = (n: number) => (n / 1048576).toFixed(1);
    console.log(`\nmemory: mock RSS ${mb(out.memory.before)} MB before, ${mb(out.memory.after)} MB after ${out.memory.requests} requests (delta ${mb(out.memory.after - out.memory.before)} MB)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const quick = process.argv.includes('--quick');
  const out = await benchHttp({ duration: quick ? 2 : 5, memoryRequests: quick ? 10_000 : 100_000 });
  printHttp(out);
}
