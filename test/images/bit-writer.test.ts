import { describe, it, expect } from 'vitest';
import { BitWriter, rowBlock } from '../../src/images/bit-writer.js';

/** A small deterministic generator, so a failure names a reproducible case. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('BitWriter.repeat', () => {
  it('writes the same bytes as writing the row code by code, for any row length, count and bit offset', () => {
    const rand = lcg(7);
    for (let c = 0; c < 400; c++) {
      const tokens = 1 + Math.floor(rand() * 12);
      const codes = new Uint32Array(tokens);
      const bitCounts = new Uint8Array(tokens);
      let rowBits = 0;
      for (let k = 0; k < tokens; k++) {
        bitCounts[k] = 1 + Math.floor(rand() * 21);
        codes[k] = Math.floor(rand() * 2 ** bitCounts[k]!);
        rowBits += bitCounts[k]!;
      }
      const times = Math.floor(rand() * 60);
      const lead = Math.floor(rand() * 16); // bits written before the row, so it starts mid-byte
      const size = Math.ceil((lead + times * rowBits + 3) / 8) + 1;
      const expected = new Uint8Array(size);
      const actual = new Uint8Array(size);
      const plain = new BitWriter(expected, 0);
      const fast = new BitWriter(actual, 0);
      for (const w of [plain, fast]) w.write((1 << lead) - 1 - (lead > 2 ? 2 : 0), lead);
      for (let r = 0; r < times; r++) plain.range(codes, bitCounts, 0, tokens);
      fast.repeat(rowBlock(codes, bitCounts, 0, tokens, rowBits), times);
      for (const w of [plain, fast]) {
        w.write(5, 3); // what follows the row joins its last bits
        w.flush();
      }
      expect(fast.pos, `case ${c}`).toBe(plain.pos);
      expect(Buffer.from(actual).equals(Buffer.from(expected)), `case ${c}: ${times} x ${rowBits} bits after ${lead}`).toBe(true);
    }
  });
});
