/**
 * The identity of an EventStoreDB store: a UUID kept in the first event of the
 * ordinary stream `store-identity` (system `$` streams need admin rights, and
 * the projections subscribe only to `case-` and `calendar-`). The first engine
 * to ask writes it with expected revision `no_stream`; a second engine racing
 * it gets a conflict and reads the winner's.
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore } from '../port.js';

export const STORE_IDENTITY_STREAM = 'store-identity';
const EVENT_TYPE = 'StoreIdentityCreated';

async function readIdentity(store: Pick<EventStore, 'readStream'>): Promise<string | undefined> {
  for await (const e of store.readStream(STORE_IDENTITY_STREAM, { maxCount: 1 })) {
    const identity = e.data['identity'];
    if (typeof identity === 'string' && identity.length > 0) return identity;
    throw new Error(`stream ${STORE_IDENTITY_STREAM}: its first event has no identity`);
  }
  return undefined;
}

export async function identityFromStream(store: Pick<EventStore, 'readStream' | 'append'>): Promise<string> {
  const found = await readIdentity(store);
  if (found !== undefined) return found;
  const identity = randomUUID();
  try {
    await store.append(
      STORE_IDENTITY_STREAM,
      [{ eventId: randomUUID(), type: EVENT_TYPE, data: { identity, createdAt: new Date().toISOString() } }],
      { expectedRevision: 'no_stream' },
    );
    return identity;
  } catch (e) {
    if (!(e instanceof WrongExpectedRevisionError)) throw e;
    const winner = await readIdentity(store);
    if (winner === undefined) throw e;
    return winner;
  }
}
