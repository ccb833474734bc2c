// LSB-first bit writer for deflate streams, into a buffer sized in advance. A row written many
// times over (the Up rows of a picture, thousands of them) is written from its bits, a byte at a
// time, and mostly as byte copies: `period` copies of a row end on a byte boundary, so past the
// first block of them every block is the same bytes.

/** A row's codes as bits from a byte boundary: `period` copies, `size` bytes, ready to be repeated. */
export interface RowBlock {
  bytes: Uint8Array;
  size: number;
  period: number;
  rowBits: number;
}

export class BitWriter {
  private bits = 0;
  private count = 0;

  constructor(
    private readonly out: Uint8Array,
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

  /** Writes `codes[start, end)` (value and bit count pairs) once (the hot loop, on locals). */
  range(codes: Uint32Array, bitCounts: Uint8Array, start: number, end: number): void {
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

  /** Writes the row of `block` `times` times. */
  repeat(block: RowBlock, times: number): void {
    const { bytes, size, period, rowBits } = block;
    const blocks = Math.floor(times / period);
    if (blocks > 0) {
      const first = this.pos;
      this.bitsFrom(bytes, size * 8);
      if (blocks > 1) {
        // The next block is the same bytes but for the low bits of its first byte: there, where the
        // first block has the bits pending before it, the next has those the first left pending.
        const second = first + size;
        const pending = (1 << this.count) - 1;
        this.out.copyWithin(second + 1, first + 1, second);
        this.out[second] = (this.out[first]! & ~pending) | (this.bits & pending);
        // Every block after it is the same bytes again (and leaves the same bits pending).
        for (let have = 1; have < blocks - 1; ) {
          const add = Math.min(have, blocks - 1 - have);
          this.out.copyWithin(second + have * size, second, second + add * size);
          have += add;
        }
        this.pos = first + blocks * size;
      }
    }
    // Fewer than `period` copies left: the block's first bits.
    this.bitsFrom(bytes, (times % period) * rowBits);
  }

  /** Writes the first `n` bits of `src` (LSB first from src[0]). */
  private bitsFrom(src: Uint8Array, n: number): void {
    const out = this.out;
    const count = this.count;
    let bits = this.bits;
    let pos = this.pos;
    const whole = n >>> 3;
    // Each whole byte of src pushes out exactly one byte; the pending bit count stays the same.
    for (let i = 0; i < whole; i++) {
      bits |= src[i]! << count;
      out[pos++] = bits & 0xff;
      bits >>>= 8;
    }
    this.bits = bits;
    this.pos = pos;
    if (n & 7) this.write(src[whole]! & ((1 << (n & 7)) - 1), n & 7);
  }

  /** Pads the last byte with zero bits. */
  flush(): void {
    if (this.count > 0) this.out[this.pos++] = this.bits & 0xff;
    this.bits = 0;
    this.count = 0;
  }
}

/** The bits of `codes[start, end)` (`rowBits` in all), as a block to repeat. */
export function rowBlock(codes: Uint32Array, bitCounts: Uint8Array, start: number, end: number, rowBits: number): RowBlock {
  const period = 8 / gcd(rowBits % 8, 8);
  const size = (period * rowBits) / 8;
  const bytes = new Uint8Array(size);
  const w = new BitWriter(bytes, 0);
  for (let r = 0; r < period; r++) w.range(codes, bitCounts, start, end);
  return { bytes, size, period, rowBits };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
