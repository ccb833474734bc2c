// The mock gateway as one function from a Web Request to a Response (the Fetch API shape Hono and
// Workers use). A request goes through the stages in the order of the folders next to this file:
//   route/      CORS preflight, the route table (unknown → 404 route_not_found)
//   gate/       API key, rate limit, the scenario a header asks for
//   operations/ one module per operation, each: read/ the body → rules/ the image job → answer/
//   answer/     JSON, errors, event streams, scenarios, latency and progress hooks
//   media/      the pictures (render, cache) and the signed tokens of their URLs
// Anything unexpected becomes a contract-shaped 500, never a throw. Adapters: node/ (node:http,
// Socket.IO progress, cluster workers) and src/msw (MSW request handlers).
import { specValidator } from '../../contract/validator.js';
import { resolveOptions, type MockOptions } from '../options.js';
import { clientGone, empty, error } from './answer/respond.js';
import { realResponse } from './answer/response.js';
import { scenarioError } from './answer/scenario-answer.js';
import { wait } from './answer/timing.js';
import { Authenticator } from './gate/auth.js';
import { MAX_RATE_KEYS, RateLimiter, rateLimitHeaders, retryAfterSeconds } from './gate/rate-limit.js';
import { ScenarioCounts } from './gate/scenario-counts.js';
import { SCENARIO_HEADER, scenarioFromHeaders, type Scenario } from './gate/scenarios.js';
import { ImageService } from './media/image-service.js';
import { MediaTokens } from './media/media-tokens.js';
import { renderPool } from './media/render-pool.js';
import { edits } from './operations/edits.js';
import { generations } from './operations/generations.js';
import { media } from './operations/media.js';
import { listModels } from './operations/models.js';
import { native } from './operations/native.js';
import { variations } from './operations/variations.js';
import { RequestContext } from './request-context.js';
import { preflightHeaders } from './route/cors.js';
import { Router, specBasePath, type RouteMatch } from './route/router.js';
import { RequestRules } from './rules/request-rules.js';
import type { MockState } from './state.js';
import { paramName, show } from './wording.js';

/** `request[HEADER_RECORD]()`: the request's headers as a plain record (an adapter's own, for onRequest). */
export const HEADER_RECORD = Symbol.for('imagegen-contract.header-record');

export interface MockCore {
  /** Answers a Web Request with a real Response (MSW, Workers, tests). */
  fetch(request: Request): Promise<Response>;
  /** The same answer as a lazy Response whose fields an adapter may write directly (see answer/response.ts). */
  respond(request: Request): Promise<Response>;
  state: MockState;
}

async function dispatch(state: MockState, ctx: RequestContext, match: RouteMatch): Promise<Response> {
  const { route } = match;
  const headers = ctx.request.headers;
  if (route.auth) {
    const auth = state.auth.check(headers);
    if (!auth.ok) return error(ctx, auth.kind, auth.kind === 'invalid_api_key' ? { value: auth.masked } : {});
    ctx.apiKey = auth.key;
    if (state.limiter) {
      const d = state.limiter.take(auth.key);
      ctx.headers.push(...rateLimitHeaders(d));
      if (!d.allowed) {
        ctx.headers.push('retry-after', String(retryAfterSeconds(d.resetMs)));
        return error(ctx, 'rate_limit_exceeded', { limit: d.limit, current: d.current });
      }
    }
  }
  let scenario: Scenario | undefined;
  if (route.operationId !== 'getMedia') {
    const asked = scenarioFromHeaders(headers);
    if (asked && 'unknown' in asked) return error(ctx, 'invalid_value', { param: paramName(SCENARIO_HEADER), value: show(asked.unknown), allowed: 'a scenario name (see the mock documentation)' });
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
        if (!scenario.slowMs) return scenarioError(state, ctx, scenario, undefined).response;
        if (!(await wait(ctx.signal, scenario.slowMs))) return clientGone(ctx);
      }
      return listModels(state, ctx);
    case 'getMedia':
      return media(state, ctx, match.param ?? '');
  }
}

function headerRecord(request: Request): Record<string, string | string[] | undefined> {
  const own = (request as { [HEADER_RECORD]?: () => Record<string, string | string[] | undefined> })[HEADER_RECORD];
  return own ? own.call(request) : Object.fromEntries(request.headers);
}

export function createMockCore(options: MockOptions = {}): MockCore {
  const resolved = resolveOptions(options);
  const { profile } = resolved;
  const basePath = specBasePath();
  const router = new Router(profile, basePath);
  const state: MockState = {
    options: resolved,
    profile,
    rules: new RequestRules(profile, resolved.lenient, specValidator()),
    images: new ImageService(resolved.seed, resolved.imageCacheBytes, renderPool(resolved.renderThreads)),
    tokens: new MediaTokens(resolved.mediaSecret, resolved.now),
    auth: new Authenticator(resolved.apiKeys),
    limiter: resolved.rateLimitPerMinute ? new RateLimiter(resolved.rateLimitPerMinute, resolved.now, MAX_RATE_KEYS, resolved.rateLimitWindowMs) : undefined,
    progress: undefined,
    scenarioCounts: new ScenarioCounts(),
    basePath,
  };
  const onRequest = resolved.onRequest;

  async function answer(ctx: RequestContext): Promise<Response> {
    // A target no URL parser agrees on (`//x`, `/\\`, `http://%zz/`): 400, never a guess at a route.
    if (ctx.badTarget !== undefined) return error(ctx, 'invalid_value', { param: null, value: show(ctx.badTarget), allowed: 'an origin-form request target (/path?query)' });
    const method = ctx.method;
    if (method === 'OPTIONS') return empty(ctx, 204, preflightHeaders(ctx.request.headers));
    const match = router.match(method, ctx.path);
    if (!match) {
      if (profile.nativeEnvelope && router.isNativeSpace(ctx.path)) ctx.envelope = 'native';
      return error(ctx, 'route_not_found', { method: show(method, 16), path: show(ctx.path, 256) });
    }
    ctx.envelope = match.route.native && profile.nativeEnvelope ? 'native' : 'openai';
    try {
      return await dispatch(state, ctx, match);
    } catch (e) {
      if (process.env.IMAGEGEN_MOCK_DEBUG) console.error(e);
      ctx.closeConnection = true;
      return error(ctx, 'server_error');
    }
  }

  async function respond(request: Request): Promise<Response> {
    const ctx = new RequestContext(request);
    const response = await answer(ctx);
    if (onRequest && response.status !== 499) {
      try {
        onRequest({ method: ctx.method, path: ctx.path, status: response.status, requestId: ctx.requestId, headers: headerRecord(request) });
      } catch {
        // a test's logger must not take the mock down
      }
    }
    return response;
  }

  return {
    state,
    respond,
    fetch: async (request) => realResponse(await respond(request)),
  };
}
