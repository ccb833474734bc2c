// Minimal, fast PNG encoder (8-bit RGB/RGBA, non-interlaced) on node:zlib only.
//
// Speed comes from the filters, not from zlib: a row equal to the row above is
// written with filter 2 ("Up"), whose filtered bytes are all zero, and every
// other row with filter 1 ("Sub"), which is zero inside runs of one colour.
// The filtered stream is then almost entirely long zero runs, which zlib's
// Z_RLE strategy compresses at memory speed.
import { constants as zc, deflateSync } from 'node:zlib';

export interface PngOptions {
  /** zlib level 0-9 (default 1). With the Z_RLE strategy used here the level barely changes size or speed. */
  level?: number;
}

/** A run of `count` identical scanlines (unfiltered pixel bytes, width*channels long). */
export interface RowRun {
  row: Uint8Array;
  count: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_DIMENSION = 0x7fffffff; // PNG spec limit for IHDR width/height

// CRC-32 (ISO 3309 / PNG spec polynomial 0xEDB88320). The table is a constant
// derived from the polynomial, not a cache of any output.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `buf[start, end)`, continuing from `crc` (pass the previous result to chain). */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  let c = ~crc;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function checkGeometry(width: number, height: number, channels: number): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_DIMENSION) {
    throw new RangeError(`PNG width must be an integer in 1..${MAX_DIMENSION}, got ${width}`);
  }
  if (!Number.isInteger(height) || height < 1 || height > MAX_DIMENSION) {
    throw new RangeError(`PNG height must be an integer in 1..${MAX_DIMENSION}, got ${height}`);
  }
  if (channels !== 3 && channels !== 4) {
    throw new RangeError(`PNG channels must be 3 (RGB) or 4 (RGBA), got ${channels}`);
  }
}

/** Encode tightly packed 8-bit RGB or RGBA pixels (row-major, no padding) as PNG. */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 3 | 4,
  opts?: PngOptions,
): Buffer {
  checkGeometry(width, height, channels);
  const rowBytes = width * channels;
  if (pixels.length !== rowBytes * height) {
    throw new RangeError(
      `pixel buffer has ${pixels.length} bytes, expected ${rowBytes * height} (${width}x${height}x${channels})`,
    );
  }
  // Group consecutive equal rows (native memcmp via Buffer#equals) so the
  // run encoder can emit them as zero-cost "Up" rows. Views, no copies.
  const view = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length);
  const runs: RowRun[] = [];
  let current: RowRun | undefined;
  for (let y = 0; y < height; y++) {
    const row = view.subarray(y * rowBytes, (y + 1) * rowBytes);
    if (current && row.equals(current.row as Buffer)) current.count++;
    else runs.push((current = { row, count: 1 }));
  }
  return encodePngRuns(runs, width, height, channels, opts);
}

/**
 * Encode an image given as runs of identical rows. This is the fast path for
 * synthetic pictures: callers never materialise the full pixel buffer, and
 * only the first row of each run needs any per-byte work.
 */
export function encodePngRuns(
  runs: readonly RowRun[],
  width: number,
  height: number,
  channels: 3 | 4,
  opts?: PngOptions,
): Buffer {
  checkGeometry(width, height, channels);
  const rowBytes = width * channels;
  const stride = rowBytes + 1; // filter-type byte + scanline
  let total = 0;
  for (const run of runs) {
    if (run.row.length !== rowBytes) {
      throw new RangeError(`row has ${run.row.length} bytes, expected ${rowBytes}`);
    }
    if (!Number.isInteger(run.count) || run.count < 1) throw new RangeError(`bad run count ${run.count}`);
    total += run.count;
  }
  if (total !== height) throw new RangeError(`runs cover ${total} rows, expected ${height}`);

  // Zero-filled: every "Up" row after its filter byte is already correct.
  const filtered = Buffer.alloc(height * stride);
  let y = 0;
  let prev: Uint8Array | undefined;
  for (const { row, count } of runs) {
    let o = y * stride;
    if (prev && equalBytes(prev, row)) {
      filtered[o] = 2; // Up: identical to the row above
    } else {
      // Sub: byte minus the same channel of the pixel to the left (mod 256).
      filtered[o] = 1;
      o++;
      for (let i = 0; i < channels; i++) filtered[o + i] = row[i]!;
      for (let i = channels; i < rowBytes; i++) filtered[o + i] = row[i]! - row[i - channels]!;
    }
    for (let k = 1; k < count; k++) filtered[(y + k) * stride] = 2;
    y += count;
    prev = row;
  }

  const level = opts?.level ?? 1;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`zlib level must be 0-9, got ${level}`);
  const idat = deflateSync(filtered, { level, strategy: zc.Z_RLE });

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 4 ? 6 : 2; // colour type: truecolour(+alpha)
  // [10..12] compression, filter method, interlace: all 0

  const out = Buffer.allocUnsafe(PNG_SIGNATURE.length + 12 * 3 + ihdr.length + idat.length);
  let p = PNG_SIGNATURE.copy(out, 0);
  p = writeChunk(out, p, 'IHDR', ihdr);
  p = writeChunk(out, p, 'IDAT', idat);
  p = writeChunk(out, p, 'IEND', undefined);
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

function writeChunk(out: Buffer, at: number, type: string, data: Uint8Array | undefined): number {
  const len = data ? data.length : 0;
  out.writeUInt32BE(len, at);
  out.write(type, at + 4, 'latin1');
  if (data) out.set(data, at + 8);
  out.writeUInt32BE(crc32(out, at + 4, at + 8 + len), at + 8 + len);
  return at + 12 + len;
}
