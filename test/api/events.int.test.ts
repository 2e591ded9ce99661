import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, unusedReadModels, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-22T10:00:00+08:00', readModels: unusedReadModels });
});
afterEach(async () => {
  await srv.close();
});

const post = (path: string, body: unknown, token: string = TOKENS.recorder, headers: Record<string, string> = {}) =>
  call(srv.baseUrl, 'POST', path, { token, body, headers });
const acceptBody = (extra: Record<string, unknown> = {}) => {
  const { caseId: _omit, ...rest } = accepted('x', '2025-09-22T09:00:00+08:00', extra);
  return rest;
};
async function streamOf(caseId: string) {
  const out = [];
  for await (const e of srv.store.readStream(`case-${caseId}`)) out.push(e);
  return out;
}

describe('POST /cases/{caseId}/events', () => {
  it('appends an event and answers 201 with caseId, revision, position and eventId', async () => {
    const res = await post('/cases/C-1/events', acceptBody());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ caseId: 'C-1', revision: 0 });
    expect(typeof res.body.position).toBe('string');
    expect(res.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await streamOf('C-1');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.type).toBe('CaseAccepted');
    expect(stored[0]?.data).toMatchObject({ caseId: 'C-1', centerId: 'center-A', eventId: res.body.eventId });
    expect(stored[0]?.position.toString()).toBe(res.body.position);
  });

  it('accepts a body carrying the same caseId and rejects a different one naming caseId', async () => {
    expect((await post('/cases/C-2/events', { ...acceptBody(), caseId: 'C-2' })).status).toBe(201);
    const bad = await post('/cases/C-3/events', { ...acceptBody(), caseId: 'other' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('caseId');
    expect(await streamOf('C-3')).toHaveLength(0);
  });

  it('answers a repeated eventId with 200 and the original result, storing it once', async () => {
    const eventId = randomUUID();
    const first = await post('/cases/C-4/events', acceptBody({ eventId }));
    const again = await post('/cases/C-4/events', acceptBody({ eventId }));
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await streamOf('C-4')).toHaveLength(1);
  });

  it('honours If-Match as the exact expected revision', async () => {
    await post('/cases/C-5/events', acceptBody());
    const esc = { type: 'CaseEscalated', occurredAt: '2025-09-22T09:30:00+08:00', level: 'reminder', by: 'office' };
    const ok = await post('/cases/C-5/events', esc, TOKENS.recorder, { 'if-match': '0' });
    expect(ok.status).toBe(201);
    expect(ok.body.revision).toBe(1);
    const stale = await post('/cases/C-5/events', esc, TOKENS.recorder, { 'if-match': '"0"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('revision-conflict');
    const bad = await post('/cases/C-5/events', esc, TOKENS.recorder, { 'if-match': 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('If-Match');
    expect(await streamOf('C-5')).toHaveLength(2);
    // A case with no events: 404 case-not-found (SPEC §2), If-Match or not (before: 409, actual -1).
    const unknown = await post('/cases/C-5X/events', esc, TOKENS.recorder, { 'if-match': '0' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'case-not-found']);
  });

  it('rejects transitions the case does not allow with 409', async () => {
    const pauseFirst = await post('/cases/C-6/events', {
      type: 'CasePaused',
      occurredAt: '2025-09-22T09:00:00+08:00',
      pauseId: 'p1',
      reason: 'testing',
    });
    // SPEC §2 (amended): an event other than CaseAccepted for a case with no events is 404 case-not-found.
    expect(pauseFirst.status).toBe(404);
    expect(pauseFirst.body.error.code).toBe('case-not-found');
    await post('/cases/C-6/events', acceptBody());
    expect((await post('/cases/C-6/events', acceptBody())).status).toBe(409);
    const done = { type: 'CaseCompleted', occurredAt: '2025-09-22T09:10:00+08:00', outcome: 'approved' };
    expect((await post('/cases/C-6/events', done)).status).toBe(201);
    expect((await post('/cases/C-6/events', { ...done, occurredAt: '2025-09-22T09:20:00+08:00' })).status).toBe(409);
    expect(await streamOf('C-6')).toHaveLength(2);
  });

  it('answers 422 for an occurredAt before the last event or more than 5 minutes ahead', async () => {
    await post('/cases/C-7/events', acceptBody());
    const back = await post('/cases/C-7/events', {
      type: 'CaseCompleted',
      occurredAt: '2025-09-22T08:00:00+08:00',
      outcome: 'approved',
    });
    expect(back.status).toBe(422);
    expect(back.body.error.code).toBe('time-rejected');
    const future = await post('/cases/C-7/events', {
      type: 'CaseCompleted',
      occurredAt: '2025-09-22T10:05:01+08:00',
      outcome: 'approved',
    });
    expect(future.status).toBe(422);
    const edge = await post('/cases/C-7/events', {
      type: 'CaseCompleted',
      occurredAt: '2025-09-22T10:05:00+08:00',
      outcome: 'approved',
    });
    expect(edge.status).toBe(201);
  });

  it('answers 400 naming the invalid field', async () => {
    const res = await post('/cases/C-8/events', acceptBody({ promisedDays: -1 }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-event');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('promisedDays');
    const noType = await post('/cases/C-8/events', { occurredAt: '2025-09-22T09:00:00+08:00' });
    expect(noType.body.error.details[0].field).toBe('type');
    const badCase = await post('/cases/bad%20id/events', acceptBody());
    expect(badCase.status).toBe(400);
    expect(badCase.body.error.details[0].field).toBe('caseId');
  });

  it('answers 400 for malformed JSON, a non-object body and a wrong content type; 413 over 1 MB', async () => {
    const malformed = await call(srv.baseUrl, 'POST', '/cases/C-9/events', {
      token: TOKENS.recorder,
      rawBody: '{"type": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed-json');
    const array = await post('/cases/C-9/events', [1, 2]);
    expect(array.status).toBe(400);
    const text = await call(srv.baseUrl, 'POST', '/cases/C-9/events', {
      token: TOKENS.recorder,
      rawBody: JSON.stringify(acceptBody()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400);
    expect(text.body.error.code).toBe('unsupported-content-type');
    // Said as it is: null is JSON, but not an object.
    for (const [raw, what] of [
      ['null', 'null'],
      ['5', 'a number'],
      ['"x"', 'a string'],
    ]) {
      const res = await call(srv.baseUrl, 'POST', '/cases/C-9/events', {
        token: TOKENS.recorder,
        rawBody: raw,
        headers: { 'content-type': 'application/json' },
      });
      expect([res.status, res.body.error.message], raw).toEqual([
        400,
        `request body must be a JSON object, not ${what}`,
      ]);
    }
    const huge = await post('/cases/C-9/events', { ...acceptBody(), matterName: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload-too-large');
    expect(await streamOf('C-9')).toHaveLength(0);
  });

  it('answers 401 without or with an unknown token and 403 for a role that may not write', async () => {
    const none = await call(srv.baseUrl, 'POST', '/cases/C-10/events', { body: acceptBody() });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="e-supervision"');
    expect((await post('/cases/C-10/events', acceptBody(), 'not-a-known-token-xxxxxxxx')).status).toBe(401);
    for (const token of [TOKENS.monitor, TOKENS.auditor]) {
      const res = await post('/cases/C-10/events', acceptBody(), token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await post('/cases/C-10/events', acceptBody(), TOKENS.admin)).status).toBe(201);
  });

  it("limits a recorder with centers to cases of those centers (an existing case's CaseAccepted centerId)", async () => {
    expect((await post('/cases/C-11/events', acceptBody({ centerId: 'center-B' }), TOKENS.recorderA)).status).toBe(403);
    expect((await post('/cases/C-11/events', acceptBody({ centerId: 'center-B' }), TOKENS.recorder)).status).toBe(201);
    const pause = { type: 'CasePaused', occurredAt: '2025-09-22T09:30:00+08:00', pauseId: 'p1', reason: 'testing' };
    const denied = await post('/cases/C-11/events', pause, TOKENS.recorderA);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden-center');
    // The refusal does not name the center of a case already recorded (before: "… of center center-B").
    expect(JSON.stringify(denied.body)).not.toContain('center-B');
    expect((await post('/cases/C-12/events', acceptBody({ centerId: 'center-A' }), TOKENS.recorderA)).status).toBe(201);
    expect((await post('/cases/C-12/events', pause, TOKENS.recorderA)).status).toBe(201);
    expect(await streamOf('C-11')).toHaveLength(1);
  });

  it('lets concurrent valid writers all succeed without If-Match (re-read and re-decide)', async () => {
    await post('/cases/C-13/events', acceptBody());
    const writers = Array.from({ length: 12 }, (_, i) =>
      post('/cases/C-13/events', {
        type: 'CasePaused',
        occurredAt: '2025-09-22T09:30:00+08:00',
        pauseId: `p${i}`,
        reason: 'testing',
      }),
    );
    const results = await Promise.all(writers);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    expect(new Set(results.map((r) => r.body.revision)).size).toBe(12);
    expect(await streamOf('C-13')).toHaveLength(13);
  });

  it('gives exactly one 201 to concurrent conflicting writers; the others get 409', async () => {
    await post('/cases/C-14/events', acceptBody());
    const complete = () =>
      post('/cases/C-14/events', {
        type: 'CaseCompleted',
        occurredAt: '2025-09-22T09:30:00+08:00',
        outcome: 'approved',
      });
    const results = await Promise.all(Array.from({ length: 6 }, complete));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
  });

  it('answers 503 store-unavailable when the store is down, writing nothing', async () => {
    await srv.store.close();
    const res = await post('/cases/C-15/events', acceptBody());
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('store-unavailable');
  });
});

describe('POST /events', () => {
  it('answers one result per event in order; a case stops at its first refused row, other cases go on', async () => {
    const dupId = randomUUID();
    const events = [
      accepted('B-1', '2025-09-22T09:00:00+08:00'),
      { type: 'CasePaused', caseId: 'B-1', occurredAt: '2025-09-22T09:10:00+08:00', pauseId: 'p1', reason: 'nope' },
      accepted('B-2', '2025-09-22T09:00:00+08:00', { eventId: dupId }),
      { type: 'CaseCompleted', caseId: 'B-1', occurredAt: '2025-09-22T09:20:00+08:00', outcome: 'approved' },
      { type: 'CaseResumed', caseId: 'B-3', occurredAt: '2025-09-22T09:20:00+08:00', pauseId: 'p1' },
      accepted('B-2', '2025-09-22T09:00:00+08:00', { eventId: dupId }),
      { type: 'CaseCompleted', caseId: 'B-1', occurredAt: '2025-09-22T09:30:00+08:00', outcome: 'approved' },
      { type: 'CaseCompleted', caseId: 'B-2', occurredAt: '2025-09-22T11:00:00+08:00', outcome: 'approved' },
      accepted('B-4', '2025-09-22T09:00:00+08:00', { centerId: 'center-B' }),
    ];
    const res = await post('/events', { events }, TOKENS.recorderA);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([
      201, 400, 201, 409, 404, 200, 409, 422, 403,
    ]);
    expect(res.body.results[1].error.details[0].field).toBe('reason');
    // B-1's rows after its malformed pause are not written: the row has no eventId, so it is named by its row.
    expect(res.body.results[3].error).toMatchObject({ code: 'earlier-event-refused', details: { refusedRow: 1 } });
    expect(res.body.results[6].error.code).toBe('earlier-event-refused');
    expect(res.body.results[5]).toMatchObject({ eventId: dupId, revision: res.body.results[2].revision });
    expect((await streamOf('B-1')).map((e) => e.type)).toEqual(['CaseAccepted']);
    expect(await streamOf('B-2')).toHaveLength(1);
    expect(await streamOf('B-3')).toHaveLength(0);
    expect(await streamOf('B-4')).toHaveLength(0);
    const again = await post('/events', { events: [accepted('B-2', '2025-09-22T09:00:00+08:00', { eventId: dupId })] });
    expect(again.body.results[0]).toMatchObject({ status: 200, eventId: dupId });
  });

  it('a misspelt pause in a batch leaves no case completed without its pause; the corrected story is then written whole', async () => {
    const [a1, a2, a3, a4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const story = (reason: string) => [
      accepted('YJ-1', '2025-09-22T09:00:00+08:00', { eventId: a1 }),
      {
        type: 'CasePaused',
        caseId: 'YJ-1',
        eventId: a2,
        occurredAt: '2025-09-22T09:05:00+08:00',
        pauseId: 'p1',
        reason,
      },
      { type: 'CaseResumed', caseId: 'YJ-1', eventId: a3, occurredAt: '2025-09-22T09:10:00+08:00', pauseId: 'p1' },
      {
        type: 'CaseCompleted',
        caseId: 'YJ-1',
        eventId: a4,
        occurredAt: '2025-09-22T09:15:00+08:00',
        outcome: 'approved',
      },
    ];
    const first = await post('/events', { events: story('supplment') });
    // Before: 201, 400, 409 (no pause to resume), 201 — completed with no pause, and the pause could never be added.
    expect(first.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400, 409, 409]);
    expect(first.body.results[2].error).toMatchObject({
      code: 'earlier-event-refused',
      details: { refusedEventId: a2 },
    });
    expect(first.body.results[3].error.message).toContain(`event ${a2} of case YJ-1`);
    const fixed = await post('/events', { events: story('supplement') });
    expect(fixed.body.results.map((r: { status: number }) => r.status)).toEqual([200, 201, 201, 201]);
    expect((await streamOf('YJ-1')).map((e) => e.type)).toEqual([
      'CaseAccepted',
      'CasePaused',
      'CaseResumed',
      'CaseCompleted',
    ]);
  });

  it('a refusal by the rules stops the case too: rows after a 409 are not decided without it', async () => {
    const res = await post('/events', {
      events: [
        accepted('YJ-2', '2025-09-22T09:00:00+08:00'),
        { type: 'CaseResumed', caseId: 'YJ-2', occurredAt: '2025-09-22T09:05:00+08:00', pauseId: 'p9' },
        { type: 'CaseCompleted', caseId: 'YJ-2', occurredAt: '2025-09-22T09:15:00+08:00', outcome: 'approved' },
        accepted('YJ-3', '2025-09-22T09:00:00+08:00'),
      ],
    });
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 409, 409, 201]);
    expect(res.body.results[1].error.code).toBe('transition-not-allowed');
    expect(res.body.results[2].error.code).toBe('earlier-event-refused');
    expect((await streamOf('YJ-2')).map((e) => e.type)).toEqual(['CaseAccepted']);
  });

  it('rejects an envelope that is not {"events": [1..1000 events]} with 400 naming events', async () => {
    for (const body of [
      {},
      { events: 'x' },
      { events: [] },
      { events: Array.from({ length: 1001 }, (_, i) => accepted(`E-${i}`, '2025-09-22T09:00:00+08:00')) },
    ]) {
      const res = await post('/events', body);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('events');
    }
    expect(await srv.store.headPosition()).toBe(-1n);
  });

  it('accepts exactly 1000 events', async () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      accepted(`K-${i % 100}`, '2025-09-22T09:00:00+08:00', { eventId: randomUUID() }),
    ).map((e, i) =>
      i < 100
        ? e
        : {
            type: 'CaseEscalated',
            caseId: e.caseId,
            occurredAt: '2025-09-22T09:30:00+08:00',
            level: 'reminder',
            by: 'x',
          },
    );
    const res = await post('/events', { events });
    expect(res.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    expect(await srv.store.headPosition()).toBe(999n);
  });

  it('marks every event 503 when the store is down', async () => {
    await srv.store.close();
    const res = await post('/events', {
      events: [accepted('D-1', '2025-09-22T09:00:00+08:00'), accepted('D-2', '2025-09-22T09:00:00+08:00')],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([503, 503]);
  });
});

describe('unknown routes', () => {
  it('answer 404 with the error shape', async () => {
    const res = await call(srv.baseUrl, 'GET', '/nope', { token: TOKENS.admin });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not-found');
  });
});

describe('a reused eventId (SPEC §2, issue 12 defect 4)', () => {
  const escalationBody = (extra: Record<string, unknown> = {}) => ({
    type: 'CaseEscalated',
    occurredAt: '2025-09-22T09:30:00+08:00',
    level: 'reminder',
    by: 'office',
    ...extra,
  });

  it('answers the same event again (occurredAt as the same instant in another offset) with 200 and the original result', async () => {
    await post('/cases/R-1/events', acceptBody());
    const eventId = randomUUID();
    const first = await post('/cases/R-1/events', escalationBody({ eventId }));
    const again = await post('/cases/R-1/events', escalationBody({ eventId, occurredAt: '2025-09-22T01:30:00Z' }));
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await streamOf('R-1')).toHaveLength(2);
  });

  it('refuses the same eventId with a different event: 409 event-id-conflict, nothing written, the stored event kept', async () => {
    await post('/cases/R-2/events', acceptBody());
    const eventId = randomUUID();
    expect((await post('/cases/R-2/events', escalationBody({ eventId }))).status).toBe(201);
    for (const other of [
      escalationBody({ eventId, level: 'supervision' }),
      escalationBody({ eventId, occurredAt: '2025-09-22T09:31:00+08:00' }),
      escalationBody({ eventId, note: 'added' }),
      { type: 'CaseCompleted', occurredAt: '2025-09-22T09:40:00+08:00', outcome: 'approved', eventId },
    ]) {
      const res = await post('/cases/R-2/events', other);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('event-id-conflict');
      expect(res.body.error.message).toContain(eventId);
    }
    const stored = await streamOf('R-2');
    expect(stored.map((e) => e.type)).toEqual(['CaseAccepted', 'CaseEscalated']);
    expect(stored[1]?.data).toMatchObject({ level: 'reminder', eventId });
  });

  it('refuses a different event with a stored eventId of a case this process has not cached (read from the stream)', async () => {
    await post('/cases/R-3/events', acceptBody());
    const eventId = randomUUID();
    const data = { ...escalationBody({ eventId }), caseId: 'R-3' };
    await srv.store.append('case-R-3', [{ eventId, type: 'CaseEscalated', data }]);
    const res = await post('/cases/R-3/events', escalationBody({ eventId, level: 'referral' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('event-id-conflict');
    expect(await streamOf('R-3')).toHaveLength(2);
  });

  it('refuses a CaseAccepted with the eventId of a stored CaseAccepted of the same case that differs', async () => {
    const eventId = randomUUID();
    expect((await post('/cases/R-4/events', acceptBody({ eventId }))).status).toBe(201);
    const res = await post('/cases/R-4/events', acceptBody({ eventId, promisedDays: 9 }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('event-id-conflict');
    expect((await streamOf('R-4'))[0]?.data).toMatchObject({ promisedDays: 5 });
  });

  it('in a batch, per row: the same event again → 200 with the original, a different one → 409, nothing of the case after it', async () => {
    const acceptId = randomUUID();
    const escId = randomUUID();
    const first = await post('/events', {
      events: [accepted('R-5', '2025-09-22T09:00:00+08:00', { eventId: acceptId })],
    });
    expect(first.body.results[0].status).toBe(201);
    const res = await post('/events', {
      events: [
        accepted('R-5', '2025-09-22T09:00:00+08:00', { eventId: acceptId }),
        { ...escalationBody({ eventId: escId }), caseId: 'R-5' },
        { ...escalationBody({ eventId: escId }), caseId: 'R-5' },
        { ...escalationBody({ eventId: escId, by: 'someone else' }), caseId: 'R-5' },
        accepted('R-5', '2025-09-22T09:00:00+08:00', { eventId: acceptId, matterCode: 'M-2' }),
      ],
    });
    const statuses = res.body.results.map((r: { status: number }) => r.status);
    expect(statuses).toEqual([200, 201, 200, 409, 409]);
    expect(res.body.results[0]).toMatchObject({
      eventId: acceptId,
      revision: 0,
      position: first.body.results[0].position,
    });
    expect(res.body.results[2]).toMatchObject({ revision: res.body.results[1].revision });
    expect(res.body.results[3].error.code).toBe('event-id-conflict');
    expect(res.body.results[4].error).toMatchObject({
      code: 'earlier-event-refused',
      details: { refusedEventId: escId },
    });
    const stored = await streamOf('R-5');
    expect(stored.map((e) => e.type)).toEqual(['CaseAccepted', 'CaseEscalated']);
    expect(stored[1]?.data).toMatchObject({ by: 'office' });
  });
});

describe('an eventId used in another case', () => {
  it('is refused per row with 409 event-id-conflict, before or within the same request, the other rows written', async () => {
    const eventId = randomUUID();
    expect((await post('/cases/U-1/events', acceptBody({ eventId }))).status).toBe(201);
    const res = await post('/events', {
      events: [accepted('U-2', '2025-09-22T09:00:00+08:00', { eventId }), accepted('U-3', '2025-09-22T09:00:00+08:00')],
    });
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([409, 201]);
    expect(res.body.results[0]).toMatchObject({ caseId: 'U-2', eventId, error: { code: 'event-id-conflict' } });
    const shared = randomUUID();
    const both = await post('/events', {
      events: [
        accepted('U-5', '2025-09-22T09:00:00+08:00', { eventId: shared }),
        accepted('U-6', '2025-09-22T09:00:00+08:00', { eventId: shared }),
      ],
    });
    expect(both.body.results.map((r: { status: number }) => r.status).sort()).toEqual([201, 409]);
    expect((await streamOf('U-2')).length + (await streamOf('U-5')).length + (await streamOf('U-6')).length).toBe(1);
  });
});

describe('an eventId sent for two cases in one request', () => {
  it('is taken by the earlier row: the later one is refused (409), whichever case comes first in the request', async () => {
    const [first, shared] = [randomUUID(), randomUUID()];
    // A-1's rows come first in the request, but the shared eventId is B-1's row before it is A-1's.
    const res = await post('/events', {
      events: [
        accepted('A-1', '2025-09-22T09:00:00+08:00', { eventId: first }),
        accepted('B-1', '2025-09-22T09:00:00+08:00', { eventId: shared }),
        {
          type: 'CasePaused',
          caseId: 'A-1',
          occurredAt: '2025-09-22T09:10:00+08:00',
          pauseId: 'p1',
          reason: 'testing',
          eventId: shared,
        },
        { type: 'CaseResumed', caseId: 'A-1', occurredAt: '2025-09-22T09:20:00+08:00', pauseId: 'p1' },
      ],
    });
    expect(res.status).toBe(200);
    const rows = res.body.results;
    expect(rows.map((r: { status: number }) => r.status)).toEqual([201, 201, 409, 409]);
    expect(rows[2]).toMatchObject({ caseId: 'A-1', eventId: shared, error: { code: 'event-id-conflict' } });
    expect(rows[2].error.message).toContain('earlier in this request');
    // A case stops at its first refused row, as for any other refusal.
    expect(rows[3].error).toMatchObject({ code: 'earlier-event-refused', details: { refusedEventId: shared } });
    expect((await streamOf('A-1')).map((e) => e.eventId)).toEqual([first]);
    expect((await streamOf('B-1')).map((e) => e.eventId)).toEqual([shared]);
  });
});

describe('batch rows (issue 13 defect 6)', () => {
  it('name caseId and eventId on every row, rejected and invalid ones included', async () => {
    const badId = randomUUID();
    const res = await post('/events', {
      events: [
        accepted('Q-1', '2025-09-22T09:00:00+08:00'),
        { type: 'CaseResumed', caseId: 'Q-2', occurredAt: '2025-09-22T09:20:00+08:00', pauseId: 'p1' },
        { type: 'CasePaused', caseId: 'Q-1', eventId: badId, occurredAt: 'soon', pauseId: 'p1', reason: 'testing' },
        { type: 'Nope' },
      ],
    });
    const rows = res.body.results;
    expect(rows.map((r: { status: number }) => r.status)).toEqual([201, 404, 400, 400]);
    expect(rows[0]).toMatchObject({ caseId: 'Q-1', eventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(rows[1]).toMatchObject({ caseId: 'Q-2', eventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(rows[2]).toMatchObject({ caseId: 'Q-1', eventId: badId });
    expect(rows[3]).toMatchObject({ caseId: null, eventId: null });
  });

  it('give each event its own position, the one the store read answers for it', async () => {
    const events = [
      accepted('Q-3', '2025-09-22T09:00:00+08:00'),
      accepted('Q-4', '2025-09-22T09:00:00+08:00'),
      { type: 'CaseEscalated', caseId: 'Q-3', occurredAt: '2025-09-22T09:30:00+08:00', level: 'reminder', by: 'x' },
      { type: 'CaseCompleted', caseId: 'Q-3', occurredAt: '2025-09-22T09:40:00+08:00', outcome: 'approved' },
    ];
    const res = await post('/events', { events });
    const positions = res.body.results.map((r: { position: string }) => r.position);
    expect(new Set(positions).size).toBe(4);
    const stored = new Map<string, string>();
    for (const caseId of ['Q-3', 'Q-4']) {
      for (const e of await streamOf(caseId)) stored.set(e.eventId, e.position.toString());
    }
    for (const row of res.body.results) expect(row.position).toBe(stored.get(row.eventId));
  });
});
