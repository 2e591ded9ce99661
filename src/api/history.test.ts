import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../domain/calendar/index.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { historyArb } from '../domain/testing/arbitraries.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { caseStreamId } from '../domain/streams.js';
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
        fc.option(fc.double({ min: 0, max: 1.2, noNaN: true })),
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
});
