// The run's budget: images (--max-images) and money (--max-cost, at catalogue prices). Generations
// are reserved while planning, in check order, and spent when made. Spending an unreserved generation
// throws, so no code path can exceed the caps.

export interface BudgetItem {
  key: string;
  images: number;
  /** Catalogue price per image; undefined: unknown. */
  usdPerImage?: number;
}

export class Budget {
  private reserved = 0;
  private reservedUsd = 0;
  private spentImages = 0;
  private readonly reservations = new Map<string, number>();
  private readonly spentKeys = new Set<string>();

  /** `maxUsd`: undefined for no money cap. */
  constructor(
    readonly max: number,
    readonly maxUsd?: number,
  ) {}

  get left(): number {
    return this.max - this.reserved;
  }

  get planned(): number {
    return this.reserved;
  }

  get plannedUsd(): number {
    return this.reservedUsd;
  }

  /** Images charged (generations sent), whatever the gateway answered. */
  get spent(): number {
    return this.spentImages;
  }

  isReserved(key: string): boolean {
    return this.reservations.has(key);
  }

  /** Reserves all `items` (already reserved keys cost nothing) or none; returns why not. */
  reserve(items: BudgetItem[]): true | string {
    const fresh = dedupe(items.filter((i) => !this.reservations.has(i.key)));
    const need = fresh.reduce((s, i) => s + i.images, 0);
    if (need > this.left)
      return `image budget: needs ${need} more image${need === 1 ? '' : 's'}, ${this.left} left of --max-images ${this.max}`;
    const usd = fresh.reduce((s, i) => s + i.images * (i.usdPerImage ?? 0), 0);
    if (this.maxUsd !== undefined) {
      const unknown = fresh.filter((i) => i.images > 0 && i.usdPerImage === undefined);
      if (unknown.length) return `cost budget: the catalogue has no price for ${unknown.map((i) => i.key).join(', ')}, so --max-cost cannot cover it`;
      if (this.reservedUsd + usd > this.maxUsd + 1e-9)
        return `cost budget: needs $${usd.toFixed(3)} more, $${Math.max(0, this.maxUsd - this.reservedUsd).toFixed(3)} left of --max-cost ${this.maxUsd}`;
    }
    for (const i of fresh) this.reservations.set(i.key, i.images);
    this.reserved += need;
    this.reservedUsd += usd;
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
