/**
 * The write path's store usage (performance work, issue #3/#5): one store call
 * per batch request, conflicts retried for their own case only, and the write
 * cache never answering from a stale state.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import type { StreamAppend } from '../../src/store/port.js';
import { accepted, call, startTestServer, TOKENS, unusedReadModels, type TestServer } from './harness.js';

const NOW = '2025-09-22T10:00:00+08:00';

/** A memory store that counts appendMany calls and case-stream reads, and may act just before an appendMany goes through. */
function spiedStore() {
  const store = new MemoryEventStore({ clock: () => Date.parse(NOW) });
  const calls = { appendMany: [] as string[][], readStream: 0 };
  let beforeNextAppendMany: (() => Promise<void>) | undefined;
  const appendMany = store.appendMany.bind(store);
  const readStream = store.readStream.bind(store);
  store.appendMany = async (requests: readonly StreamAppend[]) => {
    calls.appendMany.push(requests.map((r) => r.streamId));
    const hook = beforeNextAppendMany;
    beforeNextAppendMany = undefined;
    await hook?.();
    return appendMany(requests);
  };
  store.readStream = (...args: Parameters<MemoryEventStore['readStream']>) => {
    // Case streams only: the engine reads other streams (e.g. the recorded policy versions) at start.
    if (args[0].startsWith('case-')) calls.readStream++;
    return readStream(...args);
  };
  return {
    store,
    calls,
    beforeNextAppendMany: (hook: () => Promise<void>) => {
      beforeNextAppendMany = hook;
    },
  };
}

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

const post = (path: string, body: unknown) =>
  call((srv as TestServer).baseUrl, 'POST', path, { token: TOKENS.recorder, body });
const escalation = (caseId: string, extra: Record<string, unknown> = {}) => ({
  type: 'CaseEscalated',
  caseId,
  occurredAt: '2025-09-22T09:30:00+08:00',
  level: 'reminder',
  by: 'office',
  ...extra,
});
const completion = (caseId: string) => ({
  type: 'CaseCompleted',
  caseId,
  occurredAt: '2025-09-22T09:40:00+08:00',
  outcome: 'approved',
});
/** An event written behind the API's back, as another process would. */
const outOfBand = (body: Record<string, unknown>) => [
  { eventId: randomUUID(), type: body['type'] as string, data: body },
];

async function typesOf(caseId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of (srv as TestServer).store.readStream(`case-${caseId}`)) out.push(e.type);
  return out;
}

describe('POST /events store usage', () => {
  it('makes one store call for every case of a request', async () => {
    const spy = spiedStore();
    srv = await startTestServer({ now: NOW, store: spy.store, readModels: unusedReadModels });
    const events = Array.from({ length: 50 }, (_, c) => [
      accepted(`M-${c}`, '2025-09-22T09:00:00+08:00'),
      escalation(`M-${c}`),
    ]).flat();
    const res = await post('/events', { events });
    expect(res.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    expect(spy.calls.appendMany).toHaveLength(1);
    expect(spy.calls.appendMany[0]).toHaveLength(50);
  });

  it('retries a conflicting case alone, re-deciding it on the re-read stream', async () => {
    const spy = spiedStore();
    srv = await startTestServer({ now: NOW, store: spy.store, readModels: unusedReadModels });
    await post('/events', {
      events: [accepted('X', '2025-09-22T09:00:00+08:00'), accepted('Y', '2025-09-22T09:00:00+08:00')],
    });
    spy.calls.appendMany = [];
    spy.beforeNextAppendMany(async () => {
      await spy.store.append('case-X', outOfBand(escalation('X', { level: 'supervision' })));
    });
    const res = await post('/events', { events: [escalation('X'), escalation('Y'), completion('X')] });
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201, 201]);
    expect(res.body.results.map((r: { revision: number }) => r.revision)).toEqual([2, 1, 3]);
    expect(spy.calls.appendMany).toEqual([['case-X', 'case-Y'], ['case-X']]);
    expect(await typesOf('X')).toEqual(['CaseAccepted', 'CaseEscalated', 'CaseEscalated', 'CaseCompleted']);
    expect(await typesOf('Y')).toEqual(['CaseAccepted', 'CaseEscalated']);
  });
});

describe('write cache', () => {
  it('does not read a case it opens with CaseAccepted, nor for successive appends made through this process', async () => {
    const spy = spiedStore();
    srv = await startTestServer({ now: NOW, store: spy.store, readModels: unusedReadModels });
    const path = '/cases/W-1/events';
    const { caseId: _c, ...accept } = accepted('W-1', '2025-09-22T09:00:00+08:00');
    expect((await post(path, accept)).status).toBe(201);
    for (let i = 0; i < 4; i++) {
      const { caseId: _w, ...esc } = escalation('W-1');
      expect((await post(path, esc)).body.revision).toBe(i + 1);
    }
    expect(spy.calls.readStream).toBe(0);
    const { caseId: _e, ...esc } = escalation('W-2');
    expect((await post('/cases/W-2/events', esc)).status).toBe(404); // no such case (SPEC §2)
    expect(spy.calls.readStream).toBe(1);
  });

  it('answers a CaseAccepted for a case opened behind its back from the stream: 409, or 200 for its own eventId', async () => {
    srv = await startTestServer({ now: NOW, readModels: unusedReadModels });
    const eventId = randomUUID();
    const body = accepted('S-4', '2025-09-22T09:00:00+08:00', { eventId });
    const written = await srv.store.append('case-S-4', [{ eventId, type: 'CaseAccepted', data: body }]);
    const { caseId: _c, ...again } = body;
    const retry = await post('/cases/S-4/events', again);
    expect(retry).toMatchObject({ status: 200, body: { revision: 0, position: written.position.toString(), eventId } });
    const { caseId: _d, ...other } = accepted('S-4', '2025-09-22T09:00:00+08:00');
    expect((await post('/cases/S-4/events', other)).status).toBe(409);
    const batch = await post('/events', { events: [accepted('S-4', '2025-09-22T09:00:00+08:00'), escalation('S-4')] });
    // A second acceptance contradicts the stored one: the case stops there in this request (earlier-event-refused).
    expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([409, 409]);
    expect(batch.body.results[1].error.code).toBe('earlier-event-refused');
    expect((await post('/events', { events: [escalation('S-4')] })).body.results[0].status).toBe(201);
    expect(await typesOf('S-4')).toEqual(['CaseAccepted', 'CaseEscalated']);
  });

  it('never refuses from a stale state: a case completed behind its back answers 409 from the stream', async () => {
    srv = await startTestServer({ now: NOW, readModels: unusedReadModels });
    const { caseId: _c, ...accept } = accepted('S-1', '2025-09-22T09:00:00+08:00');
    expect((await post('/cases/S-1/events', accept)).status).toBe(201);
    await srv.store.append('case-S-1', outOfBand(completion('S-1')));
    const { caseId: _s, ...esc } = escalation('S-1');
    const res = await post('/cases/S-1/events', esc);
    expect(res.status).toBe(409);
    expect(await typesOf('S-1')).toEqual(['CaseAccepted', 'CaseCompleted']);
  });

  it('never refuses from a stale state: resuming a pause opened behind its back succeeds', async () => {
    srv = await startTestServer({ now: NOW, readModels: unusedReadModels });
    const { caseId: _c, ...accept } = accepted('S-3', '2025-09-22T09:00:00+08:00');
    expect((await post('/cases/S-3/events', accept)).status).toBe(201);
    await srv.store.append(
      'case-S-3',
      outOfBand({
        type: 'CasePaused',
        caseId: 'S-3',
        occurredAt: '2025-09-22T09:10:00+08:00',
        pauseId: 'p1',
        reason: 'supplement',
      }),
    );
    const res = await post('/cases/S-3/events', {
      type: 'CaseResumed',
      occurredAt: '2025-09-22T09:20:00+08:00',
      pauseId: 'p1',
    });
    expect(res).toMatchObject({ status: 201, body: { revision: 2 } });
  });

  it('answers 200 with the original result for an eventId written behind its back', async () => {
    srv = await startTestServer({ now: NOW, readModels: unusedReadModels });
    const { caseId: _c, ...accept } = accepted('S-2', '2025-09-22T09:00:00+08:00');
    expect((await post('/cases/S-2/events', accept)).status).toBe(201);
    const eventId = randomUUID();
    const written = await srv.store.append('case-S-2', [
      { eventId, type: 'CaseEscalated', data: escalation('S-2', { eventId }) },
    ]);
    const { caseId: _s, ...esc } = escalation('S-2', { eventId });
    const res = await post('/cases/S-2/events', esc);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ revision: 1, position: written.position.toString(), eventId });
    // A write behind its back that the cache does not know: the next append conflicts, re-reads, and lands after it.
    await srv.store.append('case-S-2', outOfBand(escalation('S-2')));
    const next = await post('/cases/S-2/events', completion('S-2'));
    expect(next).toMatchObject({ status: 201, body: { revision: 3 } });
  });
});

describe('a case holds at most 1000 events (SPEC §2, issue 13 defect 1)', () => {
  it('refuses 20 batches of 1000 escalations past the cap with 409 case-too-long, reading and writing nothing more', async () => {
    const spy = spiedStore();
    srv = await startTestServer({ now: NOW, store: spy.store, readModels: unusedReadModels });
    expect((await post('/events', { events: [accepted('T-1', '2025-09-22T09:00:00+08:00')] })).status).toBe(200);
    spy.calls.appendMany = [];
    const statuses: number[] = [];
    const codes = new Set<string>();
    for (let batch = 0; batch < 20; batch++) {
      const res = await post('/events', { events: Array.from({ length: 1000 }, () => escalation('T-1')) });
      for (const r of res.body.results) {
        statuses.push(r.status);
        if (r.error !== undefined) codes.add(r.error.code);
      }
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(999);
    expect(statuses.filter((s) => s === 409)).toHaveLength(20_000 - 999);
    // Each batch's first refused row is case-too-long; the case stops there (earlier-event-refused for the rest).
    expect([...codes]).toEqual(['case-too-long', 'earlier-event-refused']);
    expect(spy.calls).toEqual({ appendMany: [['case-T-1']], readStream: 0 });
    expect(await typesOf('T-1')).toHaveLength(1000);
    const single = await post('/cases/T-1/events', (({ caseId: _c, ...e }) => e)(escalation('T-1')));
    expect(single.status).toBe(409);
    expect(single.body.error).toMatchObject({ code: 'case-too-long', details: { events: 1000, max: 1000 } });
  });
});
