// Type-level test: the client's types come from the spec, so a misspelled field or a value outside a
// spec enum must not compile. Runs tsc on test/client/fixtures/type-errors.ts (each bad call marked
// `@ts-expect-error`), then on a copy without the markers, which must fail on exactly those lines.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(root, 'test/client/fixtures/type-errors.ts');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const MARKER = /^(\s*)\/\/ @ts-expect-error (.*)$/;

interface TscResult {
  code: number;
  errors: Array<{ file: string; line: number; message: string }>;
  output: string;
}

function runTsc(dir: string, file: string): Promise<TscResult> {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
    },
    files: [file],
  };
  const project = join(dir, `tsconfig.${Math.random().toString(36).slice(2)}.json`);
  return writeFile(project, JSON.stringify(config)).then(
    () =>
      new Promise((resolve) => {
        execFile(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: dir, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
          const output = `${stdout}${stderr}`;
          const errors = [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+: .*(?:\n(?! *\S+\(\d+,\d+\): )(?!\S).*)*)/gm)].map((m) => ({
            file: m[1]!,
            line: Number(m[2]),
            message: m[3]!,
          }));
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, errors, output });
        });
      }),
  );
}

describe('client types reject what the spec rejects', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagegen-types-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the fixture compiles: correct calls type-check and every @ts-expect-error line is an error', async () => {
    const result = await runTsc(dir, fixture);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('without the @ts-expect-error markers the fixture fails on exactly the marked lines, naming the bad field or value', async () => {
    const source = await readFile(fixture, 'utf8');
    const lines = source.split('\n');
    const marked: Array<{ line: number; why: string }> = [];
    const unmarked = lines.map((text, i) => {
      const m = MARKER.exec(text);
      if (!m) return text;
      marked.push({ line: i + 2, why: m[2]! }); // 1-based number of the line after the marker
      return `${m[1]}// (marker removed) ${m[2]}`; // same line count, so line numbers still match
    });
    expect(marked.length).toBeGreaterThanOrEqual(4);
    // The copy lives outside the repo (the repo's typecheck must stay green): import the client by absolute path, as ESM (.mts).
    const copy = join(dir, 'type-errors.unmarked.mts');
    const clientIndex = join(root, 'src/client/index.js');
    const text = unmarked.join('\n').replace("'../../../src/client/index.js'", JSON.stringify(clientIndex));
    expect(text).toContain(clientIndex);
    await writeFile(copy, text);

    const result = await runTsc(dir, copy);
    expect(result.code).not.toBe(0);
    const errorLines = [...new Set(result.errors.filter((e) => e.file.endsWith('type-errors.unmarked.mts')).map((e) => e.line))].sort((a, b) => a - b);
    expect(errorLines, result.output).toEqual(marked.map((m) => m.line));
    const messageAt = (line: number) =>
      result.errors
        .filter((e) => e.line === line)
        .map((e) => e.message)
        .join('\n');
    const lineOf = (what: string) => marked.find((m) => m.why.includes(what))!.line;
    expect(messageAt(lineOf('promt'))).toMatch(/'promt' does not exist/);
    expect(messageAt(lineOf("enum: 'ultra'"))).toMatch(/"ultra"/);
    expect(messageAt(lineOf("'png'"))).toMatch(/"png"/);
    expect(messageAt(lineOf("string '2'"))).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect(messageAt(lineOf('modality'))).toMatch(/"picture"/);
  }, 120_000);
});
