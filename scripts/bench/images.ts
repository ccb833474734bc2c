// Image rendering benchmark: median ms per operation after warm-up, with a
// baseline (allocate + sha256 the same raw pixel count) to print ratios against.
//   npx tsx scripts/bench/images.ts
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { renderImage, renderPng } from '../../src/images/index.js';

export interface BenchResult {
  name: string;
  msPerOp: number;
  bytes: number;
}

const WARMUP = 5;
const RUNS = 31;

async function measure(name: string, op: () => Buffer | Promise<Buffer>): Promise<BenchResult> {
  let bytes = 0;
  for (let i = 0; i < WARMUP; i++) bytes = (await op()).length;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    bytes = (await op()).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { name, msPerOp: times[times.length >> 1]!, bytes };
}

export async function benchImages(): Promise<BenchResult[]> {
  const req = { seed: 'bench', prompt: 'a lighthouse at dusk, oil painting', index: 0 };
  // Rotate the index so every pattern kind is exercised rather than one lucky geometry.
  let i = 0;
  const next = () => ({ ...req, index: i++ % 16 });
  return [
    await measure('baseline alloc+sha256 1024x1024 RGB', () => {
      const raw = Buffer.alloc(1024 * 1024 * 3);
      return createHash('sha256').update(raw).digest();
    }),
    await measure('baseline alloc+sha256 1792x1024 RGB', () => {
      const raw = Buffer.alloc(1792 * 1024 * 3);
      return createHash('sha256').update(raw).digest();
    }),
    await measure('renderPng 1024x1024', () => renderPng({ ...next(), width: 1024, height: 1024 })),
    await measure('renderPng 1792x1024', () => renderPng({ ...next(), width: 1792, height: 1024 })),
    await measure('renderPng 1792x1024 transparent', () =>
      renderPng({ ...next(), width: 1792, height: 1024, transparent: true }),
    ),
    await measure('renderImage jpeg 1024x1024 q100', () =>
      renderImage({ ...next(), format: 'jpeg', width: 1024, height: 1024 }),
    ),
    await measure('renderImage webp 1024x1024 q100', () =>
      renderImage({ ...next(), format: 'webp', width: 1024, height: 1024 }),
    ),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchImages();
  const baseline = (px: string) => results.find((r) => r.name === `baseline alloc+sha256 ${px} RGB`)!.msPerOp;
  console.log(`median of ${RUNS} runs after ${WARMUP} warm-up, node ${process.version}`);
  console.table(
    results.map((r) => ({
      name: r.name,
      'ms/op': r.msPerOp.toFixed(3),
      bytes: r.bytes,
      'x baseline': (r.msPerOp / baseline(r.name.includes('1792') ? '1792x1024' : '1024x1024')).toFixed(2),
    })),
  );
}
