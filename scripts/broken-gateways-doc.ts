// Writes docs/broken-gateways.md from the defect table (`npm run docs:broken-gateways`); `--check` only verifies it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderBrokenGatewaysDoc } from '../test/broken-gateways/doc.js';

const path = fileURLToPath(new URL('../docs/broken-gateways.md', import.meta.url));
const text = renderBrokenGatewaysDoc();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write('docs/broken-gateways.md is stale: run npm run docs:broken-gateways\n');
    process.exit(1);
  }
} else {
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path}\n`);
}
