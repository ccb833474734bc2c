// An IncomingMessage as the Web Request the core takes, built lazily (as Hono's node adapter
// does): method, url and headers.get() read node's parsed request directly; the body is a
// ReadableStream over the socket with a byte-capped fast path (READ_CAPPED) for JSON; the signal
// aborts when the connection closes before the answer is complete. Anything else a Request has
// builds a real undici Request first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { READ_CAPPED, tooLarge, truncated, type BodyProblem } from '../core/read/body.js';
import { HEADER_RECORD } from '../core/mock-core.js';
import { TARGET, type Target } from '../core/route/target.js';
import { parseRequestTarget } from '../../http/request-target.js';

const REQ = Symbol('imagegen-contract.node-request');
const RES = Symbol('imagegen-contract.node-response');
const URL_ = Symbol('imagegen-contract.url');
const REAL = Symbol('imagegen-contract.real-request');
const HEADERS = Symbol('imagegen-contract.headers');
const BODY = Symbol('imagegen-contract.body');
const SIGNAL = Symbol('imagegen-contract.signal');
const DISCARD = Symbol('imagegen-contract.discard-cap');
const PARSED = Symbol('imagegen-contract.parsed-target');

interface NodeRequestFields {
  [REQ]: IncomingMessage;
  /** Bytes of a cancelled body dropped at most before the socket is closed. */
  [DISCARD]: number;
  [PARSED]: Target;
  [RES]: ServerResponse | undefined;
  [URL_]: string;
  [REAL]?: Request;
  [HEADERS]?: Headers;
  [BODY]?: ReadableStream<Uint8Array> | null;
  [SIGNAL]?: AbortController;
}

const HOST = /^[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](?::[0-9]{1,5})?$/;

/**
 * The Request of `req`. `authority` (`host:port`) stands in for a missing or unusable Host header;
 * `res`, when given, aborts the signal once it closes unfinished; a cancelled body is read and
 * dropped up to `discardCap` more bytes, then the socket is closed.
 */
export function nodeRequest(req: IncomingMessage, res: ServerResponse | undefined, authority: string, discardCap = Infinity): Request {
  const host = req.headers.host;
  const target = targetOf(req.url);
  const r = Object.create(NodeRequestPrototype) as NodeRequestFields;
  r[REQ] = req;
  r[RES] = res;
  r[DISCARD] = discardCap;
  r[PARSED] = target;
  // Absolute-form targets are routed by their path; the origin is the Host header's, as for any request.
  r[URL_] = `http://${host && HOST.test(host) ? host : authority}${target.ok ? (target.query ? `${target.path}?${target.query}` : target.path) : '/'}`;
  return r as unknown as Request;
}

// Clients send the same few request-targets over and over: each is parsed once. Short ones only,
// and the table starts afresh when full, so a client sending endless distinct targets costs a
// parse each, never memory.
const TARGETS_KEPT = 256;
const MAX_KEPT_TARGET = 256;
const targets = new Map<string, Target>();

function targetOf(raw: string | undefined): Target {
  const known = raw !== undefined ? targets.get(raw) : undefined;
  if (known) return known;
  const parsed = parseRequestTarget(raw);
  const target: Target = parsed.ok ? Object.freeze({ ok: true, path: parsed.path, query: parsed.query }) : Object.freeze({ ok: false, raw: raw ?? '' });
  if (raw !== undefined && raw.length <= MAX_KEPT_TARGET) {
    if (targets.size >= TARGETS_KEPT) targets.clear();
    targets.set(raw, target);
  }
  return target;
}

function real(r: NodeRequestFields): Request {
  let request = r[REAL];
  if (!request) {
    const req = r[REQ];
    const method = req.method ?? 'GET';
    const init: RequestInit & { duplex?: 'half' } = { method, headers: headersOf(r), signal: signalOf(r) };
    if (method !== 'GET' && method !== 'HEAD') {
      init.body = bodyOf(r);
      init.duplex = 'half';
    }
    request = new Request(r[URL_], init);
    r[REAL] = request;
  }
  return request;
}

/** node's parsed headers behind Headers.get/has; every other Headers member uses a real Headers. */
function headersOf(r: NodeRequestFields): Headers {
  let h = r[HEADERS];
  if (!h) {
    const light = Object.create(NodeHeadersPrototype) as NodeHeaders;
    light[REQ] = r[REQ];
    h = r[HEADERS] = light as unknown as Headers;
  }
  return h;
}

interface NodeHeaders {
  [REQ]: IncomingMessage;
  [REAL]?: Headers;
}

function wholeHeaders(h: NodeHeaders): Headers {
  let full = h[REAL];
  if (!full) {
    full = h[REAL] = new Headers();
    const raw = h[REQ].rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) full.append(raw[i]!, raw[i + 1]!);
  }
  return full;
}

const NodeHeadersPrototype: object = Object.create(Headers.prototype, {
  get: {
    value(this: NodeHeaders, name: string): string | null {
      const v = this[REQ].headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  },
  has: {
    value(this: NodeHeaders, name: string): boolean {
      return this[REQ].headers[name.toLowerCase()] !== undefined;
    },
  },
  [Symbol.iterator]: {
    value(this: NodeHeaders) {
      return wholeHeaders(this)[Symbol.iterator]();
    },
  },
});
forward(NodeHeadersPrototype, Headers.prototype, (h: NodeHeaders) => wholeHeaders(h));

/** Defines every member of `from` that `onto` lacks as a forward to the object `real` builds. */
function forward<T>(onto: object, from: object, real: (self: T) => object): void {
  for (const name of Object.getOwnPropertyNames(from)) {
    if (name === 'constructor' || Object.prototype.hasOwnProperty.call(onto, name)) continue;
    const d = Object.getOwnPropertyDescriptor(from, name)!;
    if (d.get) Object.defineProperty(onto, name, { get(this: T) { return Reflect.get(real(this), name); } });
    else if (typeof d.value === 'function') {
      const method = d.value as (...args: unknown[]) => unknown;
      Object.defineProperty(onto, name, { value(this: T, ...args: unknown[]) { return method.apply(real(this), args); } });
    }
  }
}

function signalOf(r: NodeRequestFields): AbortSignal {
  let c = r[SIGNAL];
  if (!c) {
    c = r[SIGNAL] = new AbortController();
    const res = r[RES];
    const controller = c;
    if (res) {
      if (res.destroyed && !res.writableFinished) controller.abort();
      else res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
    }
  }
  return c.signal;
}

/**
 * The body as a ReadableStream that pulls from the socket. Cancelling it (the core refuses the
 * body, stops at a byte limit or a malformed part) reads and drops the rest without buffering it,
 * so the client reads the answer and a keep-alive connection stays usable; past the discard cap
 * the socket is closed.
 */
function bodyOf(r: NodeRequestFields): ReadableStream<Uint8Array> | null {
  if (r[BODY] !== undefined) return r[BODY];
  const req = r[REQ];
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return (r[BODY] = null);
  const cap = r[DISCARD];
  let ended = false;
  let dropped = -1; // >= 0 once cancelled
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (dropped >= 0) {
            dropped += chunk.length;
            if (dropped > cap) req.socket.destroy();
            return;
          }
          if (ended) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on('end', () => {
          if (ended) return;
          ended = true;
          controller.close();
        });
        req.on('error', (e) => {
          if (ended) return;
          ended = true;
          controller.error(e);
        });
        req.on('close', () => {
          if (ended || req.complete) return;
          ended = true;
          controller.error(new Error('The connection closed before the request body was complete.'));
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        ended = true;
        if (req.complete) return;
        dropped = 0; // the rest is read and dropped by the 'data' listener
        req.resume();
      },
    },
    { highWaterMark: 1 },
  );
  r[BODY] = stream;
  return stream;
}

// The fast JSON path: node's 'data' events into one Buffer, stopping at the limit. Reading state
// lives on the request and the listeners are module functions (no closures per request).
const reading = Symbol('imagegen-contract:reading');

interface Reading {
  chunks: Buffer[];
  total: number;
  limit: number;
  resolve(value: Buffer | BodyProblem): void;
}

type ReadingRequest = IncomingMessage & { [reading]?: Reading | undefined };

function finish(req: ReadingRequest, value: Buffer | BodyProblem): void {
  const state = req[reading];
  if (!state) return;
  req[reading] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onError);
  req.off('close', onClose);
  state.resolve(value);
}

function onData(this: ReadingRequest, chunk: Buffer): void {
  const state = this[reading];
  if (!state) return;
  state.total += chunk.length;
  if (state.total > state.limit) {
    state.chunks.length = 0;
    this.pause(); // until the core cancels the body (discardRest), which drops the rest
    this.on('error', ignore); // a dying socket's error must not go unhandled meanwhile
    finish(this, tooLarge(state.limit));
    return;
  }
  state.chunks.push(chunk);
}

function onEnd(this: ReadingRequest): void {
  const state = this[reading];
  if (state) finish(this, state.chunks.length === 1 ? state.chunks[0]! : Buffer.concat(state.chunks, state.total));
}

function onError(this: ReadingRequest): void {
  finish(this, truncated());
}

function onClose(this: ReadingRequest): void {
  if (!this.complete) finish(this, truncated());
}

function ignore(): void {}

function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | BodyProblem> {
  return new Promise((resolve) => {
    (req as ReadingRequest)[reading] = { chunks: [], total: 0, limit, resolve };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

const NodeRequestPrototype: object = Object.create(Request.prototype, {
  method: { get(this: NodeRequestFields) { return this[REQ].method ?? 'GET'; } },
  url: { get(this: NodeRequestFields) { return this[URL_]; } },
  headers: { get(this: NodeRequestFields) { return headersOf(this); } },
  signal: { get(this: NodeRequestFields) { return signalOf(this); } },
  body: { get(this: NodeRequestFields) { return this[REAL] ? this[REAL].body : bodyOf(this); } },
  [TARGET]: { get(this: NodeRequestFields) { return this[PARSED]; } },
  [READ_CAPPED]: {
    value(this: NodeRequestFields, limit: number) {
      // Once the body is a stream (or a real Request holds it), the core reads it as one.
      return this[BODY] !== undefined || this[REAL] ? undefined : readCapped(this[REQ], limit);
    },
  },
  [HEADER_RECORD]: { value(this: NodeRequestFields) { return this[REQ].headers; } },
});
forward(NodeRequestPrototype, Request.prototype, (r: NodeRequestFields) => real(r));
