// The package as a consumer gets it: every runtime import of the compiled code is a declared
// dependency, and the packed tarball, installed with npm into an empty folder, runs every bin
// command, imports and requires every export (ESM and CommonJS consumers), type-checks in a
// TypeScript consumer, and certifies its own installed mock with `conform` (exit 0).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/conformance/index.js';
import { packageJson, packAndInstall, root, type Installed } from './packed.js';

const exec = promisify(execFile);
const KEY = 'sk-pack-test-5e6f7a8b';

let installed: Installed;
beforeAll(async () => {
  installed = await packAndInstall();
}, 300_000);
afterAll(() => installed?.cleanup());

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

/** `ajv/dist/2020.js` -> `ajv`, `@scope/pkg/x` -> `@scope/pkg`; undefined for relative and built-in specifiers. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('dependencies', () => {
  it('every package the compiled code imports at run time is a dependency, and every dependency is imported', () => {
    const dist = join(installed.staging, 'dist');
    const used = new Map<string, string[]>();
    for (const file of jsFiles(dist)) {
      // TypeScript's own pre-processor: static imports, re-exports and dynamic import() calls.
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        const pkg = packageOf(fileName);
        if (pkg) used.set(pkg, [...(used.get(pkg) ?? []), relative(dist, file)]);
      }
    }
    expect(used.size).toBeGreaterThan(5);
    const undeclared = [...used].filter(([pkg]) => !(pkg in packageJson.dependencies) && !(pkg in (packageJson.peerDependencies ?? {}))).map(([pkg, files]) => `${pkg} (imported by ${files.join(', ')})`);
    expect(undeclared, 'imported at run time but not in dependencies').toEqual([]);
    const unused = Object.keys(packageJson.dependencies).filter((pkg) => !used.has(pkg));
    expect(unused, 'in dependencies but never imported by dist/').toEqual([]);
  });

  it('engines, license and exports are what a consumer needs', () => {
    expect(packageJson.engines.node).toBe('>=20.19.0'); // require(esm) without a flag
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} imagegen-contract contributors\n/);
    for (const [subpath, target] of Object.entries(packageJson.exports)) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target), subpath).toEqual(['types', 'import', 'default']);
      expect(target.default, subpath).toBe(target.import);
    }
  });
});

/** The source module behind an export (`./dist/client/index.js` -> src/client/index.ts), for its export names. */
function sourceOf(target: string): string {
  return join(root, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

const codeExports = Object.entries(packageJson.exports).filter(([, t]) => typeof t === 'object') as Array<[string, Record<string, string>]>;
const dataExports = Object.entries(packageJson.exports).filter(([, t]) => typeof t === 'string') as Array<[string, string]>;
const specifier = (subpath: string) => (subpath === '.' ? packageJson.name : `${packageJson.name}/${subpath.slice(2)}`);

describe.concurrent('the installed tarball', { timeout: 90_000 }, () => {
  it('holds the licence, the readme and every file an export or the bin points at', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json', ...Object.values(packageJson.bin), ...dataExports.map(([, t]) => t), ...codeExports.flatMap(([, t]) => Object.values(t))])
      expect(existsSync(join(installed.packageDir, file)), file).toBe(true);
  });

  it('an ES module consumer imports every export, a CommonJS consumer requires every export: the same names as the sources', async () => {
    const esm = [
      'const out = {};',
      ...codeExports.map(([s]) => `out[${JSON.stringify(s)}] = Object.keys(await import(${JSON.stringify(specifier(s))})).sort();`),
      ...dataExports.map(([s]) => `out[${JSON.stringify(s)}] = Object.keys((await import(${JSON.stringify(specifier(s))}, { with: { type: 'json' } })).default).sort();`),
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const cjs = [
      "'use strict';",
      'const out = {};',
      ...[...codeExports, ...dataExports].map(([s]) => `out[${JSON.stringify(s)}] = Object.keys(require(${JSON.stringify(specifier(s))})).filter((k) => k !== '__esModule' && k !== 'module.exports').sort();`),
      'console.log(JSON.stringify(out));',
    ].join('\n');
    writeFileSync(join(installed.dir, 'consumer.mjs'), esm);
    writeFileSync(join(installed.dir, 'consumer.cjs'), cjs);
    const [fromImport, fromRequire] = await Promise.all(
      ['consumer.mjs', 'consumer.cjs'].map(async (f) => JSON.parse((await exec(process.execPath, [f], { cwd: installed.dir })).stdout) as Record<string, string[]>),
    );
    expect(fromRequire).toEqual(fromImport);
    for (const [subpath, target] of codeExports) {
      const expected = Object.keys(await import(sourceOf(target.import!))).sort();
      expect(fromImport![subpath], subpath).toEqual(expected);
      expect(expected.length, subpath).toBeGreaterThan(2);
    }
    expect(fromImport!['./openapi.json']).toContain('paths');
    expect(fromImport!['./package.json']).toContain('version');
  });

  it('a TypeScript consumer type-checks against the installed declarations (and a wrong enum value does not compile)', async () => {
    writeFileSync(
      join(installed.dir, 'consumer.ts'),
      [
        "import { createImagesClient } from 'imagegen-contract/client';",
        "import { runConformance, type ConformanceReport } from 'imagegen-contract/conformance';",
        "import { startMock } from 'imagegen-contract/mock';",
        "import { CHECKS } from 'imagegen-contract';",
        "const client = createImagesClient({ baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k' });",
        "export const ok = () => client.generate({ model: 'gpt-image-1', prompt: 'p', output_format: 'webp' });",
        "// @ts-expect-error 'gif' is not an output_format",
        "export const bad = () => client.generate({ model: 'gpt-image-1', prompt: 'p', output_format: 'gif' });",
        'export const exit = (r: ConformanceReport): 0 | 1 | 2 => r.exitCode;',
        'export const all = [runConformance, startMock, CHECKS.length];',
      ].join('\n'),
    );
    writeFileSync(
      join(installed.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], skipLibCheck: false, typeRoots: [join(root, 'node_modules/@types')], types: ['node'] },
        files: ['consumer.ts'],
      }),
    );
    const r = await exec(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: installed.dir }).catch((e: { stdout: string; code: number }) => e);
    expect('stdout' in r ? r.stdout : '').toBe('');
  });

  it('every bin command answers --help, and conform --list-checks lists every check', async () => {
    const top = await exec(installed.bin, ['--help'], { cwd: installed.dir });
    const commands = [...top.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]!);
    expect(commands).toEqual(['mock', 'conform', 'proxy']);
    for (const command of commands) expect((await exec(installed.bin, [command, '--help'], { cwd: installed.dir })).stdout, command).toMatch(new RegExp(`^usage: imagegen-contract ${command} `));
    const list = await exec(installed.bin, ['conform', '--list-checks'], { cwd: installed.dir });
    expect(list.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(CHECKS.map((c) => c.id));
  });

  it('the installed mock, proxy and conform work together: conform certifies the mock (exit 0) and the proxy forwards to it', async () => {
    const mock = spawn(installed.bin, ['mock', '--port', '0', '--api-key', KEY], { cwd: installed.dir });
    let proxy: ChildProcess | undefined;
    try {
      const base = (await firstMatch(mock, /baseURL: '([^']+)'/))[1]!;
      proxy = spawn(installed.bin, ['proxy', '--upstream', base, '--port', '0'], { cwd: installed.dir });
      const proxied = (await firstMatch(proxy, /proxy: (\S+) ->/))[1]!;
      const models = await fetch(`${proxied.replace(/\/$/, '')}/models`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(models.status).toBe(200);
      const report = join(installed.dir, 'report.xml');
      const r = await exec(installed.bin, ['conform', '--base-url', base, '--max-images', '4', '--report', `junit=${report}`], {
        cwd: installed.dir,
        env: { ...process.env, IMAGEGEN_API_KEY: KEY, NO_COLOR: '1' },
      }).catch((e: { stdout: string; stderr: string; code: number }) => e);
      expect('code' in r ? `exit ${r.code}\n${r.stdout}${r.stderr}` : 'exit 0').toBe('exit 0');
      expect(r.stdout).toMatch(/Every MUST check passed|passed, 0 failed/);
      expect(readFileSync(report, 'utf8')).toMatch(/<testsuites [^>]*failures="0"/);
    } finally {
      proxy?.kill('SIGTERM');
      mock.kill('SIGTERM');
    }
    const [code] = (await once(mock, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});

// ---- the CI recipe of docs/ci.md ---------------------------------------------------------------

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

const ciDoc = readFileSync(join(root, 'docs/ci.md'), 'utf8');
const yamlBlocks = [...ciDoc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]!) as Workflow);
const action = parseYaml(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: Step[] };
};
const step = (steps: Step[], id: string) => steps.find((s) => s.id === id)!;

describe('the CI recipe (action.yml and docs/ci.md)', { timeout: 90_000 }, () => {
  it('action.yml is a composite action whose every input reference is declared, and its version is the package version', () => {
    expect(action.runs.using).toBe('composite');
    const text = readFileSync(join(root, 'action.yml'), 'utf8');
    const used = [...text.matchAll(/\$\{\{ inputs\.([\w-]+) \}\}/g)].map((m) => m[1]!);
    expect(used.filter((i) => !(i in action.inputs))).toEqual([]);
    expect(action.inputs.version!.default).toBe(packageJson.version);
    expect(action.runs.steps.map((s) => s.id ?? s.uses)).toEqual(['conform', 'actions/upload-artifact@v4', 'mikepenz/action-junit-report@v5', 'verdict']);
  });

  it("docs/ci.md's workflows use the action with declared inputs, and its plain steps run exactly the action's commands", () => {
    const [withAction, plain] = yamlBlocks.map((w) => Object.values(w.jobs)[0]!);
    const uses = withAction!.steps.find((s) => s.uses === './.github/actions/imagegen-contract')!;
    expect(Object.keys(uses.with!).filter((k) => !(k in action.inputs))).toEqual([]);
    for (const id of ['conform', 'verdict']) expect(step(plain!.steps, id).run, id).toBe(step(action.runs.steps, id).run);
    expect(plain!.env!.IMAGEGEN_VERSION).toBe(packageJson.version);
    expect(plain!.env!.IMAGEGEN_API_KEY).toBe('${{ secrets.IMAGEGEN_API_KEY }}');
  });

  it("runs the docs' plain workflow steps with bash against the installed mock: exit 0, reports written, annotations printed", async () => {
    const plain = Object.values(yamlBlocks[1]!.jobs)[0]!;
    // `npx --yes imagegen-contract@VERSION` runs the installed package here (the registry does not have this build).
    const binDir = join(installed.dir, 'fake-bin');
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, 'npx'), `#!/usr/bin/env bash\n[ "$1" = --yes ] && [ "$2" = "imagegen-contract@${packageJson.version}" ] || { echo "unexpected npx $*" >&2; exit 99; }\nshift 2\nexec ${JSON.stringify(installed.bin)} "$@"\n`);
    chmodSync(join(binDir, 'npx'), 0o755);
    const help = (await exec(installed.bin, ['conform', '--help'])).stdout;
    const mock = spawn(installed.bin, ['mock', '--port', '0', '--api-key', KEY], { cwd: installed.dir });
    try {
      const base = (await firstMatch(mock, /baseURL: '([^']+)'/))[1]!;
      const output = join(installed.dir, 'github-output');
      writeFileSync(output, '');
      // The documented extra options, once the installed CLI knows them all (until then, the ones it knows).
      const args = plain.env!.IMAGEGEN_ARGS!.split(' ').reduce<string[][]>((acc, a) => (a.startsWith('--') ? [...acc, [a]] : (acc.at(-1)!.push(a), acc)), []);
      const known = help.includes('--dry-run') ? args : args.filter(([flag]) => help.includes(`${flag} `));
      const env = { ...process.env, ...plain.env, IMAGEGEN_BASE_URL: base, IMAGEGEN_API_KEY: KEY, IMAGEGEN_ARGS: known.flat().join(' '), GITHUB_OUTPUT: output, PATH: `${binDir}:${process.env.PATH}`, NO_COLOR: '1' };
      // GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`.
      const bash = (script: string, extra: Record<string, string> = {}) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: installed.dir, env: { ...env, ...extra } });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', (code) => resolve({ code, out }));
        });
      const conform = await bash(step(plain.steps, 'conform').run!);
      expect(conform.code, conform.out.slice(-2000)).toBe(0);
      const exitCode = readFileSync(output, 'utf8').match(/^exit-code=(\d+)$/m)?.[1];
      expect(exitCode, conform.out.slice(-2000)).toBe('0');
      expect(conform.out).toMatch(/^::notice title=imagegen-contract conformance::.*every MUST check passed/m);
      const dir = join(installed.dir, plain.env!.IMAGEGEN_REPORT_DIR!);
      expect(readFileSync(join(dir, 'conformance.xml'), 'utf8')).toMatch(/<testsuites [^>]*failures="0"/);
      expect(readFileSync(join(dir, 'conformance.html'), 'utf8')).toMatch(/<div class="word">PASS<\/div>/);
      expect(JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')).exitCode).toBe(0);
      expect((await bash(step(plain.steps, 'verdict').run!, { IMAGEGEN_EXIT_CODE: exitCode! })).code).toBe(0);
      // A failing run fails the verdict step.
      expect((await bash(step(plain.steps, 'verdict').run!, { IMAGEGEN_EXIT_CODE: '1' })).code).toBe(1);
    } finally {
      mock.kill('SIGTERM');
    }
  });
});

function once(child: ChildProcess, event: 'exit'): Promise<unknown[]> {
  return child.exitCode !== null ? Promise.resolve([child.exitCode]) : new Promise((resolve) => child.once(event, (...args) => resolve(args)));
}

/** Waits for a line of the child's stdout matching `pattern` (fails with what it printed when it exits first). */
function firstMatch(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(pattern);
      if (m) {
        child.stdout!.off('data', onData);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing ${pattern}: ${out}`)));
  });
}
