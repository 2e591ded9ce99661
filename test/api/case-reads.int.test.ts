/**
 * Reading one case (SPEC §3 "What was known", §4 GET /cases/{id} and /history):
 * paging of /history, bounded rows, a case never hidden by an event a few
 * minutes ahead of the server clock, and `asKnownAt` (only what was recorded by then).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-01T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const q = (iso: string) => encodeURIComponent(iso);
const get = (path: string, token: string = TOKENS.auditor) => call(srv.baseUrl, 'GET', path, { token });
const write = async (caseId: string, body: Record<string, unknown>) => {
  const res = await call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
  expect(res.status).toBe(201);
  return res.body as { position: string; revision: number };
};
const writeBatch = async (events: Record<string, unknown>[]) => {
  const res = await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
  expect(res.status).toBe(200);
  expect(res.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
};

/** Accepted Mon 2025-09-01 09:00 (+08:00), promised 3 days: deadline Thu 09-04, due 09-05 00:00. */
async function seedCase(caseId = 'R-1', extra: Record<string, unknown> = {}) {
  const { caseId: _c, ...body } = accepted(caseId, '2025-09-01T09:00:00+08:00', { promisedDays: 3, ...extra });
  return write(caseId, body);
}

/** `n` escalations of one case, a minute apart from 09:01 on 2025-09-01 (the case accepted at 09:00). */
const escalations = (caseId: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    caseId,
    type: 'CaseEscalated',
    occurredAt: new Date(Date.parse('2025-09-01T09:01:00+08:00') + i * 60_000).toISOString(),
    level: 'reminder',
    by: 'office',
  }));

type Entry = { kind: string; revision?: number; type?: string; at: string; card?: { rule: string } };
const label = (e: Entry) => (e.kind === 'event' ? `${e.type}#${e.revision}` : `${e.kind}:${e.card?.rule}@${e.at}`);

async function allPages(path: string, limit: number): Promise<{ pages: number; entries: Entry[] }> {
  const entries: Entry[] = [];
  let after: number | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}limit=${limit}${after === null ? '' : `&after=${after}`}`);
    expect(res.status).toBe(200);
    entries.push(...res.body.entries);
    after = res.body.next;
    pages++;
  } while (after !== null && pages < 100);
  return { pages, entries };
}

describe('GET /cases/{caseId}/history is paged (limit, after)', () => {
  it('pages by revision with a next cursor; the pages join to the whole story, cards at their instants', async () => {
    await seedCase();
    srv.clock.set('2025-09-02T10:00:00+08:00');
    await write('R-1', { type: 'CasePaused', occurredAt: '2025-09-02T10:00:00+08:00', pauseId: 'p1', reason: 'other' });
    srv.clock.set('2025-09-03T10:00:00+08:00');
    await write('R-1', { type: 'CaseResumed', occurredAt: '2025-09-03T10:00:00+08:00', pauseId: 'p1' });
    srv.clock.set('2025-09-08T10:00:00+08:00');
    await write('R-1', { type: 'CaseEscalated', occurredAt: '2025-09-08T10:00:00+08:00', level: 'reminder', by: 'o' });
    srv.clock.set('2025-09-09T10:00:00+08:00');
    await write('R-1', { type: 'CaseCompleted', occurredAt: '2025-09-09T10:00:00+08:00', outcome: 'approved' });

    const whole = await get('/cases/R-1/history');
    expect(whole.status).toBe(200);
    expect(whole.body.next).toBeNull();
    expect(whole.body.entries.map(label)).toEqual([
      'CaseAccepted#0',
      'CasePaused#1',
      'CaseResumed#2',
      'card-raised:deadline-warning@2025-09-05T00:00:00.000+08:00',
      'card-cleared:deadline-warning@2025-09-06T00:00:00.000+08:00',
      'card-raised:overdue@2025-09-06T00:00:00.000+08:00',
      'CaseEscalated#3',
      'CaseCompleted#4',
    ]);

    const first = await get('/cases/R-1/history?limit=2');
    expect(first.body.entries.map(label)).toEqual(['CaseAccepted#0', 'CasePaused#1']);
    expect(first.body.next).toBe(1);
    expect(first.body.current.status).toBe('completed');
    const second = await get('/cases/R-1/history?limit=2&after=1');
    expect(second.body.entries.map(label)).toEqual([
      'CaseResumed#2',
      'card-raised:deadline-warning@2025-09-05T00:00:00.000+08:00',
      'card-cleared:deadline-warning@2025-09-06T00:00:00.000+08:00',
      'card-raised:overdue@2025-09-06T00:00:00.000+08:00',
      'CaseEscalated#3',
    ]);
    expect(second.body.next).toBe(3);
    const third = await get('/cases/R-1/history?limit=2&after=3');
    expect(third.body.entries.map(label)).toEqual(['CaseCompleted#4']);
    expect(third.body.next).toBeNull();

    for (const limit of [1, 3, 1000]) {
      const paged = await allPages('/cases/R-1/history', limit);
      expect(paged.entries.map(label)).toEqual(whole.body.entries.map(label));
      expect(paged.entries).toEqual(whole.body.entries);
    }
    const cut = await allPages(`/cases/R-1/history?asOf=${q('2025-09-05T12:00:00+08:00')}`, 1);
    expect(cut.entries.map(label)).toEqual([
      'CaseAccepted#0',
      'CasePaused#1',
      'CaseResumed#2',
      'card-raised:deadline-warning@2025-09-05T00:00:00.000+08:00',
    ]);
  });

  it('defaults to 200 events a page, and names a bad limit or after', async () => {
    await seedCase('L-1');
    srv.clock.set('2025-09-02T10:00:00+08:00');
    await writeBatch(escalations('L-1', 249));
    const page = await get('/cases/L-1/history');
    expect(page.body.entries.filter((e: Entry) => e.kind === 'event')).toHaveLength(200);
    expect(page.body.next).toBe(199);
    const rest = await get('/cases/L-1/history?after=199');
    expect(rest.body.entries.filter((e: Entry) => e.kind === 'event').map((e: Entry) => e.revision)).toEqual(
      Array.from({ length: 50 }, (_, i) => 200 + i),
    );
    expect(rest.body.next).toBeNull();
    expect(rest.body.current).toBeUndefined();
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['after=-1', 'after'],
      ['after=x', 'after'],
      ['after=1e3', 'after'],
    ]) {
      const bad = await get(`/cases/L-1/history?${query}`);
      expect({ query, status: bad.status, field: bad.body.error?.details?.[0]?.field }).toEqual({
        query,
        status: 400,
        field,
      });
    }
    expect((await get('/cases/L-1/history?after=5000')).body).toMatchObject({ entries: [], next: null });
  });

  it('keeps each row bounded: a 1000-event case answers in compact rows (not the whole state after each event)', async () => {
    await seedCase('BIG');
    srv.clock.set('2025-09-02T10:00:00+08:00');
    await writeBatch(escalations('BIG', 999));
    srv.clock.set('2025-10-01T10:00:00+08:00');
    const first = await get('/cases/BIG/history?limit=1000');
    expect(first.status).toBe(200);
    const events = first.body.entries.filter((e: Entry) => e.kind === 'event');
    expect(events).toHaveLength(1000);
    const widest = Math.max(...events.map((e: unknown) => JSON.stringify(e).length));
    expect(widest).toBeLessThan(1000);
    // 1000 event rows, ~1000 card rows and `current` (999 escalations, cards explained): linear, a few MB at most.
    expect(first.text.length).toBeLessThan(4_000_000);
    expect(events[999].state).toMatchObject({ status: 'open', escalations: 999 });
    // A first page of one event: `current` explains its first 200 cards, not each (≈ 4.4 KB a card:
    // a probe's case of 999 pauses answered limit=1 with 12.5 MB). The register explains any card.
    const one = await get('/cases/BIG/history?limit=1');
    const cards = one.body.current.cards as { explain?: unknown }[];
    expect(cards.length).toBeGreaterThan(999);
    expect(cards.filter((c) => c.explain !== undefined)).toHaveLength(200);
    expect(cards.slice(0, 200).every((c) => c.explain !== undefined)).toBe(true);
  });
});

describe('a case is never hidden at the default instants (issue 12 defect 7)', () => {
  it('answers a case whose last event is a few minutes ahead of the server clock, as of that event', async () => {
    const ahead = '2025-09-01T10:04:00+08:00'; // now + 4 min: allowed by the 5-minute rule
    const { caseId: _c, ...body } = accepted('F-1', ahead, { promisedDays: 3 });
    await write('F-1', body);
    const read = await get('/cases/F-1', TOKENS.monitor);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ caseId: 'F-1', status: 'open', asOf: '2025-09-01T10:04:00.000+08:00' });
    const history = await get('/cases/F-1/history');
    expect(history.status).toBe(200);
    expect(history.body.asOf).toBe('2025-09-01T10:04:00.000+08:00');
    expect(history.body.entries.map(label)).toEqual(['CaseAccepted#0']);
    // An explicit asOf still means that instant.
    expect((await get(`/cases/F-1?asOf=${q('2025-09-01T10:00:00+08:00')}`)).status).toBe(404);
  });
});

describe('?asKnownAt= (SPEC §3 "What was known")', () => {
  it('shows a back-dated pause only once it was recorded, flagged retroactive, and echoes both instants', async () => {
    await seedCase('B-1');
    srv.clock.set('2025-09-08T10:00:00+08:00'); // the case is overdue since 09-05 00:00
    await write('B-1', { type: 'CasePaused', occurredAt: '2025-09-03T09:00:00+08:00', pauseId: 'p1', reason: 'other' });
    const asOf = '2025-09-08T12:00:00+08:00';

    const before = await get(`/cases/B-1?asOf=${q(asOf)}&asKnownAt=${q('2025-09-07T12:00:00Z')}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      asOf: '2025-09-08T12:00:00.000+08:00',
      asKnownAt: '2025-09-07T20:00:00.000+08:00',
      status: 'open',
      pauses: [],
      revision: 0,
    });
    expect(before.body.cards.map((c: { rule: string }) => c.rule)).toContain('overdue');

    const after = await get(`/cases/B-1?asOf=${q(asOf)}&asKnownAt=${q('2025-09-08T10:00:00+08:00')}`);
    expect(after.body).toMatchObject({ status: 'paused', asKnownAt: '2025-09-08T10:00:00.000+08:00' });
    expect(after.body.pauses).toMatchObject([{ pauseId: 'p1', retroactive: true }]);
    expect(after.body.cards.map((c: { rule: string }) => c.rule)).not.toContain('overdue');
    const { asKnownAt: _k, ...known } = after.body;
    expect(known).toEqual((await get(`/cases/B-1?asOf=${q(asOf)}`)).body);

    const history = await get(`/cases/B-1/history?asOf=${q(asOf)}&asKnownAt=${q('2025-09-07T12:00:00+08:00')}`);
    expect(history.body).toMatchObject({ asKnownAt: '2025-09-07T12:00:00.000+08:00', asOf: before.body.asOf });
    expect(history.body.entries.filter((e: Entry) => e.kind === 'event').map(label)).toEqual(['CaseAccepted#0']);
    const full = await get(`/cases/B-1/history?asKnownAt=${q('2025-09-08T10:00:00+08:00')}`);
    expect(full.body.entries.filter((e: Entry) => e.kind === 'event').map(label)).toEqual([
      'CaseAccepted#0',
      'CasePaused#1',
    ]);
  });

  it('uses the calendar published by K', async () => {
    await seedCase('C-1');
    const before = await get('/calendar/2025', TOKENS.monitor);
    srv.clock.set('2025-09-02T10:00:00+08:00');
    const body = { holidays: [...before.body.holidays, '2025-09-02'], workdays: before.body.workdays };
    const put = await call(srv.baseUrl, 'PUT', '/calendar/2025', { token: TOKENS.admin, body });
    expect(put.status).toBe(200);
    const asOf = q('2025-09-02T12:00:00+08:00');
    const old = await get(`/cases/C-1?asOf=${asOf}&asKnownAt=${q('2025-09-02T09:59:59+08:00')}`);
    expect(old.body).toMatchObject({ deadlineDate: '2025-09-04', calendarVersion: before.body.version });
    const known = await get(`/cases/C-1?asOf=${asOf}&asKnownAt=${q('2025-09-02T10:00:00+08:00')}`);
    expect(known.body).toMatchObject({ deadlineDate: '2025-09-05', calendarVersion: put.body.version });
    const history = await get(`/cases/C-1/history?asKnownAt=${q('2025-09-02T09:00:00+08:00')}`);
    expect(history.body.calendarVersion).toBe(before.body.version);
  });

  it('answers 404 for a case not yet recorded by K, 400 naming a bad asKnownAt, and records it in the trail', async () => {
    await seedCase('K-1');
    const early = await get(`/cases/K-1?asKnownAt=${q('2025-09-01T09:59:00+08:00')}`);
    expect(early.status).toBe(404);
    expect((await get(`/cases/K-1/history?asKnownAt=${q('2025-09-01T09:59:00+08:00')}`)).status).toBe(404);
    for (const path of ['/cases/K-1', '/cases/K-1/history']) {
      for (const bad of ['yesterday', '2025-09-01', '2025-09-01T10:00:00']) {
        const res = await get(`${path}?asKnownAt=${q(bad)}`);
        expect(res.status).toBe(400);
        expect(res.body.error.details[0].field).toBe('asKnownAt');
      }
    }
    await get(`/cases/K-1?asKnownAt=${q('2025-09-01T10:00:00+08:00')}`);
    expect(srv.accessTrail.entries.at(-1)).toMatchObject({ caseId: 'K-1', asKnownAt: '2025-09-01T10:00:00+08:00' });
  });
});
