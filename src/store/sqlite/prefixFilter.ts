/**
 * The `$all` stream-prefix filter done by SQLite, so rows of other streams are
 * never handed to JavaScript (a projection worker owning half the centers then
 * reads half the rows, docs/scaling.md "Scale-out (goal 5)").
 *
 * A prefix p is the range [p, upper(p)) of stream names. SQLite compares TEXT
 * under the BINARY collation as UTF-8 bytes, whose order is code point order,
 * so upper(p) is p with its last code point below U+10FFFF incremented (after
 * dropping the U+10FFFF ones), and no bound at all when p is only U+10FFFF
 * (bound as a BLOB, which SQLite orders above every TEXT). `+stream` keeps the
 * planner on the scan by position (the (stream, revision) index would need a
 * sort of every matching row per page). LIKE/GLOB are not used: no escaping.
 */
import type Database from 'better-sqlite3';
import type { ScannedItem } from '../core/catch-up-subscription.js';
import { InvalidAppendError, MAX_STREAM_PREFIXES, type RecordedEvent } from '../port.js';
import { EVENT_COLUMNS, type EventRow } from './schema.js';

/**
 * Ranges of one statement at most: the store's cap on prefixes (port.ts, checked
 * by validatePrefixes before a read gets here), two parameters a range, well
 * within SQLite's 32,766 parameters a statement.
 */
export const MAX_SQL_RANGES = MAX_STREAM_PREFIXES;
/** Statements kept, one per number of ranges (prefix sets are few: one per projection worker). */
export const STATEMENT_CACHE_SIZE = 16;

const NO_UPPER_BOUND = Buffer.alloc(0);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The smallest string above every string beginning with `prefix` (code point order), or undefined if none is. */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (c) => c.codePointAt(0) as number);
  while (codePoints.length > 0) {
    const last = codePoints.pop() as number;
    if (last < 0x10ffff) {
      // No code point lies between U+D7FF and U+E000 (the surrogates are not characters).
      codePoints.push(last === 0xd7ff ? 0xe000 : last + 1);
      return String.fromCodePoint(...codePoints);
    }
  }
  return undefined;
}

/** The prefixes no other prefix of the set covers, sorted (a prefix of a prefix makes the longer one redundant). */
export function coveringPrefixes(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort();
  const kept: string[] = [];
  for (const p of sorted) {
    const last = kept.at(-1);
    // Sorted, every string beginning with `last` follows it directly: `last` is the only candidate cover.
    if (last === undefined || !p.startsWith(last)) kept.push(p);
  }
  return kept;
}

/** Fails closed: a caller that skipped validatePrefixes is refused, not read in JavaScript for nothing. */
function withinCap(covering: string[]): string[] {
  if (covering.length > MAX_SQL_RANGES)
    throw new InvalidAppendError('streamPrefixes', `names ${covering.length} prefixes, at most ${MAX_SQL_RANGES}`);
  return covering;
}

const rangeBounds = (covering: readonly string[]): (string | Buffer)[] =>
  covering.flatMap((p) => [p, prefixUpperBound(p) ?? NO_UPPER_BOUND]);

/** `(a OR b) OR (c OR d)`: balanced, so thousands of ranges stay within SQLite's expression depth (1,000). */
function orTree(terms: readonly string[]): string {
  if (terms.length === 1) return terms[0] as string;
  const middle = terms.length >> 1;
  return `(${orTree(terms.slice(0, middle))} OR ${orTree(terms.slice(middle))})`;
}

type Statement = Database.Statement<unknown[], EventRow>;
const RANGE_TERM = '(+stream >= ? AND +stream < ?)';

/**
 * The filter of `prefixes` as an SQL condition on `stream` and its parameters
 * (two a range); undefined when SQL cannot say it exactly (a prefix with a lone
 * surrogate: JavaScript's startsWith can match half of a pair, UTF-8 cannot).
 * `ranges` names the statement (one per number of ranges).
 */
function rangeFilter(
  prefixes: readonly string[],
): { readonly condition: string; readonly bounds: (string | Buffer)[]; readonly ranges: number } | undefined {
  if (prefixes.some((p) => LONE_SURROGATE.test(p))) return undefined;
  const covering = withinCap(coveringPrefixes(prefixes));
  const condition = covering.length === 0 ? '0' : orTree(Array.from({ length: covering.length }, () => RANGE_TERM));
  return { condition, bounds: rangeBounds(covering), ranges: covering.length };
}

/**
 * A read of `$all` as SQL: its parameters are the position to read after, then
 * `bounds`, then the row limit. `key` names the statement (one per number of ranges).
 */
export interface AllReadQuery {
  readonly key: string;
  readonly sql: string;
  readonly bounds: readonly (string | Buffer)[];
}

/**
 * The read of `$all` after a position, in position order, of the streams
 * beginning with one of `prefixes` (every stream when undefined); undefined
 * when SQL cannot say the filter exactly (rangeFilter). The one
 * place its SQL is written: the store's own reads and the read-ahead worker's
 * (readAhead.ts, which selects its own `columns`) run it.
 */
export function allReadQuery(
  prefixes: readonly string[] | undefined,
  columns: string = EVENT_COLUMNS,
): AllReadQuery | undefined {
  const key = columns === EVENT_COLUMNS ? 'read' : `read (${columns})`;
  if (prefixes === undefined) {
    return {
      key: `${key} all`,
      sql: `SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      bounds: [],
    };
  }
  const filter = rangeFilter(prefixes);
  if (filter === undefined) return undefined;
  return {
    key: `${key} ${filter.ranges}`,
    sql: `SELECT ${columns} FROM events WHERE position > ? AND ${filter.condition} ORDER BY position LIMIT ?`,
    bounds: filter.bounds,
  };
}

export class PrefixFilteredReads {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database.Database) {}

  /** Statements kept now (at most STATEMENT_CACHE_SIZE). */
  get cachedStatements(): number {
    return this.statements.size;
  }

  /**
   * A reader of up to `limit` rows after position `after` whose stream begins
   * with one of `prefixes`, in position order; undefined when SQL cannot say
   * it exactly (a prefix with a lone surrogate: JavaScript's startsWith can
   * match half of a pair, UTF-8 cannot).
   */
  reader(prefixes: readonly string[]): ((after: bigint, limit: number) => EventRow[]) | undefined {
    if (prefixes.length === 0) return () => [];
    const query = allReadQuery(prefixes);
    if (query === undefined) return undefined;
    const { bounds } = query;
    const statement = this.statement(query.key, () => query.sql);
    return (after, limit) => statement.all(after, ...bounds, limit);
  }

  /**
   * For a filtered subscription, which ticks checkpoints over filtered-out
   * events (CatchUpSubscription's PageSource.readFiltered): of the next `limit`
   * rows after `after`, the matching ones as events; as bare positions, those on
   * which a checkpoint falls due (`carried` scanned since the last, one every
   * `interval`) and the last of a full page. Only positions of the others reach
   * JavaScript (0.2 µs a row, measured; numbering rows in SQL with row_number()
   * cost 1.1 µs). Undefined where `reader` is.
   */
  scanner(
    prefixes: readonly string[],
  ):
    | ((
        after: bigint,
        limit: number,
        carried: number,
        interval: number,
        decode: (row: EventRow) => RecordedEvent,
      ) => ScannedItem[])
    | undefined {
    const filter = rangeFilter(prefixes);
    if (filter === undefined) return undefined;
    const { bounds } = filter;
    const positions = this.statement(
      'positions',
      () => 'SELECT position FROM events WHERE position > ? ORDER BY position LIMIT ?',
    ) as unknown as Database.Statement<[bigint, number], bigint>;
    const matching = this.statement(
      `window ${filter.ranges}`,
      () =>
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? AND ${filter.condition} ORDER BY position`,
    );
    return (after, limit, carried, interval, decode) => {
      const scanned = positions.all(after, limit);
      const last = scanned.at(-1);
      if (last === undefined) return [];
      // Positions only grow (max + 1), so rows up to `last` are the same in both reads.
      const rows = matching.all(after, last, ...bounds);
      const items: ScannedItem[] = [];
      let r = 0;
      for (let i = 0; i < scanned.length; i++) {
        const position = scanned[i] as bigint;
        const ordinal = i + 1;
        const row = rows[r];
        if (row !== undefined && row[0] === position) {
          r++;
          items.push({ ordinal, position, event: decode(row) });
        } else if ((carried + ordinal) % interval === 0 || ordinal === limit) {
          items.push({ ordinal, position });
        }
      }
      return items;
    };
  }

  private statement(key: string, sql: () => string): Statement {
    const cached = this.statements.get(key);
    if (cached !== undefined) {
      // Most recently used last: the Map's order is the eviction order.
      this.statements.delete(key);
      this.statements.set(key, cached);
      return cached;
    }
    const prepared = this.db.prepare<unknown[], EventRow>(sql()).safeIntegers();
    // A single column is plucked (positions); rows are arrays.
    const statement = prepared.columns().length === 1 ? prepared.pluck() : prepared.raw();
    if (this.statements.size >= STATEMENT_CACHE_SIZE) {
      this.statements.delete(this.statements.keys().next().value as string);
    }
    this.statements.set(key, statement);
    return statement;
  }
}
