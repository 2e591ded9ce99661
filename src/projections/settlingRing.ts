/**
 * Cases completed during a catch-up, waiting before they are made rows
 * (caseProjection.ts). Most post-completion events come soon after the
 * completion (a rating at the window, or by text message within the day):
 * a case still waiting here takes such an event as the object it is, where a
 * row would be turned back into an object, evaluated and made a row again.
 * A first-in, first-out ring of `capacity` cases; a case is put in once, when
 * it completes, with its slot in the case table (caseTable.ts): when it
 * leaves, `settled` is given both, so that the caller checks with no lookup
 * of its id that it is still the object held for its case.
 */
import type { CaseEntry } from './caseEntry.js';

export class SettlingRing {
  private readonly ring: (CaseEntry | undefined)[];
  private readonly slots: Int32Array;
  private next = 0;

  /** `settled`: called with each case that leaves (and its slot), oldest first. */
  constructor(
    private readonly capacity: number,
    private readonly settled: (entry: CaseEntry, slot: number) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`SettlingRing: capacity ${capacity} is not a non-negative integer`);
    this.ring = new Array<CaseEntry | undefined>(capacity).fill(undefined);
    this.slots = new Int32Array(capacity);
  }

  /** Let `entry` (of case table slot `slot`) wait; the case that waited longest leaves when the ring is full, `entry` itself when nothing may wait. */
  push(entry: CaseEntry, slot: number): void {
    if (this.capacity === 0) {
      this.settled(entry, slot);
      return;
    }
    const i = this.next;
    const out = this.ring[i];
    const outSlot = this.slots[i]!;
    this.ring[i] = entry;
    this.slots[i] = slot;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (out !== undefined) this.settled(out, outSlot);
  }

  /** Every case still waiting leaves, oldest first; the ring is then empty. */
  drain(): void {
    for (let k = 0; k < this.capacity; k++) {
      const i = (this.next + k) % this.capacity;
      const entry = this.ring[i];
      this.ring[i] = undefined;
      if (entry !== undefined) this.settled(entry, this.slots[i]!);
    }
    this.next = 0;
  }
}
