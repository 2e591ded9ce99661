import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../domain/calendar/index.js';
import { evaluate } from '../domain/evaluate.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { historyArb } from '../domain/testing/arbitraries.js';
import { fold } from '../domain/testing/fixtures.js';
import { summarize } from './historySummary.js';

const calendar = createCalendarService('Asia/Shanghai').current();

describe('summarize (the state a /history row shows)', () => {
  it('has the full evaluation’s timing facts, at every event and later, whatever the escalations and late records', () => {
    fc.assert(
      fc.property(
        historyArb(),
        fc.array(fc.nat(72), { minLength: 12, maxLength: 12 }),
        fc.nat(60 * 24),
        (h, delaysH, laterH) => {
          const recorded = h.at.map((t, i) => t + delaysH[i % 12]! * 3_600_000);
          for (let i = 0; i < h.events.length; i++) {
            const state = fold('P-1', h.events.slice(0, i + 1), recorded);
            for (const at of [h.at[i]!, h.at[i]! + laterH * 3_600_000]) {
              const full = evaluate(state, at, DEFAULT_POLICY, calendar)!;
              expect(summarize(state, at, DEFAULT_POLICY, calendar)).toEqual({
                status: full.status,
                deadlineDate: full.deadlineDate,
                dueAt: full.dueAt,
                usedDays: full.usedDays,
                remainingDays: full.remainingDays,
                overdueDays: full.overdueDays,
                provisional: full.provisional,
                onTime: full.onTime,
                early: full.early,
                pauses: full.pauses.length,
                openPauses: full.pauses.filter((p) => p.open).length,
                escalations: full.escalations.length,
              });
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
