/**
 * complaint-late-record: the case rule late-record (SPEC §3) for complaint events (SPEC §8 is
 * silent; docs/complaints.md). One yellow card per event recorded more than `lateRecordHours`
 * after it occurred, from its recordedAt, never cleared on record; on the board until closure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../calendar/index.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { formatInstant, MS_PER_HOUR, MS_PER_MINUTE, parseInstant } from '../time.js';
import type { ComplaintEvent } from './events.js';
import { evolveComplaint, initialComplaintState, type ComplaintEvolveOptions, type ComplaintState } from './evolve.js';
import { complaintAlertsAt, complaintLateRecordOf, complaintTimelineOf, recordedClear } from './timeline.js';
import { acceptedC, answeredC, assignedC, closedC, complaintEvent, received } from './testing.js';

const cal = defaultCalendar();
const ZONE = 'Asia/Shanghai';
const ms = (iso: string) => parseInstant(iso);
const show = (t: number | undefined) => (t === undefined ? undefined : formatInstant(t, ZONE));

/** Folds events each with its recordedAt, as the read model does. */
function foldRecorded(
  events: readonly { event: ComplaintEvent; recordedAt: number }[],
  options: ComplaintEvolveOptions = {},
): ComplaintState {
  let s = initialComplaintState('q1');
  for (const { event, recordedAt } of events) s = evolveComplaint(s, event, { recordedAt }, options);
  return s;
}

const lateCards = (s: ComplaintState, T: number, policy: Policy = DEFAULT_POLICY) =>
  (complaintTimelineOf(s, T, policy, cal)?.cards ?? []).filter((c) => c.rule === 'complaint-late-record');

// Received and accepted Monday 2025-11-03 (recorded at once); the answer is due by the end of 11-24.
const R = received('2025-11-03T09:00:00+08:00');
const A = acceptedC('2025-11-03T10:00:00+08:00');
const onTime = (e: ComplaintEvent) => ({ event: e, recordedAt: ms(e.occurredAt) + 5 * MS_PER_MINUTE });

describe('complaint-late-record (worked examples)', () => {
  it('an answer recorded 3 days after it occurred, after the answer deadline: a yellow card from its recording, never cleared', () => {
    const answer = answeredC('2025-11-24T09:00:00+08:00');
    const K = ms('2025-11-27T09:00:00+08:00');
    const s = foldRecorded([onTime(R), onTime(A), { event: answer, recordedAt: K }]);
    const T = ms('2025-12-31T00:00:00+08:00');
    const [card, ...more] = lateCards(s, T);
    expect(more).toEqual([]);
    expect({ ...card, start: show(card?.start) }).toEqual({
      rule: 'complaint-late-record',
      color: 'yellow',
      start: '2025-11-27T09:00:00.000+08:00',
      lateRecord: 0,
    });
    expect(recordedClear(card!, T)).toBeUndefined();
    expect(complaintLateRecordOf(s, card!)).toEqual({ eventType: 'ComplaintAnswered', revision: 2, delayHours: 72 });
    // The answer occurred in time: the back-dated record took the red card away; this card is what is left of it.
    expect(complaintTimelineOf(s, T, DEFAULT_POLICY, cal)?.cards.map((c) => c.rule)).toEqual([
      'complaint-answer-warning',
      'complaint-late-record',
    ]);
  });

  it('strictly more than lateRecordHours: 24 h late raises none, 24 h and 1 ms one', () => {
    const answer = answeredC('2025-11-10T09:00:00+08:00');
    const at = ms(answer.occurredAt);
    const T = ms('2025-12-31T00:00:00+08:00');
    expect(
      lateCards(foldRecorded([onTime(R), onTime(A), { event: answer, recordedAt: at + 24 * MS_PER_HOUR }]), T),
    ).toEqual([]);
    expect(
      lateCards(foldRecorded([onTime(R), onTime(A), { event: answer, recordedAt: at + 24 * MS_PER_HOUR + 1 }]), T),
    ).toHaveLength(1);
  });

  it("the complaint's policy sets the threshold; the fold keeps what the lowest threshold of any version needs", () => {
    const answer = answeredC('2025-11-10T09:00:00+08:00');
    const late = { event: answer, recordedAt: ms(answer.occurredAt) + 10 * MS_PER_HOUR };
    const T = ms('2025-12-31T00:00:00+08:00');
    const strict: Policy = { ...DEFAULT_POLICY, lateRecordHours: 6 };
    // Kept only when the fold is told of a threshold that low (the case fold's PolicyBook.evolveOptions).
    expect(lateCards(foldRecorded([onTime(R), onTime(A), late]), T, strict)).toEqual([]);
    const kept = foldRecorded([onTime(R), onTime(A), late], { lateRecordHours: 6 });
    expect(lateCards(kept, T, strict)).toHaveLength(1);
    expect(lateCards(kept, T, DEFAULT_POLICY)).toEqual([]);
  });

  it('one card per late event; in force (on the board) until the complaint is closed, as a case late-record until completion', () => {
    const events = [
      onTime(R),
      { event: A, recordedAt: ms('2025-11-05T09:00:00+08:00') },
      { event: assignedC('2025-11-04T08:00:00+08:00'), recordedAt: ms('2025-11-05T09:00:00+08:00') }, // 25 h
      onTime(answeredC('2025-11-06T09:00:00+08:00')),
    ];
    const s = foldRecorded(events);
    const T = ms('2025-11-07T00:00:00+08:00');
    const tl = complaintTimelineOf(s, T, DEFAULT_POLICY, cal)!;
    expect(lateCards(s, T).map((c) => [c.lateRecord, show(c.start)])).toEqual([
      [0, '2025-11-05T09:00:00.000+08:00'],
      [1, '2025-11-05T09:00:00.000+08:00'],
    ]);
    expect(complaintAlertsAt(tl, s, T).map((c) => c.rule)).toEqual(['complaint-late-record', 'complaint-late-record']);
    const closed = foldRecorded([...events, onTime(closedC('2025-11-06T10:00:00+08:00'))]);
    const after = complaintTimelineOf(closed, T, DEFAULT_POLICY, cal)!;
    expect(complaintAlertsAt(after, closed, T)).toEqual([]);
    expect(lateCards(closed, T)).toHaveLength(2); // on record still
  });
});

/** A complaint's events in stream order, each recorded 0–96 h after it occurred (recordings never go back). */
const historyArb = fc
  .record({
    startMin: fc.integer({ min: 0, max: 365 * 24 * 60 }),
    gapsH: fc.array(fc.integer({ min: 0, max: 24 * 8 }), { minLength: 5, maxLength: 5 }),
    assignments: fc.integer({ min: 0, max: 2 }),
    delaysMin: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 96 * 60 })), {
      minLength: 7,
      maxLength: 7,
    }),
  })
  .map((g) => {
    let t = ms('2025-01-01T00:00:00+08:00') + g.startMin * MS_PER_MINUTE;
    const types: [string, Record<string, unknown>][] = [
      ['ComplaintReceived', { channel: 'online', centerId: 'c1', subject: 's' }],
      ['ComplaintAccepted', {}],
      ...Array.from({ length: g.assignments }, (): [string, Record<string, unknown>] => [
        'ComplaintAssigned',
        { departmentId: 'd2' },
      ]),
      ['ComplaintAnswered', { finding: 'partly' }],
      ['ComplaintClosed', {}],
    ];
    let recorded = Number.NEGATIVE_INFINITY;
    return types.map(([type, extra], i) => {
      t += (g.gapsH[i] ?? 0) * MS_PER_HOUR;
      recorded = Math.max(recorded, t + g.delaysMin[i]! * MS_PER_MINUTE);
      return { event: complaintEvent(type, formatInstant(t, ZONE), extra), at: t, recordedAt: recorded };
    });
  });

describe('complaint-late-record: properties', () => {
  it('an event raises a card iff recordedAt − occurredAt > lateRecordHours; the card starts at its recording, yellow, never cleared', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 72 }), (history, hours) => {
        const policy: Policy = { ...DEFAULT_POLICY, lateRecordHours: hours };
        const s = foldRecorded(history, { lateRecordHours: hours });
        const T = history.at(-1)!.recordedAt + 400 * 24 * MS_PER_HOUR;
        const cards = lateCards(s, T, policy);
        const expected = history
          .map((e, revision) => ({ ...e, revision }))
          .filter((e) => e.recordedAt - e.at > hours * MS_PER_HOUR);
        expect(cards.map((c) => [c.start, complaintLateRecordOf(s, c)?.revision])).toEqual(
          expected.map((e) => [e.recordedAt, e.revision]),
        );
        for (const c of cards) {
          expect([c.color, c.clear, recordedClear(c, T)]).toEqual(['yellow', undefined, undefined]);
          expect(complaintLateRecordOf(s, c)?.eventType).toBe(
            history[complaintLateRecordOf(s, c)!.revision]!.event.type,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('as known at K: the late-record cards are those of the events recorded by K, none from one recorded later', () => {
    fc.assert(
      fc.property(historyArb, fc.nat(30 * 24 * 60), (history, offsetMin) => {
        const K = history[0]!.at + offsetMin * MS_PER_MINUTE;
        const T = history.at(-1)!.recordedAt + 24 * MS_PER_HOUR;
        const known = foldRecorded(history.filter((e) => e.recordedAt <= K)); // the stream's prefix recorded by K
        const all = foldRecorded(history);
        const key = (s: ComplaintState) => (c: { start: number; lateRecord?: number }) =>
          `${c.start} ${complaintLateRecordOf(s, c)?.revision}`;
        const knownCards = lateCards(known, T);
        for (const c of knownCards) expect(c.start).toBeLessThanOrEqual(K);
        expect(knownCards.map(key(known))).toEqual(
          lateCards(all, T)
            .filter((c) => c.start <= K)
            .map(key(all)),
        );
      }),
      { numRuns: 300 },
    );
  });
});
