// Conformance run time against a slow gateway: the README's run (dall-e-3 + gpt-image-1, --max-images
// 40) against the mock with --latency 3000 (every generation takes 3 s; other requests are not
// delayed). Printed as ratios, never asserted:
//   - wall time / (images x 3 s): the target (at most 0.3);
//   - wall time / (delayed requests x 3 s): against what a serial run must wait (one n=10 request
//     makes 10 images in 3 s, so this is the stricter figure);
//   - the default --concurrency against --concurrency 1, both run here.
//   npx tsx scripts/bench/concurrency.ts [--latency 3000] [--concurrency 4]
import { parseArgs } from 'node:util';
import { runConformance, DEFAULT_CONCURRENCY } from '../../src/conformance/index.js';
import { startMock } from '../../src/mock/index.js';

const { values } = parseArgs({ options: { latency: { type: 'string' }, concurrency: { type: 'string' }, quick: { type: 'boolean' } }, strict: false });
const latencyMs = Number(values.latency ?? 3000);
const concurrency = Number(values.concurrency ?? DEFAULT_CONCURRENCY);
const KEY = 'sk-bench-concurrency';

/** Image operations: the requests the mock's --latency delays. */
const DELAYED = /\/images\/(generations|edits|variations)$|\/inference\/images\/generate$/;

async function run(width: number) {
  const mock = await startMock({ port: 0, apiKeys: [KEY], latencyMs });
  try {
    const started = Date.now();
    const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, models: ['dall-e-3', 'gpt-image-1'], maxImages: 40, concurrency: width });
    const wall = Date.now() - started;
    const delayed = report.exchanges.filter((e) => e.method === 'POST' && DELAYED.test(new URL(e.url).pathname) && e.status === 200).length;
    return { wall, images: report.imagesMade, delayed, mustFailed: report.summary.mustFailed };
  } finally {
    await mock.close();
  }
}

const parallel = await run(concurrency);
const line = (name: string, r: Awaited<ReturnType<typeof run>>) =>
  `${name.padEnd(16)} ${(r.wall / 1000).toFixed(1).padStart(6)} s  ${String(r.images).padStart(3)} images  ${String(r.delayed).padStart(3)} delayed requests  ` +
  `ratio/images ${(r.wall / (r.images * latencyMs)).toFixed(2)}  ratio/requests ${(r.wall / (r.delayed * latencyMs)).toFixed(2)}  MUST failed ${r.mustFailed}`;
console.log(`conform (README run) against the mock at --latency ${latencyMs}`);
console.log(line(`concurrency ${concurrency}`, parallel));
if (!values.quick) {
  const serial = await run(1);
  console.log(line('concurrency 1', serial));
  console.log(`speed-up concurrency ${concurrency} vs 1: ${(serial.wall / parallel.wall).toFixed(2)}x`);
}
console.log(`target: ratio/images <= 0.30 (wall <= 0.3 x images x ${latencyMs / 1000} s)`);
