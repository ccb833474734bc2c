// The zlib stream (RFC 1950/1951) of a PNG's scanlines when rows repeat, written directly instead
// of by zlib. A picture made of runs of identical rows filters to a few distinct "Sub" rows and
// long runs of identical "Up" rows ([2, 0, 0, ...]); zlib would scan every byte of those runs
// (megabytes at 1024x1024) to find what is known up front.
//
// The encoding is what zlib's Z_RLE strategy makes: literals and distance-1 matches (runs of one
// byte value), here in one block with a dynamic Huffman code built from the exact symbol counts.
// Each distinct row is tokenised once; a repeated row's bits are written for two blocks of as many
// copies as end on a byte boundary (at most eight), and the rest are byte copies of the second
// block; its Adler-32 is advanced in closed form. The result is an ordinary zlib stream that any
// inflater reads.

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

function adlerStep(tokens: Int32Array, start: number, end: number): AdlerStep {
  let s = 0;
  let t = 0;
  let length = 0;
  let last = 0;
  for (let k = start; k < end; k++) {
    const v = tokens[k]!;
    if (v >= 0) {
      s = (s + v) % ADLER_MOD;
      t = (t + s) % ADLER_MOD;
      last = v;
      length++;
    } else {
      const n = -v; // n more copies of the last byte
      t = (t + n * s + ((last * ((n * (n + 1)) / 2)) % ADLER_MOD)) % ADLER_MOD;
      s = (s + n * last) % ADLER_MOD;
      length += n;
    }
  }
  return { s, t, length };
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

// Scratch for huffmanLengths, sized for the largest alphabet (286 literal/length symbols).
const MAX_SYMBOLS = 286;
const SYMBOL_SLOTS = 512; // a sort key is weight * 512 + symbol
const sortKeys = new Float64Array(MAX_SYMBOLS);
const leafSymbol = new Uint16Array(MAX_SYMBOLS);
const nodeWeight = new Float64Array(2 * MAX_SYMBOLS);
const nodeParent = new Int32Array(2 * MAX_SYMBOLS);
const nodeDepth = new Uint8Array(2 * MAX_SYMBOLS);

/**
 * Huffman code lengths for `freq`, none longer than `limit`; ties break on the symbol, so the
 * result is deterministic. Too-long codes are avoided by halving the counts and building again
 * (flatter statistics, shorter codes): simple, and quick at these alphabet sizes.
 */
function huffmanLengths(freq: Float64Array, limit: number): Uint8Array {
  const n = freq.length;
  if (n > MAX_SYMBOLS) throw new RangeError(`huffmanLengths: ${n} symbols`);
  const lengths = new Uint8Array(n);
  const weight = freq.slice();
  for (;;) {
    const m = sortByWeight(weight);
    if (m === 0) return lengths;
    if (m === 1) {
      lengths[leafSymbol[0]!] = 1;
      return lengths;
    }
    // Two queues: leaves in weight order, then internal nodes in creation (= weight) order.
    for (let k = 0; k < m; k++) nodeWeight[k] = weight[leafSymbol[k]!]!;
    let leaf = 0;
    let inner = m;
    for (let next = m; next < 2 * m - 1; next++) {
      nodeWeight[next] = 0;
      for (let pick = 0; pick < 2; pick++) {
        const node = leaf < m && (inner >= next || nodeWeight[leaf]! <= nodeWeight[inner]!) ? leaf++ : inner++;
        nodeWeight[next] = nodeWeight[next]! + nodeWeight[node]!;
        nodeParent[node] = next;
      }
    }
    // The root is the last node and parents come after their children.
    nodeDepth[2 * m - 2] = 0;
    let longest = 0;
    for (let k = 2 * m - 3; k >= 0; k--) {
      nodeDepth[k] = nodeDepth[nodeParent[k]!]! + 1;
      if (k < m && nodeDepth[k]! > longest) longest = nodeDepth[k]!;
    }
    if (longest <= limit) {
      for (let k = 0; k < m; k++) lengths[leafSymbol[k]!] = nodeDepth[k]!;
      return lengths;
    }
    for (let s = 0; s < n; s++) if (weight[s]! > 0) weight[s] = Math.ceil(weight[s]! / 2);
  }
}

/**
 * The used symbols (weight > 0) into leafSymbol[0, m) by weight, then symbol; returns m. Each is
 * sorted as one number, weight * 512 + symbol, with the typed array's native numeric sort (no
 * comparator calls); exact while weights stay below 2^44, and a comparator sort past that.
 */
function sortByWeight(weight: Float64Array): number {
  let m = 0;
  let heaviest = 0;
  for (let s = 0; s < weight.length; s++) {
    const w = weight[s]!;
    if (w <= 0) continue;
    sortKeys[m++] = w * SYMBOL_SLOTS + s;
    if (w > heaviest) heaviest = w;
  }
  if (heaviest * SYMBOL_SLOTS >= Number.MAX_SAFE_INTEGER / 2) {
    const symbols = Array.from(sortKeys.subarray(0, m), (key) => key % SYMBOL_SLOTS);
    symbols.sort((x, y) => weight[x]! - weight[y]! || x - y);
    leafSymbol.set(symbols);
    return m;
  }
  const keys = sortKeys.subarray(0, m).sort();
  for (let k = 0; k < m; k++) leafSymbol[k] = keys[k]! % SYMBOL_SLOTS;
  return m;
}

/** Each byte's bits in reverse order. */
const REVERSED_BYTE = Uint8Array.from({ length: 256 }, (_, b) => {
  let r = 0;
  for (let k = 0; k < 8; k++) r |= ((b >> k) & 1) << (7 - k);
  return r;
});

/** Canonical codes (RFC 1951 §3.2.2), bit-reversed for the LSB-first bit stream. */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const count = new Uint16Array(16);
  for (let s = 0; s < lengths.length; s++) count[lengths[s]!]! += 1;
  count[0] = 0;
  const nextCode = new Uint16Array(16);
  let code = 0;
  for (let bits = 1; bits < 16; bits++) {
    code = (code + count[bits - 1]!) << 1;
    nextCode[bits] = code;
  }
  const codes = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s]!;
    if (!len) continue;
    const c = nextCode[len]!;
    nextCode[len] = c + 1;
    // The code's 16 bits reversed, then its `len` meaningful bits brought down.
    codes[s] = ((REVERSED_BYTE[c & 0xff]! << 8) | REVERSED_BYTE[c >>> 8]!) >>> (16 - len);
  }
  return codes;
}

/**
 * Run-length form of code lengths, as a block header sends them: pairs of a symbol (0-18) and its
 * extra value, flat in `out` (reused scratch); returns the number of pairs.
 */
function codeLengthSymbols(lengths: Uint8Array, out: Uint8Array): number {
  let n = 0;
  const push = (symbol: number, extra: number) => {
    out[2 * n] = symbol;
    out[2 * n++ + 1] = extra;
  };
  let i = 0;
  while (i < lengths.length) {
    const l = lengths[i]!;
    let j = i + 1;
    while (j < lengths.length && lengths[j] === l) j++;
    let run = j - i;
    if (l === 0) {
      for (; run >= 11; run -= Math.min(run, 138)) push(18, Math.min(run, 138) - 11);
      if (run >= 3) {
        push(17, run - 3);
        run = 0;
      }
    } else {
      push(l, 0);
      for (run--; run >= 3; run -= Math.min(run, 6)) push(16, Math.min(run, 6) - 3);
    }
    for (; run > 0; run--) push(l, 0);
    i = j;
  }
  return n;
}

/** LSB-first bit writer into a buffer sized in advance. */
class BitWriter {
  private bits = 0;
  private count = 0;

  constructor(
    private readonly out: Buffer,
    public pos: number,
  ) {}

  /** The low `n` bits of `value` (n <= 24). */
  write(value: number, n: number): void {
    this.bits |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.out[this.pos++] = this.bits & 0xff;
      this.bits >>>= 8;
      this.count -= 8;
    }
  }

  /** Writes `codes[start, end)` (value and bit count pairs, `rowBits` bits in all) `times` times. */
  repeat(codes: Uint32Array, bitCounts: Uint8Array, start: number, end: number, rowBits: number, times: number): void {
    // `period` copies move the bit position by whole bytes, so from the second block of `period`
    // copies on, every block is the same bytes with the same bits pending: write one, copy it.
    const period = 8 / gcd(rowBits % 8, 8);
    if (times < 3 * period) {
      for (let r = 0; r < times; r++) this.range(codes, bitCounts, start, end);
      return;
    }
    for (let r = 0; r < period; r++) this.range(codes, bitCounts, start, end);
    const first = this.pos;
    for (let r = 0; r < period; r++) this.range(codes, bitCounts, start, end);
    const size = this.pos - first;
    const blocks = Math.floor((times - period) / period);
    for (let have = 1; have < blocks; ) {
      const add = Math.min(have, blocks - have);
      this.out.copyWithin(first + have * size, first, first + add * size);
      have += add;
    }
    this.pos = first + blocks * size;
    for (let r = period + blocks * period; r < times; r++) this.range(codes, bitCounts, start, end);
  }

  /** Writes `codes[start, end)` once (the hot loop, on locals). */
  private range(codes: Uint32Array, bitCounts: Uint8Array, start: number, end: number): void {
    const out = this.out;
    let bits = this.bits;
    let count = this.count;
    let pos = this.pos;
    for (let k = start; k < end; k++) {
      bits |= codes[k]! << count;
      count += bitCounts[k]!;
      while (count >= 8) {
        out[pos++] = bits & 0xff;
        bits >>>= 8;
        count -= 8;
      }
    }
    this.bits = bits;
    this.count = count;
    this.pos = pos;
  }

  /** Pads the last byte with zero bits. */
  flush(): void {
    if (this.count > 0) this.out[this.pos++] = this.bits & 0xff;
    this.bits = 0;
    this.count = 0;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// Scratch space reused across calls (the encoder is synchronous), so an image costs few allocations;
// what an unusually busy picture grew past SCRATCH_KEEP tokens is let go after it.
const SCRATCH_KEEP = 1 << 18;
const tokens = new Tokens();
const litFreq = new Float64Array(286);
/** Code-length symbols of a header (at most one per length sent, 286 + 2), as symbol and extra value pairs. */
const clSymbols = new Uint8Array(2 * (286 + 2));
let codes = new Uint32Array(1024);
let bitCounts = new Uint8Array(1024);

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
  private readonly pieces: Array<{ start: number; end: number; times: number }> = [];
  // The row being built: its start, and the run of equal filtered bytes not yet tokenised.
  private rowStart = -1;
  private runValue = -1;
  private runLength = 0;
  private rowLength = 0;

  constructor(
    readonly rowBytes: number,
    readonly channels: number,
  ) {
    tokens.length = 0;
    tokens.push(FILTER_UP);
    tokens.run(0, rowBytes);
    this.up = { start: 0, end: tokens.length };
  }

  /** Tokens of a painted row, written with the Sub filter. */
  subRow(row: Uint8Array): RowTokens {
    if (row.length !== this.rowBytes) throw new RangeError(`row has ${row.length} bytes, expected ${this.rowBytes}`);
    const start = tokens.length;
    tokeniseSub(row, this.channels, tokens);
    return { start, end: tokens.length };
  }

  /** Starts a Sub row given as its filtered bytes (after the filter byte), in order, through `bytes`. */
  beginRow(): void {
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
    return writeZlib(this.pieces, before, after);
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

/** The stream of the token ranges in `spans`, each written `times` times. */
function writeZlib(spans: ReadonlyArray<{ start: number; end: number; times: number }>, before: number, after: number): Buffer {
  const t = tokens.data;

  // Symbol counts and checksum, by occurrences of each row.
  litFreq.fill(0);
  let extraBits = 0;
  let matches = 0;
  const adler = { a: 1, b: 0 };
  for (const { start, end, times } of spans) {
    for (let k = start; k < end; k++) {
      const v = t[k]!;
      const sym = v >= 0 ? v : LEN_SYMBOL[-v]!;
      litFreq[sym] = litFreq[sym]! + times;
      if (v < 0) {
        extraBits += LEN_EXTRA_BITS[-v]! * times;
        matches += times;
      }
    }
    adlerApply(adler, adlerStep(t, start, end), times);
  }
  litFreq[END_OF_BLOCK] = 1;

  // Codes: literal/length from the counts; two one-bit distance codes (only distance 1 is used;
  // a complete code keeps strict decoders happy).
  const litLen = huffmanLengths(litFreq, 15);
  let hlit = 286;
  while (hlit > 257 && litLen[hlit - 1] === 0) hlit--;
  const distLen = Uint8Array.of(1, 1);
  const header = new Uint8Array(hlit + distLen.length);
  header.set(litLen.subarray(0, hlit));
  header.set(distLen, hlit);
  const clCount = codeLengthSymbols(header, clSymbols);
  const clFreq = new Float64Array(19);
  for (let k = 0; k < clCount; k++) clFreq[clSymbols[2 * k]!]! += 1;
  // The code-length code must be complete too: give it a second symbol if the header uses one.
  let clUsed = 0;
  for (let s = 0; s < 19; s++) if (clFreq[s]! > 0) clUsed++;
  if (clUsed < 2) clFreq[clFreq[0] ? 1 : 0] = 1;
  const clLen = huffmanLengths(clFreq, 7);
  let hclen = 19;
  while (hclen > 4 && clLen[CL_ORDER[hclen - 1]!] === 0) hclen--;

  // Exact size, so the stream is written once, into a buffer of the right length.
  let bits = 3 + 5 + 5 + 4 + 3 * hclen;
  for (let k = 0; k < clCount; k++) bits += clLen[clSymbols[2 * k]!]! + CL_EXTRA_BITS[clSymbols[2 * k]!]!;
  for (let s = 0; s < 286; s++) bits += litFreq[s]! * litLen[s]!;
  bits += extraBits + matches * distLen[0]!;
  const out = Buffer.allocUnsafe(before + 2 + Math.ceil(bits / 8) + 4 + after);
  out[before] = 0x78; // deflate, 32 KiB window
  out[before + 1] = 0x01; // no dictionary, "fastest"; 0x7801 is a multiple of 31 as RFC 1950 asks

  const w = new BitWriter(out, before + 2);
  w.write(1 | (2 << 1), 3); // last block, dynamic Huffman codes
  w.write(hlit - 257, 5);
  w.write(distLen.length - 1, 5);
  w.write(hclen - 4, 4);
  for (let k = 0; k < hclen; k++) w.write(clLen[CL_ORDER[k]!]!, 3);
  const clCodes = canonicalCodes(clLen);
  for (let k = 0; k < clCount; k++) {
    const s = clSymbols[2 * k]!;
    w.write(clCodes[s]!, clLen[s]!);
    if (CL_EXTRA_BITS[s]) w.write(clSymbols[2 * k + 1]!, CL_EXTRA_BITS[s]!);
  }

  // Each token as one code: a match is its length code, extra bits and distance code together.
  const litCodes = canonicalCodes(litLen);
  const distCode = canonicalCodes(distLen)[0]!;
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
      codes[k] = litCodes[sym]! | (LEN_EXTRA_VALUE[-v]! << litLen[sym]!) | (distCode << (litLen[sym]! + extra));
      bitCounts[k] = litLen[sym]! + extra + distLen[0]!;
    }
  }
  for (const { start, end, times } of spans) {
    let rowBits = 0;
    if (times > 1) for (let k = start; k < end; k++) rowBits += bitCounts[k]!;
    w.repeat(codes, bitCounts, start, end, rowBits, times);
  }
  w.write(litCodes[END_OF_BLOCK]!, litLen[END_OF_BLOCK]!);
  w.flush();
  if (w.pos !== out.length - 4 - after) throw new Error(`deflate: wrote ${w.pos - before} bytes, sized ${out.length - before - after - 4}`);
  out.writeUInt32BE(((adler.b << 16) | adler.a) >>> 0, w.pos);
  if (tokens.data.length > SCRATCH_KEEP) tokens.data = new Int32Array(1024);
  if (codes.length > SCRATCH_KEEP) {
    codes = new Uint32Array(1024);
    bitCounts = new Uint8Array(1024);
  }
  return out;
}
