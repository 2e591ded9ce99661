/**
 * The recording instant of the calendar or directory publication being applied: a fold that
 * hears of a change of working days (`CalendarService.onChange`) reads it to compare the cards
 * shown before the publication with those after (withdrawalLog.ts, complaintWithdrawals.ts).
 * Undefined outside a publication (a snapshot's calendar put back while restoring).
 */
import type { EpochMs } from '../domain/types.js';

export class PublicationWindow {
  private at: EpochMs | undefined;

  /** The instant of the publication being applied, if one is. */
  get instant(): EpochMs | undefined {
    return this.at;
  }

  /** Run `apply` as the publication recorded at `recordedAt`. */
  during<T>(recordedAt: EpochMs | undefined, apply: () => T): T {
    this.at = recordedAt;
    try {
      return apply();
    } finally {
      this.at = undefined;
    }
  }
}
