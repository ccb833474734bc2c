// Minimal, fast PNG encoder (8-bit RGB/RGBA, non-interlaced).
//
// Speed comes from the filters: a row equal to the row above is written with
// filter 2 ("Up"), whose filtered bytes are all zero, and every other row with
// filter 1 ("Sub"), which is zero inside runs of one colour. When most rows
// repeat (the synthetic pictures), the zlib stream is written directly from the
// few distinct rows (deflate-rows.ts) instead of deflating megabytes of zeros;
// otherwise, or when a zlib level is asked for, node:zlib's Z_RLE strategy
// compresses the filtered stream.
import { constants as zc, crc32 as nativeCrc32, deflateSync } from 'node:zlib';
import { zlibScanlines, type RowPiece } from './deflate-rows.js';

export interface PngOptions {
  /**
   * zlib level 0-9: compress with node:zlib (Z_RLE strategy) at that level. Without it, pictures
   * whose rows mostly repeat are encoded directly (same kind of stream), others with zlib level 1.
   */
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
  let total = 0;
  for (const run of runs) {
    if (run.row.length !== rowBytes) {
      throw new RangeError(`row has ${run.row.length} bytes, expected ${rowBytes}`);
    }
    if (!Number.isInteger(run.count) || run.count < 1) throw new RangeError(`bad run count ${run.count}`);
    total += run.count;
  }
  if (total !== height) throw new RangeError(`runs cover ${total} rows, expected ${height}`);

  const level = opts?.level;
  if (level !== undefined && (!Number.isInteger(level) || level < 0 || level > 9)) throw new RangeError(`zlib level must be 0-9, got ${level}`);
  // Rows that need per-byte work: the first row of each run unless it equals the row above.
  let distinct = 0;
  for (let i = 0; i < runs.length; i++) if (i === 0 || !equalBytes(runs[i - 1]!.row, runs[i]!.row)) distinct++;

  if (level === undefined && distinct * DIRECT_MIN_REPEAT <= height) {
    return framePng(width, height, channels, (before, after) => zlibScanlines(rowPieces(runs), rowBytes, channels, before, after));
  }
  const idat = deflateSync(filterRows(runs, height, channels), { level: level ?? 1, strategy: zc.Z_RLE });
  return framePng(width, height, channels, (before, after) => {
    const out = Buffer.allocUnsafe(before + idat.length + after);
    out.set(idat, before);
    return out;
  });
}

/**
 * A PNG around the zlib stream that `zlibStream(before, after)` writes into a buffer of its own
 * making, leaving `before` bytes free ahead of the stream and `after` bytes behind it: the stream
 * is written in place between the chunk framing, never copied.
 */
export function framePng(width: number, height: number, channels: 3 | 4, zlibStream: (before: number, after: number) => Buffer): Buffer {
  // Signature, IHDR chunk (13 bytes of data), IDAT length and type before the zlib stream; IDAT CRC and IEND after.
  const before = PNG_SIGNATURE.length + 12 + 13 + 8;
  const after = 4 + 12;
  const out = zlibStream(before, after);
  let p = PNG_SIGNATURE.copy(out, 0);
  out.writeUInt32BE(13, p);
  out.write('IHDR', p + 4, 'latin1');
  out.writeUInt32BE(width, p + 8);
  out.writeUInt32BE(height, p + 12);
  out[p + 16] = 8; // bit depth
  out[p + 17] = channels === 4 ? 6 : 2; // colour type: truecolour(+alpha)
  out[p + 18] = 0; // compression method
  out[p + 19] = 0; // filter method
  out[p + 20] = 0; // no interlace
  p = writeChunk(out, p, 'IHDR', 13);
  p = writeChunk(out, p, 'IDAT', out.length - before - after);
  writeChunk(out, p, 'IEND', 0);
  return out;
}

/** Rows per distinct row from which the direct encoder is used (below it, zlib). */
export const DIRECT_MIN_REPEAT = 4;

/** Sub-filtered scanline of `row` (filter byte 1, then each byte minus the same channel of the pixel to its left). */
function subFiltered(row: Uint8Array, channels: number, out: Uint8Array, at: number): void {
  out[at] = 1;
  const o = at + 1;
  for (let i = 0; i < channels; i++) out[o + i] = row[i]!;
  for (let i = channels; i < row.length; i++) out[o + i] = row[i]! - row[i - channels]!;
}

/** The rows as pieces for zlibScanlines: each run's first row (unless it equals the row above), then Up rows. */
function rowPieces(runs: readonly RowRun[]): RowPiece[] {
  const pieces: RowPiece[] = [];
  let up = 0;
  let prev: Uint8Array | undefined;
  for (const { row, count } of runs) {
    if (prev && equalBytes(prev, row)) up += count;
    else {
      if (up > 0) pieces.push({ up });
      pieces.push({ row });
      up = count - 1;
    }
    prev = row;
  }
  if (up > 0) pieces.push({ up });
  return pieces;
}

/** The whole filtered stream, for zlib. */
function filterRows(runs: readonly RowRun[], height: number, channels: number): Buffer {
  const stride = runs[0]!.row.length + 1;
  // Zero-filled: every "Up" row after its filter byte is already correct.
  const filtered = Buffer.alloc(height * stride);
  let y = 0;
  let prev: Uint8Array | undefined;
  for (const { row, count } of runs) {
    const o = y * stride;
    if (prev && equalBytes(prev, row)) filtered[o] = 2;
    else subFiltered(row, channels, filtered, o);
    for (let k = 1; k < count; k++) filtered[(y + k) * stride] = 2;
    y += count;
    prev = row;
  }
  return filtered;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/** Frames the chunk at `at` whose `len` bytes of data are already in place: length, type, CRC. */
function writeChunk(out: Buffer, at: number, type: string, len: number): number {
  out.writeUInt32BE(len, at);
  out.write(type, at + 4, 'latin1');
  out.writeUInt32BE(nativeCrc32(out.subarray(at + 4, at + 8 + len)), at + 8 + len);
  return at + 12 + len;
}
