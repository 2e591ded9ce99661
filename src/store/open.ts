/**
 * Opens the event store selected by STORE (SPEC §6):
 * `sqlite:<path>[?synchronous=normal|full]` (default `sqlite:./data/events.db`), `memory`,
 * or an EventStoreDB connection string (`esdb://…`, `esdb+discover://…`).
 */
import type { EventStore, StoreCorruptError } from './port.js';
import type { StoreClock } from './core/clock.js';
import type { WriteFailure } from './core/failure-burst.js';
import { MemoryEventStore } from './memory/memory-store.js';
import { SqliteEventStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
import type { SynchronousMode } from './sqlite/schema.js';

export const DEFAULT_STORE_SPEC = 'sqlite:./data/events.db';

export interface OpenStoreOptions {
  /** The store's clock for `recordedAt` (epoch ms or Date); default the system clock. */
  readonly clock?: StoreClock;
  /** Told at the first failed write of a burst (disk full, I/O error; embedded sqlite): the engine logs it at error. */
  readonly onWriteFailure?: (failure: WriteFailure) => void;
  /** Told at the first successful write after such a burst. */
  readonly onWriteRecovered?: (failure: WriteFailure) => void;
  /** Told when damaged data is found (embedded sqlite), once per place: the engine logs it at error. */
  readonly onCorruption?: (error: StoreCorruptError) => void;
  /** A sqlite store's read-ahead (SQLITE_READ_AHEAD; default 'auto'); given with another store, refused. */
  readonly readAhead?: SqliteStoreOptions['readAhead'];
}

export class StoreSpecError extends Error {
  constructor(
    readonly spec: string,
    reason: string,
  ) {
    super(
      `STORE="${spec}" is not a valid event store: ${reason}. ` +
        'Use sqlite:<path> (e.g. sqlite:./data/events.db), memory, or esdb://host:2113?tls=false',
    );
    this.name = 'StoreSpecError';
  }
}

/** `sqlite:<path>?synchronous=full` trades append speed for durability against power loss. */
function parseSqliteQuery(spec: string, query: string | undefined): { synchronous?: SynchronousMode } {
  if (query === undefined || query === '') return {};
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (key !== 'synchronous') throw new StoreSpecError(spec, `unknown sqlite option "${key}" (known: synchronous)`);
  }
  const mode = params.get('synchronous')?.toUpperCase();
  if (mode !== 'NORMAL' && mode !== 'FULL') throw new StoreSpecError(spec, 'synchronous must be normal or full');
  return { synchronous: mode };
}

export async function openStore(
  spec: string = DEFAULT_STORE_SPEC,
  options: OpenStoreOptions = {},
): Promise<EventStore> {
  const trimmed = spec.trim();
  if (options.readAhead !== undefined && !trimmed.startsWith('sqlite:'))
    throw new StoreSpecError(spec, 'read-ahead applies only to sqlite stores');
  if (trimmed === 'memory') return new MemoryEventStore(options);
  if (trimmed.startsWith('sqlite:')) {
    const [path = '', query] = trimmed.slice('sqlite:'.length).split('?', 2);
    if (path.length === 0) throw new StoreSpecError(spec, 'the sqlite path is empty');
    return new SqliteEventStore(path, { ...options, ...parseSqliteQuery(spec, query) });
  }
  if (trimmed.startsWith('esdb://') || trimmed.startsWith('esdb+discover://')) {
    const { openEsdbStore } = await import('./esdb/open-esdb.js');
    return openEsdbStore(trimmed);
  }
  throw new StoreSpecError(spec, 'unknown scheme');
}
