import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { fraction } from '../domain/testing/fraction.js';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../domain/calendar/index.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { historyArb } from '../domain/testing/arbitraries.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { caseStreamId } from '../domain/streams.js';
import { timeSlice } from '../write/timeSlice.js';
import { buildHistoryPage, type HistoryEntry, type HistoryQuery } from './history.js';

const calendarService = createCalendarService('Asia/Shanghai');

async function storeWith(events: readonly { type: string }[], recordedAt: number): Promise<MemoryEventStore> {
  const store = new MemoryEventStore({ clock: () => recordedAt });
  await store.append(
    caseStreamId('P-1'),
    events.map((e) => ({ eventId: randomUUID(), type: e.type, data: { ...e } })),
  );
  return store;
}

describe('buildHistoryPage', () => {
  it('pages join to the whole story: each page at most `limit` events, the cursor in revision order, entries in instant order', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb(),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fraction({ max: 1.2 })),
        async (h, limit, asOfFraction) => {
          const store = await storeWith(h.events, h.last + 3_600_000);
          const deps = { store, calendarService, policy: DEFAULT_POLICY };
          const asOf = asOfFraction === null ? undefined : Math.round(h.at[0]! + asOfFraction * (h.last - h.at[0]!));
          const base: HistoryQuery = { asOf, knownAt: undefined, now: h.last, limit: 1000, after: undefined };
          const whole = await buildHistoryPage(deps, 'P-1', base);
          expect(whole).toBeDefined();
          expect(whole!.next).toBeNull();
          const joined: HistoryEntry[] = [];
          let after: number | undefined;
          let pages = 0;
          do {
            const page = await buildHistoryPage(deps, 'P-1', { ...base, limit, after });
            expect(page!.entries.filter((e) => e.kind === 'event').length).toBeLessThanOrEqual(limit);
            expect(page!.current === undefined).toBe(after !== undefined);
            expect(page!.asOf).toBe(whole!.asOf);
            joined.push(...page!.entries);
            after = page!.next ?? undefined;
            pages++;
          } while (after !== undefined);
          expect(joined).toEqual(whole!.entries);
          const events = joined.filter((e) => e.kind === 'event');
          expect(pages).toBe(Math.max(1, Math.ceil(events.length / limit)));
          expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
          const instants = joined.map((e) => Date.parse(e.at));
          expect(instants).toEqual([...instants].sort((a, b) => a - b));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('event rows give `at` in the deployment zone as card rows do; the event keeps occurredAt as sent (session 16)', async () => {
    const accepted = {
      type: 'CaseAccepted',
      caseId: 'P-1',
      occurredAt: '2026-11-03T20:00:00.5-05:00',
      centerId: 'c',
      departmentId: 'd',
      matterCode: 'm',
      kind: 'promised',
      promisedDays: 1,
      channel: 'window',
    };
    const escalated = {
      type: 'CaseEscalated',
      caseId: 'P-1',
      occurredAt: '2026-11-05T02:00:00Z',
      level: 'reminder',
      by: 'x',
    };
    const now = Date.parse('2026-11-20T00:00:00Z');
    const store = await storeWith([accepted, escalated], now);
    const page = await buildHistoryPage({ store, calendarService, policy: DEFAULT_POLICY }, 'P-1', {
      asOf: undefined,
      knownAt: undefined,
      now,
      limit: 200,
      after: undefined,
    });
    const events = page!.entries.filter((e) => e.kind === 'event');
    expect(events.map((e) => e.at)).toEqual(['2026-11-04T09:00:00.500+08:00', '2026-11-05T10:00:00.000+08:00']);
    expect(events.map((e) => e.event.occurredAt)).toEqual([accepted.occurredAt, escalated.occurredAt]);
    const cards = page!.entries.filter((e) => e.kind !== 'event');
    expect(cards.length).toBeGreaterThan(0);
    const zoned = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/;
    for (const e of page!.entries) expect(e.at).toMatch(zoned);
  });

  it('folds a long case in slices, with turns of the event loop between them, and answers the same page', async () => {
    const t0 = Date.parse('2025-09-01T09:00:00+08:00');
    const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
    const events: { type: string }[] = [
      {
        type: 'CaseAccepted',
        caseId: 'P-1',
        occurredAt: iso(t0),
        centerId: 'c',
        departmentId: 'd',
        matterCode: 'm',
        kind: 'promised',
        promisedDays: 5,
        channel: 'window',
      } as { type: string },
    ];
    for (let i = 1; i < 1000; i++) {
      events.push({
        type: 'CaseEscalated',
        caseId: 'P-1',
        occurredAt: iso(t0 + i * 1000),
        level: 'reminder',
        by: 'x',
      } as {
        type: string;
      });
    }
    const store = await storeWith(events, t0 + 3_600_000);
    const deps = { store, calendarService, policy: DEFAULT_POLICY };
    const query: HistoryQuery = {
      asOf: undefined,
      knownAt: undefined,
      now: t0 + 3_600_000,
      limit: 200,
      after: undefined,
    };
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    // A slice of 0 ms: a turn after every event (the default is 4 ms of work).
    const sliced = await buildHistoryPage(deps, 'P-1', query, timeSlice(0));
    counting = false;
    // Before, the fold ran to its end in microtasks: no other callback ran until the page was built.
    expect(turns).toBeGreaterThanOrEqual(1000);
    expect(sliced).toEqual(await buildHistoryPage(deps, 'P-1', query, timeSlice(Number.POSITIVE_INFINITY)));
  });
});
