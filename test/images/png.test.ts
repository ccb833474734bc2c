import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { crc32, encodePng, encodePngRuns } from '../../src/images/png.js';
import { describePicture, paintRows, rasterize } from '../../src/images/pattern.js';

async function decodeRaw(png: Buffer) {
  const { data, info } = await sharp(png, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
  return { data, info };
}

/** Walk chunks, checking every CRC; returns chunk types and the concatenated IDAT data. */
function chunks(png: Buffer): { types: string[]; idat: Buffer; ihdr: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const types: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer = Buffer.alloc(0);
  let p = 8;
  while (p < png.length) {
    const len = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    const data = png.subarray(p + 8, p + 8 + len);
    expect(png.readUInt32BE(p + 8 + len)).toBe(zlib.crc32(png.subarray(p + 4, p + 8 + len)));
    types.push(type);
    if (type === 'IDAT') idat.push(data);
    if (type === 'IHDR') ihdr = data;
    p += 12 + len;
  }
  expect(p).toBe(png.length);
  return { types, idat: Buffer.concat(idat), ihdr };
}

describe('crc32', () => {
  it('matches the standard check value and zlib.crc32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    for (const n of [1, 7, 1000, 65537]) {
      const b = randomBytes(n);
      expect(crc32(b)).toBe(zlib.crc32(b));
      // chaining over a split equals one pass
      const mid = n >> 1;
      expect(crc32(b, mid, n, crc32(b, 0, mid))).toBe(zlib.crc32(b));
    }
  });
});

describe('encodePng', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [17, 33],
    [33, 17],
    [256, 3],
    [1792, 1024],
  ];

  for (const [w, h] of sizes) {
    for (const channels of [3, 4] as const) {
      it(`round-trips random ${w}x${h}x${channels} pixels through sharp`, async () => {
        const pixels = randomBytes(w * h * channels);
        const png = encodePng(pixels, w, h, channels);
        const { data, info } = await decodeRaw(png);
        expect([info.width, info.height, info.channels]).toEqual([w, h, channels]);
        expect(Buffer.compare(data, pixels)).toBe(0);
      });
    }
  }

  it('round-trips a pattern image with repeated rows (Up filter path) through sharp', async () => {
    const { runs, channels } = paintRows(describePicture('s', 'p', 0), 1792, 1024, false);
    const pixels = rasterize(runs, 1792 * channels);
    const png = encodePng(pixels, 1792, 1024, channels);
    const { data, info } = await decodeRaw(png);
    expect([info.width, info.height, info.channels]).toEqual([1792, 1024, 3]);
    expect(Buffer.compare(data, pixels)).toBe(0);
    expect(png.length).toBeLessThan(64 * 1024); // mostly zero runs after filtering
  });

  it('writes IHDR/IDAT/IEND with valid CRCs and Up filters for repeated rows', () => {
    const w = 40;
    const h = 6;
    const pixels = Buffer.alloc(w * h * 4);
    // rows 0-2 identical, row 3 different, rows 4-5 identical to row 3
    for (let y = 0; y < h; y++) pixels.fill(y < 3 ? 0x11 : 0x99, y * w * 4, (y + 1) * w * 4);
    const png = encodePng(pixels, w, h, 4);
    const { types, idat, ihdr } = chunks(png);
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(ihdr.readUInt32BE(0)).toBe(w);
    expect(ihdr.readUInt32BE(4)).toBe(h);
    expect([...ihdr.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    const raw = zlib.inflateSync(idat); // also verifies the Adler-32 trailer
    const stride = w * 4 + 1;
    expect(raw.length).toBe(h * stride);
    const filters = Array.from({ length: h }, (_, y) => raw[y * stride]);
    expect(filters).toEqual([1, 2, 2, 1, 2, 2]);
    // Up rows carry only zeros
    expect(raw.subarray(stride + 1, 2 * stride).every((b) => b === 0)).toBe(true);
  });

  it('uses colour type 2 for RGB', () => {
    const { ihdr } = chunks(encodePng(Buffer.alloc(3 * 4 * 4), 4, 4, 3));
    expect(ihdr[9]).toBe(2);
  });

  it('honours the zlib level and stays decodable at level 0 and 9', async () => {
    const pixels = randomBytes(20 * 10 * 3);
    for (const level of [0, 9]) {
      const { data } = await decodeRaw(encodePng(pixels, 20, 10, 3, { level }));
      expect(Buffer.compare(data, pixels)).toBe(0);
    }
    expect(() => encodePng(pixels, 20, 10, 3, { level: 10 })).toThrow(RangeError);
  });

  it('rejects inconsistent geometry', () => {
    expect(() => encodePng(Buffer.alloc(11), 2, 2, 3)).toThrow(RangeError);
    expect(() => encodePng(Buffer.alloc(0), 0, 1, 3)).toThrow(RangeError);
    expect(() => encodePng(Buffer.alloc(6), 1.5, 1, 3)).toThrow(RangeError);
    expect(() => encodePng(Buffer.alloc(2), 1, 1, 2 as 3)).toThrow(RangeError);
  });

  it('encodePngRuns produces the same bytes as encodePng on the rasterised picture', () => {
    for (const index of [0, 1, 2, 3, 4, 5]) {
      const { runs, channels } = paintRows(describePicture('seed', 'prompt', index), 97, 61, index % 2 === 1);
      const viaRuns = encodePngRuns(runs, 97, 61, channels);
      const viaPixels = encodePng(rasterize(runs, 97 * channels), 97, 61, channels);
      expect(viaRuns.equals(viaPixels)).toBe(true);
    }
    const row = new Uint8Array(9);
    expect(() => encodePngRuns([{ row, count: 2 }], 3, 3, 3)).toThrow(RangeError);
  });
});

describe('encodePngRuns direct zlib stream (rows that repeat)', () => {
  /** The filtered scanlines of a PNG's IDAT (inflateSync also checks the Adler-32). */
  const scanlines = (png: Buffer) => zlib.inflateSync(chunks(png).idat);

  it('inflates to the same scanlines as the zlib path, and sharp decodes it to the painted pixels', async () => {
    const sizes: [number, number][] = [[1, 1], [2, 9], [17, 33], [97, 61], [1024, 1024], [1792, 1024], [1024, 1792], [8192, 40], [3, 4000]];
    for (const [w, h] of sizes) {
      for (const transparent of [false, true]) {
        for (const index of [0, 1, 2, 3, 5, 8]) {
          const { runs, channels } = paintRows(describePicture(`seed ${w}`, `prompt ${h} ${index}`, index), w, h, transparent);
          const direct = encodePngRuns(runs, w, h, channels);
          const viaZlib = encodePngRuns(runs, w, h, channels, { level: 1 });
          expect(scanlines(direct).equals(scanlines(viaZlib)), `${w}x${h}x${channels} #${index}`).toBe(true);
          if (w * h <= 2_000_000 && index < 2) {
            const { data, info } = await decodeRaw(direct);
            expect([info.width, info.height, info.channels]).toEqual([w, h, channels]);
            expect(Buffer.compare(data, rasterize(runs, w * channels))).toBe(0);
          }
        }
      }
    }
  });

  it('writes Sub rows where a run starts and Up rows for its repeats, in about the size zlib makes', () => {
    const w = 300;
    const rows = [randomBytes(w * 3), Buffer.alloc(w * 3, 7), randomBytes(w * 3)];
    // Run lengths around the encoder's block copy (2 to 3 blocks of up to 8 repeats), and a run
    // starting with the row above (written Up).
    const runs = [
      { row: rows[0]!, count: 1 },
      { row: rows[1]!, count: 23 },
      { row: rows[1]!, count: 2 },
      { row: rows[2]!, count: 40 },
      { row: rows[0]!, count: 255 },
    ];
    const h = runs.reduce((n, r) => n + r.count, 0);
    const direct = encodePngRuns(runs, w, h, 3);
    const raw = scanlines(direct);
    const stride = w * 3 + 1;
    const filters = Array.from({ length: h }, (_, y) => raw[y * stride]);
    const starts = new Set([0, 1, 26, 66]);
    expect(filters.every((f, y) => f === (starts.has(y) ? 1 : 2))).toBe(true);
    expect(raw.equals(scanlines(encodePngRuns(runs, w, h, 3, { level: 1 })))).toBe(true);
    expect(direct.length).toBeLessThan(encodePngRuns(runs, w, h, 3, { level: 9 }).length * 1.25);
  });

  it('round-trips random rows with random repeats through sharp (RGB and RGBA)', async () => {
    for (let k = 0; k < 40; k++) {
      const w = 1 + ((k * 37) % 211);
      const channels = k % 2 ? 4 : 3;
      const runs: { row: Buffer; count: number }[] = [];
      for (let r = 0; r < 1 + (k % 5); r++) {
        const row = r % 2 ? randomBytes(w * channels) : Buffer.alloc(w * channels, r * 53);
        runs.push({ row, count: 4 + ((k * 13 + r * 7) % 60) });
      }
      const h = runs.reduce((n, r) => n + r.count, 0);
      const png = encodePngRuns(runs, w, h, channels as 3 | 4);
      const { data } = await decodeRaw(png);
      expect(Buffer.compare(data, rasterize(runs, w * channels))).toBe(0);
    }
  });
});
