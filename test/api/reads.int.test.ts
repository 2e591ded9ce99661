import { openSse } from '../support/sse.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/domain/time.js';
import { accepted, call, startTestServer, TOKENS, ZONE, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({
    now: '2025-09-01T10:00:00+08:00',
    options: { sseHeartbeatMs: 50, maxAlertStreams: 2 },
  });
});
afterEach(async () => {
  await srv.close();
});

const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  call(srv.baseUrl, 'GET', path, { ...(token === undefined ? {} : { token }), headers });
const write = async (caseId: string, body: Record<string, unknown>) => {
  const res = await call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
  expect(res.status).toBe(201);
  return res.body as { position: string; revision: number };
};

/** A promised 3-day case accepted Mon 2025-09-01 (deadline Thu 09-04, due 09-05 00:00), center-A. */
async function seedCase(caseId = 'R-1', extra: Record<string, unknown> = {}) {
  const { caseId: _c, ...body } = accepted(caseId, '2025-09-01T09:00:00+08:00', { promisedDays: 3, ...extra });
  return write(caseId, body);
}

describe('GET /cases/{caseId}', () => {
  it('evaluates the case now and at asOf, right after the write (read-your-writes)', async () => {
    await seedCase();
    const now = await get('/cases/R-1', TOKENS.monitor);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({
      caseId: 'R-1',
      status: 'open',
      centerId: 'center-A',
      deadlineDate: '2025-09-04',
      dueAt: '2025-09-05T00:00:00.000+08:00',
      usedDays: 0,
      remainingDays: 3,
      overdueDays: 0,
      completedAt: null,
      onTime: null,
      early: null,
    });
    expect(now.body.cards).toEqual([]);
    expect(typeof now.body.calendarVersion).toBe('string');
    expect(typeof now.body.policyVersion).toBe('string');
    const later = await get(`/cases/R-1?asOf=${encodeURIComponent('2025-09-08T12:00:00+08:00')}`, TOKENS.auditor);
    expect(later.body).toMatchObject({ usedDays: 5, remainingDays: 0, overdueDays: 2 });
    expect(later.body.cards.map((c: { rule: string }) => c.rule)).toEqual(['deadline-warning', 'overdue']);
  });

  it('each card says why, in the card register’s words: an overdue case’s red card names its rule, deadline and counted days', async () => {
    await seedCase();
    srv.clock.set('2025-09-08T12:00:00+08:00');
    type Card = { rule: string; explain?: Record<string, unknown> };
    const red = (cards: Card[]) => cards.find((c) => c.rule === 'overdue');
    const read = await get('/cases/R-1', TOKENS.auditor);
    expect(read.status, read.text).toBe(200);
    expect(read.body.overdueDays).toBe(2);
    expect(red(read.body.cards)?.explain).toMatchObject({
      rule: 'red at dueAt (24:00 of deadlineDate) while the case is still open',
      acceptedDate: '2025-09-01',
      promisedDays: 3,
      deadlineDate: '2025-09-04',
      dueAt: '2025-09-05T00:00:00.000+08:00',
      usedDays: 5,
      overdueDays: 2,
      countedDates: ['2025-09-02', '2025-09-03', '2025-09-04', '2025-09-05', '2025-09-08'],
      weekendsSkipped: ['2025-09-06', '2025-09-07'],
    });
    // One explanation, not a second home for the rule: the register's row and the read as known now say the same.
    const register = await get('/cards?from=2025-09-01&to=2025-10-01&rule=overdue', TOKENS.auditor);
    expect(register.body.items).toHaveLength(1);
    expect(red(read.body.cards)?.explain).toEqual(register.body.items[0].explain);
    const known = await get(`/cases/R-1?asKnownAt=${encodeURIComponent('2025-09-08T12:00:00+08:00')}`, TOKENS.auditor);
    expect(red(known.body.cards)?.explain).toEqual(register.body.items[0].explain);
    expect(read.body.cards.every((c: Card) => typeof c.explain?.['rule'] === 'string')).toBe(true);
  });

  it('answers 404 for an unknown case or one not accepted by asOf, 400 for a bad asOf', async () => {
    await seedCase();
    expect((await get('/cases/nope', TOKENS.monitor)).body.error.code).toBe('case-not-found');
    expect(
      (await get(`/cases/R-1?asOf=${encodeURIComponent('2025-08-01T00:00:00+08:00')}`, TOKENS.monitor)).status,
    ).toBe(404);
    // The instants a refusal names are written with the zone's offset, as every instant of the API (SPEC §4),
    // not in UTC (before: "no case R-1 accepted by 2025-07-31T16:00:00.000Z").
    const early = encodeURIComponent('2025-08-01T00:00:00+08:00');
    const messages = await Promise.all(
      [
        [`/cases/R-1?asOf=${early}`, TOKENS.monitor],
        [`/cases/R-1?asKnownAt=${early}`, TOKENS.monitor],
        [`/cases/R-1/history?asOf=${early}&asKnownAt=${early}`, TOKENS.auditor],
        [`/cases/R-1?asKnownAt=${encodeURIComponent('2025-09-02T00:00:00+08:00')}`, TOKENS.monitor],
      ].map(async ([path, token]) => (await get(path!, token)).body.error.message),
    );
    expect(messages).toEqual([
      'no case R-1 accepted by 2025-08-01T00:00:00.000+08:00',
      'no case R-1 accepted as known at 2025-08-01T00:00:00.000+08:00',
      'no case R-1 accepted by 2025-08-01T00:00:00.000+08:00 as known at 2025-08-01T00:00:00.000+08:00',
      expect.stringContaining('asKnownAt: must not be after now (2025-09-01T10:00:00.000+08:00)'),
    ]);
    for (const asOf of ['yesterday', '2025-09-01', '2025-09-01T10:00:00']) {
      const res = await get(`/cases/R-1?asOf=${encodeURIComponent(asOf)}`, TOKENS.monitor);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('asOf');
    }
    expect((await get('/cases/R-1?asOf=a&asOf=b', TOKENS.monitor)).status).toBe(400);
    // An instant out of bounds says which bound (before: "must be an ISO-8601 instant with offset").
    const bounds: [string, string][] = [
      ['1999-01-01T00:00:00Z', 'years 2000–2100'],
      ['2025-09-01T10:00:00+15:00', 'within ±14:00'],
    ];
    for (const [asOf, message] of bounds) {
      const res = await get(`/cases/R-1?asOf=${encodeURIComponent(asOf)}`, TOKENS.monitor);
      expect(res.body.error.details[0]).toMatchObject({ field: 'asOf' });
      expect(res.body.error.message, asOf).toContain(message);
    }
  });

  it('records auditor and admin reads in the access trail (role and token fingerprint, never the token)', async () => {
    await seedCase();
    await get('/cases/R-1', TOKENS.auditor);
    await get('/cases/R-1/history', TOKENS.auditor);
    await get('/cases/R-1', TOKENS.monitor);
    await get('/cases/R-1/history', TOKENS.admin);
    expect(srv.accessTrail.entries.map((e) => [e.role, e.caseId, e.what])).toEqual([
      ['auditor', 'R-1', 'case'],
      ['auditor', 'R-1', 'history'],
      ['admin', 'R-1', 'history'],
    ]);
    const entry = srv.accessTrail.entries[0];
    expect(entry?.token).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(srv.accessTrail.entries)).not.toContain(TOKENS.auditor);
    // In the API's form (+08:00), as the answer's instants (session 25; UTC before).
    expect(entry?.at).toBe(formatInstant(srv.clock.now, ZONE));
  });

  it('the trail says what was disclosed: the query as sent, the instant answered, a history page’s revisions, CSV', async () => {
    await seedCase();
    srv.clock.set('2025-09-02T10:00:00+08:00');
    await write('R-1', {
      type: 'CasePaused',
      occurredAt: '2025-09-02T10:00:00+08:00',
      pauseId: 'p1',
      reason: 'supplement',
    });
    await get('/cases/R-1/history?limit=1&after=0', TOKENS.auditor);
    await get('/cases/R-1/history?limit=1', TOKENS.auditor);
    await get(`/cases/R-1?asOf=${encodeURIComponent('2025-09-01T24:00:00+08:00')}`, TOKENS.auditor);
    await call(srv.baseUrl, 'GET', '/cases?limit=5', { token: TOKENS.auditor, headers: { accept: 'text/csv' } });
    const [next, first, read, csv] = srv.accessTrail.entries.slice(-4);
    expect(next).toMatchObject({ what: 'history', query: 'limit=1&after=0', revisions: [1, 1] });
    expect(first).toMatchObject({ what: 'history', query: 'limit=1', revisions: [0, 0] });
    expect(read).toMatchObject({
      what: 'case',
      asOf: '2025-09-01T24:00:00+08:00',
      answeredAsOf: '2025-09-02T00:00:00.000+08:00',
    });
    expect(csv).toMatchObject({ what: 'case-list', query: 'limit=5', format: 'csv' });
  });
});

describe('GET /cases/{caseId}/history', () => {
  it('lists every event with revision, position, recordedAt and the state after it, cards interleaved', async () => {
    await seedCase();
    srv.clock.set('2025-09-02T10:00:00+08:00');
    await write('R-1', {
      type: 'CasePaused',
      occurredAt: '2025-09-02T10:00:00+08:00',
      pauseId: 'p1',
      reason: 'supplement',
    });
    srv.clock.set('2025-09-03T10:00:00+08:00');
    await write('R-1', { type: 'CaseResumed', occurredAt: '2025-09-03T10:00:00+08:00', pauseId: 'p1' });
    srv.clock.set('2025-09-09T10:00:00+08:00');
    const done = await write('R-1', {
      type: 'CaseCompleted',
      occurredAt: '2025-09-09T10:00:00+08:00',
      outcome: 'approved',
    });
    const res = await get('/cases/R-1/history', TOKENS.auditor);
    expect(res.status).toBe(200);
    const kinds = res.body.entries.map(
      (e: { kind: string; type?: string; card?: { rule: string } }) => e.type ?? `${e.kind}:${e.card?.rule}`,
    );
    expect(kinds).toEqual([
      'CaseAccepted',
      'CasePaused',
      'CaseResumed',
      'card-raised:deadline-warning',
      'card-cleared:deadline-warning',
      'card-raised:overdue',
      'CaseCompleted',
    ]);
    const events = res.body.entries.filter((e: { kind: string }) => e.kind === 'event');
    expect(events.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(events[3].position).toBe(done.position);
    expect(events[1].recordedAt).toBe('2025-09-02T02:00:00.000Z');
    expect(events[1].state.status).toBe('paused');
    expect(events[2].state.status).toBe('open');
    expect(events[3].state).toMatchObject({ status: 'completed', onTime: false });
    const times = res.body.entries.map((e: { at: string }) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const cut = await get(`/cases/R-1/history?asOf=${encodeURIComponent('2025-09-02T12:00:00+08:00')}`, TOKENS.auditor);
    expect(cut.body.entries.map((e: { type?: string }) => e.type)).toEqual(['CaseAccepted', 'CasePaused']);
    expect(cut.body.current.status).toBe('paused');
  });

  it('is for auditors (and admin): a monitor gets 403, an unknown case 404', async () => {
    await seedCase();
    expect((await get('/cases/R-1/history', TOKENS.monitor)).status).toBe(403);
    expect((await get('/cases/R-1/history', TOKENS.admin)).status).toBe(200);
    expect((await get('/cases/zzz/history', TOKENS.auditor)).status).toBe(404);
  });
});

describe('GET /alerts and /alerts/stream', () => {
  it('lists active alerts with filters and rejects bad filter values', async () => {
    await seedCase('R-1');
    await seedCase('R-2', { centerId: 'center-B' });
    srv.clock.set('2025-09-05T08:00:00+08:00');
    const all = await get('/alerts', TOKENS.monitor);
    expect(all.status).toBe(200);
    expect(all.body.alerts.map((a: { caseId: string; rule: string }) => `${a.caseId}:${a.rule}`).sort()).toEqual([
      'R-1:overdue',
      'R-2:overdue',
    ]);
    const b = await get('/alerts?centerId=center-B&color=red&rule=overdue', TOKENS.monitor);
    expect(b.body.alerts.map((a: { caseId: string }) => a.caseId)).toEqual(['R-2']);
    expect((await get('/alerts?color=yellow', TOKENS.monitor)).body.count).toBe(0);
    expect((await get('/alerts?color=blue', TOKENS.monitor)).body.error.details[0].field).toBe('color');
    // The board is now's: an instant asked for (or a misspelt filter) is refused by name, not ignored.
    for (const path of [
      '/alerts?asOf=2025-09-01T00:00:00%2B08:00',
      '/alerts?center=center-B',
      '/alerts/stream?asOf=x',
    ]) {
      const refused = await get(path, TOKENS.monitor);
      expect(refused.status, path).toBe(400);
      expect(refused.body.error.details[0].field).toBe(path.includes('center=') ? 'center' : 'asOf');
    }
    expect((await get('/alerts?rule=late', TOKENS.monitor)).status).toBe(400);
    expect((await get('/alerts', TOKENS.auditor)).status).toBe(403);
    expect((await get('/alerts', TOKENS.recorder)).status).toBe(403);
  });

  it('streams alert-raised and alert-cleared raised by the passing of time, honouring filters, with heartbeats', async () => {
    await seedCase('R-1');
    await seedCase('R-2', { centerId: 'center-B' });
    const stream = await openStream('/alerts/stream?centerId=center-A');
    await stream.waitFor(': connected');
    srv.clock.set('2025-09-04T00:00:01+08:00'); // deadline-warning (day ⌈0.8×3⌉ = 3 starts 09-04)
    srv.clock.set('2025-09-05T00:00:01+08:00'); // overdue starts; the yellow clears
    await stream.waitFor('event: alert-cleared');
    await stream.waitFor('"rule":"overdue"');
    await stream.waitFor(': heartbeat');
    stream.close();
    const messages = stream.messages();
    expect(messages.map((m) => `${m.event}:${m.data.rule}`).sort()).toEqual([
      'alert-cleared:deadline-warning',
      'alert-raised:deadline-warning',
      'alert-raised:overdue',
    ]);
    expect(messages[0]?.event).toBe('alert-raised');
    expect(messages.every((m) => m.data.centerId === 'center-A')).toBe(true);
    expect(messages.find((m) => m.data.rule === 'overdue')?.data.startedAt).toBe('2025-09-05T00:00:00.000+08:00');
  });

  it('caps concurrent streams with 503', async () => {
    const a = await openStream('/alerts/stream');
    const b = await openStream('/alerts/stream');
    await a.waitFor(': connected');
    await b.waitFor(': connected');
    const third = await get('/alerts/stream', TOKENS.monitor);
    expect(third.status).toBe(503);
    expect(third.body.error.code).toBe('too-many-streams');
    // A HEAD asks what a GET answers and takes no slot (probe 2: ten HEADs held a token's ten slots).
    expect((await call(srv.baseUrl, 'HEAD', '/alerts/stream', { token: TOKENS.monitor })).status).toBe(200);
    a.close();
    b.close();
  });
});

const openStream = (path: string) => openSse(srv.baseUrl, path, TOKENS.monitor);

describe('GET /stats and /reports/monthly', () => {
  it('answers KPIs and validates from, to, groupBy', async () => {
    await seedCase('R-1');
    const res = await get('/stats?from=2025-09-01&to=2025-10-01&groupBy=center', TOKENS.monitor);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('"accepted":1');
    for (const [q, field] of [
      ['from=2025-09-01', 'to'],
      ['from=2025-13-01&to=2025-10-01', 'from'],
      ['from=2025-09-01&to=2025-02-30', 'to'],
      ['from=2025-10-01&to=2025-09-01', 'to'],
      ['from=2025-09-01&to=2025-10-01&groupBy=city', 'groupBy'],
      // The figures are always now's: an instant asked for is refused by name, not silently ignored.
      ['from=2025-09-01&to=2025-10-01&asOf=2025-09-15T00:00:00%2B08:00', 'asOf'],
    ]) {
      const bad = await get(`/stats?${q}`, TOKENS.monitor);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe(field);
    }
    expect((await get('/stats?from=2025-09-01&to=2025-10-01', TOKENS.recorder)).status).toBe(403);
    // Instants in answers are ISO-8601 with offset (SPEC §4), never epoch numbers.
    expect(res.body.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
  });

  it('refuses a period starting after today as the report refuses a month not begun (session 16)', async () => {
    await seedCase('R-1');
    // The server's clock is 2025-09-01: a period from tomorrow has no figures (its "open at the end" would be now's).
    const future = await get('/stats?from=2025-09-02&to=2025-10-01', TOKENS.monitor);
    expect(future.status).toBe(400);
    expect(future.body.error.details[0]).toMatchObject({ field: 'from' });
    expect(future.body.error.message).toMatch(/today 2025-09-01/);
    expect((await get('/stats?from=2025-09-01&to=2025-10-01', TOKENS.monitor)).status).toBe(200);
  });

  it('answers the monthly report as JSON, or CSV on Accept: text/csv; 400 for a bad month', async () => {
    await seedCase('R-1');
    const json = await get('/reports/monthly?month=2025-09', TOKENS.monitor);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
    expect(json.body.asOf).toMatch(/\+08:00$/);
    // A month not begun (the server's clock is in 2025-09) has no report.
    const future = await get('/reports/monthly?month=2025-10', TOKENS.monitor);
    expect(future.status).toBe(400);
    expect(future.body.error.details[0]).toMatchObject({ field: 'month' });
    expect(future.body.error.message).toMatch(/current month 2025-09/);
    const unknown = await get('/reports/monthly?month=2025-09&asKnownAt=2025-09-15T00:00:00%2B08:00', TOKENS.monitor);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toBe('asKnownAt');
    const csv = await get('/reports/monthly?month=2025-09', TOKENS.monitor, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('报表'); // the first section's title (the BOM is checked below)
    expect(csv.text).toContain('dep-1');
    const raw = Buffer.from(
      await (
        await fetch(`${srv.baseUrl}/reports/monthly?month=2025-09`, {
          headers: { authorization: `Bearer ${TOKENS.monitor}`, accept: 'text/csv' },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
    for (const m of ['2025-9', '2025-13', 'sept'])
      expect((await get(`/reports/monthly?month=${m}`, TOKENS.monitor)).body.error.details[0].field).toBe('month');
    // No month: the latest month with data (it was a 400, and the page opened on an empty month).
    const latest = await get('/reports/monthly', TOKENS.monitor);
    expect(latest.status).toBe(200);
    expect(latest.body.month).toBe('2025-09');
    expect(latest.body.kpis.cohort.accepted).toBe(1);
  });
});

describe('GET and PUT /calendar/{year}', () => {
  it('reads a year, publishes a correction (admin) that changes deadlines, and validates', async () => {
    const before = await get('/calendar/2025', TOKENS.monitor);
    expect(before.status).toBe(200);
    expect(before.body.holidays).toContain('2025-10-01');
    await seedCase('R-1');
    const body = { holidays: [...before.body.holidays, '2025-09-02'], workdays: before.body.workdays };
    expect((await call(srv.baseUrl, 'PUT', '/calendar/2025', { token: TOKENS.monitor, body })).status).toBe(403);
    const put = await call(srv.baseUrl, 'PUT', '/calendar/2025', { token: TOKENS.admin, body });
    expect(put.status).toBe(200);
    expect(put.body.holidays).toContain('2025-09-02');
    expect(put.body.version).not.toBe(before.body.version);
    expect((await get('/calendar/2025', TOKENS.monitor)).body.version).toBe(put.body.version);
    const c = await get('/cases/R-1', TOKENS.monitor);
    expect(c.body.deadlineDate).toBe('2025-09-05');
    expect(c.body.calendarVersion).toBe(put.body.version);

    const bad = await call(srv.baseUrl, 'PUT', '/calendar/2025', {
      token: TOKENS.admin,
      body: { holidays: ['2024-01-01'], workdays: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('holidays[0]');
    expect(
      (await call(srv.baseUrl, 'PUT', '/calendar/2025', { token: TOKENS.admin, body: { holidays: [] } })).body.error
        .details[0].field,
    ).toBe('workdays');
    expect((await get('/calendar/25', TOKENS.monitor)).body.error.details[0].field).toBe('year');
    // Auditors read calendars (session 16: the version a result names must be quotable); PUT stays admin.
    expect((await get('/calendar/2025', TOKENS.auditor)).status).toBe(200);
    expect((await get('/calendar/2025', TOKENS.recorder)).status).toBe(403);
  });
});

describe('health, readiness and metrics', () => {
  it('serves /healthz and /readyz without a token', async () => {
    expect((await get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', store: 'up' });
    await srv.store.close();
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.store).toBe('down');
  });

  it('serves /metrics without a token on loopback, 401 with an unknown token, and never a case id in labels', async () => {
    // Only directory centers are label values (SPEC §7).
    const directory = { centers: [{ centerId: 'center-A', name: '中心A', level: 'district' }], departments: [] };
    expect((await call(srv.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body: directory })).status).toBe(200);
    await seedCase('SECRET-CASE-42');
    srv.clock.set('2025-09-05T08:00:00+08:00');
    await get('/cases/SECRET-CASE-42', TOKENS.monitor);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('supervision_events_appended_total{type="CaseAccepted"} 1');
    expect(res.text).toContain('supervision_cases_accepted_total{center="center-A",kind="promised"} 1');
    expect(res.text).toContain('supervision_alerts_active{rule="overdue",color="red",center="center-A"} 1');
    expect(res.text).toContain('supervision_cases_open{center="center-A",status="open"} 1');
    expect(res.text).toMatch(/supervision_cards_issued_total\{rule="overdue",color="red",center="center-A"\} 1/);
    expect(res.text).toContain('supervision_store_up 1');
    expect(res.text).toMatch(/supervision_projection_lag_events \d+/);
    expect(res.text).toContain('supervision_append_duration_seconds_count 1');
    expect(res.text).toContain('route="/cases/:caseId",status="200"');
    expect(res.text).not.toContain('SECRET-CASE-42');
    expect((await get('/metrics', 'unknown-token-xxxxxxxxxxxx')).status).toBe(401);
    expect((await get('/metrics', TOKENS.recorder)).status).toBe(200);
  });
});

describe('role table', () => {
  it('grants each role exactly its routes', async () => {
    await seedCase('R-1');
    const routes: [string, string][] = [
      ['GET', '/cases/R-1'],
      ['GET', '/cases/R-1/history'],
      ['GET', '/alerts'],
      ['GET', '/stats?from=2025-09-01&to=2025-09-02'],
      ['GET', '/reports/monthly?month=2025-09'],
      ['GET', '/calendar/2025'],
    ];
    const allowed: Record<string, string[]> = {
      recorder: [],
      monitor: [
        '/cases/R-1',
        '/alerts',
        '/stats?from=2025-09-01&to=2025-09-02',
        '/reports/monthly?month=2025-09',
        '/calendar/2025',
      ],
      auditor: ['/cases/R-1', '/cases/R-1/history', '/calendar/2025'],
      admin: routes.map(([, p]) => p),
    };
    for (const [role, paths] of Object.entries(allowed)) {
      for (const [, path] of routes) {
        const res = await get(path, TOKENS[role as keyof typeof TOKENS]);
        expect({ role, path, status: res.status }).toEqual({ role, path, status: paths.includes(path) ? 200 : 403 });
      }
    }
    expect((await get('/alerts')).status).toBe(401);
    expect((await get('/alerts', undefined, { authorization: 'Basic abc' })).status).toBe(401);
  });
});
