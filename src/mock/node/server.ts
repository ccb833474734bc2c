// The node:http adapter: one request handler in front of the router. Order per request: CORS
// preflight, route (unknown → 404 route_not_found), API key, rate limit, scenario header, handler.
// Anything unexpected becomes a contract-shaped 500, never a crash or a hung socket.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { specValidator } from '../../contract/validator.js';
import { Authenticator } from '../core/gate/auth.js';
import { preflightHeaders } from '../core/route/cors.js';
import { edits } from '../core/operations/edits.js';
import { generations } from '../core/operations/generations.js';
import { media } from '../core/operations/media.js';
import { listModels } from '../core/operations/models.js';
import { native } from '../core/operations/native.js';
import { variations } from '../core/operations/variations.js';
import { ImageService } from '../core/media/image-service.js';
import { MediaTokens } from '../core/media/media-tokens.js';
import { resolveOptions, type MockOptions, type ResolvedOptions } from '../options.js';
import { attachProgress } from './progress.js';
import { RateLimiter, rateLimitHeaders, retryAfterSeconds } from '../core/gate/rate-limit.js';
import { renderPool } from '../core/media/render-pool.js';
import { RequestContext } from '../core/request-context.js';
import { RequestRules } from '../core/rules/request-rules.js';
import { sendScenarioError } from '../core/answer/scenario-answer.js';
import { sendEmpty, sendError } from '../core/answer/respond.js';
import { Router, specBasePath, type RouteMatch } from '../core/route/router.js';
import { SCENARIO_HEADER, isRetry, scenarioFromHeaders, type Scenario } from '../core/gate/scenarios.js';
import type { MockState } from '../core/state.js';
import { wait } from '../core/answer/timing.js';
import { paramName, show } from '../core/wording.js';

export interface MockServer {
  server: Server;
  state: MockState;
  options: ResolvedOptions;
}

async function dispatch(state: MockState, ctx: RequestContext, match: RouteMatch): Promise<void> {
  const { route } = match;
  const { req } = ctx;
  if (route.auth) {
    const auth = state.auth.check(req);
    if (!auth.ok) return sendError(ctx, auth.kind, auth.kind === 'invalid_api_key' ? { value: auth.masked } : {});
    ctx.apiKey = auth.key;
    if (state.limiter) {
      const d = state.limiter.take(auth.key);
      ctx.headers.push(...rateLimitHeaders(d));
      if (!d.allowed) {
        ctx.headers.push('retry-after', String(retryAfterSeconds(d.resetMs)));
        return sendError(ctx, 'rate_limit_exceeded', { limit: d.limit, current: d.current });
      }
    }
  }
  let scenario: Scenario | undefined;
  if (route.operationId !== 'getMedia') {
    const asked = scenarioFromHeaders(req);
    if (asked && 'unknown' in asked) return sendError(ctx, 'invalid_value', { param: paramName(SCENARIO_HEADER), value: show(asked.unknown), allowed: 'a scenario name (see the mock documentation)' });
    scenario = asked && !(asked.once && isRetry(req)) ? asked : undefined;
  }
  switch (route.operationId) {
    case 'createImage':
      return generations(state, ctx, scenario);
    case 'createImageEdit':
      return edits(state, ctx, scenario);
    case 'createImageVariation':
      return variations(state, ctx, scenario);
    case 'generateNativeImage':
      return native(state, ctx, scenario);
    case 'listModels':
      if (scenario?.slowMs) {
        if (!(await wait(ctx, scenario.slowMs))) return;
      } else if (scenario) {
        sendScenarioError(state, ctx, scenario, undefined);
        return;
      }
      return listModels(state, ctx);
    case 'getMedia':
      return media(state, ctx, match.param ?? '');
  }
}

export function createMockServer(options: MockOptions = {}): MockServer {
  const resolved = resolveOptions(options);
  const { profile } = resolved;
  const basePath = specBasePath();
  const router = new Router(profile, basePath);
  const auth = new Authenticator(resolved.apiKeys);
  const state: MockState = {
    options: resolved,
    profile,
    rules: new RequestRules(profile, resolved.lenient, specValidator()),
    images: new ImageService(resolved.seed, resolved.imageCacheBytes, renderPool(resolved.renderThreads)),
    tokens: new MediaTokens(resolved.mediaSecret, resolved.now),
    auth,
    limiter: resolved.rateLimitPerMinute ? new RateLimiter(resolved.rateLimitPerMinute, resolved.now) : undefined,
    progress: undefined,
    basePath,
    listenAuthority: `${resolved.host}:${resolved.port}`,
  };

  const onRequest = resolved.onRequest;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const ctx = new RequestContext(req, res, q < 0 ? url : url.slice(0, q), q < 0 ? '' : url.slice(q + 1));
    if (onRequest) {
      res.once('finish', () => {
        try {
          onRequest({ method: req.method ?? '', path: ctx.path, status: res.statusCode, requestId: ctx.requestId, headers: req.headers });
        } catch {
          // a test's logger must not take the mock down
        }
      });
    }
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return sendEmpty(ctx, 204, preflightHeaders(req));
    const match = router.match(method, ctx.path);
    if (!match) return sendError(ctx, 'route_not_found', { method: show(method, 16), path: show(ctx.path, 256) });
    ctx.envelope = match.route.native && profile.nativeEnvelope ? 'native' : 'openai';
    dispatch(state, ctx, match).catch((error: unknown) => {
      if (!res.headersSent) {
        ctx.closeConnection = true;
        sendError(ctx, 'server_error');
      } else res.destroy();
      if (process.env.IMAGEGEN_MOCK_DEBUG) console.error(error);
    });
  };

  const server = createServer({ keepAliveTimeout: 5000, requestTimeout: 300_000 }, handle);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  // Socket.IO wraps the request listeners, so it is attached after ours.
  if (profile.progressEvents) state.progress = attachProgress(server, { authorize: (token) => auth.accepts(token) });
  server.on('listening', () => {
    const address = server.address() as AddressInfo | null;
    if (address) state.listenAuthority = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  });
  return { server, state, options: resolved };
}
