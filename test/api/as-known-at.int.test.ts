import { isLeft } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { fraction } from '../../src/domain/testing/fraction.js';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../../src/domain/calendar/index.js';
import { historyArb } from '../../src/domain/testing/arbitraries.js';
import { formatDate, formatInstant, MS_PER_DAY, MS_PER_HOUR, yearOfDay } from '../../src/domain/time.js';
import { DEFAULT_POLICY, parsePolicy } from '../../src/domain/policy.js';
import { CALENDAR_STREAM_ID, calendarEventData } from '../../src/projections/calendarEvents.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import type { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import type { EventData } from '../../src/store/port.js';
import { knownBy, type Recorded, recordedCase, storeOf } from '../support/recordedHistory.js';
import { accepted, call, startTestServer, TOKENS, ZONE } from './harness.js';

const NOW = Date.parse('2027-06-01T10:00:00+08:00');
const CASE = 'P-1';

const base = createCalendarService(ZONE);

/** A stricter policy than the default: reminders answered within 1 day, late records after 6 h. */
const STRICT = (() => {
  const parsed = parsePolicy({ version: 'strict-1', respondWithinDays: { reminder: 1 }, lateRecordHours: 6 });
  if (isLeft(parsed)) throw new Error(JSON.stringify(parsed.left));
  return parsed.right;
})();

/** Days since the epoch of an instant's local date in Asia/Shanghai. */
const shanghaiDay = (ms: number) => Math.floor((ms + 8 * MS_PER_HOUR) / MS_PER_DAY);

/** A correction of the acceptance year: one more holiday, `offset` days after the acceptance date. */
function calendarCorrection(acceptedAt: number, offset: number): EventData | undefined {
  const day = shanghaiDay(acceptedAt) + offset;
  const year = yearOfDay(day);
  const view = base.getYear(year);
  const date = formatDate(day);
  if (view === undefined || view.workdays.includes(date) || view.holidays.includes(date)) return undefined;
  return calendarEventData({
    year,
    holidays: [...view.holidays, date].sort(),
    workdays: [...view.workdays],
    publishedAt: formatInstant(acceptedAt, ZONE),
  });
}

const recordedHistoryArb = fc
  .record({
    history: historyArb(),
    // Most events recorded within the hour, some days late (a back-dated 停止计时 among them).
    delays: fc.array(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 60, max: 20 * 24 * 60 })), {
      minLength: 20,
      maxLength: 20,
    }),
    corrections: fc.array(fc.record({ offset: fc.integer({ min: 1, max: 20 }), afterH: fc.nat(40 * 24) }), {
      maxLength: 2,
    }),
    // Recorded from 5 days before the acceptance to 10 days after; effective from 3 days before it to 2 after.
    policies: fc.array(
      fc.record({
        publishedH: fc.integer({ min: -5 * 24, max: 10 * 24 }),
        effectiveDay: fc.integer({ min: -3, max: 2 }),
      }),
      { maxLength: 2 },
    ),
    knownAtFraction: fraction({ min: -0.1, max: 1.1 }),
    asOfFraction: fc.option(fraction({ max: 1.2 })),
  })
  .map((g) => {
    const recorded: Recorded[] = recordedCase(CASE, g.history, g.delays);
    const acceptedAt = g.history.at[0]!;
    for (const c of g.corrections) {
      const data = calendarCorrection(acceptedAt, c.offset);
      if (data !== undefined)
        recorded.push({ streamId: CALENDAR_STREAM_ID, data, recordedAt: acceptedAt + c.afterH * MS_PER_HOUR });
    }
    g.policies.forEach((pol, i) => {
      const publishedAt = acceptedAt + pol.publishedH * MS_PER_HOUR;
      const policy = i === 0 ? STRICT : DEFAULT_POLICY;
      const effectiveFrom = shanghaiDay(acceptedAt) + pol.effectiveDay;
      const data = policyEventData({ policy, effectiveFrom, publishedAt }, ZONE);
      recorded.push({ streamId: POLICY_STREAM_ID, data, recordedAt: publishedAt });
    });
    recorded.sort((a, b) => a.recordedAt - b.recordedAt);
    const first = recorded[0]!.recordedAt;
    const span = recorded.at(-1)!.recordedAt - first;
    const knownAt = Math.round(first + g.knownAtFraction * span);
    const asOf =
      g.asOfFraction === null ? undefined : Math.round(acceptedAt + g.asOfFraction * (g.history.last - acceptedAt));
    return { recorded, knownAt, asOf };
  });

/** A case read with the withdrawn cards of another (the same store read at K), or as it is when either has none. */
function withWithdrawnOf(read: unknown, atK: unknown): unknown {
  if (typeof read !== 'object' || read === null || typeof atK !== 'object' || atK === null) return read;
  const { withdrawnCards: _now, ...rest } = read as Record<string, unknown>;
  const { withdrawnCards } = atK as Record<string, unknown>;
  return withdrawnCards === undefined ? rest : { ...rest, withdrawnCards };
}

/** A history page with the withdrawn cards of another (the same store's history read at K): in `current` and in its card-withdrawn rows. */
function historyWithWithdrawnOf(history: unknown, atK: unknown): unknown {
  if (typeof history !== 'object' || history === null || typeof atK !== 'object' || atK === null) return history;
  const page = history as { current?: unknown; entries: { kind: string; card?: unknown }[] };
  const pageAtK = atK as { current?: unknown; entries: { kind: string; card?: unknown }[] };
  const withdrawnAtK = pageAtK.entries.filter((e) => e.kind === 'card-withdrawn');
  let i = 0;
  return {
    ...page,
    ...(page.current === undefined ? {} : { current: withWithdrawnOf(page.current, pageAtK.current) }),
    entries: page.entries.map((e) => (e.kind === 'card-withdrawn' ? { ...e, card: withdrawnAtK[i++]?.card } : e)),
  };
}

async function withServer<T>(
  store: MemoryEventStore,
  f: (get: (path: string) => Promise<unknown>) => Promise<T>,
  now: number = NOW,
) {
  const srv = await startTestServer({ now: new Date(now).toISOString(), store });
  try {
    return await f(async (path) => {
      const res = await call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor });
      if (res.status !== 200) return res.status;
      const { asKnownAt: _known, ...body } = res.body as Record<string, unknown>;
      return body;
    });
  } finally {
    await srv.close();
  }
}

const iso = (ms: number) => encodeURIComponent(formatInstant(ms, 'UTC'));
const asOfQuery = (asOf: number | undefined) => (asOf === undefined ? '' : `&asOf=${iso(asOf)}`);

describe('asKnownAt', () => {
  it('is refused after now, naming it: what will be known then is not known yet, and the answer would change', async () => {
    const later = iso(NOW + 60_000);
    const statuses = await withServer(await storeOf([]), (get) =>
      Promise.all(
        [`/cases/${CASE}`, `/cases/${CASE}/history`, '/complaints/Q-1'].map((p) => get(`${p}?asKnownAt=${later}`)),
      ),
    );
    expect(statuses).toEqual([400, 400, 400]);
    // At now itself it is taken (here: no such case yet).
    expect(await withServer(await storeOf([]), (get) => get(`/cases/${CASE}?asKnownAt=${iso(NOW)}`))).toBe(404);
  });
});

describe('asKnownAt: withdrawn cards (SPEC §3 "What was known")', () => {
  it("a case's: where they started as known at K, read at K, the same answer however late it is asked", async () => {
    const srv = await startTestServer({ now: '2025-09-22T10:00:00+08:00' });
    try {
      const get = async (path: string) => (await call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor })).body;
      const post = async (body: Record<string, unknown>) =>
        expect((await call(srv.baseUrl, 'POST', '/cases/K-1/events', { token: TOKENS.recorder, body })).status).toBe(
          201,
        );
      const { caseId: _id, ...acceptance } = accepted('K-1', '2025-09-22T10:00:00+08:00', { promisedDays: 3 });
      await post(acceptance);
      // On 09-26 a 停止计时 of 09-23 is recorded: it withdraws the warning and the red card the board showed.
      srv.clock.set('2025-09-26T11:00:00+08:00');
      await post({ type: 'CasePaused', occurredAt: '2025-09-23T09:00:00+08:00', pauseId: 'p1', reason: 'supplement' });
      const k = iso(Date.parse('2025-09-26T11:00:00+08:00'));
      const read = `/cases/K-1?asKnownAt=${k}&asOf=${k}`;
      const then = await get(read);
      expect(then.withdrawnCards.map((c: { rule: string }) => c.rule)).toEqual(['deadline-warning', 'overdue']);
      // As known then the case was paused: neither card started again. The resumption recorded
      // later starts them again from 10-10; that is not what was known at K.
      srv.clock.set('2025-09-30T10:00:00+08:00');
      await post({ type: 'CaseResumed', occurredAt: '2025-09-30T10:00:00+08:00', pauseId: 'p1' });
      srv.clock.set('2025-10-13T10:00:00+08:00');
      const now = await get('/cases/K-1');
      expect(now.withdrawnCards.map((c: { nowStartedAt?: string }) => c.nowStartedAt)).toEqual([
        '2025-10-10T00:00:00.000+08:00',
        '2025-10-11T00:00:00.000+08:00',
      ]);
      expect(await get(read)).toEqual(then);
      expect(then.withdrawnCards.map((c: { nowStartedAt?: string }) => c.nowStartedAt)).toEqual([undefined, undefined]);
    } finally {
      await srv.close();
    }
  });

  it("a complaint's: where they started as known at K, read at K, the same answer however late it is asked", async () => {
    const srv = await startTestServer({ now: '2026-11-16T10:00:00+08:00' });
    try {
      const get = async (path: string) => (await call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor })).body;
      const received = await call(srv.baseUrl, 'POST', '/complaints/Q-1/events', {
        token: TOKENS.recorder,
        body: {
          type: 'ComplaintReceived',
          occurredAt: '2026-11-16T10:00:00+08:00',
          channel: 'hotline',
          centerId: 'c1',
          subject: '窗口推诿',
        },
      });
      expect(received.status).toBe(201);
      // Undecided, its red card from 11-20. A correction of 11-20 10:00 makes 11-18 a holiday: the
      // card is withdrawn and starts a day on, after K, so as known at K it had not started again.
      srv.clock.set('2026-11-20T10:00:00+08:00');
      const year = base.getYear(2026)!;
      const corrected = await call(srv.baseUrl, 'PUT', '/calendar/2026', {
        token: TOKENS.admin,
        body: { holidays: [...year.holidays, '2026-11-18'].sort(), workdays: [...year.workdays] },
      });
      expect(corrected.status, corrected.text).toBe(200);
      const k = iso(Date.parse('2026-11-20T10:00:00+08:00'));
      const read = `/complaints/Q-1?asKnownAt=${k}&asOf=${k}`;
      const then = await get(read);
      expect(then.withdrawnCards.map((c: { rule: string }) => c.rule)).toEqual(['complaint-undecided']);
      srv.clock.set('2026-11-24T10:00:00+08:00');
      expect((await get('/complaints/Q-1')).withdrawnCards[0].nowStartedAt).toBe('2026-11-21T00:00:00.000+08:00');
      expect(await get(read)).toEqual(then);
      expect(then.withdrawnCards[0].nowStartedAt).toBeUndefined();
    } finally {
      await srv.close();
    }
  });
});

describe('asKnownAt laws', () => {
  it(
    'asKnownAt = now equals the plain read; asKnownAt = K equals the plain read of a store holding what was recorded by K',
    async () => {
      await fc.assert(
        fc.asyncProperty(recordedHistoryArb, async ({ recorded, knownAt, asOf }) => {
          const reads = (known: string) => [
            `/cases/${CASE}?${known}${asOfQuery(asOf)}`,
            `/cases/${CASE}/history?limit=1000&${known}${asOfQuery(asOf)}`,
          ];
          const full = await storeOf(recorded);
          const [atNow, plain, atK] = await withServer(full, async (get) => [
            await Promise.all(reads(`asKnownAt=${iso(NOW)}`).map(get)),
            await Promise.all(reads('').map(get)),
            await Promise.all(reads(`asKnownAt=${iso(knownAt)}`).map(get)),
          ]);
          expect(atNow).toEqual(plain);
          const known = knownBy(recorded, knownAt);
          const plainOfKnown = await withServer(await storeOf(known), (get) => Promise.all(reads('').map(get)));
          // Withdrawn cards start again where the record known at K, evaluated at K, has them (docs/api.md).
          const [caseAtK, historyAtK] = await withServer(
            await storeOf(known),
            (get) => Promise.all(reads('').map(get)),
            knownAt,
          );
          expect(atK).toEqual([
            withWithdrawnOf(plainOfKnown[0], caseAtK),
            historyWithWithdrawnOf(plainOfKnown[1], historyAtK),
          ]);
        }),
        { numRuns: Number(process.env.RUNS ?? 40) },
      );
    },
    Number(process.env.RUNS ?? 40) * 3_000,
  );
});
