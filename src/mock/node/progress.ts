// Generation progress over Socket.IO (ref 002): the node:http adapter's ProgressHub (the core's
// hook), exactly as openapi/asyncapi/image-progress.yaml defines it: engine path `/socket.io`, namespace `/image-progress`, events `progress`, `completed`
// and `failed`. A socket authenticates with its API key (handshake `auth.token`, or an
// `Authorization: Bearer` header) and joins that key's room; a request's events go to its key's
// room only. With nobody in the room, begin/step/complete/fail do no more than a Map lookup.
import type { Server as HttpServer } from 'node:http';
import { Server as SocketIoServer, type Socket } from 'socket.io';
import { buildError } from '../../contract/errors.js';
import { readGeneratedJson } from '../../contract/files.js';
import type { ProgressHub, ProgressRun, ProgressStart } from '../core/answer/progress.js';

export const PROGRESS_PATH = '/socket.io';
export const PROGRESS_NAMESPACE = '/image-progress';

export interface ProgressOptions {
  /** Whether a handshake's API key may listen (undefined: none was sent). */
  authorize(token: string | undefined): boolean;
}

export type { ProgressHub, ProgressRun, ProgressStart } from '../core/answer/progress.js';

/** Progress is reported as a percentage, so a run has 100 steps and `step` equals `percent`. */
const TOTAL_STEPS = 100;
/** Server events the engine installs on attach, restored on close. */
const SERVER_EVENTS = ['request', 'upgrade', 'close', 'listening'] as const;

const roomOf = (apiKey: string) => `key:${apiKey}`;

let progressIdMax: number | undefined;
/** The longest `progress_id` the AsyncAPI document allows (a client's header may be longer). */
function maxProgressIdLength(): number {
  progressIdMax ??= readGeneratedJson<{ components: { schemas: { ProgressEvent: { properties: { progress_id: { maxLength: number } } } } } }>(
    'image-progress.asyncapi.json',
  ).components.schemas.ProgressEvent.properties.progress_id.maxLength;
  return progressIdMax;
}

function tokenOf(socket: Socket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token) return auth.token;
  const header = socket.handshake.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return bearer?.[1];
}

/** OpenAI shows a refused key as its first and last characters only. */
function maskKey(key: string): string {
  return key.length <= 10 ? '***' : `${key.slice(0, 6)}***${key.slice(-3)}`;
}

/** The connect_error a refused handshake gets: the spec's 401 message, its body as `data`. */
function refusal(token: string | undefined): Error & { data: unknown } {
  const built = token === undefined ? buildError('missing_api_key') : buildError('invalid_api_key', { value: maskKey(token) });
  const body = (built.body as { error: { message: string } }).error;
  return Object.assign(new Error(body.message), { data: { status: built.status, ...body } });
}

/**
 * Attaches the progress namespace to `server`. Install the server's own `request` handler first:
 * the engine wraps the handlers present at attach time and passes them every request outside
 * `/socket.io/` (a handler added later would also see the engine's requests). Call `close()` before
 * closing the HTTP server, or open WebSockets keep `server.close()` waiting.
 */
export function attachProgress(server: HttpServer, options: ProgressOptions): ProgressHub {
  const before = new Map(SERVER_EVENTS.map((e) => [e, server.listeners(e)]));
  const io = new SocketIoServer(server, {
    path: PROGRESS_PATH,
    cors: { origin: '*' },
    serveClient: false,
  });
  const installed = new Map(SERVER_EVENTS.map((e) => [e, server.listeners(e).filter((l) => !before.get(e)!.includes(l))]));
  const removed = new Map(SERVER_EVENTS.map((e) => [e, before.get(e)!.filter((l) => !server.listeners(e).includes(l))]));

  maxProgressIdLength(); // read the document now, not during the first request
  const nsp = io.of(PROGRESS_NAMESPACE);
  nsp.use((socket, next) => {
    const token = tokenOf(socket);
    let allowed = false;
    try {
      allowed = token !== undefined && options.authorize(token);
    } catch {
      allowed = false;
    }
    if (!allowed) return next(refusal(token));
    (socket.data as { apiKey?: string }).apiKey = token;
    next();
  });
  // Joined on connection, synchronously with the CONNECT packet: by the time a client sees
  // `connect`, events for its key reach it.
  nsp.on('connection', (socket) => void socket.join(roomOf((socket.data as { apiKey: string }).apiKey)));

  const listening = (room: string) => (nsp.adapter.rooms.get(room)?.size ?? 0) > 0;

  function begin(start: ProgressStart): ProgressRun {
    const room = roomOf(start.apiKey);
    // An x-progress-id the events cannot carry is left out rather than cut (a cut id matches nothing).
    const ids =
      start.progressId === undefined || start.progressId.length > maxProgressIdLength()
        ? { request_id: start.requestId }
        : { request_id: start.requestId, progress_id: start.progressId };
    let last = -1;
    let done = false;
    return {
      step(percent) {
        if (done || !Number.isFinite(percent)) return;
        const p = Math.min(100, Math.max(0, Math.round(percent)));
        if (p < last) return;
        last = p;
        if (!listening(room)) return;
        nsp.to(room).emit('progress', { ...ids, model: start.model, percent: p, step: p, total_steps: TOTAL_STEPS, timestamp: Date.now() });
      },
      complete() {
        if (done) return;
        done = true;
        if (!listening(room)) return;
        nsp.to(room).emit('completed', { ...ids, model: start.model, percent: 100, images: start.images, timestamp: Date.now() });
      },
      fail(error) {
        if (done) return;
        done = true;
        if (!listening(room)) return;
        nsp.to(room).emit('failed', { ...ids, model: start.model, error: { code: error.code, message: error.message }, timestamp: Date.now() });
      },
    };
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      // Not io.close(): it would also close the HTTP server.
      io.of('/').disconnectSockets(true);
      nsp.disconnectSockets(true);
      io.engine.close();
      for (const event of SERVER_EVENTS) {
        for (const listener of installed.get(event)!) server.removeListener(event, listener as (...args: unknown[]) => void);
        // Put the handlers the engine wrapped back in front, in their order.
        for (const listener of [...removed.get(event)!].reverse()) server.prependListener(event, listener as (...args: unknown[]) => void);
      }
    })();
    return closing;
  }

  return { begin, close };
}
