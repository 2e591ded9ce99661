/**
 * Cases completed during a catch-up, waiting before they are made rows
 * (caseProjection.ts). Most post-completion events come soon after the
 * completion (a rating at the window, or by text message within the day):
 * a case still waiting here takes such an event as the object it is, where a
 * row would be turned back into an object, evaluated and made a row again.
 * A first-in, first-out ring of `capacity` cases; a case is put in once, when
 * it completes (no lookup: the caller checks, when one leaves, that it is
 * still the object held for its case).
 */
import type { CaseEntry } from './caseEntry.js';

export class SettlingRing {
  private readonly ring: (CaseEntry | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`SettlingRing: capacity ${capacity} is not a non-negative integer`);
    this.ring = new Array<CaseEntry | undefined>(capacity).fill(undefined);
  }

  /** Let `entry` wait; the case that waited longest when the ring is full, or `entry` itself when nothing may wait. */
  push(entry: CaseEntry): CaseEntry | undefined {
    if (this.capacity === 0) return entry;
    const out = this.ring[this.next];
    this.ring[this.next] = entry;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
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
    this.next = 0;
    return out;
  }
}
