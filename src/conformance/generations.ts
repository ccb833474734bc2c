// The requests that make images. Each kind is made at most once per model and shared by every check
// that reads it (one baseline response feeds the status, schema, created, data, image and header
// checks). Defaults are the cheapest: n=1, the smallest size, the lowest quality. What a model takes
// comes from the catalogue, never from code.
import {
  isSupported,
  parseSize,
  resolveSize,
  sizeProblem,
  smallestSize,
  supportsOperation,
  type EnumParam,
  type Model,
  type ParamName,
  type RangeParam,
} from '../contract/catalogue.js';
import { deref, requestParamEnum, spec } from '../contract/spec.js';
import { metadataMode, servesOperation } from '../contract/profiles.js';
import { renderPng } from '../images/index.js';
import type { MultipartPart, RequestBody } from './http.js';
import type { GenerationKind, Target } from './types.js';
import type { RunContext } from './context.js';

export const PROMPT = 'A small red cube on a plain white table, soft studio light';

export type ImageOperation = 'createImage' | 'createImageEdit' | 'createImageVariation' | 'generateNativeImage';
export type EncodedFormat = 'png' | 'jpeg' | 'webp';

export interface Expectations {
  responseFormat: 'url' | 'b64_json' | 'any';
  /**
   * The size asked for (or the model's default when omitted): a concrete WIDTHxHEIGHT every image must
   * have, or a symbolic one (`auto`) any allowed size satisfies (`sizeSatisfies`); undefined when the
   * catalogue cannot say.
   */
  size?: string;
  /** Encoding the images must have; 'any' = PNG, JPEG or WebP. */
  format: EncodedFormat | 'any';
  transparent?: boolean;
}

export interface GenerationRequest {
  operation: ImageOperation;
  url: string;
  body: RequestBody;
  /** The fields as sent (JSON body or multipart text fields). */
  fields: Record<string, unknown>;
  n: number;
  expect: Expectations;
  /** Catalogue price inputs. */
  size?: string;
  quality?: string;
}

export interface GenerationDef {
  kind: GenerationKind;
  /** What the request is (docs/checks.md). */
  doc: string;
  /** Images it makes, in words (docs/checks.md cost column). */
  cost: string;
  /** true, or why this generation cannot be made for the target. */
  applies(ctx: RunContext, t: Target): true | string;
  /** Another generation that serves the same purpose for this target (no extra image). */
  alias?(ctx: RunContext, t: Target): GenerationKind | undefined;
  images(ctx: RunContext, t: Target): number;
  build(ctx: RunContext, t: Target): GenerationRequest;
  /** Made by the check itself (official SDK), not by the suite's HTTP client. */
  custom?: boolean;
}

// ---- catalogue helpers --------------------------------------------------------------------------

export function enumParam(m: Model | undefined, name: ParamName): EnumParam | undefined {
  const p = m?.params[name];
  return p && isSupported(p) && 'values' in p ? (p as EnumParam) : undefined;
}

export function rangeParam(m: Model | undefined, name: ParamName): RangeParam | undefined {
  const p = m?.params[name];
  return p && isSupported(p) && 'min' in p ? (p as RangeParam) : undefined;
}

/** The highest quality: the last catalogue value other than `auto`. */
export function highestQuality(m: Model | undefined): string | undefined {
  return enumParam(m, 'quality')?.values.filter((v) => v !== 'auto').pop();
}

/** The quality a request without `quality` gets: the catalogue default, resolved (auto -> medium). */
export function defaultQuality(m: Model | undefined): string | undefined {
  const p = enumParam(m, 'quality');
  if (!p?.default) return undefined;
  return p.resolves?.[p.default] ?? p.default;
}

/** The lowest quality: the catalogue lists qualities cheapest first; `auto` is never the cheapest. */
export function lowestQuality(m: Model | undefined): string | undefined {
  return enumParam(m, 'quality')?.values.find((v) => v !== 'auto');
}

/**
 * The quality cheap requests send: the lowest one where it is not already the default (sending
 * `standard` to dall-e-2 is needless; a gateway documenting quality for dall-e-3 only may refuse it).
 */
export function cheapQuality(m: Model | undefined): string | undefined {
  const q = lowestQuality(m);
  return q !== undefined && q !== enumParam(m, 'quality')?.default ? q : undefined;
}

export function urlCapable(m: Model | undefined): boolean {
  return Boolean(m?.output.url && enumParam(m, 'response_format')?.values.includes('url'));
}

/** Output format of a request: the requested one, else the catalogue default; 'any' when the model has no output_format. */
export function expectedFormat(m: Model | undefined, requested?: string): EncodedFormat | 'any' {
  const p = enumParam(m, 'output_format');
  if (!p) return 'any';
  return (requested ?? p.default ?? 'png') as EncodedFormat;
}

function defaultResponseFormat(m: Model | undefined): Expectations['responseFormat'] {
  if (!m) return 'any';
  if (!m.output.url) return 'b64_json';
  const p = enumParam(m, 'response_format');
  return (p?.default as 'url' | 'b64_json' | undefined) ?? 'url';
}

function area(size: string): number {
  const d = parseSize(size);
  return d ? d.width * d.height : Number.POSITIVE_INFINITY;
}

/** An allowed concrete size whose pixels differ from the default size's (smallest first). */
export function alternativeSize(m: Model): string | undefined {
  const def = resolveSize(m, undefined);
  return m.size.values
    .filter((s) => parseSize(s) && resolveSize(m, s) !== def)
    .sort((a, b) => area(a) - area(b))[0];
}

/** A valid size outside `values` under the model's custom-size rules (landscape 3:2 near 768x512). */
export function customSize(m: Model): string | undefined {
  const c = m.size.custom;
  if (!c) return undefined;
  const up = (v: number) => Math.ceil(v / c.multipleOf) * c.multipleOf;
  for (const short of [512, 576, 640, 768, 1024, c.minEdge]) {
    const h = up(Math.max(short, c.minEdge));
    for (const ratio of [1.5, 1.25, 2, 1]) {
      const w = up(h * ratio);
      const size = `${w}x${h}`;
      if (!m.size.values.includes(size) && !sizeProblem(m, size)) return size;
    }
  }
  return undefined;
}

/** A size another catalogue model (or OpenAI's list) allows that this model must reject. */
export function foreignSize(m: Model, all: Model[]): string | undefined {
  const known = (deref<{ enum?: string[] }>(spec().components.schemas.KnownImageSize).enum ?? []) as string[];
  const candidates = [...new Set([...all.flatMap((o) => o.size.values), ...known])].filter((s) => parseSize(s));
  return candidates.filter((s) => sizeProblem(m, s)).sort((a, b) => area(a) - area(b))[0];
}

/** A CJK prompt of exactly `chars` characters (BMP, so UTF-16 length = code points = characters). */
export function cjkPrompt(chars: number): string {
  const phrase = '一只小红色立方体放在白色桌子上柔和的摄影棚灯光';
  return phrase.repeat(Math.ceil(chars / phrase.length)).slice(0, chars);
}

/** A schema value for a parameter from its spec schema: enums give their last value (`auto` where present). */
export function sampleValue(name: ParamName): unknown {
  const values = requestParamEnum(name);
  if (values) return values[values.length - 1];
  const prop = deref<{ maximum?: number; type?: unknown }>(
    (deref<{ properties: Record<string, unknown> }>(spec().components.schemas.CreateImageRequest).properties ?? {})[name],
  );
  if (typeof prop?.maximum === 'number') return prop.maximum;
  return true;
}

// ---- request construction ------------------------------------------------------------------------

function baseFields(t: Target): Record<string, unknown> {
  const m = t.model;
  const fields: Record<string, unknown> = { model: t.name, prompt: PROMPT, n: 1 };
  if (m) fields.size = smallestSize(m);
  const q = cheapQuality(m);
  if (q) fields.quality = q;
  return fields;
}

function jsonRequest(ctx: RunContext, operation: ImageOperation, fields: Record<string, unknown>, t: Target, expect: Partial<Expectations> = {}): GenerationRequest {
  const m = t.model;
  const size = typeof fields.size === 'string' ? fields.size : undefined;
  const rf = fields.response_format as 'url' | 'b64_json' | undefined;
  return {
    operation,
    url: ctx.operationUrl(operation),
    body: { kind: 'json', value: fields },
    fields,
    n: typeof fields.n === 'number' ? fields.n : (m?.n.default ?? 1),
    expect: {
      responseFormat: rf ?? defaultResponseFormat(m),
      ...(m ? { size: size ?? m.size.default } : {}),
      format: expectedFormat(m, fields.output_format as string | undefined),
      ...expect,
    },
    ...(size ? { size } : m ? { size: resolveSize(m, undefined) } : {}),
    // The price is that of the quality served: the one asked for, else the model's default.
    ...(typeof fields.quality === 'string' ? { quality: fields.quality } : defaultQuality(m) ? { quality: defaultQuality(m)! } : {}),
  };
}

/** A deterministic square or oblong PNG for edits and variations. */
export function inputPng(width: number, height: number, index: number, transparent = false): Buffer {
  return renderPng({ width, height, seed: 'imagegen-contract-conformance', prompt: 'input image', index, transparent });
}

const EDIT_INPUT_EDGE = 256;
const EDIT_PROMPT = 'Add a small blue sphere next to the cube';

function multipartRequest(
  ctx: RunContext,
  operation: ImageOperation,
  t: Target,
  files: MultipartPart[],
  extra: Record<string, string> = {},
): GenerationRequest {
  const m = t.model;
  const fields: Record<string, string> = { model: t.name, n: '1', ...extra };
  if (operation === 'createImageEdit') fields.prompt = EDIT_PROMPT;
  if (m) fields.size = smallestSize(m);
  const q = operation === 'createImageEdit' ? cheapQuality(m) : undefined;
  if (q) fields.quality = q;
  const parts: MultipartPart[] = [...files, ...Object.entries(fields).map(([name, value]) => ({ name, value }))];
  return {
    operation,
    url: ctx.operationUrl(operation),
    body: { kind: 'multipart', parts },
    fields,
    n: 1,
    expect: {
      responseFormat: defaultResponseFormat(m),
      ...(m ? { size: fields.size ?? m.size.default } : {}),
      format: expectedFormat(m),
    },
    ...(fields.size ? { size: fields.size } : {}),
    ...(q ? { quality: q } : defaultQuality(m) ? { quality: defaultQuality(m)! } : {}),
  };
}

function pngPart(name: string, filename: string, width: number, height: number, index: number, transparent = false): MultipartPart {
  return {
    name,
    filename,
    contentType: 'image/png',
    data: inputPng(width, height, index, transparent),
    describe: `${width}x${height} PNG${transparent ? ' with transparent areas' : ''}`,
  };
}

const needsModel = (t: Target): true | string => (t.model ? true : `'${t.name}' is not in the model catalogue: generic checks only`);

function operationApplies(ctx: RunContext, t: Target, operation: ImageOperation): true | string {
  if (!servesOperation(ctx.profile, operation)) return `profile ${ctx.profile.name} does not serve ${operation}`;
  if (t.model && !supportsOperation(t.model, operation)) return `catalogue: ${t.model.id} does not support ${operation}`;
  return true;
}

const and = (...results: Array<true | string>): true | string => results.find((r) => r !== true) ?? true;

function nativeApplies(ctx: RunContext, t: Target): true | string {
  if (!ctx.profile.nativeEnvelope) return `profile ${ctx.profile.name} has no native envelope`;
  return operationApplies(ctx, t, 'generateNativeImage');
}

/** The model's non-default quality (highest) and style, where it takes them. */
export function nonDefaultQualityStyle(m: Model): Record<string, string> {
  const out: Record<string, string> = {};
  const q = enumParam(m, 'quality');
  const hq = highestQuality(m);
  if (q && hq && hq !== q.default) out.quality = hq;
  const st = enumParam(m, 'style');
  const other = st?.values.find((v) => v !== st.default);
  if (other) out.style = other;
  return out;
}

/** The other name of a target's model: its provider/model slug when named bare, its bare id when named by slug. */
export function otherModelName(t: Target): string | undefined {
  if (!t.model) return undefined;
  if (t.name.includes('/')) return t.model.id;
  return t.model.aliases.find((a) => a.includes('/') && a.endsWith(`/${t.model!.id}`));
}

export const GENERATIONS: Record<GenerationKind, GenerationDef> = {
  baseline: {
    kind: 'baseline',
    cost: '1',
    doc: 'n=1, smallest size, lowest quality; url where the model has it',
    applies: (ctx, t) => operationApplies(ctx, t, 'createImage'),
    images: () => 1,
    build(ctx, t) {
      const fields = baseFields(t);
      if (urlCapable(t.model)) fields.response_format = 'url';
      return jsonRequest(ctx, 'createImage', fields, t);
    },
  },
  b64: {
    kind: 'b64',
    cost: '1 (0 for b64-only models)',
    doc: 'as baseline with response_format b64_json (the baseline itself for b64-only models)',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImage'), needsModel(t)),
    alias: (_ctx, t) => (urlCapable(t.model) ? undefined : 'baseline'),
    images: () => 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', { ...baseFields(t), response_format: 'b64_json' }, t),
  },
  defaults: {
    kind: 'defaults',
    cost: 'n.default',
    doc: 'only model and prompt: the default size, quality and formats',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImage'), needsModel(t)),
    images: (_ctx, t) => t.model?.n.default ?? 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', { model: t.name, prompt: PROMPT }, t),
  },
  'size-alt': {
    kind: 'size-alt',
    cost: '1 (0 when the smallest size is not the default)',
    doc: 'an allowed size other than the default (the baseline when the smallest size is not the default)',
    applies(ctx, t) {
      const ok = and(operationApplies(ctx, t, 'createImage'), needsModel(t));
      if (ok !== true) return ok;
      return alternativeSize(t.model!) ? true : `catalogue: ${t.model!.id} has only one concrete size`;
    },
    alias: (_ctx, t) => (t.model && resolveSize(t.model, smallestSize(t.model)) !== resolveSize(t.model, undefined) ? 'baseline' : undefined),
    images: () => 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', { ...baseFields(t), size: alternativeSize(t.model!) }, t),
  },
  'n-max': {
    kind: 'n-max',
    cost: 'n.max (0 when it is 1)',
    doc: 'n = the model maximum (catalogue n.max images; the baseline when it is 1)',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImage'), needsModel(t)),
    alias: (_ctx, t) => (t.model?.n.max === 1 ? 'baseline' : undefined),
    images: (_ctx, t) => t.model?.n.max ?? 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', { ...baseFields(t), n: t.model!.n.max }, t),
  },
  'custom-size': {
    kind: 'custom-size',
    cost: '1',
    doc: 'a valid custom size (models with size.custom)',
    applies(ctx, t) {
      const ok = and(operationApplies(ctx, t, 'createImage'), needsModel(t));
      if (ok !== true) return ok;
      if (!t.model!.size.custom) return `catalogue: ${t.model!.id} takes no custom sizes`;
      return customSize(t.model!) ? true : `no valid custom size found for ${t.model!.id}`;
    },
    images: () => 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', { ...baseFields(t), size: customSize(t.model!) }, t),
  },
  'prompt-max': {
    kind: 'prompt-max',
    cost: '1',
    doc: 'a CJK prompt of exactly prompt.maxChars characters',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImage'), needsModel(t)),
    images: () => 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', { ...baseFields(t), prompt: cjkPrompt(t.model!.prompt.maxChars) }, t),
  },
  values: {
    kind: 'values',
    cost: '1',
    doc: 'documented non-default values for the model (style, moderation), user and metadata where the profile takes them',
    applies(ctx, t) {
      const ok = and(operationApplies(ctx, t, 'createImage'), needsModel(t));
      if (ok !== true) return ok;
      return Object.keys(valuesFields(ctx, t.model!)).length ? true : `neither the catalogue nor profile ${ctx.profile.name} documents optional values for ${t.model!.id}`;
    },
    images: () => 1,
    build: (ctx, t) => {
      const fields = { ...baseFields(t), ...valuesFields(ctx, t.model!) };
      if (urlCapable(t.model)) fields.response_format = 'url';
      return jsonRequest(ctx, 'createImage', fields, t);
    },
  },
  'webp-transparent': {
    kind: 'webp-transparent',
    cost: '1',
    doc: 'background transparent in a non-default alpha format (webp) with output_compression 50',
    applies(ctx, t) {
      const ok = and(operationApplies(ctx, t, 'createImage'), needsModel(t));
      if (ok !== true) return ok;
      return transparentFormat(t.model!) ? true : `catalogue: ${t.model!.id} has no transparent background`;
    },
    images: () => 1,
    build(ctx, t) {
      const format = transparentFormat(t.model!)!;
      const fields: Record<string, unknown> = { ...baseFields(t), output_format: format, background: 'transparent' };
      if (rangeParam(t.model, 'output_compression')?.formats?.includes(format as EncodedFormat)) fields.output_compression = 50;
      return jsonRequest(ctx, 'createImage', fields, t, { transparent: true });
    },
  },
  stream: {
    kind: 'stream',
    cost: '1',
    doc: 'stream: true with partial_images (models that stream)',
    applies(ctx, t) {
      const ok = and(operationApplies(ctx, t, 'createImage'), needsModel(t));
      if (ok !== true) return ok;
      const s = t.model!.params.stream;
      return isSupported(s) ? true : `catalogue: ${t.model!.id} does not stream`;
    },
    images: () => 1,
    build(ctx, t) {
      const partials = Math.min(2, rangeParam(t.model, 'partial_images')?.max ?? 0);
      return jsonRequest(ctx, 'createImage', { ...baseFields(t), stream: true, partial_images: partials }, t, { responseFormat: 'b64_json' });
    },
  },
  'edit-single': {
    kind: 'edit-single',
    cost: '1',
    doc: 'multipart edit: one `image` (+ mask where the model takes one)',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImageEdit'), needsModel(t), t.model?.edits ? true : 'catalogue: no edits'),
    images: () => 1,
    build(ctx, t) {
      const e = EDIT_INPUT_EDGE;
      const files = [pngPart('image', 'image.png', e, e, 0)];
      if (t.model!.edits?.mask) files.push(pngPart('mask', 'mask.png', e, e, 1, true));
      return multipartRequest(ctx, 'createImageEdit', t, files);
    },
  },
  'edit-multi': {
    kind: 'edit-multi',
    cost: '1',
    doc: 'multipart edit: `image[]` x2 + mask (models taking 2+ images)',
    applies(ctx, t) {
      const ok = and(operationApplies(ctx, t, 'createImageEdit'), needsModel(t), t.model?.edits ? true : 'catalogue: no edits');
      if (ok !== true) return ok;
      return (t.model!.edits!.image.maxCount ?? 1) >= 2 ? true : `catalogue: ${t.model!.id} edits take one image`;
    },
    images: () => 1,
    build(ctx, t) {
      const e = EDIT_INPUT_EDGE;
      const files = [pngPart('image[]', 'first.png', e, e, 0), pngPart('image[]', 'second.png', e, e, 2)];
      if (t.model!.edits?.mask) files.push(pngPart('mask', 'mask.png', e, e, 1, true));
      return multipartRequest(ctx, 'createImageEdit', t, files);
    },
  },
  'edit-defaults': {
    kind: 'edit-defaults',
    cost: 'n.default (default size and quality)',
    doc: 'multipart edit with only model, prompt and one `image` (transparent areas, no mask): the minimal SDK call, so size, quality and n are the defaults',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImageEdit'), needsModel(t), t.model?.edits ? true : 'catalogue: no edits'),
    images: (_ctx, t) => t.model?.n.default ?? 1,
    build(ctx, t) {
      const m = t.model!;
      const e = EDIT_INPUT_EDGE;
      // Without a mask, dall-e-2 edits the image's transparent areas; GPT image models take any image.
      const fields: Record<string, string> = { model: t.name, prompt: EDIT_PROMPT };
      const parts: MultipartPart[] = [pngPart('image', 'image.png', e, e, 0, true), ...Object.entries(fields).map(([name, value]) => ({ name, value }))];
      const quality = defaultQuality(m);
      return {
        operation: 'createImageEdit',
        url: ctx.operationUrl('createImageEdit'),
        body: { kind: 'multipart', parts },
        fields,
        n: m.n.default,
        expect: { responseFormat: defaultResponseFormat(m), size: m.size.default, format: expectedFormat(m) },
        size: resolveSize(m, undefined),
        ...(quality ? { quality } : {}),
      };
    },
  },
  variation: {
    kind: 'variation',
    cost: '1',
    doc: 'multipart variation of one square PNG',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImageVariation'), needsModel(t), t.model?.variations ? true : 'catalogue: no variations'),
    images: () => 1,
    build: (ctx, t) => multipartRequest(ctx, 'createImageVariation', t, [pngPart('image', 'image.png', EDIT_INPUT_EDGE, EDIT_INPUT_EDGE, 0)]),
  },
  native: {
    kind: 'native',
    cost: '1',
    doc: 'native envelope generation (ref 000), n=1, smallest size; metadata where the profile takes it',
    applies: nativeApplies,
    images: () => 1,
    build(ctx, t) {
      const fields = baseFields(t);
      if (metadataMode(ctx.profile) !== 'none') fields.metadata = { ...METADATA };
      return jsonRequest(ctx, 'generateNativeImage', fields, t);
    },
  },
  'native-b64': {
    kind: 'native-b64',
    cost: '1',
    doc: 'native generation with response_format b64_json (ref 000: inline base64)',
    applies: (ctx, t) => and(nativeApplies(ctx, t), needsModel(t), enumParam(t.model, 'response_format')?.values.includes('b64_json') ? true : 'catalogue: no b64_json'),
    images: () => 1,
    build: (ctx, t) => jsonRequest(ctx, 'generateNativeImage', { ...baseFields(t), response_format: 'b64_json' }, t),
  },
  'native-n': {
    kind: 'native-n',
    cost: '2',
    doc: 'native generation of n=2 images (models with n.max > 1; ref 000: n typically 1-10)',
    applies: (ctx, t) => and(nativeApplies(ctx, t), needsModel(t), (t.model?.n.max ?? 1) > 1 ? true : `catalogue: ${t.name} makes one image per request`),
    images: () => 2,
    build: (ctx, t) => jsonRequest(ctx, 'generateNativeImage', { ...baseFields(t), n: 2 }, t),
  },
  'native-values': {
    kind: 'native-values',
    cost: '1 (highest quality)',
    doc: 'native generation with the non-default quality and style (ref 000: quality standard|hd, style vivid|natural for DALL-E 3)',
    applies: (ctx, t) => and(nativeApplies(ctx, t), needsModel(t), Object.keys(nonDefaultQualityStyle(t.model!)).length ? true : `catalogue: ${t.name} has no quality or style values`),
    images: () => 1,
    build(ctx, t) {
      const extra = nonDefaultQualityStyle(t.model!);
      return { ...jsonRequest(ctx, 'generateNativeImage', { ...baseFields(t), ...extra }, t), ...(extra.quality ? { quality: extra.quality } : {}) };
    },
  },
  'model-alias': {
    kind: 'model-alias',
    cost: '1',
    doc: 'the baseline under the other name of the model (slug for a bare id, bare id for a slug) where the profile takes both',
    applies(ctx, t) {
      const ok = and(operationApplies(ctx, t, 'createImage'), needsModel(t));
      if (ok !== true) return ok;
      if (ctx.profile.modelIds !== 'both') return `profile ${ctx.profile.name} names models one way (${ctx.profile.modelIds})`;
      return otherModelName(t) ? true : `catalogue: ${t.model!.id} has no provider/model slug`;
    },
    images: () => 1,
    build(ctx, t) {
      const fields: Record<string, unknown> = { ...baseFields(t), model: otherModelName(t)! };
      if (urlCapable(t.model)) fields.response_format = 'url';
      return jsonRequest(ctx, 'createImage', fields, t);
    },
  },
  sdk: {
    kind: 'sdk',
    cost: '1',
    doc: 'one generation through the official openai SDK',
    applies: (ctx, t) => operationApplies(ctx, t, 'createImage'),
    images: () => 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', baseFields(t), t),
    custom: true,
  },
  slow: {
    kind: 'slow',
    cost: '1 (highest quality)',
    doc: 'the highest quality of the model (the slowest generation), n=1, smallest size',
    applies: (ctx, t) => and(operationApplies(ctx, t, 'createImage'), needsModel(t), highestQuality(t.model) ? true : 'catalogue: the model has no quality values'),
    images: () => 1,
    build: (ctx, t) => jsonRequest(ctx, 'createImage', { ...baseFields(t), quality: highestQuality(t.model) }, t),
  },
  'model-omitted': {
    kind: 'model-omitted',
    cost: '1 (0 where the model is required)',
    doc: "no model, in a size only the profile's default model allows where there is one: 1 image where the profile has a default model, 0 where the model is required",
    applies: (ctx) => (servesOperation(ctx.profile, 'createImage') ? true : `profile ${ctx.profile.name} does not serve createImage`),
    images: (ctx) => (ctx.profile.modelRequired === true ? 0 : 1),
    build(ctx) {
      const def = ctx.defaultModel('createImage');
      const t: Target = def ? { name: def.id, model: def } : { name: '' };
      const fields = baseFields(t);
      delete fields.model;
      if (def) fields.size = distinguishingSize(def, ctx.profileModels());
      return jsonRequest(ctx, 'createImage', fields, t);
    },
  },
};

/**
 * The concrete size of `def` that the fewest other models allow (smallest first among equals): a
 * request without model in that size shows which model served it.
 */
export function distinguishingSize(def: Model, models: Model[]): string {
  const others = models.filter((m) => m.id !== def.id && supportsOperation(m, 'createImage'));
  const sizes = def.size.values.filter((s) => parseSize(s));
  const allowedBy = (s: string) => others.filter((o) => !sizeProblem(o, s)).length;
  return [...sizes].sort((a, b) => allowedBy(a) - allowedBy(b) || area(a) - area(b))[0] ?? smallestSize(def);
}

function transparentFormat(m: Model): EncodedFormat | undefined {
  const bg = enumParam(m, 'background');
  const fmt = enumParam(m, 'output_format');
  if (!bg?.values.includes('transparent') || !fmt) return undefined;
  const alpha = (bg.transparentFormats ?? ['png', 'webp']).filter((f) => fmt.values.includes(f));
  return alpha.find((f) => f !== (fmt.default ?? 'png')) ?? alpha[0];
}

/** The fields a generation request has (CreateImageRequest properties): edit-only ones are not among them. */
export function generationFields(): string[] {
  return Object.keys(deref<{ properties?: Record<string, unknown> }>(spec().components.schemas.CreateImageRequest).properties ?? {});
}

/** A fixed metadata object the suite sends where a profile takes metadata (and looks for in echoes). */
export const METADATA = { suite: 'imagegen-contract', case: 'metadata-pass-through' } as const;
export const USER = 'imagegen-contract-user-1';

/**
 * Fields of the `values` generation: values the references document for this model other than the
 * defaults (catalogue style/moderation values; the profile's gateway-wide vocabulary such as ref
 * 001's moderation auto|low), `user` where the profile takes it, `metadata` where it is accepted.
 * Never a parameter the catalogue marks `unsupported: ignore` - that is what the mock does with it,
 * not something a gateway must accept (issue 7).
 */
export function valuesFields(ctx: RunContext, m: Model): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const vocabulary = ctx.profile.params;
  for (const name of ['style', 'moderation'] as const) {
    const p = enumParam(m, name);
    const gateway = vocabulary[name];
    // The model's own values, limited to the gateway's vocabulary where it has one; for a parameter the
    // model does not take, the gateway-wide vocabulary only where the reference gives it for every model.
    const values = p ? p.values.filter((v) => !gateway || gateway.includes(v)) : name === 'moderation' ? (gateway ?? []) : [];
    const def = p?.default ?? values[0];
    const other = values.find((v) => v !== def && v !== 'auto');
    if (other) fields[name] = other;
  }
  if (vocabulary.user) fields.user = USER;
  if (metadataMode(ctx.profile) !== 'none') fields.metadata = { ...METADATA };
  return fields;
}