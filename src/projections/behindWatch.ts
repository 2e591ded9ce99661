/**
 * How long the projections have been behind the store (operations review): the age of the
 * oldest store head read while there was a lag and not folded since. Under load the fold reaches
 * each head it is shown within milliseconds, so this stays near 0 although a lag of a few events
 * is seen at most readings; a stalled fold (a subscription that hangs, or folds slower than the
 * store is written) makes it grow with the clock. While it is above 0 the lag has been above 0
 * the whole time: the head read then was never reached.
 *
 * Heads are read when someone asks (a scrape, a readiness probe), so the figure is as fine as
 * those readings are frequent.
 */
import type { EpochMs } from '../domain/index.js';

interface Reading {
  readonly head: bigint;
  readonly at: EpochMs;
}

export class BehindWatch {
  /** The oldest head read with a lag and not reached since. */
  private oldest: Reading | undefined;
  /** The last head read with a lag. */
  private latest: Reading | undefined;

  constructor(private readonly clock: () => EpochMs) {}

  /** A head read from the store, with the lag it gave (0: the fold was at the head then). */
  read(head: bigint, lagEvents: number): void {
    if (lagEvents <= 0) {
      this.oldest = this.latest = undefined;
      return;
    }
    this.latest = { head, at: this.clock() };
    this.oldest ??= this.latest;
  }

  /** Everything up to `position` is folded. */
  folded(position: bigint): void {
    if (this.oldest === undefined || position < this.oldest.head) return;
    // Still short of a later head read: behind since that reading.
    this.oldest = this.latest !== undefined && this.latest.head > position ? this.latest : undefined;
  }

  /** Whole seconds behind (0 when not). */
  seconds(): number {
    return this.oldest === undefined ? 0 : Math.max(0, Math.floor((this.clock() - this.oldest.at) / 1000));
  }
}
