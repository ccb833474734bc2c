// Render a request's deterministic picture into real, decodable image bytes.
// PNG goes through our own encoder, straight from the rows' spans (no pixels painted, sync);
// JPEG/WebP need raw pixels and go through sharp.
import sharp from 'sharp';
import { describePicture, paintSpanRows, rasterize, spanRows } from './pattern.js';
import { encodePngSpans } from './span-png.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface PictureRequest {
  width: number;
  height: number;
  /** RGBA with a fully transparent background (PNG/WebP only). */
  transparent?: boolean;
  seed: string;
  prompt: string;
  /** Position of the image within one response (0-based). */
  index: number;
}

export interface RenderRequest extends PictureRequest {
  format: ImageFormat;
  /** 0-100 JPEG/WebP quality, 100 = best (default 100, like OpenAI's output_compression). Ignored for PNG. */
  compression?: number;
}

export const MAX_IMAGE_DIMENSION = 8192;

function validate(req: PictureRequest): void {
  for (const key of ['width', 'height'] as const) {
    const v = req[key];
    if (!Number.isInteger(v) || v < 1 || v > MAX_IMAGE_DIMENSION) {
      throw new RangeError(`${key} must be an integer in 1..${MAX_IMAGE_DIMENSION}, got ${String(v)}`);
    }
  }
}

function shape(req: PictureRequest) {
  validate(req);
  const picture = describePicture(req.seed, req.prompt, req.index);
  return spanRows(picture, req.width, req.height, req.transparent === true);
}

/** Synchronous PNG fast path. */
export function renderPng(req: PictureRequest & { format?: ImageFormat }): Buffer {
  if (req.format !== undefined && req.format !== 'png') {
    throw new Error(`renderPng cannot produce ${req.format}; use renderImage`);
  }
  return encodePngSpans(shape(req));
}

export async function renderImage(req: RenderRequest): Promise<Buffer> {
  if (req.format === 'png') return renderPng(req);
  if (req.format !== 'jpeg' && req.format !== 'webp') {
    throw new Error(`unsupported image format: ${String(req.format)}`);
  }
  if (req.format === 'jpeg' && req.transparent) {
    throw new Error('JPEG cannot carry transparency; request png or webp for a transparent background');
  }
  const compression = req.compression ?? 100;
  if (typeof compression !== 'number' || !(compression >= 0 && compression <= 100)) {
    throw new RangeError(`compression must be 0-100, got ${String(compression)}`);
  }
  const quality = Math.max(1, Math.round(compression)); // sharp's quality range is 1-100

  const { channels, runs } = paintSpanRows(shape(req));
  const raw = rasterize(runs, req.width * channels);
  const img = sharp(raw, { raw: { width: req.width, height: req.height, channels } });
  return req.format === 'jpeg'
    ? img.jpeg({ quality }).toBuffer()
    : // Lossless alpha keeps the transparent background exactly alpha 0. effort 0 halves
      // encode time (≈20 vs ≈40 ms at 1024²); a mock needs speed, not the smallest file.
      img.webp({ quality, alphaQuality: 100, effort: 0 }).toBuffer();
}
