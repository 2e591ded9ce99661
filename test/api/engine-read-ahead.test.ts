/**
 * SQLITE_READ_AHEAD reaches the store the engine opens: main.ts hands
 * `config.sqliteReadAhead` to createEngine, which opens the sqlite store with it.
 * Seen from the store: 'always' reads a log ahead in a worker from its first page,
 * 'off' never does (the parsing of the variable: config.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { TEST_TOKEN_CONFIG } from '../support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-read-ahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The engine's store after its first page of a 20-event log read in pages of 5: read-ahead workers running. */
async function workersAfterFirstPage(engine: Engine): Promise<number> {
  const store = engine.store;
  if (!(store instanceof SqliteEventStore)) throw new Error(`expected a sqlite store, got ${store.name}`);
  for (let i = 0; i < 20; i++)
    await store.append(`case-${i}`, [{ eventId: randomUUID(), type: 'CaseAccepted', data: {} }]);
  const pages = store.readAllBatches({ batchSize: 5 })[Symbol.asyncIterator]();
  expect((await pages.next()).value).toHaveLength(5);
  const running = store.readAheadsRunning().length;
  await pages.return?.();
  return running;
}

const engineOf = (env: Record<string, string>) => {
  const config = loadConfig(env);
  return createEngine({
    store: config.store,
    ...(config.sqliteReadAhead === undefined ? {} : { sqliteReadAhead: config.sqliteReadAhead }),
    zone: 'Asia/Shanghai',
    tokens: TEST_TOKEN_CONFIG,
    metrics: { defaultMetrics: false },
  });
};

describe('the engine opens its sqlite store with SQLITE_READ_AHEAD', () => {
  it.each([
    ['always', 1],
    ['off', 0],
  ])('SQLITE_READ_AHEAD=%s: %i read-ahead worker after the first page', async (mode, workers) => {
    const engine = await engineOf({ STORE: `sqlite:${join(dir, `${mode}.db`)}`, SQLITE_READ_AHEAD: mode });
    try {
      expect(await workersAfterFirstPage(engine)).toBe(workers);
    } finally {
      await engine.close();
    }
  });

  it('refuses the option with a store it did not open, rather than dropping it', async () => {
    await expect(
      createEngine({
        store: new MemoryEventStore(),
        sqliteReadAhead: 'off',
        zone: 'Asia/Shanghai',
        tokens: TEST_TOKEN_CONFIG,
        metrics: { defaultMetrics: false },
      }),
    ).rejects.toThrow(/sqliteReadAhead applies to a store the engine opens/);
  });
});
