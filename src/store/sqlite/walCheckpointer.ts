/**
 * Checkpoints the sqlite WAL off the event loop (issue 13). Before, the commit that crossed
 * `wal_autocheckpoint` (10,000 pages, ≈ 40 MB) copied the WAL into the database file and synced
 * it with the loop held: 50–140 ms (docs/reliability.md §8). Now the store's connection never
 * checkpoints; a worker thread with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)` every
 * `intervalMs`, which never waits for and never blocks the writer.
 *
 * Copying is not enough to bound the WAL: the writer restarts it from its start only at a commit
 * that finds all of it copied, and under writes that never pause the worker never catches the
 * last frame (measured: 1 GB of WAL after 200,000 back-to-back events). So when a step finds the
 * WAL at `restartFrames` or more, the store's next commits wait (asynchronously: the loop stays
 * free) for one more checkpoint, and the first of them then restarts the WAL (`gate`). Commits
 * waiting at the gate resume in the order they came, so no append overtakes another.
 *
 * The database file is synced by each checkpoint as before, so durability is unchanged
 * (docs/event-store.md). If the worker cannot start or stops, `onStop` lets the store take its
 * checkpoints back into its commits, as before this file.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A checkpoint's answer: WAL frames in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

export interface WalCheckpointerOptions {
  readonly intervalMs?: number;
  /** WAL frames from which commits wait for a checkpoint so the WAL restarts (default 10,000 ≈ 40 MB). */
  readonly restartFrames?: number;
  /** The worker could not start, failed or stopped (the store's own checkpoints do the work then). */
  readonly onStop?: (reason: string) => void;
}

/** How often the worker checkpoints: at ~60k events/s of ~500 B that is ≈ 3 MB of WAL a step. */
export const CHECKPOINT_INTERVAL_MS = 100;
/** The WAL size (frames of 4 KiB) at which it is restarted: ≈ 40 MB, what in-commit checkpoints allowed. */
export const WAL_RESTART_FRAMES = 10_000;

// CommonJS, evaluated in the worker (no file to resolve under tsx or in a build).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const step = () => {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  return { busy: r.busy, log: r.log, checkpointed: r.checkpointed };
};
const timer = setInterval(() => {
  try { parentPort.postMessage({ kind: 'step', result: step() }); } catch (e) { parentPort.postMessage({ kind: 'error', message: String((e && e.message) || e) }); }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m.kind === 'now') {
    try { parentPort.postMessage({ kind: 'result', id: m.id, result: step() }); }
    catch (e) { parentPort.postMessage({ kind: 'result', id: m.id, error: String((e && e.message) || e) }); }
  } else if (m.kind === 'close') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

type FromWorker =
  | { kind: 'error'; message: string }
  | { kind: 'step'; result: CheckpointResult }
  | { kind: 'result'; id: number; result?: CheckpointResult; error?: string };

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private closing = false;
  private stopped = false;
  private failures = 0;
  private readonly restartFrames: number;
  /** Set while commits wait for the checkpoint that lets the WAL restart. */
  private restart: Promise<void> | undefined;

  constructor(path: string, options: WalCheckpointerOptions = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, driver, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS },
    });
    this.worker.unref();
    this.restartFrames = options.restartFrames ?? WAL_RESTART_FRAMES;
    const stop = (reason: string): void => {
      if (this.stopped) return;
      this.stopped = true;
      for (const w of this.waiting.values()) w.reject(new Error(reason));
      this.waiting.clear();
      if (!this.closing) options.onStop?.(reason);
    };
    this.worker.on('message', (m: FromWorker) => {
      if (m.kind === 'step') {
        this.failures = 0;
        if (m.result.log >= this.restartFrames) this.holdCommitsForRestart();
        return;
      }
      if (m.kind === 'error') {
        // A step can fail now and then (a full disk): the next one retries; a run of failures hands back.
        if (++this.failures >= 20) {
          stop(`background WAL checkpoints failed 20 times (last: ${m.message})`);
          void this.worker.terminate();
        }
        return;
      }
      this.failures = 0;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.result !== undefined) w?.resolve(m.result);
      else w?.reject(new Error(m.error ?? 'checkpoint failed'));
    });
    this.worker.on('error', (e) => stop(`the WAL checkpoint worker failed: ${e.message}`));
    this.worker.on('exit', () => stop('the WAL checkpoint worker stopped'));
  }

  /** What a commit must wait for first: the checkpoint before a WAL restart, when one is due. */
  gate(): Promise<void> | undefined {
    return this.restart;
  }

  private holdCommitsForRestart(): void {
    if (this.restart !== undefined) return;
    const done = this.checkpointNow().then(
      () => undefined,
      () => undefined,
    );
    this.restart = done;
    // Cleared a turn later, after every commit already waiting has resumed (they keep their order).
    void done.then(() => setImmediate(() => (this.restart = undefined)));
  }

  /** Runs a PASSIVE checkpoint now, in the worker, and answers what it did. */
  checkpointNow(): Promise<CheckpointResult> {
    if (this.stopped) return Promise.reject(new Error('the WAL checkpoint worker is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'now', id });
    });
  }

  /** Closes the worker's connection (after the store's: the last connection to close removes the WAL). */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ kind: 'close' });
    const timeout = setTimeout(() => void this.worker.terminate(), 2_000);
    await exited;
    clearTimeout(timeout);
  }
}
