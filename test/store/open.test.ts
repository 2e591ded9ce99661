import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, StoreSpecError } from '../../src/store/open.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreUnavailableError } from '../../src/store/port.js';

const dir = mkdtempSync(join(tmpdir(), 'store-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens memory and sqlite stores, creating the data directory', async () => {
    const memory = await openStore('memory');
    expect(memory).toBeInstanceOf(MemoryEventStore);
    await memory.close();
    const path = join(dir, 'a/b/events.db');
    const sqlite = await openStore(`sqlite:${path}`);
    expect(sqlite).toBeInstanceOf(SqliteEventStore);
    expect(sqlite.name).toBe(`sqlite:${path}`);
    await sqlite.close();
  });

  it('uses the injected clock for recordedAt', async () => {
    const store = await openStore(`sqlite:${join(dir, 'clock.db')}?synchronous=full`, {
      clock: () => Date.UTC(2025, 0, 2, 3, 4, 5),
    });
    await store.append('case-c1', [{ eventId: crypto.randomUUID(), type: 'CaseAccepted', data: {} }]);
    for await (const e of store.readStream('case-c1')) expect(e.recordedAt).toBe('2025-01-02T03:04:05.000Z');
    await store.close();
  });

  it('rejects unknown schemes and options with a clear StoreSpecError', async () => {
    await expect(openStore('postgres://x')).rejects.toThrow(StoreSpecError);
    await expect(openStore('postgres://x')).rejects.toThrow(/sqlite:<path>.*memory.*esdb:\/\//);
    await expect(openStore('sqlite:')).rejects.toThrow(/path is empty/);
    await expect(openStore(`sqlite:${join(dir, 'x.db')}?synchronous=off`)).rejects.toThrow(/normal or full/);
    await expect(openStore(`sqlite:${join(dir, 'x.db')}?cache=1`)).rejects.toThrow(/unknown sqlite option "cache"/);
  });

  it('opens a sqlite store with the read-ahead given, and refuses one for another store', async () => {
    for (const [readAhead, workers] of [
      ['always', 1],
      ['off', 0],
    ] as const) {
      const store = await openStore(`sqlite:${join(dir, `ahead-${readAhead}.db`)}?synchronous=full`, { readAhead });
      if (!(store instanceof SqliteEventStore)) throw new Error('expected a sqlite store');
      for (let i = 0; i < 10; i++)
        await store.append(`case-${i}`, [{ eventId: crypto.randomUUID(), type: 'CaseAccepted', data: {} }]);
      const pages = store.readAllBatches({ batchSize: 2 })[Symbol.asyncIterator]();
      await pages.next();
      expect(store.readAheadsRunning(), readAhead).toHaveLength(workers);
      await pages.return?.();
      await store.close();
    }
    await expect(openStore('memory', { readAhead: 'off' })).rejects.toThrow(/read-ahead applies only to sqlite/);
    await expect(openStore('esdb://127.0.0.1:1?tls=false', { readAhead: 'auto' })).rejects.toThrow(StoreSpecError);
  });

  it('reports an unopenable sqlite path as StoreUnavailableError', async () => {
    await expect(openStore(`sqlite:${dir}`)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
