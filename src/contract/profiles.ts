// Gateway profiles: the built-in ones (generated/profiles.json, from openapi/profiles/*.yaml) or a
// user's own YAML/JSON file, validated against openapi/profiles/profile.schema.json. Loading fills
// every optional field with the schema's default, so readers never see a missing field.
import { existsSync } from 'node:fs';
import { readGeneratedJson } from './files.js';
import { ConfigFileError, readConfigFile } from './config-file.js';
import { allModels, findModel, type Model, type OperationId } from './catalogue.js';

export type ProfileOperation = OperationId | 'listModels' | 'getMedia';
export type ErrorEnvelope = 'openai' | 'openai-without-param';
export type PerfField = 'request_id' | 'model_used' | 'size' | 'quality' | 'cost_usd' | 'latency_ms';
export const PERF_FIELDS: readonly PerfField[] = ['request_id', 'model_used', 'size', 'quality', 'cost_usd', 'latency_ms'];

export interface Profile {
  name: string;
  description: string;
  operations: ProfileOperation[];
  openaiPrefix?: string;
  errorEnvelope: ErrorEnvelope;
  nativeEnvelope?: boolean;
  modelRequired: boolean | 'either';
  defaultModel: Partial<Record<OperationId, string | null>>;
  models: '*' | string[];
  modelIds: 'bare' | 'slug' | 'both';
  extras: { perf: boolean | PerfField[]; metadata: boolean | 'accepted' | 'echoed' };
  progressEvents: boolean | { models?: string[]; providers?: string[] };
  params: { quality?: string[]; style?: string[]; moderation?: string[]; user?: boolean; stream?: boolean };
  urlTtlSeconds?: number;
  strict?: boolean;
  source?: string[];
}

/** A bad profile file or name (one line, naming the field). */
export class ProfileError extends ConfigFileError {}

/** The profile with the schema's defaults filled in. */
export function normaliseProfile(doc: Partial<Profile> & Pick<Profile, 'name' | 'operations' | 'models'>): Profile {
  return {
    description: '',
    errorEnvelope: 'openai',
    modelRequired: false,
    defaultModel: {},
    modelIds: 'bare',
    progressEvents: false,
    params: {},
    ...doc,
    extras: { perf: false, metadata: false, ...doc.extras },
  };
}

let builtIn: Record<string, Profile> | undefined;

export function builtInProfiles(): Record<string, Profile> {
  builtIn ??= Object.fromEntries(Object.entries(readGeneratedJson<Record<string, Profile>>('profiles.json')).map(([k, p]) => [k, normaliseProfile(p)]));
  return builtIn;
}

/** A built-in profile by name, or a profile file (YAML or JSON) by path. */
export function loadProfile(nameOrFile: string): Profile {
  const known = builtInProfiles()[nameOrFile];
  if (known) return known;
  if (!existsSync(nameOrFile))
    throw new ProfileError(`unknown profile '${nameOrFile}': use one of ${Object.keys(builtInProfiles()).join(', ')} or a profile file path`);
  let doc: Record<string, unknown>;
  try {
    doc = readConfigFile(nameOrFile, 'profiles/profile.schema.json', 'profile');
  } catch (e) {
    throw new ProfileError((e as Error).message);
  }
  const profile = normaliseProfile(doc as unknown as Profile);
  const named = [
    ...(profile.models === '*' ? [] : profile.models.map((m) => ['models', m] as const)),
    ...Object.entries(profile.defaultModel).flatMap(([op, m]) => (m ? [[`defaultModel.${op}`, m] as const] : [])),
  ];
  const unknown = named.filter(([, m]) => !findModel(m));
  if (unknown.length)
    throw new ProfileError(
      `profile file ${nameOrFile} is invalid: ${unknown[0]![0]}: names ${[...new Set(unknown.map(([, m]) => `'${m}'`))].join(', ')}, which the catalogue does not know (add it with --catalogue FILE)`,
    );
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

/** The provider/model slug of a model: its first alias of the form `provider/…`. */
export function slugOf(model: Model): string | undefined {
  return model.aliases.find((a) => a.includes('/'));
}

/** The name the suite sends for a model under a profile: the slug where the gateway takes only slugs. */
export function wireName(profile: Profile, model: Model): string {
  return profile.modelIds === 'slug' ? (slugOf(model) ?? model.id) : model.id;
}

/** Whether a model emits Socket.IO progress events under the profile. */
export function emitsProgress(profile: Profile, model: Model | undefined): boolean {
  const p = profile.progressEvents;
  if (typeof p === 'boolean') return p;
  if (!model) return false;
  return Boolean(p.models?.some((m) => findModel(m)?.id === model.id) || p.providers?.includes(model.provider));
}

/** Whether any model of the profile emits progress events (the listener is needed). */
export function hasProgress(profile: Profile): boolean {
  return profile.progressEvents !== false;
}

/** The perf fields a profile promises (none without the perf block). */
export function perfFields(profile: Profile): readonly PerfField[] {
  const p = profile.extras.perf;
  return p === true ? PERF_FIELDS : p === false ? [] : p;
}

/** How the profile treats request metadata: not sent, accepted, or accepted and echoed. */
export function metadataMode(profile: Profile): 'none' | 'accepted' | 'echoed' {
  const m = profile.extras.metadata;
  return m === false ? 'none' : m === 'accepted' ? 'accepted' : 'echoed';
}
