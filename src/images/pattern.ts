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
  // NUL separators keep ("ab","c") and ("a","bc") apart. One-shot hash: half of createHash's cost.
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

const PATTERN_KINDS: readonly PatternKind[] = ['hbands', 'vbands', 'bricks', 'frames'];

/** The accent whose bytes start at `o` in the colour digest. */
function accentAt(colours: Buffer, o: number, background: Rgb): Rgb {
  return contrast([colours[o]!, colours[o + 1]!, colours[o + 2]!], background);
}

export function describePicture(seed: string, prompt: string, index: number): Picture {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`index must be a non-negative integer, got ${index}`);
  }
  const colours = sha256('imagegen-contract/colours', prompt);
  const background: Rgb = [colours[0]!, colours[1]!, colours[2]!];

  const geo = sha256('imagegen-contract/geometry', seed, String(index));
  const kind = PATTERN_KINDS[byteAt(geo, 0) % PATTERN_KINDS.length]!;
  const divisions =
    kind === 'frames' ? 2 + (byteAt(geo, 1) % 4) : kind === 'bricks' ? 3 + (byteAt(geo, 1) % 8) : 3 + (byteAt(geo, 1) % 12);

  const key = sha256('imagegen-contract/signature', seed, prompt);
  const signature = (index ^ key.readUInt16BE(0)) & 0xffff;

  return {
    background,
    accents: [accentAt(colours, 3, background), accentAt(colours, 6, background), accentAt(colours, 9, background)],
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

// The shapes are small classes rather than closures: a picture builds two of them, and methods
// cost nothing to create.

function rowShape(p: Picture, width: number, height: number): RowShape {
  const pattern =
    p.kind === 'hbands'
      ? new HBands(p, width, height)
      : p.kind === 'vbands'
        ? new VBands(p, width, height)
        : p.kind === 'bricks'
          ? new Bricks(p, width, height)
          : new Frames(p, width, height);
  return new SignedShape(p, width, height, pattern);
}

/** The signature strip along the top edge, then the pattern's rows. */
class SignedShape implements RowShape {
  private readonly sigRows: number;
  private readonly sigSpans: Span[] = [];

  constructor(
    p: Picture,
    width: number,
    height: number,
    private readonly pattern: RowShape,
  ) {
    this.sigRows = Math.max(1, Math.floor(height / 32));
    const cell = Math.max(1, Math.floor(width / SIGNATURE_BITS));
    for (let b = 0; b < SIGNATURE_BITS && b * cell < width; b++) {
      // MSB first; bits painted with rotating accents so the strip reads as a barcode.
      if ((p.signature >> (SIGNATURE_BITS - 1 - b)) & 1) this.sigSpans.push([b * cell, (b + 1) * cell, b % 3]);
    }
  }

  key(y: number): number {
    return y < this.sigRows ? -2 : this.pattern.key(y); // pattern keys are >= -1
  }

  end(y: number): number {
    return y < this.sigRows ? this.sigRows : this.pattern.end(y);
  }

  spans(y: number): Span[] {
    return y < this.sigRows ? this.sigSpans : this.pattern.spans(y);
  }
}

/** Full-width bands across the picture, one accent each in turn. */
class HBands implements RowShape {
  private readonly period: number;
  private readonly thick: number;
  private readonly off: number;

  constructor(
    p: Picture,
    private readonly width: number,
    height: number,
  ) {
    this.period = Math.max(2, Math.round(height / p.divisions));
    this.thick = Math.max(1, Math.round(this.period * p.duty));
    this.off = Math.round(p.phase * this.period);
  }

  key(y: number): number {
    return (y + this.off) % this.period < this.thick ? Math.floor((y + this.off) / this.period) % 3 : -1;
  }

  /** Within a period the key changes where the band ends (thick) and where the next begins. */
  end(y: number): number {
    const within = (y + this.off) % this.period;
    return y + (within < this.thick ? this.thick : this.period) - within;
  }

  spans(y: number): Span[] {
    const key = this.key(y);
    return key < 0 ? [] : [[0, this.width, key]];
  }
}

/** Vertical bands: every row identical, one distinct scanline. */
class VBands implements RowShape {
  private readonly row: Span[] = [];

  constructor(
    p: Picture,
    width: number,
    private readonly height: number,
  ) {
    const period = Math.max(2, Math.round(width / p.divisions));
    const thick = Math.max(1, Math.round(period * p.duty));
    const off = Math.round(p.phase * period);
    for (let k = 0, x = -off; x < width; k++, x += period) {
      if (x + thick > 0) this.row.push([Math.max(0, x), Math.min(width, x + thick), k % 3]);
    }
  }

  key(): number {
    return 0;
  }

  end(): number {
    return this.height;
  }

  spans(): Span[] {
    return this.row;
  }
}

/** Squares in brick bond: rows of cells, odd rows shifted half a cell. */
class Bricks implements RowShape {
  private readonly period: number;
  private readonly side: number;
  private readonly inset: number;
  private readonly off: number;

  constructor(
    p: Picture,
    private readonly width: number,
    height: number,
  ) {
    this.period = Math.max(2, Math.round(Math.min(width, height) / p.divisions));
    this.side = Math.max(1, Math.round(this.period * Math.sqrt(p.duty))); // square area ~ duty
    this.inset = Math.floor((this.period - this.side) / 2);
    this.off = Math.round(p.phase * this.period);
  }

  private inSquares(y: number): boolean {
    const within = (y + this.off) % this.period;
    return within >= this.inset && within < this.inset + this.side;
  }

  /** Colour rotation (mod 3) and brick offset (mod 2) repeat every 6 cell rows. */
  key(y: number): number {
    return this.inSquares(y) ? Math.floor((y + this.off) / this.period) % 6 : -1;
  }

  /** Within a period the key changes where the squares begin (inset), end, and the period ends. */
  end(y: number): number {
    const { period, inset, side } = this;
    const within = (y + this.off) % period;
    return y + (within < inset ? inset : within < inset + side ? inset + side : period) - within;
  }

  spans(y: number): Span[] {
    if (!this.inSquares(y)) return [];
    const { period, inset, side, width } = this;
    const r = Math.floor((y + this.off) / period);
    const shift = r % 2 ? Math.floor(period / 2) : 0; // brick bond: odd rows offset half a cell
    const spans: Span[] = [];
    for (let c = -1, x = shift - period; x < width; c++, x += period) {
      const x0 = x + inset;
      const x1 = x0 + side;
      if (x1 > 0 && x0 < width) spans.push([Math.max(0, x0), Math.min(width, x1), mod(c + r, 3)]);
    }
    return spans;
  }
}

/** Nested rectangle outlines; square corners keep distinct rows few (4 per ring). */
class Frames implements RowShape {
  private readonly period: number;
  private readonly thick: number;
  private readonly margin: number;
  /** Rings that fit across the picture. */
  private readonly rings: number;
  /** Every row where some ring's state can change: its outer and inner edges, top and bottom (sorted). */
  private readonly edges: number[] = [];

  constructor(
    p: Picture,
    private readonly width: number,
    private readonly height: number,
  ) {
    this.period = Math.max(2, Math.floor(Math.min(width, height) / (2 * p.divisions + 1)));
    this.thick = Math.max(1, Math.round(this.period * p.duty));
    this.margin = Math.floor(p.phase * (this.period - this.thick));
    let rings = 0;
    for (; rings < p.divisions; rings++) {
      const i = this.margin + rings * this.period;
      if (i >= width - i) break;
      this.edges.push(i, i + this.thick, height - i - this.thick, height - i);
    }
    this.rings = rings;
    this.edges.sort((x, y) => x - y);
  }

  /**
   * Per ring (outermost first), for the rings row y crosses: 1 = on its top/bottom edge, 2 =
   * between (sides only). Rings are nested, so once one misses the row all inner ones miss too.
   */
  private ringStates(y: number): number[] {
    const { margin, period, thick, height } = this;
    const states: number[] = [];
    for (let k = 0; k < this.rings; k++) {
      const i = margin + k * period;
      if (y < i || y >= height - i) break;
      states.push(y < i + thick || y >= height - i - thick ? 1 : 2);
    }
    return states;
  }

  /** Same value as ringStates(y) read as base-3 digits, without building the array for every row. */
  key(y: number): number {
    const { margin, period, thick, height } = this;
    let acc = 0;
    for (let k = 0; k < this.rings; k++) {
      const i = margin + k * period;
      if (y < i || y >= height - i) break;
      acc = acc * 3 + (y < i + thick || y >= height - i - thick ? 1 : 2);
    }
    return acc;
  }

  end(y: number): number {
    for (const e of this.edges) if (e > y) return e;
    return this.height;
  }

  spans(y: number): Span[] {
    const { margin, period, thick, width } = this;
    const spans: Span[] = [];
    const states = this.ringStates(y);
    for (let k = 0; k < states.length; k++) {
      const left = margin + k * period;
      const right = width - left;
      if (states[k] === 1) spans.push([left, right, k % 3]);
      else spans.push([left, Math.min(right, left + thick), k % 3], [Math.max(left, right - thick), right, k % 3]);
    }
    return spans;
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

/** A pixel's bytes: RGB, or RGBA with `alpha`. */
function pixelBytes(c: Rgb, alpha: number, transparent: boolean): Uint8Array {
  return transparent ? Uint8Array.of(c[0], c[1], c[2], alpha) : Uint8Array.of(c[0], c[1], c[2]);
}

/**
 * The rows of `picture` at width x height, as runs of rows with the same spans.
 * Transparent pictures are RGBA with alpha 0 on the background and 255 on accents.
 */
export function spanRows(picture: Picture, width: number, height: number, transparent = false): SpanRows {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`picture size must be positive integers, got ${width}x${height}`);
  }
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
    pixels: [pixelBytes(picture.background, 0, transparent), pixelBytes(a0, 255, transparent), pixelBytes(a1, 255, transparent), pixelBytes(a2, 255, transparent)],
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
