import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fraction } from './testing/fraction.js';
import { defaultCalendar, mergeDayRanges } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evaluate } from './evaluate.js';
import { decideSpec } from './testing/decideSpec.js';
import { accepted, completed, decode, fold, paused, resumed } from './testing/fixtures.js';
import { dayFromYmd, formatDate, formatInstant, MS_PER_DAY, MS_PER_HOUR, parseDate, parseInstant } from './time.js';
import type { CaseEvent } from './events.js';

const ID = 'X-1';
const cal = defaultCalendar('Asia/Shanghai');
const extended = (occurredAt: string, days: number): CaseEvent =>
  decode({ type: 'CaseExtended', caseId: ID, occurredAt, days, approvedBy: '分管局长', reason: '需现场核查' });
const at = (iso: string) => parseInstant(iso);
const evalAt = (events: readonly CaseEvent[], asOf: string) =>
  evaluate(fold(ID, events), at(asOf), DEFAULT_POLICY, cal)!;

// Accepted Mon 2025-03-03, 5 days: counted 03-04 … 03-10, due 2025-03-11T00:00+08:00 (no holiday in March 2025).
const acc = accepted(ID, '2025-03-03T09:00:00+08:00', 5);
const joint = decode({ ...acc, kind: 'joint' });

describe('decide: CaseExtended (延期)', () => {
  const spec = (now: string) => decideSpec({ caseId: ID, now: at(now) });

  it('one second before dueAt is accepted; at dueAt it is refused: extension-after-deadline', () => {
    const ok = extended('2025-03-10T23:59:59+08:00', 3);
    spec('2025-03-10T23:59:59+08:00').given([acc]).when(ok).then([ok]);
    const late = extended('2025-03-11T00:00:00+08:00', 3);
    const error = spec('2025-03-11T00:00:00+08:00')
      .given([acc])
      .when(late)
      .thenRejected('extension-after-deadline', 'does not cure it');
    expect(error.details).toMatchObject({ dueAt: '2025-03-11T00:00:00.000+08:00' });
  });

  it('during an open pause it is accepted (the deadline as if resumed that day: paused 03-05, on 03-20 due 03-25)', () => {
    const p = paused(ID, '2025-03-05T09:00:00+08:00', 'p1');
    const ext = extended('2025-03-20T10:00:00+08:00', 2);
    expect(evalAt([acc, p], '2025-03-20T10:00:00+08:00').deadlineDate).toBe('2025-03-25');
    spec('2025-03-20T10:00:00+08:00').given([acc, p]).when(ext).then([ext]);
    const ev = evalAt([acc, p, ext, resumed(ID, '2025-03-21T09:00:00+08:00', 'p1')], '2025-03-21T12:00:00+08:00');
    // Counted: 03-04, 03-05 (the pause date counts), then after the pause (03-05, 03-21]: 03-24 … 03-28 → the 7th.
    expect(ev.deadlineDate).toBe('2025-03-28');
    expect(ev.extendedDays).toBe(2);
  });

  it('the total is capped by the policy: 10 for promised, 15 for joint (extension-limit)', () => {
    const first = extended('2025-03-05T10:00:00+08:00', 6);
    const second = extended('2025-03-06T10:00:00+08:00', 5);
    spec('2025-03-06T10:00:00+08:00')
      .given([acc, first])
      .when(second)
      .thenRejected('extension-limit', 'has 6 extension days; 5 more would pass the limit of 10');
    const four = extended('2025-03-06T10:00:00+08:00', 4);
    spec('2025-03-06T10:00:00+08:00').given([acc, first]).when(four).then([four]);
    const ten = extended('2025-03-05T10:00:00+08:00', 10);
    spec('2025-03-06T10:00:00+08:00').given([joint, ten]).when(second).then([second]);
    spec('2025-03-06T11:00:00+08:00')
      .given([joint, ten, second])
      .when(extended('2025-03-06T11:00:00+08:00', 1))
      .thenRejected('extension-limit', 'limit of 15');
  });

  it('needs an open case; a bad days value is a decode error naming the field', () => {
    spec('2025-03-07T10:00:00+08:00')
      .given([acc, completed(ID, '2025-03-06T10:00:00+08:00')])
      .when(extended('2025-03-07T10:00:00+08:00', 1))
      .thenRejected('transition-not-allowed', 'completed');
    for (const days of [0, 31, 1.5]) {
      expect(() => extended('2025-03-05T10:00:00+08:00', days)).toThrow(/days/);
    }
  });
});

describe('evaluate: extensions move the deadline, the warning and remainingDays', () => {
  it('5 + 3 days: deadline 03-13, remainingDays from 8, the warning clears at the extension and restarts', () => {
    // Warning for 5: day 4 = 03-07. Extension on 03-07 at 10:00 to 8: day ⌈6.4⌉ = 7 = 03-12.
    const ext = extended('2025-03-07T10:00:00+08:00', 3);
    const ev = evalAt([acc, ext], '2025-03-12T12:00:00+08:00');
    expect(ev.deadlineDate).toBe('2025-03-13');
    expect(ev.usedDays).toBe(7);
    expect(ev.remainingDays).toBe(1);
    expect(ev.extensions).toEqual([
      { at: '2025-03-07T10:00:00.000+08:00', days: 3, approvedBy: '分管局长', reason: '需现场核查' },
    ]);
    expect(ev.cards.map((c) => [c.rule, c.startedAt, c.clearedAt])).toEqual([
      ['deadline-warning', '2025-03-07T00:00:00.000+08:00', '2025-03-07T10:00:00.000+08:00'],
      ['deadline-warning', '2025-03-12T00:00:00.000+08:00', undefined],
    ]);
  });

  it('an extension that leaves the warning day where it was does not clear the card (one maximal interval)', () => {
    const four = accepted(ID, '2025-03-03T09:00:00+08:00', 4); // warning day ⌈3.2⌉ = 4 = 03-07
    const ext = extended('2025-03-07T10:00:00+08:00', 1); // ⌈4.0⌉ = 4: the same day
    const ev = evalAt([four, ext], '2025-03-10T12:00:00+08:00');
    expect(ev.cards.map((c) => [c.rule, c.startedAt, c.clearedAt])).toEqual([
      ['deadline-warning', '2025-03-07T00:00:00.000+08:00', undefined],
    ]);
    expect(ev.deadlineDate).toBe('2025-03-10');
  });

  it('an extension at the very instant the warning starts: the card starts and clears there ("open at t", SPEC §3)', () => {
    // Warning for 5: day 4 = 03-07 00:00; extended at that instant to 8 days: warning day 7 = 03-12.
    // At 03-07 00:00 the extension is not before the instant, so the rule holds there, as for a
    // completion at exactly 00:00 of the warning day (docs/timing.md "Open at t").
    const ext = extended('2025-03-07T00:00:00+08:00', 3);
    const ev = evalAt([acc, ext], '2025-03-12T12:00:00+08:00');
    expect(ev.cards.map((c) => [c.rule, c.startedAt, c.clearedAt])).toEqual([
      ['deadline-warning', '2025-03-07T00:00:00.000+08:00', '2025-03-07T00:00:00.000+08:00'],
      ['deadline-warning', '2025-03-12T00:00:00.000+08:00', undefined],
    ]);
  });

  it('as of an instant before the extension, the case is as it was', () => {
    const ext = extended('2025-03-07T10:00:00+08:00', 3);
    const before = evalAt([acc, ext], '2025-03-07T09:00:00+08:00');
    expect(before.deadlineDate).toBe('2025-03-10');
    expect(before.extendedDays).toBe(0);
    expect(before.cards.map((c) => c.clearedAt)).toEqual([undefined]);
  });
});

/** A case accepted on a random day of 2015–2027 with 1–30 days and an extension of d days before it is due. */
const caseArb = fc.record({
  day: fc.integer({ min: dayFromYmd(2015, 1, 1), max: dayFromYmd(2027, 12, 1) }),
  promised: fc.integer({ min: 1, max: 30 }),
  d: fc.integer({ min: 1, max: 10 }),
  /** Where before dueAt the extension comes, as a fraction of the time from acceptance. */
  when: fraction({ max: 0.999 }),
  pause: fc.option(
    fc.record({ startH: fc.integer({ min: 1, max: 24 * 20 }), lenH: fc.integer({ min: 1, max: 24 * 20 }) }),
  ),
});

describe('properties of extensions', () => {
  it('an extension of d days never moves the deadline earlier, and by exactly d counted days with no pause', () => {
    fc.assert(
      fc.property(caseArb, ({ day, promised, d, when, pause }) => {
        const acceptedAt = cal.startOfDay(day) + 9 * MS_PER_HOUR;
        const iso = (ms: number) => formatInstant(ms, 'Asia/Shanghai');
        const events: CaseEvent[] = [accepted(ID, iso(acceptedAt), promised)];
        if (pause !== null) {
          events.push(paused(ID, iso(acceptedAt + pause.startH * MS_PER_HOUR), 'p1'));
          events.push(resumed(ID, iso(acceptedAt + (pause.startH + pause.lenH) * MS_PER_HOUR), 'p1'));
        }
        const lastAt = parseInstant(events[events.length - 1]!.occurredAt);
        const without = evaluate(fold(ID, events), lastAt, DEFAULT_POLICY, cal)!;
        const dueAt = parseInstant(without.dueAt);
        if (dueAt <= lastAt) return; // already due: no extension may follow
        const extAt = lastAt + Math.floor((dueAt - lastAt) * when);
        const withExt = [...events, extended(iso(extAt), d)];
        const asOf = Math.max(extAt, lastAt) + 90 * MS_PER_DAY;
        const before = evaluate(fold(ID, events), asOf, DEFAULT_POLICY, cal)!;
        const after = evaluate(fold(ID, withExt), asOf, DEFAULT_POLICY, cal)!;
        const b = parseDate(before.deadlineDate);
        const a = parseDate(after.deadlineDate);
        expect(a).toBeGreaterThanOrEqual(b);
        const merged = mergeDayRanges(
          after.pauses.map((p) => ({
            after: cal.dayOf(parseInstant(p.pausedAt)),
            through: cal.dayOf(parseInstant(p.resumedAt!)),
          })),
        );
        expect(cal.countWorkdaysExcluding(b, a, merged)).toBe(d);
        if (pause === null) expect(formatDate(a)).toBe(formatDate(cal.nthWorkdayAfter(b, d)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('explain in numbers: extensions, replies, predicted holidays', () => {
  it('names the days each extension added and why a warning cleared', () => {
    const ext = extended('2025-03-07T10:00:00+08:00', 3);
    const ev = evaluate(fold(ID, [acc, ext]), at('2025-03-12T12:00:00+08:00'), DEFAULT_POLICY, cal, { explain: true })!;
    const [cleared, current] = ev.cards.map((c) => c.explain as Record<string, unknown>);
    expect(cleared).toMatchObject({ clearedBy: expect.stringContaining('2025-03-07T10:00:00.000+08:00') });
    expect(current).toMatchObject({
      promisedDays: 5,
      extendedDays: 3,
      warnAtDay: 7,
      deadlineDate: '2025-03-13',
      extensions: [
        {
          at: '2025-03-07T10:00:00.000+08:00',
          days: 3,
          deadlineBefore: '2025-03-10',
          deadlineAfter: '2025-03-13',
          daysAdded: ['2025-03-11', '2025-03-12', '2025-03-13'],
        },
      ],
    });
    expect(current).not.toHaveProperty('clearedBy');
  });

  it('lists the holidays of a predicted year it assumed: accepted 2026-12-15, 15 days, 元旦 2027 skipped', () => {
    const c = accepted(ID, '2026-12-15T09:00:00+08:00', 15);
    const ev = evaluate(fold(ID, [c]), at('2027-01-20T12:00:00+08:00'), DEFAULT_POLICY, cal, { explain: true })!;
    expect(ev.deadlineDate).toBe('2027-01-06');
    expect(ev.provisional).toBe(true);
    const overdue = ev.cards.find((x) => x.rule === 'overdue')!.explain as Record<string, unknown>;
    expect(overdue['predictedHolidays']).toEqual([{ date: '2027-01-01', name: '元旦' }]);
  });

  it('a late reply: the escalation card explains when the reply was due and when it came', () => {
    const esc = decode({
      type: 'CaseEscalated',
      caseId: ID,
      occurredAt: '2025-03-04T10:00:00+08:00',
      level: 'reminder',
      by: 'o',
    });
    const reply = decode({
      type: 'CaseEscalationAnswered',
      caseId: ID,
      occurredAt: '2025-03-10T09:00:00+08:00',
      escalationId: 'e1',
    });
    const ev = evaluate(fold(ID, [acc, esc, reply]), at('2025-03-10T12:00:00+08:00'), DEFAULT_POLICY, cal, {
      explain: true,
    })!;
    const card = ev.cards.find((x) => x.rule === 'escalation-unanswered')!;
    expect(card.explain).toMatchObject({
      escalationId: 'e1',
      respondByDate: '2025-03-07',
      respondBy: '2025-03-08T00:00:00.000+08:00',
      answeredAt: '2025-03-10T09:00:00.000+08:00',
    });
  });
});

describe('an extension recorded before the deadline that a later record moved it past (a calendar correction)', () => {
  // decide refuses an extension at or after dueAt; a correction that withdraws a holiday can move dueAt
  // before an extension already recorded. Folded here without decide: 5 days from 03-03 are due 03-11 00:00.
  const late = extended('2025-03-11T20:00:00+08:00', 10);

  it('adds no days: the red overdue card started at the due instant stays, and the extension is marked voided', () => {
    const ev = evaluate(fold(ID, [acc, late]), at('2025-03-12T09:00:00+08:00'), DEFAULT_POLICY, cal, {
      explain: true,
    })!;
    // Before: deadline 2025-03-25 and no overdue card — the late case shown on schedule.
    expect(ev.deadlineDate).toBe('2025-03-10');
    expect(ev.extendedDays).toBe(0);
    expect(ev.cards.find((c) => c.rule === 'overdue')?.startedAt).toBe('2025-03-11T00:00:00.000+08:00');
    expect(ev.extensions).toEqual([expect.objectContaining({ at: '2025-03-11T20:00:00.000+08:00', voided: true })]);
  });

  it('law: an extension at or after the due instant then in force changes no deadline and no card', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 5 * 24 }),
        fc.integer({ min: 1, max: 10 }),
        (promised, hoursAfter, days) => {
          const a = accepted(ID, '2025-03-03T09:00:00+08:00', promised);
          const T = at('2025-05-30T12:00:00+08:00');
          const without = evaluate(fold(ID, [a]), T, DEFAULT_POLICY, cal)!;
          const x = extended(
            formatInstant(Date.parse(without.dueAt) + hoursAfter * MS_PER_HOUR, 'Asia/Shanghai'),
            days,
          );
          const withIt = evaluate(fold(ID, [a, x]), T, DEFAULT_POLICY, cal)!;
          expect(withIt.deadlineDate).toBe(without.deadlineDate);
          expect(withIt.cards).toEqual(without.cards);
          expect(withIt.extensions[0]?.voided).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
