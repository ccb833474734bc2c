// Reference 003's API: POST /v1/images/generations in the OpenAI format, `model` optional (default
// dall-e-3), DALL-E 3 / DALL-E 2 / Stable Diffusion 3 / Flux pro and dev / Ideogram 2 / Imagen 3 with
// their documented sizes and maximum images (1, 10, 4), quality standard|hd and style vivid|natural
// for DALL-E 3 only, prompt at most 4000 characters, every success carrying a `perf` block
// (request_id, model_used, size, quality, cost_usd, latency_ms) and rate-limit tiers (Free 5
// images/min and 50/day, Pro 30/min and 1000/day, Enterprise custom) answered with 429s.
//
// Its own choices: the perf request_id doubles as x-request-id (`req-` + 20 hex), prices from ref
// 003's table (dall-e-3 standard $0.04, hd $0.08), quality/style on other models rejected, Flux images
// as WebP (no output_format to honour), others as adaptively filtered PNGs by sharp, URLs on its own
// origin under /cdn with a signed expiry, x-ratelimit-*-images headers on every answer, dall-e-2's
// prompt limit of 1000 enforced as its upstream does.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { CompatError, CompatGateway, type CompatModel } from './lib/compat-core.js';
import { DALL_E_2, DALL_E_3 } from './lib/openai-upstream.js';
import { sendBytes } from './lib/http.js';
import { promptPicture } from './lib/png.js';
import { SignedFiles } from './lib/signed-files.js';

export type Tier = 'free' | 'pro' | 'enterprise';
export interface PerfBlockOptions {
  apiKey: string;
  /** The key's tier (default enterprise: 600 images a minute). */
  tier?: Tier;
  /** Lifetime of image URLs (default 3600 s: ref 003, expires after 1 hour). */
  urlTtlSeconds?: number;
  defect?: string;
}

const LIMITS: Record<Tier, { perMinute: number; perDay: number }> = {
  free: { perMinute: 5, perDay: 50 },
  pro: { perMinute: 30, perDay: 1000 },
  enterprise: { perMinute: 600, perDay: 100_000 },
};

const custom = { multipleOf: 64, minEdge: 512, maxEdge: 2048, maxAspect: 4 };
const thirdParty = (id: string, owner: string, usd: number, withCustom = true): CompatModel => ({
  id,
  owner,
  promptMax: 4000,
  nMax: 4,
  sizes: ['1024x1024'],
  defaultSize: '1024x1024',
  ...(withCustom ? { custom } : {}),
  usdPerImage: () => usd,
});
const MODELS: CompatModel[] = [
  DALL_E_3,
  DALL_E_2,
  thirdParty('stable-diffusion-3', 'stability', 0.035),
  thirdParty('flux-pro', 'black-forest-labs', 0.055),
  thirdParty('flux-dev', 'black-forest-labs', 0.025),
  thirdParty('ideogram-2', 'ideogram', 0.04),
  thirdParty('imagen-3', 'google', 0.04, false),
];

export async function startPerfBlockGateway(options: PerfBlockOptions) {
  const defect = options.defect;
  const limits = LIMITS[options.tier ?? 'enterprise'];
  const files = new SignedFiles('/cdn/generations', options.urlTtlSeconds ?? 3600);
  const spent: number[] = [];
  let origin = '';
  const minuteUsage = () => {
    const since = Date.now() - 60_000;
    while (spent.length && spent[0]! < since) spent.shift();
    return spent.length;
  };
  const rateHeaders = (): Record<string, string> => ({
    'x-ratelimit-limit-images': String(limits.perMinute),
    'x-ratelimit-remaining-images': String(Math.max(0, limits.perMinute - minuteUsage())),
  });

  const gateway = new CompatGateway({
    apiKeys: [options.apiKey],
    models: MODELS,
    defaultModel: 'dall-e-3',
    foreignParams: 'reject',
    bodyLimit: 1024 * 1024,
    requestId: () => `req-${randomBytes(10).toString('hex')}`,
    errorBody: (e) => ({ error: { message: e.message, type: e.type, param: e.param, code: e.code } }),
    headers: rateHeaders,
    async render(g, i) {
      const pixel = promptPicture(`${g.prompt}~${i}`, g.width, g.height);
      const raw = Buffer.alloc(g.width * g.height * 3);
      for (let y = 0, o = 0; y < g.height; y++) for (let x = 0; x < g.width; x++, o += 3) [raw[o], raw[o + 1], raw[o + 2]] = pixel(x, y);
      const img = sharp(raw, { raw: { width: g.width, height: g.height, channels: 3 } });
      if (g.model.id.startsWith('flux-')) return { bytes: await img.webp({ quality: 90 }).toBuffer(), mime: 'image/webp', ext: 'webp' };
      return { bytes: await img.png({ compressionLevel: 4, adaptiveFiltering: true }).toBuffer(), mime: 'image/png', ext: 'png' };
    },
    publish: (image) => files.put(origin, image),
    // ref 003: "400 Content Policy Violation".
    screen(g) {
      if (/\b(gore|graphic violence)\b/i.test(g.prompt))
        throw new CompatError({ status: 400, message: 'This prompt violates the content policy of the selected provider.', type: 'invalid_request_error', param: 'prompt', code: 'content_policy_violation' });
    },
    admit(_req, res, requestId, images) {
      // A request that fits the window, or the first of an empty window (bursts up to n are allowed).
      const used = minuteUsage();
      if (used === 0 || used + images <= limits.perMinute) {
        for (let i = 0; i < images; i++) spent.push(Date.now());
        return false;
      }
      const retry = Math.max(1, Math.ceil((spent[0]! + 60_000 - Date.now()) / 1000));
      if (defect === 'rate-limit-text-plain') {
        sendBytes(res, 429, Buffer.from('error code: 1015'), 'text/plain; charset=UTF-8', { headers: { 'retry-after': String(retry), 'x-request-id': requestId } });
        return true;
      }
      gateway.sendError(
        res,
        { status: 429, message: `Rate limit reached: ${limits.perMinute} images per minute on your tier. Try again in ${retry}s.`, type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
        requestId,
        defect === 'retry-after-missing' ? {} : { 'retry-after': String(retry) },
      );
      return true;
    },
    decorate(body, g) {
      const cost = g.model.usdPerImage(g.size, g.quality) * g.n;
      body.perf = {
        request_id: defect === 'perf-request-id-mismatch' ? `perf-${g.requestId}` : g.requestId,
        model_used: defect === 'perf-model-wrong' ? 'dall-e-2' : g.model.id,
        size: defect === 'perf-size-wrong' ? '1024x1024' : g.size,
        quality: g.quality,
        cost_usd: defect === 'perf-cost-negative' ? -cost : Math.round(cost * 1000) / 1000,
        latency_ms: Date.now() - g.started,
      };
      if (defect === 'perf-missing') delete body.perf;
    },
    ...(defect ? { defect } : {}),
  });

  const server = await gateway.listen({ files, notFound: (route) => [`Not found: ${route}`, 'not_found'] });
  origin = server.origin;
  return { url: `${server.origin}/v1`, origin: server.origin, close: server.close };
}
