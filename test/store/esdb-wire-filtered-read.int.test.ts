/**
 * A filtered read of `$all` on EventStoreDB (issue 18, goal 5) goes through the
 * server-side filtered subscription, not pages of `$all` filtered in the client:
 * through the real client against the wire server, it yields exactly the
 * prefixes' events in commit order, from any position, with `$all` itself read
 * for at most the one record at the start; its checkpoints tick while no event
 * of the prefixes comes, and a drop resumes from the last checkpoint; the
 * projection loop moves its position with them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCalendarService, DEFAULT_POLICY, parseInstant } from '../../src/domain/index.js';
import { createProjections } from '../../src/projections/runner.js';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { appendBody, ZONE } from '../../src/projections/testSupport.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { collect, events, openWire, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

const quickRetry = { backoff: { initialMs: 10, maxMs: 50, factor: 2 } };
const ids = (es: readonly RecordedEvent[]): string[] => es.map((e) => e.eventId);

/** `$all` filtered in JavaScript: what the filtered read must give. */
async function expectedOf(store: EventStore, prefixes: readonly string[]): Promise<RecordedEvent[]> {
  const all = await collect(store.readAll());
  return all.filter((e) => prefixes.some((p) => e.streamId.startsWith(p)));
}

describe('a filtered read of $all through the server-side filtered subscription (real client, wire server)', () => {
  it("yields exactly the prefixes' events in commit order, from the start or any position, without paging $all", async () => {
    wire = await openWire();
    const { store, server } = wire;
    const [a, b, out] = [streamOf(), streamOf(), streamOf()];
    for (let i = 0; i < 40; i++) {
      await store.append(i % 4 === 0 ? `${a}-${i}` : i % 4 === 1 ? `${b}-${i}` : `${out}-${i}`, events(1 + (i % 3)));
    }
    const prefixes = [a, b];
    const expected = await expectedOf(store, prefixes);
    expect(expected.length).toBeGreaterThan(20);

    server.allReadRecordsSent = 0;
    const starts = server.subscribeStarts.length;
    const batches = await collect(store.readAllBatches({ streamPrefixes: prefixes, batchSize: 7 }));
    expect(ids(batches.flat())).toEqual(ids(expected));
    for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(7);
    expect(server.allReadRecordsSent).toBe(0); // nothing of $all came unfiltered
    expect(server.subscribeStarts.slice(starts)).toEqual(['start']);

    // From a position: inclusive of an event's own position, and "after p" as p + 1 (the projection loop's way).
    const at = expected[10]!.position;
    server.allReadRecordsSent = 0;
    expect(ids(await collect(store.readAll({ fromPosition: at, streamPrefixes: prefixes })))).toEqual(
      ids(expected.slice(10)),
    );
    expect(
      ids((await collect(store.readAllBatches({ fromPosition: at + 1n, streamPrefixes: prefixes }))).flat()),
    ).toEqual(ids(expected.slice(11)));
    expect(ids(await collect(store.readAll({ fromPosition: at, streamPrefixes: prefixes, maxCount: 3 })))).toEqual(
      ids(expected.slice(10, 13)),
    );
    // Each read of $all itself is the start probe (pages of two records up to the first user event, past links
    // and the eventId claim written just before each event).
    expect(server.allReadRecordsSent).toBeLessThanOrEqual(3 * 8);
    expect(server.log.records.length).toBeGreaterThan(100);
  });

  it('ticks checkpoints past other streams, and a read from the last one yields what follows it', async () => {
    wire = await openWire({ standardProjections: false });
    const { store } = wire;
    const [inside, out] = [streamOf(), streamOf()];
    for (let i = 0; i < 30; i++) await store.append(`${out}-${i}`, events(100)); // 3,000 records of other streams
    await store.append(inside, events(5));
    const [firstInside] = await collect(store.readAll({ streamPrefixes: [inside] })); // a stream read has no positions

    const scanned: bigint[] = [];
    const got = await collect(store.readAllBatches({ streamPrefixes: [inside], onScanned: (p) => scanned.push(p) }));
    expect(ids(got.flat())).toEqual(ids(await collect(store.readStream(inside))));
    // A checkpoint every 1,024 records scanned, before any event of the prefix came.
    expect(scanned.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < scanned.length; i++) expect(scanned[i]!).toBeGreaterThan(scanned[i - 1]!);
    expect(scanned.at(-1)!).toBeLessThan(firstInside!.position);

    // A reader that kept the last checkpoint as its position resumes after it, with nothing lost.
    const resumed = await collect(
      store.readAllBatches({ fromPosition: scanned.at(-1)! + 1n, streamPrefixes: [inside] }),
    );
    expect(ids(resumed.flat())).toEqual(ids(got.flat()));
  });

  it('a drop during the read resumes from the last checkpoint, with no gap and no repeat', async () => {
    wire = await openWire({ standardProjections: false }, quickRetry);
    const { store, server } = wire;
    const [inside, out] = [streamOf(), streamOf()];
    for (let i = 0; i < 30; i++) await store.append(`${out}-${i}`, events(100));
    await store.append(inside, events(3));
    for (let i = 30; i < 40; i++) await store.append(`${out}-${i}`, events(100));
    await store.append(inside, events(3));
    const expected = await collect(store.readStream(inside));

    const starts = server.subscribeStarts.length;
    server.dropAtCheckpoint = 2; // after 2,048 records of other streams, before any event of the prefix
    const scanned: bigint[] = [];
    const got = await collect(store.readAllBatches({ streamPrefixes: [inside], onScanned: (p) => scanned.push(p) }));
    expect(ids(got.flat())).toEqual(ids(expected));
    const [first, again, ...more] = server.subscribeStarts.slice(starts);
    expect(first).toBe('start');
    expect(more).toEqual([]);
    // No event of the prefix had come: without the checkpoint, the resubscription would have started over.
    expect(again).toEqual({ commit: scanned[1], prepare: expect.any(BigInt) });
    expect(scanned.length).toBeGreaterThanOrEqual(3);
  });

  it("the projection loop's position moves with the catch-up's checkpoints: it follows from the last one", async () => {
    wire = await openWire({ standardProjections: false });
    const { store, server } = wire;
    const at = parseInstant('2025-03-03T09:00:00+08:00');
    const inside = await appendBody(store, {
      type: 'CaseAccepted',
      caseId: 'IN-1',
      occurredAt: '2025-03-03T09:00:00+08:00',
      centerId: 'c1',
      departmentId: 'd1',
      matterCode: 'm',
      channel: 'online',
      kind: 'promised',
      promisedDays: 3,
    });
    const out = streamOf();
    for (let i = 0; i < 30; i++) await store.append(`${out}-${i}`, events(100)); // other workers' streams
    const scheduler = createManualScheduler(at);
    const projections = createProjections({
      store,
      calendarService: createCalendarService(ZONE),
      policy: DEFAULT_POLICY,
      clock: scheduler.clock,
      zone: ZONE,
      scheduler,
      partition: { caseIdPrefixes: ['IN-'] },
    });
    const starts = server.subscribeStarts.length;
    await projections.start();
    try {
      expect(projections.info().eventsFolded).toBe(1);
      const [catchUp, follow] = server.subscribeStarts.slice(starts);
      expect(catchUp).toBe('start');
      // Without onScanned, the loop would follow from its one event, and the server would scan 3,000 records again.
      expect((follow as { commit: bigint }).commit).toBeGreaterThan(inside);
    } finally {
      await projections.stop();
    }
  });
});
