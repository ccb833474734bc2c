// Hardening benchmark (issue 10): peak RSS of the conformance suite against a gateway answering
// 500 MB bodies and brotli bombs (target < 512 MB), beside the same run against a polite gateway;
// and peak RSS of the validation proxy streaming an SSE flood to a slow client (target < 256 MB),
// beside the proxy idle. Every party runs in its own process. Printed, never asserted.
//   npx tsx scripts/bench/hostile.ts [--quick]
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const MB = 1024 * 1024;
const children: ChildProcess[] = [];

function start<T>(script: string, args: string[]): { child: ChildProcess; first: Promise<T> } {
  const child = fork(join(here, 'servers', script), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const first = new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before answering`)));
  });
  return { child, first };
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

async function suitePeak(mode: string): Promise<{ peak: number; ms: number; exchanges: number; tooLarge: number }> {
  const gateway = start<{ url: string }>('hostile-gateway.ts', [mode]);
  const { url } = await gateway.first;
  const run = await start<{ peak: number; ms: number; exchanges: number; tooLarge: number }>('suite-run.ts', [url]).first;
  gateway.child.kill('SIGTERM');
  return run;
}

async function proxyFlood(seconds: number): Promise<{ idle: number; peak: number; received: number }> {
  const upstream = start<{ url: string }>('hostile-gateway.ts', ['sse-flood']);
  const proxy = start<{ url: string }>('proxy-run.ts', [(await upstream.first).url]);
  const { url } = await proxy.first;
  const idle = (await ask<{ peak: number }>(proxy.child, 'memory')).peak;
  // A slow client: reads about 2 MB/s while the upstream would send as fast as the proxy takes it.
  const res = await fetch(`${url}/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"flood","stream":true}' });
  const reader = res.body!.getReader();
  let received = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const { value, done } = await reader.read();
    if (done) break;
    received += value.length;
    await new Promise((r) => setTimeout(r, 30));
  }
  await reader.cancel();
  const { peak } = await ask<{ peak: number }>(proxy.child, 'memory');
  proxy.child.kill('SIGTERM');
  upstream.child.kill('SIGTERM');
  return { idle, peak, received };
}

const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
try {
  const polite = await suitePeak('polite');
  const hostile = await suitePeak('huge-bomb');
  const flood = await proxyFlood(quick ? 4 : 12);
  console.log('| process | scenario | peak RSS | note |\n|---|---|---|---|');
  console.log(`| conform | polite gateway (baseline) | ${mb(polite.peak)} | ${polite.exchanges} exchanges in ${(polite.ms / 1000).toFixed(1)} s |`);
  console.log(`| conform | 500 MB bodies (declared, chunked) + brotli bombs (1 GiB inflated) | ${mb(hostile.peak)} | ${hostile.exchanges} exchanges (${hostile.tooLarge} cut at the cap) in ${(hostile.ms / 1000).toFixed(1)} s |`);
  console.log(`| proxy | idle (baseline) | ${mb(flood.idle)} | |`);
  console.log(`| proxy | SSE flood to a slow client | ${mb(flood.peak)} | client read ${mb(flood.received)} in ${quick ? 4 : 12} s |`);
  console.log(`\nconform hostile / polite peak RSS = ${(hostile.peak / polite.peak).toFixed(2)}x (target: under 512 MB: ${hostile.peak < 512 * MB ? 'met' : 'NOT met'})`);
  console.log(`proxy flood / idle peak RSS = ${(flood.peak / flood.idle).toFixed(2)}x (target: under 256 MB: ${flood.peak < 256 * MB ? 'met' : 'NOT met'})`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
