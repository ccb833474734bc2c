// Which catalogue model serves a request: the one named (within the profile's models; others are
// unknown), or the profile's default for the operation. Like OpenAI, a generation without `model`
// that uses a parameter only GPT image models take goes to the profile's first GPT image model.
import { isSupported, supportsOperation, type Model, type ModelParams, type OperationId, type ParamName } from '../../../contract/catalogue.js';
import { profileModel, profileModels, type Profile } from '../../../contract/profiles.js';
import type { KindAndVars } from './schema-problems.js';
import { show } from '../wording.js';

export type ModelChoice = { ok: true; model: Model } | ({ ok: false } & KindAndVars);

/** Whether a model's catalogue entry for `param` accepts `value`. */
export function paramAccepts(params: ModelParams, param: ParamName, value: unknown): boolean {
  const entry = Object.hasOwn(params, param) ? params[param] : undefined; // `constructor` is no parameter
  if (!entry || !isSupported(entry)) return false;
  if ('values' in entry) return entry.values.includes(value as string);
  if ('min' in entry) return typeof value === 'number' && value >= entry.min && value <= entry.max;
  return true;
}

function gptOnlyParamUsed(body: Record<string, unknown>, fallback: Model, gpt: Model): boolean {
  for (const [name, value] of Object.entries(body)) {
    // `stream: false` asks for nothing a GPT image model alone offers.
    if (!Object.hasOwn(gpt.params, name) || value === undefined || value === false) continue;
    const param = name as ParamName;
    if (!paramAccepts(fallback.params, param, value) && paramAccepts(gpt.params, param, value)) return true;
  }
  return false;
}

export function selectModel(profile: Profile, operation: OperationId, body: Record<string, unknown>): ModelChoice {
  const requested = body.model;
  if (typeof requested === 'string') {
    const model = profileModel(profile, requested);
    return model ? { ok: true, model } : { ok: false, kind: 'model_not_found', vars: { param: 'model', model: show(requested, 256) } };
  }
  if (profile.modelRequired) return { ok: false, kind: 'missing_required_parameter', vars: { param: 'model' } };
  const served = profileModels(profile).filter((m) => supportsOperation(m, operation));
  const named = profile.defaultModel[operation];
  const fallback = (named ? profileModel(profile, named) : undefined) ?? served[0];
  if (!fallback) return { ok: false, kind: 'missing_required_parameter', vars: { param: 'model' } };
  if (operation === 'createImage' && fallback.family !== 'gpt-image') {
    const gpt = served.find((m) => m.family === 'gpt-image');
    if (gpt && gptOnlyParamUsed(body, fallback, gpt)) return { ok: true, model: gpt };
  }
  return { ok: true, model: fallback };
}
