// Stateless signed media tokens: `base64url(payload).base64url(HMAC-SHA256(payload))`, where the
// payload holds every input of the picture and the expiry. Nothing is stored: the image is
// rendered again when the URL is fetched, and replicas given the same secret accept each other's
// tokens. A bad signature is `media_not_found`, a good one past its expiry `media_expired`.
import { hash, timingSafeEqual } from 'node:crypto';
import type { ImageFormat } from '../../../images/render.js';
import { RecentMap } from '../memo.js';

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

const SHA256_BLOCK = 64;

/**
 * HMAC-SHA256 (RFC 2104) with the padded keys prepared once: H((K ^ opad) || H((K ^ ipad) || m))
 * as two one-shot hashes. Same bytes as createHmac('sha256', key), without building an HMAC
 * context (key schedule, digest lookup, stream object) for every token.
 */
class HmacSha256 {
  /** K ^ ipad, then the message. */
  private inner: Buffer;
  /** K ^ opad, then the inner digest. */
  private readonly outer = Buffer.alloc(SHA256_BLOCK + 32);

  constructor(secret: Buffer) {
    const key = secret.length > SHA256_BLOCK ? hash('sha256', secret, 'buffer') : secret;
    this.inner = Buffer.alloc(SHA256_BLOCK + 512);
    for (let i = 0; i < SHA256_BLOCK; i++) {
      const k = key[i] ?? 0;
      this.inner[i] = k ^ 0x36;
      this.outer[i] = k ^ 0x5c;
    }
  }

  /** The MAC of an ASCII message (token payloads are base64url), as base64url. */
  digestBase64url(message: string): string {
    this.innerDigest(message);
    return hash('sha256', this.outer, 'base64url');
  }

  /** H((K ^ ipad) || message), written after K ^ opad. */
  private innerDigest(message: string): void {
    if (SHA256_BLOCK + message.length > this.inner.length) {
      const bigger = Buffer.alloc(SHA256_BLOCK + message.length * 2);
      this.inner.copy(bigger, 0, 0, SHA256_BLOCK);
      this.inner = bigger;
    }
    const end = SHA256_BLOCK + this.inner.write(message, SHA256_BLOCK, 'latin1');
    hash('sha256', this.inner.subarray(0, end), 'buffer').copy(this.outer, SHA256_BLOCK);
  }
}

/** A number as JSON.stringify writes it (finite numbers as themselves, others as null). */
function jsonNumber(n: number): string | number {
  return Number.isFinite(n) ? n : 'null';
}

/** UTF-8 bytes of payloads up to this size are encoded through one reused buffer (larger: a fresh one). */
const SCRATCH_BYTES = 16 * 1024;

export class MediaTokens {
  /** The same picture signed in the same second gets the same token: one HMAC, not one per request. */
  private readonly signed = new RecentMap<string, string>(256);
  private readonly hmac: HmacSha256;
  private readonly scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  /** JSON of the last seed signed (a mock has one seed). */
  private seedJson: { seed: string; json: string } = { seed: '', json: '""' };

  constructor(
    secret: Buffer,
    /** ms clock */
    private readonly now: () => number,
  ) {
    this.hmac = new HmacSha256(secret);
  }

  /**
   * A token valid for `ttlSeconds` from now; `expiresAt` is unix seconds. `remember`: the picture
   * is likely to be signed again (a repeated request), so the token is memoised.
   */
  sign(render: MediaRender, ttlSeconds: number, remember = true): { token: string; expiresAt: number } {
    const expiresAt = Math.floor(this.now() / 1000) + ttlSeconds;
    // JSON.stringify([VERSION, expiresAt, format, width, height, transparent, compression, index, seed, prompt]), spelled out.
    if (this.seedJson.seed !== render.seed) this.seedJson = { seed: render.seed, json: JSON.stringify(render.seed) };
    const json = `[${VERSION},${jsonNumber(expiresAt)},${FORMATS.indexOf(render.format)},${jsonNumber(render.width)},${jsonNumber(render.height)},${render.transparent ? 1 : 0},${jsonNumber(render.compression)},${jsonNumber(render.index)},${this.seedJson.json},${JSON.stringify(render.prompt)}]`;
    // At most 3 UTF-8 bytes per UTF-16 unit: a payload that surely fits is encoded in the scratch buffer.
    const payload = json.length * 3 <= SCRATCH_BYTES ? this.scratch.toString('base64url', 0, this.scratch.write(json)) : Buffer.from(json).toString('base64url');
    let token = remember ? this.signed.get(payload) : undefined;
    if (token === undefined) {
      token = `${payload}.${this.hmac.digestBase64url(payload)}`;
      if (remember) this.signed.set(payload, token);
    }
    return { token, expiresAt };
  }

  verify(token: string): MediaLookup {
    if (!TOKEN.test(token)) return NOT_FOUND;
    const dot = token.indexOf('.');
    const payload = token.slice(0, dot);
    // The signature's text is compared, not its decoded bytes: base64url's last character carries
    // unused bits, so decoding would accept 4 spellings of one signature.
    const given = Buffer.from(token.slice(dot + 1), 'latin1');
    const expected = Buffer.from(this.hmac.digestBase64url(payload), 'latin1');
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
