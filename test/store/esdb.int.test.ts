/**
 * The EventStoreDB adapter against a REAL server, when ESDB_CONNECTION_STRING
 * is set (e.g. esdb://localhost:2113?tls=false; docs/event-store.md has the
 * commands). No server can run on the development machine, so there the contract
 * is registered as skipped, every case under a name that says why; the same contract always runs through the
 * real client against the wire-level test server (esdb-wire.int.test.ts), and the
 * unreachable-server tests run everywhere.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { StoreUnavailableError } from '../../src/store/port.js';
import { describeEventStoreContract } from './contract.js';

const connection = process.env.ESDB_CONNECTION_STRING;

const NO_SERVER = 'ESDB_CONNECTION_STRING not set, no server can run on this machine';
if (!connection) console.log(`EventStoreDB contract skipped: ${NO_SERVER}`);
describeEventStoreContract(
  'EventStoreDB server',
  async () => openStore(connection as string),
  {
    injectableClock: false, // the server stamps `created`
    startsEmpty: false,
    uniquePositions: true, // every event is its own record: commit == prepare
    streamReadPositions: false,
    appendManyOrder: 'per-stream',
  },
  connection ? undefined : NO_SERVER,
);

describe('EventStoreDB adapter with the real client and no server', () => {
  it('reports an unreachable server as StoreUnavailableError naming the store, within seconds', async () => {
    const started = Date.now();
    const error = await openStore('esdb://127.0.0.1:1?tls=false').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain('esdb://127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(15_000); // a hang guard, not a performance assertion
  });

  it('hides credentials of the connection string in the store name', async () => {
    const error = await openStore('esdb://admin:secret@127.0.0.1:1?tls=false').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).not.toContain('secret');
  });
});
