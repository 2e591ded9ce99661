/**
 * Pages of `$all` read ahead in a worker thread (readAhead.worker.mjs), for
 * SqliteEventStore.readAllBatches, the catch-up path of a rebuild: SQLite's
 * stepping and the conversion of columns into JavaScript values (~2.5 s of a
 * 1 M-event rebuild's main thread) run on the other core while this thread
 * folds (docs/event-store.md "Read-ahead").
 *
 * Page layout: posting rows as arrays (a structured clone per value) costs the
 * receiving thread as much as reading them, but a flat one-byte string posts as
 * a copy of its bytes. So a page is a few strings (chunks), each the
 * concatenation of whole rows, each row the JSON array `[stream, eventId, type,
 * recordedAt, body, appendIndex]` (built by SQLite: PACKED_COLUMNS), plus two transferred
 * typed arrays: per row its text's length (Int32), its position and revision
 * (Float64: both are below 2^53). One JSON.parse per row gives the strings and
 * the body at once, fresh: a slice of the page would keep the whole page alive
 * as long as a read model keeps the value. Chunks stay below V8's large-object
 * size (CHUNK_CHARS), so a page taken is young garbage, freed by the next
 * scavenge; one string a page (~370 KB) went to the large-object space, where
 * the pages piled up until a full GC (peak RSS of a 1 M-event rebuild +130 MB).
 *
 * Rows: a page taken is first its rows, each the parsed array (PackedRows);
 * `next()` makes them the contract's RecordedEvents (readAllBatches). A read
 * ahead started in the rows form (`rows`, for readAllRows, eventRows.ts) packs
 * each row without its eventId (PACKED_ROW_COLUMNS: the ids in chunks apart)
 * and `nextRows()` hands the rows themselves to the catch-up
 * (PackedRowsWithoutIds), which reads the parts it needs by index: no
 * RecordedEvent, no two BigInts and no eventId string per case event.
 */
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { EventRows } from '../eventRows.js';
import type { RecordedEvent } from '../port.js';
import { scannedTo } from './allPages.js';
import type { PrefixFilterForm } from './prefixCondition.js';
import { allReadQuery } from './prefixFilter.js';
import { HEAD_SQL } from './schema.js';

/** Pages read ahead and not yet taken, at most: enough to keep the worker busy while a page is folded. */
export const PAGES_IN_FLIGHT = 8;
/**
 * Pages taken before the worker is granted as many more, in one message (below
 * PAGES_IN_FLIGHT, so that pages are always waiting while the worker is held):
 * a message a page woke the worker a thousand times a million events.
 */
export const CREDITS_A_MESSAGE = 4;

/** Characters of a chunk at most (one-byte: bytes), below V8's largest young object (128 KiB). */
export const CHUNK_CHARS = 64 * 1024;

const WORKER_URL = new URL('./readAhead.worker.mjs', import.meta.url);

/**
 * The worker's columns: position, revision, and the row's text, made by SQLite
 * (cheaper than in JavaScript, measured: 2.2 s instead of 2.8 s of the worker's
 * CPU per million rows). json_quote writes a stored string as a JSON string;
 * the body is stored JSON, as is.
 */
export const PACKED_COLUMNS =
  "position, revision, '[' || json_quote(stream) || ',' || json_quote(event_id) || ',' || json_quote(type) || ',' || json_quote(recorded_at) || ',' || data || ',' || ifnull(append_index, 'null') || ']'";

/**
 * The rows form's columns (readAllRows, the catch-up): the row `[stream, type,
 * recordedAt, body, appendIndex]` without its eventId, which comes as a column of its own
 * (JSON-quoted) and is parsed only when a row is made an event (events of
 * other streams than cases): a case event's eventId is never read by the fold,
 * and parsing it cost the main thread 38 characters and a string a row.
 */
export const PACKED_ROW_COLUMNS =
  "position, revision, '[' || json_quote(stream) || ',' || json_quote(type) || ',' || json_quote(recorded_at) || ',' || data || ',' || ifnull(append_index, 'null') || ']', json_quote(event_id)";

export interface ReadAheadStart {
  readonly path: string;
  /** The read's filter, one SQL can say exactly (prefixFilter.ts allReadQuery); undefined for every stream. */
  readonly prefixes: readonly string[] | undefined;
  /** How SQL says the filter (the store's option). */
  readonly prefixFilterForm: PrefixFilterForm;
  /** Read the rows after this position. */
  readonly after: bigint;
  readonly pageSize: number;
  /** Events still wanted (maxCount); the worker may read past it, the pages are cut here. */
  readonly remaining: number;
  /** Given when the caller wants `scannedTo` (onScanned): the read's fromPosition. */
  readonly scannedFrom?: bigint;
  /** The pages are taken as rows (nextRows, PACKED_ROW_COLUMNS), not as events. */
  readonly rows?: boolean;
}

/** How the store reports what went wrong, exactly as its own reads do. */
export interface ReadAheadFaults {
  /** A driver error of the read after `where` as the port's error (guard in sqlite-store.ts). */
  failure(error: unknown, where: string): Error;
  /**
   * The row at `position` does not parse: the store reads it again on its own
   * connection and answers the error its own read gives (the same by construction).
   */
  unparsable(position: bigint): Error;
}

interface PackedPage {
  /** The rows' texts, concatenated, in chunks of whole rows. */
  readonly texts: readonly string[];
  /** Per row, the length of its text. */
  readonly lengths: Int32Array;
  /** Per row, its position and revision. */
  readonly numbers: Float64Array;
  /** The rows form: the rows' eventIds (JSON-quoted), concatenated, in chunks, and their lengths. */
  readonly ids?: readonly string[];
  readonly idLengths?: Int32Array;
  readonly last: boolean;
  /** With `scannedFrom` and a prefix filter: the head read before this page's query. */
  readonly head?: number;
}

type WorkerMessage =
  | ({ readonly kind: 'page' } & PackedPage)
  | { readonly kind: 'error'; readonly code: string | undefined; readonly message: string; readonly after: bigint };

export class ReadAhead {
  private readonly worker: Worker;
  private readonly pages: PackedPage[] = [];
  private remaining: number;
  private failed: Error | undefined;
  private ended = false;
  /** Pages taken since the worker was last granted more. */
  private owed = 0;
  private closed = false;
  /** The position of the last row taken (the read's start before any). */
  private lastPosition: number;
  private readonly scannedFrom: bigint | undefined;
  /** The rows form: rows of five fields, eventIds apart (PACKED_ROW_COLUMNS). */
  private readonly rowsForm: boolean;
  /**
   * With `scannedFrom`, once the read came to the log's end with events still
   * wanted: how far it scanned `$all` (as AllPages.scannedTo: at least the head
   * read before the last page, whose query saw everything up to it).
   */
  scannedTo: bigint | undefined;
  private waiter:
    | { resolve: (page: (EventRows & { events(): RecordedEvent[] }) | undefined) => void; reject: (e: Error) => void }
    | undefined;

  constructor(
    start: ReadAheadStart,
    private readonly faults: ReadAheadFaults,
  ) {
    this.remaining = start.remaining;
    this.lastPosition = Number(start.after);
    this.scannedFrom = start.scannedFrom;
    this.rowsForm = start.rows === true;
    const query = allReadQuery(
      start.prefixes,
      this.rowsForm ? PACKED_ROW_COLUMNS : PACKED_COLUMNS,
      start.prefixFilterForm,
    );
    if (query === undefined) throw new RangeError('a read ahead needs a filter SQL says exactly');
    this.worker = new Worker(WORKER_URL, {
      workerData: {
        path: start.path,
        sql: query.sql,
        bounds: query.bounds,
        after: start.after,
        pageSize: start.pageSize,
        credits: PAGES_IN_FLIGHT,
        chunkChars: CHUNK_CHARS,
        withIds: this.rowsForm,
        // Rows of other streams never reach the worker's caller: how far it scanned is the head it saw.
        headSql: start.scannedFrom !== undefined && start.prefixes !== undefined ? HEAD_SQL : undefined,
      },
    });
    // Idle (nobody waiting for a page), the worker must not keep the process alive.
    this.worker.unref();
    this.worker.on('message', (message: WorkerMessage) => this.received(message));
    this.worker.on('error', (error) => this.fail(this.faults.failure(error, 'the read-ahead worker')));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(this.faults.failure(new Error(`exited with code ${code}`), 'the read-ahead worker'));
    });
  }

  /** Resolves when the worker thread has ended (for tests: no thread outlives its read). */
  get exited(): Promise<void> {
    return new Promise((resolve) => {
      if (this.worker.threadId === -1) resolve();
      else this.worker.once('exit', () => resolve());
    });
  }

  /** The next non-empty page of events, or undefined at the end. */
  next(): Promise<RecordedEvent[] | undefined> {
    return this.nextRows().then((rows) => rows?.events());
  }

  /** The next non-empty page as its rows (the catch-up's form), or undefined at the end. */
  nextRows(): Promise<(EventRows & { events(): RecordedEvent[] }) | undefined> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (this.waiter !== undefined)
      return Promise.reject(new Error('ReadAhead.next() called before the last call settled'));
    for (;;) {
      const packed = this.pages.shift();
      if (packed === undefined) break;
      if (packed.last) this.ended = true;
      else if (++this.owed === CREDITS_A_MESSAGE) {
        this.worker.postMessage({ credits: this.owed });
        this.owed = 0;
      }
      try {
        const page = this.decode(packed);
        if (packed.last) this.noteScanned(packed.head);
        if (page.length > 0) return Promise.resolve(page);
      } catch (e) {
        return Promise.reject(this.fail(e as Error));
      }
    }
    if (this.ended || this.remaining <= 0 || this.closed) {
      this.close();
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.worker.ref();
    });
  }

  /**
   * Ends the worker. A call of `next()` waiting now is answered `reason` when
   * given (the store closed), the end otherwise; later calls likewise.
   */
  close(reason?: Error): void {
    if (reason !== undefined && this.failed === undefined) this.failed = reason;
    if (this.closed) return;
    this.closed = true;
    this.pages.length = 0;
    void this.worker.terminate();
    const waiter = this.takeWaiter();
    if (waiter === undefined) return;
    if (reason === undefined) waiter.resolve(undefined);
    else waiter.reject(reason);
  }

  private received(message: WorkerMessage): void {
    if (this.closed) return;
    if (message.kind === 'error') {
      const error =
        message.code === undefined
          ? new Error(message.message)
          : new Database.SqliteError(message.message, message.code);
      this.fail(this.faults.failure(error, `positions from ${message.after + 1n}`));
      return;
    }
    this.pages.push(message);
    const waiter = this.takeWaiter();
    if (waiter !== undefined) this.nextRows().then(waiter.resolve, waiter.reject);
  }

  private takeWaiter(): typeof this.waiter {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter !== undefined && !this.closed) this.worker.unref();
    return waiter;
  }

  /** Remembers the first failure, ends the worker and answers a waiting `next()` with it. */
  private fail(error: Error): Error {
    this.failed ??= error;
    const waiter = this.takeWaiter();
    this.close();
    waiter?.reject(this.failed);
    return this.failed;
  }

  private noteScanned(head: number | undefined): void {
    if (this.scannedFrom === undefined || this.remaining <= 0) return;
    this.scannedTo = scannedTo(BigInt(head ?? -1), BigInt(this.lastPosition), this.scannedFrom);
  }

  /** A packed page as its rows, cut at `remaining`; a row that does not parse is damage, named as the store names it. */
  private decode({ texts, lengths, numbers, ids, idLengths }: PackedPage): EventRows & { events(): RecordedEvent[] } {
    const width = this.rowsForm ? 5 : 6;
    const count = Math.min(lengths.length, this.remaining);
    const rows: PackedRow[] = new Array(count);
    let chunk = 0;
    let text = texts[0] ?? '';
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const length = lengths[i] as number;
      if (offset === text.length && length > 0) {
        text = texts[++chunk] as string;
        offset = 0;
      }
      let fields: unknown;
      try {
        fields = JSON.parse(text.slice(offset, offset + length));
      } catch {
        fields = undefined;
      }
      offset += length;
      // Not an array of six (five): the body is not one JSON value (the others are json_quote's and the append index).
      if (!Array.isArray(fields) || fields.length !== width)
        throw this.faults.unparsable(BigInt(numbers[2 * i] as number));
      rows[i] = fields as unknown as PackedRow;
    }
    this.remaining -= count;
    if (count > 0) this.lastPosition = numbers[2 * (count - 1)] as number;
    return this.rowsForm
      ? new PackedRowsWithoutIds(
          rows as unknown as readonly RowWithoutId[],
          numbers,
          ids ?? [],
          idLengths ?? new Int32Array(0),
        )
      : new PackedRows(rows, numbers);
  }
}

/** A row as parsed: `[stream, eventId, type, recordedAt, body, appendIndex]` (PACKED_COLUMNS). */
type PackedRow = readonly [string, string, string, string, Readonly<Record<string, unknown>>, (number | null)?];

/** A page's rows, each parsed once, with their positions and revisions (Float64, pairs); the one place a row becomes an event. */
export class PackedRows implements EventRows {
  constructor(
    private readonly rows: readonly PackedRow[],
    /** Per row its position, then its revision. */
    private readonly numbers: Float64Array,
  ) {}

  get length(): number {
    return this.rows.length;
  }
  streamId(i: number): string {
    return (this.rows[i] as PackedRow)[0];
  }
  type(i: number): string {
    return (this.rows[i] as PackedRow)[2];
  }
  data(i: number): Readonly<Record<string, unknown>> {
    return (this.rows[i] as PackedRow)[4];
  }
  revision(i: number): number {
    return this.numbers[2 * i + 1] as number;
  }
  recordedAt(i: number): string {
    return (this.rows[i] as PackedRow)[3];
  }
  appendIndex(i: number): number | undefined {
    return (this.rows[i] as PackedRow)[5] ?? undefined;
  }
  position(i: number): bigint {
    return BigInt(this.numbers[2 * i] as number);
  }
  event(i: number): RecordedEvent {
    const fields = this.rows[i] as PackedRow;
    return {
      streamId: fields[0],
      eventId: fields[1],
      type: fields[2],
      data: fields[4],
      revision: BigInt(this.numbers[2 * i + 1] as number),
      position: BigInt(this.numbers[2 * i] as number),
      recordedAt: fields[3],
      ...(typeof fields[5] === 'number' ? { appendIndex: fields[5] } : {}),
    };
  }
  /** The page as readAllBatches yields it. */
  events(): RecordedEvent[] {
    const events: RecordedEvent[] = new Array(this.rows.length);
    for (let i = 0; i < events.length; i++) events[i] = this.event(i);
    return events;
  }
}

/** A row of the rows form: `[stream, type, recordedAt, body, appendIndex]` (PACKED_ROW_COLUMNS). */
type RowWithoutId = readonly [string, string, string, Readonly<Record<string, unknown>>, (number | null)?];

/** A page of the rows form: its eventIds parsed only for the rows made events. */
export class PackedRowsWithoutIds implements EventRows {
  /** Per row, the chunk of `ids` holding its eventId and where it starts there (made at the first `event`). */
  private idChunk: Int32Array | undefined;
  private idStart: Int32Array | undefined;

  constructor(
    private readonly rows: readonly RowWithoutId[],
    /** Per row its position, then its revision. */
    private readonly numbers: Float64Array,
    private readonly ids: readonly string[],
    private readonly idLengths: Int32Array,
  ) {}

  get length(): number {
    return this.rows.length;
  }
  streamId(i: number): string {
    return (this.rows[i] as RowWithoutId)[0];
  }
  type(i: number): string {
    return (this.rows[i] as RowWithoutId)[1];
  }
  data(i: number): Readonly<Record<string, unknown>> {
    return (this.rows[i] as RowWithoutId)[3];
  }
  revision(i: number): number {
    return this.numbers[2 * i + 1] as number;
  }
  recordedAt(i: number): string {
    return (this.rows[i] as RowWithoutId)[2];
  }
  appendIndex(i: number): number | undefined {
    return (this.rows[i] as RowWithoutId)[4] ?? undefined;
  }
  position(i: number): bigint {
    return BigInt(this.numbers[2 * i] as number);
  }
  event(i: number): RecordedEvent {
    const fields = this.rows[i] as RowWithoutId;
    return {
      streamId: fields[0],
      eventId: this.eventId(i),
      type: fields[1],
      data: fields[3],
      revision: BigInt(this.numbers[2 * i + 1] as number),
      position: BigInt(this.numbers[2 * i] as number),
      recordedAt: fields[2],
      ...(typeof fields[4] === 'number' ? { appendIndex: fields[4] } : {}),
    };
  }
  events(): RecordedEvent[] {
    const events: RecordedEvent[] = new Array(this.rows.length);
    for (let i = 0; i < events.length; i++) events[i] = this.event(i);
    return events;
  }

  /** The row's eventId, parsed from its JSON-quoted text (fresh: a slice would keep the chunk alive). */
  private eventId(i: number): string {
    if (this.idChunk === undefined || this.idStart === undefined) {
      const n = this.rows.length;
      this.idChunk = new Int32Array(n);
      this.idStart = new Int32Array(n);
      let chunk = 0;
      let offset = 0;
      for (let k = 0; k < n; k++) {
        const length = this.idLengths[k] as number;
        if (offset === (this.ids[chunk] ?? '').length && length > 0) {
          chunk++;
          offset = 0;
        }
        this.idChunk[k] = chunk;
        this.idStart[k] = offset;
        offset += length;
      }
    }
    const start = this.idStart[i] as number;
    const text = this.ids[this.idChunk[i] as number] ?? '';
    return JSON.parse(text.slice(start, start + (this.idLengths[i] as number))) as string;
  }
}
