import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { decodeImage, formatFromMime, sniffImage } from '../../src/images/inspect.js';
import { renderImage, renderPng } from '../../src/images/render.js';

const req = { seed: 's', prompt: 'a red kite', index: 1, width: 97, height: 61 };
const rgba = (w: number, h: number) => {
  const px = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) px.set([i % 256, 40, 200, i % 3 === 0 ? 0 : 255], i * 4);
  return sharp(px, { raw: { width: w, height: h, channels: 4 } });
};

/** Deterministic pseudo-random bytes (xorshift) so fuzz failures are reproducible. */
function noise(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

describe('sniffImage', () => {
  it('reads size and alpha from PNG, JPEG (baseline and progressive), WebP (VP8, VP8L, VP8X) and GIF', async () => {
    const cases: [Buffer, object][] = [
      [renderPng(req), { format: 'png', width: 97, height: 61, hasAlpha: false }],
      [renderPng({ ...req, transparent: true }), { format: 'png', width: 97, height: 61, hasAlpha: true }],
      [await rgba(30, 20).png({ palette: true }).toBuffer(), { format: 'png', width: 30, height: 20, hasAlpha: true }],
      [await renderImage({ ...req, format: 'jpeg' }), { format: 'jpeg', width: 97, height: 61, hasAlpha: false }],
      [
        await rgba(300, 200).removeAlpha().jpeg({ progressive: true }).toBuffer(),
        { format: 'jpeg', width: 300, height: 200, hasAlpha: false },
      ],
      [await renderImage({ ...req, format: 'webp' }), { format: 'webp', width: 97, height: 61, hasAlpha: false }],
      [await rgba(31, 9).webp({ lossless: true }).toBuffer(), { format: 'webp', width: 31, height: 9, hasAlpha: true }],
      [
        await rgba(31, 9).removeAlpha().webp({ lossless: true }).toBuffer(),
        { format: 'webp', width: 31, height: 9, hasAlpha: false },
      ],
      [
        await renderImage({ ...req, format: 'webp', transparent: true }),
        { format: 'webp', width: 97, height: 61, hasAlpha: true },
      ],
      [await rgba(40, 25).gif().toBuffer(), { format: 'gif', width: 40, height: 25, hasAlpha: null }],
    ];
    for (const [buf, expected] of cases) expect(sniffImage(buf)).toEqual(expected);
    // the VP8L and VP8X paths really were exercised
    expect(cases[6]![0].toString('latin1', 12, 16)).toBe('VP8L');
    expect(cases[8]![0].toString('latin1', 12, 16)).toBe('VP8X');
  });

  it('skips JPEG APPn segments and fill bytes before the frame header', async () => {
    const jpeg = await renderImage({ ...req, format: 'jpeg' });
    const app = Buffer.from([0xff, 0xe1, 0x00, 0x06, 1, 2, 3, 4, 0xff, 0xff]);
    const patched = Buffer.concat([jpeg.subarray(0, 2), app, jpeg.subarray(2)]);
    expect(sniffImage(patched)).toMatchObject({ format: 'jpeg', width: 97, height: 61 });
  });

  it('returns null for empty, garbage and truncated headers without throwing', async () => {
    expect(sniffImage(new Uint8Array(0))).toBeNull();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(Buffer.from('{"error":"nope"}'))).toBeNull();
    expect(sniffImage(null as unknown as Uint8Array)).toBeNull();
    const heads: [Buffer, number][] = [
      [renderPng(req), 33], // signature + IHDR chunk
      [await renderImage({ ...req, format: 'webp' }), 30],
      [await rgba(40, 25).gif().toBuffer(), 10],
    ];
    for (const [buf, need] of heads) {
      for (let n = 0; n < need; n++) expect(sniffImage(buf.subarray(0, n))).toBeNull();
    }
    // JPEG: every prefix that stops before the SOF dimensions is null
    const jpeg = await renderImage({ ...req, format: 'jpeg' });
    let firstHit = -1;
    for (let n = 0; n <= 2000 && n <= jpeg.length; n++) {
      const r = sniffImage(jpeg.subarray(0, n));
      if (r && firstHit < 0) firstHit = n;
      if (r) expect(r).toMatchObject({ width: 97, height: 61 });
      else expect(firstHit).toBe(-1);
    }
    expect(firstHit).toBeGreaterThan(4);
  });

  it('never throws on random bytes, with or without a valid magic number', () => {
    const magics = [
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from([0xff, 0xd8, 0xff]),
      Buffer.from('RIFF\0\0\0\0WEBPVP8 '),
      Buffer.from('RIFF\0\0\0\0WEBPVP8L'),
      Buffer.from('RIFF\0\0\0\0WEBPVP8X'),
      Buffer.from('GIF89a'),
      Buffer.alloc(0),
    ];
    for (let i = 0; i < 3000; i++) {
      const buf = Buffer.concat([magics[i % magics.length]!, noise(i % 97, i + 1)]);
      const r = sniffImage(buf);
      if (r) {
        expect(r.width).toBeGreaterThan(0);
        expect(r.height).toBeGreaterThan(0);
      }
    }
  });

  it('reports unknown alpha for a PNG cut off before IDAT, and sees tRNS', async () => {
    const png = renderPng(req);
    expect(sniffImage(png.subarray(0, 33))).toMatchObject({ format: 'png', hasAlpha: null });
    const palette = await rgba(30, 20).png({ palette: true }).toBuffer();
    expect(palette.includes(Buffer.from('tRNS'))).toBe(true);
    expect(palette[25]).toBe(3);
  });
});

describe('decodeImage', () => {
  it('decodes real images of every format', async () => {
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const d = await decodeImage(await renderImage({ ...req, format }));
      expect(d).toMatchObject({ ok: true, format, width: 97, height: 61, channels: 3, hasAlpha: false });
    }
    const gif = await decodeImage(await rgba(40, 25).gif().toBuffer());
    expect(gif).toMatchObject({ ok: true, format: 'gif', width: 40, height: 25, hasAlpha: true });
    if (gif.ok) expect(gif.transparentPixelRatio).toBeGreaterThan(0.2);
  });

  it('returns ok:false for truncated images', async () => {
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const buf = await renderImage({ ...req, format, width: 300, height: 300, index: 2 });
      for (const frac of [0.5, 0.9]) {
        const d = await decodeImage(buf.subarray(0, Math.floor(buf.length * frac)));
        expect(d.ok, `${format} cut at ${frac}`).toBe(false);
      }
    }
    // a PNG missing only IEND still lacks its end: the decoder must notice
    const png = renderPng({ ...req, width: 300, height: 300 });
    expect((await decodeImage(png.subarray(0, png.length - 12))).ok).toBe(false);
  });

  it('returns ok:false for PNGs cut inside the last chunks (which sharp alone accepts)', async () => {
    const png = renderPng({ ...req, width: 300, height: 300 });
    for (const cut of [1, 4, 12, 13, 16]) {
      const d = await decodeImage(png.subarray(0, png.length - cut));
      expect(d.ok, `cut ${cut}`).toBe(false);
    }
    // bytes after IEND are tolerated, like real decoders do
    expect((await decodeImage(Buffer.concat([png, Buffer.from('trailing')]))).ok).toBe(true);
  });

  it('returns ok:false for a PNG with corrupted compressed data', async () => {
    const png = Buffer.from(renderPng({ ...req, width: 300, height: 300 }));
    const idat = png.indexOf('IDAT');
    for (let i = idat + 10; i < idat + 60; i++) png[i] = png[i]! ^ 0x5a;
    expect((await decodeImage(png)).ok).toBe(false);
  });

  it('returns ok:false (never throws) for garbage, empty and non-image input', async () => {
    const inputs: unknown[] = [
      randomBytes(5000),
      Buffer.alloc(0),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(200, 7)]),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), noise(200, 9)]),
      null,
      'not bytes',
    ];
    for (const input of inputs) {
      const d = await decodeImage(input as Uint8Array);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.reason.length).toBeGreaterThan(0);
    }
  });

  it('enforces the pixel limit before decoding', async () => {
    const png = renderPng({ ...req, width: 2000, height: 2000 });
    const d = await decodeImage(png, { maxPixels: 1e6 });
    expect(d).toMatchObject({ ok: false });
    if (!d.ok) expect(d.reason).toMatch(/pixel limit/);
    expect((await decodeImage(png)).ok).toBe(true);
  });

  it('computes the transparent ratio exactly on small images', async () => {
    const px = Buffer.alloc(10 * 10 * 4, 255);
    for (let i = 0; i < 25; i++) px[i * 4 + 3] = 0;
    const png = await sharp(px, { raw: { width: 10, height: 10, channels: 4 } }).png().toBuffer();
    expect(await decodeImage(png)).toMatchObject({ ok: true, hasAlpha: true, transparentPixelRatio: 0.25 });
  });
});

describe('formatFromMime', () => {
  it('maps image content types, ignoring parameters and case', () => {
    expect(formatFromMime('image/png')).toBe('png');
    expect(formatFromMime('IMAGE/JPEG; charset=binary')).toBe('jpeg');
    expect(formatFromMime('image/jpg')).toBe('jpeg');
    expect(formatFromMime(' image/webp ')).toBe('webp');
    expect(formatFromMime('image/gif')).toBe('gif');
    expect(formatFromMime('image/svg+xml')).toBeNull();
    expect(formatFromMime('application/octet-stream')).toBeNull();
    expect(formatFromMime('')).toBeNull();
    expect(formatFromMime(null)).toBeNull();
  });
});
