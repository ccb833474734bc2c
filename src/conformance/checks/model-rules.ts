// Per-model rules of the catalogue (openapi/models.yaml) for each model under test: n limits, sizes,
// custom sizes, prompt length in characters, accepted and rejected values, defaults.
import { createHash } from 'node:crypto';
import { allModels, sizeProblem, type EnumParam, type Model, type ParamName } from '../../contract/catalogue.js';
import { requestParamEnum } from '../../contract/spec.js';
import { body, fail, generationFailure, invalidBody, judgeBody, judgeClientError, judgeErrorFidelity, pass, skip } from '../assert.js';
import { perfFields } from '../../contract/profiles.js';
import type { RunContext } from '../context.js';
import { describe } from '../exchange.js';
import { cheapQuality, cjkPrompt, customSize, enumParam, foreignSize, generationFields, PROMPT, rangeParam, sampleValue } from '../generations.js';
import type { Exchange } from '../http.js';
import type { CheckDef, Outcome, Target } from '../types.js';
import { allOf, inCatalogue, servesCreateImage } from './applicability.js';
import { generationCheck } from './generation-check.js';
import { errorChecks, type ErrorCase } from './error-checks.js';
import { decodedProblem, dimensionProblem, formatProblem, judgeSizes, overItems, sourceProblem } from './images.js';

const catalogued = allOf(servesCreateImage, inCatalogue, (_ctx, t) =>
  t.model!.operations.includes('createImage') ? true : `catalogue: ${t.model!.id} does not support createImage`,
);

/** A cheap valid request for the model with `extra` fields (free checks expect a 400 for it). */
function invalid(ctx: RunContext, t: Target, extra: Record<string, unknown>, label: string): Promise<Exchange> {
  const m = t.model!;
  const fields: Record<string, unknown> = { model: t.name, prompt: PROMPT, n: 1 };
  const q = cheapQuality(m);
  if (q) fields.quality = q;
  const key = createHash('sha256').update(JSON.stringify(extra)).digest('hex');
  return ctx.memo(`rules:${t.name}:${key}`, () =>
    ctx.send({ method: 'POST', url: ctx.operationUrl('createImage'), body: { kind: 'json', value: { ...fields, ...extra } }, label }),
  );
}

/** A 400 case for an invalid request with the error kind (and param) the catalogue names. */
function case400(ex: Exchange, e: { kind: string; param?: string | null }, what: string): ErrorCase {
  return { ex, exp: { statuses: [400], kind: e.kind, ...(e.param !== undefined ? { param: e.param } : {}), what } };
}

/** The error kind and param the catalogue names for a rule, or the default kind with `param`. */
function errorFor(override: { kind: string; param?: string | null } | undefined, defaultKind: string, param: string | null): { kind: string; param: string | null } {
  if (!override) return { kind: defaultKind, param };
  return { kind: override.kind, param: 'param' in override ? (override.param ?? null) : param };
}

/** Whether a served-model name (perf.model_used) names the catalogue model: its id, an alias, or `provider/id`. */
export function namesModel(name: string, m: Model): boolean {
  return name === m.id || m.aliases.includes(name) || name.endsWith(`/${m.id}`);
}

function sizeEcho(gen: { exchange: Exchange }, want: string): string | undefined {
  const b = body(gen as never);
  return typeof b.size === 'string' && b.size !== want ? `size echoes '${b.size}'` : undefined;
}

export const modelRuleChecks: CheckDef[] = [
  generationCheck('n-max', {
    id: 'model-rules.n-max',
    title: 'n = the model maximum is accepted with that many images',
    severity: 'MUST',
    rule: 'catalogue n.max; facts §1.3',
    appliesTo: catalogued,
    judge(_ctx, gen, t) {
      const n = t.model!.n.max;
      const expected = `200 with ${n} image(s)`;
      return judgeBody(gen, expected, ({ data }) => {
        if (!Array.isArray(data) || data.length !== n) return fail(expected, `${Array.isArray(data) ? data.length : 'no'} image(s)`, [gen.exchange]);
        return pass(`${n} image(s)`, gen.exchange);
      });
    },
  }),
  ...errorChecks({
    id: 'model-rules.n-over-max',
    title: 'n = maximum + 1 is a 400, not clamped',
    severity: 'MUST',
    rule: 'catalogue n.max (+ n.error); facts §6.8 (dall-e-3 n: 2)',
    scope: 'model',
    appliesTo: catalogued,
    async cases(ctx, t) {
      const m = t.model!;
      const n = m.n.max + 1;
      const ex = await invalid(ctx, t, { n }, `n: ${n}`);
      return [case400(ex, errorFor(m.n.error, 'integer_out_of_range', 'n'), `n: ${n} (max ${m.n.max})`)];
    },
  }),
  generationCheck('size-alt', {
    id: 'model-rules.size-allowed',
    title: 'An allowed non-default size gives images of that size',
    severity: 'MUST',
    rule: 'catalogue size.values',
    appliesTo: catalogued,
    async judge(ctx, gen) {
      const want = gen.request.expect.size!;
      const echo = generationFailure(gen, '') ? undefined : sizeEcho(gen, want);
      const out = await judgeSizes(ctx, gen, `${want} images (size: ${String(gen.request.fields.size)})`, want);
      return echo && out.status === 'pass' ? fail(`size echo ${want}`, echo, out.exchanges) : out;
    },
  }),
  ...errorChecks({
    id: 'model-rules.size-foreign-rejected',
    title: 'A size only other models allow is a 400',
    severity: 'MUST',
    rule: 'catalogue size.values (+ size.error); facts §6.8 (dall-e-2 1792x1024, gpt-image 512x512)',
    scope: 'model',
    appliesTo: allOf(catalogued, (_ctx, t) => (foreignSize(t.model!, allModels()) ? true : `every size of the other models is valid for ${t.model!.id}`)),
    async cases(ctx, t) {
      const m = t.model!;
      const size = foreignSize(m, allModels())!;
      const ex = await invalid(ctx, t, { size }, `size: ${size}`);
      return [case400(ex, errorFor(m.size.error, 'invalid_value', 'size'), `size ${size} (${sizeProblem(m, size)})`)];
    },
  }),
  generationCheck('custom-size', {
    id: 'model-rules.custom-size-accepted',
    title: 'A valid custom size is accepted and honoured (models with custom sizes)',
    severity: 'MUST',
    rule: 'catalogue size.custom; facts §1.3 (gpt-image-2 sizes)',
    appliesTo: catalogued,
    judge(ctx, gen) {
      const want = gen.request.expect.size!;
      return judgeSizes(ctx, gen, `${want} images`, want);
    },
  }),
  ...errorChecks({
    id: 'model-rules.custom-size-invalid-rejected',
    title: 'A custom size breaking the rules (not a multiple) is a 400',
    severity: 'MUST',
    rule: 'catalogue size.custom.multipleOf (+ size.error)',
    scope: 'model',
    appliesTo: allOf(catalogued, (_ctx, t) => (t.model!.size.custom && invalidCustomSize(t.model!) ? true : `catalogue: ${t.model!.id} takes no custom sizes`)),
    async cases(ctx, t) {
      const m = t.model!;
      const size = invalidCustomSize(m)!;
      const ex = await invalid(ctx, t, { size }, `size: ${size}`);
      return [case400(ex, errorFor(m.size.error, 'invalid_value', 'size'), `size ${size} (${sizeProblem(m, size)})`)];
    },
  }),
  generationCheck('prompt-max', {
    id: 'model-rules.prompt-max-accepted',
    title: 'A CJK prompt of exactly the limit in characters is accepted (limits count characters, not bytes)',
    severity: 'MUST',
    rule: 'catalogue prompt.maxChars; facts §6.10',
    appliesTo: catalogued,
    judge(_ctx, gen, t) {
      const chars = t.model!.prompt.maxChars;
      const expected = `200 for a ${chars}-character CJK prompt (${Buffer.byteLength(cjkPrompt(chars))} UTF-8 bytes)`;
      return generationFailure(gen, expected) ?? pass(`200 for ${chars} characters`, gen.exchange);
    },
  }),
  ...errorChecks({
    id: 'model-rules.prompt-over-max',
    title: 'A prompt one character over the limit is a 400',
    severity: 'MUST',
    rule: 'catalogue prompt.maxChars (+ prompt.error); x-error prompt_too_long',
    scope: 'model',
    appliesTo: catalogued,
    async cases(ctx, t) {
      const m = t.model!;
      const chars = m.prompt.maxChars + 1;
      const ex = await invalid(ctx, t, { prompt: cjkPrompt(chars) }, `prompt of ${chars} characters`);
      return [case400(ex, errorFor(m.prompt.error, 'prompt_too_long', 'prompt'), `a ${chars}-character prompt`)];
    },
  }),
  ...errorChecks({
    id: 'model-rules.unsupported-params-rejected',
    title: 'Parameters the catalogue marks `unsupported: reject` are 400 (e.g. response_format on GPT image)',
    severity: 'MUST',
    rule: 'catalogue params.*.unsupported reject (+ error); facts §6.8, §5.16',
    scope: 'model',
    appliesTo: allOf(catalogued, (ctx, t) => (rejected(ctx, t.model!).length ? true : `catalogue: ${t.model!.id} rejects no parameter the profile's dialect has`)),
    async cases(ctx, t) {
      const cases: ErrorCase[] = [];
      for (const [name, p] of rejected(ctx, t.model!)) {
        const value = sampleValue(name);
        const ex = await invalid(ctx, t, { [name]: value }, `${name}: ${JSON.stringify(value)}`);
        cases.push(case400(ex, errorFor(p.error, 'unknown_parameter', name), `${name}: ${JSON.stringify(value)}`));
      }
      return cases;
    },
  }),
  ...errorChecks({
    id: 'model-rules.values-outside-catalogue-rejected',
    title: 'Values the spec knows but the model does not take (e.g. quality hd on GPT image) are 400',
    severity: 'MUST',
    rule: 'catalogue params.*.values (+ error)',
    scope: 'model',
    appliesTo: allOf(catalogued, (ctx, t) => (outsideValues(ctx, t.model!).length ? true : `catalogue: ${t.model!.id} takes every value the spec lists`)),
    async cases(ctx, t) {
      const cases: ErrorCase[] = [];
      for (const { name, value, param } of outsideValues(ctx, t.model!)) {
        const ex = await invalid(ctx, t, { [name]: value }, `${name}: ${value}`);
        cases.push(case400(ex, errorFor(param.error, 'invalid_value', name), `${name}: ${JSON.stringify(value)} (allowed: ${param.values.join(', ')})`));
      }
      return cases;
    },
  }),
  ...errorChecks({
    id: 'model-rules.range-params-rejected',
    title: 'output_compression and partial_images above their maximum are 400',
    severity: 'MUST',
    rule: 'catalogue params output_compression/partial_images; facts §6.8',
    scope: 'model',
    appliesTo: allOf(catalogued, (_ctx, t) => (rangeParams(t.model!).length ? true : `catalogue: ${t.model!.id} has no range parameters`)),
    async cases(ctx, t) {
      const cases: ErrorCase[] = [];
      for (const [name, p] of rangeParams(t.model!)) {
        const value = p.max + 1;
        const extra: Record<string, unknown> = { [name]: value };
        if (name === 'output_compression' && p.formats?.length) extra.output_format = p.formats[0];
        const ex = await invalid(ctx, t, extra, `${name}: ${value}`);
        cases.push(case400(ex, errorFor(p.error, 'integer_out_of_range', name), `${name}: ${value} (max ${p.max})`));
      }
      return cases;
    },
  }),
  ...errorChecks({
    id: 'model-rules.transparent-needs-alpha-format',
    title: '`background: transparent` with a format without alpha (jpeg) is a 400',
    severity: 'MUST',
    rule: 'catalogue params.background.transparentFormats; x-error transparent_needs_alpha_format; facts §6.8',
    scope: 'model',
    appliesTo: allOf(catalogued, (_ctx, t) => (opaqueFormat(t.model!) ? true : `catalogue: ${t.model!.id} has no transparent background or every format has alpha`)),
    async cases(ctx, t) {
      const format = opaqueFormat(t.model!)!;
      const ex = await invalid(ctx, t, { background: 'transparent', output_format: format }, `transparent ${format}`);
      return [case400(ex, { kind: 'transparent_needs_alpha_format' }, `background transparent with output_format ${format}`)];
    },
  }),
  generationCheck('values', {
    id: 'model-rules.catalogue-values-accepted',
    title: 'Documented non-default values are accepted: the model\'s style/moderation values, the gateway\'s own (moderation low), user and metadata where the profile takes them',
    severity: 'MUST',
    rule: 'catalogue params.*.values; profile params (moderation, user), extras.metadata; ref 001 (moderation auto|low, user), ref 004 (user), ref 000 (metadata); never a parameter the catalogue marks unsupported: ignore (mock behaviour, not a demand)',
    appliesTo: catalogued,
    judge(ctx, gen) {
      const sent = Object.entries(gen.request.fields)
        .filter(([k]) => !['model', 'prompt', 'n', 'size', 'quality', 'response_format'].includes(k))
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ');
      return invalidBody(gen, ctx.validator, 'ImagesResponse', `200 and a valid ImagesResponse for ${sent}`, 3) ?? pass(`200 for ${sent}`, gen.exchange);
    },
  }),
  generationCheck('defaults', {
    id: 'model-rules.default-size',
    title: "Without `size` the images have the default size's dimensions",
    severity: 'MUST',
    rule: 'catalogue size.default (+ resolves); facts §6.9',
    appliesTo: catalogued,
    judge(ctx, gen, t) {
      const want = t.model!.size.default;
      return judgeSizes(ctx, gen, `images of the default size ${want}`, want);
    },
  }),
  generationCheck('defaults', {
    id: 'model-rules.default-response-format',
    title: 'Without `response_format` the model answers in its default (url for dall-e, b64_json for GPT image)',
    severity: 'MUST',
    rule: 'catalogue params.response_format.default / output.url; facts §6.4',
    appliesTo: catalogued,
    judge(ctx, gen) {
      const want = gen.request.expect.responseFormat;
      return overItems(ctx, gen, `every item has ${want}`, (i) => sourceProblem(i, want));
    },
  }),
  generationCheck('defaults', {
    id: 'model-rules.default-output-format',
    title: 'Without `output_format` the images are the default format (png)',
    severity: 'MUST',
    rule: 'catalogue params.output_format.default; spec OutputFormat (default png)',
    appliesTo: allOf(catalogued, (_ctx, t) => (enumParam(t.model, 'output_format') ? true : `catalogue: ${t.model!.id} has no output_format`)),
    judge(ctx, gen) {
      const want = gen.request.expect.format;
      return overItems(ctx, gen, `${want} images`, (i) => formatProblem(i, want));
    },
  }),
  {
    id: 'model-rules.model-omitted',
    title: "Without `model`: the profile's default model answers (in a size only it allows, and named in perf.model_used where sent), or a 400 where the gateway requires a model",
    severity: 'MUST',
    rule: 'profile modelRequired / defaultModel; x-error missing_required_parameter; facts §6.9; ref 003 (default dall-e-3), ref 004 (default dall-e-2)',
    scope: 'run',
    uses: ['model-omitted'],
    appliesTo: () => true,
    async run(ctx) {
      const gen = await ctx.generation(ctx.primary, 'model-omitted');
      const required = ctx.profile.modelRequired;
      const asError = { statuses: [400], kind: 'missing_required_parameter', param: 'model', what: `no model (profile ${ctx.profile.name} requires one)` };
      if (required === true) return judgeClientError(gen.exchange, ctx, asError);
      const status = gen.exchange.response?.status;
      if (required === 'either' && status !== undefined && status >= 400 && status < 500) return judgeClientError(gen.exchange, ctx, { ...asError, what: 'no model (refused)' });
      const def = ctx.defaultModel('createImage');
      const expected = `200 from the default model ${def?.id ?? '(profile default)'}`;
      const failure = generationFailure(gen, expected);
      if (failure) return failure;
      if (!def) return pass(`200 (${describe(gen.exchange).slice(0, 80)})`, gen.exchange);
      const perf = body(gen).perf as Record<string, unknown> | undefined;
      if (perfFields(ctx.profile).includes('model_used') && perf && typeof perf.model_used === 'string' && !namesModel(perf.model_used, def))
        return fail(`${expected}: perf.model_used names ${def.id}`, `perf.model_used is ${JSON.stringify(perf.model_used)}`, [gen.exchange]);
      const want = gen.request.expect;
      return overItems(ctx, gen, `${expected}: ${want.responseFormat} items of ${want.size}`, (i) => {
        if (want.responseFormat !== 'any' && i.source !== want.responseFormat) return `has ${i.source} (${def.id} answers ${want.responseFormat})`;
        return want.size ? dimensionProblem(i, want.size, def) : decodedProblem(i);
      });
    },
  },
  {
    id: 'model-rules.model-omitted-fidelity',
    title: "Without `model` where the gateway requires one: OpenAI's code missing_required_parameter and param model",
    severity: 'SHOULD',
    tier: 'fidelity',
    rule: 'profile modelRequired; x-error missing_required_parameter (OpenAI fidelity)',
    scope: 'run',
    uses: ['model-omitted'],
    appliesTo: (ctx) => (ctx.profile.modelRequired === true ? true : `profile ${ctx.profile.name} does not require a model`),
    async run(ctx) {
      const gen = await ctx.generation(ctx.primary, 'model-omitted');
      const exp = { statuses: [400], kind: 'missing_required_parameter', param: 'model', what: 'no model' };
      if (judgeClientError(gen.exchange, ctx, exp).status !== 'pass') return skip('fidelity needs an answer that passes model-rules.model-omitted');
      return judgeErrorFidelity(gen.exchange, ctx, exp);
    },
  },
];

/**
 * Parameters of a generation request the catalogue says the model rejects - among those the profile's
 * dialect has (a gateway documenting no streaming may ignore `stream`; only OpenAI's refusal is known).
 */
function rejected(ctx: RunContext, m: Model): Array<[ParamName, { unsupported: 'reject'; error?: { kind: string; param?: string | null } }]> {
  const fields = generationFields().filter((f) => ctx.profile.params.stream !== false || (f !== 'stream' && f !== 'partial_images'));
  return (Object.entries(m.params) as Array<[ParamName, unknown]>).filter(
    (e): e is [ParamName, { unsupported: 'reject'; error?: { kind: string; param?: string | null } }] =>
      fields.includes(e[0]) && typeof e[1] === 'object' && e[1] !== null && (e[1] as { unsupported?: string }).unsupported === 'reject',
  );
}

/**
 * For each generation field the spec types as an enum: a value the spec lists that the model does not
 * take - and, where the profile has its own vocabulary for the field, that the gateway does not list
 * either (a gateway documenting `quality: standard | hd` may let dall-e-2 take hd).
 */
function outsideValues(ctx: RunContext, m: Model): Array<{ name: ParamName; value: string; param: EnumParam }> {
  const out: Array<{ name: ParamName; value: string; param: EnumParam }> = [];
  for (const field of generationFields()) {
    const name = field as ParamName;
    const all = requestParamEnum(name);
    const p = enumParam(m, name);
    if (!all || !p) continue;
    const vocabulary = (ctx.profile.params as Record<string, unknown>)[name];
    const gatewayTakes = (v: string) => Array.isArray(vocabulary) && vocabulary.includes(v);
    const value = all.find((v) => !p.values.includes(v) && !gatewayTakes(v));
    if (value) out.push({ name, value, param: p });
  }
  return out;
}

/** A custom size one step off the model's multiple (invalid), or undefined. */
function invalidCustomSize(m: Model): string | undefined {
  const valid = customSize(m);
  if (!m.size.custom || !valid) return undefined;
  const [w, h] = valid.split('x').map(Number) as [number, number];
  const size = `${w + Math.max(1, Math.floor(m.size.custom.multipleOf / 2))}x${h}`;
  return sizeProblem(m, size) ? size : undefined;
}

function rangeParams(m: Model) {
  return (['output_compression', 'partial_images'] as const)
    .map((name) => [name, rangeParam(m, name)] as const)
    .filter((e): e is readonly [typeof e[0], NonNullable<(typeof e)[1]>] => e[1] !== undefined);
}

function opaqueFormat(m: Model): string | undefined {
  const bg = enumParam(m, 'background');
  const fmt = enumParam(m, 'output_format');
  if (!bg?.values.includes('transparent') || !fmt) return undefined;
  const alpha = bg.transparentFormats ?? [];
  return fmt.values.find((f) => !alpha.includes(f as never));
}
