// Per-request state: the Web Request, its path and query, the request id, the clock for
// openai-processing-ms, which error envelope answers use, the caller's key and the headers
// gathered on the way (rate limits, Retry-After).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { requestTarget } from './route/target.js';
import type { ReadBody } from './read/read-request.js';

// `req_` + 32 hex: a random per-process half and a counter, so ids are unique without per-request crypto.
const PROCESS_PART = randomBytes(8).toString('hex');
let counter = 0;

export function nextRequestId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `req_${PROCESS_PART}${counter.toString(16).padStart(16, '0')}`;
}

export type Envelope = 'openai' | 'native';

export class RequestContext {
  readonly requestId = nextRequestId();
  readonly started = performance.now();
  /** Request path without the query string, as sent. */
  readonly path: string;
  readonly query: string;
  readonly method: string;
  /** Envelope of error answers: native for the native operations of a nativeEnvelope profile. */
  envelope: Envelope = 'openai';
  apiKey: string | undefined;
  /** Extra response headers as flat name/value pairs (rate-limit headers, Retry-After). */
  readonly headers: string[] = [];
  /** Answer with `connection: close` (a body we stopped reading). */
  closeConnection = false;
  /** The body as read (for counted scenarios, which match requests by body). */
  body: ReadBody | undefined;

  /** The raw request-target when it is unusable (answered 400); undefined for a good one. */
  readonly badTarget: string | undefined;

  constructor(readonly request: Request) {
    const target = requestTarget(request);
    this.path = target.ok ? target.path : '/';
    this.query = target.ok ? target.query : '';
    this.badTarget = target.ok ? undefined : target.raw;
    this.method = request.method;
  }

  /** Aborted when the client goes away (long waits end early on it). */
  get signal(): AbortSignal {
    return this.request.signal;
  }

  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }
}
