import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fraction } from './testing/fraction.js';
import { expectNextBoundaryLaw } from './testing/nextBoundaryLaw.js';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY, parsePolicy } from './policy.js';
import { evaluate, nextBoundary, stateAsOf } from './evaluate.js';
import { explainCard } from './explain.js';
import { evolve } from './evolve.js';
import { MS_PER_DAY, MS_PER_HOUR, parseInstant } from './time.js';
import { accepted, completed, escalated, fold, paused, resumed } from './testing/fixtures.js';
import { historyArb, OFFSET_ZONES, rewriteOffsets } from './testing/arbitraries.js';
import type { CaseEvaluation, CaseState } from './types.js';
import * as E from 'fp-ts/lib/Either.js';

const cal = defaultCalendar('Asia/Shanghai');
const ID = 'T-1';
const at = (s: string) => parseInstant(s);
const ev = (state: CaseState, asOf: string | number): CaseEvaluation => {
  const r = evaluate(state, typeof asOf === 'string' ? at(asOf) : asOf, DEFAULT_POLICY, cal);
  if (r === null) throw new Error('not accepted');
  return r;
};
const rules = (e: CaseEvaluation) => e.cards.map((c) => c.rule);

describe('DOMAIN §7 worked cases', () => {
  it('2: limit 1 from Fri 2025-02-07 → make-up Sat 2/8; completed Mon 2/10 is red, 1 day overdue', () => {
    const s = fold(ID, [accepted(ID, '2025-02-07T10:00:00+08:00', 1), completed(ID, '2025-02-10T10:00:00+08:00')]);
    const e = ev(s, '2025-02-20T00:00:00+08:00');
    expect(e).toMatchObject({ deadlineDate: '2025-02-08', overdueDays: 1, onTime: false, early: false });
    expect(rules(e)).toEqual(['deadline-warning', 'overdue']);
  });
  it('3: accepted on make-up Sat 2025-02-08, limit 3 → Wed 2/12', () => {
    expect(ev(fold(ID, [accepted(ID, '2025-02-08T10:00:00+08:00', 3)]), '2025-02-08T12:00:00+08:00').deadlineDate).toBe(
      '2025-02-12',
    );
  });
  it('4: accepted Thu 2025-10-09, limit 2 → make-up Sat 10/11', () => {
    expect(ev(fold(ID, [accepted(ID, '2025-10-09T10:00:00+08:00', 2)]), '2025-10-09T12:00:00+08:00').deadlineDate).toBe(
      '2025-10-11',
    );
  });
  it('5: pause 9/30 → 10/9 over national day counts 1 working day; deadline 10/11 → 10/13', () => {
    const acc = accepted(ID, '2025-09-22T10:00:00+08:00', 10);
    expect(ev(fold(ID, [acc]), '2025-09-22T12:00:00+08:00').deadlineDate).toBe('2025-10-11');
    const s = fold(ID, [
      acc,
      paused(ID, '2025-09-30T10:00:00+08:00', 'p1'),
      resumed(ID, '2025-10-09T10:00:00+08:00', 'p1'),
    ]);
    const e = ev(s, '2025-10-09T12:00:00+08:00');
    expect(e.deadlineDate).toBe('2025-10-13');
    expect(e.pauses[0]).toMatchObject({ countedDays: 1, open: false, allowanceDays: 30 });
  });
  it('6: paused and resumed the same day: 0 days, deadline unchanged, no overlong flag', () => {
    const acc = accepted(ID, '2025-09-22T10:00:00+08:00', 10);
    const s = fold(ID, [
      acc,
      paused(ID, '2025-09-24T10:00:00+08:00', 'p1', { declaredDays: 0 }),
      resumed(ID, '2025-09-24T16:00:00+08:00', 'p1'),
    ]);
    const e = ev(s, '2025-09-25T12:00:00+08:00');
    expect(e.deadlineDate).toBe('2025-10-11');
    expect(e.pauses[0]?.countedDays).toBe(0);
    expect(e.cards).toEqual([]);
  });
  it('7: overlapping pauses 3/3→3/7 and 3/5→3/11 extend by the union, 6, each checked on its own 4', () => {
    const acc = accepted(ID, '2025-03-03T09:00:00+08:00', 5);
    expect(ev(fold(ID, [acc]), '2025-03-03T10:00:00+08:00').deadlineDate).toBe('2025-03-10');
    const s = fold(ID, [
      acc,
      paused(ID, '2025-03-03T10:00:00+08:00', 'a', { reason: 'testing' }),
      paused(ID, '2025-03-05T10:00:00+08:00', 'b', { reason: 'expert-review' }),
      resumed(ID, '2025-03-07T10:00:00+08:00', 'a'),
      resumed(ID, '2025-03-11T10:00:00+08:00', 'b'),
    ]);
    const e = ev(s, '2025-03-11T12:00:00+08:00');
    expect(e.deadlineDate).toBe(formatNth('2025-03-10', 6));
    expect(e.deadlineDate).toBe('2025-03-18');
    expect(e.pauses.map((p) => p.countedDays)).toEqual([4, 4]);
  });
  it('8: limit 3 from Wed 2025-04-30 → Thu 5/8; completed 5/8 on time not early (yellow cleared); 5/7 early', () => {
    const acc = accepted(ID, '2025-04-30T10:00:00+08:00', 3);
    const on58 = ev(fold(ID, [acc, completed(ID, '2025-05-08T15:00:00+08:00')]), '2025-05-09T12:00:00+08:00');
    expect(on58).toMatchObject({ deadlineDate: '2025-05-08', onTime: true, early: false });
    expect(on58.cards).toMatchObject([
      {
        rule: 'deadline-warning',
        startedAt: '2025-05-08T00:00:00.000+08:00',
        clearedAt: '2025-05-08T15:00:00.000+08:00',
      },
    ]);
    const on57 = ev(fold(ID, [acc, completed(ID, '2025-05-07T15:00:00+08:00')]), '2025-05-09T12:00:00+08:00');
    expect(on57).toMatchObject({ onTime: true, early: true, cards: [] });
  });
});

function formatNth(date: string, n: number): string {
  const d = cal.nthWorkdayAfter(cal.dayOf(at(`${date}T12:00:00+08:00`)), n);
  return new Date(d * MS_PER_DAY).toISOString().slice(0, 10);
}

describe('cards', () => {
  it('yellow cards show clearedAt only once cleared by asOf; red cards never clear', () => {
    const s = fold(ID, [accepted(ID, '2024-11-04T09:00:00+08:00', 2)]);
    const before = ev(s, '2024-11-06T23:59:59.999+08:00');
    expect(before.cards).toMatchObject([{ rule: 'deadline-warning' }]);
    expect(before.cards[0]?.clearedAt).toBeUndefined();
    const after = ev(s, '2024-11-07T00:00:00+08:00');
    expect(after.cards).toMatchObject([
      { rule: 'deadline-warning', clearedAt: '2024-11-07T00:00:00.000+08:00' },
      { rule: 'overdue', color: 'red' },
    ]);
    expect(after.cards[1]?.clearedAt).toBeUndefined();
    expect(after.cards[1]).toMatchObject({ calendarVersion: cal.version, policyVersion: DEFAULT_POLICY.version });
  });

  it('pause-warning clears at resume; overlong-pause needs the pause still open at the end of its allowance', () => {
    const acc = accepted(ID, '2024-08-01T09:00:00+08:00', 20);
    const p = paused(ID, '2024-08-05T10:00:00+08:00', 'p1', { reason: 'expert-review', declaredDays: 5 });
    const resumedJustInTime = fold(ID, [acc, p, resumed(ID, '2024-08-12T23:59:59+08:00', 'p1')]);
    const e = ev(resumedJustInTime, '2024-08-20T12:00:00+08:00');
    expect(e.cards).toMatchObject([
      { rule: 'pause-warning', pauseId: 'p1', clearedAt: '2024-08-12T23:59:59.000+08:00' },
    ]);
    const resumedAtEnd = fold(ID, [acc, p, resumed(ID, '2024-08-13T00:00:00+08:00', 'p1')]);
    expect(rules(ev(resumedAtEnd, '2024-08-20T12:00:00+08:00'))).toEqual(['pause-warning', 'overlong-pause']);
  });

  it("escalation-unanswered uses the escalation's own respondWithinDays and respondBy is the end of that day", () => {
    const s = fold(ID, [
      accepted(ID, '2024-08-26T09:00:00+08:00', 15),
      escalated(ID, '2024-08-29T10:00:00+08:00', 'supervision', { respondWithinDays: 1 }),
    ]);
    const e = ev(s, '2024-09-10T12:00:00+08:00');
    expect(e.escalations).toMatchObject([
      { level: 'supervision', respondWithinDays: 1, respondBy: '2024-08-31T00:00:00.000+08:00' },
    ]);
    expect(e.cards).toMatchObject([
      { rule: 'escalation-unanswered', startedAt: '2024-08-31T00:00:00.000+08:00', escalation: 0 },
    ]);
    const answered = evolve(s, completed(ID, '2024-08-30T18:00:00+08:00'), { revision: 2 });
    expect(ev(answered, '2024-09-10T12:00:00+08:00').cards.map((c) => c.rule)).not.toContain('escalation-unanswered');
  });

  it('late-record: an event recorded more than 24 h after it occurred, at its recordedAt, never clears', () => {
    const occurred = at('2024-12-02T09:00:00+08:00');
    const s = fold(
      ID,
      [accepted(ID, '2024-12-02T09:00:00+08:00', 10), escalated(ID, '2024-12-03T09:00:00+08:00')],
      [occurred + 24 * MS_PER_HOUR + 1, at('2024-12-03T10:00:00+08:00')],
    );
    const e = ev(s, '2024-12-04T09:00:00+08:00');
    expect(e.cards).toMatchObject([
      {
        rule: 'late-record',
        color: 'yellow',
        startedAt: '2024-12-03T09:00:00.001+08:00',
        details: { eventType: 'CaseAccepted' },
      },
    ]);
    const exactly24h = fold(ID, [accepted(ID, '2024-12-02T09:00:00+08:00', 10)], [occurred + 24 * MS_PER_HOUR]);
    expect(ev(exactly24h, '2024-12-04T09:00:00+08:00').cards).toEqual([]);
  });

  it('flags a back-dated pause recorded after the case would have been due without it', () => {
    const acc = accepted(ID, '2024-11-04T09:00:00+08:00', 2); // due 2024-11-07T00:00 without pauses
    const p = paused(ID, '2024-11-05T10:00:00+08:00', 'p1', { reason: 'supplement' });
    const r = resumed(ID, '2024-11-12T10:00:00+08:00', 'p1');
    const honest = fold(
      ID,
      [acc, p, r],
      [at('2024-11-04T09:00:00+08:00'), at('2024-11-05T10:00:00+08:00'), at('2024-11-12T10:00:00+08:00')],
    );
    expect(ev(honest, '2024-11-12T12:00:00+08:00').pauses[0]?.retroactive).toBeUndefined();
    const backDated = fold(
      ID,
      [acc, p, r],
      [at('2024-11-04T09:00:00+08:00'), at('2024-11-08T10:00:00+08:00'), at('2024-11-12T10:00:00+08:00')],
    );
    const e = ev(backDated, '2024-11-12T12:00:00+08:00');
    expect(e.pauses[0]?.retroactive).toBe(true);
    expect(e.cards.find((c) => c.rule === 'late-record')?.details).toMatchObject({
      eventType: 'CasePaused',
      retroactivePause: 'p1',
    });
    expect(rules(e)).not.toContain('overdue'); // the back-dated pause hides it: hence the flag
  });

  it('a pause begun once the case was already due, recorded a second later, is not back-dated', () => {
    // The demo's live feed paused an overdue case (现场勘查) and the case page called it 补录.
    const acc = accepted(ID, '2024-11-04T09:00:00+08:00', 2); // due 2024-11-07T00:00
    const p = paused(ID, '2024-11-08T10:00:00+08:00', 'p1', { reason: 'site-survey' });
    const s = fold(ID, [acc, p], [at('2024-11-04T09:00:00+08:00'), at('2024-11-08T10:00:01+08:00')]);
    const e = ev(s, '2024-11-11T12:00:00+08:00');
    expect(e.pauses[0]?.retroactive).toBeUndefined();
    expect(e.cards.find((c) => c.rule === 'overdue')?.details).not.toHaveProperty('retroactivePause');
    // Recorded days later, it is still no back-dating of the deadline: the late-record card says the delay.
    const late = fold(ID, [acc, p], [at('2024-11-04T09:00:00+08:00'), at('2024-11-11T10:00:00+08:00')]);
    const l = ev(late, '2024-11-11T12:00:00+08:00');
    expect(l.pauses[0]?.retroactive).toBeUndefined();
    expect(l.cards.find((c) => c.rule === 'late-record')?.details).not.toHaveProperty('retroactivePause');
  });
});

describe('policy', () => {
  it('a policy override changes thresholds and is shown with each result', () => {
    const p = parsePolicy({ deadlineWarningRatio: 0.5, version: 'strict-1' });
    expect(E.isRight(p)).toBe(true);
    if (E.isLeft(p)) return;
    const s = fold(ID, [accepted(ID, '2024-12-02T09:00:00+08:00', 10)]);
    const e = evaluate(s, at('2024-12-09T00:00:00+08:00'), p.right, cal)!;
    expect(e.cards).toMatchObject([
      { rule: 'deadline-warning', startedAt: '2024-12-09T00:00:00.000+08:00', policyVersion: 'strict-1' },
    ]);
    expect(e.policyVersion).toBe('strict-1');
  });
});

describe('an open pause that starts on or after the deadline date', () => {
  // The pause covers only the days after its date, so it cannot move a deadline on or before that date:
  // overdue still starts at the due instant, and nextBoundary says so while the pause is open.
  it('promised 1 from Sat 2020-06-20, paused at 00:00 of the deadline date Mon 06-22: overdue at 06-23 00:00', () => {
    const s = fold(ID, [
      accepted(ID, '2020-06-20T08:59:00+08:00', 1),
      paused(ID, '2020-06-22T00:00:00+08:00', 'p0', { reason: 'supplement' }),
    ]);
    const pausedAt = at('2020-06-22T00:00:00+08:00');
    expect(nextBoundary(s, pausedAt, DEFAULT_POLICY, cal)).toBe(at('2020-06-23T00:00:00+08:00'));
    expect(rules(ev(s, '2020-06-23T00:00:00+08:00'))).toContain('overdue');
  });
  it('an instant case paused on its acceptance date is overdue at the next 00:00', () => {
    const s = fold(ID, [
      accepted(ID, '2015-01-01T00:00:00+08:00', 0),
      paused(ID, '2015-01-01T00:01:00+08:00', 'p0', { reason: 'supplement' }),
    ]);
    expect(nextBoundary(s, at('2015-01-01T00:01:00+08:00'), DEFAULT_POLICY, cal)).toBe(at('2015-01-02T00:00:00+08:00'));
    expect(rules(ev(s, '2015-01-02T00:00:00+08:00'))).toEqual(['overdue']);
  });
});

describe('properties', () => {
  it('completion one ms before dueAt is on time; at dueAt it is late and overdue starts at dueAt', () => {
    fc.assert(
      fc.property(historyArb({ complete: false }), (h) => {
        const open = fold(ID, h.events);
        if (open.pauses.some((p) => p.resumedAt === undefined)) return;
        const dueAt = at(ev(open, h.last).dueAt);
        fc.pre(dueAt - 1 >= h.last);
        const finish = (t: number) =>
          evolve(open, completed(ID, new Date(t).toISOString()), { revision: h.events.length });
        const early = ev(finish(dueAt - 1), dueAt + 10 * MS_PER_DAY);
        const late = ev(finish(dueAt), dueAt + 10 * MS_PER_DAY);
        expect(early.onTime).toBe(true);
        expect(rules(early)).not.toContain('overdue');
        expect(late.onTime).toBe(false);
        expect(late.cards.find((c) => c.rule === 'overdue')?.startedAt).toBe(late.dueAt);
      }),
      { numRuns: 200 },
    );
  });

  it('results do not depend on the offset the instants are written in', () => {
    fc.assert(
      fc.property(historyArb(), fc.integer({ min: 0, max: 60 * MS_PER_DAY }), (h, later) => {
        const asOf = h.last + later;
        const base = evaluate(fold(ID, h.events), asOf, DEFAULT_POLICY, cal);
        for (const zone of OFFSET_ZONES) {
          expect(evaluate(fold(ID, rewriteOffsets(h, zone)), asOf, DEFAULT_POLICY, cal)).toEqual(base);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('evolve is idempotent on replayed events', () => {
    fc.assert(
      fc.property(historyArb(), fc.nat(), (h, k) => {
        const s = fold(ID, h.events);
        const i = k % h.events.length;
        expect(evolve(s, h.events[i]!, { revision: i })).toBe(s);
      }),
      { numRuns: 100 },
    );
  });

  it('nextBoundary is exactly the next instant at which the card set changes', () => {
    fc.assert(
      fc.property(historyArb(), fc.integer({ min: 0, max: 40 * MS_PER_DAY }), fraction(), (h, later, frac) => {
        const s = fold(ID, h.events);
        const asOf = h.last + later;
        expectNextBoundaryLaw(s, asOf, cal, frac);
      }),
      { numRuns: 200 },
    );
  });

  it('stateAsOf(T) evaluates like the history cut at T, its revision included', () => {
    fc.assert(
      fc.property(historyArb(), fc.nat(), (h, k) => {
        const full = fold(ID, h.events);
        const cut = k % h.events.length;
        const T = h.at[cut]!;
        const prefixEvents = h.events.filter((_, i) => h.at[i]! <= T);
        const prefix = fold(ID, prefixEvents);
        const a = evaluate(stateAsOf(full, T), T, DEFAULT_POLICY, cal);
        const b = evaluate(prefix, T, DEFAULT_POLICY, cal);
        // The revision too: the events by T are a prefix of the stream (occurredAt never goes backwards).
        expect(a).toEqual(b);
      }),
      { numRuns: 100 },
    );
  });
});

describe('explain', () => {
  it('says which dates counted, which were holidays, weekends and make-up days, and the threshold', () => {
    const s = fold(ID, [accepted(ID, '2024-02-09T10:00:00+08:00', 5)]);
    const x = explainCard(s, { rule: 'deadline-warning' }, at('2024-03-01T12:00:00+08:00'), DEFAULT_POLICY, cal);
    expect(x).toMatchObject({
      promisedDays: 5,
      warnAtDay: 4,
      warnDate: '2024-02-21',
      deadlineDate: '2024-02-22',
      countedDates: ['2024-02-18', '2024-02-19', '2024-02-20', '2024-02-21', '2024-02-22'],
      makeUpDaysCounted: ['2024-02-18'],
      holidaysSkipped: [
        '2024-02-10',
        '2024-02-11',
        '2024-02-12',
        '2024-02-13',
        '2024-02-14',
        '2024-02-15',
        '2024-02-16',
        '2024-02-17',
      ],
      pausedWorkdays: [],
    });
    const withPause = fold(ID, [
      accepted(ID, '2025-09-22T10:00:00+08:00', 10),
      paused(ID, '2025-09-30T10:00:00+08:00', 'p1'),
      resumed(ID, '2025-10-09T10:00:00+08:00', 'p1'),
    ]);
    const y = explainCard(withPause, { rule: 'overdue' }, at('2025-10-20T12:00:00+08:00'), DEFAULT_POLICY, cal);
    expect(y).toMatchObject({ deadlineDate: '2025-10-13', pausedWorkdays: ['2025-10-09'] });
    expect(
      explainCard(
        withPause,
        { rule: 'overlong-pause', pauseId: 'p1' },
        at('2025-10-20T12:00:00+08:00'),
        DEFAULT_POLICY,
        cal,
      ),
    ).toBeNull();
  });

  it('evaluate attaches explain only when asked', () => {
    const s = fold(ID, [accepted(ID, '2024-02-09T10:00:00+08:00', 5)]);
    expect(ev(s, '2024-03-01T12:00:00+08:00').cards[0]?.explain).toBeUndefined();
    const e = evaluate(s, at('2024-03-01T12:00:00+08:00'), DEFAULT_POLICY, cal, { explain: true })!;
    expect(e.cards[1]?.explain).toMatchObject({ overdueDays: 6, dueAt: '2024-02-23T00:00:00.000+08:00' });
  });
});
