// Huffman codes for deflate's dynamic blocks (RFC 1951 §3.2.2, §3.2.7): code lengths from symbol
// counts, canonical codes from lengths, and the run-length form in which a block header sends its
// lengths. Results go into arrays the caller owns, and the working arrays are module scratch (the
// encoder is synchronous): a picture costs no allocations here, which at ~5 KB per PNG is most
// of what this part would otherwise spend.

/** The largest alphabet: 286 literal/length symbols. */
const MAX_SYMBOLS = 286;
const SYMBOL_SLOTS = 512; // a sort key is weight * 512 + symbol
const weights = new Float64Array(MAX_SYMBOLS);
const sortKeys = new Float64Array(MAX_SYMBOLS);
const leafSymbol = new Uint16Array(MAX_SYMBOLS);
const nodeWeight = new Float64Array(2 * MAX_SYMBOLS);
const nodeParent = new Int32Array(2 * MAX_SYMBOLS);
const nodeDepth = new Uint8Array(2 * MAX_SYMBOLS);

/**
 * Huffman code lengths for the counts `freq[0, n)` into `lengths[0, n)`, none longer than `limit`;
 * ties break on the symbol, so the result is deterministic. Too-long codes are avoided by halving
 * the counts and building again (flatter statistics, shorter codes): simple, and quick at these
 * alphabet sizes.
 */
export function huffmanLengths(freq: Float64Array, n: number, limit: number, lengths: Uint8Array): void {
  if (n > MAX_SYMBOLS) throw new RangeError(`huffmanLengths: ${n} symbols`);
  lengths.fill(0, 0, n);
  for (let s = 0; s < n; s++) weights[s] = freq[s]!;
  for (;;) {
    const m = sortByWeight(n);
    if (m === 0) return;
    if (m === 1) {
      lengths[leafSymbol[0]!] = 1;
      return;
    }
    // Two queues: leaves in weight order, then internal nodes in creation (= weight) order.
    for (let k = 0; k < m; k++) nodeWeight[k] = weights[leafSymbol[k]!]!;
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
      return;
    }
    for (let s = 0; s < n; s++) if (weights[s]! > 0) weights[s] = Math.ceil(weights[s]! / 2);
  }
}

/**
 * The used symbols of weights[0, n) (weight > 0) into leafSymbol[0, m) by weight, then symbol;
 * returns m. Each is sorted as one number, weight * 512 + symbol, with the typed array's native
 * numeric sort (no comparator calls); exact while weights stay below 2^43, and a comparator sort
 * past that.
 */
function sortByWeight(n: number): number {
  let m = 0;
  let heaviest = 0;
  for (let s = 0; s < n; s++) {
    const w = weights[s]!;
    if (w <= 0) continue;
    sortKeys[m++] = w * SYMBOL_SLOTS + s;
    if (w > heaviest) heaviest = w;
  }
  if (heaviest * SYMBOL_SLOTS >= Number.MAX_SAFE_INTEGER / 2) {
    const symbols = Array.from(sortKeys.subarray(0, m), (key) => key % SYMBOL_SLOTS);
    symbols.sort((x, y) => weights[x]! - weights[y]! || x - y);
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
const lengthCount = new Uint16Array(16);
const nextCode = new Uint16Array(16);

/** Canonical codes for `lengths[0, n)` into `codes[0, n)`, bit-reversed for the LSB-first bit stream. */
export function canonicalCodes(lengths: Uint8Array, n: number, codes: Uint16Array): void {
  lengthCount.fill(0);
  for (let s = 0; s < n; s++) lengthCount[lengths[s]!]! += 1;
  lengthCount[0] = 0;
  let code = 0;
  for (let bits = 1; bits < 16; bits++) {
    code = (code + lengthCount[bits - 1]!) << 1;
    nextCode[bits] = code;
  }
  for (let s = 0; s < n; s++) {
    const len = lengths[s]!;
    codes[s] = 0;
    if (!len) continue;
    const c = nextCode[len]!;
    nextCode[len] = c + 1;
    // The code's 16 bits reversed, then its `len` meaningful bits brought down.
    codes[s] = ((REVERSED_BYTE[c & 0xff]! << 8) | REVERSED_BYTE[c >>> 8]!) >>> (16 - len);
  }
}

/**
 * Run-length form of the code lengths `lengths[0, n)`, as a block header sends them: pairs of a
 * symbol (0-18) and its extra value, flat in `out`; returns the number of pairs.
 */
export function codeLengthSymbols(lengths: Uint8Array, n: number, out: Uint8Array): number {
  let pairs = 0;
  let i = 0;
  while (i < n) {
    const l = lengths[i]!;
    let j = i + 1;
    while (j < n && lengths[j] === l) j++;
    let run = j - i;
    if (l === 0) {
      for (; run >= 11; run -= Math.min(run, 138)) pairs = pushPair(out, pairs, 18, Math.min(run, 138) - 11);
      if (run >= 3) {
        pairs = pushPair(out, pairs, 17, run - 3);
        run = 0;
      }
    } else {
      pairs = pushPair(out, pairs, l, 0);
      for (run--; run >= 3; run -= Math.min(run, 6)) pairs = pushPair(out, pairs, 16, Math.min(run, 6) - 3);
    }
    for (; run > 0; run--) pairs = pushPair(out, pairs, l, 0);
    i = j;
  }
  return pairs;
}

/** Sets pair number `pairs` of `out` to (symbol, extra); returns the new count. */
function pushPair(out: Uint8Array, pairs: number, symbol: number, extra: number): number {
  out[2 * pairs] = symbol;
  out[2 * pairs + 1] = extra;
  return pairs + 1;
}
