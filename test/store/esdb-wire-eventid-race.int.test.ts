/**
 * A reused eventId racing another API node (a reviewer's find): the adapter checks eventIds by
 * reading the stream, then sends. A write of the same eventId landing in between makes the server
 * answer the second append as a recognised retry (exact expected revision below the current one,
 * the ids match there: IndexWriter.CheckCommit). The adapter answered that as a fresh write, so its
 * caller was told an event was written that the store does not hold. It is now answered `duplicate`,
 * and the write side re-reads and compares the bodies (409 for another event with the same eventId).
 */
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { afterEach, expect, it } from 'vitest';
import type { EsdbClientLike } from '../../src/store/esdb/client-like.js';
import { EsdbEventStore } from '../../src/store/esdb/esdb-store.js';
import { collect, openWire, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
let nodeA: EsdbEventStore | undefined;
afterEach(async () => {
  await nodeA?.close();
  await wire?.close();
});

/** Node A on the real client, with `before` run once just before its first append is sent. */
function nodeWithRace(connectionString: string, before: () => Promise<unknown>): EsdbEventStore {
  const real = EventStoreDBClient.connectionString(connectionString);
  let raced = false;
  const client = new Proxy(real, {
    get(target, prop) {
      if (prop === 'appendToStream')
        return async (...args: Parameters<EsdbClientLike['appendToStream']>) => {
          if (!raced) {
            raced = true;
            await before();
          }
          return target.appendToStream(...(args as [string, never, never]));
        };
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as unknown as EsdbClientLike;
  return new EsdbEventStore(client, 'node-A', { deadlineMs: 5000 });
}

it('an append whose eventId another node wrote between the check and the send is answered duplicate, not written', async () => {
  wire = await openWire();
  const nodeB = wire.store;
  const s = streamOf();
  await nodeB.append(s, [{ eventId: randomUUID(), type: 'CaseAccepted', data: { n: 0 } }], {
    expectedRevision: 'no_stream',
  });
  const id = randomUUID();
  const theirs = { eventId: id, type: 'CaseCompleted', data: { who: 'B' } };
  const mine = { eventId: id, type: 'CaseEscalated', data: { who: 'A' } };
  nodeA = nodeWithRace(wire.server.connectionString, () => nodeB.append(s, [theirs], { expectedRevision: 0n }));

  const result = await nodeA.append(s, [mine], { expectedRevision: 0n });
  expect(result).toMatchObject({ nextExpectedRevision: 1n, duplicate: true });
  const stored = await collect(nodeB.readStream(s));
  expect(stored.map((e) => [e.type, e.data])).toEqual([
    ['CaseAccepted', { n: 0 }],
    ['CaseCompleted', { who: 'B' }],
  ]);
  // Without a race the same node's append is answered as written.
  const next = { eventId: randomUUID(), type: 'CaseEscalated', data: { who: 'A' } };
  expect(await nodeA.append(s, [next], { expectedRevision: 1n })).toMatchObject({ duplicate: false });
});
