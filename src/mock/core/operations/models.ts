// GET /models (listModels): the profile's models in OpenAI's list shape; `?modality=` filters
// (ref 000). The catalogue holds image models only. Bodies are serialised once per modality.
import { findModel } from '../../../contract/catalogue.js';
import { quoteList } from '../../../contract/errors.js';
import { profileModels } from '../../../contract/profiles.js';
import { deref, spec, type JsonObject } from '../../../contract/spec.js';
import type { RequestContext } from '../request-context.js';
import { error, json } from '../answer/respond.js';
import type { MockState } from '../state.js';
import { show } from '../wording.js';

/** What every catalogue model produces (the Modality vocabulary's `image`). */
const CATALOGUE_MODALITY = 'image';
// Stable plausible creation times (the catalogue has none): 2023-01-01 plus a hash of the id.
const EPOCH_2023 = 1672531200;

function createdOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return EPOCH_2023 + ((h >>> 0) % (3 * 365 * 86400));
}

const bodies = new WeakMap<MockState, Map<string, unknown>>();

function listFor(state: MockState, modality: string | undefined): unknown {
  let cache = bodies.get(state);
  if (!cache) bodies.set(state, (cache = new Map()));
  const key = modality ?? '';
  let body = cache.get(key);
  if (!body) {
    // Listed under the names the profile uses (ScaiGrid lists slugs, OpenAI ids).
    const names = state.profile.models === '*' ? profileModels(state.profile).map((m) => m.id) : state.profile.models;
    const data =
      modality !== undefined && modality !== CATALOGUE_MODALITY
        ? []
        : names.flatMap((id) => {
            const model = findModel(id);
            return model ? [{ id, object: 'model', created: createdOf(id), owned_by: model.provider, modality: CATALOGUE_MODALITY }] : [];
          });
    body = { object: 'list', data };
    cache.set(key, body);
  }
  return body;
}

export function listModels(state: MockState, ctx: RequestContext): Response {
  const params = new URLSearchParams(ctx.query);
  const modality = params.get('modality') ?? undefined;
  if (modality !== undefined) {
    const values = (deref<JsonObject>(spec().components.schemas.Modality).enum ?? []) as string[];
    if (!values.includes(modality)) return error(ctx, 'invalid_value', { param: 'modality', value: show(modality), allowed: quoteList(values) });
  }
  return json(ctx, 200, listFor(state, modality));
}
