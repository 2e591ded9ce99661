/**
 * Completed cases waiting, during a catch-up, before they are made rows
 * (caseProjection.ts). Most post-completion events come soon after the
 * completion (a rating at the window, or by text message within the day):
 * a case still waiting here takes such an event as the object it is, where a
 * row would be turned back into an object, evaluated and made a row again.
 * A first-in, first-out ring of `capacity` cases, each in it once.
 */
import type { CaseEntry } from './caseEntry.js';

export class SettlingRing {
  private readonly ring: (CaseEntry | undefined)[];
  private readonly held = new Set<CaseEntry>();
  private next = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`SettlingRing: capacity ${capacity} is not a non-negative integer`);
    this.ring = new Array<CaseEntry | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.held.size;
  }

  /**
   * Let `entry` wait (nothing when it already does); the case that waited
   * longest when the ring is full, to be made a row now, or `entry` itself
   * when nothing may wait (capacity 0).
   */
  push(entry: CaseEntry): CaseEntry | undefined {
    if (this.capacity === 0) return entry;
    if (this.held.has(entry)) return undefined;
    const out = this.ring[this.next];
    this.ring[this.next] = entry;
    this.held.add(entry);
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (out !== undefined) this.held.delete(out);
    return out;
  }

  /** Every case still waiting, oldest first; the ring is then empty. */
  drain(): CaseEntry[] {
    const out: CaseEntry[] = [];
    for (let k = 0; k < this.capacity; k++) {
      const i = (this.next + k) % this.capacity;
      const entry = this.ring[i];
      if (entry !== undefined) out.push(entry);
      this.ring[i] = undefined;
    }
    this.held.clear();
    this.next = 0;
    return out;
  }
}
