// A gateway that behaves as OpenAI's Images API does, written from the facts sheet only
// (openai-images-api-facts.md): generations (url and b64_json), multipart edits (`image` and
// `image[]`), variations, GPT image models (always base64, output_format, background, usage,
// streaming SSE events), the dall-e-2/dall-e-3 rules, OpenAI's error bodies and headers.
//
// Choices it makes where the facts allow more than one (each differs from the project's mock):
// integer_above_max_value / integer_below_min_value for n out of range (OpenAI's request validator),
// invalid_value with param "n" for dall-e-3 n > 1, size errors as invalid_value with param "size",
// param null on model_not_found, 400 for a non-JSON content type, images encoded by sharp (progressive
// JPEG), `size: auto` resolved to landscape 1536x1024 and `quality: auto` to high, URLs on a separate
// CDN origin signed Azure-SAS style, `req_` + 32 hex request ids, x-ratelimit-* headers.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import sharp from 'sharp';
import { startCdn, type Cdn } from './lib/cdn.js';
import { bearer, closeAll, listen, mediaTypeOf, readBody, sendJson, target } from './lib/http.js';

export type OpenAiDefect =
  | 'n-clamped' // n: 11 silently becomes 10 (facts §4.1, Portkey)
  | 'missing-prompt-500' // a missing prompt answered 500 (facts §5.7, LiteLLM PR #40126)
  | 'wrong-key-accepted' // any bearer key is accepted (facts §6.8: wrong key is 401)
  | 'created-ms' // created in milliseconds (facts §1.4: unix seconds)
  | 'error-200' // an upstream dall-e-3 refusal passed on as HTTP 200 with an error body (facts §4.5, one-api Ali adaptor)
  | 'gpt-url' // GPT image models answer with a url (facts §1.4: always b64_json)
  | 'webp-ignored' // output_format dropped: PNG when webp is asked (facts §6.11)
  | 'multi-image-first-only' // only the first image[] of an edit is used (facts §5.4)
  | 'stream-as-json' // stream: true answered with plain JSON (facts §6.12)
  | 'usage-chat-style' // usage as prompt_tokens/completion_tokens (facts §5.8)
  | 'jpeg-when-png' // PNG asked (default), JPEG bytes sent (facts §6.3)
  | 'url-404' // the image URL does not download (facts §6.4)
  | 'quota-as-rate-limit' // a spent quota reported as a rate limit: clients retry what cannot succeed (facts §2.1)
  | 'url-never-expires' // signed URLs valid for ten years (facts §1.2: valid for 60 minutes)
  | 'request-id-missing' // no x-request-id (facts §2.2, §6.13)
  | 'variations-501' // variations not implemented (facts §4.3, one-api)
  | 'transparent-ignored' // background: transparent gives an opaque image (facts §6.11)
  | 'stream-no-completed' // the stream ends without image_generation.completed (facts §1.5, §6.12)
  | 'echo-auto' // `size: auto` echoed as "auto" (facts §4.2: LiteLLM echoes the request)
  | 'response-format-accepted' // response_format silently accepted on GPT image models (facts §5.16: unknown_parameter)
  | 'transparent-jpeg-flattened' // transparent + jpeg flattened instead of a 400 (facts §6.8)
  | 'partial-images-clamped' // partial_images 4 clamped to 3 (facts §4.1, Portkey 2.0 clamps)
  | 'edit-non-square-accepted' // dall-e-2 edits take a non-square image (facts §1.6: square PNG)
  | 'stream-event-missing-fields' // stream events without created_at/size/quality/background/output_format (facts §1.5)
  | 'edit-any-format' // dall-e-2 edits take a JPEG (facts §1.6: one square PNG)
  | 'mask-unchecked'; // a mask of other dimensions than the image is used (facts §1.6)

export interface OpenAiGatewayOptions {
  apiKey: string;
  /** Lifetime of image URLs (default 3600 s: facts §1.2, valid for 60 minutes). */
  urlTtlSeconds?: number;
  defect?: OpenAiDefect;
}

export interface RunningGateway {
  /** What the OpenAI SDK takes as baseURL. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

type Family = 'dall-e-2' | 'dall-e-3' | 'gpt-image';
interface ModelRule {
  family: Family;
  promptMax: number;
  sizes: string[];
  customSizes?: boolean;
  qualities: string[];
  edits: boolean;
  variations: boolean;
  fidelity?: boolean;
}

// facts §1.3
const GPT_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];
const GPT_QUALITY = ['low', 'medium', 'high', 'auto'];
const MODELS: Record<string, ModelRule> = {
  'dall-e-2': { family: 'dall-e-2', promptMax: 1000, sizes: ['256x256', '512x512', '1024x1024'], qualities: ['standard', 'auto'], edits: true, variations: true },
  'dall-e-3': { family: 'dall-e-3', promptMax: 4000, sizes: ['1024x1024', '1792x1024', '1024x1792'], qualities: ['standard', 'hd', 'auto'], edits: false, variations: false },
  'gpt-image-1': { family: 'gpt-image', promptMax: 32000, sizes: GPT_SIZES, qualities: GPT_QUALITY, edits: true, variations: false, fidelity: true },
  'gpt-image-1-mini': { family: 'gpt-image', promptMax: 32000, sizes: GPT_SIZES, qualities: GPT_QUALITY, edits: true, variations: false, fidelity: false },
  'gpt-image-1.5': { family: 'gpt-image', promptMax: 32000, sizes: GPT_SIZES, qualities: GPT_QUALITY, edits: true, variations: false, fidelity: true },
  'gpt-image-2': { family: 'gpt-image', promptMax: 32000, sizes: GPT_SIZES, customSizes: true, qualities: GPT_QUALITY, edits: true, variations: false, fidelity: true },
  'gpt-image-2-2026-04-21': { family: 'gpt-image', promptMax: 32000, sizes: GPT_SIZES, customSizes: true, qualities: GPT_QUALITY, edits: true, variations: false, fidelity: true },
  'chatgpt-image-latest': { family: 'gpt-image', promptMax: 32000, sizes: GPT_SIZES, qualities: GPT_QUALITY, edits: true, variations: false, fidelity: true },
};
const GENERATION_MODELS = Object.keys(MODELS).filter((m) => m !== 'chatgpt-image-latest');
const GPT_ONLY = ['output_format', 'output_compression', 'background', 'moderation', 'partial_images', 'stream'] as const;
const KNOWN_FIELDS = new Set(['prompt', 'model', 'n', 'quality', 'response_format', 'output_format', 'output_compression', 'stream', 'partial_images', 'size', 'moderation', 'background', 'style', 'user']);
const BODY_LIMIT = 64 * 1024 * 1024;
/** What the safety system refuses (facts §2.1: content_policy_violation for dall-e, moderation_blocked for GPT image). */
const UNSAFE = /\b(gore|graphic violence)\b/i;
/** Projects whose credit is spent: every request is a 429 insufficient_quota (facts §2.1; no Retry-After, facts §2.2). */
const OUT_OF_CREDIT_PROJECTS = new Set(['proj_out_of_credit']);

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null,
    readonly code: string | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
const invalid = (message: string, param: string | null, code: string | null) => new ApiError(400, message, 'invalid_request_error', param, code);

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const chars = (s: string) => [...s].length;

function parseSize(size: string): [number, number] | undefined {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** facts §1.3: gpt-image-2 custom sizes: multiples of 16, ratio 1:3..3:1, at most 3840 px an edge and 3840x2160 pixels. */
function customSizeProblem(w: number, h: number): string | undefined {
  if (w % 16 || h % 16) return 'width and height must be multiples of 16';
  if (w / h > 3 || h / w > 3) return 'the aspect ratio must be between 1:3 and 3:1';
  if (w > 3840 || h > 3840 || w * h > 3840 * 2160) return 'the size exceeds the maximum of 3840x2160';
  return undefined;
}

interface Job {
  model: string;
  rule: ModelRule;
  prompt: string;
  n: number;
  width: number;
  height: number;
  size: string;
  /** The size as the request put it (`auto` included). */
  sizeAsked: string;
  quality: string;
  responseFormat: 'url' | 'b64_json';
  outputFormat: 'png' | 'jpeg' | 'webp';
  compression: number;
  background: 'transparent' | 'opaque';
  stream: boolean;
  partials: number;
  style?: string;
  inputImages: number;
  kind: 'generation' | 'edit' | 'variation';
}

export async function startOpenAiGateway(options: OpenAiGatewayOptions): Promise<RunningGateway> {
  const defect = options.defect;
  const cdn: Cdn = await startCdn({ ttlSeconds: defect === 'url-never-expires' ? 10 * 365 * 86400 : options.urlTtlSeconds ?? 3600, prefix: '/private/org-refgw', ...(defect === 'url-404' ? { defect: 'missing' as const } : {}) });

  const requestId = () => `req_${randomBytes(16).toString('hex')}`;
  const baseHeaders = (id: string, started: number): Record<string, string> => ({
    ...(defect === 'request-id-missing' ? {} : { 'x-request-id': id }),
    'openai-version': '2020-10-01',
    'openai-processing-ms': String(Date.now() - started),
    'access-control-expose-headers': 'X-Request-ID',
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-remaining-requests': '499',
    'x-ratelimit-reset-requests': '120ms',
  });

  function authenticate(req: IncomingMessage): void {
    const key = bearer(req);
    if (!key)
      throw new ApiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", 'invalid_request_error', null, null);
    if (key !== options.apiKey && defect !== 'wrong-key-accepted')
      throw new ApiError(401, `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
  }

  /** Validates one request's fields (JSON values, or multipart strings coerced) into a job. */
  function plan(fields: Record<string, unknown>, kind: Job['kind'], multipart: boolean, inputImages: number): Job {
    for (const k of Object.keys(fields)) {
      if (kind === 'generation' && !KNOWN_FIELDS.has(k)) throw invalid(`Unknown parameter: '${k}'.`, k, 'unknown_parameter');
    }
    const present = (k: string) => fields[k] !== undefined && fields[k] !== null;
    const str = (k: string): string | undefined => {
      if (!present(k)) return undefined;
      const v = fields[k];
      if (typeof v !== 'string') throw invalid(`Invalid type for '${k}': expected a string, but got ${typeof v === 'number' ? 'an integer' : `a ${typeof v}`} instead.`, k, 'invalid_type');
      return v;
    };
    const int = (k: string): number | undefined => {
      if (!present(k)) return undefined;
      const v = multipart && typeof fields[k] === 'string' && /^-?\d+$/.test(fields[k] as string) ? Number(fields[k]) : fields[k];
      if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(`Invalid type for '${k}': expected an integer, but got ${typeof v === 'string' ? 'a string' : `a ${typeof v}`} instead.`, k, 'invalid_type');
      return v;
    };
    const bool = (k: string): boolean | undefined => {
      if (!present(k)) return undefined;
      const v = multipart && typeof fields[k] === 'string' ? fields[k] === 'true' ? true : fields[k] === 'false' ? false : fields[k] : fields[k];
      if (typeof v !== 'boolean') throw invalid(`Invalid type for '${k}': expected a boolean, but got a ${typeof v} instead.`, k, 'invalid_type');
      return v;
    };
    const oneOf = (k: string, values: string[]): string | undefined => {
      const v = str(k);
      if (v !== undefined && !values.includes(v)) throw invalid(`Invalid value: '${v}'. Supported values are: ${list(values)}.`, k, 'invalid_value');
      return v;
    };

    const prompt = str('prompt');
    if (kind !== 'variation') {
      if (prompt === undefined) {
        if (defect === 'missing-prompt-500') throw new ApiError(500, 'The server had an error while processing your request.', 'server_error', null, null);
        throw invalid("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
      }
      if (prompt.length === 0) throw invalid("Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an empty string instead.", 'prompt', 'empty_string');
    }

    const gptParamUsed = GPT_ONLY.some((k) => present(k));
    const defaultModel = kind === 'edit' ? 'gpt-image-1.5' : gptParamUsed ? 'gpt-image-1' : 'dall-e-2';
    const model = str('model') ?? defaultModel;
    const rule = MODELS[model];
    const available = kind === 'generation' ? GENERATION_MODELS.includes(model) : kind === 'edit' ? rule?.edits : rule?.variations;
    if (!rule) throw new ApiError(404, `The model '${model}' does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found');
    if (!available) throw invalid(`Invalid value: '${model}'. Value must be one of ${list(Object.keys(MODELS).filter((m) => (kind === 'edit' ? MODELS[m]!.edits : kind === 'variation' ? MODELS[m]!.variations : GENERATION_MODELS.includes(m))))}.`, 'model', 'invalid_value');
    const gpt = rule.family === 'gpt-image';

    if (prompt !== undefined && chars(prompt) > rule.promptMax)
      throw invalid(`Invalid 'prompt': string too long. Expected a string with maximum length ${rule.promptMax}, but got a string with length ${chars(prompt)} instead.`, 'prompt', 'string_above_max_length');

    let n = int('n') ?? 1;
    if (n < 1) throw invalid(`Invalid 'n': integer below minimum value. Expected a value >= 1, but got ${n} instead.`, 'n', 'integer_below_min_value');
    if (n > 10) {
      if (defect === 'n-clamped') n = 10;
      else throw invalid(`Invalid 'n': integer above maximum value. Expected a value <= 10, but got ${n} instead.`, 'n', 'integer_above_max_value');
    }
    if (rule.family === 'dall-e-3' && n > 1) throw invalid(`Invalid value: ${n}. dall-e-3 only supports n=1.`, 'n', 'invalid_value');

    if (!gpt) for (const k of GPT_ONLY) if (present(k) && !(k === 'stream' && bool(k) === false)) throw invalid(`Unknown parameter: '${k}' is not supported with ${model}.`, k, 'unknown_parameter');
    if (gpt && present('response_format') && defect !== 'response-format-accepted') throw invalid("Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
    if (gpt && kind === 'generation' && present('style')) throw invalid(`Unknown parameter: 'style' is only supported with dall-e-3.`, 'style', 'unknown_parameter');

    const asFormat = oneOf('response_format', ['url', 'b64_json']);
    const responseFormat = (gpt ? 'b64_json' : asFormat ?? 'url') as Job['responseFormat'];
    const outputFormat = (oneOf('output_format', ['png', 'jpeg', 'webp']) ?? 'png') as Job['outputFormat'];
    const background = oneOf('background', ['transparent', 'opaque', 'auto']) ?? 'auto';
    if (background === 'transparent' && outputFormat === 'jpeg' && defect !== 'transparent-jpeg-flattened') throw invalid("Transparent background is not supported with output_format 'jpeg'. Use 'png' or 'webp'.", 'background', 'invalid_value');
    oneOf('moderation', ['low', 'auto']);
    const compression = int('output_compression') ?? 100;
    if (compression < 0) throw invalid(`Invalid 'output_compression': integer below minimum value. Expected a value >= 0, but got ${compression} instead.`, 'output_compression', 'integer_below_min_value');
    if (compression > 100) throw invalid(`Invalid 'output_compression': integer above maximum value. Expected a value <= 100, but got ${compression} instead.`, 'output_compression', 'integer_above_max_value');
    const stream = bool('stream') ?? false;
    let partials = int('partial_images') ?? 0;
    if (partials > 3 && defect === 'partial-images-clamped') partials = 3;
    if (partials < 0 || partials > 3) throw invalid(`Invalid 'partial_images': expected a value between 0 and 3, but got ${partials} instead.`, 'partial_images', partials < 0 ? 'integer_below_min_value' : 'integer_above_max_value');
    if (kind === 'edit' && present('input_fidelity')) {
      oneOf('input_fidelity', ['high', 'low']);
      if (!rule.fidelity) throw invalid(`Unknown parameter: 'input_fidelity' is not supported with ${model}.`, 'input_fidelity', 'unknown_parameter');
    }

    const qualities = kind === 'edit' && gpt ? ['standard', ...rule.qualities] : rule.qualities;
    const allQualities = ['standard', 'hd', 'low', 'medium', 'high', 'auto'];
    const q = oneOf('quality', allQualities);
    if (q !== undefined && !qualities.includes(q)) throw invalid(`Invalid value: '${q}'. Supported values are: ${list(qualities)}.`, 'quality', 'invalid_value');
    const quality = q === undefined || q === 'auto' ? (gpt ? 'high' : 'standard') : q === 'standard' && gpt ? 'medium' : q;
    const style = oneOf('style', ['vivid', 'natural']);

    const sizes = kind === 'variation' ? ['256x256', '512x512', '1024x1024'] : rule.sizes;
    const asked = str('size') ?? (gpt ? 'auto' : '1024x1024');
    let size = asked === 'auto' && gpt ? '1536x1024' : asked;
    const dims = parseSize(size);
    if (!dims && asked !== 'auto') throw invalid(`Invalid value: '${asked}'. Supported values are: ${list(sizes)}.`, 'size', 'invalid_value');
    if (!sizes.includes(asked)) {
      const custom = rule.customSizes && dims ? customSizeProblem(dims[0], dims[1]) : 'not supported';
      if (custom) throw invalid(`Invalid value: '${asked}'. Supported values are: ${list(sizes)}${rule.customSizes ? ` or a custom WIDTHxHEIGHT (${custom})` : ''}.`, 'size', 'invalid_value');
    }
    if (asked === 'auto' && !gpt) size = '1024x1024';
    const [width, height] = parseSize(size)!;
    str('user');
    return {
      model,
      rule,
      prompt: prompt ?? '',
      n,
      width,
      height,
      size,
      sizeAsked: asked,
      quality,
      responseFormat,
      outputFormat,
      compression,
      background: background === 'transparent' ? 'transparent' : 'opaque',
      stream,
      partials,
      ...(style ? { style } : {}),
      inputImages,
      kind,
    };
  }

  async function render(job: Job, index: number, partial?: number): Promise<{ bytes: Buffer; mime: string; ext: string }> {
    const { width, height } = job;
    const raw = Buffer.alloc(width * height * 4);
    let seed = index * 40 + (partial ?? 0) * 7;
    for (let i = 0; i < job.prompt.length; i++) seed = (seed * 33 + job.prompt.charCodeAt(i)) & 0xff;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const o = (y * width + x) * 4;
        raw[o] = (x * 255) / width;
        raw[o + 1] = seed;
        raw[o + 2] = (y * 255) / height;
        raw[o + 3] = job.background === 'transparent' && defect !== 'transparent-ignored' && x > width / 2 && y > height / 2 ? 0 : 255;
      }
    }
    let format = job.outputFormat;
    if (defect === 'webp-ignored') format = 'png';
    if (defect === 'jpeg-when-png' && format === 'png') format = 'jpeg';
    const img = sharp(raw, { raw: { width, height, channels: 4 } });
    if (format === 'jpeg') return { bytes: await img.flatten({ background: '#ffffff' }).jpeg({ quality: job.compression, progressive: true }).toBuffer(), mime: 'image/jpeg', ext: 'jpg' };
    if (format === 'webp') return { bytes: await img.webp({ quality: job.compression, alphaQuality: 100 }).toBuffer(), mime: 'image/webp', ext: 'webp' };
    return { bytes: await img.png({ compressionLevel: 6 }).toBuffer(), mime: 'image/png', ext: 'png' };
  }

  const revise = (prompt: string) => `A detailed rendering of ${prompt.trim().replace(/\.$/, '')}, in soft natural light with a clean composition.`;

  function usage(job: Job, images: number, withOutputDetails: boolean) {
    const text = Math.max(1, Math.ceil(chars(job.prompt) / 4));
    const image = job.inputImages * 323;
    const out = images * Math.ceil((job.width * job.height) / 1024) * (job.quality === 'high' ? 4 : job.quality === 'medium' ? 2 : 1);
    if (defect === 'usage-chat-style') return { prompt_tokens: text, completion_tokens: out, total_tokens: text + out };
    return {
      input_tokens: text + image,
      input_tokens_details: { text_tokens: text, image_tokens: image },
      output_tokens: out,
      ...(withOutputDetails ? { output_tokens_details: { image_tokens: out, text_tokens: 0 } } : {}),
      total_tokens: text + image + out,
    };
  }

  async function answer(res: ServerResponse, job: Job, id: string, started: number): Promise<void> {
    const gpt = job.rule.family === 'gpt-image';
    const created = defect === 'created-ms' ? Date.now() : Math.floor(Date.now() / 1000);
    if (job.stream && gpt && defect !== 'stream-as-json') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...baseHeaders(id, started) });
      const prefix = job.kind === 'edit' ? 'image_edit' : 'image_generation';
      const common = defect === 'stream-event-missing-fields' ? {} : { created_at: created, size: job.size, quality: job.quality, background: job.background, output_format: job.outputFormat };
      for (let i = 0; i < job.n; i++) {
        for (let p = 0; p < job.partials; p++) {
          const img = await render(job, i, p + 1);
          const ev = { type: `${prefix}.partial_image`, b64_json: img.bytes.toString('base64'), ...common, partial_image_index: p };
          res.write(`event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`);
        }
        const img = await render(job, i);
        const ev = { type: `${prefix}.completed`, b64_json: img.bytes.toString('base64'), ...common, usage: usage(job, 1, false) };
        if (defect !== 'stream-no-completed') res.write(`event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`);
      }
      res.end();
      return;
    }
    const data = [];
    for (let i = 0; i < job.n; i++) {
      const img = await render(job, i);
      const item: Record<string, string> = {};
      if (job.responseFormat === 'url' || (gpt && defect === 'gpt-url')) item.url = cdn.put(img.bytes, img.mime, img.ext);
      else item.b64_json = img.bytes.toString('base64');
      if (job.rule.family === 'dall-e-3') item.revised_prompt = revise(job.prompt);
      data.push(item);
    }
    const body: Record<string, unknown> = { created, data };
    if (gpt) Object.assign(body, { background: job.background, output_format: job.outputFormat, size: defect === 'echo-auto' && job.sizeAsked === 'auto' ? 'auto' : job.size, quality: job.quality, usage: usage(job, job.n, true) });
    sendJson(res, 200, body, { headers: baseHeaders(id, started) });
  }

  /** Multipart edits and variations (busboy): text fields and the image files, `image` and `image[]` alike. */
  function readMultipart(req: IncomingMessage): Promise<{ fields: Record<string, string>; images: Buffer[]; mask?: Buffer } | ApiError> {
    return new Promise((resolve) => {
      const fields: Record<string, string> = {};
      const images: Buffer[] = [];
      let mask: Buffer | undefined;
      let failure: ApiError | undefined;
      let bb: busboy.Busboy;
      try {
        bb = busboy({ headers: req.headers, limits: { fileSize: 50 * 1024 * 1024, files: 17, fields: 40 } });
      } catch {
        resolve(invalid('Invalid multipart body: missing boundary.', null, 'invalid_multipart'));
        return;
      }
      bb.on('field', (name, value) => {
        fields[name] = value;
      });
      bb.on('file', (name, file, info) => {
        const parts: Buffer[] = [];
        file.on('data', (c: Buffer) => parts.push(c));
        file.on('limit', () => {
          failure ??= new ApiError(413, `'${info.filename}' is larger than the 50 MB image limit.`, 'invalid_request_error', name, 'file_too_large');
        });
        file.on('end', () => {
          const bytes = Buffer.concat(parts);
          if (name === 'image' || name === 'image[]') images.push(bytes);
          else if (name === 'mask') mask = bytes;
          else failure ??= invalid(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
        });
      });
      bb.on('error', () => resolve(invalid('Could not parse the multipart form body.', null, null)));
      bb.on('close', () => resolve(failure ?? { fields, images, ...(mask ? { mask } : {}) }));
      req.pipe(bb);
    });
  }

  async function imageInfo(bytes: Buffer): Promise<{ format: string; width: number; height: number } | undefined> {
    try {
      const m = await sharp(bytes).metadata();
      return m.format && m.width && m.height ? { format: m.format, width: m.width, height: m.height } : undefined;
    } catch {
      return undefined;
    }
  }

  async function uploads(form: { fields: Record<string, string>; images: Buffer[]; mask?: Buffer }, kind: 'edit' | 'variation'): Promise<Job> {
    if (form.images.length === 0) throw invalid("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
    const job = plan(form.fields, kind, true, form.images.length);
    const dalle = job.rule.family === 'dall-e-2';
    if (dalle && form.images.length > 1) throw invalid(`${job.model} accepts exactly one image.`, 'image', 'invalid_value');
    if (form.images.length > 16) throw invalid('At most 16 images can be edited at once.', 'image', 'invalid_value');
    const infos = [];
    for (const bytes of form.images) {
      const info = await imageInfo(bytes);
      if (!info) throw invalid('Invalid image file or mode for image, please check your image file.', 'image', 'invalid_image_file');
      if (dalle) {
        if (info.format !== 'png' && defect !== 'edit-any-format') throw invalid('Uploaded image must be a PNG and less than 4 MB.', 'image', 'invalid_image_format');
        if (bytes.length > 4 * 1024 * 1024) throw invalid('Uploaded image must be a PNG and less than 4 MB.', 'image', 'image_too_large');
        if (info.width !== info.height && defect !== 'edit-non-square-accepted') throw invalid('Uploaded image must be square.', 'image', 'invalid_image');
      } else if (!['png', 'jpeg', 'webp'].includes(info.format)) throw invalid(`Invalid image format '${info.format}': png, webp and jpg are supported.`, 'image', 'invalid_image_format');
      infos.push(info);
    }
    if (form.mask) {
      const m = await imageInfo(form.mask);
      if (!m || m.format !== 'png') throw invalid('The mask must be a PNG.', 'mask', 'invalid_image_format');
      if ((m.width !== infos[0]!.width || m.height !== infos[0]!.height) && defect !== 'mask-unchecked') throw invalid('The mask and the image must have the same dimensions.', 'mask', 'invalid_value');
    }
    // `auto` for an edit follows the first image's orientation.
    if (!form.fields.size || form.fields.size === 'auto') {
      if (job.rule.family === 'gpt-image') {
        const first = infos[0]!;
        job.size = first.width > first.height ? '1536x1024' : first.width < first.height ? '1024x1536' : '1024x1024';
        [job.width, job.height] = parseSize(job.size)!;
      }
    }
    if (defect === 'multi-image-first-only') job.inputImages = 1;
    return job;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const id = requestId();
    res.setHeader('x-request-id', id);
    if (defect === 'request-id-missing') res.removeHeader('x-request-id');
    const url = target(req);
    const route = `${req.method} ${url.pathname}`;
    try {
      if (route === 'GET /v1/models') {
        authenticate(req);
        const data = Object.keys(MODELS).map((m, i) => ({ id: m, object: 'model', created: 1698785189 + i * 86400, owned_by: 'system' }));
        return sendJson(res, 200, { object: 'list', data }, { headers: baseHeaders(id, started) });
      }
      const op = { 'POST /v1/images/generations': 'generation', 'POST /v1/images/edits': 'edit', 'POST /v1/images/variations': 'variation' }[route] as Job['kind'] | undefined;
      if (!op) throw new ApiError(404, `Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error', null, null);
      authenticate(req);
      const project = req.headers['openai-project'];
      if (typeof project === 'string' && OUT_OF_CREDIT_PROJECTS.has(project)) {
        req.resume();
        if (defect === 'quota-as-rate-limit') throw new ApiError(429, 'Rate limit reached for images per minute.', 'requests', null, 'rate_limit_exceeded', { 'retry-after': '20' });
        throw new ApiError(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', null, 'insufficient_quota');
      }
      if (op === 'variation' && defect === 'variations-501') throw new ApiError(501, 'API not implemented', 'invalid_request_error', null, 'api_not_implemented');
      let job: Job;
      if (op === 'generation') {
        if (mediaTypeOf(req) !== 'application/json') {
          req.resume();
          throw invalid(`Invalid Content-Type header (${mediaTypeOf(req) || 'none'}), expected application/json.`, null, null);
        }
        const body = await readBody(req, BODY_LIMIT);
        if (!body.ok) throw new ApiError(413, 'Request body too large: the limit is 64 MB.', 'invalid_request_error', null, null, { connection: 'close' });
        let fields: unknown;
        try {
          fields = JSON.parse(body.bytes.toString('utf8'));
        } catch {
          throw invalid('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)', null, null);
        }
        if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw invalid('The request body must be a JSON object.', null, null);
        job = plan(fields as Record<string, unknown>, 'generation', false, 0);
      } else {
        if (mediaTypeOf(req) !== 'multipart/form-data') {
          req.resume();
          throw invalid(`Invalid Content-Type header (${mediaTypeOf(req) || 'none'}), expected multipart/form-data.`, null, null);
        }
        const form = await readMultipart(req);
        if (form instanceof ApiError) throw form;
        job = await uploads(form, op);
      }
      if (UNSAFE.test(job.prompt)) {
        if (job.rule.family === 'gpt-image')
          throw Object.assign(new ApiError(400, 'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID ' + id + '.', 'image_generation_user_error', null, 'moderation_blocked'), { details: { moderation_stage: 'input', categories: ['violence'] } });
        throw new ApiError(400, 'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.', 'invalid_request_error', null, 'content_policy_violation');
      }
      if (defect === 'error-200' && job.model === 'dall-e-3') {
        return sendJson(res, 200, { error: { message: 'Your request was rejected as a result of our safety system.', type: 'invalid_request_error', param: null, code: 'content_policy_violation' } }, { headers: baseHeaders(id, started) });
      }
      await answer(res, job, id, started);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const details = (error as ApiError & { details?: unknown }).details;
      sendJson(res, error.status, { error: { message: error.message, type: error.type, param: error.param, code: error.code, ...(details ? { moderation_details: details } : {}) } }, { headers: { ...baseHeaders(id, started), ...error.headers } });
    }
  }

  const server = await listen(handle, (res) => sendJson(res, 500, { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }));
  return {
    url: `${server.origin}/v1`,
    origin: server.origin,
    close: closeAll(server.close, cdn.close),
  };
}
