// Stateless signed media tokens: `base64url(payload).base64url(HMAC-SHA256(payload))`, where the
// payload holds every input of the picture and the expiry. Nothing is stored: the image is
// rendered again when the URL is fetched, and replicas given the same secret accept each other's
// tokens. A bad signature is `media_not_found`, a good one past its expiry `media_expired`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ImageFormat } from '../images/render.js';
import { Memo } from './memo.js';

/** Everything a picture depends on (see src/images renderImage). */
export interface MediaRender {
  format: ImageFormat;
  width: number;
  height: number;
  transparent: boolean;
  /** 0-100, JPEG/WebP only. */
  compression: number;
  index: number;
  seed: string;
  prompt: string;
}

export type MediaLookup =
  | { ok: true; render: MediaRender; expiresAt: number }
  | { ok: false; kind: 'media_not_found' | 'media_expired' };

const VERSION = 1;
const FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];
const TOKEN = /^[A-Za-z0-9_-]{1,4000}\.[A-Za-z0-9_-]{43}$/;
const NOT_FOUND: MediaLookup = { ok: false, kind: 'media_not_found' };

export class MediaTokens {
  /** The same picture signed in the same second gets the same token: one HMAC, not one per request. */
  private readonly signed = new Memo<string, string>(1024);

  constructor(
    private readonly secret: Buffer,
    /** ms clock */
    private readonly now: () => number,
  ) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }

  /** A token valid for `ttlSeconds` from now; `expiresAt` is unix seconds. */
  sign(render: MediaRender, ttlSeconds: number): { token: string; expiresAt: number } {
    const expiresAt = Math.floor(this.now() / 1000) + ttlSeconds;
    const fields = [VERSION, expiresAt, FORMATS.indexOf(render.format), render.width, render.height, render.transparent ? 1 : 0, render.compression, render.index, render.seed, render.prompt];
    const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
    let token = this.signed.get(payload);
    if (token === undefined) {
      token = `${payload}.${this.mac(payload).toString('base64url')}`;
      this.signed.set(payload, token);
    }
    return { token, expiresAt };
  }

  verify(token: string): MediaLookup {
    if (!TOKEN.test(token)) return NOT_FOUND;
    const dot = token.indexOf('.');
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return NOT_FOUND;
    let fields: unknown;
    try {
      fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return NOT_FOUND;
    }
    if (!Array.isArray(fields) || fields[0] !== VERSION || fields.length !== 10) return NOT_FOUND;
    const [, expiresAt, format, width, height, transparent, compression, index, seed, prompt] = fields as unknown[];
    if (typeof expiresAt !== 'number' || typeof seed !== 'string' || typeof prompt !== 'string' || !FORMATS[format as number]) return NOT_FOUND;
    if (Math.floor(this.now() / 1000) >= expiresAt) return { ok: false, kind: 'media_expired' };
    return {
      ok: true,
      expiresAt,
      render: {
        format: FORMATS[format as number]!,
        width: width as number,
        height: height as number,
        transparent: transparent === 1,
        compression: compression as number,
        index: index as number,
        seed,
        prompt,
      },
    };
  }
}
