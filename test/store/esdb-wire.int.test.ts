/**
 * The EventStoreDB adapter through the REAL `EventStoreDBClient` against the
 * wire-level test server (test/store/esdb-wire): the store contract.
 */
import { afterAll, beforeAll } from 'vitest';
import { openEsdbStore } from '../../src/store/esdb/open-esdb.js';
import { describeEventStoreContract } from './contract.js';
import { WireServer } from './esdb-wire/server.js';

let server: WireServer;
let now: () => number = Date.now;
beforeAll(async () => {
  server = await WireServer.start({ standardProjections: true, now: () => now() });
});
afterAll(async () => {
  await server.stop();
});

describeEventStoreContract(
  'EventStoreDB adapter, real client, wire server',
  async (clock) => {
    now = clock; // the server stamps `created` with its clock; the test injects the server's clock
    return openEsdbStore(server.connectionString);
  },
  {
    injectableClock: true,
    startsEmpty: false,
    uniquePositions: true,
    streamReadPositions: false,
    appendManyOrder: 'per-stream',
  },
);
