import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evaluate } from './evaluate.js';
import { historyArb } from './testing/arbitraries.js';
import { accepted, decode, fold } from './testing/fixtures.js';
import { formatInstant, MS_PER_HOUR, parseInstant } from './time.js';
import type { CaseEvent } from './events.js';

const cal = defaultCalendar('Asia/Shanghai');
const extended = (caseId: string, occurredAt: string): CaseEvent =>
  decode({ type: 'CaseExtended', caseId, occurredAt, days: 3, approvedBy: '分管局长', reason: '需现场核查' });

/** The case with `events` recorded as they occurred, then `extension` recorded at `recordedAt`. */
const withExtension = (events: readonly CaseEvent[], at: readonly number[], extension: CaseEvent, recordedAt: number) =>
  fold('P-1', [...events, extension], [...at, recordedAt]);

describe('a back-dated extension (延期 补录) is marked retroactive', () => {
  // Accepted Mon 2025-03-03, 5 days: due 2025-03-11T00:00+08:00.
  const acc = accepted('X-1', '2025-03-03T09:00:00+08:00', 5);
  const ext = extended('X-1', '2025-03-10T16:00:00+08:00');
  const view = (recordedAt: string) =>
    evaluate(
      fold('X-1', [acc, ext], [parseInstant('2025-03-03T09:00:00+08:00'), parseInstant(recordedAt)]),
      parseInstant('2025-03-20T10:00:00+08:00'),
      DEFAULT_POLICY,
      cal,
    )!.extensions[0];

  it('recorded after the due instant it beat: retroactive (and the case on schedule, as its occurredAt says)', () => {
    expect(view('2025-03-12T10:00:00+08:00')).toMatchObject({ retroactive: true });
    expect(view('2025-03-11T00:00:00+08:00')).toMatchObject({ retroactive: true });
  });

  it('recorded before it: not', () => {
    expect(view('2025-03-10T23:59:59+08:00')?.retroactive).toBeUndefined();
  });

  it('law: an extension is retroactive exactly when, without it, the case was overdue when it was recorded', () => {
    fc.assert(
      fc.property(
        historyArb({ complete: false }),
        fc.integer({ min: 1, max: 24 * 30 }),
        fc.integer({ min: 0, max: 24 * 30 }),
        ({ events, at, last }, gapH, delayH) => {
          const occurred = last + gapH * MS_PER_HOUR;
          const before = fold('P-1', events, at);
          const without = evaluate(before, occurred, DEFAULT_POLICY, cal)!;
          if (occurred >= parseInstant(without.dueAt)) return; // decide refuses it: not in time
          const recordedAt = occurred + delayH * MS_PER_HOUR;
          const extension = extended('P-1', formatInstant(occurred, 'Asia/Shanghai'));
          const state = withExtension(events, at, extension, recordedAt);
          const flagged = evaluate(state, recordedAt, DEFAULT_POLICY, cal)!.extensions.at(-1)?.retroactive === true;
          const overdueWhenRecorded =
            parseInstant(evaluate(before, recordedAt, DEFAULT_POLICY, cal)!.dueAt) <= recordedAt;
          expect(flagged).toBe(overdueWhenRecorded);
        },
      ),
      { numRuns: 400 },
    );
  });
});
