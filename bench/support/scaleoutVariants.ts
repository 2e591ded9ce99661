/**
 * How bench/scaleout.bench.ts starts its workers, one variant a pair of rows
 * (the single worker and both of the pair alike): Node flags, and the sqlite
 * read-ahead given in the child's environment (SQLITE_READ_AHEAD, read by
 * scaleoutWorker.ts as the engine reads it, src/config/env.ts).
 */
import type { SqliteReadAhead } from '../../src/config/env.js';

/** Node flags of the GC-flag rows: the scavenger and marker on the main thread, a young generation of 64 MB. */
export const WORKER_GC_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=64'];

/** How every worker of a pair of rows is started, the single one and both of the pair alike. */
export interface WorkerVariant {
  /** After "workers with" in the rows' names; '' for the default worker. */
  readonly label: string;
  readonly nodeFlags: readonly string[];
  /** The sqlite read-ahead every worker must report (SQLITE_READ_AHEAD in its environment); default the store's. */
  readonly readAhead?: SqliteReadAhead;
  /** Said first in the catch-up row's note. */
  readonly note: string;
}

export const DEFAULT_WORKER: WorkerVariant = { label: '', nodeFlags: [], note: '' };
export const GC_FLAG_WORKERS: WorkerVariant = {
  label: WORKER_GC_FLAGS.join(' '),
  nodeFlags: WORKER_GC_FLAGS,
  note: '',
};
export const READ_AHEAD_OFF_WORKERS: WorkerVariant = {
  label: 'SQLITE_READ_AHEAD=off',
  nodeFlags: [],
  readAhead: 'off',
  note:
    'like for like: every worker, the single one too, runs with read-ahead off, so the single worker here does not use its read-ahead thread ' +
    '(one JavaScript thread a worker); the comparison against the default worker (read-ahead auto) is the row without this variant; ',
};

/**
 * The machine's ceiling row: every worker on one JavaScript thread and no other
 * (read-ahead off; V8's --single-threaded: no collector or compiler threads).
 */
export const ONE_THREAD_WORKERS: WorkerVariant = {
  label: 'SQLITE_READ_AHEAD=off --single-threaded',
  nodeFlags: ['--single-threaded'],
  readAhead: 'off',
  note: '',
};

/** The child's environment: the parent's without SQLITE_READ_AHEAD, then the variant's. */
export function workerEnv(variant: WorkerVariant): NodeJS.ProcessEnv {
  const { SQLITE_READ_AHEAD: _inherited, ...env } = process.env;
  return variant.readAhead === undefined ? env : { ...env, SQLITE_READ_AHEAD: variant.readAhead };
}
