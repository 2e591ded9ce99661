/**
 * Laws of `asKnownAt` (SPEC §3 "What was known", issue 12): for random case
 * histories recorded over time (some events recorded days late, calendar
 * corrections published in between),
 *   - asKnownAt = now answers what the plain read answers;
 *   - asKnownAt = K answers what the plain read answers on a store that holds
 *     only what was recorded by K (built from the filtered events).
 * Policy versions are recorded among them too (a stricter one, effective around
 * the acceptance date), so "the policy versions published by K" is checked as well.
 */
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../../src/domain/calendar/index.js';
import { historyArb } from '../../src/domain/testing/arbitraries.js';
import { formatDate, formatInstant, MS_PER_DAY, MS_PER_HOUR, yearOfDay } from '../../src/domain/time.js';
import { DEFAULT_POLICY, parsePolicy } from '../../src/domain/policy.js';
import { CALENDAR_STREAM_ID, calendarEventData } from '../../src/projections/calendarEvents.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { caseStreamId } from '../../src/domain/streams.js';
import type { EventData } from '../../src/store/port.js';
import { call, startTestServer, TOKENS, ZONE } from './harness.js';

const NOW = Date.parse('2027-06-01T10:00:00+08:00');
const CASE = 'P-1';

interface Recorded {
  readonly streamId: string;
  readonly data: EventData;
  readonly recordedAt: number;
}

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
    knownAtFraction: fc.double({ min: -0.1, max: 1.1, noNaN: true }),
    asOfFraction: fc.option(fc.double({ min: 0, max: 1.2, noNaN: true })),
  })
  .map((g) => {
    const recorded: Recorded[] = [];
    let last = 0;
    g.history.events.forEach((event, i) => {
      last = Math.max(last, g.history.at[i]! + g.delays[i % 20]! * 60_000);
      recorded.push({
        streamId: caseStreamId(CASE),
        data: { eventId: randomUUID(), type: event.type, data: { ...event } },
        recordedAt: last,
      });
    });
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

/** A memory store holding `events`, each committed at its recordedAt. */
async function storeOf(events: readonly Recorded[]): Promise<MemoryEventStore> {
  let clock = 0;
  const store = new MemoryEventStore({ clock: () => clock });
  for (const e of events) {
    clock = e.recordedAt;
    await store.append(e.streamId, [e.data]);
  }
  return store;
}

async function withServer<T>(store: MemoryEventStore, f: (get: (path: string) => Promise<unknown>) => Promise<T>) {
  const srv = await startTestServer({ now: new Date(NOW).toISOString(), store });
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

describe('asKnownAt laws', () => {
  it('asKnownAt = now equals the plain read; asKnownAt = K equals the plain read of a store holding what was recorded by K', async () => {
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
        const known = await storeOf(recorded.filter((e) => e.recordedAt <= knownAt));
        const plainOfKnown = await withServer(known, (get) => Promise.all(reads('').map(get)));
        expect(atK).toEqual(plainOfKnown);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
