// Listens on the Socket.IO namespace `/image-progress` (ref 002) while the run makes images, so the
// progress checks can match events to the x-request-id of a generation without an extra image.
//
// Bounded against a hostile server: one connection attempt (no reconnection), at most
// `connectTimeoutMs` to connect, after which the attempt is torn down; its own HTTP agent, whose
// sockets are destroyed on close (a long-poll that never answers cannot keep the process alive -
// engine.io defers closing a polling transport until its open poll returns); unref'd connections;
// a bounded number of events, each of bounded size.
import http from 'node:http';
import https from 'node:https';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { io, type Socket } from 'socket.io-client';
import { readGeneratedJson } from '../contract/files.js';

export interface ProgressEventRecord {
  event: string;
  payload: unknown;
  at: number;
}

interface AsyncApiDoc {
  components: { messages: Record<string, { name: string; payload: { $ref: string } }>; schemas: Record<string, unknown> };
  channels: Record<string, { address: string }>;
}

const MAX_EVENTS = 10_000;
/** Largest event payload kept (as JSON); progress events are a few hundred bytes. */
const MAX_EVENT_CHARS = 64 * 1024;

let cachedDoc: AsyncApiDoc | undefined;
export function progressDocument(): AsyncApiDoc {
  cachedDoc ??= readGeneratedJson<AsyncApiDoc>('image-progress.asyncapi.json');
  return cachedDoc;
}

/** The namespace the AsyncAPI document declares (`/image-progress`). */
export function progressNamespace(): string {
  return Object.values(progressDocument().channels)[0]?.address ?? '/image-progress';
}

let validators: Map<string, ValidateFunction> | undefined;
/** Validators of the AsyncAPI message payloads, by message name (progress, completed, failed). */
export function progressValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const doc = progressDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(doc as object, 'asyncapi');
  validators = new Map();
  for (const [name, message] of Object.entries(doc.components.messages)) {
    validators.set(message.name ?? name, ajv.compile({ $ref: `asyncapi${message.payload.$ref}` }));
  }
  return validators;
}

export class ProgressListener {
  readonly events: ProgressEventRecord[] = [];
  connectError: string | undefined;
  connected = false;
  /** Events dropped: over MAX_EVENTS, or larger than MAX_EVENT_CHARS. */
  dropped = 0;
  private socket: Socket | undefined;
  private agent: http.Agent | undefined;
  private closed = false;
  private readyPromise: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly origin: string,
    private readonly apiKey: string | undefined,
    private readonly connectTimeoutMs: number,
  ) {}

  get url(): string {
    return `${this.origin}${progressNamespace()}`;
  }

  /** Connects once; resolves when connected or when connecting failed (never rejects). */
  ready(): Promise<void> {
    this.readyPromise ??= new Promise<void>((resolve) => {
      if (this.closed) {
        this.connectError = 'the listener was closed';
        return resolve();
      }
      const timer = setTimeout(() => {
        this.connectError ??= `no Socket.IO connection within ${this.connectTimeoutMs / 1000}s`;
        // Tear the attempt down: a half-open handshake must not linger (or grow) for the rest of the run.
        if (!this.connected) this.close();
        resolve();
      }, this.connectTimeoutMs);
      timer.unref();
      try {
        this.agent = this.url.startsWith('https:') ? new https.Agent({ keepAlive: false, maxSockets: 2 }) : new http.Agent({ keepAlive: false, maxSockets: 2 });
        const socket = io(this.url, {
          auth: { token: this.apiKey ?? '' },
          reconnection: false,
          timeout: this.connectTimeoutMs,
          forceNew: true,
          agent: this.agent as unknown as string,
          autoUnref: true,
        });
        this.socket = socket;
        socket.onAny((event: string, payload: unknown) => {
          // A flooding server must not exhaust memory; the checks need a handful of small events.
          if (this.events.length >= MAX_EVENTS || jsonChars(payload) > MAX_EVENT_CHARS) {
            this.dropped++;
            return;
          }
          this.events.push({ event, payload, at: Date.now() });
          for (const w of this.waiters) w();
        });
        socket.on('connect', () => {
          this.connected = true;
          clearTimeout(timer);
          resolve();
        });
        socket.on('connect_error', (error: Error) => {
          this.connectError = error.message;
          clearTimeout(timer);
          resolve();
        });
      } catch (error) {
        this.connectError = (error as Error).message;
        clearTimeout(timer);
        resolve();
      }
    });
    return this.readyPromise;
  }

  eventsFor(requestId: string): ProgressEventRecord[] {
    return this.events.filter((e) => (e.payload as { request_id?: unknown } | null)?.request_id === requestId);
  }

  /** Waits until a terminal event (completed/failed) for the request arrives, or the timeout. */
  async waitForEnd(requestId: string, timeoutMs: number): Promise<ProgressEventRecord[]> {
    const ended = () => this.closed || this.eventsFor(requestId).some((e) => e.event === 'completed' || e.event === 'failed');
    if (!ended()) {
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        };
        const waiter = () => {
          if (ended()) finish();
        };
        const timer = setTimeout(finish, timeoutMs);
        this.waiters.add(waiter);
      });
    }
    return this.eventsFor(requestId);
  }

  /** Ends the connection (or the attempt) for good, whatever state the transport is in. */
  close(): void {
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    try {
      socket?.disconnect();
      socket?.close();
      socket?.io.engine?.close();
    } catch {
      // closing a broken connection must not throw into the run
    }
    // Destroys the sockets of polls still open (engine.io would wait for them to return).
    this.agent?.destroy();
    this.agent = undefined;
    for (const w of this.waiters) w();
  }
}

function jsonChars(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Infinity;
  }
}
