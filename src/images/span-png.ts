// PNG straight from a picture's span rows, without painting them. Within a span of one colour every
// Sub-filtered byte after its first pixel is 0, so a row's filtered bytes (and so its tokens) follow
// from where its colour changes: O(spans x channels) per row instead of O(width x channels) to
// paint it and O(width x channels) again to find its runs. The bytes are the ones encodePngRuns
// writes for the painted rows; pictures whose rows seldom repeat are painted and go through it.
import { ScanlineStream, type RowTokens } from './deflate-rows.js';
import { paintSpanRows, type Span, type SpanRows } from './pattern.js';
import { DIRECT_MIN_REPEAT, encodePngRuns, framePng } from './png.js';

/**
 * A row as segments of one colour: segment k starts at `x[k]` (x[0] = 0) and has colour
 * `colour[k]` (a palette index: 0 the background, 1-3 the accents); neighbours have different
 * indices. Two accents may still be the same pixel: the boundary between them filters to zeros,
 * which join the runs either side in ScanlineStream.bytes, so the tokens come out the same.
 */
class Segments {
  x = new Int32Array(64);
  colour = new Uint8Array(64);
  n = 0;

  /** Starts a segment of `colour` at `x`, or extends the last one when it has that colour. */
  add(x: number, colour: number): void {
    if (this.n > 0 && this.colour[this.n - 1] === colour) return;
    if (this.n === this.x.length) {
      const x2 = new Int32Array(this.n * 2);
      const c2 = new Uint8Array(this.n * 2);
      x2.set(this.x);
      c2.set(this.colour);
      [this.x, this.colour] = [x2, c2];
    }
    this.x[this.n] = x;
    this.colour[this.n++] = colour;
  }

  /** The row painted: background, then `spans` in order, each over what is there. */
  paint(spans: readonly Span[], width: number): void {
    // Spans that do not overlap paint the same row in any order (the nested rings of frames come
    // outside in, so their left and right sides alternate): sorted by start, they are the segments.
    const order = byStart(spans);
    this.n = 0;
    let x = 0; // end of the last span
    for (const [x0, x1, accent] of order) {
      if (x0 < x) return this.overlay(spans, width);
      if (x0 > x) this.add(x, 0);
      this.add(x0, accent + 1);
      x = x1;
    }
    if (x < width) this.add(x, 0);
  }

  /** General case (spans that overlap or go back): each piece between span edges takes the last span over it. */
  private overlay(spans: readonly Span[], width: number): void {
    this.n = 0;
    const edges = [...new Set([0, ...spans.flatMap(([x0, x1]) => (x1 > x0 ? [x0, x1] : []))])].filter((e) => e < width).sort((a, b) => a - b);
    for (const e of edges) {
      let colour = 0;
      for (let k = spans.length - 1; k >= 0; k--) {
        const [x0, x1, accent] = spans[k]!;
        if (x0 <= e && e < x1) {
          colour = accent + 1;
          break;
        }
      }
      this.add(e, colour);
    }
  }
}

/** The non-empty spans of `spans` by start (a copy only when they are not in that order already). */
function byStart(spans: readonly Span[]): readonly Span[] {
  let sorted = true;
  for (let k = 0; k < spans.length; k++) {
    const [x0, x1] = spans[k]!;
    if (x1 <= x0 || (k > 0 && x0 < spans[k - 1]![0])) sorted = false;
  }
  return sorted ? spans : spans.filter(nonEmpty).sort(startOrder);
}

const nonEmpty = ([x0, x1]: Span): boolean => x1 > x0;
const startOrder = (a: Span, b: Span): number => a[0] - b[0];

/** The Sub-filtered bytes of the row in `seg` (the first pixel as is, then each colour change), into `stream`. */
function filteredRow(seg: Segments, pixels: readonly Uint8Array[], width: number, channels: number, stream: ScanlineStream): RowTokens {
  stream.beginRow();
  let left: Uint8Array | undefined; // the pixel before the segment
  for (let k = 0; k < seg.n; k++) {
    const px = pixels[seg.colour[k]!]!;
    for (let ch = 0; ch < channels; ch++) stream.bytes(left ? (px[ch]! - left[ch]!) & 0xff : px[ch]!, 1);
    const end = k + 1 < seg.n ? seg.x[k + 1]! : width;
    stream.bytes(0, (end - seg.x[k]! - 1) * channels);
    left = px;
  }
  return stream.endRow();
}

/** Scratch (the encoder is synchronous). */
const seg = new Segments();

/** The PNG of `rows`: the same bytes as encodePngRuns(paintSpanRows(rows).runs, ...). */
export function encodePngSpans(rows: SpanRows): Buffer {
  const { width, height, channels, pixels } = rows;
  const stream = new ScanlineStream(width * channels, channels);
  const tokensOf = new Map<readonly Span[], RowTokens>(); // a distinct shape is tokenised once
  let above: RowTokens | undefined; // the row above the run, written Sub or as the Up rows after it
  let distinct = 0;
  for (const { spans, count } of rows.runs) {
    let row = tokensOf.get(spans);
    if (!row) {
      seg.paint(spans, width);
      row = filteredRow(seg, pixels, width, channels, stream);
      tokensOf.set(spans, row);
    }
    if (above && stream.same(above, row)) {
      stream.write(stream.up, count); // equal to the row above: written Up, like its repeats
    } else {
      stream.write(row, 1);
      stream.write(stream.up, count - 1);
      distinct++;
      above = row;
    }
  }
  if (distinct * DIRECT_MIN_REPEAT > height) return encodePngRuns(paintSpanRows(rows).runs, width, height, channels);
  return framePng(width, height, channels, (before, after) => stream.zlib(before, after));
}
