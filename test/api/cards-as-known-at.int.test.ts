/**
 * `GET /cards?asKnownAt=K` (SPEC §3 "What was known"): the card register as it stood at K. For random
 * recorded histories of two cases and a complaint of one center (events recorded late, back-dated
 * pauses among them), calendar corrections, a regional notice, directory publications that move the
 * center in or out of that region, and policy versions, each recorded at its own instant, the
 * register read as known at K on the whole store equals the register a fresh engine answers whose
 * store holds only what was recorded by K and whose clock is K.
 */
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../../src/domain/calendar/index.js';
import { complaintStreamId } from '../../src/domain/complaints/streams.js';
import { caseStreamId } from '../../src/domain/streams.js';
import { DEFAULT_POLICY, parsePolicy } from '../../src/domain/policy.js';
import { historyArb } from '../../src/domain/testing/arbitraries.js';
import { fraction } from '../../src/domain/testing/fraction.js';
import { formatDate, formatInstant, MS_PER_DAY, MS_PER_HOUR, yearOfDay } from '../../src/domain/time.js';
import { CALENDAR_STREAM_ID, calendarEventData } from '../../src/projections/calendarEvents.js';
import { DIRECTORY_STREAM_ID, directoryEventData } from '../../src/projections/directoryEvents.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import type { EventData } from '../../src/store/port.js';
import { knownBy, type Recorded, recordedCase, storeOf } from '../support/recordedHistory.js';
import { accepted, call, startTestServer, TOKENS, ZONE } from './harness.js';
import { type Body, iso, withAuditorReads, withoutKnownAt } from './auditorReads.js';

const NOW = Date.parse('2027-06-01T10:00:00+08:00');
const CENTER = 'c1';
const REGION = 'YB';
const base = createCalendarService(ZONE);
const shanghaiDay = (ms: number) => Math.floor((ms + 8 * MS_PER_HOUR) / MS_PER_DAY);

const STRICT = (() => {
  const parsed = parsePolicy({
    version: 'strict-1',
    respondWithinDays: { reminder: 1 },
    lateRecordHours: 6,
    complaintDecideDays: 1,
    complaintAnswerDays: 5,
  });
  if (isLeft(parsed)) throw new Error(JSON.stringify(parsed.left));
  return parsed.right;
})();

/** A weekday `offset` days after `at`'s date that no notice sets yet. */
function freeWeekday(at: number, offset: number): { year: number; date: string } | undefined {
  const day = shanghaiDay(at) + offset;
  const year = yearOfDay(day);
  const view = base.getYear(year);
  const date = formatDate(day);
  const weekday = new Date(day * MS_PER_DAY).getUTCDay();
  if (view === undefined || weekday === 0 || weekday === 6) return undefined;
  if (view.workdays.includes(date) || view.holidays.includes(date)) return undefined;
  return { year, date };
}

/** One more national holiday, or (with `region`) a regional notice of one. */
function calendarNotice(at: number, offset: number, publishedAt: number, region?: string): EventData | undefined {
  const free = freeWeekday(at, offset);
  if (free === undefined) return undefined;
  const view = base.getYear(free.year)!;
  return calendarEventData({
    year: free.year,
    ...(region === undefined
      ? { holidays: [...view.holidays, free.date].sort(), workdays: [...view.workdays] }
      : { holidays: [free.date], workdays: [], region, replaces: true }),
    publishedAt: formatInstant(publishedAt, ZONE),
  });
}

const directory = (n: number, inRegion: boolean, publishedAt: number): EventData =>
  directoryEventData(
    {
      centers: [
        { centerId: CENTER, name: `政务服务中心-${n}`, level: 'city', ...(inRegion ? { region: REGION } : {}) },
      ],
      departments: [{ departmentId: 'd1', name: `市场监管局-${n}`, centerId: CENTER }],
    },
    formatInstant(publishedAt, ZONE),
  );

const COMPLAINT_STEPS = [
  ['ComplaintAccepted', {}],
  ['ComplaintAssigned', { departmentId: 'd1' }],
  ['ComplaintAnswered', { finding: 'partly' }],
  ['ComplaintClosed', { satisfaction: 'basically' }],
] as const;

const delayArb = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 60, max: 12 * 24 * 60 }));
const afterArb = fc.integer({ min: -2 * 24, max: 25 * 24 });

const registerArb = fc
  .record({
    history: historyArb(),
    delays: fc.array(fc.array(delayArb, { minLength: 20, maxLength: 20 }), { minLength: 2, maxLength: 2 }),
    complaint: fc.record({
      receivedH: fc.integer({ min: 0, max: 5 * 24 }),
      length: fc.nat(4),
      gapsH: fc.array(fc.integer({ min: 1, max: 6 * 24 }), { minLength: 4, maxLength: 4 }),
      delays: fc.array(delayArb, { minLength: 5, maxLength: 5 }),
    }),
    corrections: fc.array(fc.record({ offset: fc.integer({ min: 1, max: 20 }), afterH: afterArb }), { maxLength: 2 }),
    regional: fc.option(fc.record({ offset: fc.integer({ min: 1, max: 15 }), afterH: afterArb })),
    directories: fc.array(fc.record({ inRegion: fc.boolean(), afterH: afterArb }), { maxLength: 2 }),
    policies: fc.array(
      fc.record({
        publishedH: fc.integer({ min: -5 * 24, max: 10 * 24 }),
        effectiveDay: fc.integer({ min: -3, max: 2 }),
      }),
      { maxLength: 2 },
    ),
    // A third case whose cards a back-dated 停止计时 withdraws, recorded `pauseRecordedH` after its acceptance.
    withdrawing: fc.record({
      promisedDays: fc.integer({ min: 1, max: 3 }),
      pauseRecordedH: fc.integer({ min: 1, max: 20 * 24 }),
      // A second complaint, accepted an hour after its receipt, that acceptance recorded this late.
      acceptRecordedH: fc.integer({ min: 1, max: 20 * 24 }),
    }),
    knownAtFraction: fraction({ min: -0.1, max: 1.1 }),
    period: fc.oneof(
      fc.record({ fromDay: fc.integer({ min: -2, max: 0 }), days: fc.integer({ min: 30, max: 90 }) }),
      fc.record({ fromDay: fc.integer({ min: -2, max: 15 }), days: fc.integer({ min: 1, max: 60 }) }),
    ),
    limit: fc.constantFrom(2, 500),
    scoped: fc.boolean(),
    filter: fc.constantFrom(
      '',
      '',
      '&subject=case',
      '&subject=complaint',
      '&rule=overdue',
      '&rule=complaint-undecided',
      '&color=red',
    ),
  })
  .map((g) => {
    const recorded: Recorded[] = [
      ...recordedCase('P-1', g.history, g.delays[0]!),
      // The same case under another id, recorded on its own delays: one may be known at K, the other not.
      ...recordedCase('P-2', g.history, g.delays[1]!).map((r) => ({
        ...r,
        streamId: r.streamId.replace('P-1', 'P-2'),
        data: { ...r.data, data: { ...r.data.data, caseId: 'P-2' } },
      })),
    ];
    const acceptedAt = g.history.at[0]!;
    const w = g.withdrawing;
    const p3 = (type: string, body: Record<string, unknown>, recordedAt: number): Recorded => ({
      streamId: caseStreamId('P-3'),
      data: { eventId: randomUUID(), type, data: { type, caseId: 'P-3', ...body } },
      recordedAt,
    });
    recorded.push(
      p3(
        'CaseAccepted',
        { ...accepted('P-3', formatInstant(acceptedAt, ZONE), { promisedDays: w.promisedDays }), centerId: CENTER },
        acceptedAt,
      ),
      p3(
        'CasePaused',
        { occurredAt: formatInstant(acceptedAt + MS_PER_HOUR, ZONE), pauseId: 'w1', reason: 'supplement' },
        acceptedAt + w.pauseRecordedH * MS_PER_HOUR,
      ),
    );
    const q2 = (type: string, body: Record<string, unknown>, recordedAt: number): Recorded => ({
      streamId: complaintStreamId('Q-2'),
      data: { eventId: randomUUID(), type, data: { type, complaintId: 'Q-2', ...body } },
      recordedAt,
    });
    recorded.push(
      q2(
        'ComplaintReceived',
        { occurredAt: formatInstant(acceptedAt, ZONE), channel: 'hotline', centerId: CENTER, subject: '推诿' },
        acceptedAt,
      ),
      q2(
        'ComplaintAccepted',
        { occurredAt: formatInstant(acceptedAt + MS_PER_HOUR, ZONE) },
        acceptedAt + w.acceptRecordedH * MS_PER_HOUR,
      ),
    );
    const c = g.complaint;
    let at = acceptedAt + c.receivedH * MS_PER_HOUR;
    let lastRecorded = 0;
    const steps = [['ComplaintReceived', { channel: 'hotline', centerId: CENTER, subject: '窗口推诿' }] as const];
    [...steps, ...COMPLAINT_STEPS.slice(0, c.length)].forEach(([type, extra], i) => {
      if (i > 0) at += c.gapsH[i - 1]! * MS_PER_HOUR;
      lastRecorded = Math.max(lastRecorded, at + c.delays[i]! * 60_000);
      const data = { type, complaintId: 'Q-1', occurredAt: formatInstant(at, ZONE), ...extra };
      recorded.push({
        streamId: complaintStreamId('Q-1'),
        data: { eventId: randomUUID(), type, data },
        recordedAt: lastRecorded,
      });
    });
    const after = (h: number) => acceptedAt + h * MS_PER_HOUR;
    for (const k of g.corrections) {
      const data = calendarNotice(acceptedAt, k.offset, after(k.afterH));
      if (data !== undefined) recorded.push({ streamId: CALENDAR_STREAM_ID, data, recordedAt: after(k.afterH) });
    }
    if (g.regional !== null) {
      const data = calendarNotice(acceptedAt, g.regional.offset, after(g.regional.afterH), REGION);
      if (data !== undefined)
        recorded.push({ streamId: CALENDAR_STREAM_ID, data, recordedAt: after(g.regional.afterH) });
    }
    g.directories.forEach((d, i) => {
      recorded.push({
        streamId: DIRECTORY_STREAM_ID,
        data: directory(i, d.inRegion, after(d.afterH)),
        recordedAt: after(d.afterH),
      });
    });
    g.policies.forEach((pol, i) => {
      const publishedAt = after(pol.publishedH);
      const data = policyEventData(
        {
          policy: i === 0 ? STRICT : DEFAULT_POLICY,
          effectiveFrom: shanghaiDay(acceptedAt) + pol.effectiveDay,
          publishedAt,
        },
        ZONE,
      );
      recorded.push({ streamId: POLICY_STREAM_ID, data, recordedAt: publishedAt });
    });
    // Stable: each stream's events stay in their order.
    recorded.sort((a, b) => a.recordedAt - b.recordedAt);
    const first = recorded[0]!.recordedAt;
    const span = recorded.at(-1)!.recordedAt - first;
    const knownAt = Math.min(NOW, Math.round(first + g.knownAtFraction * span));
    const fromDay = shanghaiDay(acceptedAt) + g.period.fromDay;
    const query =
      `from=${formatDate(fromDay)}&to=${formatDate(fromDay + g.period.days)}&limit=${g.limit}` +
      (g.scoped ? `&centerId=${CENTER}&scope=subtree` : '') +
      g.filter;
    return { recorded, knownAt, query };
  });

describe('GET /cards?asKnownAt=K: the register a fresh engine over what was recorded by K answers at K', () => {
  it(
    'equals it, for random recorded histories, corrections, directories and policy versions',
    async () => {
      const runs = Number(process.env.RUNS ?? 30);
      await fc.assert(
        fc.asyncProperty(registerArb, async ({ recorded, knownAt, query }) => {
          // The first page and, when there is one, the next (its cursor read from the first).
          const pages = async (get: (path: string) => Promise<Body | number>, path: string) => {
            const first = await get(path);
            const cursor = typeof first === 'object' ? first['nextCursor'] : undefined;
            const next =
              typeof cursor === 'string' ? await get(`${path}&cursor=${encodeURIComponent(cursor)}`) : undefined;
            return [first, next];
          };
          const atK = await withAuditorReads(await storeOf(recorded), NOW, (get) =>
            pages(get, `/cards?${query}&asKnownAt=${iso(knownAt)}`),
          );
          const fresh = await withAuditorReads(await storeOf(knownBy(recorded, knownAt)), knownAt, (get) =>
            pages(get, `/cards?${query}`),
          );
          const first = atK[0]!;
          expect(typeof first === 'object' ? first['asKnownAt'] : first).toBe(formatInstant(knownAt, ZONE));
          expect(atK.map((p) => (p === undefined ? p : withoutKnownAt(p)))).toEqual(fresh);
        }),
        { numRuns: runs },
      );
    },
    Math.max(240_000, Number(process.env.RUNS ?? 30) * 6_000),
  );
});

describe('GET /cards?asKnownAt=K: examples', () => {
  it('holds a red card a back-dated 停止计时 recorded after K withdrew, and not a card a record after K caused', async () => {
    const srv = await startTestServer({ now: '2025-09-22T10:00:00+08:00' });
    try {
      const get = (path: string) => call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor });
      const post = async (caseId: string, body: Record<string, unknown>) =>
        expect(
          (await call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body })).status,
        ).toBe(201);
      const { caseId: _k1, ...k1 } = accepted('K-1', '2025-09-22T10:00:00+08:00', { promisedDays: 3 });
      await post('K-1', k1);
      // K: 09-26 11:00, K-1 has shown its warning and its red card; K-2 is not accepted yet.
      srv.clock.set('2025-09-26T11:00:00+08:00');
      const k = iso(Date.parse('2025-09-26T11:00:00+08:00'));
      // 09-26 12:00: a 停止计时 of 09-23 is recorded (withdrawing K-1's cards); K-2 is accepted back-dated to 09-20,
      // its cards started before K but caused by a record after K.
      srv.clock.set('2025-09-26T12:00:00+08:00');
      await post('K-1', {
        type: 'CasePaused',
        occurredAt: '2025-09-23T09:00:00+08:00',
        pauseId: 'p1',
        reason: 'supplement',
      });
      const { caseId: _k2, ...k2 } = accepted('K-2', '2025-09-26T11:59:00+08:00', { promisedDays: 0 });
      await post('K-2', k2);
      srv.clock.set('2025-10-20T10:00:00+08:00');
      const cards = (body: { items: { caseId?: string; rule: string }[] }) =>
        body.items.map((c) => `${c.caseId} ${c.rule}`);
      const period = 'from=2025-09-01&to=2025-11-01';
      const now = await get(`/cards?${period}`);
      const then = await get(`/cards?${period}&asKnownAt=${k}`);
      expect(then.status).toBe(200);
      expect(cards(then.body)).toEqual(['K-1 deadline-warning', 'K-1 overdue']);
      expect(then.body.asOf).toBe('2025-09-26T11:00:00.000+08:00');
      expect(then.body.asKnownAt).toBe('2025-09-26T11:00:00.000+08:00');
      expect(cards(now.body)).not.toContain('K-1 overdue');
      expect(cards(now.body).some((c) => c.startsWith('K-2 '))).toBe(true);
      // The same answer however late it is asked, and in CSV.
      srv.clock.set('2025-12-01T10:00:00+08:00');
      expect((await get(`/cards?${period}&asKnownAt=${k}`)).body).toEqual(then.body);
      const csv = await call(srv.baseUrl, 'GET', `/cards?${period}&asKnownAt=${k}`, {
        token: TOKENS.auditor,
        headers: { accept: 'text/csv' },
      });
      expect(csv.status).toBe(200);
      expect(csv.text.trim().split('\n')).toHaveLength(3);
      // The access trail records the read with its query, as /cards reads are.
      const line = srv.accessTrail.entries.at(-1);
      expect(line).toMatchObject({ what: 'card-register', caseIds: ['K-1'] });
      expect(String(line?.query)).toContain('asKnownAt=');
      // After now: refused, naming the parameter.
      const later = await get(`/cards?${period}&asKnownAt=${iso(Date.parse('2025-12-01T10:00:00.001+08:00'))}`);
      expect([later.status, later.body.error.details[0].field]).toEqual([400, 'asKnownAt']);
    } finally {
      await srv.close();
    }
  });

  it('refuses, naming asKnownAt, a read that would fold more cases and complaints than the bound', async () => {
    const srv = await startTestServer({ now: '2025-09-22T10:00:00+08:00', options: { cardsKnownAtMaxCandidates: 2 } });
    try {
      for (const id of ['B-1', 'B-2', 'B-3']) {
        const { caseId: _id, ...body } = accepted(id, '2025-09-22T10:00:00+08:00', { promisedDays: 1 });
        expect((await call(srv.baseUrl, 'POST', `/cases/${id}/events`, { token: TOKENS.recorder, body })).status).toBe(
          201,
        );
      }
      srv.clock.set('2025-10-20T10:00:00+08:00');
      const k = iso(Date.parse('2025-10-10T10:00:00+08:00'));
      const get = (q: string) => call(srv.baseUrl, 'GET', `/cards?${q}&asKnownAt=${k}`, { token: TOKENS.auditor });
      const refused = await get('from=2025-09-01&to=2025-11-01');
      expect([refused.status, refused.body.error.details[0].field]).toEqual([400, 'asKnownAt']);
      expect(refused.body.error.message).toContain('narrow the period or centerId');
      // A period holding fewer is answered.
      const narrow = await get('from=2025-09-01&to=2025-09-02');
      expect(narrow.status).toBe(200);
    } finally {
      await srv.close();
    }
  });
});
