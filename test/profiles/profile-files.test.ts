// Profile and catalogue files as users write them: the examples of docs/profiles.md load, and a bad
// file is one line naming the file and the field (through the conform CLI: exit 2).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { extendCatalogue, findModel } from '../../src/contract/catalogue.js';
import { builtInProfiles, loadProfile, ProfileError } from '../../src/contract/profiles.js';
import { useCatalogueFile } from '../../src/contract/user-catalogue.js';
import { runConformance } from '../../src/conformance/index.js';
import { startMock } from '../../src/mock/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'profile-files-'));
const KEY = 'sk-profile-files-0123456789';
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => extendCatalogue({}));

/** The YAML code block of docs/profiles.md whose first line is `# name`. */
function docBlock(name: string): string {
  const doc = readFileSync(join(root, 'docs/profiles.md'), 'utf8');
  const block = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(`# ${name}\n`));
  if (!block) throw new Error(`docs/profiles.md has no yaml block starting '# ${name}'`);
  return block;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'conform', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the built-in profiles', () => {
  it('are the six reference dialects plus the generic one, each with the defaults filled in', () => {
    const names = Object.keys(builtInProfiles()).sort();
    expect(names).toEqual(['dalle-only', 'openai', 'openai-compatible', 'perf-block', 'provider-slugs', 'scaigrid', 'socket-progress']);
    for (const p of Object.values(builtInProfiles())) {
      expect(p.params, p.name).toBeDefined();
      expect(['bare', 'slug', 'both']).toContain(p.modelIds);
    }
    expect(builtInProfiles()['perf-block']).toMatchObject({ modelRequired: false, defaultModel: { createImage: 'dall-e-3' }, extras: { perf: true } });
    expect(builtInProfiles()['dalle-only']).toMatchObject({ modelRequired: false, defaultModel: { createImage: 'dall-e-2' }, models: ['dall-e-2', 'dall-e-3'] });
    expect(builtInProfiles()['provider-slugs']).toMatchObject({ errorEnvelope: 'openai-without-param', modelRequired: true, modelIds: 'both' });
    expect(builtInProfiles()['socket-progress']!.progressEvents).toEqual({ models: ['stable-diffusion-xl-1024-v1-0'] });
    expect(builtInProfiles()['openai-compatible']!.modelRequired).toBe('either');
  });

  it('docs/profiles.md shows an example conform command for each of them', () => {
    const doc = readFileSync(join(root, 'docs/profiles.md'), 'utf8');
    for (const name of Object.keys(builtInProfiles()).filter((n) => n !== 'openai-compatible')) expect(doc, name).toMatch(new RegExp(`conform [^\\n]*--profile ${name}\\b`));
  });
});

describe('profile files', () => {
  it('need only name, operations and models; source is optional', () => {
    const p = loadProfile(file('minimal.yaml', 'name: minimal\noperations: [createImage]\nmodels: [dall-e-3]\n'));
    expect(p).toMatchObject({ errorEnvelope: 'openai', modelRequired: false, modelIds: 'bare', extras: { perf: false, metadata: false }, progressEvents: false, params: {} });
    expect(p.source).toBeUndefined();
  });

  it.each([
    ['errorEnvelope: xml\n', /profile file .*bad-\d\.yaml is invalid: errorEnvelope: must be equal to one of the allowed values: "openai", "openai-without-param"/],
    ['extras: { perf: yes-please }\n', /is invalid: extras\.perf: /],
    ['colour: blue\n', /is invalid: \(top level\): must NOT have additional properties 'colour'/],
    ['progressEvents: { models: [] }\n', /is invalid: progressEvents\.models: must NOT have fewer than 1 items/],
  ])('a bad field is one line naming it (%s)', (extra, message) => {
    const n = (extra.length % 7) + 1;
    const path = file(`bad-${n}.yaml`, `name: bad\noperations: [createImage]\nmodels: [dall-e-3]\n${extra}`);
    let error: unknown;
    try {
      loadProfile(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('a model only a user catalogue knows is an error naming the field, and loads once the catalogue is given', () => {
    const profile = file('acme.yaml', docBlock('acme.yaml'));
    expect(() => loadProfile(profile)).toThrow(/is invalid: models: names 'acme-diffusion-2', which the catalogue does not know \(add it with --catalogue FILE\)/);
    expect(useCatalogueFile(file('acme-models.yaml', docBlock('acme-models.yaml')))).toEqual(['acme-diffusion-2']);
    expect(findModel('acme/acme-diffusion-2')?.id).toBe('acme-diffusion-2');
    expect(loadProfile(profile).defaultModel.createImage).toBe('acme-diffusion-2');
  });

  it('a catalogue file is validated by models.schema.json, one line naming the field', () => {
    const bad = file('bad-models.yaml', docBlock('acme-models.yaml').replace('max: 4', 'max: lots'));
    expect(() => useCatalogueFile(bad)).toThrow(/^catalogue file .*bad-models\.yaml is invalid: models\.acme-diffusion-2\.n\.max: must be integer$/);
    const clash = file('clash.yaml', docBlock('acme-models.yaml').replace('aliases: [acme/acme-diffusion-2]', 'aliases: [openai/dall-e-3]'));
    expect(() => useCatalogueFile(clash)).toThrow(/'openai\/dall-e-3' names two models/);
    expect(findModel('acme-diffusion-2')).toBeUndefined();
  });

  it('the CLI answers a bad profile or catalogue with one line and exit 2', async () => {
    const badProfile = await cli(['--base-url', 'http://127.0.0.1:9/v1', '--profile', file('cli-bad.yaml', 'name: x\noperations: [fly]\nmodels: "*"\n')]);
    expect(badProfile.code).toBe(2);
    expect(badProfile.stderr.trim().split('\n')).toHaveLength(1);
    expect(badProfile.stderr).toMatch(/profile file .*cli-bad\.yaml is invalid: operations\.0: must be equal to one of the allowed values/);
    const badCatalogue = await cli(['--base-url', 'http://127.0.0.1:9/v1', '--catalogue', join(dir, 'missing.yaml')]);
    expect(badCatalogue.code).toBe(2);
    expect(badCatalogue.stderr).toMatch(/^imagegen-contract: catalogue file .*missing\.yaml does not exist\n$/);
    const badTrigger = await cli(['--base-url', 'http://127.0.0.1:9/v1', '--trigger', 'weather=rain']);
    expect(badTrigger.code).toBe(2);
    expect(badTrigger.stderr).toMatch(/--trigger must be KIND=TRIGGER with KIND one of content-policy, budget, quota/);
  });

  it("the docs' own gateway profile and catalogue drive the mock and the suite: the user model is tested by its own rules", async () => {
    useCatalogueFile(file('acme-models-2.yaml', docBlock('acme-models.yaml')));
    const profile = loadProfile(file('acme-2.yaml', docBlock('acme.yaml')));
    const mock = await startMock({ port: 0, profile, apiKeys: [KEY] });
    try {
      const report = await runConformance({ baseUrl: mock.url, apiKey: KEY, profile, models: ['acme-diffusion-2'], only: ['model-rules', 'perf'], maxImages: 30, timeoutMs: 10_000 });
      const bad = report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.key}: ${r.observed ?? r.reason}`);
      expect(bad).toEqual([]);
      const keys = report.results.filter((r) => r.status === 'pass').map((r) => r.key);
      expect(keys).toEqual(expect.arrayContaining(['model-rules.n-over-max[acme-diffusion-2]', 'model-rules.custom-size-accepted[acme-diffusion-2]', 'perf.model-used[acme-diffusion-2]', 'model-rules.model-omitted']));
      expect(report.results.find((r) => r.key === 'model-rules.n-over-max[acme-diffusion-2]')?.observed).toContain('400');
    } finally {
      await mock.close();
    }
  });
});
