/**
 * A binary min-heap of (instant, item) with lazy deletion: the owner keeps the
 * instant each item is currently due in `dueOf(item)`; a popped pair whose
 * instant no longer matches is stale and skipped. Re-scheduling an item is a
 * push (O(log n)); nothing is ever searched for.
 */
export class DueQueue<T> {
  private readonly at: number[] = [];
  private readonly items: T[] = [];

  /** `dueOf(item)` is the instant the item is due now, or undefined when it is not scheduled. */
  constructor(private readonly dueOf: (item: T) => number | undefined) {}

  /** Number of pairs held, stale ones included. */
  get size(): number {
    return this.at.length;
  }

  push(instant: number, item: T): void {
    const at = this.at;
    const items = this.items;
    let i = at.length;
    at.push(instant);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pAt = at[parent] as number;
      if (pAt <= instant) break;
      at[i] = pAt;
      items[i] = items[parent] as T;
      i = parent;
    }
    at[i] = instant;
    items[i] = item;
  }

  /** The earliest live instant, discarding stale pairs on the way; undefined when empty. */
  peek(): number | undefined {
    this.dropStale();
    return this.at[0];
  }

  /** Remove and return the earliest live item if it is due at or before `now`. */
  popDue(now: number): T | undefined {
    this.dropStale();
    const first = this.at[0];
    if (first === undefined || first > now) return undefined;
    const item = this.items[0] as T;
    this.removeTop();
    return item;
  }

  /** Drop every stale pair and rebuild (used after bulk re-scheduling to bound memory). */
  compact(): void {
    const pairs: Array<[number, T]> = [];
    for (let i = 0; i < this.at.length; i++) {
      const item = this.items[i] as T;
      const instant = this.at[i] as number;
      if (this.dueOf(item) === instant) pairs.push([instant, item]);
    }
    this.at.length = 0;
    this.items.length = 0;
    pairs.sort((a, b) => a[0] - b[0]); // a sorted array is a valid heap
    for (const [instant, item] of pairs) {
      this.at.push(instant);
      this.items.push(item);
    }
  }

  clear(): void {
    this.at.length = 0;
    this.items.length = 0;
  }

  private dropStale(): void {
    while (this.at.length > 0 && this.dueOf(this.items[0] as T) !== this.at[0]) this.removeTop();
  }

  private removeTop(): void {
    const at = this.at;
    const items = this.items;
    const lastAt = at.pop() as number;
    const lastItem = items.pop() as T;
    const n = at.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (at[r] as number) < (at[l] as number)) c = r;
      if ((at[c] as number) >= lastAt) break;
      at[i] = at[c] as number;
      items[i] = items[c] as T;
      i = c;
    }
    at[i] = lastAt;
    items[i] = lastItem;
  }
}
