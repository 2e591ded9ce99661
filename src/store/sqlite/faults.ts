/**
 * What went wrong with the sqlite file, kept apart from the store's reads and
 * writes: damage (StoreCorruptError, remembered, each place reported once) and
 * bursts of failed writes (disk full, I/O errors: logged once per burst).
 */
import Database from 'better-sqlite3';
import { failureBurst, type WriteFailure, writeFailureReason } from '../core/failure-burst.js';
import type { StoreClock } from '../core/clock.js';
import { StoreCorruptError, StoreUnavailableError } from '../port.js';

/** SQLite's own words for a damaged file (not a busy or missing one). */
const isCorruption = (e: unknown): boolean =>
  e instanceof Database.SqliteError && (e.code.startsWith('SQLITE_CORRUPT') || e.code === 'SQLITE_NOTADB');

/** Distinct places of damage reported to onCorruption (a damaged store is not a reason to flood the log). */
const MAX_CORRUPTION_REPORTS = 100;

export interface FaultListeners {
  /** Called when damage is first found at a place (stream or positions), to log it loudly. */
  readonly onCorruption?: (error: StoreCorruptError) => void;
  /** Called at the first failed write of a burst (disk full, I/O error), to log it once, not per request. */
  readonly onWriteFailure?: (failure: WriteFailure) => void;
  /** Called at the first successful write after a burst of failures. */
  readonly onWriteRecovered?: (failure: WriteFailure) => void;
}

export class SqliteFaults {
  private readonly writeBurst = failureBurst();
  private firstCorruption: StoreCorruptError | undefined;
  private readonly corruptionReported = new Set<string>();

  constructor(
    private readonly storeName: string,
    private readonly clock: StoreClock,
    private readonly listeners: FaultListeners,
  ) {}

  /** The burst of failed writes running now, if any. */
  writeFailure(): WriteFailure | undefined {
    return this.writeBurst.current(this.nowMs());
  }

  /** An append's driver error as the port's error; a disk failure is recorded and named as such. */
  writeFailed(e: unknown, where: string): StoreUnavailableError {
    const reason = writeFailureReason(e);
    if (reason === undefined) return this.failure(e, where, 'append failed, nothing written');
    if (this.writeBurst.failed(reason, this.nowMs())) {
      this.listeners.onWriteFailure?.(this.writeBurst.current(this.nowMs()) as WriteFailure);
    }
    return new StoreUnavailableError(this.storeName, `append failed, nothing written: ${reason}`);
  }

  writeSucceeded(): void {
    const ended = this.writeBurst.succeeded();
    if (ended !== undefined) this.listeners.onWriteRecovered?.(ended);
  }

  /** The first damage found, if any (it does not heal). */
  corruption(): StoreCorruptError | undefined {
    return this.firstCorruption;
  }

  /** A driver error as the port's error: damage as StoreCorruptError, anything else as unavailable. */
  failure(e: unknown, where: string, what: string): StoreUnavailableError {
    const message = (e as Error).message;
    return isCorruption(e)
      ? this.corrupt(where, message)
      : new StoreUnavailableError(this.storeName, `${what} (${message})`);
  }

  corrupt(where: string, reason: string): StoreCorruptError {
    const error = new StoreCorruptError(this.storeName, where, reason);
    this.firstCorruption ??= error;
    if (!this.corruptionReported.has(where) && this.corruptionReported.size < MAX_CORRUPTION_REPORTS) {
      this.corruptionReported.add(where);
      this.listeners.onCorruption?.(error);
    }
    return error;
  }

  private nowMs(): number {
    const now = this.clock();
    return typeof now === 'number' ? now : now.getTime();
  }
}
