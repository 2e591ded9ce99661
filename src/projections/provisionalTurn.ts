/**
 * The one instant at which running clocks turn provisional with no event (SPEC §3): December 20 before
 * a year with no notice, or that year's first day (`turnsProvisionalAt`). It is the same instant for
 * every case evaluated before it, so the case projection keeps one timer for it, not one per case: a
 * per-case due entry months ahead stayed in the due-queue's heap after its case was completed and
 * kept the case's object from becoming a row (the bench's memory per completed case went from 113 to
 * 166 bytes when the live alerts began to say `provisional`, session 24). The complaint fold keeps
 * its own instance for its alerted open complaints (complaintAlerts.ts), not a due entry per complaint.
 */
import type { EpochMs } from '../domain/types.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export class ProvisionalTurn {
  private at: EpochMs | undefined;
  private timer: { handle: TimerHandle; at: EpochMs } | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    /** Called at the instant: re-evaluate whatever may turn (the alerted open cases). */
    private readonly onTurn: () => void,
  ) {}

  /** A clock evaluated now turns provisional at `at` (undefined: this one does not). */
  note(at: EpochMs | undefined): void {
    if (at !== undefined && (this.at === undefined || at < this.at)) this.at = at;
  }

  /** The pending instant (for tests and status). */
  nextAt(): EpochMs | undefined {
    return this.at;
  }

  /** Keep one timer at the pending instant (only while live: the catch-up arms nothing). */
  arm(): void {
    const at = this.at;
    if (this.timer !== undefined && this.timer.at === at) return;
    this.disarm();
    if (at === undefined) return;
    this.timer = {
      at,
      handle: this.scheduler.setTimer(at, () => {
        this.timer = undefined;
        this.at = undefined; // the re-evaluations note the next instant
        this.onTurn();
      }),
    };
  }

  disarm(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer.handle);
    this.timer = undefined;
  }
}
