// The node:http adapter: each request becomes the core's Web Request (node/request.ts), its
// Response is written back (node/write.ts). Node-only extras live here: requests Node's parser
// refuses before any handler sees them (client-errors.ts), header and request timeouts, Socket.IO
// progress events, the listen address as the fallback origin of image URLs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockCore, type MockCore } from '../core/mock-core.js';
import { MIN_DISCARD_BYTES } from '../core/read/body.js';
import type { MockState } from '../core/state.js';
import type { MockOptions, ResolvedOptions } from '../options.js';
import { answerClientError } from './client-errors.js';
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

  // A refused body is read and dropped up to this many more bytes before the socket is closed.
  const discardCap = Math.max(resolved.maxBodyBytes, MIN_DISCARD_BYTES);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    core
      .respond(nodeRequest(req, res, authority, discardCap))
      .then((response) => writeResponse(response, res))
      .catch(() => res.destroy()); // respond() answers every failure itself; this is only a last resort
  };

  const headersTimeout = resolved.headersTimeoutMs;
  const server = createServer(
    // Node checks the timeouts every connectionsCheckingInterval (30 s by default): a shorter
    // headers timeout is checked as often as it needs.
    { keepAliveTimeout: 5000, requestTimeout: Math.max(300_000, headersTimeout), headersTimeout, connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headersTimeout / 4))) },
    handle,
  );
  server.on('clientError', answerClientError);
  // Socket.IO wraps the request listeners, so it is attached after ours.
  if (state.profile.progressEvents) state.progress = attachProgress(server, { authorize: (token) => state.auth.accepts(token) });
  server.on('listening', () => {
    const address = server.address() as AddressInfo | null;
    if (address) authority = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  });
  return { server, state, options: resolved, core };
}
