/**
 * When each open case must be looked at again, and the one timer that wakes
 * the projection then: a min-heap of (next boundary, entry) with lazy deletion
 * (an entry's `dueAt` is its current key; older pairs are stale and skipped)
 * and a single scheduler timer set to the heap's earliest instant. No tick
 * ever scans all cases; re-scheduling a case is O(log n). The entries are the
 * case fold's (`CaseEntry`) or the complaint alerts' (anything with a `dueAt`).
 */
import type { EpochMs } from '../domain/types.js';
import type { CaseEntry } from './caseEntry.js';
import { DueQueue } from './priorityQueue.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/** What the queue keys an entry by: its current due instant, NaN when not queued. */
/** The earlier of two due instants, either perhaps undefined (none). */
export function earliest(a: EpochMs | undefined, b: EpochMs | undefined): EpochMs | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

export interface Queued {
  dueAt: number;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class DueTimer<E extends Queued = CaseEntry> {
  private readonly queue = new DueQueue<E>((e) => (Number.isNaN(e.dueAt) ? undefined : e.dueAt));
  private timer: { handle: TimerHandle; at: EpochMs } | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    /** Called when the timer fires; it takes the due entries (`visitDue`), then calls `arm`. */
    private readonly onDue: () => void,
    /** An entry's id (case or complaint id): the order of entries due at one instant. */
    private readonly idOf: (entry: E) => string,
  ) {}

  /** Queue `entry` for `at` (undefined: nothing will change without a new event). */
  schedule(entry: E, at: EpochMs | undefined): void {
    if (at === undefined) {
      entry.dueAt = Number.NaN;
      return;
    }
    if (entry.dueAt === at) return;
    entry.dueAt = at;
    this.queue.push(at, entry);
  }

  /**
   * Every entry due by `now`, taken off the queue, with the instant each was
   * due at, in the order of those instants and then of the entries' ids. The
   * heap alone gives entries of one instant in an order that depends on its
   * history (a restart, or cases kept as rows rather than objects, push them
   * in another order); this order does not, so the alerts of one instant are
   * published in one order.
   */
  takeDue(now: EpochMs): { entry: E; at: EpochMs }[] {
    const due: { entry: E; at: EpochMs }[] = [];
    for (let entry = this.queue.popDue(now); entry !== undefined; entry = this.queue.popDue(now)) {
      due.push({ entry, at: entry.dueAt });
      entry.dueAt = Number.NaN;
    }
    if (due.length > 1) due.sort((a, b) => a.at - b.at || byCodeUnits(this.idOf(a.entry), this.idOf(b.entry)));
    return due;
  }

  /**
   * `visit` every entry due by `now`, in `takeDue`'s order; entries a visit
   * queues again at an instant already passed (the clock jumped) are visited
   * after this round, until none is due.
   */
  visitDue(now: EpochMs, visit: (entry: E, at: EpochMs) => void): void {
    for (let due = this.takeDue(now); due.length > 0; due = this.takeDue(now)) {
      for (const { entry, at } of due) visit(entry, at);
    }
  }

  /** Drop stale pairs once they outnumber live cases (`liveCount`) by far. */
  compactIfSparse(liveCount: number): void {
    if (this.queue.size > 2 * liveCount + 1024) this.queue.compact();
  }

  /** Keep one timer, set to the earliest queued instant. */
  arm(): void {
    const at = this.queue.peek();
    if (this.timer !== undefined && this.timer.at === at) return;
    this.disarm();
    if (at === undefined) return;
    this.timer = { at, handle: this.scheduler.setTimer(at, () => this.fire()) };
  }

  disarm(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer.handle);
    this.timer = undefined;
  }

  /** Pairs held in the queue, stale ones included: what it keeps in memory (for tests). */
  get size(): number {
    return this.queue.size;
  }

  /** Earliest queued instant (for tests and status). */
  nextDueAt(): EpochMs | undefined {
    return this.queue.peek();
  }

  private fire(): void {
    this.timer = undefined;
    this.onDue();
  }
}
