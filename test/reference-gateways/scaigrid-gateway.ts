// Reference 000's gateway (ScaiGrid): the native POST /v1/inference/images/generate answering
// {"status": "ok", "data": {created, data: [{url, b64_json, revised_prompt}]}} (the absent one of
// url/b64_json sent as null), errors as {"status": "error", "error": {code, message}} with
// VALIDATION_ERROR (missing prompt, invalid size), MODEL_ACCESS_DENIED (model not enabled for the
// tenant), BACKEND_ERROR (safety filter / upstream refusal), BUDGET_EXCEEDED (image budget cap);
// model slugs (openai/dall-e-3, openai/dall-e-2, stability/sd-xl) required; `metadata` passed
// through; URLs through its media proxy (/v1/media/{token}) with short-lived tokens (1 hour);
// GET /v1/models?modality=image; and /oai/v1/images/generations, the OpenAI-compatible alias that
// "works identically" (OpenAI envelope there).
//
// Its own choices: 16-bit truecolour PNGs with a tEXt chunk, UUID request ids (also in native error
// bodies), the model list holding the tenant's text and audio models unless filtered, metadata
// echoed in the native answer, MEDIA_EXPIRED 410 for an expired token, NOT_FOUND 404 for a forged one,
// gpt-image models known but not enabled for the tenant (MODEL_ACCESS_DENIED).
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CompatError, CompatGateway, type CompatModel, type ErrorSpec, type Generation, type StoredImage } from './lib/compat-core.js';
import { listen, mediaTypeOf, readBody, sendBytes, sendJson, target } from './lib/http.js';
import { DALL_E_2, DALL_E_3 } from './lib/openai-upstream.js';
import { encodePng, promptPicture } from './lib/png.js';

export interface ScaiGridOptions {
  apiKey: string;
  /** Images the tenant may still make (BUDGET_EXCEEDED beyond). Default: unlimited. */
  budgetImages?: number;
  /** Lifetime of media tokens (default 3600 s: ref 000, 1 hour by default). */
  urlTtlSeconds?: number;
  defect?: string;
}

const MODELS: CompatModel[] = [
  { ...DALL_E_3, id: 'openai/dall-e-3' },
  { ...DALL_E_2, id: 'openai/dall-e-2' },
  { id: 'stability/sd-xl', owner: 'scaiinfer', promptMax: 4000, nMax: 10, sizes: ['1024x1024'], defaultSize: '1024x1024', usdPerImage: () => 0.004 },
];
/** Known to ScaiGrid, not configured for this tenant. */
const NOT_ENABLED = ['openai/gpt-image-1', 'google/imagen-3'];
const OTHER_MODALITIES = [
  { id: 'scailabs/scai-large', modality: 'text', owned_by: 'scailabs' },
  { id: 'openai/whisper-1', modality: 'audio', owned_by: 'openai' },
  { id: 'openai/text-embedding-3-small', modality: 'embedding', owned_by: 'openai' },
];
const BLOCKED = /\b(gore|graphic violence)\b/i;
/** Tenants other than the key's own, chosen with X-ScaiGrid-Tenant: a trial tenant whose image budget is spent. */
const SPENT_TENANTS = new Set(['trial-exhausted']);
const NATIVE_CODES: Record<number, string> = { 400: 'VALIDATION_ERROR', 401: 'UNAUTHENTICATED', 403: 'MODEL_ACCESS_DENIED', 404: 'NOT_FOUND', 410: 'MEDIA_EXPIRED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'BUDGET_EXCEEDED', 502: 'BACKEND_ERROR' };

export async function startScaiGridGateway(options: ScaiGridOptions) {
  const defect = options.defect;
  const secret = randomBytes(32);
  const media = new Map<string, StoredImage>();
  let budget = options.budgetImages ?? Number.POSITIVE_INFINITY;
  let origin = '';
  const ttl = defect === 'media-never-expires' ? 20 * 365 * 86400 : options.urlTtlSeconds ?? 3600;

  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  function mediaUrl(image: StoredImage): string {
    const id = randomBytes(12).toString('hex');
    media.set(id, image);
    const payload = Buffer.from(JSON.stringify({ id, exp: Math.floor(Date.now() / 1000) + ttl })).toString('base64url');
    return `${origin}/v1/media/tok_${payload}.${sign(payload)}`;
  }
  function resolveToken(token: string): StoredImage | 'forged' | 'expired' {
    const m = /^tok_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
    if (!m) return 'forged';
    const want = Buffer.from(sign(m[1]!));
    const given = Buffer.from(m[2]!);
    if (defect !== 'media-unsigned' && (want.length !== given.length || !timingSafeEqual(want, given))) return 'forged';
    let claims: { id?: string; exp?: number };
    try {
      claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return 'forged';
    }
    const image = claims.id ? media.get(claims.id) : undefined;
    if (!image) return 'forged';
    return (claims.exp ?? 0) > Date.now() / 1000 ? image : 'expired';
  }

  const gateway = new CompatGateway({
    apiKeys: [options.apiKey],
    models: MODELS,
    extraParams: { metadata: 'object' },
    foreignParams: 'ignore',
    bodyLimit: 8 * 1024 * 1024,
    requestId: randomUUID,
    errorBody: (e) => ({ error: { message: e.message, type: e.type, param: e.param, code: e.code } }),
    render: (g, i) => ({
      bytes: encodePng(g.width, g.height, promptPicture(`${g.prompt}|${i}`, g.width, g.height), { colour: 'rgb16', text: { Source: 'ScaiGrid media' } }),
      mime: 'image/png',
      ext: 'png',
    }),
    publish: (image) => mediaUrl(image),
    admit(req, res, requestId) {
      try {
        checkTenant(req);
        return false;
      } catch (e) {
        gateway.sendError(res, (e as CompatError).spec, requestId);
        return true;
      }
    },
    screen(g) {
      if (BLOCKED.test(g.prompt)) throw new CompatError({ status: 400, message: 'Your request was rejected by the provider safety filter.', type: 'invalid_request_error', param: null, code: 'content_policy_violation' });
      if (budget < g.n) throw new CompatError({ status: 429, message: 'The image budget of this tenant is exhausted.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' });
      budget -= g.n;
    },
    ...(defect ? { defect } : {}),
  });

  function checkModel(fields: Record<string, unknown>): void {
    const name = fields.model;
    if (typeof name === 'string' && NOT_ENABLED.includes(name))
      throw new CompatError({ status: 403, message: `Image model ${name} is not enabled for your tenant.`, type: 'permission_error', param: 'model', code: 'model_access_denied' });
    if (defect === 'bare-name-accepted' && typeof name === 'string' && !name.includes('/')) {
      const slug = MODELS.find((m) => m.id.endsWith(`/${name}`));
      if (slug) fields.model = slug.id;
    }
  }

  function checkTenant(req: IncomingMessage): void {
    const tenant = req.headers['x-scaigrid-tenant'];
    if (typeof tenant === 'string' && SPENT_TENANTS.has(tenant))
      throw new CompatError({ status: 429, message: `The image budget of tenant ${tenant} is exhausted.`, type: 'insufficient_quota', param: null, code: 'insufficient_quota' });
  }

  function nativeError(res: ServerResponse, e: ErrorSpec, requestId: string, extra: Record<string, string> = {}): void {
    // Native codes by status; a safety refusal is the upstream's (BACKEND_ERROR, 502).
    const refused = e.code === 'content_policy_violation' || (defect === 'budget-backend-error' && e.status === 429);
    const broken = defect === 'native-validation-500' && e.status === 400 && !refused;
    const code = broken ? 'INTERNAL_ERROR' : refused ? 'BACKEND_ERROR' : NATIVE_CODES[e.status] ?? 'INTERNAL_ERROR';
    const status = broken ? 500 : refused ? 502 : e.status;
    const body = defect === 'native-openai-envelope' ? gateway.config.errorBody(e, requestId) : { status: 'error', error: { code, message: e.message, request_id: requestId } };
    sendJson(res, status, body, { headers: { 'x-request-id': requestId, ...extra } });
  }

  async function native(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    try {
      gateway.authenticate(req);
      if (mediaTypeOf(req) !== 'application/json') {
        req.resume();
        throw new CompatError({ status: 415, message: 'Send the request as application/json.', type: 'invalid_request_error', param: null, code: null });
      }
      const body = await readBody(req, gateway.config.bodyLimit);
      if (!body.ok) return nativeError(res, { status: 413, message: 'Request body too large.', type: 'invalid_request_error', param: null, code: null }, requestId, { connection: 'close' });
      let fields: Record<string, unknown>;
      try {
        fields = JSON.parse(body.bytes.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new CompatError({ status: 400, message: 'The request body is not valid JSON.', type: 'invalid_request_error', param: null, code: null });
      }
      if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new CompatError({ status: 400, message: 'The request body must be an object.', type: 'invalid_request_error', param: null, code: null });
      checkModel(fields);
      checkTenant(req);
      const g: Generation = gateway.validate(fields, requestId);
      gateway.config.screen!(g);
      const data = [];
      for (let i = 0; i < (defect === 'n-ignored' ? 1 : g.n); i++) {
        const image = await gateway.config.render(g, i);
        const url = g.responseFormat === 'url' || defect === 'native-b64-ignored' ? mediaUrl(image) : null;
        data.push({ url, b64_json: url ? null : image.bytes.toString('base64'), revised_prompt: g.model.revisesPrompt ? `${g.prompt}, warm cinematic lighting, high detail` : null });
      }
      const out: Record<string, unknown> = { created: Math.floor(Date.now() / 1000), data };
      if (fields.metadata && typeof fields.metadata === 'object') out.metadata = fields.metadata;
      sendJson(res, 200, defect === 'native-unwrapped' ? out : { status: 'ok', data: out }, { headers: { 'x-request-id': requestId } });
    } catch (error) {
      if (!(error instanceof CompatError)) throw error;
      nativeError(res, error.spec, requestId);
    }
  }

  function models(req: IncomingMessage, res: ServerResponse, requestId: string, url: URL): void {
    try {
      gateway.authenticate(req);
    } catch (e) {
      return nativeError(res, (e as CompatError).spec, requestId);
    }
    const modality = url.searchParams.get('modality');
    const all = [...MODELS.map((m) => ({ id: m.id, modality: 'image', owned_by: m.owner })), ...OTHER_MODALITIES];
    const data = all.filter((m) => !modality || m.modality === modality).map((m) => ({ id: m.id, object: 'model', created: 1714000000, owned_by: m.owned_by, modality: m.modality }));
    sendJson(res, 200, { object: 'list', data }, { headers: { 'x-request-id': requestId } });
  }

  const server = await listen(
    async (req, res) => {
      const id = randomUUID();
      const url = target(req);
      const route = `${req.method} ${url.pathname}`;
      if (route === 'POST /v1/inference/images/generate') return native(req, res, id);
      if (route === 'GET /v1/models' || route === 'GET /oai/v1/models') return models(req, res, id, url);
      if (route === 'POST /oai/v1/images/generations') {
        return gateway.generate(req, res, id);
      }
      if (req.method === 'GET' && url.pathname.startsWith('/v1/media/')) {
        const found = resolveToken(decodeURIComponent(url.pathname.slice('/v1/media/'.length)));
        if (found === 'forged') return nativeError(res, { status: 404, message: 'Unknown media token.', type: 'invalid_request_error', param: null, code: null }, id);
        if (found === 'expired') return nativeError(res, { status: 410, message: 'This media link has expired; generate the image again.', type: 'invalid_request_error', param: null, code: null }, id);
        return sendBytes(res, 200, found.bytes, defect === 'media-octet-stream' ? 'application/octet-stream' : found.mime, { headers: { 'x-request-id': id, 'cache-control': 'private, max-age=3600' } });
      }
      req.resume();
      if (url.pathname.startsWith('/oai/')) return gateway.sendError(res, { status: 404, message: `Unknown route ${route}`, type: 'invalid_request_error', param: null, code: null }, id);
      nativeError(res, { status: 404, message: `Unknown route ${route}`, type: 'invalid_request_error', param: null, code: null }, id);
    },
    (res) => sendJson(res, 500, { status: 'error', error: { code: 'INTERNAL_ERROR', message: 'Unexpected error.' } }),
  );
  origin = server.origin;
  return { url: `${server.origin}/v1`, origin: server.origin, close: server.close };
}
