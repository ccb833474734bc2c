#!/usr/bin/env node
// `npm run bench`: image rendering and HTTP benchmarks, printed as ratios against baselines measured
// in the same run (machines are noisy; nothing here is asserted).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let status = 0;
for (const bench of ['images.ts', 'render.ts', 'http.ts', 'concurrency.ts', 'hostile.ts']) {
  console.log(`\n## ${bench}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'bench', bench), ...args], { stdio: 'inherit' });
  status ||= run.status ?? 1;
}
process.exit(status);
