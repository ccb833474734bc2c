// The zlib stream (RFC 1950/1951) of a PNG's scanlines when rows repeat, written directly instead
// of by zlib. A picture made of runs of identical rows filters to a few distinct "Sub" rows and
// long runs of identical "Up" rows ([2, 0, 0, ...]); zlib would scan every byte of those runs
// (megabytes at 1024x1024) to find what is known up front.
//
// The encoding is what zlib's Z_RLE strategy makes: literals and distance-1 matches (runs of one
// byte value), here in one block with a dynamic Huffman code built from the exact symbol counts.
// Each distinct row is tokenised once, from its pixels or, when the caller knows the row's shape
// (span-png.ts), from the runs of its filtered bytes; a repeated row's bits are made once as a
// block of as many copies as end on a byte boundary (at most eight), and every run of it is that
// block shifted into place, then byte copies (bit-writer.ts); its Adler-32 is advanced in closed
// form. The result is an ordinary zlib stream that any inflater reads.

import { BitWriter, rowBlock, type RowBlock } from './bit-writer.js';
import { canonicalCodes, codeLengthSymbols, huffmanLengths } from './deflate-huffman.js';

/** A piece of the scanlines: one row of pixels (written Sub-filtered), or `up` rows identical to the row above (filter Up). */
export type RowPiece = { row: Uint8Array } | { up: number };

const ADLER_MOD = 65521;
const END_OF_BLOCK = 256;
const MAX_MATCH = 258;
const MIN_MATCH = 3;
const FILTER_SUB = 1;
const FILTER_UP = 2;

// RFC 1951 §3.2.5: length codes 257-285 with their base lengths and extra bits.
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** Per match length (3-258): its length symbol, extra-bit count and extra value. */
const LEN_SYMBOL = new Uint16Array(MAX_MATCH + 1);
const LEN_EXTRA_BITS = new Uint8Array(MAX_MATCH + 1);
const LEN_EXTRA_VALUE = new Uint8Array(MAX_MATCH + 1);
for (let code = LENGTH_BASE.length - 1; code >= 0; code--) {
  // Downwards, so 258 keeps its own code (285, no extra bits) rather than 227 + 31.
  const end = code === LENGTH_BASE.length - 1 ? MAX_MATCH : LENGTH_BASE[code]! + (1 << LENGTH_EXTRA[code]!) - 1;
  for (let len = LENGTH_BASE[code]!; len <= end; len++) {
    if (LEN_SYMBOL[len]) continue;
    LEN_SYMBOL[len] = 257 + code;
    LEN_EXTRA_BITS[len] = LENGTH_EXTRA[code]!;
    LEN_EXTRA_VALUE[len] = len - LENGTH_BASE[code]!;
  }
}

/** Order in which the code-length code's lengths are sent (RFC 1951 §3.2.7). */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const CL_EXTRA_BITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];

/** Growable token list: a literal is its byte (0-255), a distance-1 match is -length. */
class Tokens {
  data = new Int32Array(1024);
  length = 0;

  push(t: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = t;
  }

  /** `count` bytes of value `b`: a literal, then distance-1 matches (never leaving 1-2 bytes behind a full one). */
  run(b: number, count: number): void {
    this.push(b);
    let rest = count - 1;
    while (rest >= MIN_MATCH) {
      const len = rest > MAX_MATCH ? (rest - MAX_MATCH < MIN_MATCH ? rest - MIN_MATCH : MAX_MATCH) : rest;
      this.push(-len);
      rest -= len;
    }
    for (; rest > 0; rest--) this.push(b);
  }
}

/** Tokens of a row written with the Sub filter: each byte minus the same channel of the pixel to its left. */
function tokeniseSub(row: Uint8Array, channels: number, out: Tokens): void {
  out.push(FILTER_SUB);
  const n = row.length;
  // Runs of zeros (a span of one colour: each byte equals the one a pixel back) are the bulk of a
  // row; they are measured four bytes at a time.
  const words = new DataView(row.buffer, row.byteOffset, n);
  let i = 0;
  while (i < n) {
    const v = i < channels ? row[i]! : (row[i]! - row[i - channels]!) & 0xff;
    let j = i + 1;
    if (v === 0 && i >= channels) {
      while (j + 4 <= n && words.getUint32(j) === words.getUint32(j - channels)) j += 4;
      while (j < n && row[j] === row[j - channels]) j++;
    } else {
      while (j < n && (j < channels ? row[j]! : (row[j]! - row[j - channels]!) & 0xff) === v) j++;
    }
    out.run(v, j - i);
    i = j;
  }
}

/** A row's effect on Adler-32: from (a, b) to (a + s, b + length * a + t), all mod 65521. */
interface AdlerStep {
  s: number;
  t: number;
  length: number;
}

/**
 * Tokens between reductions of the sums in adlerStep. A token adds at most 258 x 255 to s, so
 * between reductions s stays below 2^25 and t below 2^42: exact in a double, and a modulo every
 * 256 tokens instead of two per literal.
 */
const ADLER_REDUCE_EVERY = 256;

function adlerStep(tokens: Int32Array, start: number, end: number): AdlerStep {
  let s = 0;
  let t = 0;
  let length = 0;
  let last = 0;
  for (let k = start; k < end; k++) {
    const v = tokens[k]!;
    if (v >= 0) {
      s += v;
      t += s;
      last = v;
      length++;
    } else {
      const n = -v; // n more copies of the last byte
      t += n * s + last * ((n * (n + 1)) / 2);
      s += n * last;
      length += n;
    }
    if ((k - start) % ADLER_REDUCE_EVERY === ADLER_REDUCE_EVERY - 1) {
      s %= ADLER_MOD;
      t %= ADLER_MOD;
    }
  }
  return { s: s % ADLER_MOD, t: t % ADLER_MOD, length };
}

/** Applies `step` `times` times to the checksum state (closed form of the repeated update). */
function adlerApply(state: { a: number; b: number }, step: AdlerStep, times: number): void {
  const n = times % ADLER_MOD;
  const len = step.length % ADLER_MOD;
  // times * (times - 1) / 2 mod 65521, halving the even factor first so nothing overflows.
  const pairs = times % 2 === 0 ? ((((times / 2) % ADLER_MOD) * ((times - 1) % ADLER_MOD)) % ADLER_MOD) : (((times % ADLER_MOD) * (((times - 1) / 2) % ADLER_MOD)) % ADLER_MOD);
  const b =
    state.b +
    (((n * len) % ADLER_MOD) * state.a) % ADLER_MOD +
    (((len * step.s) % ADLER_MOD) * pairs) % ADLER_MOD +
    (n * step.t) % ADLER_MOD;
  state.a = (state.a + n * step.s) % ADLER_MOD;
  state.b = b % ADLER_MOD;
}

// Scratch space reused across calls (the encoder is synchronous), so an image costs few allocations;
// what an unusually busy picture grew past SCRATCH_KEEP tokens is let go after it.
const SCRATCH_KEEP = 1 << 18;
const tokens = new Tokens();
let codes = new Uint32Array(1024);
let bitCounts = new Uint8Array(1024);
const LIT_SYMBOLS = 286;
const litFreq = new Float64Array(LIT_SYMBOLS);
const litLen = new Uint8Array(LIT_SYMBOLS);
const litCodes = new Uint16Array(LIT_SYMBOLS);
/** The lengths a header sends: literal/length codes, then the two distance codes. */
const headerLengths = new Uint8Array(LIT_SYMBOLS + 2);
/** Code-length symbols of a header (at most one per length sent), as symbol and extra value pairs. */
const clSymbols = new Uint8Array(2 * headerLengths.length);
const clFreq = new Float64Array(19);
const clLen = new Uint8Array(19);
const clCodes = new Uint16Array(19);
// Only distance 1 is used, but with two one-bit distance codes (a complete code keeps strict
// decoders happy); distance 1's canonical code is 0.
const DIST_CODE_BITS = 1;
const DIST_CODE = 0;

/** The stream whose rows the token list holds. */
let current: ScanlineStream | undefined;

/** Where one row's tokens lie in the token list. */
export interface RowTokens {
  start: number;
  end: number;
}

/**
 * The scanlines of one picture, built row by row as tokens, then written as one zlib stream. Rows
 * come either painted (`subRow`) or already as runs of their Sub-filtered bytes (`beginRow`,
 * `bytes`, `endRow`), which lets a caller that knows a row's shape skip painting and scanning it.
 * One picture at a time: the token list is module scratch (the encoder is synchronous), so
 * constructing another ScanlineStream starts over.
 */
export class ScanlineStream {
  /** The Up row: filter byte 2, then zeros. */
  readonly up: RowTokens;
  private readonly pieces: Piece[] = [];
  // The row being built: its start, and the run of equal filtered bytes not yet tokenised.
  private rowStart = -1;
  private runValue = -1;
  private runLength = 0;
  private rowLength = 0;

  constructor(
    readonly rowBytes: number,
    readonly channels: number,
  ) {
    current = this;
    tokens.length = 0;
    tokens.push(FILTER_UP);
    tokens.run(0, rowBytes);
    this.up = { start: 0, end: tokens.length };
  }

  /** Tokens of a painted row, written with the Sub filter. */
  subRow(row: Uint8Array): RowTokens {
    this.checkCurrent();
    if (row.length !== this.rowBytes) throw new RangeError(`row has ${row.length} bytes, expected ${this.rowBytes}`);
    const start = tokens.length;
    tokeniseSub(row, this.channels, tokens);
    return { start, end: tokens.length };
  }

  /** Starts a Sub row given as its filtered bytes (after the filter byte), in order, through `bytes`. */
  beginRow(): void {
    this.checkCurrent();
    this.rowStart = tokens.length;
    tokens.push(FILTER_SUB);
    this.runValue = -1;
    this.runLength = 0;
    this.rowLength = 0;
  }

  /** `count` filtered bytes of `value`; equal neighbours join one run, as tokeniseSub would find it. */
  bytes(value: number, count: number): void {
    if (count <= 0) return;
    this.rowLength += count;
    if (value === this.runValue) {
      this.runLength += count;
      return;
    }
    if (this.runLength > 0) tokens.run(this.runValue, this.runLength);
    this.runValue = value;
    this.runLength = count;
  }

  /** Ends the row begun by `beginRow`. */
  endRow(): RowTokens {
    if (this.rowLength !== this.rowBytes) throw new RangeError(`filtered row has ${this.rowLength} bytes, expected ${this.rowBytes}`);
    tokens.run(this.runValue, this.runLength);
    return { start: this.rowStart, end: tokens.length };
  }

  /**
   * Whether two rows have the same tokens, hence the same pixels: tokens decode to the filtered
   * bytes, and those to the row.
   */
  same(a: RowTokens, b: RowTokens): boolean {
    if (a.end - a.start !== b.end - b.start) return false;
    const t = tokens.data;
    for (let k = 0; k < a.end - a.start; k++) if (t[a.start + k] !== t[b.start + k]) return false;
    return true;
  }

  /** Appends `times` copies of `row` to the scanlines. */
  write(row: RowTokens, times: number): void {
    if (times <= 0) return;
    const last = this.pieces[this.pieces.length - 1];
    // Copies of the same row in a row are one piece (the same bits, written with fewer block copies).
    if (last && last.start === row.start && last.end === row.end) last.times += times;
    else this.pieces.push({ start: row.start, end: row.end, times });
  }

  /** The zlib stream of the rows written, with `before` and `after` bytes of room around it (for the PNG chunk framing). */
  zlib(before = 0, after = 0): Buffer {
    this.checkCurrent();
    return writeZlib(this.pieces, before, after);
  }

  private checkCurrent(): void {
    if (current !== this) throw new Error('ScanlineStream: another stream was started since this one (the token list is shared)');
  }
}

/**
 * The zlib stream of `pieces`, whose rows are `rowBytes` long (`channels` bytes per pixel), in a
 * buffer with `before` and `after` bytes of room around it (for the PNG chunk framing).
 */
export function zlibScanlines(pieces: readonly RowPiece[], rowBytes: number, channels: number, before = 0, after = 0): Buffer {
  const stream = new ScanlineStream(rowBytes, channels);
  for (const piece of pieces) {
    if ('up' in piece) stream.write(stream.up, piece.up);
    else stream.write(stream.subRow(piece.row), 1);
  }
  return stream.zlib(before, after);
}

/** A run of rows in the stream: the tokens of the row, written `times` times. */
interface Piece {
  start: number;
  end: number;
  times: number;
}

/** The stream of `pieces` (token ranges, each written `times` times), with room around it. */
function writeZlib(pieces: readonly Piece[], before: number, after: number): Buffer {
  const counts = countSymbols(pieces);
  const header = codeTables();
  // Exact size, so the stream is written once, into a buffer of the right length.
  const out = Buffer.allocUnsafe(before + 2 + Math.ceil((header.bits + dataBits(counts)) / 8) + 4 + after);
  out[before] = 0x78; // deflate, 32 KiB window
  out[before + 1] = 0x01; // no dictionary, "fastest"; 0x7801 is a multiple of 31 as RFC 1950 asks
  const w = new BitWriter(out, before + 2);
  writeHeader(w, header);
  writeTokens(w, pieces);
  w.write(litCodes[END_OF_BLOCK]!, litLen[END_OF_BLOCK]!);
  w.flush();
  if (w.pos !== out.length - 4 - after) throw new Error(`deflate: wrote ${w.pos - before} bytes, sized ${out.length - before - after - 4}`);
  out.writeUInt32BE(((counts.adler.b << 16) | counts.adler.a) >>> 0, w.pos);
  if (tokens.data.length > SCRATCH_KEEP) tokens.data = new Int32Array(1024);
  if (codes.length > SCRATCH_KEEP) {
    codes = new Uint32Array(1024);
    bitCounts = new Uint8Array(1024);
  }
  return out;
}

/**
 * Symbol counts into litFreq, by occurrences of each row, and the stream's Adler-32. Each distinct
 * row is counted and checksummed once (the Up row recurs in every other piece).
 */
function countSymbols(pieces: readonly Piece[]): SymbolCounts {
  const t = tokens.data;
  const rows = new Map<number, { end: number; times: number; step?: AdlerStep }>();
  for (const { start, end, times } of pieces) {
    const row = rows.get(start);
    if (row) row.times += times;
    else rows.set(start, { end, times });
  }
  litFreq.fill(0);
  let extraBits = 0;
  let matches = 0;
  for (const [start, row] of rows) {
    const { end, times } = row;
    for (let k = start; k < end; k++) {
      const v = t[k]!;
      const sym = v >= 0 ? v : LEN_SYMBOL[-v]!;
      litFreq[sym] = litFreq[sym]! + times;
      if (v < 0) {
        extraBits += LEN_EXTRA_BITS[-v]! * times;
        matches += times;
      }
    }
    row.step = adlerStep(t, start, end);
  }
  litFreq[END_OF_BLOCK] = 1;
  const adler = { a: 1, b: 0 };
  for (const { start, times } of pieces) adlerApply(adler, rows.get(start)!.step!, times);
  return { extraBits, matches, adler };
}

/** Besides litFreq: the match lengths' extra bits, the number of matches, and the stream's checksum. */
interface SymbolCounts {
  extraBits: number;
  matches: number;
  adler: { a: number; b: number };
}

/** The size of the data once the codes are known (codeTables): literal/length codes, extra bits, distance codes. */
function dataBits({ extraBits, matches }: SymbolCounts): number {
  let bits = extraBits + matches * DIST_CODE_BITS;
  for (let s = 0; s < LIT_SYMBOLS; s++) bits += litFreq[s]! * litLen[s]!;
  return bits;
}

interface Header {
  hlit: number;
  hclen: number;
  clCount: number;
  bits: number;
}

/** Codes from the counts: literal/length lengths and codes, and the code-length code that sends them. */
function codeTables(): Header {
  huffmanLengths(litFreq, LIT_SYMBOLS, 15, litLen);
  canonicalCodes(litLen, LIT_SYMBOLS, litCodes);
  let hlit = LIT_SYMBOLS;
  while (hlit > 257 && litLen[hlit - 1] === 0) hlit--;
  headerLengths.set(litLen.subarray(0, hlit));
  headerLengths[hlit] = DIST_CODE_BITS;
  headerLengths[hlit + 1] = DIST_CODE_BITS;
  const clCount = codeLengthSymbols(headerLengths, hlit + 2, clSymbols);
  clFreq.fill(0);
  for (let k = 0; k < clCount; k++) clFreq[clSymbols[2 * k]!]! += 1;
  // The code-length code must be complete too: give it a second symbol if the header uses one.
  let clUsed = 0;
  for (let s = 0; s < 19; s++) if (clFreq[s]! > 0) clUsed++;
  if (clUsed < 2) clFreq[clFreq[0] ? 1 : 0] = 1;
  huffmanLengths(clFreq, 19, 7, clLen);
  canonicalCodes(clLen, 19, clCodes);
  let hclen = 19;
  while (hclen > 4 && clLen[CL_ORDER[hclen - 1]!] === 0) hclen--;
  let bits = 3 + 5 + 5 + 4 + 3 * hclen;
  for (let k = 0; k < clCount; k++) bits += clLen[clSymbols[2 * k]!]! + CL_EXTRA_BITS[clSymbols[2 * k]!]!;
  return { hlit, hclen, clCount, bits };
}

/** The block header: last block with dynamic codes, the code-length code, then the code lengths in it. */
function writeHeader(w: BitWriter, { hlit, hclen, clCount }: Header): void {
  w.write(1 | (2 << 1), 3);
  w.write(hlit - 257, 5);
  w.write(2 - 1, 5); // two distance codes
  w.write(hclen - 4, 4);
  for (let k = 0; k < hclen; k++) w.write(clLen[CL_ORDER[k]!]!, 3);
  for (let k = 0; k < clCount; k++) {
    const s = clSymbols[2 * k]!;
    w.write(clCodes[s]!, clLen[s]!);
    if (CL_EXTRA_BITS[s]) w.write(clSymbols[2 * k + 1]!, CL_EXTRA_BITS[s]!);
  }
}

/** The pieces' tokens, each as one code: a match is its length code, extra bits and distance code together. */
function writeTokens(w: BitWriter, pieces: readonly Piece[]): void {
  const t = tokens.data;
  if (codes.length < tokens.length) {
    codes = new Uint32Array(tokens.length * 2);
    bitCounts = new Uint8Array(tokens.length * 2);
  }
  for (let k = 0; k < tokens.length; k++) {
    const v = t[k]!;
    if (v >= 0) {
      codes[k] = litCodes[v]!;
      bitCounts[k] = litLen[v]!;
    } else {
      const sym = LEN_SYMBOL[-v]!;
      const extra = LEN_EXTRA_BITS[-v]!;
      codes[k] = litCodes[sym]! | (LEN_EXTRA_VALUE[-v]! << litLen[sym]!) | (DIST_CODE << (litLen[sym]! + extra));
      bitCounts[k] = litLen[sym]! + extra + DIST_CODE_BITS;
    }
  }
  // A row written many times is written from its bits as a block (built once per row).
  const blocks = new Map<number, RowBlock>();
  for (const { start, end, times } of pieces) {
    if (times === 1) {
      w.range(codes, bitCounts, start, end);
      continue;
    }
    let block = blocks.get(start);
    if (!block) {
      let rowBits = 0;
      for (let k = start; k < end; k++) rowBits += bitCounts[k]!;
      blocks.set(start, (block = rowBlock(codes, bitCounts, start, end, rowBits)));
    }
    w.repeat(block, times);
  }
}
