/**
 * The case list's cursor: the keyset cursor (keysetPage.ts) plus the instant the listing's first
 * page was read at (`listedAt`). A paused case's deadline moves on with every working day of its
 * pause, and an open case's overdue card starts when the clock reaches its deadline, so every page
 * of one listing reads those keys at that instant (caseList.ts): a clock that moved on between two
 * pages (a Friday evening and a Monday morning) moves no case, and a case present at both reads
 * with no event between them is sent exactly once.
 *
 * The instant comes back from the caller, so it is checked like any input: a whole number of
 * milliseconds, not ahead of the server's clock by more than two API nodes' clocks may disagree,
 * and not older than a listing may last.
 */
import { formatInstant, MS_PER_DAY, MS_PER_MINUTE, type EpochMs } from '../domain/index.js';
import { decodeTimedCursor, encodeCursor, type PageKey } from './keysetPage.js';
import { StatsQueryError } from './stats.js';

/**
 * A listing older than this is refused (start again): longer than the longest break a clerk may
 * page across (the Spring Festival and National Day holidays are 8–9 days with their weekends),
 * short enough that no page shows paused deadlines read a month ago as if they were current.
 */
export const MAX_LISTING_AGE_MS = 30 * MS_PER_DAY;

/** How far ahead of this server's clock a listing instant may be: another API node's clock may run ahead. */
export const CLOCK_SKEW_MS = 5 * MS_PER_MINUTE;

export interface ListingPosition {
  /** The last key sent; absent on the first page. */
  readonly after?: PageKey;
  /** The instant every page of this listing reads paused cases at. */
  readonly listedAt: EpochMs;
}

/**
 * Where a page of the listing starts: nothing sent and `now` on the first page, else the cursor's key
 * and instant. A cursor without an instant (made before cursors carried one) is accepted for a sort
 * whose keys do not move with the clock, read from `now`; for one whose keys do (`clockBound`) it is
 * refused, since its pages could repeat or skip cases.
 */
export function listingPosition(
  cursor: string | undefined,
  sort: string,
  clockBound: boolean,
  now: EpochMs,
  zone: string,
): ListingPosition {
  if (cursor === undefined) return { listedAt: now };
  const { key, listedAt } = decodeTimedCursor(cursor, sort);
  const bad = (why: string) => new StatsQueryError('cursor', why);
  if (listedAt === undefined) {
    if (clockBound)
      throw bad(
        `was made before cursors kept the instant a listing was read at, and sort ${sort} moves with the clock: start the list again without a cursor`,
      );
    return { after: key, listedAt: now };
  }
  if (listedAt > now + CLOCK_SKEW_MS)
    throw bad(
      `belongs to a listing read after this server's clock (${formatInstant(now, zone)}): use nextCursor as given`,
    );
  if (listedAt < now - MAX_LISTING_AGE_MS)
    throw bad(
      `belongs to a listing read more than ${MAX_LISTING_AGE_MS / MS_PER_DAY} days ago: start the list again without a cursor`,
    );
  return { after: key, listedAt };
}

/** The cursor of the page after `key` in the listing read at `listedAt`. */
export function listingCursor(sort: string, key: PageKey, listedAt: EpochMs): string {
  return encodeCursor(sort, key, listedAt);
}
