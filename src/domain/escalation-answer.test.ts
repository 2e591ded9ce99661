import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evaluate } from './evaluate.js';
import { timelineOf } from './timeline.js';
import { alertEndedAt, alertsInForce, isInForce } from './alerts.js';
import { decideSpec } from './testing/decideSpec.js';
import { accepted, completed, decode, escalated, fold } from './testing/fixtures.js';
import { historyArb } from './testing/arbitraries.js';
import { formatInstant, MS_PER_HOUR, parseInstant } from './time.js';
import type { CaseEvent } from './events.js';

const ID = 'A-1';
const cal = defaultCalendar('Asia/Shanghai');
const answered = (occurredAt: string, escalationId: string, caseId = ID): CaseEvent =>
  decode({ type: 'CaseEscalationAnswered', caseId, occurredAt, escalationId, by: '区卫健局', note: '已整改' });
const acc = accepted(ID, '2025-03-03T09:00:00+08:00', 20);
// A reminder (3 working days) on Tue 03-04: respond by Fri 03-07, so the clock ends at 2025-03-08T00:00+08:00.
const reminder = escalated(ID, '2025-03-04T10:00:00+08:00');
const spec = decideSpec({ caseId: ID, now: parseInstant('2025-03-12T12:00:00+08:00') });
const evalAt = (events: readonly CaseEvent[], asOf = '2025-03-12T12:00:00+08:00') =>
  evaluate(fold(ID, events), parseInstant(asOf), DEFAULT_POLICY, cal)!;

describe('escalation ids', () => {
  it('default to e<n>; an explicit id is kept; the case page view names them', () => {
    const second = escalated(ID, '2025-03-05T10:00:00+08:00', 'supervision', { escalationId: 'dc-2025-17' });
    const third = escalated(ID, '2025-03-06T10:00:00+08:00', 'referral');
    const ev = evalAt([acc, reminder, second, third]);
    expect(ev.escalations.map((e) => e.escalationId)).toEqual(['e1', 'dc-2025-17', 'e3']);
  });

  it('are unique within the case (409)', () => {
    const dc = escalated(ID, '2025-03-05T10:00:00+08:00', 'reminder', { escalationId: 'dc-2025-17' });
    spec
      .given([acc, dc])
      .when(escalated(ID, '2025-03-06T10:00:00+08:00', 'reminder', { escalationId: 'dc-2025-17' }))
      .thenRejected('transition-not-allowed', 'escalation dc-2025-17 already exists');
  });

  it('a case stored before session 16 with a first escalation e2 still folds; its 2nd needs an explicit id', () => {
    const e2 = escalated(ID, '2025-03-05T10:00:00+08:00', 'reminder', { escalationId: 'e2' });
    expect(fold(ID, [acc, e2]).escalations.map((e) => e.escalationId)).toEqual(['e2']);
    spec
      .given([acc, e2])
      .when(escalated(ID, '2025-03-06T10:00:00+08:00'))
      .thenRejected('transition-not-allowed', 'escalation e2 already exists in case A-1 (the default id');
    const dc = escalated(ID, '2025-03-06T10:00:00+08:00', 'supervision', { escalationId: 'dc-1' });
    spec.given([acc, e2]).when(dc).then([dc]);
  });
});

describe('decide: CaseEscalationAnswered (回告)', () => {
  it('answers an unanswered escalation of an open case; refuses unknown, answered and completed ones', () => {
    const reply = answered('2025-03-06T10:00:00+08:00', 'e1');
    spec.given([acc, reminder]).when(reply).then([reply]);
    spec
      .given([acc, reminder])
      .when(answered('2025-03-06T10:00:00+08:00', 'e9'))
      .thenRejected('transition-not-allowed', 'has no escalation e9');
    spec
      .given([acc, reminder, reply])
      .when(answered('2025-03-07T10:00:00+08:00', 'e1'))
      .thenRejected('transition-not-allowed', 'already answered');
    spec
      .given([acc, reminder, completed(ID, '2025-03-06T10:00:00+08:00')])
      .when(answered('2025-03-07T10:00:00+08:00', 'e1'))
      .thenRejected('transition-not-allowed', 'completed');
  });
});

describe('evaluate: a reply ends the escalation clock', () => {
  it('one second before the end of the respond-by day: no card, answered on time', () => {
    const ev = evalAt([acc, reminder, answered('2025-03-07T23:59:59+08:00', 'e1')]);
    expect(ev.cards.filter((c) => c.rule === 'escalation-unanswered')).toEqual([]);
    expect(ev.escalations[0]).toMatchObject({
      escalationId: 'e1',
      respondBy: '2025-03-08T00:00:00.000+08:00',
      answeredAt: '2025-03-07T23:59:59.000+08:00',
      answeredBy: '区卫健局',
      answerNote: '已整改',
      answeredOnTime: true,
    });
  });

  it('exactly at its end (24:00): the red card starts then and stays, the reply is late', () => {
    const ev = evalAt([acc, reminder, answered('2025-03-08T00:00:00+08:00', 'e1')]);
    expect(ev.cards.filter((c) => c.rule === 'escalation-unanswered').map((c) => c.startedAt)).toEqual([
      '2025-03-08T00:00:00.000+08:00',
    ]);
    expect(ev.escalations[0]).toMatchObject({ answeredOnTime: false });
  });

  it('as of before the reply, the escalation is unanswered', () => {
    const ev = evalAt([acc, reminder, answered('2025-03-07T12:00:00+08:00', 'e1')], '2025-03-07T11:00:00+08:00');
    expect(ev.escalations[0]!.answeredAt).toBeUndefined();
  });

  it('property: a reply never creates a card (cards with replies ⊆ cards without)', () => {
    let withAReply = 0;
    fc.assert(
      fc.property(historyArb(), fc.array(fc.integer({ min: 0, max: 24 * 10 }), { maxLength: 4 }), (h, delaysH) => {
        const caseId = h.events[0]!.caseId;
        const escalations = h.events.filter((e) => e.type === 'CaseEscalated');
        const completedAt = h.events.find((e) => e.type === 'CaseCompleted');
        const last = parseInstant(h.events[h.events.length - 1]!.occurredAt);
        // Replies go at the end (occurredAt never goes backwards), one per escalation, before any completion.
        if (completedAt !== undefined || escalations.length === 0) return;
        const replies = delaysH
          .slice(0, escalations.length)
          .map((d, i) => answered(formatInstant(last + d * MS_PER_HOUR + i, 'Asia/Shanghai'), `e${i + 1}`, caseId));
        replies.sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt));
        const asOf = last + 40 * 24 * MS_PER_HOUR;
        const key = (c: { rule: string; startedAt: string; clearedAt?: string }) =>
          `${c.rule}@${c.startedAt}/${c.clearedAt ?? ''}`;
        const without = evaluate(fold(caseId, h.events), asOf, DEFAULT_POLICY, cal)!.cards.map(key);
        const withReplies = evaluate(fold(caseId, [...h.events, ...replies]), asOf, DEFAULT_POLICY, cal)!.cards.map(
          key,
        );
        for (const k of withReplies) expect(without).toContain(k);
        if (replies.length > 0) withAReply++;
      }),
      { numRuns: 200 },
    );
    expect(withAReply).toBeGreaterThan(20);
  });
});

describe('alerts: a late reply ends the escalation alert (the red card stays on record)', () => {
  it('in force from the end of the respond-by day until the reply; alertEndedAt names the reply', () => {
    const reply = answered('2025-03-10T09:00:00+08:00', 'e1');
    const s = fold(ID, [acc, reminder, reply]);
    const T = parseInstant('2025-03-12T12:00:00+08:00');
    const tl = timelineOf(s, T, DEFAULT_POLICY, cal)!;
    const card = tl.cards.find((c) => c.rule === 'escalation-unanswered')!;
    expect(card.start).toBe(parseInstant('2025-03-08T00:00:00+08:00'));
    expect(isInForce(card, s, tl, parseInstant('2025-03-09T12:00:00+08:00'))).toBe(true);
    expect(isInForce(card, s, tl, T)).toBe(false);
    expect(alertsInForce(s, tl, T).some((c) => c.rule === 'escalation-unanswered')).toBe(false);
    expect(alertEndedAt({ rule: 'escalation-unanswered', escalation: 0 }, s, tl, T)).toBe(
      parseInstant('2025-03-10T09:00:00+08:00'),
    );
  });
});
