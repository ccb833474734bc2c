// The mock's per-request fast paths give the same bytes as the plain way: media tokens signed with
// the prepared HMAC, answer bodies written without JSON.stringify's pass over the payloads, and a
// repeated request's body reused within its second, PNGs drawn on render threads.
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPng } from '../../src/images/render.js';
import { imageJson, mediaUrlJson, openaiBody } from '../../src/mock/core/answer/image-answer.js';
import { MediaTokens, type MediaRender } from '../../src/mock/core/media/media-tokens.js';
import { RenderPool } from '../../src/mock/core/media/render-pool.js';
import { createMockServer } from '../../src/mock/node/server.js';
import { JSON_HEADERS, post } from './helpers.js';

const render = (prompt: string, extra: Partial<MediaRender> = {}): MediaRender => ({
  format: 'png',
  width: 1024,
  height: 1024,
  transparent: false,
  compression: 100,
  index: 0,
  seed: 'se"ed',
  prompt,
  ...extra,
});

describe('media tokens', () => {
  it('are base64url(JSON payload).base64url(HMAC-SHA256), for secrets of any length', () => {
    const now = () => 1_700_000_000_000;
    for (const secretBytes of [0, 1, 32, 63, 64, 65, 200]) {
      const secret = randomBytes(secretBytes);
      const tokens = new MediaTokens(secret, now);
      for (const prompt of ['', 'a', 'x'.repeat(55), 'x'.repeat(1400), 'émoji 🎨 "quoted" \\ and\nlines']) {
        for (const extra of [{}, { format: 'webp' as const, transparent: true, compression: 77.5, index: 3 }]) {
          const r = render(prompt, extra);
          const { token, expiresAt } = tokens.sign(r, 3600);
          const [payload, signature] = token.split('.');
          expect(expiresAt).toBe(1_700_000_000 + 3600);
          expect(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))).toEqual([1, expiresAt, ['png', 'jpeg', 'webp'].indexOf(r.format), r.width, r.height, r.transparent ? 1 : 0, r.compression, r.index, r.seed, r.prompt]);
          expect(signature).toBe(createHmac('sha256', secret).update(payload!).digest('base64url'));
          expect(tokens.verify(token)).toEqual({ ok: true, expiresAt, render: r });
        }
      }
    }
  });

  it('are refused when forged or signed with another secret', () => {
    const a = new MediaTokens(Buffer.from('secret a'), Date.now);
    const b = new MediaTokens(Buffer.from('secret b'), Date.now);
    const { token } = a.sign(render('a cat'), 60);
    expect(b.verify(token)).toEqual({ ok: false, kind: 'media_not_found' });
    const [payload, signature] = token.split('.');
    const other = Buffer.from(JSON.stringify([1, 9_999_999_999, 0, 1, 1, 0, 100, 0, 's', 'p'])).toString('base64url');
    expect(a.verify(`${other}.${signature}`)).toEqual({ ok: false, kind: 'media_not_found' });
    expect(a.verify(`${payload}.${signature}`).ok).toBe(true);
  });
});

describe('answer bodies', () => {
  it('are exactly JSON.stringify({ created, data, ...extras })', () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    const extras = fc.dictionary(fc.constantFrom('size', 'output_format', 'quality', 'background', 'usage', 'perf', 'metadata'), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(fc.oneof(text.map((url) => ({ url })), fc.base64String({ maxLength: 64 }).map((b64) => ({ b64 }))), { minLength: 1, maxLength: 4 }), fc.option(text, { nil: undefined }), extras, (created, images, revised, extra) => {
        const expected = JSON.stringify({
          created,
          data: images.map((i) => ({ ...('url' in i ? { url: i.url } : { b64_json: i.b64 }), ...(revised !== undefined ? { revised_prompt: revised } : {}) })),
          ...extra,
        });
        const items = images.map((i) => ('url' in i ? imageJson(JSON.stringify(i.url), null, revised) : imageJson(null, i.b64, revised)));
        expect(openaiBody(created, items, extra)).toBe(expected);
      }),
    );
  });

  it('write media URLs as JSON.stringify does, whatever the base (the base is escaped once)', () => {
    const token = fc.tuple(fc.base64String({ maxLength: 80 }), fc.base64String({ minLength: 4, maxLength: 44 })).map(([p, s]) => `${p.replace(/[+/=]/g, '_')}.${s.replace(/[+/=]/g, '-')}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), token), { minLength: 1, maxLength: 5 }), (pairs) => {
        for (const [base, t] of pairs) expect(mediaUrlJson(base, t)).toBe(JSON.stringify(`${base}/media/${t}`));
      }),
    );
  });
});

/** A POST with its own Host header (fetch does not let one set it). */
function postWithHost(port: number, host: string, body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/images/generations', method: 'POST', headers: { ...JSON_HEADERS, host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('repeated requests', () => {
  it('get the same body within a second, a new one in the next, and the Host they used', async () => {
    let now = 1_700_000_000_250;
    const { server } = createMockServer({ now: () => now, seed: 'repeat' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/v1/images/generations`;
      const body = { model: 'dall-e-2', prompt: 'the same request', response_format: 'url' };
      const texts = [];
      for (let i = 0; i < 4; i++) texts.push((await post(url, body)).text);
      expect(new Set(texts).size).toBe(1);
      const first = JSON.parse(texts[0]!);
      expect(first.created).toBe(1_700_000_000);
      expect(first.data[0].url.startsWith(`http://127.0.0.1:${port}/v1/media/`)).toBe(true);

      const other = JSON.parse(await postWithHost(port, `images.example:${port}`, body));
      expect(other.data[0].url.startsWith(`http://images.example:${port}/v1/media/`)).toBe(true);
      expect(other.data[0].url.split('/media/')[1]).toBe(first.data[0].url.split('/media/')[1]);

      now += 1000;
      const later = await post(url, body);
      expect(later.json.created).toBe(1_700_000_001);
      expect(later.text).not.toBe(texts[0]);
      const media = await fetch(later.json.data[0].url);
      expect(media.status).toBe(200);
      expect(media.headers.get('content-type')).toBe('image/png');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('render threads', () => {
  it('draw the same PNG as the calling thread, and report a failed render', async () => {
    const pool = new RenderPool(1);
    for (const [width, height] of [[1024, 1024], [300, 700], [64, 64]] as const) {
      for (const transparent of [false, true]) {
        const request = { width, height, transparent, seed: 'threads', prompt: `a ${width} picture`, index: 2 };
        const drawn = await pool.render(request);
        expect(Buffer.isBuffer(drawn)).toBe(true);
        expect(drawn.equals(renderPng(request))).toBe(true);
      }
    }
    // 9000 px wide is past MAX_IMAGE_DIMENSION: renderPng throws in the thread, the promise rejects.
    await expect(Promise.resolve(pool.render({ width: 9000, height: 100, seed: 's', prompt: 'p', index: 0 }))).rejects.toThrow(/width must be an integer/);
    expect((await pool.render({ width: 512, height: 512, seed: 's', prompt: 'after', index: 0 })).length).toBeGreaterThan(0);
    expect(pool.threaded).toBe(true); // the thread started from the TypeScript sources and is still up
  });

  it('are not used for small pictures or a pool of size 0', () => {
    const request = { width: 1024, height: 1024, seed: 's', prompt: 'p', index: 0 };
    expect(Buffer.isBuffer(new RenderPool(0).render(request))).toBe(true);
    expect(Buffer.isBuffer(new RenderPool(1).render({ ...request, width: 100, height: 100 }))).toBe(true);
  });
});
