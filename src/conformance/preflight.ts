// Before any request that costs money: is this the gateway's API at all? A base URL whose operations
// all answer 404 while BASE/v1 answers is a forgotten /v1 (the run would be 50 failures and no hint);
// native operations missing on a native profile get a hint. Every probe is free (GETs, or bodies the
// gateway must refuse before generating anything) and recorded like any exchange.
import { servesOperation } from '../contract/profiles.js';
import type { RunContext } from './context.js';
import type { Exchange } from './http.js';
import { isObject, parseJson } from './exchange.js';
import { dataItems } from './inspect-images.js';

export interface PreflightResult {
  /** Stop the run (exit 2) with this one line. */
  stop?: string;
  /** Worth saying, not worth stopping for. */
  hints: string[];
}

const notFound = (ex: Exchange) => ex.response?.status === 404;

export async function preflight(ctx: RunContext, probe: Exchange): Promise<PreflightResult> {
  const hints: string[] = [];
  const free = { kind: 'json' as const, value: {} };
  const label = 'preflight (free: an empty body the gateway must refuse)';
  if (notFound(probe) && servesOperation(ctx.profile, 'createImage')) {
    const create = await ctx.http.send({ method: 'POST', url: ctx.operationUrl('createImage'), body: free, label, retry: { rateLimit: true, transient: false } });
    if (notFound(create)) {
      const base = ctx.baseUrl.replace(/\/+$/, '');
      if (!/\/v1$/.test(base)) {
        const v1 = await ctx.http.send({ method: 'GET', url: `${base}/v1/models`, label: 'preflight: does BASE/v1 answer?' });
        if (v1.response && !notFound(v1)) return { stop: `every operation at ${base} answers 404, but ${base}/v1/models answers ${v1.response.status}: did you mean --base-url ${base}/v1?`, hints };
      }
      hints.push(`GET ${new URL(probe.url).pathname} and POST ${new URL(create.url).pathname} both answer 404: is --base-url the URL the OpenAI SDK takes (ending in /v1)?`);
    }
  }
  if (ctx.profile.nativeEnvelope && servesOperation(ctx.profile, 'generateNativeImage')) {
    const native = await ctx.http.send({ method: 'POST', url: ctx.operationUrl('generateNativeImage'), body: free, label, retry: { rateLimit: true, transient: false } });
    if (notFound(native))
      hints.push(`profile ${ctx.profile.name} expects native operations, but POST ${new URL(native.url).pathname} answers 404: a gateway without them fails the native checks (is --profile right?)`);
  }
  return { hints };
}

/** Images a response carries: data items with a url or b64_json of image bytes (JSON), completed events (SSE). */
export function imagesIn(ex: Exchange): number {
  if (ex.response?.status !== 200) return 0;
  const type = (ex.response.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('text/event-stream')) return (ex.response.body.toString('utf8').match(/"type"\s*:\s*"image_(?:generation|edit)\.completed"/g) ?? []).length;
  const parsed = parseJson(ex);
  if (!parsed.ok) return 0;
  return (dataItems(parsed.value) ?? []).filter((i) => isObject(i) && ((typeof i.b64_json === 'string' && isImageData(i.b64_json)) || (typeof i.url === 'string' && i.url.length > 0))).length;
}

/** base64 that decodes to a PNG, JPEG or WebP (by its first bytes). */
function isImageData(b64: string): boolean {
  const head = Buffer.from(b64.slice(0, 24), 'base64');
  const png = head[0] === 0x89 && head.toString('latin1', 1, 4) === 'PNG';
  const jpeg = head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  const webp = head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP';
  return png || jpeg || webp;
}
