import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeEventStoreContract } from './contract.js';

// The whole contract with every readAllBatches read ahead in a worker thread from its first page.
const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-read-ahead-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract(
  'sqlite, readAllBatches read ahead in a worker',
  async (clock) => new SqliteEventStore(join(dir, `events-${n++}.db`), { clock, readAhead: 'always' }),
  {
    injectableClock: true,
    startsEmpty: true,
    uniquePositions: true,
    streamReadPositions: true,
    appendManyOrder: 'request',
  },
);
