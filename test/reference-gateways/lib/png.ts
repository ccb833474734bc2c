// A small PNG encoder written for the reference gateways (they import nothing from src/): truecolour,
// truecolour with alpha, palette and 16-bit depth, optional Adam7 interlacing, tEXt chunks and IDAT
// split over several chunks. Every variant is legal PNG (ISO/IEC 15948) that decoders must read.
import { crc32, deflateSync } from 'node:zlib';

export type PngColour = 'rgb' | 'rgba' | 'palette' | 'rgb16';

export interface PngOptions {
  colour: PngColour;
  interlace?: boolean;
  /** tEXt chunks written before the image data (keyword -> Latin-1 text). */
  text?: Record<string, string>;
  /** Largest IDAT chunk in bytes (default: one chunk). */
  idatChunkBytes?: number;
  /** zlib level (default 1: fast; the pictures are gradients). */
  level?: number;
}

/** RGBA of one pixel, 0-255 each. */
export type Pixel = (x: number, y: number) => [number, number, number, number];

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The 6x6x6 colour cube: palette images map each pixel to its nearest cube colour. */
function cubePalette(): Buffer {
  const p = Buffer.alloc(216 * 3);
  for (let i = 0; i < 216; i++) {
    p[i * 3] = Math.floor(i / 36) * 51;
    p[i * 3 + 1] = (Math.floor(i / 6) % 6) * 51;
    p[i * 3 + 2] = (i % 6) * 51;
  }
  return p;
}
const cube = (v: number) => Math.round(v / 51);

function bytesPerPixel(colour: PngColour): number {
  return colour === 'rgb' ? 3 : colour === 'rgba' ? 4 : colour === 'palette' ? 1 : 6;
}

/** Raw scanlines (filter byte 0 each) of the sub-image x0+k*dx, y0+k*dy. */
function scanlines(width: number, height: number, pixel: Pixel, colour: PngColour, x0: number, y0: number, dx: number, dy: number): Buffer {
  const w = Math.ceil((width - x0) / dx);
  const h = Math.ceil((height - y0) / dy);
  if (w <= 0 || h <= 0) return Buffer.alloc(0);
  const bpp = bytesPerPixel(colour);
  const row = 1 + w * bpp;
  const out = Buffer.alloc(row * h);
  for (let j = 0; j < h; j++) {
    const y = y0 + j * dy;
    let o = j * row + 1;
    for (let i = 0; i < w; i++) {
      const [r, g, b, a] = pixel(x0 + i * dx, y);
      if (colour === 'palette') out[o++] = cube(r) * 36 + cube(g) * 6 + cube(b);
      else if (colour === 'rgb16') {
        // Full 16-bit samples: the low byte repeats the high one (exact scaling of 8-bit values).
        out[o++] = r; out[o++] = r; out[o++] = g; out[o++] = g; out[o++] = b; out[o++] = b;
      } else {
        out[o++] = r; out[o++] = g; out[o++] = b;
        if (colour === 'rgba') out[o++] = a;
      }
    }
  }
  return out;
}

export function encodePng(width: number, height: number, pixel: Pixel, options: PngOptions): Buffer {
  const { colour } = options;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = colour === 'rgb16' ? 16 : 8;
  ihdr[9] = colour === 'rgb' || colour === 'rgb16' ? 2 : colour === 'rgba' ? 6 : 3;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = options.interlace ? 1 : 0;
  const raw = options.interlace
    ? Buffer.concat(ADAM7.map(([x0, y0, dx, dy]) => scanlines(width, height, pixel, colour, x0, y0, dx, dy)))
    : scanlines(width, height, pixel, colour, 0, 0, 1, 1);
  const compressed = deflateSync(raw, { level: options.level ?? 1 });
  const parts = [SIGNATURE, chunk('IHDR', ihdr)];
  for (const [k, v] of Object.entries(options.text ?? {})) parts.push(chunk('tEXt', Buffer.from(`${k}\0${v}`, 'latin1')));
  if (colour === 'palette') parts.push(chunk('PLTE', cubePalette()));
  const step = options.idatChunkBytes ?? compressed.length;
  for (let at = 0; at < compressed.length; at += step) parts.push(chunk('IDAT', compressed.subarray(at, at + step)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** Width and height of a PNG (from IHDR), or undefined when the bytes are no PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** A cheap deterministic picture for a prompt: two gradients and a seed colour, a transparent corner when asked. */
export function promptPicture(prompt: string, width: number, height: number, transparentCorner = false): Pixel {
  let seed = 0;
  for (let i = 0; i < prompt.length; i++) seed = (seed * 31 + prompt.charCodeAt(i)) >>> 0;
  const b = seed & 0xff;
  return (x, y) => [(x * 255) / width | 0, (y * 255) / height | 0, b, transparentCorner && x < width / 4 && y < height / 4 ? 0 : 255];
}
