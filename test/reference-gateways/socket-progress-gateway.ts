// Reference 002's gateway: POST /v1/images/generations (model required; prompt 1-4000 characters;
// n 1-10; size WIDTHxHEIGHT; quality and style model-dependent; url or b64_json), bearer keys, and
// real-time progress on the Socket.IO namespace /image-progress for the providers that report it
// (its ComfyUI-backed stable-diffusion-xl), with the event shapes of the project's AsyncAPI document
// (progress / completed / failed, request_id = x-request-id).
//
// Its own choices: `b64_json` images as progressive JPEG (ref 002's b64 example starts "/9j/", a
// JPEG), url images as Adam7-interlaced RGBA PNGs on a CDN origin, ComfyUI-style step counts (20 per
// image), `aigw_` request ids, custom SDXL sizes in multiples of 8.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { Server as SocketServer } from 'socket.io';
import { startCdn } from './lib/cdn.js';
import { CompatGateway, type CompatModel, type Generation } from './lib/compat-core.js';
import { listen, sendJson, target } from './lib/http.js';
import { DALL_E_3 } from './lib/openai-upstream.js';
import { encodePng, promptPicture } from './lib/png.js';

export interface SocketProgressOptions {
  apiKey: string;
  /** Lifetime of image URLs (default 3600 s). */
  urlTtlSeconds?: number;
  defect?: string;
}

const MODELS: CompatModel[] = [
  DALL_E_3,
  {
    id: 'stable-diffusion-xl',
    owner: 'comfyui',
    promptMax: 4000,
    nMax: 10,
    sizes: ['1024x1024'],
    defaultSize: '1024x1024',
    custom: { multipleOf: 8, minEdge: 512, maxEdge: 2048, maxAspect: 4 },
    usdPerImage: () => 0.002,
  },
];
/** Providers that report progress (ref 002: "for providers that support it (such as ComfyUI)"). */
const REPORTS_PROGRESS = new Set(['stable-diffusion-xl']);
const STEPS = 20;

export async function startSocketProgressGateway(options: SocketProgressOptions) {
  const defect = options.defect;
  const cdn = await startCdn({ ttlSeconds: options.urlTtlSeconds ?? 3600, prefix: '/outputs' });
  let io: SocketServer | undefined;
  const progressIds = new Map<string, string>();

  function emit(g: Generation, event: string, payload: Record<string, unknown>): void {
    const progressId = progressIds.get(g.requestId);
    io?.of('/image-progress')
      .to(`key:${options.apiKey}`)
      .emit(event, { request_id: defect === 'progress-wrong-request-id' ? `job-${g.requestId}` : g.requestId, ...(progressId ? { progress_id: progressId } : {}), model: g.model.id, ...payload, timestamp: Date.now() });
  }

  const gateway = new CompatGateway({
    apiKeys: [options.apiKey],
    models: MODELS,
    foreignParams: 'ignore',
    bodyLimit: 2 * 1024 * 1024,
    requestId: () => `aigw_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`,
    errorBody: (e) => ({ error: { message: e.message, type: e.type, param: e.param, code: e.code } }),
    async render(g, i) {
      const pixel = promptPicture(`${g.prompt}:${i}`, g.width, g.height);
      if (g.responseFormat === 'url') return { bytes: encodePng(g.width, g.height, pixel, { colour: 'rgba', interlace: true }), mime: 'image/png', ext: 'png' };
      const raw = Buffer.alloc(g.width * g.height * 3);
      for (let y = 0, o = 0; y < g.height; y++) for (let x = 0; x < g.width; x++, o += 3) [raw[o], raw[o + 1], raw[o + 2]] = pixel(x, y);
      return { bytes: await sharp(raw, { raw: { width: g.width, height: g.height, channels: 3 } }).jpeg({ quality: 88, progressive: true }).toBuffer(), mime: 'image/jpeg', ext: 'jpg' };
    },
    publish: (image) => cdn.put(image.bytes, image.mime, image.ext),
    async onImage(g, index, phase) {
      if (!REPORTS_PROGRESS.has(g.model.id)) return;
      if (defect === 'progress-missing-multi' && g.n > 1) return;
      const total = STEPS * g.n;
      if (phase === 'start') {
        // ComfyUI reports each sampler step; the gateway forwards every fifth.
        for (let step = 0; step < STEPS; step += 5) {
          const done = index * STEPS + step;
          const percent = (done * 100) / total;
          emit(g, 'progress', { image_index: index, percent: defect === 'progress-percent-float' ? Math.round(percent * 10) / 10 + 0.5 : Math.floor(percent), step: done, total_steps: total });
          await new Promise((r) => setTimeout(r, 2));
        }
        return;
      }
      if (index === g.n - 1 && defect !== 'progress-no-completed') emit(g, 'completed', { percent: 100, images: g.n });
    },
    ...(defect ? { defect } : {}),
  });

  const server = await listen(
    async (req, res) => {
      const id = gateway.config.requestId();
      const url = target(req);
      if (req.method === 'POST' && url.pathname === '/v1/images/generations') {
        const progressId = req.headers['x-progress-id'];
        if (typeof progressId === 'string' && progressId.length <= 128) progressIds.set(id, progressId);
        try {
          return await gateway.generate(req, res, id);
        } finally {
          progressIds.delete(id);
        }
      }
      if (req.method === 'GET' && url.pathname === '/v1/models') return gateway.serveModels(req, res, id);
      // Socket.IO answers its own engine path.
      if (url.pathname.startsWith('/socket.io/')) return;
      gateway.notFound(req, res, id, `Unknown endpoint ${req.method} ${url.pathname}`, null);
    },
    (res) => sendJson(res, 500, { error: { message: 'internal error', type: 'server_error', param: null, code: null } }),
  );
  io = new SocketServer(server.server, { serveClient: false, cors: { origin: false } });
  const ns = io.of('/image-progress');
  ns.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (token === options.apiKey || defect === 'progress-any-token') next();
    else next(new Error('unauthorized: a valid API key is required in auth.token'));
  });
  ns.on('connection', (socket) => {
    void socket.join(`key:${options.apiKey}`);
  });
  return {
    url: `${server.origin}/v1`,
    origin: server.origin,
    async close() {
      await new Promise<void>((r) => io!.close(() => r()));
      await server.close().catch(() => undefined);
      await cdn.close();
    },
  };
}
