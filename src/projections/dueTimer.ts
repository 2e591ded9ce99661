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
export interface Queued {
  dueAt: number;
}

export class DueTimer<E extends Queued = CaseEntry> {
  private readonly queue = new DueQueue<E>((e) => (Number.isNaN(e.dueAt) ? undefined : e.dueAt));
  private timer: { handle: TimerHandle; at: EpochMs } | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    /** Called when the timer fires; it pops the due entries with `popDue`, then calls `arm`. */
    private readonly onDue: () => void,
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

  /** The next entry due by `now`, taken off the queue (with the instant it was due at); undefined when none. */
  popDue(now: EpochMs): { entry: E; at: EpochMs } | undefined {
    const entry = this.queue.popDue(now);
    if (entry === undefined) return undefined;
    const at = entry.dueAt;
    entry.dueAt = Number.NaN;
    return { entry, at };
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

  /** Earliest queued instant (for tests and status). */
  nextDueAt(): EpochMs | undefined {
    return this.queue.peek();
  }

  private fire(): void {
    this.timer = undefined;
    this.onDue();
  }
}
