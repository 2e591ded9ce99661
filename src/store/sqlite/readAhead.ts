/**
 * Pages of `$all` read ahead in a worker thread (readAhead.worker.mjs), for
 * SqliteEventStore.readAllBatches, the catch-up path of a rebuild: SQLite's
 * stepping and the conversion of columns into JavaScript values (~2.5 s of a
 * 1 M-event rebuild's main thread) run on the other core while this thread
 * folds (docs/event-store.md "Read-ahead").
 *
 * Page layout: posting rows as arrays (a structured clone per value) costs the
 * receiving thread as much as reading them, but a flat one-byte string posts as
 * a copy of its bytes. So a page is one string, the concatenation of its rows,
 * each row the JSON array `[stream, eventId, type, recordedAt, body]`, plus two
 * transferred typed arrays: per row its text's length and its body's length
 * (Int32), its position and revision (Float64: both are below 2^53). One
 * JSON.parse per row gives the strings and the body at once, fresh (a slice of
 * the page would keep the whole page alive as long as a read model keeps the
 * value).
 */
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../port.js';
import type { AllReadQuery } from './prefixFilter.js';

/** Pages read ahead and not yet taken, at most: enough to keep the worker busy while a page is folded. */
export const PAGES_IN_FLIGHT = 4;

const WORKER_URL = new URL('./readAhead.worker.mjs', import.meta.url);

export interface ReadAheadStart {
  readonly path: string;
  readonly query: AllReadQuery;
  /** Read the rows after this position. */
  readonly after: bigint;
  readonly pageSize: number;
  /** Events still wanted (maxCount); the worker may read past it, the pages are cut here. */
  readonly remaining: number;
}

/** How the store reports what went wrong, exactly as its own reads do. */
export interface ReadAheadFaults {
  /** A driver error of the read after `where` as the port's error (guard in sqlite-store.ts). */
  failure(error: unknown, where: string): Error;
  /** A record that does not parse, at `where`. */
  corrupt(where: string, reason: string): Error;
}

interface PackedPage {
  readonly text: string;
  readonly lengths: Int32Array;
  readonly numbers: Float64Array;
  readonly last: boolean;
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
  private closed = false;
  private waiter: { resolve: (page: RecordedEvent[] | undefined) => void; reject: (e: Error) => void } | undefined;

  constructor(
    start: ReadAheadStart,
    private readonly faults: ReadAheadFaults,
  ) {
    this.remaining = start.remaining;
    this.worker = new Worker(WORKER_URL, {
      workerData: {
        path: start.path,
        sql: start.query.sql,
        bounds: start.query.bounds,
        after: start.after,
        pageSize: start.pageSize,
        credits: PAGES_IN_FLIGHT,
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
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (this.waiter !== undefined)
      return Promise.reject(new Error('ReadAhead.next() called before the last call settled'));
    for (;;) {
      const packed = this.pages.shift();
      if (packed === undefined) break;
      if (!packed.last) this.worker.postMessage({ credits: 1 });
      else this.ended = true;
      try {
        const page = this.decode(packed);
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
    if (waiter !== undefined) this.next().then(waiter.resolve, waiter.reject);
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

  /** A packed page as events, cut at `remaining`; a row that does not parse is damage, named as the store names it. */
  private decode({ text, lengths, numbers }: PackedPage): RecordedEvent[] {
    const count = Math.min(lengths.length >> 1, this.remaining);
    const events: RecordedEvent[] = new Array(count);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const length = lengths[2 * i] as number;
      const row = text.slice(offset, offset + length);
      offset += length;
      let fields: unknown;
      try {
        fields = JSON.parse(row);
      } catch {
        fields = undefined;
      }
      if (!Array.isArray(fields) || fields.length !== 5) {
        throw this.unparsable(row, lengths[2 * i + 1] as number, numbers[2 * i] as number);
      }
      events[i] = {
        streamId: fields[0],
        eventId: fields[1],
        type: fields[2],
        data: fields[4],
        revision: BigInt(numbers[2 * i + 1] as number),
        position: BigInt(numbers[2 * i] as number),
        recordedAt: fields[3],
      };
    }
    this.remaining -= count;
    return events;
  }

  /** The error the store gives for this row: its body parsed alone says what is wrong with it. */
  private unparsable(row: string, bodyLength: number, position: number): Error {
    const body = row.slice(row.length - 1 - bodyLength, row.length - 1);
    const stream = (JSON.parse(`${row.slice(0, row.length - bodyLength - 2)}]`) as string[])[0];
    let reason = 'not one JSON value';
    try {
      JSON.parse(body);
    } catch (e) {
      reason = (e as Error).message;
    }
    return this.faults.corrupt(
      `stream ${stream} at position ${position}`,
      `a stored record does not parse (${reason})`,
    );
  }
}
