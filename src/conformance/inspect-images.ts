// Turns the `data` items of a response into image bytes (strict base64, or a download without
// credentials), decodes them fully (truncation is caught) and keeps small thumbnails for the HTML
// report. Never throws on garbage.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { decodeImage, decodePlainBase64, type DecodeResult } from '../images/index.js';
import { isObject, parseJson } from './exchange.js';
import type { Exchange } from './http.js';
import type { RunContext } from './context.js';
import type { ImageOrigin } from './run-images.js';
import type { ImageSample } from './types.js';

export interface InspectedItem {
  index: number;
  source: 'b64_json' | 'url' | 'none';
  url?: string;
  /** Why the b64_json is not plain base64 (data: prefix, whitespace, url-safe alphabet, ...). */
  base64Problem?: string;
  download?: Exchange;
  bytes?: Buffer;
  decoded?: DecodeResult;
  /** Why there are no bytes to decode. */
  problem?: string;
}

/** `data` of an ImagesResponse, or `data.data` of ref 000's native envelope. */
export function dataItems(body: unknown): unknown[] | undefined {
  if (!isObject(body)) return undefined;
  if (Array.isArray(body.data)) return body.data;
  if (isObject(body.data) && Array.isArray(body.data.data)) return body.data.data;
  return undefined;
}

export async function inspectItems(ctx: RunContext, ex: Exchange, label: string, origin?: ImageOrigin): Promise<InspectedItem[]> {
  const parsed = parseJson(ex);
  if (!parsed.ok) return [];
  const items = dataItems(parsed.value) ?? [];
  const out: InspectedItem[] = [];
  for (const [index, raw] of items.entries()) {
    out.push(await inspectOne(ctx, raw, index, `${label} #${index}`, origin));
  }
  return out;
}

export async function inspectOne(ctx: RunContext, raw: unknown, index: number, label: string, origin?: ImageOrigin): Promise<InspectedItem> {
  const item = await itemBytes(ctx, raw, index, label);
  if (!item.bytes) return item;
  item.decoded = await decodeImage(item.bytes);
  if (item.decoded.ok) await ctx.gallery.add(label, item.bytes, item.decoded, origin && { ...origin, index, ...(item.download ? { download: item.download.seq } : {}) });
  return item;
}

/** The bytes of one `data` item: strict base64, or a download without credentials (not decoded yet). */
export async function itemBytes(ctx: RunContext, raw: unknown, index: number, label: string): Promise<InspectedItem> {
  const item: InspectedItem = { index, source: 'none' };
  if (!isObject(raw)) return { ...item, problem: 'item is not an object' };
  if (typeof raw.b64_json === 'string' && raw.b64_json.length > 0) {
    item.source = 'b64_json';
    const b64 = decodePlainBase64(raw.b64_json);
    if (!b64.ok) {
      item.base64Problem = b64.reason;
      item.problem = `b64_json is not plain base64: ${b64.reason}`;
      return item;
    }
    item.bytes = b64.bytes;
  } else if (typeof raw.url === 'string' && raw.url.length > 0) {
    item.source = 'url';
    item.url = raw.url;
    let parsedUrl: URL | undefined;
    try {
      parsedUrl = new URL(raw.url);
    } catch {
      return { ...item, problem: `url is not an absolute URL: ${raw.url.slice(0, 200)}` };
    }
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') return { ...item, problem: `url is not http(s): ${parsedUrl.protocol}` };
    const download = await ctx.http.send({ method: 'GET', url: raw.url, download: true, label: `download ${label}` });
    item.download = download;
    if (!download.response) return { ...item, problem: `download failed: ${download.error?.message ?? 'no answer'}` };
    if (download.response.status !== 200) return { ...item, problem: `download answered ${download.response.status}` };
    item.bytes = download.response.body;
  } else {
    return { ...item, problem: 'item has neither a non-empty url nor a non-empty b64_json' };
  }
  return item;
}

const THUMB_EDGE = 160;
/** Enough for every image of a large run (n-max batches of several models); past it the report says how many are not shown. */
const MAX_SAMPLES = 200;
const MAX_THUMB_BYTES = 96 * 1024;
const MAX_TOTAL_BYTES = 6 * 1024 * 1024;

type SampleOrigin = ImageOrigin & { index: number; download?: number };

/** Downscaled copies of the images the gateway returned, for the HTML report (one per answer and index). */
export class ImageGallery {
  readonly samples: ImageSample[] = [];
  /** Images that decoded but did not fit the caps. */
  notShown = 0;
  private bytes = 0;
  private readonly seen = new Set<string>();
  private readonly thumbs = new Map<string, Promise<Buffer>>();

  /** An image of this answer is already in the gallery. */
  has(exchange: number): boolean {
    return this.samples.some((s) => s.exchange === exchange);
  }

  async add(label: string, bytes: Buffer, decoded: { format: string; width: number; height: number }, origin?: SampleOrigin): Promise<void> {
    if (origin) {
      const key = `${origin.exchange}#${origin.index}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    if (this.samples.length >= MAX_SAMPLES) {
      this.notShown++;
      return;
    }
    try {
      // The same bytes (a gateway that caches, a deterministic mock) are thumbnailed once.
      const hash = createHash('sha1').update(bytes).digest('base64');
      let pending = this.thumbs.get(hash);
      if (!pending) {
        pending = sharp(bytes, { limitInputPixels: 40e6, failOn: 'none' })
          .resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true })
          .png({ compressionLevel: 6 })
          .toBuffer();
        this.thumbs.set(hash, pending);
      }
      const thumb = await pending;
      if (thumb.length > MAX_THUMB_BYTES || this.bytes + thumb.length > MAX_TOTAL_BYTES) {
        this.notShown++;
        return;
      }
      this.bytes += thumb.length;
      this.samples.push({
        label,
        format: decoded.format,
        width: decoded.width,
        height: decoded.height,
        ...(origin?.model ? { model: origin.model } : {}),
        ...(origin ? { modelFrom: origin.modelFrom, exchange: origin.exchange, index: origin.index } : {}),
        ...(origin?.generation ? { generation: origin.generation } : {}),
        ...(origin?.download !== undefined ? { download: origin.download } : {}),
        dataUrl: `data:image/png;base64,${thumb.toString('base64')}`,
      });
    } catch {
      // A thumbnail is a nicety; the checks already judged the image.
    }
  }
}
