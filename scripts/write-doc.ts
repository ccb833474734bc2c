// Writes a generated doc, or with `--check` fails when the file on disk differs (stale or hand-edited).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function writeGeneratedDoc(relativePath: string, text: string, regenerateCommand: string): void {
  const path = fileURLToPath(new URL(`../${relativePath}`, import.meta.url));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      process.stderr.write(`${relativePath} is stale: run ${regenerateCommand}\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
