// The node:http adapter: each request becomes the core's Web Request (node/request.ts), its
// Response is written back (node/write.ts). Node-only extras live here: malformed requests that
// never reach a handler (clientError), Socket.IO progress events, the listen address as the
// fallback origin of image URLs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockCore, type MockCore } from '../core/mock-core.js';
import type { MockState } from '../core/state.js';
import type { MockOptions, ResolvedOptions } from '../options.js';
import { attachProgress } from './progress.js';
import { nodeRequest } from './request.js';
import { writeResponse } from './write.js';

export interface MockServer {
  server: Server;
  state: MockState;
  options: ResolvedOptions;
  core: MockCore;
}

export function createMockServer(options: MockOptions = {}): MockServer {
  const core = createMockCore(options);
  const { state } = core;
  const resolved = state.options;
  // `host:port` for URLs when the Host header is unusable; the real port once listening.
  let authority = `${resolved.host}:${resolved.port}`;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    core.respond(nodeRequest(req, res, authority)).then(
      (response) => writeResponse(response, res),
      () => res.destroy(), // respond() answers every failure itself; this is only a last resort
    );
  };

  const server = createServer({ keepAliveTimeout: 5000, requestTimeout: 300_000 }, handle);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  // Socket.IO wraps the request listeners, so it is attached after ours.
  if (state.profile.progressEvents) state.progress = attachProgress(server, { authorize: (token) => state.auth.accepts(token) });
  server.on('listening', () => {
    const address = server.address() as AddressInfo | null;
    if (address) authority = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  });
  return { server, state, options: resolved, core };
}
