// A thin HTTP interposer in front of real mock gateways: a node:http server on 127.0.0.1:0 that
// forwards every request to an upstream (keeping the Host header, so the mock's image URLs point back
// at the interposer) and lets a middleware rewrite the request and/or the answer. A broken gateway of
// test/broken-gateways is "the correct gateway + one middleware". Without a middleware it is a
// faithful pass-through (the test proves that). Socket.IO (progress events) is tunnelled untouched.
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** A request as the middleware sees it. Bodies over BUFFER_LIMIT are streamed (`body` undefined). */
export interface ProxyRequest {
  method: string;
  /** Path and query as received (`/v1/images/generations`). */
  url: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body?: Buffer;
}

export interface ProxyResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends a request to upstream `index` (default 0: the first replica). */
export type Forward = (req: ProxyRequest, upstream?: number) => Promise<ProxyResponse>;

/** Per-interposer state a middleware may keep (a fresh one for every gateway started). */
export interface GatewayContext {
  /** The key the upstreams accept (a gateway forwarding with its own provider key uses it). */
  upstreamKey: string | undefined;
  /** Counts calls per name: 1 on the first call, 2 on the second, ... */
  count(name: string): number;
}

export type Middleware = (req: ProxyRequest, forward: Forward, gateway: GatewayContext) => Promise<ProxyResponse>;

export interface Interposer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close(): Promise<void>;
}

/** Larger request bodies (the suite's 70 MiB one) are streamed to the upstream, not buffered. */
const BUFFER_LIMIT = 8 * 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect', 'content-length']);
const SOCKET_IO = '/socket.io/';

export const passThrough: Middleware = (req, forward) => forward(req);

function flatten(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function endToEnd(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('aborted', () => reject(new Error('aborted')));
  });
}

/** The live client request of a streamed body, and how to let its sender go on (100 Continue). */
interface ClientStream {
  req: IncomingMessage;
  writeContinue?: () => void;
}

export async function startInterposer(upstreams: string[], middleware: Middleware = passThrough, options: { upstreamKey?: string } = {}): Promise<Interposer> {
  if (upstreams.length === 0) throw new Error('startInterposer: no upstream');
  const counts = new Map<string, number>();
  const gateway: GatewayContext = {
    upstreamKey: options.upstreamKey,
    count(name) {
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      return n;
    },
  };
  const targets = upstreams.map((u) => new URL(u));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const tunnels = new Set<Socket | Duplex>();

  const forwardTo = (req: ProxyRequest, index: number, stream?: ClientStream): Promise<ProxyResponse> => {
    const target = targets[index];
    if (!target) return Promise.reject(new Error(`no upstream #${index}`));
    const headers = endToEnd(req.headers);
    if (req.body) {
      if (req.body.length > 0 || req.method !== 'GET') headers['content-length'] = String(req.body.length);
    } else if (stream) {
      if (req.headers['content-length'] !== undefined) headers['content-length'] = req.headers['content-length'];
      else headers['transfer-encoding'] = 'chunked';
      headers.expect = '100-continue';
    }
    return new Promise<ProxyResponse>((resolve, reject) => {
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: stream ? false : agent });
      up.on('error', reject);
      up.on('continue', () => {
        if (!stream) return;
        stream.writeContinue?.();
        stream.req.pipe(up);
      });
      up.on('response', (res) => {
        if (stream) stream.req.unpipe(up);
        readAll(res).then(
          (body) => resolve({ status: res.statusCode ?? 502, headers: flatten(res.headers), body }),
          reject,
        );
      });
      if (req.body) up.end(req.body);
      else if (!stream) up.end();
      else up.flushHeaders();
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const headers = flatten(req.headers);
    const declared = Number(headers['content-length'] ?? 0);
    const streamed = declared > BUFFER_LIMIT;
    let stream: ClientStream | undefined;
    let body: Buffer | undefined;
    try {
      if (streamed) stream = { req, ...(expectsContinue ? { writeContinue: () => res.writeContinue() } : {}) };
      else {
        if (expectsContinue) res.writeContinue();
        body = await readAll(req);
      }
    } catch {
      res.destroy();
      return;
    }
    const request: ProxyRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers, ...(body ? { body } : {}) };
    const forward: Forward = (r, index = 0) => forwardTo(r, index, r.body ? undefined : stream);
    let answer: ProxyResponse;
    try {
      answer = request.url.startsWith(SOCKET_IO) ? await forward(request) : await middleware(request, forward, gateway);
    } catch {
      res.destroy();
      return;
    }
    const out = endToEnd(answer.headers);
    if (answer.status !== 204 && answer.status !== 304) out['content-length'] = String(answer.body.length);
    // A streamed body the answer did not consume is left unread: close the connection after it.
    if (streamed && !req.complete) out.connection = 'close';
    res.writeHead(answer.status, out);
    res.end(answer.body);
    if (streamed && !req.complete) req.resume();
  };

  const server = http.createServer({ keepAliveTimeout: 5_000 }, (req, res) => void handle(req, res, false));
  server.on('checkContinue', (req, res) => void handle(req, res, true));
  server.on('clientError', (_e, socket) => socket.destroy());
  // WebSocket upgrades (Socket.IO) go to the first upstream as a raw tunnel.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = targets[0]!;
    const up = net.connect(Number(target.port), target.hostname);
    tunnels.add(socket).add(up);
    const drop = () => {
      socket.destroy();
      up.destroy();
      tunnels.delete(socket);
      tunnels.delete(up);
    };
    up.on('error', drop);
    socket.on('error', drop);
    up.on('close', drop);
    socket.on('close', drop);
    up.on('connect', () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      socket.pipe(up).pipe(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of tunnels) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      });
      return closing;
    },
  };
}

// ---- helpers for middlewares --------------------------------------------------------------------

/** Rewrites the request (return undefined to keep it), then forwards it. */
export function rewriteRequest(fn: (req: ProxyRequest, gateway: GatewayContext) => ProxyRequest | undefined): Middleware {
  return (req, forward, gateway) => forward(fn(req, gateway) ?? req);
}

/** Forwards, then rewrites the answer (return undefined to keep it). */
export function rewriteResponse(fn: (res: ProxyResponse, req: ProxyRequest) => ProxyResponse | undefined | Promise<ProxyResponse | undefined>): Middleware {
  return async (req, forward) => {
    const res = await forward(req);
    return (await fn(res, req)) ?? res;
  };
}

/** `inner` for the requests `test` selects; the others pass through. */
export function when(test: (req: ProxyRequest) => boolean, inner: Middleware): Middleware {
  return (req, forward, gateway) => (test(req) ? inner(req, forward, gateway) : forward(req));
}

/** `outer` runs first and hands the requests it forwards to `inner` (which forwards upstream). */
export function chain(outer: Middleware, inner: Middleware): Middleware {
  return (req, forward, gateway) => outer(req, (r, i) => inner(r, (r2, j) => forward(r2, j ?? i), gateway), gateway);
}

/** The path without the query string. */
export const pathOf = (req: ProxyRequest): string => req.url.split('?', 1)[0]!;
export const isGeneration = (req: ProxyRequest): boolean => req.method === 'POST' && pathOf(req).endsWith('/images/generations');
export const isEdit = (req: ProxyRequest): boolean => req.method === 'POST' && pathOf(req).endsWith('/images/edits');
export const isVariation = (req: ProxyRequest): boolean => req.method === 'POST' && pathOf(req).endsWith('/images/variations');
export const isNative = (req: ProxyRequest): boolean => req.method === 'POST' && pathOf(req).endsWith('/inference/images/generate');
export const isMedia = (req: ProxyRequest): boolean => req.method === 'GET' && pathOf(req).includes('/media/');

export const mediaTypeOf = (m: { headers: Record<string, string> }): string => (m.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();

/** The JSON body of a request or answer, or undefined when it is not a JSON object. */
export function jsonOf(m: { headers: Record<string, string>; body?: Buffer }): Record<string, unknown> | undefined {
  if (!m.body || !mediaTypeOf(m).endsWith('json')) return undefined;
  try {
    const v = JSON.parse(m.body.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A copy with a new JSON body. */
export function withJson<T extends { body?: Buffer }>(m: T, value: unknown): T {
  return { ...m, body: Buffer.from(JSON.stringify(value)) };
}

/** The OpenAI error object of an error answer, if it has one. */
export function errorOf(res: ProxyResponse): Record<string, unknown> | undefined {
  if (res.status < 400) return undefined;
  const e = jsonOf(res)?.error;
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : undefined;
}

/** A successful JSON generation answer (ImagesResponse), if it is one. */
export function successOf(res: ProxyResponse): { created?: unknown; data?: unknown; [k: string]: unknown } | undefined {
  return res.status === 200 ? jsonOf(res) : undefined;
}

/** Rewrites each `data[]` item of a successful JSON answer. */
export function mapItems(res: ProxyResponse, fn: (item: Record<string, unknown>) => Record<string, unknown>): ProxyResponse | undefined {
  const body = successOf(res);
  if (!body || !Array.isArray(body.data)) return undefined;
  return withJson(res, { ...body, data: body.data.map((d) => fn(d as Record<string, unknown>)) });
}

/** An answer the gateway makes itself, with its own request id (as gateways do). */
export function reply(status: number, body: unknown, headers: Record<string, string> = {}): ProxyResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status,
    headers: { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'x-request-id': `req_${randomBytes(16).toString('hex')}`, ...headers },
    body: Buffer.from(text),
  };
}

/** The events of a text/event-stream body (blank-line separated blocks). */
export function sseBlocks(res: ProxyResponse): string[] {
  return res.body
    .toString('utf8')
    .split(/\r?\n\r?\n/)
    .filter((b) => b.trim() !== '');
}

export function withSse(res: ProxyResponse, blocks: string[]): ProxyResponse {
  return { ...res, body: Buffer.from(blocks.map((b) => `${b}\n\n`).join('')) };
}

/** One part of a multipart/form-data body: its field name and its raw bytes (headers + content). */
export interface FormPart {
  name: string;
  raw: Buffer;
}

function boundaryOf(req: ProxyRequest): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
  return m ? (m[1] ?? m[2])!.trim() : undefined;
}

/** The parts of a multipart request body (undefined when it is not multipart). */
export function formParts(req: ProxyRequest): FormPart[] | undefined {
  const boundary = boundaryOf(req);
  if (!boundary || !req.body) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = req.body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (req.body.subarray(start, start + 2).toString() === '--') break;
    const next = req.body.indexOf(delimiter, start);
    if (next < 0) break;
    // Between "--boundary\r\n" and "\r\n--boundary".
    const raw = req.body.subarray(start + 2, next - 2);
    const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('utf8');
    parts.push({ name: /name="([^"]*)"/i.exec(head)?.[1] ?? '', raw });
    at = next;
  }
  return parts;
}

/** A copy of a multipart request with these parts. */
export function withFormParts(req: ProxyRequest, parts: FormPart[]): ProxyRequest {
  const boundary = boundaryOf(req)!;
  const chunks = parts.flatMap((p) => [Buffer.from(`--${boundary}\r\n`), p.raw, Buffer.from('\r\n')]);
  return { ...req, body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]) };
}

/** A text field part. */
export function textPart(name: string, value: string): FormPart {
  return { name, raw: Buffer.from(`Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`) };
}
