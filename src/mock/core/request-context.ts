// Per-request state: the request id, the clock for openai-processing-ms, which error envelope
// answers use, the caller's key and headers gathered on the way (rate limits, Retry-After).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

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
  /** Envelope of error answers: native for the native operations of a nativeEnvelope profile. */
  envelope: Envelope = 'openai';
  apiKey: string | undefined;
  /** Extra response headers as flat name/value pairs (rate-limit headers, Retry-After). */
  readonly headers: string[] = [];
  /** Close the connection after answering (a body we stopped reading). */
  closeConnection = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** Request path without the query string. */
    readonly path: string,
    readonly query: string,
  ) {}

  /** The connection closed before the answer was complete (long work checks it). */
  get aborted(): boolean {
    return this.res.destroyed && !this.res.writableFinished;
  }

  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }
}
