// Every image the run made, for the report: the shared generations are inspected by the checks that
// read them; whatever no check looked at (SDK calls, n-max batches, a bad request a broken gateway
// answered with images, streamed completions) is thumbnailed here at the end of the run. Each image
// is labelled with the model its request named (or the profile's default when it named none); its
// size and format come from the decoded bytes.
import { decodePlainBase64, sniffImage } from '../images/index.js';
import { isObject, parseJson } from './exchange.js';
import { dataItems, itemBytes } from './inspect-images.js';
import type { Exchange } from './http.js';
import type { RunContext } from './context.js';
import type { ImageOperation } from './generations.js';
import { parseSse } from './sse.js';
import type { CheckResult, ImageSample } from './types.js';

const IMAGE_OPERATIONS: ImageOperation[] = ['createImage', 'createImageEdit', 'createImageVariation', 'generateNativeImage'];

/** Where an image came from: the response that carried it and the model its request asked for. */
export interface ImageOrigin {
  exchange: number;
  /** The model the request named; with `modelFrom: 'default'`, the profile's default for an omitted model. */
  model?: string;
  modelFrom: 'request' | 'default' | 'unknown';
  generation?: string;
}

function operationOf(ctx: RunContext, url: string): ImageOperation | undefined {
  const path = url.split('?')[0];
  return IMAGE_OPERATIONS.find((op) => {
    try {
      return ctx.operationUrl(op) === path;
    } catch {
      return false;
    }
  });
}

/** The `model` field of a request as sent: JSON, SDK text bodies and multipart text parts. */
export function requestModel(ex: Exchange): string | undefined {
  const body = ex.body;
  if (!body) return undefined;
  let fields: unknown;
  if (body.kind === 'json') fields = body.value;
  else if (body.kind === 'text') {
    try {
      fields = JSON.parse(body.text);
    } catch {
      return undefined;
    }
  } else if (body.kind === 'multipart') fields = Object.fromEntries(body.parts.flatMap((p) => ('value' in p ? [[p.name, p.value]] : [])));
  return isObject(fields) && typeof fields.model === 'string' ? fields.model : undefined;
}

export function imageOrigin(ctx: RunContext, ex: Exchange, generation?: string): ImageOrigin {
  const model = requestModel(ex);
  const base = { exchange: ex.seq, ...(generation ? { generation } : {}) };
  if (model) return { ...base, model, modelFrom: 'request' };
  const op = operationOf(ctx, ex.url);
  const fallback = op && op !== 'generateNativeImage' ? ctx.defaultModel(op)?.id : undefined;
  return fallback ? { ...base, model: fallback, modelFrom: 'default' } : { ...base, modelFrom: 'unknown' };
}

function madeImages(ctx: RunContext, ex: Exchange): boolean {
  const status = ex.response?.status ?? 0;
  return ex.method === 'POST' && status >= 200 && status < 300 && operationOf(ctx, ex.url) !== undefined;
}

async function addStreamed(ctx: RunContext, ex: Exchange): Promise<void> {
  const { events } = parseSse(ex.response!.body.toString('utf8'));
  let index = 0;
  for (const e of events) {
    let json: unknown;
    try {
      json = JSON.parse(e.data);
    } catch {
      continue;
    }
    if (!isObject(json) || typeof json.type !== 'string' || !json.type.endsWith('.completed') || typeof json.b64_json !== 'string') continue;
    const b64 = decodePlainBase64(json.b64_json);
    if (!b64.ok) continue;
    const header = sniffImage(b64.bytes);
    if (header) await ctx.gallery.add(`${ex.label} (streamed)`, b64.bytes, header, { ...imageOrigin(ctx, ex), index });
    index++;
  }
}

/** An answer no check inspected: its items' bytes, thumbnailed with the format and size their header states. */
async function addAnswer(ctx: RunContext, ex: Exchange): Promise<void> {
  const parsed = parseJson(ex);
  if (!parsed.ok) return;
  const origin = imageOrigin(ctx, ex);
  for (const [index, raw] of (dataItems(parsed.value) ?? []).entries()) {
    const item = await itemBytes(ctx, raw, index, `${ex.label} #${index}`);
    const header = item.bytes && sniffImage(item.bytes);
    if (header) await ctx.gallery.add(`${ex.label} #${index}`, item.bytes!, header, { ...origin, index, ...(item.download ? { download: item.download.seq } : {}) });
  }
}

/** Thumbnails of every image-making answer of the run that no check inspected (bounded in time). */
export async function collectRunImages(ctx: RunContext, budgetMs = 15_000): Promise<void> {
  const work = (async () => {
    for (const ex of [...ctx.http.exchanges]) {
      if (!madeImages(ctx, ex)) continue;
      if (/event-stream/i.test(ex.response!.headers['content-type'] ?? '')) {
        if (!ctx.gallery.has(ex.seq)) await addStreamed(ctx, ex);
      } else if (!ctx.inspectedAnswer(ex)) await addAnswer(ctx, ex);
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
  clearTimeout(timer);
}

/** The checks whose results cite the answer (or the download) that carried each image. */
export function linkImagesToChecks(samples: ImageSample[], results: CheckResult[]): void {
  for (const s of samples) {
    const seqs = [s.exchange, s.download].filter((n): n is number => n !== undefined);
    s.checks = results.filter((r) => r.exchanges.some((e) => seqs.includes(e))).map((r) => r.key);
  }
}
