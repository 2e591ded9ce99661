/**
 * The case list's cursor: the keyset cursor (keysetPage.ts) plus the instant the listing's first
 * page was read at (`listedAt`). A paused case's deadline moves on with every working day of its
 * pause, and an open case's overdue card starts when the clock reaches its deadline, so every page
 * of one listing reads those keys at that instant (caseList.ts): a clock that moved on between two
 * pages (a Friday evening and a Monday morning) moves no case, and a case present at both reads
 * with no event between them is sent exactly once.
 *
 * The instant comes back from the caller (in the cursor, or as `listedAt` to read a listing's first
 * page again), so it is checked like any input, by one rule for both: a whole number of
 * milliseconds, not ahead of the server's clock by more than two API nodes' clocks may disagree,
 * and not older than a listing may last.
 */
import { formatInstant, MS_PER_DAY, MS_PER_MINUTE, type EpochMs } from '../domain/index.js';
import { decodeTimedCursor, encodeCursor, sortOf, type PageKey } from './keysetPage.js';
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

/** What the caller said about where the page starts: the previous page's cursor, the listing's instant, both or neither. */
export interface ListingGiven {
  readonly cursor?: string;
  /** The listing's instant as a page answered it (`listedAt`), to read its first page again. */
  readonly listedAt?: EpochMs;
}

/**
 * Why an instant cannot be a listing's (the one rule for a cursor's instant and a given `listedAt`):
 * ahead of this server's clock by more than the skew, or older than a listing may last.
 */
function listingInstantProblem(listedAt: EpochMs, now: EpochMs): 'ahead' | 'old' | undefined {
  if (listedAt > now + CLOCK_SKEW_MS) return 'ahead';
  if (listedAt < now - MAX_LISTING_AGE_MS) return 'old';
  return undefined;
}

const MAX_AGE_DAYS = MAX_LISTING_AGE_MS / MS_PER_DAY;

/**
 * Where a page of the listing starts: nothing sent and `now` on a first page, else the cursor's key
 * and instant. A first page given `listedAt` is the first page of that listing, read again (paging
 * back to it shows what it showed). Given both, `listedAt` must be the cursor's instant. A cursor
 * without an instant (made before cursors carried one) is accepted for a sort whose keys do not move
 * with the clock, read from `now`; for one whose keys do (`clockBound`) it is refused, since its pages
 * could repeat or skip cases.
 */
export function listingPosition(
  given: ListingGiven,
  sort: string,
  clockBound: boolean,
  now: EpochMs,
  zone: string,
): ListingPosition {
  if (given.cursor === undefined) return { listedAt: givenInstant(given.listedAt, now, zone) };
  const { key, listedAt } = decodeTimedCursor(given.cursor, sort);
  const bad = (why: string) => new StatsQueryError('cursor', why);
  if (listedAt === undefined) {
    if (given.listedAt !== undefined)
      throw new StatsQueryError(
        'listedAt',
        'was given with a cursor made before cursors kept the instant a listing was read at: omit listedAt, or start the list again without a cursor',
      );
    if (clockBound)
      throw bad(
        `was made before cursors kept the instant a listing was read at, and sort ${sortOf(sort)} moves with the clock: start the list again without a cursor`,
      );
    return { after: key, listedAt: now };
  }
  const problem = listingInstantProblem(listedAt, now);
  if (problem === 'ahead')
    throw bad(
      `belongs to a listing read after this server's clock (${formatInstant(now, zone)}): use nextCursor as given`,
    );
  if (problem === 'old')
    throw bad(`belongs to a listing read more than ${MAX_AGE_DAYS} days ago: start the list again without a cursor`);
  if (given.listedAt !== undefined && given.listedAt !== listedAt)
    throw new StatsQueryError(
      'listedAt',
      `is not the instant of the cursor's listing (${formatInstant(listedAt, zone)}): pass the listedAt its pages answered, or omit it`,
    );
  return { after: key, listedAt };
}

/** A first page's instant: `now`, or the given listing's, checked as a cursor's is. */
function givenInstant(listedAt: EpochMs | undefined, now: EpochMs, zone: string): EpochMs {
  if (listedAt === undefined) return now;
  const bad = (why: string) => new StatsQueryError('listedAt', why);
  if (!Number.isSafeInteger(listedAt)) throw bad('must be a whole number of milliseconds');
  const problem = listingInstantProblem(listedAt, now);
  if (problem === 'ahead')
    throw bad(
      `is more than ${CLOCK_SKEW_MS / MS_PER_MINUTE} minutes after this server's clock (${formatInstant(now, zone)}): pass the listedAt a page answered`,
    );
  if (problem === 'old') throw bad(`is more than ${MAX_AGE_DAYS} days ago: start the list again without listedAt`);
  return listedAt;
}

/** The fields of a listing's query that page through it (scopedOrder binds a cursor to the others; the sort is in the order). */
export const LISTING_FIELDS = ['cursor', 'limit', 'listedAt', 'sort'] as const;

/** The cursor of the page after `key` in the listing read at `listedAt`. */
export function listingCursor(sort: string, key: PageKey, listedAt: EpochMs): string {
  return encodeCursor(sort, key, listedAt);
}
