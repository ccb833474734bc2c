// The node:http adapter: one request handler in front of the router. Order per request: CORS
// preflight, route (unknown → 404 route_not_found), API key, rate limit, scenario header, handler.
// Anything unexpected becomes a contract-shaped 500, never a crash or a hung socket.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { specValidator } from '../contract/validator.js';
import { parseRequestTarget } from '../http/request-target.js';
import { Authenticator } from './auth.js';
import { answerClientError } from './client-errors.js';
import { preflightHeaders } from './cors.js';
import { edits } from './handlers/edits.js';
import { generations } from './handlers/generations.js';
import { media } from './handlers/media.js';
import { listModels } from './handlers/models.js';
import { native } from './handlers/native.js';
import { variations } from './handlers/variations.js';
import { ImageService } from './image-service.js';
import { MediaTokens } from './media-tokens.js';
import { resolveOptions, type MockOptions, type ResolvedOptions } from './options.js';
import { attachProgress } from './progress.js';
import { MAX_RATE_KEYS, RateLimiter, rateLimitHeaders, retryAfterSeconds } from './rate-limit.js';
import { renderPool } from './render-pool.js';
import { RequestContext } from './request-context.js';
import { RequestRules } from './request-rules.js';
import { sendScenarioError } from './scenario-answer.js';
import { sendEmpty, sendError } from './respond.js';
import { Router, specBasePath, type RouteMatch } from './router.js';
import { ScenarioCounts } from './scenario-counts.js';
import { SCENARIO_HEADER, scenarioFromHeaders, type Scenario } from './scenarios.js';
import type { MockState } from './state.js';
import { wait } from './timing.js';
import { paramName, show } from './wording.js';

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
    scenario = asked;
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
      if (scenario && state.scenarioCounts.fails(scenario, ctx)) {
        if (!scenario.slowMs) {
          sendScenarioError(state, ctx, scenario, undefined);
          return;
        }
        if (!(await wait(ctx, scenario.slowMs))) return;
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
    limiter: resolved.rateLimitPerMinute ? new RateLimiter(resolved.rateLimitPerMinute, resolved.now, MAX_RATE_KEYS, resolved.rateLimitWindowMs) : undefined,
    progress: undefined,
    scenarioCounts: new ScenarioCounts(),
    basePath,
    listenAuthority: `${resolved.host}:${resolved.port}`,
  };

  const onRequest = resolved.onRequest;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const target = parseRequestTarget(req.url);
    const ctx = new RequestContext(req, res, target.ok ? target.path : '/', target.ok ? target.query : '');
    if (onRequest) {
      res.once('finish', () => {
        try {
          onRequest({ method: req.method ?? '', path: ctx.path, status: res.statusCode, requestId: ctx.requestId, headers: req.headers });
        } catch {
          // a test's logger must not take the mock down
        }
      });
    }
    // A target no URL parser agrees on (`//x`, `/\\`, `http://%zz/`): 400, never a guess at a route.
    if (!target.ok) return sendError(ctx, 'invalid_value', { param: null, value: show(req.url ?? ''), allowed: 'an origin-form request target (/path?query)' });
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return sendEmpty(ctx, 204, preflightHeaders(req));
    const match = router.match(method, ctx.path);
    if (!match) {
      if (profile.nativeEnvelope && router.isNativeSpace(ctx.path)) ctx.envelope = 'native';
      return sendError(ctx, 'route_not_found', { method: show(method, 16), path: show(ctx.path, 256) });
    }
    ctx.envelope = match.route.native && profile.nativeEnvelope ? 'native' : 'openai';
    dispatch(state, ctx, match).catch((error: unknown) => {
      if (!res.headersSent) {
        ctx.closeConnection = true;
        sendError(ctx, 'server_error');
      } else res.destroy();
      if (process.env.IMAGEGEN_MOCK_DEBUG) console.error(error);
    });
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
  if (profile.progressEvents) state.progress = attachProgress(server, { authorize: (token) => auth.accepts(token) });
  server.on('listening', () => {
    const address = server.address() as AddressInfo | null;
    if (address) state.listenAuthority = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  });
  return { server, state, options: resolved };
}
