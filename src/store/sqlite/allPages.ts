import { matchesPrefixes } from '../core/validate.js';
import type { RecordedEvent } from '../port.js';
import type { EventRow } from './schema.js';

/**
 * Successive non-empty pages of a `$all` read on the store's own connection,
 * in position order, up to `remaining` events. Where the read stands (`after`,
 * `remaining`, `exhausted`) is public, so that a read-ahead worker can take
 * over from there (readAhead.ts).
 */
export class AllPages {
  /** The last position scanned (read, matching or not). */
  after: bigint;
  /** Events still wanted (maxCount). */
  remaining: number;
  /** A read came back short: nothing more was committed after `after` at the time. */
  exhausted = false;

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
  ) {
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
      const rows = this.read(this.after, this.pageSize);
      this.exhausted = rows.length < this.pageSize;
      for (const row of rows) {
        this.after = row[0];
        if (this.filterInJs !== undefined && !matchesPrefixes(row[1], this.filterInJs)) continue;
        page.push(this.decode(row));
        if (--this.remaining <= 0) break;
      }
    }
    return page.length === 0 ? undefined : page;
  }
}
