/**
 * The `$all` reads filtered by stream prefix in SQL (the condition is
 * prefixCondition.ts's), so rows of other streams are never handed to
 * JavaScript (a projection worker owning half the centers then reads half the
 * rows, docs/scaling.md "Scale-out (goal 5)"), and the statements that run them.
 */
import type Database from 'better-sqlite3';
import type { ScannedItem } from '../core/catch-up-subscription.js';
import type { RecordedEvent } from '../port.js';
import { type PrefixFilterForm, prefixCondition } from './prefixCondition.js';
import { EVENT_COLUMNS, type EventRow } from './schema.js';

/** Statements kept, one per shape of condition (prefix sets are few: one per projection worker). */
export const STATEMENT_CACHE_SIZE = 16;

type Statement = Database.Statement<unknown[], EventRow>;

/**
 * A read of `$all` as SQL: its parameters are the position to read after, then
 * `bounds`, then the row limit. `key` names the statement (one per shape of condition).
 */
export interface AllReadQuery {
  readonly key: string;
  readonly sql: string;
  readonly bounds: readonly (string | Buffer)[];
}

/**
 * The read of `$all` after a position, in position order, of the streams
 * beginning with one of `prefixes` (every stream when undefined), the filter
 * said in `form`; undefined when SQL cannot say it exactly (prefixCondition). The one
 * place its SQL is written: the store's own reads and the read-ahead worker's
 * (readAhead.ts, which selects its own `columns`) run it.
 */
export function allReadQuery(
  prefixes: readonly string[] | undefined,
  columns: string = EVENT_COLUMNS,
  form: PrefixFilterForm = 'auto',
): AllReadQuery | undefined {
  const key = columns === EVENT_COLUMNS ? 'read' : `read (${columns})`;
  if (prefixes === undefined) {
    return {
      key: `${key} all`,
      sql: `SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      bounds: [],
    };
  }
  const filter = prefixCondition(prefixes, form);
  if (filter === undefined) return undefined;
  return {
    key: `${key} ${filter.shape}`,
    sql: `SELECT ${columns} FROM events WHERE position > ? AND ${filter.condition} ORDER BY position LIMIT ?`,
    bounds: filter.bounds,
  };
}

export class PrefixFilteredReads {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly form: PrefixFilterForm = 'auto',
  ) {}

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
    const query = allReadQuery(prefixes, EVENT_COLUMNS, this.form);
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
    const filter = prefixCondition(prefixes, this.form);
    if (filter === undefined) return undefined;
    const { bounds } = filter;
    const positions = this.statement(
      'positions',
      () => 'SELECT position FROM events WHERE position > ? ORDER BY position LIMIT ?',
    ) as unknown as Database.Statement<[bigint, number], bigint>;
    const matching = this.statement(
      `window ${filter.shape}`,
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
