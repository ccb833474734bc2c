// Gateway profiles: the built-in ones (generated/profiles.json, from openapi/profiles/*.yaml) or a
// user's own YAML/JSON file, validated against openapi/profiles/profile.schema.json.
import { readFileSync, existsSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { readGeneratedJson, readOpenapiFile } from './files.js';
import { allModels, findModel, type Model, type OperationId } from './catalogue.js';

export type ProfileOperation = OperationId | 'listModels' | 'getMedia';

export interface Profile {
  name: string;
  description: string;
  operations: ProfileOperation[];
  openaiPrefix?: string;
  errorEnvelope: 'openai';
  nativeEnvelope?: boolean;
  modelRequired: boolean;
  defaultModel: Partial<Record<OperationId, string | null>>;
  models: '*' | string[];
  extras: { perf: boolean; metadata: boolean };
  progressEvents: boolean;
  urlTtlSeconds?: number;
  source: string[];
}

export class ProfileError extends Error {}

let builtIn: Record<string, Profile> | undefined;

export function builtInProfiles(): Record<string, Profile> {
  builtIn ??= readGeneratedJson<Record<string, Profile>>('profiles.json');
  return builtIn;
}

/** A built-in profile by name, or a profile file (YAML or JSON) by path. */
export function loadProfile(nameOrFile: string): Profile {
  const known = builtInProfiles()[nameOrFile];
  if (known) return known;
  if (!existsSync(nameOrFile))
    throw new ProfileError(`unknown profile '${nameOrFile}': use one of ${Object.keys(builtInProfiles()).join(', ')} or a profile file path`);
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(nameOrFile, 'utf8'), { merge: true });
  } catch (e) {
    throw new ProfileError(`profile file ${nameOrFile} is not YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc && typeof doc === 'object') delete (doc as Record<string, unknown>).$schema;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(readOpenapiFile('profiles/profile.schema.json')));
  if (!validate(doc)) {
    const first = validate.errors?.[0];
    throw new ProfileError(`profile file ${nameOrFile} is invalid: ${first?.instancePath || '/'} ${first?.message}`);
  }
  const profile = doc as Profile;
  if (profile.models !== '*') {
    const unknown = profile.models.filter((m) => !findModel(m));
    if (unknown.length) throw new ProfileError(`profile file ${nameOrFile} names models the catalogue does not know: ${unknown.join(', ')}`);
  }
  return profile;
}

export function servesOperation(profile: Profile, operation: ProfileOperation): boolean {
  return profile.operations.includes(operation);
}

/** The catalogue models a profile serves. */
export function profileModels(profile: Profile): Model[] {
  if (profile.models === '*') return allModels();
  return profile.models.map((id) => findModel(id)).filter((m): m is Model => m !== undefined);
}

/** Resolves a requested model name within a profile: undefined when the gateway does not serve it. */
export function profileModel(profile: Profile, name: string): Model | undefined {
  const model = findModel(name);
  if (!model) return undefined;
  if (profile.models === '*') return model;
  return profile.models.some((id) => findModel(id)?.id === model.id) ? model : undefined;
}
