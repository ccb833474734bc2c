// From a request body to an image job, or to the contract error it deserves. The checks run in
// the order OpenAI reports them: schema (types, ranges, enums), unknown parameters (strict), empty
// prompt, model, operation, uploads, prompt length, n, size, per-model parameters, transparency.
// Every rule is read from the spec schemas and the model catalogue; --lenient keeps the schema and
// the model lookup and skips the per-model rules, as Prism would.
import { crc32 } from 'node:zlib';
import {
  allModels,
  isSupported,
  parseSize,
  resolveSize,
  sizeProblem,
  supportsOperation,
  type EnumParam,
  type Model,
  type OperationId,
  type ParamName,
  type RangeParam,
} from '../../../contract/catalogue.js';
import { quoteList } from '../../../contract/errors.js';
import type { Profile } from '../../../contract/profiles.js';
import { deref, spec, type JsonObject } from '../../../contract/spec.js';
import type { SpecValidator } from '../../../contract/validator.js';
import { MAX_IMAGE_DIMENSION, type ImageFormat } from '../../../images/render.js';
import { RecentMap } from '../memo.js';
import { selectModel } from './model-selection.js';
import type { UploadedFile } from '../read/multipart.js';
import { kindForProblems, type KindAndVars } from './schema-problems.js';
import { checkUploads } from './upload-rules.js';
import { codePoints, orList, paramName, show } from '../wording.js';

export interface ImageJob {
  operation: OperationId;
  model: Model;
  /** The prompt as sent ('' for variations). */
  prompt: string;
  /** What the picture is drawn from: the prompt, or the uploaded image for variations. */
  renderPrompt: string;
  n: number;
  width: number;
  height: number;
  /** Concrete WIDTHxHEIGHT (never auto). */
  size: string;
  format: ImageFormat;
  compression: number;
  transparent: boolean;
  responseFormat: 'url' | 'b64_json';
  /** Resolved quality (never auto) for models that take one. */
  quality?: string;
  /** Resolved background (never auto) for models that take one. */
  background?: string;
  stream: boolean;
  partialImages: number;
  metadata?: Record<string, string>;
  /** Input images of an edit or variation, with the first one's size (for usage). */
  inputImages: number;
  inputSize?: { width: number; height: number };
}

/** The last body answered to a repeated request (see answerImages). */
export interface ReplySlot {
  last?: { second: number; base: string; envelope: string; text: string };
}

export type RuleResult =
  | {
      ok: true;
      job: ImageJob;
      /**
       * Only for a body checked before (checkJson's memo), i.e. a repeated request: a slot for its
       * last answer, which lives as long as the memo keeps the body.
       */
      reply?: ReplySlot;
    }
  | ({ ok: false } & KindAndVars);

export interface RuleInput {
  operation: OperationId;
  /** Component schema of the body (CreateImageRequest, CreateImageEditRequest, EditImageJsonRequest, ...). */
  schema: string;
  body: unknown;
  /** Multipart files (edits and variations). */
  uploads?: { images: UploadedFile[]; mask?: UploadedFile };
}

// The mock renders what the catalogue allows at most; a lenient request may name any size the
// schema admits, so it is bounded by the largest size any catalogue model accepts.
function catalogueBounds(): { maxEdge: number; maxPixels: number; maxN: number } {
  let maxEdge = 1;
  let maxPixels = 1;
  let maxN = 1;
  for (const m of allModels()) {
    maxN = Math.max(maxN, m.n.max);
    for (const s of m.size.values) {
      const d = parseSize(s);
      if (d) {
        maxEdge = Math.max(maxEdge, d.width, d.height);
        maxPixels = Math.max(maxPixels, d.width * d.height);
      }
    }
    const c = m.size.custom;
    if (c) {
      maxEdge = Math.max(maxEdge, c.maxEdge);
      maxPixels = Math.max(maxPixels, c.maxPixels ?? c.maxEdge * c.maxEdge);
    }
  }
  return { maxEdge: Math.min(maxEdge, MAX_IMAGE_DIMENSION), maxPixels, maxN };
}

const OPERATION_WORDS: Record<OperationId, string> = {
  createImage: 'image generations',
  createImageEdit: 'image edits',
  createImageVariation: 'image variations',
  generateNativeImage: 'image generation',
};

const FILE_FIELDS = ['image', 'image[]', 'mask'];
/** What models answer in when the catalogue leaves output_format out (dall-e, diffusion). */
const FALLBACK_FORMAT: ImageFormat = 'png';

function fail(kind: string, vars: KindAndVars['vars']): RuleResult {
  return { ok: false, kind, vars };
}

/** JSON bodies up to this many characters are memoised with their result (clients repeat requests). */
const MEMO_MAX_TEXT = 8192;

/** A memoised check: the result, and the repeat's (with its reply slot). */
type Checked = { operation: OperationId; result: RuleResult; repeat?: RuleResult } | typeof SEEN;
/** A body seen once, not yet memoised with its result. */
const SEEN = Symbol('seen once');

export class RequestRules {
  private readonly known = new Map<string, Set<string>>();
  private readonly bounds = catalogueBounds();
  private readonly memos = new Map<string, RecentMap<string, Checked>>();

  constructor(
    private readonly profile: Profile,
    private readonly lenient: boolean,
    private readonly validator: SpecValidator,
  ) {}

  /** Top-level property names of a request schema. */
  private properties(schema: string): Set<string> {
    let names = this.known.get(schema);
    if (!names) {
      const node = deref<JsonObject>(spec().components.schemas[schema]);
      names = new Set(Object.keys((node?.properties as JsonObject | undefined) ?? {}));
      this.known.set(schema, names);
    }
    return names;
  }

  /**
   * Checks a JSON body given as text (malformed_json when it is not JSON). The result is memoised
   * from the body's second sighting on: the first leaves only its text, so one-off bodies (a
   * unique prompt each) keep no result objects alive for the garbage collector to copy.
   */
  checkJson(operation: OperationId, schema: string, text: string): RuleResult {
    let memo = this.memos.get(schema);
    if (!memo) this.memos.set(schema, (memo = new RecentMap(256)));
    const key = text.length <= MEMO_MAX_TEXT ? text : undefined;
    const known = key === undefined ? undefined : memo.get(key);
    if (known && known !== SEEN && known.operation === operation) return known.result.ok ? (known.repeat ??= { ...known.result, reply: {} }) : known.result;
    const result = this.parseAndCheck(operation, schema, text);
    if (key !== undefined) memo.set(key, known === SEEN ? { operation, result } : SEEN);
    return result;
  }

  private parseAndCheck(operation: OperationId, schema: string, text: string): RuleResult {
    let body: unknown;
    let parsed = true;
    try {
      body = JSON.parse(text);
    } catch {
      parsed = false; // not JSON (or nested beyond what the parser takes)
    }
    return parsed ? this.check({ operation, schema, body }) : fail('malformed_json', {});
  }

  check(input: RuleInput): RuleResult {
    const { operation, schema, uploads } = input;
    const raw = input.body;

    const problems = this.validator.problems(schema, raw);
    if (problems.length > 0) {
      const k = kindForProblems(schema, raw, problems);
      return fail(k.kind, k.vars);
    }
    const body = raw as Record<string, unknown>;
    if (!this.lenient) {
      const props = this.properties(schema);
      for (const key of Object.keys(body)) if (!props.has(key)) return fail('unknown_parameter', { param: paramName(key) });
    }
    // JSON null means "not given" (the SDK sends nulls). A null-prototype object: JSON.parse makes
    // `"__proto__"` an own key, and assigning it to a plain object would set the prototype (and
    // with it `n`, `size`, ... behind the schema's back).
    const given: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(body)) {
      const v = body[k];
      if (v !== null && v !== undefined) given[k] = v;
    }

    const hasPrompt = this.properties(schema).has('prompt');
    const prompt = typeof given.prompt === 'string' ? given.prompt : '';
    if (hasPrompt && prompt.length === 0) return fail('empty_prompt', { param: 'prompt' });

    const choice = selectModel(this.profile, operation, given);
    if (!choice.ok) return fail(choice.kind, choice.vars);
    const model = choice.model;
    const strict = !this.lenient;

    if (strict && !supportsOperation(model, operation)) return fail('unsupported_operation', { param: 'model', model: modelNameOf(given, model), operation: OPERATION_WORDS[operation] });

    // Uploads (multipart) and image references (JSON edits).
    let inputImages = 0;
    let inputSize: { width: number; height: number } | undefined;
    let renderPrompt = prompt;
    if (uploads) {
      inputImages = uploads.images.length;
      if (strict && (operation === 'createImageEdit' || operation === 'createImageVariation')) {
        const checked = checkUploads(model, operation, uploads);
        if (!checked.ok) return fail(checked.kind, { ...checked.vars, param: checked.param, model: modelNameOf(given, model) });
        inputSize = { width: checked.width, height: checked.height };
      }
      if (operation === 'createImageVariation' && uploads.images[0]) renderPrompt = `variation:${crc32(uploads.images[0].bytes).toString(16)}`;
    } else if (Array.isArray(given.images)) {
      inputImages = given.images.length;
      if (strict && model.family !== 'gpt-image') return fail('unsupported_for_model', { param: 'images', model: modelNameOf(given, model) });
    }

    if (strict && hasPrompt) {
      const length = codePoints(prompt);
      if (length > model.prompt.maxChars) {
        const e = model.prompt.error;
        return fail(e?.kind ?? 'prompt_too_long', { param: e?.param !== undefined ? e.param : 'prompt', max: model.prompt.maxChars, length });
      }
    }

    const n = typeof given.n === 'number' ? given.n : model.n.default;
    if (strict && (n < model.n.min || n > model.n.max)) {
      const e = model.n.error;
      return fail(e?.kind ?? 'integer_out_of_range', { param: e?.param !== undefined ? e.param : 'n', min: model.n.min, max: model.n.max, value: n });
    }
    // Lenient relaxes the per-model n, never the count itself: at most what any catalogue model renders.
    if (!Number.isInteger(n) || n < 1 || n > this.bounds.maxN) return fail('integer_out_of_range', { param: 'n', min: 1, max: this.bounds.maxN, value: n });

    // Per-model parameters, in the order the request lists them.
    const value: Partial<Record<ParamName, unknown>> = {};
    for (const name of Object.keys(given)) {
      if (!Object.hasOwn(model.params, name)) continue; // own keys only: `constructor` is not a parameter
      const v = given[name];
      const param = name as ParamName;
      const entry = model.params[param];
      if (!isSupported(entry)) {
        if (v === false) continue; // `stream: false` asks for nothing the model lacks
        if (strict && entry.unsupported === 'reject') return fail(entry.error?.kind ?? 'unknown_parameter', { param: entry.error?.param ?? param, model: modelNameOf(given, model) });
        if (strict) continue; // silently ignored, as the model does
        value[param] = v;
        continue;
      }
      if (strict && 'values' in entry && !entry.values.includes(v as string))
        return fail(entry.error?.kind ?? 'invalid_value', { param: entry.error?.param ?? param, value: show(v), allowed: quoteList(entry.values) });
      if (strict && 'min' in entry && typeof v === 'number' && (v < entry.min || v > entry.max))
        return fail(entry.error?.kind ?? 'integer_out_of_range', { param: entry.error?.param ?? param, min: entry.min, max: entry.max, value: v });
      value[param] = v;
    }

    const size = this.size(model, typeof given.size === 'string' ? given.size : undefined, strict);
    if ('kind' in size) return fail(size.kind, size.vars);

    const format = (enumValue(model, value, 'output_format') as ImageFormat | undefined) ?? FALLBACK_FORMAT;
    const background = enumValue(model, value, 'background');
    let transparent = background === 'transparent';
    const bgEntry = model.params.background;
    if (transparent && isSupported(bgEntry) && 'values' in bgEntry && bgEntry.transparentFormats && !bgEntry.transparentFormats.includes(format)) {
      if (strict) return fail('transparent_needs_alpha_format', { param: 'background', value: format, allowed: orList(bgEntry.transparentFormats) });
    }
    if (format === 'jpeg') transparent = false;

    const rf = model.params.response_format;
    const responseFormat = ((isSupported(rf) || !strict ? (value.response_format as string | undefined) : undefined) ??
      (isSupported(rf) && 'values' in rf ? rf.default : undefined) ??
      (model.output.url ? 'url' : 'b64_json')) as 'url' | 'b64_json';

    // Models without streaming answer JSON (the catalogue says they ignore `stream`).
    const stream = value.stream === true && isSupported(model.params.stream);

    const metadata = given.metadata && typeof given.metadata === 'object' ? (given.metadata as Record<string, string>) : undefined;
    const job: ImageJob = {
      operation,
      model,
      prompt,
      renderPrompt,
      n,
      width: size.width,
      height: size.height,
      size: `${size.width}x${size.height}`,
      format,
      compression: rangeValue(model, value, 'output_compression') ?? 100,
      transparent,
      responseFormat,
      stream,
      partialImages: stream ? (rangeValue(model, value, 'partial_images') ?? 0) : 0,
      inputImages,
    };
    // Optional fields are present only when they apply (as with spreads, without the temporaries).
    if (isSupported(model.params.quality)) job.quality = enumValue(model, value, 'quality');
    if (isSupported(bgEntry)) job.background = background;
    if (metadata) job.metadata = metadata;
    if (inputSize) job.inputSize = inputSize;
    return { ok: true, job };
  }

  /** The concrete size of the images, or the error for a size the model does not take. */
  private size(model: Model, requested: string | undefined, strict: boolean): { width: number; height: number } | KindAndVars {
    if (strict && requested !== undefined) {
      const problem = sizeProblem(model, requested);
      if (problem) return sizeRejected(model, requested, problem);
    }
    let dims = parseSize(resolveSize(model, requested));
    if (!dims) dims = parseSize(resolveSize(model, undefined)); // lenient `auto` for a model without it
    if (!dims) return sizeRejected(model, requested);
    if (dims.width > this.bounds.maxEdge || dims.height > this.bounds.maxEdge || dims.width * dims.height > this.bounds.maxPixels) return sizeRejected(model, requested, 'larger than any model renders');
    return dims;
  }
}

/** The model as an error message names it: as the request spelled it, or the default's id. */
function modelNameOf(given: Record<string, unknown>, model: Model): string {
  return show(typeof given.model === 'string' ? given.model : model.id, 256);
}

/** The error for a size the model does not take. */
function sizeRejected(model: Model, requested: string | undefined, reason?: string): KindAndVars {
  const e = model.size.error;
  const list = quoteList(model.size.values);
  return {
    kind: e?.kind ?? 'invalid_value',
    vars: { param: e?.param !== undefined ? e.param : 'size', value: show(requested), allowed: reason && model.size.custom ? `${list} (or WIDTHxHEIGHT: ${reason})` : list },
  };
}

/** An enum parameter's value: the given one or the catalogue default, resolved (never `auto`). */
function enumValue(model: Model, value: Partial<Record<ParamName, unknown>>, param: ParamName): string | undefined {
  const entry = model.params[param];
  const v = value[param] as string | undefined;
  if (!isSupported(entry) || !('values' in entry)) return v;
  const e = entry as EnumParam;
  const chosen = v ?? e.default;
  return chosen === undefined ? undefined : (e.resolves?.[chosen] ?? chosen);
}

/** A range parameter's value: the given one or the catalogue default. */
function rangeValue(model: Model, value: Partial<Record<ParamName, unknown>>, param: ParamName): number | undefined {
  const entry = model.params[param];
  const v = value[param] as number | undefined;
  return v ?? (isSupported(entry) && 'min' in entry ? (entry as RangeParam).default : undefined);
}

/** Whether a body's text fields include file fields sent as text (an invalid_type for multipart). */
export function textFileField(fields: Record<string, string[]>): string | undefined {
  return FILE_FIELDS.find((f) => fields[f] !== undefined);
}
