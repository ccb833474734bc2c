// encodePngSpans tokenises rows from their spans; encodePngRuns from painted pixels. They must
// write the same bytes for any span rows, including shapes the pattern kinds never make (spans
// out of order or overlapping, accents equal to each other, rows equal to the row above).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import zlib from 'node:zlib';
import { paintSpanRows, type Span, type SpanRows } from '../../src/images/pattern.js';
import { encodePngRuns } from '../../src/images/png.js';
import { encodePngSpans } from '../../src/images/span-png.js';

const byte = fc.integer({ min: 0, max: 255 });

/** Span rows of up to 6 distinct shapes, runs picking them at random (so shapes recur and repeat). */
const spanRows = fc
  .record({
    width: fc.integer({ min: 1, max: 300 }),
    transparent: fc.boolean(),
    // Few colour values, so accents often coincide with each other (never with the background's alpha).
    palette: fc.array(fc.constantFrom(0, 1, 128, 255), { minLength: 12, maxLength: 12 }),
    background: fc.array(byte, { minLength: 3, maxLength: 3 }),
    shapes: fc.array(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 2 })), { maxLength: 12 }), { minLength: 1, maxLength: 6 }),
    runs: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 30 }),
  })
  .map(({ width, transparent, palette, background, shapes, runs }): SpanRows => {
    const channels = transparent ? 4 : 3;
    const px = (rgb: number[], alpha: number) => Uint8Array.from(transparent ? [...rgb, alpha] : rgb);
    const accents = [0, 1, 2].map((k) => px(palette.slice(3 * k, 3 * k + 3), 255));
    // Spans anywhere in the row, in any order, some empty.
    const shapeSpans = shapes.map((spans) => spans.map(([a, b, c]): Span => [a % (width + 1), b % (width + 1), c]).map(([a, b, c]): Span => (a <= b ? [a, b, c] : [b, a, c])));
    const spanRuns = runs.map(([shape, count]) => ({ spans: shapeSpans[shape % shapeSpans.length]!, count }));
    return {
      width,
      height: spanRuns.reduce((n, r) => n + r.count, 0),
      channels,
      pixels: [px(background, 0), accents[0]!, accents[1]!, accents[2]!],
      runs: spanRuns,
    };
  });

describe('encodePngSpans', () => {
  it('writes the bytes encodePngRuns writes for the painted rows', () => {
    fc.assert(
      fc.property(spanRows, (rows) => {
        const painted = paintSpanRows(rows);
        const viaPixels = encodePngRuns(painted.runs, rows.width, rows.height, rows.channels);
        expect(encodePngSpans(rows).equals(viaPixels)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('uses the direct stream when rows repeat, and zlib when they seldom do (still the same bytes)', () => {
    const row: Span[] = [[2, 5, 0]];
    const other: Span[] = [[0, 1, 1]];
    const base = { width: 8, channels: 3 as const, pixels: [Uint8Array.of(9, 9, 9), Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6), Uint8Array.of(7, 8, 9)] as SpanRows['pixels'] };
    const repeating: SpanRows = { ...base, height: 40, runs: [{ spans: row, count: 20 }, { spans: other, count: 20 }] };
    const alternating: SpanRows = { ...base, height: 6, runs: [row, other, row, other, row, other].map((spans) => ({ spans, count: 1 })) };
    for (const rows of [repeating, alternating]) {
      const png = encodePngSpans(rows);
      expect(png.equals(encodePngRuns(paintSpanRows(rows).runs, rows.width, rows.height, 3))).toBe(true);
      expect(() => zlib.inflateSync(png.subarray(8 + 25 + 8, png.length - 12 - 4))).not.toThrow();
    }
  });
});
