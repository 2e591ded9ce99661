import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
/**
 * Schema of the embedded store. The global position is the INTEGER PRIMARY KEY
 * (the rowid), assigned in commit order by the single writer connection.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  append_index INTEGER,
  CONSTRAINT events_stream_revision UNIQUE (stream, revision),
  CONSTRAINT events_event_id UNIQUE (event_id)
);
`;

export const EVENT_COLUMNS = 'position, stream, revision, event_id, type, data, recorded_at, append_index';

/**
 * The event's index in its append (RecordedEvent.appendIndex), added in session 26: a database
 * made before gets the column on its first open by this version, NULL for the events it holds
 * (their appends cannot be told apart: one stream's events of one recordedAt are taken for one).
 */
export function addAppendIndexColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(events)').all();
  if (!columns.some((c) => c.name === 'append_index')) db.exec('ALTER TABLE events ADD COLUMN append_index INTEGER');
}

/**
 * A row read with `raw()` and `safeIntegers()`, in EVENT_COLUMNS order: the
 * driver hands position and revision over as bigint itself (see sqlite-store.ts).
 */
/** The head position (NULL for an empty log): the store's head() and the read-ahead worker's. */
export const HEAD_SQL = 'SELECT MAX(position) FROM events';

export type EventRow = [bigint, string, bigint, string, string, string, string, bigint | null];

export type SynchronousMode = 'NORMAL' | 'FULL';

/**
 * The store's identity (a UUID), written once in table `store_meta` the first
 * time the file is opened, and read back on every later open. A database made
 * by an earlier version gets one on its first open by this version.
 */
export function readOrCreateIdentity(db: Database.Database): string {
  db.exec('CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  db.prepare("INSERT OR IGNORE INTO store_meta (key, value) VALUES ('identity', ?)").run(randomUUID());
  return db.prepare<[], string>("SELECT value FROM store_meta WHERE key = 'identity'").pluck().get()!;
}
