/**
 * `provisional` on the live alerts (SPEC §3: a deadline or a card's clock that counts days of a year
 * the calendar only predicts). The case read, the lists, the card register and the complaints said
 * it; `GET /alerts` rows and `/alerts/stream` events did not, so the office watching live alerts
 * could not tell a card a holiday notice may still withdraw. Real engine, manual clock in December
 * 2026 (2027 has no notice: from 12-20 on the days are predicted), then the 2027 notice published.
 * Each alert's flag is compared with its case's or complaint's own read (`GET /cases/{id}`,
 * `GET /complaints/{id}`), before and after the publication, and the stream must tell the change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSse } from '../support/sse.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes
type Row = Record<string, any>;
const get = (path: string, token: string = TOKENS.monitor) => call(srv!.baseUrl, 'GET', path, { token });
async function post(path: string, body: unknown): Promise<void> {
  const res = await call(srv!.baseUrl, 'POST', path, { token: TOKENS.recorder, body });
  expect(res.status, res.text).toBe(201);
}
async function settle(): Promise<void> {
  expect(await srv!.readModels.waitForPosition(await srv!.store.headPosition(), 5_000)).toBe(true);
  srv!.clock.advance(0);
}

/** Each active alert's key → its `provisional` as sent (undefined when absent), with the flag of its subject's own read. */
async function alertFlags(): Promise<{ sent: Record<string, unknown>; subject: Record<string, boolean> }> {
  const page = (await get('/alerts?limit=1000')).body;
  const sent: Record<string, unknown> = {};
  const subject: Record<string, boolean> = {};
  for (const a of page.alerts as Row[]) {
    sent[a.key] = a.provisional;
    const read =
      a.subject === 'case'
        ? (await get(`/cases/${a.caseId}`, TOKENS.admin)).body
        : (await get(`/complaints/${a.complaintId}`, TOKENS.admin)).body;
    expect(typeof read.provisional, a.key).toBe('boolean');
    subject[a.key] = read.provisional;
  }
  return { sent, subject };
}

/** A stream's message awaited at most 5 s, failing with the alert it waited for. */
const inTime = (arrived: Promise<void>, key: string) =>
  Promise.race([
    arrived,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`the stream did not tell ${key} after the publication`)), 5_000),
    ),
  ]);

/** The presence rule of `/cards`: `true` when the subject's read says so, absent otherwise. */
const expected = (subject: Record<string, boolean>) =>
  Object.fromEntries(Object.entries(subject).map(([k, v]) => [k, v ? true : undefined]));

describe('/alerts and /alerts/stream say provisional', () => {
  it('as the case and complaint reads do, before and after the 2027 notice; the stream re-raises the alerts it changed', async () => {
    srv = await startTestServer({ now: '2026-12-14T09:30:00+08:00' });
    // Due 12-16, overdue from 12-17: read on 12-18 its days all lie before 12-20 (final).
    await post('/cases/OVER/events', accepted('OVER', '2026-12-14T09:00:00+08:00', { promisedDays: 2 }));
    srv.clock.set('2026-12-18T10:00:00+08:00');
    // Recorded three days late (a late-record alert) and due 12-22: its span reaches the predicted tail of December.
    const { caseId: _c, ...late } = accepted('LATE', '2026-12-15T09:00:00+08:00', { promisedDays: 5 });
    await post('/cases/LATE/events', late);
    // A complaint recorded three days late and accepted: its answer clock runs into 2027.
    await post('/complaints/Q1/events', {
      type: 'ComplaintReceived',
      occurredAt: '2026-12-15T09:00:00+08:00',
      channel: 'hotline',
      centerId: 'center-A',
      subject: '窗口推诿',
    });
    await post('/complaints/Q1/events', { type: 'ComplaintAccepted', occurredAt: '2026-12-18T09:30:00+08:00' });
    await settle();

    const before = await alertFlags();
    expect(before.sent).toEqual(expected(before.subject));
    const provisionalBefore = Object.keys(before.sent).filter((k) => before.sent[k] === true);
    // Both kinds of subject, and a final alert beside them (so the flag is not simply on every row).
    expect(provisionalBefore.some((k) => k.startsWith('LATE/'))).toBe(true);
    expect(provisionalBefore.some((k) => k.startsWith('complaint-Q1/'))).toBe(true);
    expect(before.sent['OVER/overdue']).toBeUndefined();
    expect(Object.keys(before.sent)).toContain('OVER/overdue');
    // The JSON carries no `provisional: false`: absent means final, as in /cards.
    const raw = (await get('/alerts?limit=1000')).text;
    expect(raw).not.toContain('"provisional":false');

    const stream = await openSse(srv.baseUrl, '/alerts/stream', TOKENS.monitor);
    const filtered = await openSse(srv.baseUrl, '/alerts/stream?centerId=center-A', TOKENS.monitor);
    try {
      await settle();
      const predicted = (await get('/calendar/2027', TOKENS.admin)).body;
      const published = await call(srv.baseUrl, 'PUT', '/calendar/2027', {
        token: TOKENS.admin,
        body: { holidays: predicted.holidays, workdays: [] },
      });
      expect(published.status, published.text).toBe(200);
      await settle();

      const after = await alertFlags();
      expect(after.sent).toEqual(expected(after.subject));
      expect(Object.values(after.subject)).not.toContain(true);
      // The same alerts are active: the publication moved no deadline, it only made the days final.
      expect(Object.keys(after.sent).sort()).toEqual(Object.keys(before.sent).sort());

      // Every alert whose flag changed is raised again (same key), without the flag; the others are not told.
      for (const s of [stream, filtered]) {
        for (const key of provisionalBefore) await inTime(s.waitFor(`"key":"${key}"`), key);
        const told = s.messages().filter((m) => m.event === 'alert-raised');
        expect(told.map((m) => m.data.key).sort()).toEqual([...provisionalBefore].sort());
        for (const m of told) expect(m.data.provisional, m.data.key).toBeUndefined();
      }
      // Replayed over the board read before, the stream gives the board read after (flags included).
      const board = new Map(Object.entries(before.sent));
      for (const m of stream.messages())
        if (m.event === 'alert-raised') board.set(m.data.key!, m.data.provisional);
        else board.delete(m.data.key!);
      expect(Object.fromEntries(board)).toEqual(after.sent);
    } finally {
      stream.close();
      filtered.close();
    }
  });

  it('with the clock: an open case or complaint whose days reach December 20 (2027 unpublished) turns provisional that midnight, told by the stream', async () => {
    srv = await startTestServer({ now: '2026-12-14T09:30:00+08:00' });
    await post('/cases/OVER/events', accepted('OVER', '2026-12-14T09:00:00+08:00', { promisedDays: 2 }));
    // Not decided within 3 working days (by 12-17): complaint-undecided from 12-18, its clock running to today.
    await post('/complaints/Q2/events', {
      type: 'ComplaintReceived',
      occurredAt: '2026-12-14T09:00:00+08:00',
      channel: 'hotline',
      centerId: 'center-A',
      subject: '窗口推诿',
    });
    srv.clock.set('2026-12-18T10:00:00+08:00');
    await settle();
    const before = await alertFlags();
    expect(Object.keys(before.sent).sort()).toEqual(['OVER/overdue', 'complaint-Q2/complaint-undecided']);
    expect(before.sent).toEqual(expected(before.subject));
    expect(Object.values(before.subject)).not.toContain(true);

    const stream = await openSse(srv.baseUrl, '/alerts/stream', TOKENS.monitor);
    try {
      await settle();
      srv.clock.set('2026-12-19T23:59:59+08:00');
      await settle();
      expect(stream.messages(), 'nothing changes before 12-20').toEqual([]);
      srv.clock.set('2026-12-20T00:00:00+08:00');
      await settle();
      const after = await alertFlags();
      expect(after.sent).toEqual(expected(after.subject));
      expect(after.sent).toEqual({ 'OVER/overdue': true, 'complaint-Q2/complaint-undecided': true });
      for (const key of Object.keys(after.sent)) await inTime(stream.waitFor(`"key":"${key}"`), key);
      expect(stream.messages().map((m) => [m.event, m.data.key, m.data.provisional])).toEqual(
        expect.arrayContaining([
          ['alert-raised', 'OVER/overdue', true],
          ['alert-raised', 'complaint-Q2/complaint-undecided', true],
        ]),
      );
      expect(stream.messages()).toHaveLength(2);
    } finally {
      stream.close();
    }
  });
});
