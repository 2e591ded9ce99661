/**
 * The recording instant of the calendar or directory publication being applied: a fold that
 * hears of a change of working days (`CalendarService.onChange`) reads it to compare the cards
 * shown before the publication with those after (withdrawalLog.ts, complaintWithdrawals.ts).
 * Undefined outside a publication (a snapshot's calendar put back while restoring).
 */
import type { EpochMs } from '../domain/types.js';

/** A directory publication that moved centers between regions: the version it made, and the one before. */
export interface DirectoryMove {
  readonly version: number;
  readonly previousVersion: number;
}

export class PublicationWindow {
  private at: EpochMs | undefined;
  private move: DirectoryMove | undefined;

  /** The directory versions, when the publication being applied is the directory's. */
  get directoryMove(): DirectoryMove | undefined {
    return this.move;
  }

  /** The instant of the publication being applied, if one is. */
  get instant(): EpochMs | undefined {
    return this.at;
  }

  /** Run `apply` as the publication recorded at `recordedAt`. */
  during<T>(recordedAt: EpochMs | undefined, apply: () => T, move?: DirectoryMove): T {
    this.at = recordedAt;
    this.move = move;
    try {
      return apply();
    } finally {
      this.at = undefined;
      this.move = undefined;
    }
  }
}
