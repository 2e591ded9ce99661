/**
 * Durable embedded event store on better-sqlite3 (STORE=sqlite:<path>).
 * WAL journal, one IMMEDIATE transaction per append, unique (stream, revision)
 * and unique eventId. Subscribers are woken in-process after each commit.
 * Durability: see docs/event-store.md (synchronous NORMAL vs FULL).
 *
 * Longer than the house's ~300 lines on purpose: every operation of the port over
 * one connection and its prepared statements. What changes for other reasons lives
 * beside it: faults.ts (damage, disk-full bursts), storedJson.ts (the stored body),
 * schema.ts (tables, identity), privateFile.ts (mode 600), prefixFilter.ts (the
 * stream-prefix filter of `$all` reads, in SQL), allPages.ts (the pages of a
 * `$all` read), readAhead.ts (readAllBatches' pages read in a worker thread).
 */
import Database from 'better-sqlite3';
import {
  InvalidAppendError,
  StoreError,
  type StoreCorruptError,
  StoreUnavailableError,
  type AppendOptions,
  type AppendOutcome,
  type AppendResult,
  type EventData,
  type EventStore,
  type ReadAllBatchesOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type StreamAppend,
  type Subscription,
} from '../port.js';
import { CatchUpSubscription } from '../core/catch-up-subscription.js';
import type { WriteFailure } from '../core/failure-burst.js';
import { checkExpectedRevision, resolveDuplicates, type StoredLocation } from '../core/concurrency.js';
import { recordedAtNow, systemClock, type StoreClock, type StoreOptions } from '../core/clock.js';
import { CommitNotifier } from '../core/notifier.js';
import { type AsyncPageSource, asyncPages } from '../core/async-pages.js';
import { type EventRows, eventRowsOf } from '../eventRows.js';
import { pagedIterable } from '../core/paged-iterable.js';
import {
  validateAppend,
  validateBatchSize,
  validateMaxCount,
  validatePosition,
  validatePrefixes,
  validateStreamId,
  type ValidAppend,
} from '../core/validate.js';
import { type FaultListeners, SqliteFaults } from './faults.js';
import { AllPages } from './allPages.js';
import { type PrefixFilterForm, validPrefixFilterForm } from './prefixCondition.js';
import { type AllReadQuery, allReadQuery, PrefixFilteredReads } from './prefixFilter.js';
import { ReadAhead } from './readAhead.js';
import { makeDatabaseFilesPrivate } from './privateFile.js';
import { storedJson } from './storedJson.js';
import {
  addAppendIndexColumn,
  EVENT_COLUMNS,
  HEAD_SQL,
  SCHEMA_SQL,
  readOrCreateIdentity,
  type EventRow,
  type SynchronousMode,
} from './schema.js';

export interface SqliteStoreOptions extends StoreOptions, FaultListeners {
  /** PRAGMA synchronous in WAL mode; default NORMAL (see docs/event-store.md). */
  readonly synchronous?: SynchronousMode;
  /** Fallback poll for subscribers, catching commits made by another process (ms, default 1000). */
  readonly pollMs?: number;
  /**
   * readAllBatches of a file store reads its pages ahead in a worker thread (readAhead.ts):
   * 'auto' (default) once a first page read here came back full with at least
   * `readAheadMinRows` rows of the log still after it, 'always' from the first page (tests),
   * 'off' never. `:memory:` stores never do (a second connection sees another database).
   */
  readonly readAhead?: 'auto' | 'always' | 'off';
  /** See `readAhead` (default READ_AHEAD_MIN_ROWS). */
  readonly readAheadMinRows?: number;
  /** How SQL says a stream-prefix filter (prefixCondition.ts): 'auto' (default); the others for tests and the bench. */
  readonly prefixFilterForm?: PrefixFilterForm;
}

/** How long a write waits for a lock another process holds (see the pragma). */
const BUSY_TIMEOUT_MS = 500;
const READ_PAGE = 1024;
/**
 * Rows of the log a read must still have ahead of it for 'auto' to start a
 * worker: starting one (a thread, better-sqlite3 loaded, a connection) takes
 * 150-170 ms here, which the main thread reads ≈ 30-60 k rows in; measured on
 * the 1 M-event province store, reads of 2 k / 20 k / 50 k / 200 k events took
 * 19-23 / 105-114 / 153-263 / 930-1,034 ms on the main thread against
 * 172-184 / 237-267 / 297-329 / 650-720 ms read ahead.
 */
export const READ_AHEAD_MIN_ROWS = 100_000;
/** Page cache: 64 MiB (negative = KiB, SQLite convention). */
export const CACHE_KIB = -65_536;
/** Checkpoint the WAL into the database every ~40 MB of WAL (10,000 pages of 4 KiB) instead of ~4 MB. */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Rows come from `safeIntegers()` statements, so position and revision are
 * already bigint: converting numbers with `BigInt()` here cost ~30% of readAll's
 * CPU (measured, docs/event-store.md), the driver's own conversion almost nothing.
 */
const toEvent = (row: EventRow): RecordedEvent => ({
  streamId: row[1],
  eventId: row[3],
  type: row[4],
  data: JSON.parse(row[5]) as Record<string, unknown>,
  revision: row[2],
  position: row[0],
  recordedAt: row[6],
  ...(row[7] === null ? {} : { appendIndex: Number(row[7]) }),
});

/** Aborts the savepoint-free appendMany transaction so it is redone with a savepoint per request. */
class NeedsSavepoints extends Error {}

const isUniqueViolation = (e: unknown): boolean =>
  e instanceof Database.SqliteError && e.code.startsWith('SQLITE_CONSTRAINT');

export class SqliteEventStore implements EventStore {
  readonly name: string;
  private readonly db: Database.Database;
  private readonly storeIdentity: string;
  private readonly clock: StoreClock;
  private readonly notifier = new CommitNotifier();
  private readonly pollMs: number;
  private readonly faults: SqliteFaults;
  private readonly stmts: ReturnType<SqliteEventStore['prepare']>;
  private readonly prefixReads: PrefixFilteredReads;
  private readonly readAheadMode: 'auto' | 'always' | 'off';
  private readonly readAheadMinRows: number;
  private readonly prefixFilterForm: PrefixFilterForm;
  /** Workers reading ahead now: close() ends them. */
  private readonly readAheads = new Set<ReadAhead>();
  private readonly appendTxn: (batch: ValidAppend, recordedAt: string) => AppendResult;
  /** appendMany without savepoints: aborted (NeedsSavepoints) when an insert fails part-way through a request. */
  private readonly appendManyFast: (requests: readonly StreamAppend[], recordedAt: string) => AppendOutcome[];
  /** appendMany with a savepoint per request, so a request failing part-way rolls back alone. */
  private readonly appendManyIsolated: (requests: readonly StreamAppend[], recordedAt: string) => AppendOutcome[];
  /** One stream's append inside appendManyIsolated: better-sqlite3 runs a nested transaction as a SAVEPOINT. */
  private readonly savepointWrite: (batch: ValidAppend, recordedAt: string) => AppendResult;

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.name = `sqlite:${path}`;
    this.clock = options.clock ?? systemClock;
    this.pollMs = options.pollMs ?? 1000;
    this.readAheadMode = path === ':memory:' ? 'off' : (options.readAhead ?? 'auto');
    this.readAheadMinRows = options.readAheadMinRows ?? READ_AHEAD_MIN_ROWS;
    this.prefixFilterForm = validPrefixFilterForm(options.prefixFilterForm ?? 'auto');
    this.faults = new SqliteFaults(this.name, this.clock, options);
    try {
      if (path !== ':memory:') makeDatabaseFilesPrivate(path);
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      // better-sqlite3 waits for a lock synchronously, holding every request of the engine: a lock held
      // elsewhere (a second engine in a rolling restart writes for milliseconds) is waited for 0.5 s,
      // then the write is refused as a write failure /readyz and the metrics report (it was 5 s a write).
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // The eventId index is random-ordered: keep it in cache rather than re-reading pages per insert.
      this.db.pragma(`cache_size = ${CACHE_KIB}`);
      // Fewer, larger checkpoints: each one syncs the database file (measured 2x on appends; docs/event-store.md).
      this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      this.db.exec(SCHEMA_SQL);
      addAppendIndexColumn(this.db);
      this.storeIdentity = readOrCreateIdentity(this.db);
      this.stmts = this.prepare();
      this.prefixReads = new PrefixFilteredReads(this.db, this.prefixFilterForm);
    } catch (e) {
      throw this.faults.failure(e, 'the database file', 'cannot open the database');
    }
    const write = this.db.transaction((batch: ValidAppend, recordedAt: string) => this.write(batch, recordedAt));
    this.appendTxn = write.immediate;
    this.savepointWrite = write;
    this.appendManyFast = this.db.transaction((requests: readonly StreamAppend[], recordedAt: string) =>
      requests.map((r) => this.writeOneOfMany(r, recordedAt, false)),
    ).immediate;
    this.appendManyIsolated = this.db.transaction((requests: readonly StreamAppend[], recordedAt: string) =>
      requests.map((r) => this.writeOneOfMany(r, recordedAt, true)),
    ).immediate;
  }

  private prepare() {
    const db = this.db;
    return {
      streamHead: db.prepare<[string], number | null>('SELECT MAX(revision) FROM events WHERE stream = ?').pluck(),
      insert: db.prepare<[string, number, string, string, string, string, number]>(
        'INSERT INTO events (stream, revision, event_id, type, data, recorded_at, append_index) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      findById: db.prepare<[string], { stream: string; revision: number; position: number; recorded_at: string }>(
        'SELECT stream, revision, position, recorded_at FROM events WHERE event_id = ?',
      ),
      readAfter: db
        .prepare<[bigint, number], EventRow>((allReadQuery(undefined) as AllReadQuery).sql)
        .raw()
        .safeIntegers(),
      readStream: db
        .prepare<[string, bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
        )
        .raw()
        .safeIntegers(),
      head: db.prepare<[], number | null>(HEAD_SQL).pluck(),
    };
  }

  async append(streamId: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    this.ensureOpen();
    const batch = validateAppend(streamId, events, options.expectedRevision);
    let result: AppendResult;
    try {
      result = this.appendTxn(batch, recordedAtNow(this.clock));
    } catch (e) {
      if (e instanceof StoreError) throw e;
      if (isUniqueViolation(e)) {
        const duplicate = this.resolveStored(batch);
        if (duplicate) return duplicate;
      }
      throw this.faults.writeFailed(e, `stream ${batch.streamId}`);
    }
    this.faults.writeSucceeded();
    if (!result.duplicate) this.notifier.notify();
    return result;
  }

  async appendMany(requests: readonly StreamAppend[]): Promise<AppendOutcome[]> {
    this.ensureOpen();
    if (!Array.isArray(requests)) throw new InvalidAppendError('requests', 'must be an array');
    if (requests.length === 0) return [];
    const recordedAt = recordedAtNow(this.clock);
    let outcomes: AppendOutcome[];
    try {
      try {
        outcomes = this.appendManyFast(requests, recordedAt);
      } catch (e) {
        if (!(e instanceof NeedsSavepoints)) throw e;
        // Rare (an eventId reused across streams): the whole transaction was rolled back; redo it request by request.
        outcomes = this.appendManyIsolated(requests, recordedAt);
      }
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      throw this.faults.writeFailed(e, `an append to ${requests.length} streams`);
    }
    this.faults.writeSucceeded();
    if (outcomes.some((o) => o.ok && !o.result.duplicate)) this.notifier.notify();
    return outcomes;
  }

  /**
   * One request of appendMany, inside the outer IMMEDIATE transaction. Typed
   * refusals (bad input, wrong expected revision, a conflicting retry) are all
   * found before the request's first insert, so they need no rollback. Only an
   * insert failing part-way (unique eventId) does: without a savepoint
   * (`isolated` false) that aborts the whole transaction with NeedsSavepoints;
   * with one, it rolls back this request alone. Anything else aborts the call.
   */
  private writeOneOfMany(request: StreamAppend, recordedAt: string, isolated: boolean): AppendOutcome {
    let batch: ValidAppend;
    try {
      batch = validateAppend(request?.streamId, request?.events, request?.expectedRevision);
    } catch (e) {
      if (e instanceof StoreError) return { ok: false, error: e };
      throw e;
    }
    try {
      return { ok: true, result: isolated ? this.savepointWrite(batch, recordedAt) : this.write(batch, recordedAt) };
    } catch (e) {
      if (e instanceof StoreError) return { ok: false, error: e };
      if (!isUniqueViolation(e)) throw e;
      if (!isolated) throw new NeedsSavepoints();
      try {
        const duplicate = this.resolveStored(batch);
        if (duplicate) return { ok: true, result: duplicate };
      } catch (conflict) {
        if (conflict instanceof StoreError) return { ok: false, error: conflict };
        throw conflict;
      }
      throw e;
    }
  }

  /** Runs inside the IMMEDIATE transaction; any throw rolls the whole batch back. */
  private write(batch: ValidAppend, recordedAt: string): AppendResult {
    const { streamId } = batch;
    const head = this.stmts.streamHead.get(streamId);
    const current = head === null || head === undefined ? undefined : BigInt(head);
    try {
      checkExpectedRevision(streamId, batch.expectedRevision, current);
    } catch (e) {
      // A retry carries its original (now stale) expected revision: answer it first.
      const duplicate = this.resolveStored(batch);
      if (duplicate) return duplicate;
      throw e;
    }
    let revision = head === null || head === undefined ? 0 : head + 1;
    const positions: bigint[] = [];
    for (const [appendIndex, e] of batch.events.entries()) {
      const info = this.stmts.insert.run(
        streamId,
        revision,
        e.eventId,
        e.type,
        storedJson(e.json),
        recordedAt,
        appendIndex,
      );
      positions.push(BigInt(info.lastInsertRowid));
      revision++;
    }
    const position = positions[positions.length - 1] as bigint;
    return { nextExpectedRevision: BigInt(revision - 1), position, positions, duplicate: false, recordedAt };
  }

  private resolveStored(batch: ValidAppend): AppendResult | undefined {
    const ids = batch.events.map((e) => e.eventId);
    const found = ids.map((id): StoredLocation | undefined => {
      const row = this.stmts.findById.get(id);
      return (
        row && {
          streamId: row.stream,
          revision: BigInt(row.revision),
          position: BigInt(row.position),
          recordedAt: row.recorded_at,
        }
      );
    });
    return resolveDuplicates(batch.streamId, ids, found);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    return pagedIterable(() => {
      validateStreamId(streamId);
      const from = validatePosition(options.fromRevision, 'fromRevision') ?? 0n;
      let remaining = validateMaxCount(options.maxCount);
      let next = from < 0n ? 0n : from;
      return () => {
        if (remaining <= 0) return undefined;
        const rows = this.guard(
          () => this.stmts.readStream.all(streamId, next, Math.min(READ_PAGE, remaining)),
          `stream ${streamId}`,
        );
        if (rows.length === 0) return undefined;
        remaining = rows.length < Math.min(READ_PAGE, remaining) ? 0 : remaining - rows.length;
        next += BigInt(rows.length);
        return rows.map((row) => this.event(row));
      };
    });
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return pagedIterable(() => {
      const pages = this.allPages(options, READ_PAGE).pages;
      return () => pages.next();
    });
  }

  /**
   * The pages of readAll, read ahead in a worker thread when that pays (readAhead.ts):
   * the first page here, the rest in the worker when the first came back full and
   * at least `readAheadMinRows` rows of the log follow it.
   * `onScanned` is told how far the read scanned (AllPages.scannedTo, or ReadAhead.scannedTo when the
   * worker read the end), after its last array.
   */
  readAllBatches(options: ReadAllBatchesOptions = {}): AsyncIterable<readonly RecordedEvent[]> {
    return asyncPages(() =>
      this.readAllPages(
        options,
        false,
        (events) => events,
        (ahead) => ahead.next(),
      ),
    );
  }

  /** readAllBatches' pages as rows (the catch-up's form): the pages read ahead are handed over as parsed (readAhead.ts "Rows"). */
  async *readAllRows(options: ReadAllBatchesOptions = {}): AsyncIterable<EventRows> {
    const pages = asyncPages<EventRows>(() =>
      this.readAllPages(
        options,
        true,
        (events) => [eventRowsOf(events)],
        (ahead) => ahead.nextRows().then((rows) => (rows === undefined ? undefined : [rows])),
      ),
    );
    for await (const [rows] of pages) yield rows as EventRows;
  }

  /** The source of readAllBatches' pages, each page as `fromEvents` or `fromAhead` makes it. */
  private readAllPages<T>(
    options: ReadAllBatchesOptions,
    /** The pages read ahead are taken as rows (ReadAhead.nextRows). */
    rows: boolean,
    fromEvents: (events: RecordedEvent[]) => readonly T[],
    fromAhead: (ahead: ReadAhead) => Promise<readonly T[] | undefined>,
  ): AsyncPageSource<T> {
    const { pages, prefixes, inSql } = this.allPages(options, validateBatchSize(options.batchSize, READ_PAGE));
    let canReadAhead = inSql && this.readAheadMode !== 'off';
    let ahead =
      canReadAhead && this.readAheadMode === 'always' ? this.readAhead(pages, prefixes, options, rows) : undefined;
    // After the last array: how far the read scanned, from the thread that read the end.
    const ended = <P>(page: P | undefined, scanned: bigint | undefined) => {
      if (page === undefined && scanned !== undefined) options.onScanned?.(scanned);
      return page;
    };
    return {
      next: () => {
        if (ahead !== undefined) {
          const reading = ahead;
          return fromAhead(reading).then((page) => ended(page, reading.scannedTo));
        }
        const page = ended(pages.next(), pages.scannedTo);
        if (canReadAhead && pages.more && this.rowsAfter(pages.after) >= this.readAheadMinRows)
          ahead = this.readAhead(pages, prefixes, options, rows);
        canReadAhead = false; // decided at the first page: a short read stays on this thread
        return page === undefined ? undefined : fromEvents(page);
      },
      close: () => ahead?.close(),
    };
  }

  /** Rows of the log after `position` (positions are given in order, without gaps). */
  private rowsAfter(position: bigint): number {
    return Math.max(0, Number(this.head() - position));
  }

  /** The read-ahead workers running now (each ends at its read's end, on an error, or at close()). */
  readAheadsRunning(): readonly ReadAhead[] {
    return [...this.readAheads];
  }

  /** The rest of `pages` read by a worker, ended when the store closes. */
  private readAhead(
    pages: AllPages,
    prefixes: readonly string[] | undefined,
    options: ReadAllBatchesOptions,
    rows: boolean,
  ): ReadAhead {
    this.ensureOpen();
    const ahead = new ReadAhead(
      {
        path: this.path,
        prefixes,
        prefixFilterForm: this.prefixFilterForm,
        after: pages.after,
        pageSize: pages.pageSize,
        remaining: pages.remaining,
        ...(options.onScanned === undefined ? {} : { scannedFrom: pages.from }),
        rows,
      },
      {
        failure: (e, where) => this.faults.failure(e, where, 'read failed'),
        unparsable: (position) => this.unparsable(position),
      },
    );
    this.readAheads.add(ahead);
    void ahead.exited.then(() => this.readAheads.delete(ahead));
    return ahead;
  }

  /** The error this connection's read gives for the row at `position` (read ahead, it did not parse). */
  private unparsable(position: bigint): Error {
    try {
      const row = this.guard(() => this.stmts.readAfter.all(position - 1n, 1)[0], `positions from ${position}`);
      if (row !== undefined) this.event(row);
    } catch (e) {
      return e as Error;
    }
    return this.faults.corrupt(`position ${position}`, 'a stored record read ahead does not parse');
  }

  /**
   * Validates the options, then returns the pages of the read on this connection, its prefixes, and
   * whether SQL filters them (a worker can then read it). The prefix filter runs in SQL
   * (prefixFilter.ts); in JavaScript only for prefixes SQL cannot say exactly.
   */
  private allPages(
    options: ReadAllBatchesOptions,
    pageSize: number,
  ): { pages: AllPages; prefixes: readonly string[] | undefined; inSql: boolean } {
    const from = validatePosition(options.fromPosition, 'fromPosition') ?? 0n;
    const remaining = validateMaxCount(options.maxCount);
    const prefixes = validatePrefixes(options.streamPrefixes);
    const filteredRead =
      prefixes === undefined ? undefined : this.guard(() => this.prefixReads.reader(prefixes), 'the stream prefixes');
    const read = filteredRead ?? ((after: bigint, limit: number) => this.stmts.readAfter.all(after, limit));
    const filterInJs = filteredRead === undefined ? prefixes : undefined;
    const pages = new AllPages(
      (after, limit) => this.guard(() => read(after, limit), `positions from ${after + 1n}`),
      (row) => this.event(row),
      filterInJs,
      pageSize,
      from,
      remaining,
      // Rows of other streams never reach this thread: how far a read scanned is the head it saw.
      filteredRead !== undefined && options.onScanned !== undefined ? () => this.head() : undefined,
    );
    return { pages, prefixes, inSql: prefixes === undefined || filteredRead !== undefined };
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.ensureOpen();
    // One subscription has one prefix set: the statement for it is looked up once.
    let scanner: { prefixes: readonly string[]; scan: ReturnType<PrefixFilteredReads['scanner']> } | undefined;
    return new CatchUpSubscription(
      {
        notifier: this.notifier,
        pollMs: this.pollMs,
        readAfter: (after, limit) =>
          this.guard(() => this.stmts.readAfter.all(after, limit), `positions from ${after + 1n}`).map((row) =>
            this.event(row),
          ),
        readFiltered: (after, limit, prefixes, carried, interval) => {
          if (scanner?.prefixes !== prefixes) {
            scanner = { prefixes, scan: this.guard(() => this.prefixReads.scanner(prefixes), 'the stream prefixes') };
          }
          const { scan } = scanner;
          if (scan === undefined) return undefined;
          return this.guard(
            () => scan(after, limit, carried, interval, (row) => this.event(row)),
            `positions from ${after + 1n}`,
          );
        },
      },
      options,
    );
  }

  async identity(): Promise<string> {
    return this.storeIdentity;
  }

  async headPosition(): Promise<bigint> {
    return this.head();
  }

  /** The last position written, −1 when none. */
  private head(): bigint {
    const head = this.guard(() => this.stmts.head.get(), 'the head position');
    return head === null || head === undefined ? -1n : BigInt(head);
  }

  async close(): Promise<void> {
    this.notifier.close();
    const closed = new StoreUnavailableError(this.name, 'the store is closed');
    for (const ahead of this.readAheads) ahead.close(closed);
    this.readAheads.clear();
    if (this.db.open) this.db.close();
  }

  private ensureOpen(): void {
    if (!this.db.open) throw new StoreUnavailableError(this.name, 'the store is closed');
  }

  private guard<T>(read: () => T, where: string): T {
    this.ensureOpen();
    try {
      return read();
    } catch (e) {
      // Already named (a row that does not parse, decoded inside a filtered scan): as it is.
      if (e instanceof StoreError) throw e;
      throw this.faults.failure(e, where, 'read failed');
    }
  }

  /** The burst of failed writes running now (disk full, I/O error), if any. */
  writeFailure(): WriteFailure | undefined {
    return this.faults.writeFailure();
  }

  /** The first damage found, if any (it does not heal). */
  corruption(): StoreCorruptError | undefined {
    return this.faults.corruption();
  }

  /** One row as an event; a body that does not parse is damage, named by its stream and position. */
  private event(row: EventRow): RecordedEvent {
    try {
      return toEvent(row);
    } catch (e) {
      throw this.faults.corrupt(
        `stream ${row[1]} at position ${row[0]}`,
        `a stored record does not parse (${(e as Error).message})`,
      );
    }
  }
}
