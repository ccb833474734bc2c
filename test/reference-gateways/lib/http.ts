// Plain node:http plumbing the reference gateways share: listening on loopback, reading a body under
// a limit (refusing the rest without dropping the connection), writing JSON with or without a
// Content-Length, and bearer keys.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Listening {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

export async function listen(handler: Handler, onError: (res: ServerResponse, error: unknown) => void): Promise<Listening> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => onError(res, error));
  });
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true };

/** Reads the body up to `limit` bytes; beyond it the rest is drained (so the client can read the answer) and dropped. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      resolve({ ok: false, tooLarge: true });
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        parts.length = 0;
        resolve({ ok: false, tooLarge: true });
        return;
      }
      parts.push(c);
    });
    req.on('end', () => {
      if (!over) resolve({ ok: true, bytes: Buffer.concat(parts) });
    });
    req.on('error', reject);
  });
}

export interface SendOptions {
  headers?: Record<string, string | number>;
  /** Transfer-Encoding: chunked, the body written in pieces (no Content-Length). */
  chunked?: boolean;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, options: SendOptions = {}): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body)), 'application/json; charset=utf-8', options);
}

export function sendBytes(res: ServerResponse, status: number, bytes: Buffer, contentType: string, options: SendOptions = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, String(v));
  if (!options.chunked) {
    res.setHeader('content-length', bytes.length);
    res.end(bytes);
    return;
  }
  const piece = Math.max(1, Math.ceil(bytes.length / 3));
  for (let at = 0; at < bytes.length; at += piece) res.write(bytes.subarray(at, at + piece));
  res.end();
}

/** The bearer token of a request ('' when absent). */
export function bearer(req: IncomingMessage): string {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1]!.trim() : '';
}

export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Path and query of a request. */
export function target(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://gateway.invalid');
}

/** Closes servers one after the other (a gateway and the CDN it uploads to). */
export function closeAll(...closers: Array<() => Promise<void>>): () => Promise<void> {
  return async () => {
    for (const close of closers) await close();
  };
}
