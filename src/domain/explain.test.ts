/**
 * A card's explanation holds at one instant (explain.ts): a 通报 is written from it. A deadline-warning
 * that started before an extension read `extendedDays=0; warnAtDay=4; deadlineDate=2026-11-24` — the
 * extension count and warning day as the card started, the deadline only the later extension made.
 * Its figures are now the case's as it stood when the card started, and what changed since is named
 * as now (`extendedDaysNow`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from './calendar/index.js';
import type { CaseEvent } from './events.js';
import { evaluate } from './evaluate.js';
import { explainCard } from './explain.js';
import { DEFAULT_POLICY } from './policy.js';
import { accepted, decode, fold, paused, resumed } from './testing/fixtures.js';
import { formatInstant, MS_PER_HOUR, parseInstant } from './time.js';

const ID = 'X-1';
const ZONE = 'Asia/Shanghai';
const cal = defaultCalendar(ZONE);
const at = (iso: string) => parseInstant(iso);
const extended = (occurredAt: string, days: number): CaseEvent =>
  decode({ type: 'CaseExtended', caseId: ID, occurredAt, days, approvedBy: '分管局长', reason: '需现场核查' });

// Accepted Mon 2025-03-03, 5 days: counted 03-04 … 03-10, warning day 4 (03-07, from 00:00), due 03-11 00:00.
const acc = accepted(ID, '2025-03-03T09:00:00+08:00', 5);

describe("a card's explanation holds at one instant", () => {
  it('a warning that started before an extension: the deadline as it stood then, the extension named as now', () => {
    // Extended by 5 on 03-07 10:00: deadline 03-17, warning day 8 (03-13): a second warning from 03-13.
    const s = fold(ID, [acc, extended('2025-03-07T10:00:00+08:00', 5)]);
    const asOf = at('2025-03-14T12:00:00+08:00');
    const first = explainCard(
      s,
      { rule: 'deadline-warning', startedAt: at('2025-03-07T00:00:00+08:00') },
      asOf,
      DEFAULT_POLICY,
      cal,
    );
    expect(first).toMatchObject({
      promisedDays: 5,
      extendedDays: 0,
      extendedDaysNow: 5,
      warnAtDay: 4,
      warnDate: '2025-03-07',
      deadlineDate: '2025-03-10', // not 03-17: that deadline exists only after the extension
      dueAt: '2025-03-11T00:00:00.000+08:00',
      usedDays: 4,
      overdueDays: 0,
      countedDates: ['2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10'],
      clearedBy: expect.stringContaining('2025-03-07T10:00:00.000+08:00'),
    });
    const second = explainCard(
      s,
      { rule: 'deadline-warning', startedAt: at('2025-03-13T00:00:00+08:00') },
      asOf,
      DEFAULT_POLICY,
      cal,
    );
    expect(second).toMatchObject({ extendedDays: 5, warnAtDay: 8, warnDate: '2025-03-13', deadlineDate: '2025-03-17' });
    expect(second).not.toHaveProperty('extendedDaysNow');
  });

  it('law: a warning explains the figures the case read at its start shows, whatever came after', () => {
    let moved = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        // Extensions and a pause at random hours after acceptance (the pause possibly resumed).
        fc.array(fc.record({ hours: fc.integer({ min: 1, max: 24 * 20 }), days: fc.integer({ min: 1, max: 6 }) }), {
          maxLength: 3,
        }),
        fc.option(
          fc.record({ hours: fc.integer({ min: 1, max: 24 * 20 }), resumeAfter: fc.integer({ min: 1, max: 24 * 8 }) }),
        ),
        (promisedDays, exts, pause) => {
          const t0 = at('2025-03-03T09:00:00+08:00');
          const iso = (h: number) => formatInstant(t0 + h * MS_PER_HOUR, ZONE);
          const events: { h: number; e: CaseEvent }[] = [{ h: 0, e: accepted(ID, iso(0), promisedDays) }];
          for (const x of exts) events.push({ h: x.hours, e: extended(iso(x.hours), x.days) });
          if (pause !== null) {
            events.push({ h: pause.hours, e: paused(ID, iso(pause.hours), 'p1') });
            events.push({
              h: pause.hours + pause.resumeAfter,
              e: resumed(ID, iso(pause.hours + pause.resumeAfter), 'p1'),
            });
          }
          events.sort((a, b) => a.h - b.h);
          const s = fold(
            ID,
            events.map((x) => x.e),
          );
          const asOf = t0 + 24 * 40 * MS_PER_HOUR;
          const ev = evaluate(s, asOf, DEFAULT_POLICY, cal, { explain: true });
          // A card that clears at its very start (an extension at exactly 00:00 of its warning day) is
          // explained with that extension counted; the law is about cards that held for a while.
          const held = (c: { startedAt: string; clearedAt?: string }) => c.clearedAt !== c.startedAt;
          for (const card of ev?.cards.filter((c) => c.rule === 'deadline-warning' && held(c)) ?? []) {
            const start = parseInstant(card.startedAt);
            const then = evaluate(s, start, DEFAULT_POLICY, cal)!;
            const x = card.explain as Record<string, unknown>;
            expect(x).toMatchObject({
              extendedDays: then.extendedDays,
              deadlineDate: then.deadlineDate,
              dueAt: then.dueAt,
              usedDays: then.usedDays,
            });
            // Its warning day had begun by then (a warning may start at an extension, its day already passed).
            expect(String(x['warnDate']) <= formatInstant(start, ZONE).slice(0, 10)).toBe(true);
            if (ev!.extendedDays !== then.extendedDays) {
              moved++;
              expect(x['extendedDaysNow']).toBe(ev!.extendedDays);
            } else expect(x).not.toHaveProperty('extendedDaysNow');
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(moved).toBeGreaterThan(10); // checked on warnings an extension came after
  });
});
