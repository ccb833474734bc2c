// Builds the package from the current sources into a staging folder (never touching the working
// copy's dist/), packs it with `npm pack` as a publisher would, and installs the tarball into an
// empty consumer folder with npm: what a user gets from the registry.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export interface PackageJson {
  name: string;
  version: string;
  files: string[];
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  /** Optional peers (msw for `./msw`): a consumer who uses that export installs them. */
  peerDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
}

export const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

/** `tsc -p tsconfig.build.json` into `<staging>/dist`, beside copies of what `files` lists (dist excepted). */
export async function buildStaging(dir: string): Promise<string> {
  const staging = join(dir, 'staging');
  mkdirSync(staging, { recursive: true });
  cpSync(join(root, 'package.json'), join(staging, 'package.json'));
  // npm packs README and LICENSE whatever `files` says.
  for (const entry of new Set([...packageJson.files, 'README.md', 'LICENSE'])) {
    if (entry === 'dist') continue;
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(staging, entry), { recursive: true });
  }
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(staging, 'dist')], { cwd: root });
  return staging;
}

export interface Installed {
  dir: string;
  staging: string;
  tarball: string;
  /** The installed package: <consumer>/node_modules/imagegen-contract. */
  packageDir: string;
  bin: string;
  cleanup(): void;
}

export async function packAndInstall(): Promise<Installed> {
  const dir = mkdtempSync(join(tmpdir(), 'imagegen-pack-'));
  const staging = await buildStaging(dir);
  const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  // --ignore-scripts: `prepare` would rebuild; the staging folder is already built from the sources.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: staging, env: npmEnv });
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  const tarball = join(dir, info!.filename);
  const consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  // What `npm init -y` writes: a CommonJS package.
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  // Optional peers too (at the version the project tests with), as a consumer of every export would.
  const peers = Object.keys(packageJson.peerDependencies ?? {}).map((p) => `${p}@${packageJson.devDependencies[p] ?? packageJson.peerDependencies![p]}`);
  await run('npm', ['install', tarball, ...peers, '--prefer-offline', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], { cwd: consumer, env: npmEnv, maxBuffer: 16 * 1024 * 1024 });
  return {
    dir: consumer,
    staging,
    tarball,
    packageDir: join(consumer, 'node_modules', packageJson.name),
    bin: join(consumer, 'node_modules', '.bin', Object.keys(packageJson.bin)[0]!),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
