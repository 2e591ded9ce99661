import { describe, expect, it } from 'vitest';
import { parseInstant } from '../domain/time.js';
import { acceptedC, answeredC, closedC, complaintEvent, received } from '../domain/complaints/testing.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { createComplaintWriteSide, loadComplaint } from './complaintWrite.js';
import { GroupCommitter } from './groupCommit.js';

const NOW = parseInstant('2025-12-01T12:00:00+08:00');
const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';

function setup() {
  const store = new MemoryEventStore({ clock: () => NOW });
  const appended: string[] = [];
  let timed = 0;
  const side = createComplaintWriteSide({
    store,
    committer: new GroupCommitter(store),
    clock: () => NOW,
    futureToleranceMinutes: 5,
    zone: 'Asia/Shanghai',
    metrics: {
      eventAppended: (type) => appended.push(type),
      startAppendTimer: () => () => timed++,
    },
  });
  return { store, side, appended, timed: () => timed };
}
const R = received('2025-11-03T09:00:00+08:00', { eventId: ID1 });

describe('complaint write side', () => {
  it('appends in order at revisions 0, 1, … on complaint-<id>, the state re-read equal to the decided one', async () => {
    const { store, side } = setup();
    const out = await side.append({
      complaintId: 'q1',
      events: [R, acceptedC('2025-11-03T10:00:00+08:00'), answeredC('2025-11-20T10:00:00+08:00')],
    });
    expect(out.map((r) => [r.kind, r.kind === 'rejected' ? r.code : r.revision])).toEqual([
      ['appended', 0],
      ['appended', 1],
      ['appended', 2],
    ]);
    const streams: string[] = [];
    for await (const e of store.readAll()) streams.push(e.streamId);
    expect(streams).toEqual(['complaint-q1', 'complaint-q1', 'complaint-q1']);
    const { state } = await loadComplaint(store, 'q1');
    expect(state.answered?.finding).toBe('substantiated');
    expect(state.revision).toBe(2);
  });

  it('counts each event appended by type, once (supervision_events_appended_total), and times each store call', async () => {
    const { side, appended, timed } = setup();
    await side.append({ complaintId: 'q1', events: [R, acceptedC('2025-11-03T10:00:00+08:00')] });
    await side.append({ complaintId: 'q1', events: [R] }); // a retry: nothing appended
    expect(appended).toEqual(['ComplaintReceived', 'ComplaintAccepted']);
    expect(timed()).toBe(1);
  });

  it('is idempotent on eventId: the same event again is a duplicate with its original revision, a different one 409', async () => {
    const { side } = setup();
    const [first] = await side.append({ complaintId: 'q1', events: [R] });
    const [again] = await side.append({
      complaintId: 'q1',
      events: [received('2025-11-03T01:00:00Z', { eventId: ID1 })], // the same instant, another offset
    });
    expect(first?.kind).toBe('appended');
    expect(again).toMatchObject({ kind: 'duplicate', revision: 0, eventId: ID1 });
    const [other] = await side.append({
      complaintId: 'q1',
      events: [received(R.occurredAt, { eventId: ID1, subject: 'another' })],
    });
    expect(other).toMatchObject({ kind: 'rejected', code: 'event-id-conflict' });
    const [elsewhere] = await side.append({
      complaintId: 'q2',
      events: [received(R.occurredAt, { eventId: ID1 }, 'q2')],
    });
    expect(elsewhere).toMatchObject({ kind: 'rejected', code: 'event-id-conflict' });
  });

  it('refuses with the domain codes and writes nothing of a refused event', async () => {
    const { store, side } = setup();
    const [notFound] = await side.append({ complaintId: 'q1', events: [acceptedC('2025-11-03T10:00:00+08:00')] });
    expect(notFound).toMatchObject({ kind: 'rejected', code: 'complaint-not-found' });
    await side.append({ complaintId: 'q1', events: [R] });
    const [early] = await side.append({ complaintId: 'q1', events: [closedC('2025-11-04T10:00:00+08:00')] });
    expect(early).toMatchObject({ kind: 'rejected', code: 'transition-not-allowed' });
    const [future] = await side.append({ complaintId: 'q1', events: [acceptedC('2025-12-01T12:05:01+08:00')] });
    expect(future).toMatchObject({ kind: 'rejected', code: 'time-rejected' });
    expect((await loadComplaint(store, 'q1')).state.revision).toBe(0);
  });

  it('scopes writes to the centers a token may write and honours If-Match', async () => {
    const { side } = setup();
    const onlyC2 = (c: string) => c === 'c2';
    const [forbidden] = await side.append({ complaintId: 'q1', events: [R], mayWriteCenter: onlyC2 });
    expect(forbidden).toMatchObject({ kind: 'rejected', code: 'forbidden-center' });
    await side.append({ complaintId: 'q1', events: [R] });
    const A = complaintEvent('ComplaintAccepted', '2025-11-03T10:00:00+08:00', { eventId: ID2 });
    const [later] = await side.append({ complaintId: 'q1', events: [A], mayWriteCenter: onlyC2 });
    expect(later).toMatchObject({ kind: 'rejected', code: 'forbidden-center' });
    const [stale] = await side.append({ complaintId: 'q1', events: [A], ifMatch: 3 });
    expect(stale).toMatchObject({ kind: 'rejected', code: 'revision-conflict' });
    const [ok] = await side.append({ complaintId: 'q1', events: [A], ifMatch: 0 });
    expect(ok).toMatchObject({ kind: 'appended', revision: 1 });
  });

  it("refuses a token of another center 403 before comparing eventIds: it learns nothing of the complaint's events", async () => {
    const { store, side } = setup();
    await side.append({ complaintId: 'q1', events: [R] });
    const onlyC2 = (c: string) => c === 'c2';
    const sameAgain = received(R.occurredAt, { eventId: ID1 });
    const otherUnderId = received(R.occurredAt, { eventId: ID1, subject: 'another' });
    // A receipt naming the token's own center: the complaint's center is the stored receipt's all the same.
    const ownCenter = received(R.occurredAt, { eventId: ID1, centerId: 'c2' });
    for (const probe of [sameAgain, otherUnderId, ownCenter]) {
      const [answer] = await side.append({ complaintId: 'q1', events: [probe], mayWriteCenter: onlyC2 });
      expect(answer).toMatchObject({ kind: 'rejected', code: 'forbidden-center', eventId: ID1 });
      expect(answer).not.toHaveProperty('details');
      expect(answer?.kind === 'rejected' && answer.message).not.toMatch(/c1|revision/);
    }
    expect((await loadComplaint(store, 'q1')).state.revision).toBe(0);
    // The complaint's own center's token still gets the original result.
    const [own] = await side.append({ complaintId: 'q1', events: [sameAgain], mayWriteCenter: (c) => c === 'c1' });
    expect(own).toMatchObject({ kind: 'duplicate', revision: 0, eventId: ID1 });
  });

  it('concurrent writers of one complaint: one decision wins, the other is refused after a re-read', async () => {
    const { side } = setup();
    await side.append({ complaintId: 'q1', events: [R] });
    const [a, b] = await Promise.all([
      side.append({ complaintId: 'q1', events: [acceptedC('2025-11-03T10:00:00+08:00')] }),
      side.append({ complaintId: 'q1', events: [acceptedC('2025-11-03T10:01:00+08:00')] }),
    ]);
    const kinds = [a?.[0], b?.[0]].map((r) => (r?.kind === 'rejected' ? r.code : r?.kind)).sort();
    expect(kinds).toEqual(['appended', 'transition-not-allowed']);
  });
});
