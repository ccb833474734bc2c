// Reference 004's gateway, as its own OpenAPI 3.0 document describes it: POST /v1/images/generations
// only, `model` optional with default dall-e-2, models dall-e-2 and dall-e-3, prompt at most 1000
// (dall-e-2) or 4000 (dall-e-3) characters, n 1-10 (dall-e-2) or 1 (dall-e-3), sizes per model,
// quality and style for dall-e-3 only, response_format url | b64_json, `user`, bearer auth.
//
// Its own choices: a one-api-style request id (timestamp digits) appended to error messages, `style`
// on dall-e-2 rejected (ref 004 says "dall-e-3 only"; quality standard is dall-e-2's only value), images served from the gateway's
// own origin under /v1/files with a signed one-hour expiry, 8-bit truecolour PNGs with tEXt chunks
// and the image data split over 16 KiB IDAT chunks.
import { randomInt } from 'node:crypto';
import { CompatGateway, type CompatModel } from './lib/compat-core.js';
import { DALL_E_2, DALL_E_3 } from './lib/openai-upstream.js';
import { encodePng, promptPicture } from './lib/png.js';
import { SignedFiles } from './lib/signed-files.js';

export interface DalleOnlyOptions {
  apiKey: string;
  /** Lifetime of image URLs (default 3600 s, ref 004's upstream: 60 minutes). */
  urlTtlSeconds?: number;
  defect?: string;
}

const MODELS: CompatModel[] = [DALL_E_2, DALL_E_3];

export async function startDalleOnlyGateway(options: DalleOnlyOptions) {
  const files = new SignedFiles('/v1/files/images', options.defect === 'url-never-expires' ? 10 * 365 * 86400 : options.urlTtlSeconds ?? 3600);
  let origin = '';
  const stamp = () => new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const gateway = new CompatGateway({
    apiKeys: [options.apiKey],
    models: MODELS,
    defaultModel: 'dall-e-2',
    extraParams: { user: '*' },
    foreignParams: 'reject',
    bodyLimit: 4 * 1024 * 1024,
    requestId: () => `${stamp()}${String(randomInt(1e9)).padStart(9, '0')}`,
    errorBody: (e, id) => ({ error: { message: `${e.message} (request id: ${id})`, type: e.type, param: e.param, code: e.code } }),
    render: (g, i) => ({
      bytes: encodePng(g.width, g.height, promptPicture(`${g.prompt}#${i}`, g.width, g.height), {
        colour: 'rgb',
        text: { Software: 'ref-004 gateway', Description: g.prompt.slice(0, 200) },
        idatChunkBytes: 16 * 1024,
      }),
      mime: 'image/png',
      ext: 'png',
    }),
    publish: (image) => files.put(origin, image),
    ...(options.defect ? { defect: options.defect } : {}),
  });

  const server = await gateway.listen({ files, notFound: (route) => [`Invalid URL (${route})`, 'not_found'] });
  origin = server.origin;
  return { url: `${server.origin}/v1`, origin: server.origin, close: server.close };
}
