import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { describePicture, paintRows, rasterize } from '../../src/images/pattern.js';
import { renderPng } from '../../src/images/render.js';

const prompts = Array.from({ length: 40 }, (_, i) => `prompt number ${i}: ${'a cat '.repeat(i % 5)}on a mat`);

/** Most frequent RGB value of a decoded image and its share of pixels. */
async function dominant(png: Buffer): Promise<{ rgb: [number, number, number]; share: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i += info.channels) {
    const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [k, c] of counts) if (c > bestCount) [best, bestCount] = [k, c];
  return { rgb: [best >> 16, (best >> 8) & 255, best & 255], share: bestCount / (info.width * info.height) };
}

describe('describePicture', () => {
  it('is deterministic plain data', () => {
    const a = describePicture('seed', 'a red fox', 3);
    expect(describePicture('seed', 'a red fox', 3)).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('takes colours from the prompt only and geometry from seed+index', () => {
    const a = describePicture('seed-1', 'a red fox', 0);
    const b = describePicture('seed-2', 'a red fox', 5);
    expect(b.background).toEqual(a.background);
    expect(b.accents).toEqual(a.accents);
    expect(describePicture('seed-1', 'a blue fox', 0).background).not.toEqual(a.background);
    const geometries = new Set(
      Array.from({ length: 20 }, (_, i) => {
        const p = describePicture('seed-1', 'a red fox', i);
        return JSON.stringify([p.kind, p.divisions, p.duty, p.phase]);
      }),
    );
    expect(geometries.size).toBeGreaterThan(10);
  });

  it('keeps every accent distinct from the background', () => {
    for (const prompt of prompts) {
      const p = describePicture('s', prompt, 0);
      for (const a of p.accents) {
        const d = Math.abs(a[0] - p.background[0]) + Math.abs(a[1] - p.background[1]) + Math.abs(a[2] - p.background[2]);
        expect(d).toBeGreaterThanOrEqual(90);
      }
    }
  });

  it('has a signature injective in index', () => {
    const sigs = new Set(Array.from({ length: 1000 }, (_, i) => describePicture('s', 'p', i).signature));
    expect(sigs.size).toBe(1000);
  });

  it('rejects invalid indices', () => {
    expect(() => describePicture('s', 'p', -1)).toThrow(RangeError);
    expect(() => describePicture('s', 'p', 0.5)).toThrow(RangeError);
  });
});

describe('paintRows', () => {
  it('describes every row with few distinct scanlines', () => {
    for (let index = 0; index < 12; index++) {
      const { runs, channels } = paintRows(describePicture('s', 'p', index), 1792, 1024);
      expect(channels).toBe(3);
      expect(runs.reduce((n, r) => n + r.count, 0)).toBe(1024);
      expect(new Set(runs.map((r) => r.row)).size).toBeLessThanOrEqual(40);
      for (const r of runs) expect(r.row.length).toBe(1792 * 3);
    }
  });

  it('paints transparent pictures with alpha 0 background and opaque accents only', () => {
    const { runs, channels } = paintRows(describePicture('s', 'p', 1), 64, 48, true);
    expect(channels).toBe(4);
    const px = rasterize(runs, 64 * 4);
    const alphas = new Set<number>();
    let clear = 0;
    for (let i = 3; i < px.length; i += 4) {
      alphas.add(px[i]!);
      if (px[i] === 0) clear++;
    }
    expect([...alphas].sort((a, b) => a - b)).toEqual([0, 255]);
    expect(clear / (64 * 48)).toBeGreaterThan(0.5);
  });

  it('handles degenerate sizes', () => {
    for (const [w, h] of [
      [1, 1],
      [1, 500],
      [500, 1],
      [2, 3],
    ] as const) {
      for (let index = 0; index < 8; index++) {
        const { runs } = paintRows(describePicture('s', 'p', index), w, h);
        expect(rasterize(runs, w * 3).length).toBe(w * h * 3);
      }
    }
  });
});

describe('picture identity', () => {
  it('different index => different bytes and pixels, over many prompts and sizes', () => {
    for (const [w, h] of [
      [16, 16],
      [64, 64],
      [256, 128],
    ] as const) {
      for (const prompt of prompts) {
        const seen = new Set<string>();
        const seenPixels = new Set<string>();
        for (let index = 0; index < 10; index++) {
          seen.add(renderPng({ width: w, height: h, seed: 'seed', prompt, index }).toString('base64'));
          const { runs } = paintRows(describePicture('seed', prompt, index), w, h);
          seenPixels.add(rasterize(runs, w * 3).toString('base64'));
        }
        expect(seen.size).toBe(10);
        expect(seenPixels.size).toBe(10);
      }
    }
  });

  it('different seed or prompt => different bytes', () => {
    const base = renderPng({ width: 128, height: 96, seed: 'seed', prompt: 'a boat', index: 0 });
    for (let i = 0; i < 30; i++) {
      expect(renderPng({ width: 128, height: 96, seed: `seed-${i}`, prompt: 'a boat', index: 0 }).equals(base)).toBe(false);
      expect(renderPng({ width: 128, height: 96, seed: 'seed', prompt: `a boat ${i}`, index: 0 }).equals(base)).toBe(false);
    }
  });

  it('same prompt => same dominant colour (the background), whatever the seed, index or size', async () => {
    for (const prompt of prompts.slice(0, 8)) {
      const bg = describePicture('x', prompt, 0).background;
      for (const [seed, index, w, h] of [
        ['a', 0, 256, 256],
        ['b', 3, 300, 200],
        ['c', 7, 1024, 1024],
      ] as const) {
        const { rgb, share } = await dominant(renderPng({ width: w, height: h, seed, prompt, index }));
        expect(rgb).toEqual([...bg]);
        expect(share).toBeGreaterThan(0.4);
      }
    }
  });
});
