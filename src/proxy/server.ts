// The validation proxy: forwards every request to the upstream gateway unchanged and reports
// contract violations of each exchange (one line each, plus an `x-contract-violations` header on
// buffered answers, as Prism's `sl-violations`). It never alters a successful exchange.
//
// Hardened for hostile traffic: a request target `new URL` would choke on is a 400 in the contract's
// envelope; bodies stream with back-pressure (a slow or paused client slows the upstream instead of
// filling the proxy's memory); the upstream request is aborted when the client leaves; a JSON answer
// over the buffer cap is streamed through unvalidated (never cut and passed off as complete), with
// a `proxy-unvalidated` note; compressed JSON is decoded (bounded) for validation and forwarded as
// it came; violation texts are redacted (the caller's own credentials) and header-safe.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { buildError } from '../contract/errors.js';
import { Redactor } from '../conformance/redact.js';
import { writeWithBackpressure } from '../http/backpressure.js';
import { readBoundedBody } from '../http/body-reader.js';
import { refusalFor } from '../http/parser-refusals.js';
import { parseRequestTarget } from '../http/request-target.js';
import { SseScanner } from './sse-scanner.js';
import { DEFAULT_VIOLATIONS_KEPT, ViolationLog, type SeenViolation } from './violation-log.js';
import { checkExchange, checkStreamEvent, findOperation, type Violation } from './violations.js';

export interface ProxyOptions {
  upstream: string;
  port?: number;
  host?: string;
  /** Largest request body, buffered response body, and stream event, in bytes. */
  maxBodyBytes?: number;
  timeoutMs?: number;
  /** How many of the latest violations `violations` keeps (counts cover all of them). */
  keepViolations?: number;
  onViolation?: (v: SeenViolation) => void;
}

export interface RunningProxy {
  url: string;
  /** The latest violations (at most `keepViolations`), oldest first. */
  readonly violations: SeenViolation[];
  /** Every violation seen since the start, and how many per rule. */
  readonly violationCount: number;
  readonly violationsByRule: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);
const VIOLATIONS_HEADER_CHARS = 4000;

async function readRequestBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendContractError(res: ServerResponse, kind: string, vars: Record<string, string | number | null>, message?: string) {
  const built = buildError(kind, vars);
  const body = built.body as { error: Record<string, unknown> };
  sendJson(res, built.status, message ? { error: { ...body.error, message } } : body);
}

/** JSON text with every non-ASCII or control character \u-escaped: always a valid header value. */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The caller's own credentials, so violation texts that echo them are redacted. */
function requestRedactor(req: IncomingMessage): Redactor {
  const redactor = new Redactor();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  redactor.addSecretHeaders(flat);
  const auth = flat.authorization ?? '';
  const [scheme, credentials] = auth.split(/\s+/, 2);
  if (credentials) {
    redactor.add(credentials);
    if (/^basic$/i.test(scheme ?? '')) {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      redactor.add(decoded);
      redactor.add(decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  return redactor;
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const upstream = new URL(options.upstream.replace(/\/+$/, ''));
  const basePath = upstream.pathname === '/' ? '' : upstream.pathname;
  const max = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const log = new ViolationLog(options.keepViolations ?? DEFAULT_VIOLATIONS_KEPT);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const target = parseRequestTarget(req.url);
    if (!target.ok) {
      res.setHeader('connection', 'close');
      return sendContractError(res, 'invalid_value', { param: null, value: (req.url ?? '').slice(0, 64), allowed: 'an origin-form request target (/path?query)' }, `Bad request target: ${target.reason}.`);
    }
    const fullPath = target.path;
    const path = basePath && fullPath.startsWith(basePath) ? fullPath.slice(basePath.length) || '/' : fullPath;
    // Built on the first violation only: most exchanges have none.
    let redactor: Redactor | undefined;
    const report = (v: Violation, status: number) => {
      redactor ??= requestRedactor(req);
      const seen = { ...v, message: redactor.redact(v.message), method, path, status };
      log.add(seen);
      options.onViolation?.(seen);
      return seen;
    };
    // The client left (or the proxy closes): stop the upstream request and free its connection.
    const upstreamAbort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) upstreamAbort.abort();
    });
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readRequestBody(req, max);
    if (body === 'too-large') {
      res.setHeader('connection', 'close');
      return sendContractError(res, 'request_too_large', { max }, `The proxy buffers at most ${max} bytes of request body.`);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const answer = await request(new URL(`${upstream.origin}${fullPath}${target.query ? `?${target.query}` : ''}`), {
      method: method as 'GET',
      headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: upstreamAbort.signal,
    });
    const outHeaders: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) outHeaders[k] = v;
    const contentType = String(answer.headers['content-type'] ?? '').toLowerCase();
    const status = answer.statusCode;
    const exchange = { method, path, requestContentType: req.headers['content-type'], requestBody: body, status, responseHeaders: answer.headers };
    const chunks = answer.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const pipeRest = async () => {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) if (!(await writeWithBackpressure(res, next.value))) return;
      res.end();
    };

    if (contentType.startsWith('text/event-stream')) {
      // Streamed through as it arrives; events are checked on the side, in one pass.
      res.writeHead(status, outHeaders);
      for (const v of checkExchange({ ...exchange, responseBody: undefined })) report(v, status);
      const op = findOperation(method, path);
      const scanner = new SseScanner(max);
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        if (op) for (const event of scanner.feed(next.value)) for (const v of checkStreamEvent(op, status, event.data)) report(v, status);
        if (!(await writeWithBackpressure(res, next.value))) return;
      }
      if (scanner.skipped) report({ rule: 'proxy-unvalidated', side: 'response', message: `${scanner.skipped} stream event(s) over ${max} bytes were not validated` }, status);
      return res.end();
    }
    if (!contentType.startsWith('application/json')) {
      // Images and anything else: passed through unbuffered.
      for (const v of checkExchange({ ...exchange, responseBody: undefined })) report(v, status);
      res.writeHead(status, outHeaders);
      return pipeRest();
    }
    const raw: Buffer[] = [];
    let size = 0;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      raw.push(next.value);
      size += next.value.length;
      if (size > max) {
        // Too large to buffer: forwarded whole and unvalidated rather than cut and passed off as complete.
        report({ rule: 'proxy-unvalidated', side: 'response', message: `the JSON body is over the proxy's ${max}-byte buffer; streamed through unvalidated` }, status);
        res.writeHead(status, outHeaders);
        for (const chunk of raw.splice(0)) if (!(await writeWithBackpressure(res, chunk))) return;
        return pipeRest();
      }
    }
    const responseBytes = Buffer.concat(raw, size);
    const encoding = answer.headers['content-encoding'];
    const decoded = encoding ? await readBoundedBody(Readable.from([responseBytes]), { contentEncoding: String(encoding), maxBytes: max }) : undefined;
    let found: Violation[];
    if (decoded?.error?.kind === 'too-large') found = [{ rule: 'proxy-unvalidated', side: 'response', message: `the ${encoding} JSON body decodes to more than ${max} bytes; not validated` }];
    else if (decoded?.error) found = [{ rule: 'content-encoding', side: 'response', message: `the body does not decode as ${encoding}: ${decoded.error.message}` }];
    else found = checkExchange({ ...exchange, responseBody: decoded ? decoded.body : responseBytes });
    const seen = found.map((v) => report(v, status));
    if (seen.length) outHeaders['x-contract-violations'] = headerSafeJson(seen.map((v) => `${v.rule}: ${v.message}`)).slice(0, VIOLATIONS_HEADER_CHARS);
    outHeaders['content-length'] = String(responseBytes.length);
    res.writeHead(status, outHeaders);
    res.end(responseBytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return res.destroy();
      const message = (error as Error)?.message ?? String(error);
      sendContractError(res, 'bad_gateway', {}, `The proxy could not reach the upstream: ${requestRedactor(req).redact(message)}`);
    });
  });
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
    // Node's parser refused the request (an authority-form target, 16 KB of headers, broken framing):
    // the status Node would give (400/431/408), with a body in the contract's envelope.
    const refusal = refusalFor(error.code);
    const built = buildError('malformed_json').body as { error: object };
    const message = error.code === 'HPE_INVALID_URL' ? 'Bad request target: neither origin-form (/path) nor absolute-form (http://host/path).' : refusal.message;
    const text = JSON.stringify({ error: { ...built.error, message } });
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}${basePath}`,
    get violations() {
      return log.recent();
    },
    get violationCount() {
      return log.total;
    },
    violationsByRule: log.byRule,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
