import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evaluate } from './evaluate.js';
import { fold } from './testing/fixtures.js';
import { historyArb } from './testing/arbitraries.js';
import { MS_PER_DAY, MS_PER_HOUR, parseInstant } from './time.js';
import { replyStatus } from './escalationReply.js';

const cal = defaultCalendar('Asia/Shanghai');

describe('an escalation reply status (escalationReply.ts), the one the case read carries', () => {
  it('each of its five answers, at the respond-by instant and around it', () => {
    const respondBy = parseInstant('2025-03-08T00:00:00+08:00');
    expect(replyStatus(respondBy, respondBy - 1, undefined, respondBy + MS_PER_DAY)).toBe('on-time');
    expect(replyStatus(respondBy, respondBy, undefined, respondBy + MS_PER_DAY)).toBe('late');
    expect(replyStatus(respondBy, undefined, undefined, respondBy - 1)).toBe('pending');
    expect(replyStatus(respondBy, undefined, undefined, respondBy)).toBe('missing');
    // Completed first: no reply falls due (SPEC §3); completed at or after the instant: the reply was missed.
    expect(replyStatus(respondBy, undefined, respondBy - 1, respondBy + MS_PER_DAY)).toBe('not-due');
    expect(replyStatus(respondBy, undefined, respondBy, respondBy + MS_PER_DAY)).toBe('missing');
  });

  it("says missing exactly when the case read lists that escalation's escalation-unanswered card, on random histories", () => {
    let missing = 0;
    let notDue = 0;
    fc.assert(
      fc.property(historyArb(), fc.integer({ min: 0, max: 60 * 24 }), (h, laterH) => {
        const caseId = h.events[0]!.caseId;
        const last = parseInstant(h.events[h.events.length - 1]!.occurredAt);
        const asOf = last + laterH * MS_PER_HOUR;
        const ev = evaluate(fold(caseId, h.events), asOf, DEFAULT_POLICY, cal)!;
        const completedAt = ev.completedAt == null ? undefined : parseInstant(ev.completedAt);
        ev.escalations.forEach((e, i) => {
          const card = ev.cards.some((c) => c.rule === 'escalation-unanswered' && c.escalation === i);
          expect(e.reply === 'missing', `${e.escalationId} ${e.reply}`).toBe(card);
          if (e.reply === 'not-due') {
            expect(completedAt).toBeLessThan(parseInstant(e.respondBy));
            notDue++;
          }
          if (e.reply === 'pending') expect(asOf).toBeLessThan(parseInstant(e.respondBy));
          if (e.reply === 'missing') missing++;
          expect(e.answeredAt === undefined).toBe(!['on-time', 'late'].includes(e.reply));
        });
      }),
      { numRuns: 1000 },
    );
    expect(missing).toBeGreaterThan(10);
    expect(notDue).toBeGreaterThan(10);
  });
});
