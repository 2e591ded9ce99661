import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../calendar/index.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { formatInstant, MS_PER_HOUR, MS_PER_MINUTE, parseDate, parseInstant } from '../time.js';
import type { ComplaintEvent } from './events.js';
import { foldComplaint } from './evolve.js';
import { complaintAlertsAt, complaintTimelineOf, nextComplaintBoundary, type ComplaintTimeline } from './timeline.js';
import { acceptedC, answeredC, closedC, complaintEvent, received, rejectedC } from './testing.js';

const cal = defaultCalendar();
const ZONE = 'Asia/Shanghai';
const at = (s: string) => parseInstant(s);
const show = (ms: number | undefined) => (ms === undefined ? undefined : formatInstant(ms, ZONE));

function timeline(events: ComplaintEvent[], T: string | number, policy: Policy = DEFAULT_POLICY): ComplaintTimeline {
  const t = typeof T === 'string' ? at(T) : T;
  const tl = complaintTimelineOf(foldComplaint('q1', events), t, policy, cal);
  if (tl === null) throw new Error('not received');
  return tl;
}
const cardsOf = (tl: ComplaintTimeline) =>
  tl.cards.map((c) => ({ rule: c.rule, color: c.color, start: show(c.start), clear: show(c.clear) }));

describe('decide within complaintDecideDays = 3 (worked examples)', () => {
  const R = received('2025-09-22T10:00:00+08:00'); // Monday: counted days Tue 23, Wed 24, Thu 25
  it('decided on day 3: on time, no card', () => {
    const tl = timeline([R, acceptedC('2025-09-25T17:30:00+08:00')], '2025-09-30T12:00:00+08:00');
    expect(tl.decide.byDay).toBe(parseDate('2025-09-25'));
    expect(show(tl.decide.dueAt)).toBe('2025-09-26T00:00:00.000+08:00');
    expect(tl.decide.usedDays).toBe(3);
    expect(tl.decide.onTime).toBe(true);
    expect(tl.cards.filter((c) => c.rule === 'complaint-undecided')).toEqual([]);
  });
  it('decided on day 4: red complaint-undecided from the end of day 3 until the decision', () => {
    const tl = timeline([R, rejectedC('2025-09-26T09:00:00+08:00')], '2025-09-30T12:00:00+08:00');
    expect(tl.decide.onTime).toBe(false);
    expect(tl.decide.usedDays).toBe(4);
    expect(cardsOf(tl)).toEqual([
      {
        rule: 'complaint-undecided',
        color: 'red',
        start: '2025-09-26T00:00:00.000+08:00',
        clear: '2025-09-26T09:00:00.000+08:00',
      },
    ]);
  });
  it('undecided: the card is determined before it starts and in force from its instant', () => {
    const s = foldComplaint('q1', [R]);
    const before = timeline([R], '2025-09-25T23:59:59.999+08:00');
    expect(before.decide.onTime).toBeNull();
    expect(complaintAlertsAt(before, s, before.asOf)).toEqual([]);
    expect(show(nextComplaintBoundary(before, before.asOf))).toBe('2025-09-26T00:00:00.000+08:00');
    const atDue = timeline([R], '2025-09-26T00:00:00+08:00');
    expect(complaintAlertsAt(atDue, s, atDue.asOf).map((c) => c.rule)).toEqual(['complaint-undecided']);
  });
  it('across National Day 2025 (Oct 1–8 off, Sat Oct 11 a working day): decide by Oct 11', () => {
    const tl = timeline([received('2025-09-30T16:00:00+08:00')], '2025-10-20T00:00:00+08:00');
    expect(tl.decide.byDay).toBe(parseDate('2025-10-11'));
    expect(show(tl.cards[0]?.start)).toBe('2025-10-12T00:00:00.000+08:00');
  });
});

describe('answer within complaintAnswerDays = 15 (worked examples)', () => {
  // Accepted Monday 2025-11-03: counted day 12 is Wed Nov 19, day 15 is Mon Nov 24.
  const R = received('2025-11-03T09:00:00+08:00');
  const A = acceptedC('2025-11-03T10:00:00+08:00');
  it('answered on day 15: the yellow warning from the start of day 12 until the answer, no red', () => {
    const tl = timeline([R, A, answeredC('2025-11-24T16:00:00+08:00')], '2025-12-10T00:00:00+08:00');
    expect(tl.answer?.warnAtDay).toBe(12);
    expect(tl.answer?.byDay).toBe(parseDate('2025-11-24'));
    expect(tl.answer?.usedDays).toBe(15);
    expect(tl.answer?.onTime).toBe(true);
    expect(cardsOf(tl)).toEqual([
      {
        rule: 'complaint-answer-warning',
        color: 'yellow',
        start: '2025-11-19T00:00:00.000+08:00',
        clear: '2025-11-24T16:00:00.000+08:00',
      },
    ]);
  });
  it('answered on day 16: the warning clears when red complaint-overdue starts at the end of day 15', () => {
    const tl = timeline([R, A, answeredC('2025-11-25T08:30:00+08:00')], '2025-12-10T00:00:00+08:00');
    expect(tl.answer?.onTime).toBe(false);
    expect(tl.answer?.overdueDays).toBe(1);
    expect(cardsOf(tl)).toEqual([
      {
        rule: 'complaint-answer-warning',
        color: 'yellow',
        start: '2025-11-19T00:00:00.000+08:00',
        clear: '2025-11-25T00:00:00.000+08:00',
      },
      {
        rule: 'complaint-overdue',
        color: 'red',
        start: '2025-11-25T00:00:00.000+08:00',
        clear: '2025-11-25T08:30:00.000+08:00',
      },
    ]);
  });
  it('across National Day 2025: accepted Sep 30, day 12 is Oct 23, day 15 is Oct 28', () => {
    const events = [received('2025-09-29T09:00:00+08:00'), acceptedC('2025-09-30T11:00:00+08:00')];
    const tl = timeline(events, '2025-10-29T00:00:00+08:00');
    expect(show(tl.answer?.warnAt)).toBe('2025-10-23T00:00:00.000+08:00');
    expect(tl.answer?.byDay).toBe(parseDate('2025-10-28'));
    expect(tl.answer?.usedDays).toBe(16); // T's date, Oct 29, counts: the first day past the due day
    expect(tl.answer?.overdueDays).toBe(1);
    const s = foldComplaint('q1', events);
    expect(complaintAlertsAt(tl, s, tl.asOf).map((c) => c.rule)).toEqual(['complaint-overdue']);
    const onTime = timeline([...events, answeredC('2025-10-28T23:59:00+08:00')], '2025-11-30T00:00:00+08:00');
    expect(onTime.answer?.onTime).toBe(true);
    expect(onTime.cards.map((c) => c.rule)).toEqual(['complaint-answer-warning']);
  });
  it('the policy sets both clocks (a recorded version with other days)', () => {
    const policy = { ...DEFAULT_POLICY, complaintDecideDays: 1, complaintAnswerDays: 5 };
    const tl = timeline([R, A], '2025-11-03T12:00:00+08:00', policy);
    expect(tl.decide.byDay).toBe(parseDate('2025-11-04'));
    expect(tl.answer?.byDay).toBe(parseDate('2025-11-10'));
    expect(tl.answer?.warnAtDay).toBe(4);
  });
  it('a closed complaint has no alert in force', () => {
    const events = [R, rejectedC('2025-11-10T10:00:00+08:00'), closedC('2025-11-11T10:00:00+08:00', 'basically')];
    const tl = timeline(events, '2025-12-01T00:00:00+08:00');
    expect(tl.cards.map((c) => c.rule)).toEqual(['complaint-undecided']);
    expect(complaintAlertsAt(tl, foldComplaint('q1', events), tl.asOf)).toEqual([]);
  });
});

// ---- properties ----

const START = at('2024-01-01T00:00:00+08:00');
const historyArb = fc.record({
  receivedMin: fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }),
  decideAfterH: fc.integer({ min: 0, max: 24 * 12 }),
  reject: fc.boolean(),
  answerAfterH: fc.option(fc.integer({ min: 0, max: 24 * 40 }), { nil: undefined }),
  closeAfterH: fc.option(fc.integer({ min: 0, max: 24 * 5 }), { nil: undefined }),
});
type Gen = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

/** The events of a generated history, with their instants, written in `zone`'s offset. */
function eventsOf(g: Gen, zone = ZONE): { at: number; event: ComplaintEvent }[] {
  const out: { at: number; event: ComplaintEvent }[] = [];
  const push = (t: number, type: string, extra: Record<string, unknown> = {}) =>
    out.push({ at: t, event: complaintEvent(type, formatInstant(t, zone), extra) });
  const r = START + g.receivedMin * MS_PER_MINUTE;
  push(r, 'ComplaintReceived', { channel: 'online', centerId: 'c1', subject: 's' });
  const d = r + g.decideAfterH * MS_PER_HOUR;
  if (g.reject) push(d, 'ComplaintRejected', { reason: 'r' });
  else push(d, 'ComplaintAccepted');
  let last = d;
  if (!g.reject && g.answerAfterH !== undefined) {
    last = d + g.answerAfterH * MS_PER_HOUR;
    push(last, 'ComplaintAnswered', { finding: 'partly' });
  }
  if (g.closeAfterH !== undefined && (g.reject || g.answerAfterH !== undefined))
    push(last + g.closeAfterH * MS_PER_HOUR, 'ComplaintClosed', { satisfaction: 'satisfied' });
  return out;
}
const asOf = (h: { at: number; event: ComplaintEvent }[], t: number) =>
  foldComplaint(
    'q1',
    h.filter((e) => e.at <= t).map((e) => e.event),
  );

describe('complaint clocks: properties', () => {
  it('the due day is counted day n (a working day for n ≥ 1) and additivity: n + m = m counted after n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (min, n, m) => {
          const events = [
            received(formatInstant(START + min * MS_PER_MINUTE, ZONE)),
            acceptedC(formatInstant(START + min * MS_PER_MINUTE, ZONE)),
          ];
          const T = START + min * MS_PER_MINUTE;
          const with_ = (decide: number, answer: number) =>
            timeline(events, T, { ...DEFAULT_POLICY, complaintDecideDays: decide, complaintAnswerDays: answer });
          const a = with_(n, n);
          const ab = with_(n + m, n + m);
          expect(cal.countWorkdays(a.decide.receivedDay, a.decide.byDay)).toBe(n);
          if (n >= 1) expect(cal.isWorkday(a.decide.byDay)).toBe(true);
          expect(ab.decide.byDay).toBe(m === 0 ? a.decide.byDay : cal.nthWorkdayAfter(a.decide.byDay, m));
          expect(ab.answer?.byDay).toBe(m === 0 ? a.answer?.byDay : cal.nthWorkdayAfter(a.answer?.byDay as number, m));
        },
      ),
    );
  });

  it('offsets: the same instants written in another zone give the same timeline', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'),
        fc.nat(60 * 24 * 60),
        (g, zone, later) => {
          const h = eventsOf(g);
          const T = (h[h.length - 1]?.at as number) + later * MS_PER_MINUTE;
          const a = complaintTimelineOf(asOf(h, T), T, DEFAULT_POLICY, cal);
          const b = complaintTimelineOf(asOf(eventsOf(g, zone), T), T, DEFAULT_POLICY, cal);
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it('replaying the events again gives the same state and cards', () => {
    fc.assert(
      fc.property(historyArb, (g) => {
        const events = eventsOf(g).map((e) => e.event);
        const T = at('2027-01-01T00:00:00+08:00');
        const once = foldComplaint('q1', events);
        const twice = foldComplaint('q1', events);
        expect(twice).toEqual(once);
        expect(complaintTimelineOf(twice, T, DEFAULT_POLICY, cal)).toEqual(
          complaintTimelineOf(once, T, DEFAULT_POLICY, cal),
        );
      }),
    );
  });

  it('the alerts at t from the events by t equal those of the whole history at t, and change only at the boundaries', () => {
    fc.assert(
      fc.property(historyArb, fc.array(fc.nat(50 * 24 * 60), { minLength: 1, maxLength: 8 }), (g, offsets) => {
        const h = eventsOf(g);
        const r = h[0]?.at as number;
        const full = foldComplaint(
          'q1',
          h.map((e) => e.event),
        );
        const fullTl = complaintTimelineOf(
          full,
          at('2027-06-01T00:00:00+08:00'),
          DEFAULT_POLICY,
          cal,
        ) as ComplaintTimeline;
        for (const off of offsets) {
          const t = r + off * MS_PER_MINUTE;
          const s = asOf(h, t);
          const tl = complaintTimelineOf(s, t, DEFAULT_POLICY, cal) as ComplaintTimeline;
          const now = complaintAlertsAt(tl, s, t).map((c) => c.rule);
          expect(now).toEqual(complaintAlertsAt(fullTl, full, t).map((c) => c.rule));
          // Just before the next boundary (with no event in between) nothing has changed yet.
          const next = nextComplaintBoundary(tl, t);
          const nextEvent = h.find((e) => e.at > t)?.at;
          const until = Math.min(next ?? Number.POSITIVE_INFINITY, nextEvent ?? Number.POSITIVE_INFINITY) - 1;
          if (Number.isFinite(until) && until > t)
            expect(complaintAlertsAt(tl, s, until).map((c) => c.rule)).toEqual(now);
        }
      }),
    );
  });
});
