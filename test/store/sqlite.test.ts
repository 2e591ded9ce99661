import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeEventStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract(
  'sqlite',
  async (clock) => new SqliteEventStore(join(dir, `nested/events-${n++}.db`), { clock }),
  {
    injectableClock: true,
    startsEmpty: true,
    uniquePositions: true,
    streamReadPositions: true,
    appendManyOrder: 'request',
  },
);
