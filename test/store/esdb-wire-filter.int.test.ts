/**
 * The wire server filters `$all` subscriptions by stream-name prefix on the
 * server side (issue 18, goal 5: each projection worker subscribes with its
 * centers' prefixes). Talked to by the real `EventStoreDBClient` with no
 * adapter in between, so what arrives is what the server sent. (The 6.x
 * client's `readAll` carries no filter: a filtered read of `$all` is a
 * subscription.)
 */
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent, START, streamNameFilter } from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WireServer } from './esdb-wire/server.js';

let server: WireServer | undefined;
let client: EventStoreDBClient | undefined;
afterEach(async () => {
  await client?.dispose();
  await server?.stop();
  client = undefined;
  server = undefined;
});

describe('a $all subscription filtered by stream prefixes (real client, wire server)', () => {
  it('delivers only the streams that begin with a prefix, all of them, in commit order', async () => {
    server = await WireServer.start({ standardProjections: true });
    client = EventStoreDBClient.connectionString(server.connectionString);
    const streams = [
      'case-530102-20250301-00001',
      'case-530201-20250301-00001',
      'calendar-2025',
      'case-530102-20250301-00002',
      'complaint-530102-20250301-001',
      'case-5301020', // begins with the prefix too: prefixes are plain prefixes
      'policy-CN',
      'case-530103-20250301-00001',
    ];
    for (const s of streams) {
      await client.appendToStream(s, [jsonEvent({ id: randomUUID(), type: 'CaseAccepted', data: { s } })]);
    }
    const prefixes = ['case-530102', 'calendar-'];
    const got: string[] = [];
    const sub = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ prefixes, checkpointInterval: 1 }),
    });
    await new Promise<void>((resolve, reject) => {
      sub.on('data', (e: { event?: { streamId: string } }) => {
        if (e.event !== undefined) got.push(e.event.streamId);
      });
      sub.on('caughtUp', () => resolve());
      sub.on('error', reject);
    });
    await sub.unsubscribe();
    expect(got).toEqual(streams.filter((s) => prefixes.some((p) => s.startsWith(p))));
    // The server's log holds every stream (and the standard projections' $ce-/$et- links): the filter did the work.
    const logged = new Set(server.log.records.map((r) => r.streamId));
    for (const s of streams) expect(logged.has(s)).toBe(true);
    expect([...logged].some((s) => s.startsWith('$ce-'))).toBe(true);
  });
});
