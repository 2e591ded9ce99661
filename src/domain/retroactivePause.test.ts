import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar, mergeDayRanges, type DayRange } from './calendar/index.js';
import { rangesWithOwnDays, retroactivePauses } from './retroactivePause.js';
import type { PauseState } from './types.js';
import { dayFromYmd, MS_PER_DAY } from './time.js';

const cal = defaultCalendar('Asia/Shanghai');
const A = dayFromYmd(2025, 3, 3);

/** The definition: begun before, recorded at or after, the due instant without this pause (the others merged). */
function naive(ranges: readonly DayRange[], pause: PauseState, i: number, total: number): boolean {
  if (pause.recordedAt === undefined || pause.recordedAt <= pause.pausedAt) return false;
  const others = mergeDayRanges(ranges.filter((_, j) => j !== i));
  const due = cal.startOfDay(cal.nthCountedDayAfter(A, total, others) + 1);
  return pause.pausedAt < due && pause.recordedAt >= due;
}

const pausesArb = fc.array(
  fc.record({
    after: fc.integer({ min: 0, max: 40 }),
    length: fc.integer({ min: 0, max: 20 }),
    recordedDay: fc.integer({ min: -2, max: 80 }),
  }),
  { maxLength: 12 },
);

describe('retroactive pauses', () => {
  it('law: the bounds and the own-days shortcut answer as merging the other pauses for each', () => {
    fc.assert(
      fc.property(pausesArb, fc.integer({ min: 0, max: 30 }), (drawn, total) => {
        const ranges = drawn.map((p) => ({ after: A + p.after, through: A + p.after + p.length }));
        const merged = ranges.length === 0 ? ranges : mergeDayRanges(ranges);
        const retroactive = retroactivePauses(ranges, merged, A, total, cal);
        drawn.forEach((p, i) => {
          const pausedAt = cal.startOfDay(A + p.after) + 10 * 3_600_000;
          const pause = {
            pauseId: `p${i}`,
            reason: 'other',
            pausedAt,
            recordedAt: pausedAt + p.recordedDay * MS_PER_DAY,
          } as unknown as PauseState;
          expect(retroactive(pause, i), `pause ${i}`).toBe(naive(ranges, pause, i, total));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('a range has days of its own exactly when the others leave one of its days uncovered', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 30 }), length: fc.integer({ min: 0, max: 10 }) }), {
          maxLength: 10,
        }),
        (drawn) => {
          const ranges = drawn.map((r) => ({ after: r.after, through: r.after + r.length }));
          const own = rangesWithOwnDays(ranges);
          ranges.forEach((r, i) => {
            let expected = false;
            for (let day = r.after + 1; day <= r.through; day++)
              if (!ranges.some((o, j) => j !== i && o.after < day && day <= o.through)) expected = true;
            expect(own[i], `range ${i}`).toBe(expected);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
