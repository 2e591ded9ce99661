import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../port.js';
import { SqliteEventStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const collect = async <T>(xs: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of xs) out.push(x);
  return out;
};

describe('the append_index column (session 26)', () => {
  it('a database made before gets it on open: its events tell no index, new ones do, read on or ahead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'append-index-'));
    dirs.push(dir);
    const path = join(dir, 'events.db');
    // The schema as it was before session 26, with one append of two events.
    const old = new Database(path);
    old.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL,
      type TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL,
      CONSTRAINT events_stream_revision UNIQUE (stream, revision), CONSTRAINT events_event_id UNIQUE (event_id))`);
    const insert = old.prepare(
      'INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    insert.run('case-1', 0, '00000000-0000-4000-8000-000000000001', 'T', '{}', '2025-09-22T02:15:00.000Z');
    insert.run('case-1', 1, '00000000-0000-4000-8000-000000000002', 'T', '{}', '2025-09-22T02:15:00.000Z');
    old.close();

    for (const readAhead of ['off', 'always'] as const) {
      const store = new SqliteEventStore(path, { clock: () => Date.parse('2025-09-22T02:15:00.000Z'), readAhead });
      if (readAhead === 'off')
        await store.append('case-1', [
          { eventId: '00000000-0000-4000-8000-000000000003', type: 'T', data: {} },
          { eventId: '00000000-0000-4000-8000-000000000004', type: 'T', data: {} },
        ]);
      const indexes = (events: readonly RecordedEvent[]) => events.map((e) => e.appendIndex);
      const expected = [undefined, undefined, 0, 1];
      expect(indexes(await collect(store.readStream('case-1')))).toEqual(expected);
      expect(indexes((await collect(store.readAllBatches())).flat())).toEqual(expected);
      const rows: (number | undefined)[] = [];
      for await (const page of store.readAllRows!())
        for (let i = 0; i < page.length; i++) rows.push(page.appendIndex(i));
      expect(rows).toEqual(expected);
      await store.close();
    }
  });
});
