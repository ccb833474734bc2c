// Images a gateway serves from its own origin under a path of its choosing, with an expiry and an
// HMAC in the query (refs 001/003/004: "URLs expire after 1 hour").
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoredImage } from './compat-core.js';

export class SignedFiles {
  private readonly secret = randomBytes(32);
  private readonly files = new Map<string, StoredImage>();

  constructor(
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private sign(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}|${expires}`).digest('hex').slice(0, 40);
  }

  /** The URL of a stored image, valid for the lifetime (origin + prefix + name). */
  put(origin: string, image: StoredImage, ttlSeconds = this.ttlSeconds): string {
    const path = `${this.prefix}/${randomBytes(12).toString('hex')}.${image.ext}`;
    this.files.set(path, image);
    const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
    return `${origin}${path}?expires=${expires}&signature=${this.sign(path, expires)}`;
  }

  owns(pathname: string): boolean {
    return pathname.startsWith(`${this.prefix}/`);
  }

  /** The image, or why not: 'missing' (unknown / forged) or 'expired'. */
  get(url: URL): StoredImage | 'missing' | 'expired' {
    const file = this.files.get(url.pathname);
    const expires = Number(url.searchParams.get('expires'));
    const given = Buffer.from(url.searchParams.get('signature') ?? '');
    const want = Buffer.from(this.sign(url.pathname, expires));
    if (!file || given.length !== want.length || !timingSafeEqual(given, want)) return 'missing';
    return expires > Date.now() / 1000 ? file : 'expired';
  }
}
