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
import { listen, sendBytes, sendJson, target } from './lib/http.js';
import { encodePng, promptPicture } from './lib/png.js';
import { SignedFiles } from './lib/signed-files.js';

export interface DalleOnlyOptions {
  apiKey: string;
  defect?: string;
}

const MODELS: CompatModel[] = [
  {
    id: 'dall-e-2',
    owner: 'openai',
    promptMax: 1000,
    nMax: 10,
    sizes: ['256x256', '512x512', '1024x1024'],
    defaultSize: '1024x1024',
    // "standard is the only option for dall-e-2" (facts §1.2): the upstream takes it, so does the gateway.
    qualities: ['standard'],
    defaultQuality: 'standard',
    usdPerImage: (size) => ({ '256x256': 0.016, '512x512': 0.018 })[size] ?? 0.02,
  },
  {
    id: 'dall-e-3',
    owner: 'openai',
    promptMax: 4000,
    nMax: 1,
    sizes: ['1024x1024', '1792x1024', '1024x1792'],
    defaultSize: '1024x1024',
    qualities: ['standard', 'hd'],
    defaultQuality: 'standard',
    styles: ['vivid', 'natural'],
    revisesPrompt: true,
    usdPerImage: (_s, q) => (q === 'hd' ? 0.08 : 0.04),
  },
];

export async function startDalleOnlyGateway(options: DalleOnlyOptions) {
  const files = new SignedFiles('/v1/files/images', options.defect === 'url-never-expires' ? 10 * 365 * 86400 : 3600);
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

  const server = await listen(
    async (req, res) => {
      const id = gateway.config.requestId();
      const url = target(req);
      if (req.method === 'POST' && url.pathname === '/v1/images/generations') return gateway.generate(req, res, id);
      if (req.method === 'GET' && files.owns(url.pathname)) {
        const file = files.get(url);
        if (file === 'missing') return gateway.sendError(res, { status: 404, message: 'File not found.', type: 'invalid_request_error', param: null, code: 'file_not_found' }, id);
        if (file === 'expired') return gateway.sendError(res, { status: 410, message: 'This image link has expired.', type: 'invalid_request_error', param: null, code: 'url_expired' }, id);
        return sendBytes(res, 200, file.bytes, file.mime, { headers: { 'x-request-id': id, 'cache-control': 'private, max-age=3600' } });
      }
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        try {
          gateway.authenticate(req);
          return gateway.listModels(res, id);
        } catch (e) {
          return gateway.sendError(res, (e as { spec: never }).spec, id);
        }
      }
      req.resume();
      gateway.sendError(res, { status: 404, message: `Invalid URL (${req.method} ${url.pathname})`, type: 'invalid_request_error', param: null, code: 'not_found' }, id);
    },
    (res) => sendJson(res, 500, { error: { message: 'internal error', type: 'server_error', param: null, code: null } }),
  );
  origin = server.origin;
  return { url: `${server.origin}/v1`, origin: server.origin, close: server.close };
}
