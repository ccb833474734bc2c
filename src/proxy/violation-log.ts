// The proxy's memory of what it saw: the latest violations (a ring buffer) and a count per rule,
// so a proxy left running for days holds a bounded amount however many exchanges break the contract.
import { terminalSafe } from '../terminal/safe-text.js';
import type { Violation } from './violations.js';

export type SeenViolation = Violation & { method: string; path: string; status: number };

export const DEFAULT_VIOLATIONS_KEPT = 1_000;

export class ViolationLog {
  private readonly ring: SeenViolation[] = [];
  private next = 0;
  /** Every violation seen, kept or not. */
  total = 0;
  readonly byRule = new Map<string, number>();

  constructor(private readonly capacity = DEFAULT_VIOLATIONS_KEPT) {}

  add(v: SeenViolation): void {
    this.total++;
    this.byRule.set(v.rule, (this.byRule.get(v.rule) ?? 0) + 1);
    if (this.capacity <= 0) return;
    if (this.ring.length < this.capacity) this.ring.push(v);
    else {
      this.ring[this.next] = v;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** The kept violations, oldest first. */
  recent(): SeenViolation[] {
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

/** The proxy's output line for a violation: the upstream's words shown terminal-safe, on one line. */
export function violationLine(v: SeenViolation): string {
  return terminalSafe(`violation ${v.method} ${v.path} ${v.status} [${v.rule}] ${v.message}`);
}
