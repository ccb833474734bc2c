// GET /models (free): OpenAI's list shape, the models under test listed, `modality=image` filtering.
import { findModel } from '../../contract/catalogue.js';
import { fail, pass } from '../assert.js';
import type { RunContext } from '../context.js';
import { describe, isObject, mediaType, parseJson } from '../exchange.js';
import type { Exchange } from '../http.js';
import type { CheckDef, Outcome } from '../types.js';
import { serves } from './applicability.js';

function listExchange(ctx: RunContext, query = ''): Promise<Exchange> {
  return ctx.memo(`models${query}`, () => ctx.send({ method: 'GET', url: `${ctx.operationUrl('listModels')}${query}`, label: `list models${query}` }));
}

const servesList = serves('listModels');

function listIds(ex: Exchange): string[] | undefined {
  const parsed = parseJson(ex);
  if (!parsed.ok || !isObject(parsed.value) || !Array.isArray(parsed.value.data)) return undefined;
  return parsed.value.data.map((m) => (isObject(m) && typeof m.id === 'string' ? m.id : '')).filter(Boolean);
}

function listReadable(ex: Exchange, expected: string): Outcome | undefined {
  if (ex.response?.status !== 200) return fail(expected, describe(ex), [ex]);
  if (!parseJson(ex).ok) return fail(expected, describe(ex), [ex]);
  return undefined;
}

export const modelsListChecks: CheckDef[] = [
  {
    id: 'models-list.schema',
    title: 'GET /models answers 200 application/json valid against ModelList',
    severity: 'MUST',
    rule: 'spec: listModels 200 ModelList',
    scope: 'run',
    uses: [],
    examplesOnly: true,
    appliesTo: servesList,
    async run(ctx) {
      const ex = await listExchange(ctx);
      const expected = '200 application/json, a valid ModelList';
      const bad = listReadable(ex, expected);
      if (bad) return bad;
      if (mediaType(ex) !== 'application/json') return fail(expected, `content-type ${mediaType(ex) || '(none)'}`, [ex]);
      const problems = ctx.validator.problems('ModelList', (parseJson(ex) as { value: unknown }).value);
      if (problems.length) return fail(expected, problems.slice(0, 4).map((p) => `${p.path} ${p.message}`).join('; '), [ex]);
      return pass(`${listIds(ex)?.length ?? 0} model(s)`, ex);
    },
  },
  {
    id: 'models-list.includes-targets',
    title: 'The models under test are listed (by id or catalogue alias)',
    severity: 'SHOULD',
    rule: 'spec: listModels ("the models the key can use")',
    scope: 'run',
    uses: [],
    appliesTo: servesList,
    async run(ctx) {
      const ex = await listExchange(ctx);
      const expected = `the list names ${ctx.targets.map((t) => t.name).join(', ')}`;
      const bad = listReadable(ex, expected);
      if (bad) return bad;
      const ids = listIds(ex) ?? [];
      const listed = new Set(ids.flatMap((id) => [id, findModel(id)?.id].filter((x): x is string => Boolean(x))));
      const missing = ctx.targets.filter((t) => !listed.has(t.name) && !(t.model && listed.has(t.model.id)));
      if (missing.length) return fail(expected, `missing: ${missing.map((t) => t.name).join(', ')} (listed: ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', …' : ''})`, [ex]);
      return pass(`all ${ctx.targets.length} listed`, ex);
    },
  },
  {
    id: 'models-list.modality-filter',
    title: '`?modality=image` lists image models only',
    severity: 'SHOULD',
    rule: 'spec: listModels parameter modality (ref 000)',
    examplesOnly: true,
    scope: 'run',
    uses: [],
    appliesTo: servesList,
    async run(ctx) {
      const ex = await listExchange(ctx, '?modality=image');
      const expected = '200 ModelList whose entries are image models';
      const bad = listReadable(ex, expected);
      if (bad) return bad;
      const body = (parseJson(ex) as { value: { data?: unknown[] } }).value;
      const problems = ctx.validator.problems('ModelList', body);
      if (problems.length) return fail(expected, problems.slice(0, 3).map((p) => `${p.path} ${p.message}`).join('; '), [ex]);
      const entries = (body.data ?? []) as Array<{ id: string; modality?: string }>;
      const others = entries.filter((m) => m.modality !== undefined && m.modality !== 'image');
      if (others.length) return fail(expected, `non-image entries: ${others.slice(0, 6).map((m) => `${m.id} (${m.modality})`).join(', ')}`, [ex]);
      return pass(`${entries.length} image model(s)`, ex);
    },
  },
];
