// Deterministic synthetic pictures tied to an image request.
//
// Colours come only from the prompt (same prompt => same palette whatever the
// seed), geometry from seed+index. Every pattern is built from horizontal runs
// of identical rows and vertical runs of one colour, so a picture is fully
// described by a handful of distinct scanlines (cheap to paint and to PNG-encode).
import { hash } from 'node:crypto';
import type { RowRun } from './png.js';

export type Rgb = readonly [r: number, g: number, b: number];
export type PatternKind = 'hbands' | 'vbands' | 'bricks' | 'frames';

export interface Picture {
  /** Dominant colour (always > half of the pattern area); fully transparent when rendered transparent. */
  background: Rgb;
  /** Accent colours, each guaranteed to differ visibly from the background. */
  accents: readonly [Rgb, Rgb, Rgb];
  kind: PatternKind;
  /** How many periods (bands, cells or rings) fit along the pattern's axis. */
  divisions: number;
  /** Fraction of each period painted with an accent (0.20-0.45, so background dominates). */
  duty: number;
  /** Shift of the pattern as a fraction of one period (0-0.99). */
  phase: number;
  /**
   * 16-bit code drawn as a barcode strip along the top edge. It is
   * `index XOR k(seed, prompt)`, injective in index, so two indices of one
   * request always give different pixels (for width >= 16, index < 65536).
   */
  signature: number;
}

export const SIGNATURE_BITS = 16;

function sha256(...parts: string[]): Buffer {
  // NUL separators keep ("ab","c") and ("a","bc") apart. One-shot hash: a third of createHash's cost.
  // Joining first hashes the same UTF-8 as updating part by part: a NUL between parts keeps any
  // lone surrogates at their edges from pairing up.
  return hash('sha256', parts.join('\u0000'), 'buffer');
}

function byteAt(buf: Buffer, i: number): number {
  return buf[i % buf.length]!;
}

/** Push `c` away from `bg` when too close, so accents stay distinguishable (never equal). */
function contrast(c: Rgb, bg: Rgb): Rgb {
  const d = Math.abs(c[0] - bg[0]) + Math.abs(c[1] - bg[1]) + Math.abs(c[2] - bg[2]);
  // Flipping the top bit moves each channel by exactly 128, so every channel
  // that was within 96 of bg ends up at least 32 away.
  return d >= 160 ? c : [c[0] ^ 0x80, c[1] ^ 0x80, c[2] ^ 0x80];
}

export function describePicture(seed: string, prompt: string, index: number): Picture {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`index must be a non-negative integer, got ${index}`);
  }
  const colours = sha256('imagegen-contract/colours', prompt);
  const background: Rgb = [colours[0]!, colours[1]!, colours[2]!];
  const accent = (o: number): Rgb => contrast([colours[o]!, colours[o + 1]!, colours[o + 2]!], background);

  const geo = sha256('imagegen-contract/geometry', seed, String(index));
  const kinds: PatternKind[] = ['hbands', 'vbands', 'bricks', 'frames'];
  const kind = kinds[byteAt(geo, 0) % kinds.length]!;
  const divisions =
    kind === 'frames' ? 2 + (byteAt(geo, 1) % 4) : kind === 'bricks' ? 3 + (byteAt(geo, 1) % 8) : 3 + (byteAt(geo, 1) % 12);

  const key = sha256('imagegen-contract/signature', seed, prompt);
  const signature = (index ^ key.readUInt16BE(0)) & 0xffff;

  return {
    background,
    accents: [accent(3), accent(6), accent(9)],
    kind,
    divisions,
    duty: (20 + (byteAt(geo, 2) % 26)) / 100,
    phase: (byteAt(geo, 3) % 100) / 100,
    signature,
  };
}

/** A horizontal span [x0, x1) painted with accent `colour` (0-2); later spans of a row paint over earlier ones. */
export type Span = readonly [x0: number, x1: number, colour: number];

/**
 * Row classifier: `key(y)` is cheap and equal for rows that look the same; `end(y)` is a row
 * after y up to which (exclusive) the key cannot change, so runs are found without visiting every
 * row (it may stop early: equal keys either side join one run); `spans(y)` (accent spans over the
 * background) is only asked once per distinct key.
 */
interface RowShape {
  key(y: number): number;
  end(y: number): number;
  spans(y: number): Span[];
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

function rowShape(p: Picture, width: number, height: number): RowShape {
  const sigRows = Math.max(1, Math.floor(height / 32));
  const cell = Math.max(1, Math.floor(width / SIGNATURE_BITS));
  const sigSpans: Span[] = [];
  for (let b = 0; b < SIGNATURE_BITS && b * cell < width; b++) {
    // MSB first; bits painted with rotating accents so the strip reads as a barcode.
    if ((p.signature >> (SIGNATURE_BITS - 1 - b)) & 1) sigSpans.push([b * cell, (b + 1) * cell, b % 3]);
  }
  const pattern = patternShape(p, width, height);
  return {
    key: (y) => (y < sigRows ? -2 : pattern.key(y)), // pattern keys are >= -1
    end: (y) => (y < sigRows ? sigRows : pattern.end(y)),
    spans: (y) => (y < sigRows ? sigSpans : pattern.spans(y)),
  };
}

function patternShape(p: Picture, width: number, height: number): RowShape {
  switch (p.kind) {
    case 'hbands': {
      const period = Math.max(2, Math.round(height / p.divisions));
      const thick = Math.max(1, Math.round(period * p.duty));
      const off = Math.round(p.phase * period);
      const key = (y: number) => ((y + off) % period < thick ? Math.floor((y + off) / period) % 3 : -1);
      // Within a period the key changes where the band ends (thick) and where the next begins.
      const end = (y: number) => {
        const within = (y + off) % period;
        return y + (within < thick ? thick : period) - within;
      };
      return { key, end, spans: (y) => (key(y) < 0 ? [] : [[0, width, key(y)]]) };
    }
    case 'vbands': {
      const period = Math.max(2, Math.round(width / p.divisions));
      const thick = Math.max(1, Math.round(period * p.duty));
      const off = Math.round(p.phase * period);
      const spans: Span[] = [];
      for (let k = 0, x = -off; x < width; k++, x += period) {
        if (x + thick > 0) spans.push([Math.max(0, x), Math.min(width, x + thick), k % 3]);
      }
      return { key: () => 0, end: () => height, spans: () => spans }; // every row identical: one distinct scanline
    }
    case 'bricks': {
      const period = Math.max(2, Math.round(Math.min(width, height) / p.divisions));
      const side = Math.max(1, Math.round(period * Math.sqrt(p.duty))); // square area ~ duty
      const inset = Math.floor((period - side) / 2);
      const off = Math.round(p.phase * period);
      const inSquares = (y: number) => {
        const within = (y + off) % period;
        return within >= inset && within < inset + side;
      };
      // Colour rotation (mod 3) and brick offset (mod 2) repeat every 6 cell rows.
      const key = (y: number) => (inSquares(y) ? Math.floor((y + off) / period) % 6 : -1);
      // Within a period the key changes where the squares begin (inset), end, and the period ends.
      const end = (y: number) => {
        const within = (y + off) % period;
        return y + (within < inset ? inset : within < inset + side ? inset + side : period) - within;
      };
      return {
        key,
        end,
        spans: (y) => {
          if (!inSquares(y)) return [];
          const r = Math.floor((y + off) / period);
          const shift = r % 2 ? Math.floor(period / 2) : 0; // brick bond: odd rows offset half a cell
          const spans: Span[] = [];
          for (let c = -1, x = shift - period; x < width; c++, x += period) {
            const x0 = x + inset;
            const x1 = x0 + side;
            if (x1 > 0 && x0 < width) spans.push([Math.max(0, x0), Math.min(width, x1), mod(c + r, 3)]);
          }
          return spans;
        },
      };
    }
    case 'frames': {
      // Nested rectangle outlines; square corners keep distinct rows few (4 per ring).
      const period = Math.max(2, Math.floor(Math.min(width, height) / (2 * p.divisions + 1)));
      const thick = Math.max(1, Math.round(period * p.duty));
      const margin = Math.floor(p.phase * (period - thick));
      // Per ring: 0 = row outside it, 1 = on its top/bottom edge, 2 = between (sides only).
      const ringStates = (y: number): number[] => {
        const states: number[] = [];
        for (let k = 0; k < p.divisions; k++) {
          const i = margin + k * period;
          if (i >= width - i || y < i || y >= height - i) break; // nested rings: all inner ones miss too
          states.push(y < i + thick || y >= height - i - thick ? 1 : 2);
        }
        return states;
      };
      // Every row where some ring's state can change: its outer and inner edges, top and bottom.
      const edges: number[] = [];
      for (let k = 0; k < p.divisions; k++) {
        const i = margin + k * period;
        if (i >= width - i) break;
        edges.push(i, i + thick, height - i - thick, height - i);
      }
      edges.sort((x, y) => x - y);
      return {
        end: (y) => edges.find((e) => e > y) ?? height,
        // Same value as ringStates(y) read as base-3 digits, without building the array for every row.
        key: (y) => {
          let acc = 0;
          for (let k = 0; k < p.divisions; k++) {
            const i = margin + k * period;
            if (i >= width - i || y < i || y >= height - i) break;
            acc = acc * 3 + (y < i + thick || y >= height - i - thick ? 1 : 2);
          }
          return acc;
        },
        spans: (y) =>
          ringStates(y).flatMap((state, k): Span[] => {
            const left = margin + k * period;
            const right = width - left;
            return state === 1
              ? [[left, right, k % 3]]
              : [
                  [left, Math.min(right, left + thick), k % 3],
                  [Math.max(left, right - thick), right, k % 3],
                ];
          }),
      };
    }
  }
}

function fillSpan(row: Uint8Array, channels: number, x0: number, x1: number, px: Uint8Array): void {
  if (x1 <= x0) return;
  const start = x0 * channels;
  const end = x1 * channels;
  row.set(px, start);
  // Doubling copyWithin: O(log n) native copies instead of a per-pixel loop.
  for (let filled = channels; filled < end - start; filled *= 2) {
    row.copyWithin(start + filled, start, start + Math.min(filled, end - start - filled));
  }
}

/** Consecutive rows painted alike: the accent spans over the background, and how many rows. */
export interface SpanRun {
  /** One array per distinct row shape, shared by every run of that shape (so it can key a cache). */
  spans: readonly Span[];
  count: number;
}

/** A picture at its size, before painting: its pixel colours and its rows as runs of spans. */
export interface SpanRows {
  width: number;
  height: number;
  channels: 3 | 4;
  /** Pixel bytes by colour: 0 the background, 1-3 the accents (span colour + 1). */
  pixels: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  runs: SpanRun[];
}

/**
 * The rows of `picture` at width x height, as runs of rows with the same spans.
 * Transparent pictures are RGBA with alpha 0 on the background and 255 on accents.
 */
export function spanRows(picture: Picture, width: number, height: number, transparent = false): SpanRows {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`picture size must be positive integers, got ${width}x${height}`);
  }
  const pixel = (c: Rgb, alpha: number): Uint8Array => (transparent ? Uint8Array.of(c[0], c[1], c[2], alpha) : Uint8Array.of(c[0], c[1], c[2]));
  const [a0, a1, a2] = picture.accents;
  const shape = rowShape(picture, width, height);
  const byKey = new Map<number, readonly Span[]>(); // a distinct row's spans are asked once
  const runs: SpanRun[] = [];
  let lastKey = NaN;
  let last: SpanRun | undefined;
  for (let y = 0; y < height; ) {
    const key = shape.key(y);
    const next = Math.min(height, Math.max(y + 1, shape.end(y)));
    if (last && key === lastKey) last.count += next - y;
    else {
      let spans = byKey.get(key);
      if (!spans) byKey.set(key, (spans = shape.spans(y)));
      runs.push((last = { spans, count: next - y }));
      lastKey = key;
    }
    y = next;
  }
  return {
    width,
    height,
    channels: transparent ? 4 : 3,
    pixels: [pixel(picture.background, 0), pixel(a0, 255), pixel(a1, 255), pixel(a2, 255)],
    runs,
  };
}

export interface PaintedRows {
  channels: 3 | 4;
  runs: RowRun[];
}

/** Paint span rows as runs of identical scanlines; runs of one shape share one painted row. */
export function paintSpanRows({ width, channels, pixels, runs }: SpanRows): PaintedRows {
  const rowBytes = width * channels;
  const painted = new Map<readonly Span[], Uint8Array>(); // per call: a distinct row is painted once
  // Distinct rows are views into a few slabs (of 1, 2, 4, ... rows) rather than one allocation each.
  let slab: Uint8Array | undefined;
  let slabRows = 0;
  let slabUsed = 0;
  const rowRuns: RowRun[] = [];
  for (const { spans, count } of runs) {
    let row = painted.get(spans);
    if (!row) {
      if (slabUsed === slabRows) {
        slabRows = Math.min(slabRows * 2 || 1, 64);
        slab = new Uint8Array(slabRows * rowBytes);
        slabUsed = 0;
      }
      row = slab!.subarray(slabUsed * rowBytes, ++slabUsed * rowBytes);
      fillSpan(row, channels, 0, width, pixels[0]);
      for (const [x0, x1, colour] of spans) fillSpan(row, channels, x0, x1, pixels[colour + 1]!);
      painted.set(spans, row);
    }
    rowRuns.push({ row, count });
  }
  return { channels, runs: rowRuns };
}

/** Paint `picture` at width x height as runs of identical scanlines (see spanRows). */
export function paintRows(picture: Picture, width: number, height: number, transparent = false): PaintedRows {
  return paintSpanRows(spanRows(picture, width, height, transparent));
}

/** Expand row runs into one tightly packed pixel buffer (for encoders that need raw pixels). */
export function rasterize(runs: readonly RowRun[], rowBytes: number): Buffer {
  let rows = 0;
  for (const r of runs) rows += r.count;
  const out = Buffer.allocUnsafe(rows * rowBytes);
  let o = 0;
  for (const { row, count } of runs) {
    out.set(row, o);
    const end = o + count * rowBytes;
    for (let filled = rowBytes; o + filled < end; filled *= 2) {
      out.copyWithin(o + filled, o, o + Math.min(filled, end - o - filled));
    }
    o = end;
  }
  return out;
}
