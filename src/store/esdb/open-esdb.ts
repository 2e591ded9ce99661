/**
 * Opening an EventStoreDB store (STORE=esdb://…): connect, then check within the
 * deadline that the server answers and is recent enough (server-version.ts).
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { StoreUnavailableError } from '../port.js';
import { withDeadline } from './deadline.js';
import { EsdbEventStore, type EsdbStoreOptions } from './esdb-store.js';
import { mapEsdbError } from './mapping.js';
import { checkServerVersion } from './server-version.js';

/** The connection string without credentials, for logs and errors. */
export const redactConnectionString = (cs: string): string => cs.replace(/\/\/[^@/]*@/, '//***@');

/** The server version the client learnt from its server-features probe (a protected getter of the client). */
async function serverVersion(client: EventStoreDBClient): Promise<string> {
  const probe = (client as unknown as { capabilities: Promise<{ serverVersion: string }> }).capabilities;
  return (await probe).serverVersion;
}

/**
 * Connects to EventStoreDB and checks, within the deadline, that it answers and
 * is recent enough (server-version.ts): an unreachable, silent or too old server is
 * a StoreUnavailableError naming the store.
 */
export async function openEsdbStore(connectionString: string, options: EsdbStoreOptions = {}): Promise<EsdbEventStore> {
  const name = redactConnectionString(connectionString);
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(connectionString);
  } catch (e) {
    throw new StoreUnavailableError(name, `bad connection string (${(e as Error).message})`);
  }
  const store = new EsdbEventStore(client, name, options);
  const deadline = options.deadlineMs ?? 5000;
  try {
    checkServerVersion(name, await withDeadline(serverVersion(client), deadline, 'the server-features probe'));
    await store.headPosition();
  } catch (e) {
    await store.close();
    throw mapEsdbError(e, name, { operation: 'read' });
  }
  return store;
}
