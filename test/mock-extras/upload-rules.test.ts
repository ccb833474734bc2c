import { describe, it, expect, beforeAll } from 'vitest';
import sharp from 'sharp';
import { checkUploads, type UploadCheck } from '../../src/mock/core/rules/upload-rules.js';
import type { UploadedFile } from '../../src/mock/core/read/multipart.js';
import { findModel, type Model } from '../../src/contract/catalogue.js';
import { buildError, errorKinds } from '../../src/contract/errors.js';
import { spec } from '../../src/contract/spec.js';
import { renderImage, renderPng } from '../../src/images/render.js';

const MB = 1024 * 1024;
const model = (id: string): Model => findModel(id)!;
const file = (bytes: Buffer, field = 'image', filename = 'x.png', contentType = 'image/png'): UploadedFile => ({ field, filename, contentType, bytes });
const png = (width: number, height: number, transparent = true, index = 0) =>
  file(renderPng({ width, height, transparent, seed: 'upload', prompt: 'rules', index }));

/** The error body the mock sends for a failed check: the spec's template filled with its vars. */
function message(check: UploadCheck): string {
  if (check.ok) throw new Error('expected a failed check');
  return (buildError(check.kind, { ...check.vars, param: check.param }).body as { error: { message: string } }).error.message;
}

function expectFailure(check: UploadCheck, kind: string, param: string): string {
  expect(check).toMatchObject({ ok: false, kind, param });
  expect(errorKinds().has(kind)).toBe(true);
  const text = message(check);
  expect(text).not.toMatch(/\{\w+\}/); // every template var was given
  return text;
}

describe('dall-e-2', () => {
  const dalle2 = model('dall-e-2');

  it('accepts a square PNG for edits (with a matching transparent mask) and for variations', () => {
    expect(checkUploads(dalle2, 'createImageEdit', { images: [png(256, 256)] })).toEqual({ ok: true, width: 256, height: 256 });
    expect(checkUploads(dalle2, 'createImageEdit', { images: [png(256, 256)], mask: png(256, 256, true, 1) })).toEqual({ ok: true, width: 256, height: 256 });
    expect(checkUploads(dalle2, 'createImageVariation', { images: [png(512, 512, false)] })).toEqual({ ok: true, width: 512, height: 512 });
  });

  it('rejects a non-square image with the documented message', () => {
    const check = checkUploads(dalle2, 'createImageEdit', { images: [png(512, 256)] });
    const text = expectFailure(check, 'invalid_image', 'image');
    // Exactly the spec's InvalidImage example.
    const example = spec().components.examples.InvalidImage!.value as { error: { message: string } };
    expect(text).toBe(example.error.message);
    expectFailure(checkUploads(dalle2, 'createImageVariation', { images: [png(300, 200)] }), 'invalid_image', 'image');
  });

  it('rejects a JPEG', async () => {
    const jpeg = file(await renderImage({ width: 256, height: 256, format: 'jpeg', seed: 's', prompt: 'p', index: 0 }), 'image', 'x.jpg', 'image/jpeg');
    const text = expectFailure(checkUploads(dalle2, 'createImageEdit', { images: [jpeg] }), 'invalid_image', 'image');
    expect(text).toContain('got a 256x256 JPEG');
  });

  it('rejects a PNG over 4 MB', async () => {
    // Noise does not compress: a 1200x1200 RGB noise PNG is over 4 MB.
    const noisy = await sharp({ create: { width: 1200, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 80 } } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noisy.length).toBeGreaterThan(4 * MB);
    const text = expectFailure(checkUploads(dalle2, 'createImageVariation', { images: [file(noisy)] }), 'invalid_image', 'image');
    expect(text).toMatch(/under 4 MB; got a 1200x1200 PNG of \d+(\.\d)? MB\.$/);
    // One byte over still reads as over.
    const justOver = Buffer.concat([png(64, 64).bytes, Buffer.alloc(4 * MB + 1 - png(64, 64).bytes.length)]);
    expect(message(checkUploads(dalle2, 'createImageEdit', { images: [file(justOver)] }))).toContain(`of ${4 * MB + 1} bytes`);
  });

  it('rejects a mask of another size, without alpha, or not a PNG', async () => {
    const size = expectFailure(checkUploads(dalle2, 'createImageEdit', { images: [png(256, 256)], mask: png(128, 128) }), 'invalid_image', 'mask');
    expect(size).toContain('same dimensions as the image (256x256); got 128x128');
    const opaque = expectFailure(checkUploads(dalle2, 'createImageEdit', { images: [png(256, 256)], mask: png(256, 256, false) }), 'invalid_image', 'mask');
    expect(opaque).toContain('alpha channel');
    const webpMask = file(await renderImage({ width: 256, height: 256, format: 'webp', transparent: true, seed: 's', prompt: 'p', index: 0 }), 'mask');
    expectFailure(checkUploads(dalle2, 'createImageEdit', { images: [png(256, 256)], mask: webpMask }), 'invalid_image', 'mask');
  });

  it('rejects two images, no image, garbage bytes, and a mask on variations', () => {
    expectFailure(checkUploads(dalle2, 'createImageEdit', { images: [png(64, 64), png(64, 64)] }), 'invalid_image', 'image');
    expectFailure(checkUploads(dalle2, 'createImageVariation', { images: [png(64, 64), png(64, 64)] }), 'invalid_image', 'image');
    const missing = checkUploads(dalle2, 'createImageEdit', { images: [] });
    expect(expectFailure(missing, 'missing_required_parameter', 'image')).toBe("Missing required parameter: 'image'.");
    const garbage = expectFailure(checkUploads(dalle2, 'createImageEdit', { images: [file(Buffer.from('not an image'))] }), 'invalid_image', 'image');
    expect(garbage).toContain('not a recognised image');
    expectFailure(checkUploads(dalle2, 'createImageVariation', { images: [png(64, 64)], mask: png(64, 64) }), 'unknown_parameter', 'mask');
  });
});

describe('gpt-image-1', () => {
  const gpt = model('gpt-image-1');
  let sixteen: UploadedFile[];
  beforeAll(() => {
    sixteen = Array.from({ length: 16 }, (_, i) => png(96, 64, false, i));
  });

  it('accepts 16 images of any shape and reports the first one', () => {
    const first = png(80, 48);
    expect(checkUploads(gpt, 'createImageEdit', { images: [first, ...sixteen.slice(1)] })).toEqual({ ok: true, width: 80, height: 48 });
  });

  it('rejects a 17th image', () => {
    const text = expectFailure(checkUploads(gpt, 'createImageEdit', { images: [...sixteen, png(96, 64)] }), 'invalid_image', 'image');
    expect(text).toContain('at most 16 images');
    expect(text).toContain('got 17');
  });

  it('accepts WebP and JPEG, rejects GIF and names the offending image', async () => {
    const webp = file(await renderImage({ width: 64, height: 64, format: 'webp', seed: 's', prompt: 'p', index: 0 }), 'image[]', 'a.webp', 'image/webp');
    const jpeg = file(await renderImage({ width: 64, height: 64, format: 'jpeg', seed: 's', prompt: 'p', index: 1 }), 'image[]', 'b.jpg', 'image/jpeg');
    expect(checkUploads(gpt, 'createImageEdit', { images: [webp, jpeg] })).toEqual({ ok: true, width: 64, height: 64 });
    const gif = file(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } }).gif().toBuffer(), 'image[]', 'c.gif', 'image/gif');
    const text = expectFailure(checkUploads(gpt, 'createImageEdit', { images: [webp, gif] }), 'invalid_image', 'image');
    expect(text).toContain('uploaded image 2 must be a PNG, JPEG or WebP under 50 MB; got a 64x64 GIF.');
  });

  it('checks the mask against the first image', () => {
    expect(checkUploads(gpt, 'createImageEdit', { images: [png(96, 64), png(32, 32)], mask: png(96, 64) }).ok).toBe(true);
    expectFailure(checkUploads(gpt, 'createImageEdit', { images: [png(96, 64), png(32, 32)], mask: png(32, 32) }), 'invalid_image', 'mask');
  });

  it('does not do variations', () => {
    expectFailure(checkUploads(gpt, 'createImageVariation', { images: [png(64, 64)] }), 'unsupported_operation', 'model');
  });
});

describe('dall-e-3', () => {
  it('supports neither edits nor variations', () => {
    const dalle3 = model('dall-e-3');
    const variation = checkUploads(dalle3, 'createImageVariation', { images: [png(64, 64)] });
    expect(variation).toEqual({ ok: false, kind: 'unsupported_operation', param: 'model', vars: { model: 'dall-e-3', operation: 'image variations' } });
    expect(expectFailure(variation, 'unsupported_operation', 'model')).toBe(
      (spec().components.examples.UnsupportedOperation!.value as { error: { message: string } }).error.message,
    );
    const edit = checkUploads(dalle3, 'createImageEdit', { images: [png(64, 64)] });
    expect(expectFailure(edit, 'unsupported_operation', 'model')).toBe("The model 'dall-e-3' does not support image edits.");
  });
});
