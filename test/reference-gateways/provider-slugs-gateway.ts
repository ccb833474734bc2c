// Reference 001's gateway: POST /v1/images/generations with `model` required, named either bare
// (dall-e-3) or as provider/model (openai/dall-e-3, stability/stable-diffusion-xl-1024-v1-0); n 1-10
// for dall-e-2, 1 for dall-e-3; quality and style for dall-e-3 only; custom sizes for the models that
// take them (1536x1024); `user` and `moderation` (auto | low); URLs that expire after an hour; errors
// as the three-key body it documents: {"error": {"message", "type", "code"}} (no `param`), with
// content_policy_violation and invalid_size.
//
// Its own choices: images on a CDN origin with Azure-SAS-style signed URLs, palette (8-bit indexed)
// PNGs, JSON answers sent chunked (no Content-Length), `gw-` request ids, quality/style on models
// they do not apply to silently ignored, an extra `provider` field in the success body.
import { randomBytes } from 'node:crypto';
import { startCdn } from './lib/cdn.js';
import { CompatError, CompatGateway, type CompatModel } from './lib/compat-core.js';
import { closeAll } from './lib/http.js';
import { DALL_E_2, DALL_E_3 } from './lib/openai-upstream.js';
import { encodePng, promptPicture } from './lib/png.js';

export interface ProviderSlugsOptions {
  apiKey: string;
  /** Lifetime of image URLs (default 3600 s: ref 001, expires after 1 hour). */
  urlTtlSeconds?: number;
  defect?: string;
}

const MODELS: CompatModel[] = [
  { ...DALL_E_2, aliases: ['openai/dall-e-2'] },
  { ...DALL_E_3, aliases: ['openai/dall-e-3'] },
  {
    id: 'stable-diffusion-xl-1024-v1-0',
    aliases: ['stability/stable-diffusion-xl-1024-v1-0'],
    owner: 'stability',
    promptMax: 4000,
    nMax: 10,
    sizes: ['1024x1024'],
    defaultSize: '1024x1024',
    custom: { multipleOf: 64, minEdge: 512, maxEdge: 1536, maxAspect: 2 },
    usdPerImage: () => 0.01,
  },
];

/** Prompts the moderation step refuses (ref 001: "Prompts that violate content policies will be rejected"). */
const BLOCKED = /\b(gore|graphic violence|explicit)\b/i;
const providerOf = (asked: string, owner: string) => (asked.includes('/') ? asked.split('/')[0]! : owner);

export async function startProviderSlugsGateway(options: ProviderSlugsOptions) {
  const defect = options.defect;
  const cdn = await startCdn({ ttlSeconds: options.urlTtlSeconds ?? 3600, prefix: '/gen', ...(defect === 'url-404' ? { defect: 'missing' as const } : {}) });
  const gateway = new CompatGateway({
    apiKeys: [options.apiKey],
    models: MODELS,
    extraParams: { user: '*', moderation: ['auto', 'low'] },
    foreignParams: 'ignore',
    bodyLimit: 1024 * 1024,
    requestId: () => `gw-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`,
    // The documented three-key body; the defect drops `code` (a body SDKs cannot branch on).
    errorBody: (e) => ({ error: { message: e.message, type: e.type, ...(defect === 'envelope-missing-code' ? {} : { code: e.code }) } }),
    render: (g, i) => ({
      bytes: encodePng(g.width, g.height, promptPicture(`${g.prompt}/${i}`, g.width, g.height), { colour: 'palette' }),
      mime: 'image/png',
      ext: 'png',
    }),
    publish: (image) => cdn.put(image.bytes, image.mime, image.ext),
    decorate: (body, g) => {
      body.provider = providerOf(g.asked, g.model.owner);
    },
    // Moderation runs before generation for every provider.
    screen: (g) => {
      if (BLOCKED.test(g.prompt) && g.fields.moderation !== 'low' && defect === 'content-policy-500')
        throw new CompatError({ status: 500, message: 'Upstream provider error', type: 'api_error', param: null, code: 'upstream_error' });
      if (BLOCKED.test(g.prompt) && g.fields.moderation !== 'low')
        throw new CompatError({ status: 400, message: 'Your request was rejected due to content policy violations', type: 'invalid_request_error', param: null, code: 'content_policy_violation' });
    },
    chunked: true,
    ...(defect ? { defect } : {}),
  });
  const server = await gateway.listen({ notFound: (route) => [`No route for ${route}`, 'route_not_found'] });
  return {
    url: `${server.origin}/v1`,
    origin: server.origin,
    close: closeAll(server.close, cdn.close),
  };
}
