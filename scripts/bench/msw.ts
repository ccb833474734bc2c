// The in-process path: the same cold requests as the HTTP benchmark (a unique prompt each, nothing
// memoised), answered through MSW's setupServer with imageHandlers() and, for comparison, by the
// core's fetch() called directly. One request at a time, so the figure is the cost of a request.
//   npx tsx scripts/bench/msw.ts [--duration 5] [--json]
import { pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';
import { createMockCore } from '../../src/mock/index.js';
import { imageHandlers, releaseResponseClones } from '../../src/msw/index.js';
import { benchAdapter } from './adapter.js';
import { B64_BODY, URL_BODY } from './bodies.js';

export interface InProcessResult {
  name: string;
  requests: number;
  /** Mean cost of one request, in microseconds. */
  usPerRequest: number;
}

const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer bench-key' };

/** Warm-up (JIT of MSW's and the mock's paths, the render threads): both kinds of request, alternately. */
async function warmUp(seconds: number, ...sends: Array<(prompt: string) => Promise<Response>>): Promise<void> {
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until || i < 100; i++) await (await sends[i % sends.length]!(`warm-up ${i}`)).arrayBuffer();
}

async function time(name: string, seconds: number, send: (prompt: string) => Promise<Response>): Promise<InProcessResult> {
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  let requests = 0;
  while (performance.now() < until) {
    const res = await send(`${name} #${requests}`);
    if (res.status !== 200) throw new Error(`${name}: answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    requests++;
  }
  return { name, requests, usPerRequest: ((performance.now() - started) * 1000) / requests };
}

export async function benchInProcess(seconds: number): Promise<InProcessResult[]> {
  const results: InProcessResult[] = [];
  const origin = 'https://api.openai.com';
  const body = (base: object, prompt: string) => JSON.stringify({ ...base, prompt });
  const server = setupServer(...imageHandlers({ seed: 'bench' }));
  releaseResponseClones(server);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const viaMsw = (base: object) => (prompt: string) => fetch(`${origin}/v1/images/generations`, { method: 'POST', headers: HEADERS, body: body(base, prompt) });
    await warmUp(Math.min(3, seconds), viaMsw(URL_BODY), viaMsw(B64_BODY));
    results.push(await time('msw url, unique prompts', seconds, viaMsw(URL_BODY)));
    results.push(await time('msw b64_json 1024x1024, unique prompts', seconds, viaMsw(B64_BODY)));
  } finally {
    server.close();
  }
  const core = createMockCore({ seed: 'bench' });
  const direct = (base: object) => (prompt: string) => core.fetch(new Request(`${origin}/v1/images/generations`, { method: 'POST', headers: HEADERS, body: body(base, prompt) }));
  await warmUp(Math.min(3, seconds), direct(URL_BODY), direct(B64_BODY));
  results.push(await time('core.fetch url, unique prompts (no MSW)', seconds, direct(URL_BODY)));
  results.push(await time('core.fetch b64_json 1024x1024, unique prompts (no MSW)', seconds, direct(B64_BODY)));
  results.push(...(await benchAdapter({ url: URL_BODY, b64: B64_BODY })));
  return results;
}

export function printInProcess(results: InProcessResult[]): void {
  const rows = results.map((r) => `| ${r.name} | ${r.requests} | ${(r.usPerRequest / 1000).toFixed(3)} | ${(1e6 / r.usPerRequest).toFixed(0)} |`);
  console.log('| in-process path (one request at a time; "no socket" rows: CPU time) | requests | ms per request | req/s |\n|---|---|---|---|\n' + rows.join('\n'));
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const i = process.argv.indexOf('--duration');
  const results = await benchInProcess(i > 0 ? Number(process.argv[i + 1]) : process.argv.includes('--quick') ? 2 : 5);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(results)}\n`);
  else printInProcess(results);
  process.exit(0);
}
