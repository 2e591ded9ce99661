/**
 * Keyset paging shared by the case list and the card register. A row's key is
 * (primary number, caseId, ordinal): a total order, so "the rows strictly after
 * the last key sent" is well defined whatever was appended meanwhile — a row
 * present at both reads whose key did not change is sent exactly once.
 *
 * The page is chosen in one pass with a bounded buffer (sorted and cut back to
 * the page whenever it reaches twice the page): O(n log page) time and
 * O(page) memory per request, never a sort of every row.
 */
import { createHash } from 'node:crypto';
import { StatsQueryError } from './stats.js';

export interface PageKey {
  readonly primary: number;
  readonly caseId: string;
  /** Tells apart several rows of one case (a card's code); 0 for cases. */
  readonly ordinal: number;
}

export type Direction = 1 | -1;

export function compareKeys(a: PageKey, b: PageKey): number {
  return compareParts(a.primary, a.caseId, a.ordinal, b);
}

/** compareKeys with the first key given by its parts (no object for rows that are passed over). */
function compareParts(primary: number, caseId: string, ordinal: number, b: PageKey): number {
  if (primary !== b.primary) return primary < b.primary ? -1 : 1;
  if (caseId !== b.caseId) return caseId < b.caseId ? -1 : 1;
  return ordinal - b.ordinal;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** The last key sent, when more rows follow it. */
  readonly next?: PageKey;
}

/** Collects the first `limit` rows after `after` in `direction` order, offered in any order. */
export class PageCollector<T> {
  private buffer: { key: PageKey; item: T }[] = [];
  /** After a cut that kept limit + 1 rows: the last of them (nothing after it can be on the page). */
  private worstKept: PageKey | undefined;

  constructor(
    private readonly limit: number,
    private readonly direction: Direction,
    private readonly after: PageKey | undefined,
  ) {}

  /**
   * The key is checked first: `make` is called only for rows that may be on the page, and once
   * the buffer holds a full page plus one, a row sorting after that last one is passed over
   * without building anything (most rows of a large list).
   */
  offer(primary: number, caseId: string, ordinal: number, make: () => T): void {
    const d = this.direction;
    if (this.after !== undefined && d * compareParts(primary, caseId, ordinal, this.after) <= 0) return;
    if (this.worstKept !== undefined && d * compareParts(primary, caseId, ordinal, this.worstKept) >= 0) return;
    this.buffer.push({ key: { primary, caseId, ordinal }, item: make() });
    if (this.buffer.length >= 2 * (this.limit + 1)) this.cut();
  }

  result(): Page<T> {
    this.cut();
    const more = this.buffer.length > this.limit;
    const kept = this.buffer.slice(0, this.limit);
    const last = kept[kept.length - 1];
    return { items: kept.map((r) => r.item), ...(more && last !== undefined ? { next: last.key } : {}) };
  }

  private cut(): void {
    const d = this.direction;
    this.buffer.sort((x, y) => d * compareKeys(x.key, y.key));
    if (this.buffer.length > this.limit + 1) this.buffer.length = this.limit + 1;
    if (this.buffer.length === this.limit + 1) this.worstKept = this.buffer[this.limit]!.key;
  }
}

/** Between a list's order and its query's fingerprint in a cursor's order (`scopedOrder`). */
const SCOPE_MARK = '~';

/**
 * A list's order bound to the query a page answered: its sort and a fingerprint of its period and
 * filters (every field of `query` but those in `paging`: the cursor, the page size, the listing
 * instant). A cursor sent with another period or other filters is then refused instead of skipping
 * rows silently (an auditor's November cursor sent with `departmentId=D2` lost a red card).
 */
export function scopedOrder(order: string, query: object, paging: readonly string[]): string {
  const fields = Object.entries(query)
    .filter(([k, v]) => v !== undefined && !paging.includes(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const scope = createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 12);
  return `${order}${SCOPE_MARK}${scope}`;
}

/** The order a scoped order names, for messages. */
export const sortOf = (order: string): string => order.split(SCOPE_MARK)[0]!;

/**
 * The opaque cursor: the order it belongs to and the last key sent, base64url JSON; a list whose keys
 * are read at an instant (the case list's paused deadlines) adds the instant its first page was read at.
 */
export function encodeCursor(order: string, key: PageKey, listedAt?: number): string {
  const parts: (string | number)[] = [order, key.primary, key.caseId, key.ordinal];
  if (listedAt !== undefined) parts.push(listedAt);
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** The longest cursor a list takes (OpenAPI says so from here). */
export const MAX_CURSOR_LENGTH = 1024;
const NOT_OURS = 'is not a cursor this server sent (use nextCursor as given)';

export interface TimedCursor {
  readonly key: PageKey;
  /** The instant the listing's first page was read at; absent in a cursor made without one. */
  readonly listedAt?: number;
}

/** The key in `cursor`; a 400 naming `cursor` when it is not one of ours or was made for another order. */
export function decodeCursor(cursor: string, order: string): PageKey {
  const decoded = decodeTimedCursor(cursor, order);
  if (decoded.listedAt !== undefined) throw new StatsQueryError('cursor', NOT_OURS);
  return decoded.key;
}

/**
 * The key and the listing instant in `cursor` (decodeCursor's checks, and the instant a whole number
 * of milliseconds). Whether the instant is one the list accepts (not ahead of its clock, not too old)
 * is the list's to say.
 */
export function decodeTimedCursor(cursor: string, order: string): TimedCursor {
  const bad = (why: string) => new StatsQueryError('cursor', why);
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad(NOT_OURS);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad(NOT_OURS);
  }
  if (
    !Array.isArray(parsed) ||
    (parsed.length !== 4 && parsed.length !== 5) ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'number' ||
    !Number.isFinite(parsed[1]) ||
    typeof parsed[2] !== 'string' ||
    typeof parsed[3] !== 'number' ||
    !Number.isInteger(parsed[3])
  )
    throw bad(NOT_OURS);
  // A cursor made before cursors named their query (no scope) pages on as it did then.
  const legacy = !parsed[0].includes(SCOPE_MARK) && parsed[0] === sortOf(order);
  if (parsed[0] !== order && !legacy) {
    const made = sortOf(parsed[0]);
    if (made !== sortOf(order))
      throw bad(
        `was made for sort ${made}, not ${sortOf(order)}: keep the sort while paging, or start without a cursor`,
      );
    throw bad(
      'was made for another period or other filters: keep them as they were for the first page while paging, or start without a cursor',
    );
  }
  const key = { primary: parsed[1], caseId: parsed[2], ordinal: parsed[3] };
  if (parsed.length === 4) return { key };
  const listedAt: unknown = parsed[4];
  if (typeof listedAt !== 'number' || !Number.isSafeInteger(listedAt))
    throw bad(`${NOT_OURS}: its listing instant is not a whole number of milliseconds`);
  return { key, listedAt };
}
