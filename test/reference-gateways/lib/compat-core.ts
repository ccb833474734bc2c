// The OpenAI-compatible generations endpoint as the gateways of refs 001-004 document it, with what
// each gateway decides left to its configuration: its model table (from its own reference), whether
// `model` is required or which model is the default, its error dialect, request-id format, body
// limit, how images are encoded and where their URLs point, and what it adds to a success body
// (ref 003's perf block) or emits on the side (ref 002's progress events).
//
// Defects are named single faults a config can switch on (test/reference-gateways/defects.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearer, listen, mediaTypeOf, readBody, sendBytes, sendJson, target, type Listening, type SendOptions } from './http.js';
import type { SignedFiles } from './signed-files.js';

export interface CompatModel {
  id: string;
  /** Other names the gateway accepts for it (provider/model slugs). */
  aliases?: string[];
  owner: string;
  promptMax: number;
  nMax: number;
  sizes: string[];
  defaultSize: string;
  /** Custom WIDTHxHEIGHT within these rules (ref 001 "custom sizes", ref 003 "custom"). */
  custom?: { multipleOf: number; minEdge: number; maxEdge: number; maxAspect: number };
  /** Quality and style values the model takes; absent: the parameter does not apply to it. */
  qualities?: string[];
  defaultQuality?: string;
  styles?: string[];
  revisesPrompt?: boolean;
  usdPerImage(size: string, quality: string): number;
}

export interface ErrorSpec {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface Generation {
  requestId: string;
  model: CompatModel;
  /** The name the client used (bare id or slug). */
  asked: string;
  prompt: string;
  n: number;
  size: string;
  width: number;
  height: number;
  quality: string;
  style?: string;
  responseFormat: 'url' | 'b64_json';
  fields: Record<string, unknown>;
  started: number;
}

export interface StoredImage {
  bytes: Buffer;
  mime: string;
  ext: string;
}

export interface CompatConfig {
  apiKeys: string[];
  models: CompatModel[];
  /** Model used when the request names none; undefined: `model` is required. */
  defaultModel?: string;
  /** Parameters this gateway documents besides the common ones (user, moderation, metadata ...), with their allowed values ('*' = any string). */
  extraParams?: Record<string, string[] | '*' | 'object'>;
  /** quality/style on a model they do not apply to: ignored, or a 400. */
  foreignParams: 'ignore' | 'reject';
  bodyLimit: number;
  requestId(): string;
  errorBody(e: ErrorSpec, requestId: string): unknown;
  render(g: Generation, index: number): Promise<StoredImage> | StoredImage;
  /** Where a url-format image is published. */
  publish(image: StoredImage, g: Generation): string;
  /** Extra response headers on every answer. */
  headers?(requestId: string): Record<string, string>;
  /** After validation: a content screen may refuse the request (throws CompatError). */
  screen?(g: Generation): void;
  /** Adds to the success body (perf block, metadata). */
  decorate?(body: Record<string, unknown>, g: Generation): void;
  /** Called around the images of a generation (progress events). */
  onImage?(g: Generation, index: number, phase: 'start' | 'done'): Promise<void> | void;
  /** Before validation: a rate limiter may answer (true = answered). */
  admit?(req: IncomingMessage, res: ServerResponse, requestId: string, images: number): boolean;
  chunked?: boolean;
  defect?: string;
}

export class CompatError extends Error {
  constructor(readonly spec: ErrorSpec) {
    super(spec.message);
  }
}

const bad = (message: string, param: string | null, code: string | null, type = 'invalid_request_error'): CompatError =>
  new CompatError({ status: 400, message, type, param, code });

const chars = (s: string) => [...s].length;

export function parseSize(size: string): [number, number] | undefined {
  const m = /^([1-9]\d{0,4})x([1-9]\d{0,4})$/.exec(size);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function findModel(config: CompatConfig, name: string): CompatModel | undefined {
  return config.models.find((m) => m.id === name || m.aliases?.includes(name));
}

export class CompatGateway {
  constructor(readonly config: CompatConfig) {}

  send(res: ServerResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}): void {
    const options: SendOptions = { headers: { ...this.headers(requestId), ...extra }, ...(this.config.chunked ? { chunked: true } : {}) };
    if (status === 200 && this.config.defect === 'success-text-plain') return sendBytes(res, status, Buffer.from(JSON.stringify(body)), 'text/plain; charset=utf-8', options);
    sendJson(res, status, body, options);
  }

  headers(requestId: string): Record<string, string> {
    return { ...(this.config.defect === 'request-id-missing' ? {} : { 'x-request-id': requestId }), ...(this.config.headers?.(requestId) ?? {}) };
  }

  sendError(res: ServerResponse, e: ErrorSpec, requestId: string, extra: Record<string, string> = {}): void {
    this.send(res, e.status, this.config.errorBody(e, requestId), requestId, extra);
  }

  /** 401 unless the request carries one of the gateway's keys. */
  authenticate(req: IncomingMessage): void {
    const key = bearer(req);
    if (!key && this.config.defect === 'missing-key-accepted') return;
    if (!key) throw new CompatError({ status: 401, message: 'Missing API key: send Authorization: Bearer <key>.', type: 'authentication_error', param: null, code: 'missing_api_key' });
    if (!this.config.apiKeys.includes(key) && this.config.defect !== 'wrong-key-accepted')
      throw new CompatError({ status: this.config.defect === 'wrong-key-403' ? 403 : 401, message: 'Invalid API key provided.', type: 'authentication_error', param: null, code: 'invalid_api_key' });
  }

  listModels(res: ServerResponse, requestId: string): void {
    const data = this.config.models.flatMap((m) => [m.id, ...(m.aliases ?? [])].map((id) => ({ id, object: 'model', created: 1700000000, owned_by: m.owner })));
    this.send(res, 200, { object: 'list', data }, requestId);
  }

  /** GET …/models: the list for a valid key, else the 401. */
  serveModels(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    try {
      this.authenticate(req);
      this.listModels(res, requestId);
    } catch (error) {
      if (!(error instanceof CompatError)) throw error;
      this.sendError(res, error.spec, requestId);
    }
  }

  /** Any other route: a 404 in the gateway's dialect (the body, if any, is drained). */
  notFound(req: IncomingMessage, res: ServerResponse, requestId: string, message: string, code: string | null): void {
    req.resume();
    this.sendError(res, { status: 404, message, type: 'invalid_request_error', param: null, code }, requestId);
  }

  /** GET of an image the gateway hosts itself: the bytes, or a 404 (unknown, forged) / 410 (expired) in its dialect. */
  serveFile(files: SignedFiles, url: URL, res: ServerResponse, requestId: string): void {
    const file = files.get(url);
    if (file === 'missing') return this.sendError(res, { status: 404, message: 'No such image.', type: 'invalid_request_error', param: null, code: 'file_not_found' }, requestId);
    if (file === 'expired') return this.sendError(res, { status: 410, message: 'This image link has expired; generate the image again.', type: 'invalid_request_error', param: null, code: 'url_expired' }, requestId);
    sendBytes(res, 200, file.bytes, file.mime, { headers: { 'x-request-id': requestId, 'cache-control': 'private, max-age=3600' } });
  }

  /** Serves the gateway on loopback: generations, its hosted images, the model list, else a 404 in its dialect. */
  listen(options: { files?: SignedFiles; notFound(route: string): [message: string, code: string | null] }): Promise<Listening> {
    return listen(
      async (req, res) => {
        const id = this.config.requestId();
        const url = target(req);
        if (req.method === 'POST' && url.pathname === '/v1/images/generations') return this.generate(req, res, id);
        if (req.method === 'GET' && options.files?.owns(url.pathname)) return this.serveFile(options.files, url, res, id);
        if (req.method === 'GET' && url.pathname === '/v1/models') return this.serveModels(req, res, id);
        const [message, code] = options.notFound(`${req.method} ${url.pathname}`);
        this.notFound(req, res, id, message, code);
      },
      (res) => sendJson(res, 500, this.config.errorBody({ status: 500, message: 'Internal gateway error.', type: 'server_error', param: null, code: null }, '')),
    );
  }

  /** Validates a generation request body into a Generation (throws CompatError). */
  validate(fields: Record<string, unknown>, requestId: string): Generation {
    const c = this.config;
    const d = c.defect;
    const given = (k: string) => fields[k] !== undefined && fields[k] !== null;
    const text = (k: string): string | undefined => {
      if (!given(k)) return undefined;
      if (typeof fields[k] !== 'string') throw bad(`'${k}' must be a string.`, k, 'invalid_type');
      return fields[k] as string;
    };
    const prompt = text('prompt');
    if (prompt === undefined) throw bad("'prompt' is required.", 'prompt', 'missing_required_parameter');
    if (prompt.trim() === '' && d !== 'empty-prompt-accepted') throw bad("'prompt' must not be empty.", 'prompt', 'invalid_value');

    const name = text('model') ?? c.defaultModel;
    if (name === undefined) throw bad("'model' is required.", 'model', 'missing_required_parameter');
    const model = findModel(c, d === 'default-model-wrong' && !given('model') ? c.models.find((m) => m.id !== c.defaultModel)!.id : name);
    if (!model || (d === 'slug-rejected' && name.includes('/'))) throw new CompatError({ status: 404, message: `Model '${name}' is not available on this gateway.`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
    if (d !== 'prompt-unlimited' && (d !== 'prompt-limit-bytes' ? chars(prompt) > model.promptMax : Buffer.byteLength(prompt) > model.promptMax))
      throw bad(`'prompt' is too long for ${model.id}: at most ${model.promptMax} characters.`, 'prompt', 'prompt_too_long');

    let n = 1;
    if (given('n')) {
      if (typeof fields.n !== 'number' || !Number.isInteger(fields.n)) throw bad("'n' must be an integer.", 'n', 'invalid_type');
      n = fields.n;
    }
    if (n < 1) throw bad(`'n' must be at least 1.`, 'n', 'invalid_value');
    if (n > model.nMax) {
      if (d === 'n-clamped') n = model.nMax;
      else throw bad(`'n' must be between 1 and ${model.nMax} for ${model.id}.`, 'n', 'invalid_value');
    }

    const sizeAsked = text('size');
    let size = sizeAsked ?? (d === 'default-size-wrong' ? model.sizes.find((s) => s !== model.defaultSize) ?? model.defaultSize : model.defaultSize);
    if (d === 'size-ignored') size = model.defaultSize;
    const dims = parseSize(size);
    if (!dims) throw bad(`'size' must be WIDTHxHEIGHT, got '${size}'.`, 'size', 'invalid_size');
    if (!model.sizes.includes(size) && d !== 'size-unchecked') {
      const cu = model.custom;
      const [w, h] = dims;
      const ok = cu && w % cu.multipleOf === 0 && h % cu.multipleOf === 0 && Math.min(w, h) >= cu.minEdge && Math.max(w, h) <= cu.maxEdge && Math.max(w / h, h / w) <= cu.maxAspect;
      if (!ok) throw bad(`Invalid size for ${model.id}: must be ${model.sizes.join(', ')}${cu ? ` or a custom size (multiples of ${cu.multipleOf}, ${cu.minEdge}-${cu.maxEdge} px)` : ''}.`, 'size', 'invalid_size');
    }

    const choice = (k: 'quality' | 'style', values: string[] | undefined, known: string[]): string | undefined => {
      const v = text(k);
      if (v === undefined) return undefined;
      if (!known.includes(v)) throw bad(`Invalid ${k} '${v}': use one of ${known.join(', ')}.`, k, 'invalid_value');
      if (!values) {
        if (c.foreignParams === 'reject') throw bad(`'${k}' is not supported by ${model.id}.`, k, 'invalid_value');
        return undefined;
      }
      if (!values.includes(v)) throw bad(`Invalid ${k} '${v}' for ${model.id}: use one of ${values.join(', ')}.`, k, 'invalid_value');
      return v;
    };
    const quality = choice('quality', model.qualities, ['standard', 'hd', 'low', 'medium', 'high', 'auto']) ?? model.defaultQuality ?? 'standard';
    const style = choice('style', model.styles, ['vivid', 'natural']) ?? (model.styles ? 'vivid' : undefined);
    const rf = text('response_format') ?? 'url';
    if (rf !== 'url' && rf !== 'b64_json') throw bad(`Invalid response_format '${rf}': use url or b64_json.`, 'response_format', 'invalid_value');
    for (const [k, allowed] of Object.entries(c.extraParams ?? {})) {
      if (!given(k)) continue;
      if (allowed === 'object') {
        if (typeof fields[k] !== 'object' || Array.isArray(fields[k])) throw bad(`'${k}' must be an object.`, k, 'invalid_type');
        continue;
      }
      const v = text(k)!;
      if (allowed !== '*' && !allowed.includes(v)) throw bad(`Invalid ${k} '${v}': use one of ${allowed.join(', ')}.`, k, 'invalid_value');
    }
    const [width, height] = d === 'wrong-image-size' ? [dims[0] / 2, dims[1] / 2] : dims;
    return { requestId, model, asked: name, prompt, n, size, width, height, quality, ...(style ? { style } : {}), responseFormat: rf, fields, started: Date.now() };
  }

  /** POST …/images/generations. */
  async generate(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const c = this.config;
    try {
      this.authenticate(req);
      const type = mediaTypeOf(req);
      if (type !== 'application/json') {
        req.resume();
        throw new CompatError({ status: 415, message: `Content-Type must be application/json, got '${type || 'none'}'.`, type: 'invalid_request_error', param: null, code: 'unsupported_media_type' });
      }
      const body = await readBody(req, c.bodyLimit);
      if (!body.ok) {
        // The defect: a proxy that gives up on a large body by closing the connection.
        if (c.defect === 'oversized-drop') return void req.socket.destroy();
        this.sendError(res, { status: 413, message: `Request body exceeds ${c.bodyLimit} bytes.`, type: 'invalid_request_error', param: null, code: 'request_too_large' }, requestId, { connection: 'close' });
        return;
      }
      let fields: unknown;
      try {
        fields = JSON.parse(body.bytes.toString('utf8'));
      } catch {
        throw bad('Request body is not valid JSON.', null, 'invalid_json');
      }
      if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw bad('Request body must be a JSON object.', null, 'invalid_json');
      const g = this.validate(fields as Record<string, unknown>, requestId);
      c.screen?.(g);
      if (c.admit && c.admit(req, res, requestId, g.n)) return;
      const data: Array<Record<string, string>> = [];
      const count = c.defect === 'n-ignored' ? 1 : g.n;
      for (let i = 0; i < count; i++) {
        await c.onImage?.(g, i, 'start');
        let image = await c.render(g, i);
        if (c.defect === 'truncated-image') image = { ...image, bytes: image.bytes.subarray(0, Math.floor(image.bytes.length * 0.6)) };
        const item: Record<string, string> = g.responseFormat === 'url' ? { url: c.publish(image, g) } : { b64_json: `${c.defect === 'b64-data-url' ? `data:${image.mime};base64,` : ''}${image.bytes.toString('base64')}` };
        if (g.model.revisesPrompt) item.revised_prompt = c.defect === 'revised-prompt-empty' ? '' : `${g.prompt}, rendered in rich detail with balanced composition`;
        data.push(item);
        await c.onImage?.(g, i, 'done');
      }
      const created = Math.floor(Date.now() / 1000);
      const out: Record<string, unknown> = { created: c.defect === 'created-ms' ? Date.now() : created, data };
      c.decorate?.(out, g);
      this.send(res, 200, out, requestId);
    } catch (error) {
      if (!(error instanceof CompatError)) throw error;
      if (c.defect === 'validation-500' && error.spec.status === 400) return this.sendError(res, { ...error.spec, status: 500 }, requestId);
      if (c.defect === 'validation-422' && error.spec.status === 400) return this.sendError(res, { ...error.spec, status: 422 }, requestId);
      if (c.defect === 'unknown-model-500' && error.spec.code === 'model_not_found') return this.sendError(res, { ...error.spec, status: 500, type: 'server_error' }, requestId);
      if (c.defect === 'error-as-200' && error.spec.status === 400) return this.send(res, 200, c.errorBody(error.spec, requestId), requestId);
      this.sendError(res, error.spec, requestId);
    }
  }
}
