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
import { EVENT_COLUMNS, type EventRow } from './schema.js';

/** Above this many ranges the filter stays in JavaScript (SQLite allows 32,766 parameters a statement). */
export const MAX_SQL_RANGES = 4096;
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

const rangeBounds = (covering: readonly string[]): (string | Buffer)[] =>
  covering.flatMap((p) => [p, prefixUpperBound(p) ?? NO_UPPER_BOUND]);

/** `(a OR b) OR (c OR d)`: balanced, so thousands of ranges stay within SQLite's expression depth (1,000). */
function orTree(terms: readonly string[]): string {
  if (terms.length === 1) return terms[0] as string;
  const middle = terms.length >> 1;
  return `(${orTree(terms.slice(0, middle))} OR ${orTree(terms.slice(middle))})`;
}

type Statement = Database.Statement<unknown[], EventRow>;
/** A row of a subscription's scan: its ordinal in the page (1-based), whether it matched (1n/0n), then the event's columns. */
export type ScanRow = [bigint, bigint, ...EventRow];
const RANGE_TERM = '(+stream >= ? AND +stream < ?)';

export class PrefixFilteredReads {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database.Database) {}

  /**
   * A reader of up to `limit` rows after position `after` whose stream begins
   * with one of `prefixes`, in position order; undefined when SQL cannot say
   * it exactly (a prefix with a lone surrogate: JavaScript's startsWith can
   * match half of a pair, UTF-8 cannot), or it would take too many ranges.
   */
  reader(prefixes: readonly string[]): ((after: bigint, limit: number) => EventRow[]) | undefined {
    if (prefixes.length === 0) return () => [];
    if (prefixes.some((p) => LONE_SURROGATE.test(p))) return undefined;
    const covering = coveringPrefixes(prefixes);
    if (covering.length > MAX_SQL_RANGES) return undefined;
    const bounds = rangeBounds(covering);
    const statement = this.statement(`read ${covering.length}`, () => {
      const filter = orTree(Array.from({ length: covering.length }, () => RANGE_TERM));
      return `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND ${filter} ORDER BY position LIMIT ?`;
    });
    return (after, limit) => statement.all(after, ...bounds, limit);
  }

  /**
   * For a filtered subscription, which ticks checkpoints over filtered-out
   * events: of the next `limit` rows after `after`, those that match, those on
   * which a checkpoint falls due (`carried` rows were scanned since the last
   * one, one is due every `interval`), and the last of a full page (so a page
   * of other streams still moves the subscription on). Other rows stay in SQLite.
   * Undefined where `reader` is.
   */
  scanner(
    prefixes: readonly string[],
  ): ((after: bigint, limit: number, carried: number, interval: number) => ScanRow[]) | undefined {
    if (prefixes.some((p) => LONE_SURROGATE.test(p))) return undefined;
    const covering = coveringPrefixes(prefixes);
    if (covering.length > MAX_SQL_RANGES) return undefined;
    const bounds = rangeBounds(covering);
    const statement = this.statement(`scan ${covering.length}`, () => {
      const filter = covering.length === 0 ? '0' : orTree(Array.from({ length: covering.length }, () => RANGE_TERM));
      const columns = EVENT_COLUMNS.split(', ')
        .map((c) => `events.${c}`)
        .join(', ');
      return `WITH page AS (SELECT position, stream FROM events WHERE position > ? ORDER BY position LIMIT ?),
        scanned AS (SELECT position, row_number() OVER (ORDER BY position) AS n, ${filter} AS matched FROM page)
        SELECT scanned.n, scanned.matched, ${columns} FROM scanned JOIN events ON events.position = scanned.position
        WHERE scanned.matched OR (scanned.n + ?) % ? = 0 OR scanned.n = ? ORDER BY scanned.n`;
    }) as unknown as Database.Statement<unknown[], ScanRow>;
    return (after, limit, carried, interval) => statement.all(after, limit, ...bounds, carried, interval, limit);
  }

  private statement(key: string, sql: () => string): Statement {
    const cached = this.statements.get(key);
    if (cached !== undefined) {
      // Most recently used last: the Map's order is the eviction order.
      this.statements.delete(key);
      this.statements.set(key, cached);
      return cached;
    }
    const statement = this.db.prepare<unknown[], EventRow>(sql()).raw().safeIntegers();
    if (this.statements.size >= STATEMENT_CACHE_SIZE) {
      this.statements.delete(this.statements.keys().next().value as string);
    }
    this.statements.set(key, statement);
    return statement;
  }
}
