// Tiny loopback servers for the conformance tests: broken or hostile gateways (garbage, hanging,
// redirects, huge bodies, 200-with-error) built from a plain node:http handler. Every request is
// recorded (method, url, headers) so tests can prove what the suite did and did not send.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** origin + `/v1`: the base URL to give the suite. */
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, server: { origin: string }) => void;

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const ref = { origin: '' };
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    // Drain what the client sends so the server answers whenever the handler wants.
    req.on('data', () => undefined);
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handler(req, res, ref);
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ref.origin = `http://127.0.0.1:${port}`;
  return {
    origin: ref.origin,
    url: `${ref.origin}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': 'req_test', ...headers });
  res.end(text);
}

/** A complete OpenAI error envelope. */
export function envelope(message = 'Invalid request.', code: string | null = 'invalid_value', param: string | null = null) {
  return { error: { message, type: 'invalid_request_error', param, code } };
}

/** A port nothing listens on (bound, read, closed). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
