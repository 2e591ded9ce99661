import { matchesPrefixes } from '../core/validate.js';
import type { RecordedEvent } from '../port.js';
import type { EventRow } from './schema.js';

/**
 * Successive non-empty pages of a `$all` read on the store's own connection,
 * in position order, up to `remaining` events. Where the read stands (`after`,
 * `remaining`, `exhausted`) is public, so that a read-ahead worker can take
 * over from there (readAhead.ts).
 *
 * `scannedTo`, once the read reached the end of the log, is how far it scanned
 * `$all` (for `onScanned`). When SQL filters the rows, `after` is the last
 * matching row, so the head is read before each read: a read that comes back
 * short saw at least that head (its snapshot is later, and a position is
 * visible only once every smaller one is committed: one writer at a time).
 * The head read after it could name rows committed since and never scanned.
 */
/**
 * How far a read that came to the log's end with events still wanted scanned
 * `$all`: the head read before its last read, or its last row if later;
 * undefined when that is before the read's `from` (nothing to tell).
 */
export function scannedTo(headBeforeLastRead: bigint, lastRow: bigint, from: bigint): bigint | undefined {
  const scanned = headBeforeLastRead > lastRow ? headBeforeLastRead : lastRow;
  return scanned >= from ? scanned : undefined;
}

export class AllPages {
  /** The last position scanned (read, matching or not). */
  after: bigint;
  /** Events still wanted (maxCount). */
  remaining: number;
  /** A read came back short: nothing more was committed after `after` at the time. */
  exhausted = false;
  /** Every matching row up to here was read: set when the read came to the log's end with events still wanted. */
  scannedTo: bigint | undefined;
  /** The read's fromPosition. */
  readonly from: bigint;

  constructor(
    /** Up to `limit` rows after `after`, in position order; failures already reported as the port's errors. */
    private readonly read: (after: bigint, limit: number) => EventRow[],
    /** A row as an event; a row that does not parse is reported as damage. */
    private readonly decode: (row: EventRow) => RecordedEvent,
    /** Prefixes filtered here, when SQL cannot say them exactly (prefixFilter.ts); undefined when SQL filtered. */
    private readonly filterInJs: readonly string[] | undefined,
    readonly pageSize: number,
    from: bigint,
    remaining: number,
    /** The head position, read before each read when SQL filters and the caller wants `scannedTo`. */
    private readonly headBeforeRead?: () => bigint,
  ) {
    this.from = from;
    this.after = from - 1n;
    this.remaining = remaining;
  }

  /** More to read: events still wanted and the last read came back full. */
  get more(): boolean {
    return this.remaining > 0 && !this.exhausted;
  }

  /** The next non-empty page, or undefined at the end. */
  next(): RecordedEvent[] | undefined {
    const page: RecordedEvent[] = [];
    while (page.length === 0 && this.more) {
      const head = this.headBeforeRead?.() ?? -1n;
      const rows = this.read(this.after, this.pageSize);
      this.exhausted = rows.length < this.pageSize;
      for (const row of rows) {
        this.after = row[0];
        if (this.filterInJs !== undefined && !matchesPrefixes(row[1], this.filterInJs)) continue;
        page.push(this.decode(row));
        if (--this.remaining <= 0) break;
      }
      if (this.exhausted && this.remaining > 0) this.scannedTo = scannedTo(head, this.after, this.from);
    }
    return page.length === 0 ? undefined : page;
  }
}
