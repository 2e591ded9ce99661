/**
 * "As known at K" as an auditor uses it in a 效能问责 matter (SPEC §3 "What was known", docs/api.md
 * "Versions cited as evidence"): for random histories of a case and a complaint of one center,
 * recorded over time (some events days late), with national calendar corrections, a regional notice,
 * directory publications that move the center into or out of that region and rename it, and policy
 * versions recorded in between, the engine's answer as known at K and as of T is what a fresh engine
 * answers whose store holds only the events recorded by K (its clock at K), asked as of T:
 *   - `GET /cases/{id}`, `GET /cases/{id}/history` and `GET /complaints/{id}`;
 *   - the versions each names can be read back: `GET /calendar/{year}?asKnownAt=K` names the same
 *     calendar version, and the policy version resolves with `GET /policies/{version}` to a
 *     publication recorded by K (or the founding one, which applies before any).
 * test/api/as-known-at.int.test.ts checks the case reads against the plain read at now; this file adds
 * complaints, regions and the directory, and the read-back of the versions.
 */
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../../src/domain/calendar/index.js';
import { historyArb } from '../../src/domain/testing/arbitraries.js';
import { fraction } from '../../src/domain/testing/fraction.js';
import { formatDate, formatInstant, MS_PER_DAY, MS_PER_HOUR, yearOfDay } from '../../src/domain/time.js';
import { DEFAULT_POLICY, parsePolicy } from '../../src/domain/policy.js';
import { complaintStreamId } from '../../src/domain/complaints/streams.js';
import { CALENDAR_STREAM_ID, calendarEventData } from '../../src/projections/calendarEvents.js';
import { DIRECTORY_STREAM_ID, directoryEventData } from '../../src/projections/directoryEvents.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import type { EventData } from '../../src/store/port.js';
import { knownBy, type Recorded, recordedCase, storeOf } from '../support/recordedHistory.js';
import { call, startTestServer, TOKENS, ZONE } from './harness.js';
import { type Body, iso, withAuditorReads, withoutKnownAt } from './auditorReads.js';

const NOW = Date.parse('2027-06-01T10:00:00+08:00');
const CASE = 'P-1';
const COMPLAINT = 'Q-1';
/** historyArb's center and department. */
const CENTER = 'c1';
const DEPARTMENT = 'd1';
const REGION = 'YB';

const base = createCalendarService(ZONE);

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

const shanghaiDay = (ms: number) => Math.floor((ms + 8 * MS_PER_HOUR) / MS_PER_DAY);

/** A weekday `offset` days after `at`'s date that no notice sets yet, as a date; undefined otherwise. */
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

/** A national correction: one more holiday. */
function correction(at: number, offset: number, publishedAt: number): EventData | undefined {
  const free = freeWeekday(at, offset);
  if (free === undefined) return undefined;
  const view = base.getYear(free.year)!;
  return calendarEventData({
    year: free.year,
    holidays: [...view.holidays, free.date].sort(),
    workdays: [...view.workdays],
    publishedAt: formatInstant(publishedAt, ZONE),
  });
}

/** A regional notice: one regional holiday of REGION (a 民族节日). */
function regionalNotice(at: number, offset: number, publishedAt: number): EventData | undefined {
  const free = freeWeekday(at, offset);
  if (free === undefined) return undefined;
  return calendarEventData({
    year: free.year,
    holidays: [free.date],
    workdays: [],
    region: REGION,
    replaces: true,
    publishedAt: formatInstant(publishedAt, ZONE),
  });
}

/** A directory naming the center (in REGION or not) and its department, names numbered `n`. */
const directory = (n: number, inRegion: boolean, publishedAt: number): EventData =>
  directoryEventData(
    {
      centers: [
        { centerId: CENTER, name: `政务服务中心-${n}`, level: 'city', ...(inRegion ? { region: REGION } : {}) },
      ],
      departments: [{ departmentId: DEPARTMENT, name: `市场监管局-${n}`, centerId: CENTER }],
    },
    formatInstant(publishedAt, ZONE),
  );

type ComplaintStep = 'accept' | 'reject' | 'assign' | 'answer' | 'close';

/** A valid complaint history's events after its receipt (the order SPEC §8 allows), cut at `length`. */
function complaintSteps(rejected: boolean, length: number): ComplaintStep[] {
  const all: ComplaintStep[] = rejected ? ['reject', 'close'] : ['accept', 'assign', 'answer', 'close'];
  return all.slice(0, length);
}

function complaintEvent(step: ComplaintStep | 'receive', occurredAt: string): Record<string, unknown> {
  const common = { complaintId: COMPLAINT, occurredAt };
  switch (step) {
    case 'receive':
      return { type: 'ComplaintReceived', ...common, channel: 'hotline', centerId: CENTER, subject: '窗口推诿' };
    case 'accept':
      return { type: 'ComplaintAccepted', ...common };
    case 'reject':
      return { type: 'ComplaintRejected', ...common, reason: '不属于受理范围' };
    case 'assign':
      return { type: 'ComplaintAssigned', ...common, departmentId: DEPARTMENT };
    case 'answer':
      return { type: 'ComplaintAnswered', ...common, finding: 'partly' };
    case 'close':
      return { type: 'ComplaintClosed', ...common, satisfaction: 'basically' };
  }
}

const delayArb = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 60, max: 12 * 24 * 60 }));
/** Hours after the acceptance something is recorded at. */
const afterArb = fc.integer({ min: -2 * 24, max: 25 * 24 });

const evidenceArb = fc
  .record({
    history: historyArb(),
    delays: fc.array(delayArb, { minLength: 20, maxLength: 20 }),
    complaint: fc.record({
      receivedH: fc.integer({ min: 0, max: 5 * 24 }),
      rejected: fc.boolean(),
      length: fc.nat(4),
      gapsH: fc.array(fc.integer({ min: 1, max: 6 * 24 }), { minLength: 4, maxLength: 4 }),
      delays: fc.array(delayArb, { minLength: 5, maxLength: 5 }),
    }),
    corrections: fc.array(fc.record({ offset: fc.integer({ min: 1, max: 20 }), afterH: afterArb }), { maxLength: 2 }),
    regional: fc.option(fc.record({ offset: fc.integer({ min: 1, max: 15 }), afterH: afterArb })),
    directories: fc.array(fc.record({ inRegion: fc.boolean(), afterH: afterArb }), { maxLength: 3 }),
    policies: fc.array(
      fc.record({
        publishedH: fc.integer({ min: -5 * 24, max: 10 * 24 }),
        effectiveDay: fc.integer({ min: -3, max: 2 }),
      }),
      { maxLength: 2 },
    ),
    // Per mille (fc.double leans to its bounds: most runs read before the complaint's receipt).
    knownAtFraction: fraction({ min: -0.1, max: 1.1 }),
    asOfFraction: fraction({ max: 1.3 }),
  })
  .map((g) => {
    const recorded: Recorded[] = recordedCase(CASE, g.history, g.delays);
    const acceptedAt = g.history.at[0]!;
    const c = g.complaint;
    let at = acceptedAt + c.receivedH * MS_PER_HOUR;
    let lastComplaint = 0;
    const steps: (ComplaintStep | 'receive')[] = ['receive', ...complaintSteps(c.rejected, c.length)];
    steps.forEach((step, i) => {
      if (i > 0) at += c.gapsH[i - 1]! * MS_PER_HOUR;
      lastComplaint = Math.max(lastComplaint, at + c.delays[i]! * 60_000);
      const data = complaintEvent(step, formatInstant(at, ZONE));
      recorded.push({
        streamId: complaintStreamId(COMPLAINT),
        data: { eventId: randomUUID(), type: data['type'] as string, data },
        recordedAt: lastComplaint,
      });
    });
    const lastOccurred = Math.max(g.history.last, at);
    const calendarAt = (afterH: number) => acceptedAt + afterH * MS_PER_HOUR;
    for (const k of g.corrections) {
      const data = correction(acceptedAt, k.offset, calendarAt(k.afterH));
      if (data !== undefined) recorded.push({ streamId: CALENDAR_STREAM_ID, data, recordedAt: calendarAt(k.afterH) });
    }
    if (g.regional !== null) {
      const data = regionalNotice(acceptedAt, g.regional.offset, calendarAt(g.regional.afterH));
      if (data !== undefined)
        recorded.push({ streamId: CALENDAR_STREAM_ID, data, recordedAt: calendarAt(g.regional.afterH) });
    }
    g.directories.forEach((d, i) => {
      const publishedAt = calendarAt(d.afterH);
      recorded.push({
        streamId: DIRECTORY_STREAM_ID,
        data: directory(i, d.inRegion, publishedAt),
        recordedAt: publishedAt,
      });
    });
    g.policies.forEach((pol, i) => {
      const publishedAt = acceptedAt + pol.publishedH * MS_PER_HOUR;
      const policy = i === 0 ? STRICT : DEFAULT_POLICY;
      const data = policyEventData(
        { policy, effectiveFrom: shanghaiDay(acceptedAt) + pol.effectiveDay, publishedAt },
        ZONE,
      );
      recorded.push({ streamId: POLICY_STREAM_ID, data, recordedAt: publishedAt });
    });
    // Stable: each stream's events stay in their order (their recordedAt never goes backwards).
    recorded.sort((a, b) => a.recordedAt - b.recordedAt);
    const first = recorded[0]!.recordedAt;
    const span = recorded.at(-1)!.recordedAt - first;
    const knownAt = Math.min(NOW, Math.round(first + g.knownAtFraction * span));
    const asOf = Math.round(acceptedAt + g.asOfFraction * (lastOccurred - acceptedAt));
    return { recorded, knownAt, asOf, year: yearOfDay(shanghaiDay(acceptedAt)) };
  });

const reads = (asOf: number) => [
  `/cases/${CASE}?asOf=${iso(asOf)}`,
  `/cases/${CASE}/history?limit=1000&asOf=${iso(asOf)}`,
  `/complaints/${COMPLAINT}?asOf=${iso(asOf)}`,
];

describe('asKnownAt as evidence: the answer of a fresh engine over what was recorded by K', () => {
  it(
    'case, history and complaint reads; their calendar and policy versions read back as known at K',
    async () => {
      await fc.assert(
        fc.asyncProperty(evidenceArb, async ({ recorded, knownAt, asOf, year }) => {
          const known = `&asKnownAt=${iso(knownAt)}`;
          const [atK, calendarAtK, policies, directoryAtK] = await withAuditorReads(
            await storeOf(recorded),
            NOW,
            async (get) => {
              const answers = await Promise.all(reads(asOf).map((p) => get(`${p}${known}`)));
              const calendar = await get(`/calendar/${year}?asKnownAt=${iso(knownAt)}`);
              const directory = await get(`/directory?asKnownAt=${iso(knownAt)}`);
              const versions = answers.flatMap((a) => (typeof a === 'number' ? [] : [String(a['policyVersion'])]));
              const policyReads = await Promise.all(versions.map((v) => get(`/policies/${encodeURIComponent(v)}`)));
              return [answers, calendar, policyReads, directory] as const;
            },
          );
          const fresh = await withAuditorReads(await storeOf(knownBy(recorded, knownAt)), knownAt, (get) =>
            Promise.all(reads(asOf).map(get)),
          );
          expect(atK.map(withoutKnownAt)).toEqual(fresh);
          // The versions named are those used, and read back as known at K.
          for (const answer of atK) {
            if (typeof answer === 'number') continue;
            expect(answer['calendarVersion']).toBe((calendarAtK as Body)['version']);
            expect(answer['directoryVersion']).toBe((directoryAtK as Body)['version']);
          }
          const knownPolicies = recorded.some((e) => e.streamId === POLICY_STREAM_ID);
          for (const policy of policies) {
            expect(typeof policy).toBe('object');
            const { recorded: onRecord, publications } = policy as {
              recorded: boolean;
              publications: { publishedAt: string; founding?: true }[];
            };
            expect(onRecord).toBe(knownPolicies);
            if (knownPolicies)
              expect(publications.some((p) => p.founding === true || Date.parse(p.publishedAt) <= knownAt)).toBe(true);
          }
        }),
        { numRuns: Number(process.env.RUNS ?? 40) },
      );
    },
    Math.max(240_000, Number(process.env.RUNS ?? 40) * 6_000),
  );
});

describe('asKnownAt as evidence: a complaint read says what applied as known at K', () => {
  const hotline = {
    type: 'ComplaintReceived',
    occurredAt: '2026-11-16T10:00:00+08:00',
    channel: 'hotline',
    centerId: 'yb-1',
    departmentId: 'dep-1',
    subject: '窗口推诿',
  };
  const directoryOf = (centerName: string, departmentName: string, region?: string) => ({
    centers: [{ centerId: 'yb-1', name: centerName, level: 'city', ...(region === undefined ? {} : { region }) }],
    departments: [{ departmentId: 'dep-1', name: departmentName, centerId: 'yb-1' }],
  });

  it('names the center and department as the directory recorded by K named them, not as renamed since', async () => {
    const srv = await startTestServer({ now: '2026-11-16T09:00:00+08:00' });
    try {
      const put = (body: unknown) => call(srv.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body });
      expect((await put(directoryOf('延边州政务服务中心', '州市场监管局'))).status).toBe(200);
      srv.clock.set('2026-11-16T10:00:00+08:00');
      const received = await call(srv.baseUrl, 'POST', '/complaints/Q-1/events', {
        token: TOKENS.recorder,
        body: hotline,
      });
      expect(received.status).toBe(201);
      // 11-20: the center and the department are renamed. Read as known at 11-18, the evidence names them as then.
      srv.clock.set('2026-11-20T10:00:00+08:00');
      expect((await put(directoryOf('延边州政务服务大厅', '州市场监督管理局'))).status).toBe(200);
      const read = async (query: string) =>
        (await call(srv.baseUrl, 'GET', `/complaints/Q-1${query}`, { token: TOKENS.auditor })).body;
      const then = await read(`?asKnownAt=${encodeURIComponent('2026-11-18T10:00:00+08:00')}`);
      expect([then.centerName, then.departmentName]).toEqual(['延边州政务服务中心', '州市场监管局']);
      const now = await read('');
      expect([now.centerName, now.departmentName]).toEqual(['延边州政务服务大厅', '州市场监督管理局']);
      // Each answer names the publication its names came from, as GET /directory numbers them.
      expect([then.directoryVersion, now.directoryVersion]).toEqual([1, 2]);
    } finally {
      await srv.close();
    }
  });

  it('names the region whose regional days timed it (calendarRegion), as the directory recorded by K placed its center', async () => {
    const srv = await startTestServer({ now: '2026-11-16T09:00:00+08:00' });
    try {
      const put = (body: unknown) => call(srv.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body });
      expect((await put(directoryOf('延边州政务服务中心', '州市场监管局'))).status).toBe(200);
      // A regional notice: 11-18 is a holiday in region YB only.
      const notice = await call(srv.baseUrl, 'PUT', '/calendar/2026', {
        token: TOKENS.admin,
        body: { holidays: ['2026-11-18'], workdays: [], region: 'YB' },
      });
      expect(notice.status, notice.text).toBe(200);
      srv.clock.set('2026-11-16T10:00:00+08:00');
      const received = await call(srv.baseUrl, 'POST', '/complaints/Q-1/events', {
        token: TOKENS.recorder,
        body: hotline,
      });
      expect(received.status).toBe(201);
      // 11-17: the directory puts the center in YB. The decision falls due a working day later there.
      srv.clock.set('2026-11-17T10:00:00+08:00');
      expect((await put(directoryOf('延边州政务服务中心', '州市场监管局', 'YB'))).status).toBe(200);
      const read = async (query: string) =>
        (await call(srv.baseUrl, 'GET', `/complaints/Q-1${query}`, { token: TOKENS.auditor })).body;
      const now = await read('');
      const before = await read(`?asKnownAt=${encodeURIComponent('2026-11-16T12:00:00+08:00')}`);
      // One calendar version, two deadlines: each answer says which region's days it applied.
      expect(now.calendarVersion).toBe(before.calendarVersion);
      expect([now.decide.byDate, now.calendarRegion]).toEqual(['2026-11-20', 'YB']);
      expect([before.decide.byDate, before.calendarRegion]).toEqual(['2026-11-19', undefined]);
    } finally {
      await srv.close();
    }
  });
});

describe('asKnownAt as evidence: bad instants are refused naming the parameter, on every read that takes it', () => {
  it('malformed, out of bounds, after now, finer than the millisecond, repeated; one instant in any offset answers alike', async () => {
    const srv = await startTestServer({ now: '2026-11-16T10:00:00+08:00' });
    try {
      const get = (path: string) => call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor });
      const received = await call(srv.baseUrl, 'POST', '/complaints/Q-1/events', {
        token: TOKENS.recorder,
        body: {
          type: 'ComplaintReceived',
          occurredAt: '2026-11-16T10:00:00+08:00',
          channel: 'hotline',
          centerId: 'c1',
          subject: '推诿',
        },
      });
      expect(received.status).toBe(201);
      const accepted = await call(srv.baseUrl, 'POST', '/cases/P-1/events', {
        token: TOKENS.recorder,
        body: {
          type: 'CaseAccepted',
          occurredAt: '2026-11-16T10:00:00+08:00',
          centerId: 'c1',
          departmentId: 'd1',
          matterCode: 'M1',
          kind: 'promised',
          promisedDays: 3,
          channel: 'window',
        },
      });
      expect(accepted.status).toBe(201);
      srv.clock.set('2026-11-20T10:00:00+08:00');
      const routes = ['/cases/P-1', '/cases/P-1/history', '/complaints/Q-1', '/calendar/2026', '/directory'];
      const bad = [
        ['2026-11-18', 'ISO-8601 instant with offset'],
        ['2026-11-18T10:00:00', 'ISO-8601 instant with offset'],
        ['2026-11-18T10:00:00[Asia/Shanghai]', 'ISO-8601 instant with offset'],
        ['1999-12-31T23:00:00Z', 'years 2000'],
        ['2026-11-18T10:00:00+15:00', '±14:00'],
        ['2026-11-18T10:00:00.0001Z', 'whole number of milliseconds'],
        ['2026-11-20T10:00:00.001+08:00', 'must not be after now'],
        ['2100-01-01T00:00:00Z', 'must not be after now'],
      ] as const;
      for (const route of routes) {
        for (const [instant, words] of bad) {
          const res = await get(`${route}?asKnownAt=${encodeURIComponent(instant)}`);
          expect([route, instant, res.status]).toEqual([route, instant, 400]);
          expect(res.body.error.details[0].field).toBe('asKnownAt');
          expect(res.body.error.message).toContain(words);
        }
        // Typed by hand: the offset's "+" arrives as a space, and the answer says how to send it.
        const plus = await get(`${route}?asKnownAt=2026-11-18T10:00:00+08:00`);
        expect([plus.status, plus.body.error.details[0].field]).toEqual([400, 'asKnownAt']);
        expect(plus.body.error.message).toContain('%2B');
        const twice = await get(
          `${route}?asKnownAt=${iso(Date.parse('2026-11-18T10:00:00Z'))}&asKnownAt=${iso(Date.parse('2026-11-18T10:00:00Z'))}`,
        );
        expect([twice.status, twice.body.error.details[0].field]).toEqual([400, 'asKnownAt']);
        // One instant, three offsets: one answer, its asKnownAt in the deployment zone's offset.
        const answers = await Promise.all(
          ['2026-11-18T02:00:00Z', '2026-11-18T10:00:00+08:00', '2026-11-17T21:00:00-05:00'].map((k) =>
            get(`${route}?asKnownAt=${encodeURIComponent(k)}`),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
        expect(answers[1]!.body).toEqual(answers[0]!.body);
        expect(answers[2]!.body).toEqual(answers[0]!.body);
        expect(answers[0]!.body.asKnownAt).toBe('2026-11-18T10:00:00.000+08:00');
      }
      // T far from K either way: before the receipt a 404 naming both instants; far ahead, a projection
      // through years the calendar only predicts, and says so.
      const k = encodeURIComponent('2026-11-18T10:00:00+08:00');
      for (const route of ['/cases/P-1', '/complaints/Q-1']) {
        const past = await get(`${route}?asOf=${encodeURIComponent('2000-01-01T00:00:00+08:00')}&asKnownAt=${k}`);
        expect(past.status).toBe(404);
        expect(past.body.error.message).toContain(
          'by 2000-01-01T00:00:00.000+08:00 as known at 2026-11-18T10:00:00.000+08:00',
        );
        // The text's year is 2100, the zone's date 2101-01-01: still read, as the zone's instant.
        const future = await get(`${route}?asOf=${encodeURIComponent('2100-12-31T23:00:00-10:00')}&asKnownAt=${k}`);
        expect([future.status, future.body.asOf, future.body.provisional]).toEqual([
          200,
          '2101-01-01T17:00:00.000+08:00',
          true,
        ]);
      }
      // Before anything of it was recorded: 404 naming the instant, not an empty answer.
      const early = await get(`/complaints/Q-1?asKnownAt=${encodeURIComponent('2026-11-16T09:59:59.999+08:00')}`);
      expect([early.status, early.body.error.code]).toEqual([404, 'complaint-not-found']);
      expect(early.body.error.message).toContain('as known at 2026-11-16T09:59:59.999+08:00');
    } finally {
      await srv.close();
    }
  });

  it('is refused by name on the reads that answer only now (withdrawn register, lists, board, figures, policy versions)', async () => {
    const srv = await startTestServer({ now: '2026-11-20T10:00:00+08:00' });
    try {
      const k = encodeURIComponent('2026-11-18T10:00:00+08:00');
      const paths = [
        '/cards/withdrawn?from=2026-11-01&to=2026-12-01',
        '/cases?',
        '/complaints?',
        '/alerts?',
        '/stats?from=2026-11-01&to=2026-12-01',
        '/reports/monthly?month=2026-11',
        '/policies?',
        `/policies/${encodeURIComponent(DEFAULT_POLICY.version)}?`,
      ];
      for (const path of paths) {
        const res = await call(srv.baseUrl, 'GET', `${path}${path.endsWith('?') ? '' : '&'}asKnownAt=${k}`, {
          token: TOKENS.admin,
        });
        expect([path, res.status, res.body.error?.details?.[0]?.field]).toEqual([path, 400, 'asKnownAt']);
      }
    } finally {
      await srv.close();
    }
  });
});
