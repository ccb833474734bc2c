// Writes docs/checks.md from the check registry (`npm run docs:checks`); `--check` only verifies it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderChecksDoc } from '../src/conformance/checks-doc.js';

const path = fileURLToPath(new URL('../docs/checks.md', import.meta.url));
const text = renderChecksDoc();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write('docs/checks.md is stale: run npm run docs:checks\n');
    process.exit(1);
  }
} else {
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path}\n`);
}
