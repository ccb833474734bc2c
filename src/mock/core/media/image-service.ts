// The pictures the mock returns: real PNG/JPEG/WebP bytes from src/images, deterministic from
// (seed, prompt, index), cached by every render input. Partial images of a stream are the same
// picture rendered at a fraction of the size and scaled up to the final size.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { renderImage } from '../../../images/render.js';
import { ImageCache, type CachedImage } from './image-cache.js';
import type { MediaRender } from './media-tokens.js';
import type { RenderPool } from './render-pool.js';

// Render inputs travel in media tokens (at most 4096 characters in the spec): longer prompts and
// seeds are replaced by a digest, for URLs and b64_json alike, so both give the same picture.
const MAX_PROMPT_JSON = 1500;
const MAX_SEED_JSON = 200;

function compact(text: string, max: number): string {
  // JSON at most sextuples a UTF-16 unit (\uXXXX), so short texts fit without serialising them.
  if (text.length * 6 + 2 <= max) return text;
  return JSON.stringify(text).length <= max ? text : `sha256:${createHash('sha256').update(text).digest('base64url')}`;
}

function keyOf(r: MediaRender): string {
  return `${r.format}|${r.width}x${r.height}|${r.transparent ? 1 : 0}|${r.compression}|${r.index}|${r.seed.length}|${r.seed}${r.prompt}`;
}

export class ImageService {
  private readonly cache: ImageCache;
  readonly seed: string;

  constructor(
    seed: string,
    cacheBytes: number,
    /** Where PNGs are drawn (render threads for big pictures). */
    private readonly pool: RenderPool,
  ) {
    this.seed = compact(seed, MAX_SEED_JSON);
    this.cache = new ImageCache(cacheBytes);
  }

  get cachedBytes(): number {
    return this.cache.size;
  }

  /** The render inputs of image `index` of a request. */
  inputs(r: Omit<MediaRender, 'seed' | 'prompt' | 'index'>, prompt: string, index: number): MediaRender {
    return { format: r.format, width: r.width, height: r.height, transparent: r.transparent, compression: r.compression, seed: this.seed, prompt: compact(prompt, MAX_PROMPT_JSON), index };
  }

  private image(r: MediaRender): CachedImage | Promise<CachedImage> {
    return this.cache.get(keyOf(r), () =>
      r.format === 'png'
        ? this.pool.render({ width: r.width, height: r.height, transparent: r.transparent, seed: r.seed, prompt: r.prompt, index: r.index })
        : renderImage({ ...r, transparent: r.transparent && r.format !== 'jpeg' }),
    );
  }

  async bytes(r: MediaRender): Promise<Buffer> {
    return (await this.image(r)).bytes;
  }

  async base64(r: MediaRender): Promise<string> {
    const image = await this.image(r);
    return this.cache.base64(keyOf(r), image);
  }

  /** Partial image `i` of `count` (earlier = coarser), at the final size and format, as base64. */
  async partialBase64(r: MediaRender, i: number, count: number): Promise<string> {
    const factor = 2 ** (count - i + 1);
    const small = { ...r, format: 'png' as const, width: Math.max(1, Math.ceil(r.width / factor)), height: Math.max(1, Math.ceil(r.height / factor)) };
    const coarse = await this.bytes(small);
    let pipeline = sharp(coarse).resize(r.width, r.height, { kernel: 'nearest', fit: 'fill' });
    const quality = Math.max(1, Math.round(r.compression));
    if (r.format === 'jpeg') pipeline = pipeline.flatten().jpeg({ quality });
    else if (r.format === 'webp') pipeline = pipeline.webp({ quality, alphaQuality: 100, effort: 0 });
    else pipeline = pipeline.png({ compressionLevel: 1 });
    return (await pipeline.toBuffer()).toString('base64');
  }
}
