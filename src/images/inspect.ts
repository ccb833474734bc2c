// Inspect image bytes from untrusted gateways. Nothing here may throw on
// garbage: sniffing is bounds-checked header parsing, decoding is wrapped.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export type SniffedFormat = 'png' | 'jpeg' | 'webp' | 'gif';

export interface SniffResult {
  format: SniffedFormat;
  width: number;
  height: number;
  /** From the header: true/false when the header says so, null when it cannot tell (GIF, cut-off PNG). */
  hasAlpha: boolean | null;
}

export type DecodeResult =
  | {
      ok: true;
      format: SniffedFormat;
      width: number;
      height: number;
      /** Channels of the decoded 8-bit raster (3 = RGB, 4 = RGBA, 1/2 = grey(+alpha)). */
      channels: number;
      hasAlpha: boolean;
      /** Share of pixels with alpha == 0 (0 without alpha channel); sampled on large images. */
      transparentPixelRatio: number;
    }
  | { ok: false; reason: string };

export interface DecodeOptions {
  /** Refuse images with more pixels than this (default 40e6, i.e. a 160 MB RGBA raster). */
  maxPixels?: number;
}

const DEFAULT_MAX_PIXELS = 40e6;
/** Alpha samples taken at most; enough for a ratio to ~0.1 % on any image. */
const MAX_ALPHA_SAMPLES = 1 << 20;

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const ascii = (b: Uint8Array, i: number, s: string) => {
  if (i + s.length > b.length) return false;
  for (let k = 0; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) return false;
  return true;
};

/** Identify format and dimensions from the header only. Returns null for unknown or truncated headers. */
export function sniffImage(buf: Uint8Array): SniffResult | null {
  if (!(buf instanceof Uint8Array)) return null;
  try {
    if (ascii(buf, 0, '\x89PNG\r\n\x1a\n')) return sniffPng(buf);
    if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return sniffJpeg(buf);
    if (ascii(buf, 0, 'RIFF') && ascii(buf, 8, 'WEBP')) return sniffWebp(buf);
    if (ascii(buf, 0, 'GIF87a') || ascii(buf, 0, 'GIF89a')) return sniffGif(buf);
  } catch {
    // Defensive only: the parsers are bounds-checked.
  }
  return null;
}

const positive = (w: number, h: number) => w > 0 && h > 0;

function sniffPng(b: Uint8Array): SniffResult | null {
  // IHDR must be the first chunk: length 13 at offset 8, type at 12, data at 16.
  if (b.length < 33 || u32be(b, 8) !== 13 || !ascii(b, 12, 'IHDR')) return null;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const colourType = b[25]!;
  if (!positive(width, height) || ![0, 2, 3, 4, 6].includes(colourType)) return null;
  if (colourType === 4 || colourType === 6) return { format: 'png', width, height, hasAlpha: true };
  // Other colour types get alpha only from a tRNS chunk, which must precede IDAT.
  let p = 33;
  while (p + 8 <= b.length) {
    const len = u32be(b, p);
    if (ascii(b, p + 4, 'tRNS')) return { format: 'png', width, height, hasAlpha: true };
    if (ascii(b, p + 4, 'IDAT') || ascii(b, p + 4, 'IEND')) return { format: 'png', width, height, hasAlpha: false };
    p += 12 + len;
  }
  return { format: 'png', width, height, hasAlpha: null }; // cut off before IDAT: cannot tell
}

function sniffJpeg(b: Uint8Array): SniffResult | null {
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return null; // lost marker sync
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // EOI / start of scan before any frame header
    const len = u16be(b, p + 2);
    if (len < 2) return null;
    // SOFn: C0-CF except C4 (DHT), C8 (reserved JPG), CC (DAC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (len < 8 || p + 9 > b.length) return null;
      const height = u16be(b, p + 5);
      const width = u16be(b, p + 7);
      return positive(width, height) ? { format: 'jpeg', width, height, hasAlpha: false } : null;
    }
    p += 2 + len;
  }
  return null;
}

function sniffWebp(b: Uint8Array): SniffResult | null {
  if (b.length < 30) return null;
  const result = (width: number, height: number, hasAlpha: boolean): SniffResult | null =>
    positive(width, height) ? { format: 'webp', width, height, hasAlpha } : null;
  if (ascii(b, 12, 'VP8 ')) {
    // Lossy bitstream: 3-byte frame tag, start code 9D 01 2A, then 14-bit dimensions.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return result(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff, false);
  }
  if (ascii(b, 12, 'VP8L')) {
    // Lossless: signature 0x2F, then 14 bits width-1, 14 bits height-1, 1 bit alpha hint.
    if (b[20] !== 0x2f) return null;
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return result((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, ((bits >>> 28) & 1) === 1);
  }
  if (ascii(b, 12, 'VP8X')) {
    // Extended: flags byte (0x10 = alpha), 3 reserved, 24-bit canvas width-1 and height-1.
    return result(u24le(b, 24) + 1, u24le(b, 27) + 1, (b[20]! & 0x10) !== 0);
  }
  return null;
}

function sniffGif(b: Uint8Array): SniffResult | null {
  if (b.length < 10) return null;
  // Transparency lives in per-frame extensions, not the header.
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  return positive(width, height) ? { format: 'gif', width, height, hasAlpha: null } : null;
}

/** Fully decode with sharp so truncated or corrupt data is caught. Never throws. */
export async function decodeImage(buf: Uint8Array, opts?: DecodeOptions): Promise<DecodeResult> {
  try {
    if (!(buf instanceof Uint8Array) || buf.length === 0) return { ok: false, reason: 'empty body' };
    const sniffed = sniffImage(buf);
    // Only formats we recognise reach sharp: never let it guess (e.g. SVG, TIFF) on untrusted bytes.
    if (!sniffed) return { ok: false, reason: 'not a recognised PNG/JPEG/WebP/GIF header' };
    const maxPixels = opts?.maxPixels ?? DEFAULT_MAX_PIXELS;
    if (sniffed.width * sniffed.height > maxPixels) {
      return { ok: false, reason: `image is ${sniffed.width}x${sniffed.height}, over the ${maxPixels} pixel limit` };
    }
    // libspng accepts a PNG cut inside its last IDAT's CRC or missing IEND, so check the chunk framing ourselves.
    const framing = sniffed.format === 'png' ? pngFramingProblem(buf) : null;
    if (framing) return { ok: false, reason: framing };
    const { data, info } = await sharp(buf, { failOn: 'truncated', limitInputPixels: maxPixels })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const hasAlpha = info.channels === 2 || info.channels === 4;
    return {
      ok: true,
      format: sniffed.format,
      width: info.width,
      height: info.height,
      channels: info.channels,
      hasAlpha,
      transparentPixelRatio: hasAlpha ? transparentRatio(data, info.channels) : 0,
    };
  } catch (err) {
    return { ok: false, reason: `decode failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Walk PNG chunks: each must fit in the buffer with a correct CRC, ending at IEND. */
function pngFramingProblem(b: Uint8Array): string | null {
  let p = 8;
  while (p + 12 <= b.length) {
    const len = u32be(b, p);
    const type = String.fromCharCode(b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    const end = p + 12 + len;
    if (end > b.length) return `PNG truncated inside the ${type} chunk`;
    // zlib.crc32 (native) here: IDAT can be megabytes.
    if (crc32(b.subarray(p + 4, p + 8 + len)) !== u32be(b, p + 8 + len)) return `PNG ${type} chunk has a bad CRC`;
    if (type === 'IEND') return null; // trailing bytes after IEND are ignored, as decoders do
    p = end;
  }
  return 'PNG truncated: no IEND chunk';
}

function transparentRatio(data: Uint8Array, channels: number): number {
  const pixels = Math.floor(data.length / channels);
  if (pixels === 0) return 0;
  const step = Math.max(1, Math.floor(pixels / MAX_ALPHA_SAMPLES));
  let seen = 0;
  let clear = 0;
  for (let i = channels - 1; i < data.length; i += step * channels) {
    seen++;
    if (data[i] === 0) clear++;
  }
  return clear / seen;
}

const MIME_FORMATS: Record<string, SniffedFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** Map a Content-Type header (parameters ignored, case-insensitive) to an image format, or null. */
export function formatFromMime(contentType: string | null | undefined): SniffedFormat | null {
  if (typeof contentType !== 'string') return null;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return MIME_FORMATS[type] ?? null;
}
