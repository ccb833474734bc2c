// Count-bounded maps. Memo is an exact LRU (the counted scenarios, whose table size is part of
// their contract); RecentMap below is a cheaper approximation for memoised pure work.
export class Memo<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  set(key: K, value: V): void {
    if (this.max <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}

/**
 * A count-bounded map of recent entries, cheaper than Memo where the exact LRU order does not
 * matter (memoised results): two generations, a hit in the older one moves to the newer, and when
 * the newer holds half of `max` the older is dropped whole. It keeps at most `max` entries, and
 * every entry written or read in the last `max / 2` writes. Nothing is reordered on a hit in the
 * newer generation, and a write is one Map.set (Memo's costs a delete, a set and an eviction).
 */
export class RecentMap<K, V> {
  private newer = new Map<K, V>();
  private older = new Map<K, V>();
  private readonly half: number;

  constructor(max: number) {
    this.half = Math.max(0, Math.floor(max / 2));
  }

  get(key: K): V | undefined {
    const v = this.newer.get(key);
    if (v !== undefined || this.older.size === 0) return v;
    const old = this.older.get(key);
    if (old !== undefined) {
      this.older.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: K, value: V): void {
    if (this.half === 0) return;
    if (this.newer.size >= this.half && !this.newer.has(key)) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
  }

  get size(): number {
    return this.newer.size + this.older.size;
  }
}
