// A byte-bounded LRU of encoded images keyed by every render input, so identical requests (and
// media URLs fetched again) cost a Map lookup. Renders in flight are shared, not repeated.
// A picture is kept from its second render on: one-off pictures (a unique prompt each) would only
// churn the cache, and their base64 text, tens of KB each in the JavaScript heap, would make the
// garbage collector copy and sweep them (measured: 242 against 183 us of CPU per cold 1024x1024
// b64_json request, rendered in the calling thread).
import { RecentMap } from '../memo.js';

/** How many keys rendered once (not kept yet) are remembered. */
const SEEN_KEYS = 2048;

export interface CachedImage {
  bytes: Buffer;
  /** Base64 of `bytes`, made on first use and counted in the budget. */
  b64?: string;
}

export class ImageCache {
  private readonly entries = new Map<string, CachedImage>();
  private readonly inFlight = new Map<string, Promise<CachedImage>>();
  /** Keys rendered once and not kept: the next render of one is kept. */
  private readonly seen = new RecentMap<string, true>(SEEN_KEYS);
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.used;
  }

  get count(): number {
    return this.entries.size;
  }

  private cost(e: CachedImage): number {
    return e.bytes.length + (e.b64?.length ?? 0);
  }

  /** The cached image for `key`, or the one `render` makes (cached when it fits the budget). */
  get(key: string, render: () => Buffer | Promise<Buffer>): CachedImage | Promise<CachedImage> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const keep = this.seen.get(key) !== undefined;
    if (!keep) this.seen.set(key, true);
    const made = render();
    if (Buffer.isBuffer(made)) return keep ? this.store(key, { bytes: made }) : { bytes: made };
    const promise = made.then(
      (bytes) => {
        this.inFlight.delete(key);
        return keep ? this.store(key, { bytes }) : { bytes };
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, promise);
    return promise;
  }

  /** The base64 of a cached image, computed once. */
  base64(key: string, image: CachedImage): string {
    if (image.b64 === undefined) {
      image.b64 = image.bytes.toString('base64');
      if (this.entries.get(key) === image) {
        this.used += image.b64.length;
        this.evict();
      }
    }
    return image.b64;
  }

  private store(key: string, image: CachedImage): CachedImage {
    const cost = this.cost(image);
    if (cost > this.maxBytes) return image;
    this.entries.set(key, image);
    this.used += cost;
    this.evict();
    return image;
  }

  private evict(): void {
    for (const [key, e] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(key);
      this.used -= this.cost(e);
    }
  }
}
