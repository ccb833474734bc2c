// The suite's HTTP client for untrusted gateways. Every request has a deadline (headers that never
// come, bodies that stall or drip), every response a size cap, redirects to another origin are never
// followed on API calls (the API key would go with them), and nothing here throws: failures become
// an `error` on the recorded exchange. Every exchange is kept for the report, redacted on the way out.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { Agent, request as undiciRequest } from 'undici';
import { BodyGate } from '../http/body-gate.js';
import { readBoundedBody, type BoundedBody } from '../http/body-reader.js';
import { DeadlineReached } from './deadline.js';
import type { RatePacer } from './rate-pacer.js';
import type { Redactor } from './redact.js';
import { DEFAULT_MAX_WAIT_MS, RetryPolicy, type RequestRetry, type RetryRecord } from './retry-policy.js';
import { sendWithRetries } from './retrying-send.js';

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const MAX_API_REDIRECTS = 3;
const MAX_DOWNLOAD_REDIRECTS = 5;
/** How long a large upload waits for `100 Continue` (or an early answer) before sending anyway, as curl does. */
const EXPECT_CONTINUE_WAIT_MS = 1_000;
const AFTER_CONTINUE_GRACE_MS = 250;
/** Response body kept per exchange in reports (long base64 runs are summarised first). */
const RECORD_BODY_CHARS = 16_384;

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType: string; data: Uint8Array; describe?: string };

export type RequestBody =
  | { kind: 'json'; value: unknown }
  /** Raw text with a content type of the check's choosing (malformed JSON, wrong content type). */
  | { kind: 'text'; text: string; contentType: string | null }
  | { kind: 'multipart'; parts: MultipartPart[] }
  /** A large body streamed in chunks: prefix + fill repeated + suffix, `bytes` long in total. */
  | { kind: 'generated'; bytes: number; contentType: string; prefix: string; fill: string; suffix: string };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: RequestBody;
  /** 'key' (default): `Authorization: Bearer <api key>` when the run has one; 'none'; or this bearer token. */
  auth?: 'key' | 'none' | { bearer: string };
  headers?: Record<string, string>;
  /** What the exchange is for, shown in reports. */
  label: string;
  /** Image download: no credentials, no custom headers, redirects followed to any http(s) origin. */
  download?: boolean;
  signal?: AbortSignal;
  /** Which retries apply (retry-policy.ts); requests probing 429s set `rateLimit: false`. */
  retry?: RequestRetry;
}

export type ExchangeErrorKind = 'unreachable' | 'timeout' | 'too-large' | 'aborted' | 'network' | 'redirect';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /**
   * The whole decoded body when it was read to the end within the cap; otherwise only its excerpt.
   * Whole bodies live on the Exchange the caller holds; the run's history keeps the excerpt.
   */
  body: Buffer;
  /** The first 64 KiB of the decoded body: what reports show. */
  excerpt: Buffer;
  /** Decoded bytes received (more than `body.length` when the body was cut). */
  bytes: number;
  /** The body was cut at the size cap (or the connection broke mid-body). */
  truncated: boolean;
}

export interface Exchange {
  seq: number;
  label: string;
  method: string;
  url: string;
  /** Where the answer finally came from (after followed redirects). */
  finalUrl: string;
  /** Headers as sent. Private: reports use `toRecord`, which redacts. */
  requestHeaders: Record<string, string>;
  body?: RequestBody;
  /** Bytes of the request body actually sent. */
  sentBytes: number;
  startedAt: number;
  durationMs: number;
  response?: HttpResponse;
  redirects: Array<{ status: number; from: string; location: string; followed: boolean }>;
  error?: { kind: ExchangeErrorKind; message: string };
  /** On the last attempt of a retried request: every attempt, and why retrying stopped. */
  retry?: RetryRecord;
  /** Parsed-JSON cache (see exchange.ts). */
  parsed?: { ok: true; value: unknown } | { ok: false; error: string };
}

/** What reports show of an exchange: redacted, large bodies summarised. */
export interface ExchangeRecord {
  seq: number;
  label: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  sentBytes: number;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  responseBytes?: number;
  truncated?: boolean;
  redirects?: Exchange['redirects'];
  error?: Exchange['error'];
  durationMs: number;
}

export interface HttpClientOptions {
  apiKey?: string;
  /** Custom headers for API calls (same origin as the base URL only). */
  headers?: Record<string, string>;
  /** Origin of the gateway's base URL: custom headers and the key go nowhere else. */
  origin: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  redactor: Redactor;
  userAgent?: string;
  /** Longest Retry-After waited out before retrying a 429 (default 60 s; 0 disables retries). */
  maxRetryWaitMs?: number;
  /** Retry policy (default: from maxRetryWaitMs) and the pacer for requests to the gateway's origin. */
  retryPolicy?: RetryPolicy;
  pacer?: RatePacer;
  /** The run's deadline: when it aborts, every request in flight is aborted and no new one is made. */
  signal?: AbortSignal;
}

export class HttpClient {
  readonly exchanges: Exchange[] = [];
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRetryWaitMs: number;
  readonly retryPolicy: RetryPolicy;
  private readonly agent: Agent;
  /** One body past 8 MiB is read at a time; other large ones wait, paused (memory stays bounded under concurrency). */
  private readonly bodyGate = new BodyGate(1, 8 * 1024 * 1024);

  constructor(private readonly options: HttpClientOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.retryPolicy = options.retryPolicy ?? new RetryPolicy({ maxWaitMs: options.maxRetryWaitMs ?? DEFAULT_MAX_WAIT_MS });
    this.maxRetryWaitMs = this.retryPolicy.maxWaitMs;
    this.agent = new Agent({
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connect: { timeout: Math.min(this.timeoutMs, 30_000) },
      keepAliveTimeout: 2_000,
    });
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  get hasKey(): boolean {
    return Boolean(this.options.apiKey);
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }

  /** Headers for a request: credentials and custom headers only for the gateway's own origin. */
  headersFor(req: HttpRequest, url: string): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'imagegen-contract-conformance' };
    const sameOrigin = originOf(url) === this.options.origin;
    if (!req.download && sameOrigin) {
      Object.assign(headers, lowerKeys(this.options.headers ?? {}));
      const auth = req.auth ?? 'key';
      if (auth === 'key' && this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
      else if (typeof auth === 'object') headers.authorization = `Bearer ${auth.bearer}`;
      headers.accept = 'application/json, text/event-stream;q=0.9, */*;q=0.1';
    } else {
      headers.accept = 'image/*, */*;q=0.1';
    }
    Object.assign(headers, lowerKeys(req.headers ?? {}));
    const body = req.body;
    if (body?.kind === 'json') headers['content-type'] = 'application/json';
    else if (body?.kind === 'text') {
      if (body.contentType === null) delete headers['content-type'];
      else headers['content-type'] = body.contentType;
    } else if (body?.kind === 'generated') headers['content-type'] = body.contentType;
    return headers;
  }

  get pacer(): RatePacer | undefined {
    return this.options.pacer;
  }

  /** Sends a request, paced and retried per retry-policy.ts (every attempt stays recorded). */
  async send(request: HttpRequest): Promise<Exchange> {
    // The run's deadline rides along every request (and the waits between retries).
    const run = this.options.signal;
    const req = run ? { ...request, signal: request.signal ? AbortSignal.any([run, request.signal]) : run } : request;
    const paced = !req.download && originOf(req.url) === this.options.origin;
    const attempts: Exchange[] = [];
    const ex = await sendWithRetries(req, (r) => this.sendOnce(r).then((a) => (attempts.push(a), a)), this.retryPolicy, paced ? this.options.pacer : undefined);
    for (const a of attempts) this.keepExcerptOnly(a);
    return ex;
  }

  /**
   * The run's history keeps an exchange with only its body's excerpt (once the request is done, retry
   * record included): whole bodies live as long as the caller holds its Exchange, so memory per past
   * exchange stays bounded.
   */
  private keepExcerptOnly(ex: Exchange): void {
    if (ex.response && ex.response.body !== ex.response.excerpt && this.exchanges[ex.seq - 1] === ex) this.exchanges[ex.seq - 1] = { ...ex, response: { ...ex.response, body: ex.response.excerpt } };
  }

  private async sendOnce(req: HttpRequest): Promise<Exchange> {
    const ex = this.newExchange(req);
    try {
      if (req.body?.kind === 'generated') await this.sendGenerated(req, ex);
      else await this.sendBuffered(req, ex);
    } catch (error) {
      // Defensive: the paths above record their own failures.
      ex.error ??= { kind: 'network', message: describeError(error) };
    }
    ex.durationMs = Date.now() - ex.startedAt;
    return ex;
  }

  private newExchange(req: HttpRequest): Exchange {
    const ex: Exchange = {
      seq: this.exchanges.length + 1,
      label: req.label,
      method: req.method,
      url: req.url,
      finalUrl: req.url,
      requestHeaders: this.headersFor(req, req.url),
      ...(req.body ? { body: req.body } : {}),
      sentBytes: 0,
      startedAt: Date.now(),
      durationMs: 0,
      redirects: [],
    };
    this.exchanges.push(ex);
    return ex;
  }

  private async sendBuffered(req: HttpRequest, ex: Exchange): Promise<void> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const encoded = encodeBody(req.body);
    let url = req.url;
    let method = req.method;
    let body = encoded?.bytes;
    for (let hop = 0; ; hop++) {
      const headers = this.headersFor(req, url);
      if (encoded?.contentType) headers['content-type'] = encoded.contentType;
      if (method === 'GET' || !body) delete headers['content-type'];
      if (hop === 0) ex.requestHeaders = headers;
      if (signal.aborted) {
        ex.error = classify(signal.reason, deadline, this.timeoutMs);
        return;
      }
      let res: Awaited<ReturnType<typeof undiciRequest>>;
      try {
        res = await undiciRequest(url, {
          method,
          headers,
          ...(body ? { body } : {}),
          dispatcher: this.agent,
          signal,
        });
      } catch (error) {
        ex.error = classify(error, deadline, this.timeoutMs);
        return;
      }
      ex.sentBytes = body?.length ?? 0;
      const location = headerValue(res.headers, 'location');
      if (res.statusCode >= 300 && res.statusCode < 400 && location) {
        const next = safeUrl(location, url);
        const follow = next !== undefined && this.mayFollow(req, method, res.statusCode, url, next, hop);
        ex.redirects.push({ status: res.statusCode, from: url, location, followed: follow });
        if (follow && next) {
          discard(res.body);
          if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method !== 'GET')) {
            method = 'GET';
            body = undefined;
          }
          url = next;
          ex.finalUrl = url;
          continue;
        }
      }
      ex.response = await this.readBody(res.statusCode, flattenHeaders(res.headers), res.body as unknown as Readable, signal, deadline, ex);
      return;
    }
  }

  private mayFollow(req: HttpRequest, method: string, status: number, from: string, to: string, hop: number): boolean {
    const protocol = new URL(to).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') return false;
    if (req.download) return hop < MAX_DOWNLOAD_REDIRECTS;
    // API calls: same origin only, and only where the method and body survive unchanged.
    if (originOf(to) !== originOf(from) || hop >= MAX_API_REDIRECTS) return false;
    return method === 'GET' || status === 307 || status === 308;
  }

  private async readBody(status: number, headers: Record<string, string>, stream: Readable, signal: AbortSignal, deadline: AbortSignal | undefined, ex: Exchange): Promise<HttpResponse> {
    // A gateway may compress even unasked (CDNs do); decode as a client would, with the size cap
    // applied to the decoded bytes so a compression bomb cannot get past it.
    const read = await readBoundedBody(stream, { contentEncoding: headers['content-encoding'], contentLength: headers['content-length'], maxBytes: this.maxResponseBytes, signal, gate: this.bodyGate });
    if (read.error) ex.error ??= this.bodyError(read, deadline);
    return { status, headers, body: read.body, excerpt: read.excerpt, bytes: read.bytes, truncated: !read.complete };
  }

  private bodyError(read: BoundedBody, deadline: AbortSignal | undefined): { kind: ExchangeErrorKind; message: string } {
    const e = read.error!;
    if (e.kind === 'too-large' && e.declared !== undefined)
      return { kind: 'too-large', message: `the declared Content-Length (${formatBytes(e.declared)}) is over the ${formatBytes(this.maxResponseBytes)} cap; read its first ${formatBytes(read.bytes)}` };
    if (e.kind === 'too-large') return { kind: 'too-large', message: `response body exceeded the ${formatBytes(this.maxResponseBytes)} cap; stopped reading` };
    if (e.kind === 'decode') return { kind: 'network', message: e.message };
    return classify(e.cause, deadline, this.timeoutMs, true);
  }

  /** Streams a large body with node:http, stopping as soon as the server answers. */
  private sendGenerated(req: HttpRequest, ex: Exchange): Promise<void> {
    const body = req.body as Extract<RequestBody, { kind: 'generated' }>;
    const url = new URL(req.url);
    // Expect: 100-continue lets a server refuse by Content-Length before a byte of the body is sent
    // (no 70 MiB upload, and no EPIPE race with a server that answers and closes at once).
    const headers = { ...this.headersFor(req, req.url), 'content-length': String(body.bytes), expect: '100-continue' };
    ex.requestHeaders = headers;
    const mod = url.protocol === 'https:' ? https : http;
    if (req.signal?.aborted) {
      ex.error = { kind: 'aborted', message: 'check aborted' };
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      let settled = false;
      let responded = false;
      const bodySignal = new AbortController();
      const finish = () => {
        if (settled) return;
        if (responded && !ex.response) {
          // Still reading the answer: stop the reader, which records what came and calls finish again.
          bodySignal.abort();
          return;
        }
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        creq.destroy();
        resolve();
      };
      const timer = setTimeout(() => {
        ex.error ??= { kind: 'timeout', message: `no complete answer within ${this.timeoutMs / 1000}s` };
        finish();
      }, this.timeoutMs);
      const onAbort = () => {
        ex.error ??= { kind: 'aborted', message: 'check aborted' };
        finish();
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const creq = mod.request(url, { method: req.method, headers, agent: false });
      creq.on('error', (error) => {
        if (!responded) {
          ex.error ??= classify(error, undefined, this.timeoutMs);
          finish();
        }
      });
      creq.on('response', (res) => {
        responded = true;
        // The bounded reader destroys the decoder and the socket at the cap: a compression bomb
        // costs nothing once the cap is reached.
        void readBoundedBody(res, { contentEncoding: res.headers['content-encoding'], contentLength: res.headers['content-length'], maxBytes: this.maxResponseBytes, signal: bodySignal.signal, gate: this.bodyGate }).then((read) => {
          if (read.error) ex.error ??= read.error.kind === 'stream' ? { kind: 'network', message: `the body broke off: ${read.error.message}` } : this.bodyError(read, undefined);
          ex.response = { status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: read.body, excerpt: read.excerpt, bytes: read.bytes, truncated: !read.complete };
          finish();
        });
      });
      // Pump the body in 1 MiB chunks, respecting back-pressure, until done or answered.
      const chunkSize = 1 << 20;
      const fillBlock = Buffer.from(body.fill.repeat(Math.ceil(chunkSize / Math.max(1, body.fill.length))).slice(0, chunkSize));
      const prefix = Buffer.from(body.prefix);
      const suffix = Buffer.from(body.suffix);
      const fillTotal = Math.max(0, body.bytes - prefix.length - suffix.length);
      const pump = async () => {
        const write = async (buf: Buffer) => {
          if (settled || responded) return false;
          ex.sentBytes += buf.length;
          if (!creq.write(buf)) {
            await new Promise<void>((r) => {
              const go = () => {
                creq.off('drain', go);
                creq.off('response', go);
                creq.off('close', go);
                r();
              };
              creq.on('drain', go);
              creq.on('response', go);
              creq.on('close', go);
            });
          }
          return !settled && !responded;
        };
        if (!(await write(prefix))) return;
        let left = fillTotal;
        while (left > 0) {
          const n = Math.min(left, fillBlock.length);
          if (!(await write(n === fillBlock.length ? fillBlock : fillBlock.subarray(0, n)))) return;
          left -= n;
        }
        if (!(await write(suffix))) return;
        if (!settled && !responded) creq.end();
      };
      creq.flushHeaders();
      const go = () => {
        if (!settled && !responded) pump().catch(() => undefined);
      };
      // Servers that do not handle Expect themselves (node:http) send the 100 before their handler
      // has looked at Content-Length: give the handler a moment to refuse before sending.
      const expectTimer = setTimeout(go, EXPECT_CONTINUE_WAIT_MS);
      creq.once('continue', () => {
        clearTimeout(expectTimer);
        setTimeout(go, AFTER_CONTINUE_GRACE_MS);
      });
    });
  }

  /** The exchange as reports show it: key redacted, long base64 summarised, size-capped. */
  toRecord(ex: Exchange): ExchangeRecord {
    const r = this.options.redactor;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(ex.requestHeaders)) headers[k] = k === 'authorization' ? redactAuthorization(v, this.options.apiKey) : v;
    const record: ExchangeRecord = {
      seq: ex.seq,
      label: ex.label,
      method: ex.method,
      url: ex.url,
      requestHeaders: headers,
      ...(ex.body ? { requestBody: describeRequestBody(ex.body, r) } : {}),
      sentBytes: ex.sentBytes,
      durationMs: ex.durationMs,
      ...(ex.redirects.length ? { redirects: ex.redirects } : {}),
      ...(ex.error ? { error: ex.error } : {}),
    };
    if (ex.response) {
      record.status = ex.response.status;
      record.responseHeaders = ex.response.headers;
      record.responseBytes = ex.response.bytes;
      record.responseBody = describeResponseBody(ex.response, r);
      if (ex.response.truncated) record.truncated = true;
    }
    return r.redactDeep(record);
  }
}

/** Destroys a response body nobody will read; its abort error must not become an uncaught exception. */
function discard(stream: { destroy(error?: Error): unknown; on(event: 'error', fn: () => void): unknown }): void {
  stream.on('error', () => undefined);
  stream.destroy();
}

function redactAuthorization(value: string, key: string | undefined): string {
  if (key && value.includes(key)) return value.split(key).join('$IMAGEGEN_API_KEY');
  return value;
}

function encodeBody(body: RequestBody | undefined): { bytes: Buffer; contentType: string | null } | undefined {
  if (!body) return undefined;
  switch (body.kind) {
    case 'json':
      return { bytes: Buffer.from(JSON.stringify(body.value)), contentType: 'application/json' };
    case 'text':
      return { bytes: Buffer.from(body.text), contentType: body.contentType };
    case 'multipart':
      return encodeMultipart(body.parts);
    case 'generated':
      throw new Error('generated bodies are streamed');
  }
}

export function encodeMultipart(parts: MultipartPart[]): { bytes: Buffer; contentType: string } {
  const boundary = `----imagegen-contract-${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const name = part.name.replace(/"/g, '%22');
    if ('filename' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${part.filename.replace(/"/g, '%22')}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
        ),
        Buffer.from(part.data),
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { bytes: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function describeRequestBody(body: RequestBody, r: Redactor): string {
  // Every text is redacted whole before summariseText cuts it (a cut key is no longer found whole).
  switch (body.kind) {
    case 'json':
      return summariseText(r.redact(JSON.stringify(body.value)));
    case 'text':
      return summariseText(r.redact(body.text));
    case 'multipart':
      return body.parts
        .map((p) => ('filename' in p ? `${p.name}=@${p.filename} (${p.contentType}, ${formatBytes(p.data.length)}${p.describe ? `, ${p.describe}` : ''})` : `${p.name}=${summariseText(r.redact(p.value))}`))
        .join('\n');
    case 'generated':
      return `<${formatBytes(body.bytes)} ${body.contentType} body, streamed: ${JSON.stringify(body.prefix)} + ${JSON.stringify(body.fill)}… + ${JSON.stringify(body.suffix)}>`;
  }
}

function describeResponseBody(res: HttpResponse, r: Redactor): string {
  const type = (res.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('image/') || (!type && looksBinary(res.excerpt))) return `<${formatBytes(res.bytes)} ${type || 'binary'} body>`;
  if (looksBinary(res.excerpt)) return `<${formatBytes(res.bytes)} binary body (content-type ${type || 'none'})>`;
  return summariseText(r.redact(res.excerpt.toString('utf8')));
}

/** Replaces long base64-like runs (images) with a short excerpt, then caps the text. */
export function summariseText(text: string, max = RECORD_BODY_CHARS): string {
  const out = text.replace(/[A-Za-z0-9+/=_-]{257,}/g, (run) => `${run.slice(0, 48)}…[${run.length} chars]`);
  return out.length > max ? `${out.slice(0, max)}…[${out.length - max} more chars]` : out;
}

function looksBinary(buf: Buffer): boolean {
  const sample = buf.subarray(0, 512);
  let odd = 0;
  for (const b of sample) if (b === 0 || (b < 9 && b !== 0)) odd++;
  return odd > 0;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function headerValue(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeUrl(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).toString();
  } catch {
    return undefined;
  }
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code ?? e?.cause?.code;
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error);
  const cause = (error as { cause?: unknown }).cause;
  const causeMessage = cause instanceof Error && cause.message !== error.message ? `: ${cause.message}` : '';
  return `${error.message}${causeMessage}${code && !error.message.includes(code) ? ` (${code})` : ''}`.split('\n')[0]!;
}

function classify(error: unknown, deadline: AbortSignal | undefined, timeoutMs: number, midBody = false): { kind: ExchangeErrorKind; message: string } {
  const code = errorCode(error) ?? '';
  const seconds = timeoutMs / 1000;
  if (error instanceof DeadlineReached) return { kind: 'aborted', message: `aborted: ${error.message}` };
  if (deadline?.aborted) return { kind: 'timeout', message: midBody ? `body not complete within ${seconds}s` : `no answer within ${seconds}s` };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout', message: `no response headers within ${seconds}s` };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'timeout', message: `response body stalled for ${seconds}s` };
  if ((error as Error)?.name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') return { kind: 'aborted', message: 'request aborted' };
  if (UNREACHABLE.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|ssl|tls/i.test((error as Error)?.message ?? ''))
    return { kind: 'unreachable', message: describeError(error) };
  return { kind: 'network', message: describeError(error) };
}
