// The image budget (--max-images): generations are reserved while planning, in check order, and
// spent when made. Spending an unreserved generation throws, so no code path can exceed the cap.

export class Budget {
  private reserved = 0;
  private spentImages = 0;
  private readonly reservations = new Map<string, number>();
  private readonly spentKeys = new Set<string>();

  constructor(readonly max: number) {}

  get left(): number {
    return this.max - this.reserved;
  }

  get planned(): number {
    return this.reserved;
  }

  get spent(): number {
    return this.spentImages;
  }

  isReserved(key: string): boolean {
    return this.reservations.has(key);
  }

  /** Reserves all `items` (already reserved keys cost nothing) or none; returns why not. */
  reserve(items: Array<{ key: string; images: number }>): true | string {
    const fresh = dedupe(items.filter((i) => !this.reservations.has(i.key)));
    const need = fresh.reduce((s, i) => s + i.images, 0);
    if (need > this.left)
      return `image budget: needs ${need} more image${need === 1 ? '' : 's'}, ${this.left} left of --max-images ${this.max}`;
    for (const i of fresh) this.reservations.set(i.key, i.images);
    this.reserved += need;
    return true;
  }

  spend(key: string): void {
    const images = this.reservations.get(key);
    if (images === undefined) throw new Error(`internal: generation ${key} was not budgeted`);
    if (this.spentKeys.has(key)) return;
    this.spentKeys.add(key);
    this.spentImages += images;
  }
}

function dedupe<T extends { key: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.key) ? false : (seen.add(i.key), true)));
}
