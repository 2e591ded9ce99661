import { describe, expect, it } from 'vitest';
import type { CaseEvent } from './events.js';
import { decideSpec } from './testing/decideSpec.js';
import { accepted, completed, escalated, paused, resumed } from './testing/fixtures.js';
import { parseInstant } from './time.js';

const ID = 'C-1';
const NOW = parseInstant('2025-03-10T12:00:00+08:00');
const spec = decideSpec({ caseId: ID, now: NOW });

const acc = accepted(ID, '2025-03-03T09:00:00+08:00', 5);
const open: CaseEvent[] = [acc];
const withPause: CaseEvent[] = [acc, paused(ID, '2025-03-04T09:00:00+08:00', 'p1')];
const resumedCase: CaseEvent[] = [...withPause, resumed(ID, '2025-03-05T09:00:00+08:00', 'p1')];
const done: CaseEvent[] = [acc, completed(ID, '2025-03-06T09:00:00+08:00')];
const later = '2025-03-07T09:00:00+08:00';

/** Accepted as offered: decide appends the event itself. */
const accepts = (given: readonly CaseEvent[], event: CaseEvent) => spec.given(given).when(event).then([event]);

describe('decide: transitions (409)', () => {
  it('first event must be CaseAccepted', () => {
    accepts([], acc);
    spec
      .given([])
      .when(paused(ID, later, 'p1'))
      .thenRejected('case-not-found', 'has not been accepted');
  });
  it('CaseAccepted only once', () => {
    spec
      .given(open)
      .when(accepted(ID, later, 5))
      .thenRejected('transition-not-allowed', 'already accepted');
  });
  it('CasePaused needs an open case and an unused pauseId', () => {
    accepts(open, paused(ID, later, 'p1'));
    accepts(withPause, paused(ID, later, 'p2')); // parallel pauses
    spec
      .given(resumedCase)
      .when(paused(ID, later, 'p1'))
      .thenRejected('transition-not-allowed', 'pause p1 was already used');
    spec
      .given(done)
      .when(paused(ID, later, 'p9'))
      .thenRejected('transition-not-allowed', 'is completed');
  });
  it('CaseResumed needs that pause open', () => {
    accepts(withPause, resumed(ID, later, 'p1'));
    spec
      .given(open)
      .when(resumed(ID, later, 'p1'))
      .thenRejected('transition-not-allowed', 'pause p1 is not open');
    spec
      .given(resumedCase)
      .when(resumed(ID, later, 'p1'))
      .thenRejected('transition-not-allowed', 'already resumed');
  });
  it('CaseEscalated needs an open case', () => {
    accepts(open, escalated(ID, later));
    accepts(withPause, escalated(ID, later));
    spec.given(done).when(escalated(ID, later)).thenRejected('transition-not-allowed');
  });
  it("an explicit e<n> is only the n-th escalation's own id, so no later default is taken (session 16)", () => {
    const firstAsE2 = escalated(ID, later, 'supervision', { escalationId: 'e2' });
    const refusal = spec
      .given(open)
      .when(firstAsE2)
      .thenRejected('transition-not-allowed', 'escalationId e2 is reserved');
    expect(refusal.details).toEqual({ field: 'escalationId', ordinal: 1 });
    // Sending the default explicitly, or an id of another form, is fine.
    accepts(open, escalated(ID, later, 'reminder', { escalationId: 'e1' }));
    accepts(open, escalated(ID, later, 'reminder', { escalationId: 'dc-17' }));
    accepts(open, escalated(ID, later, 'reminder', { escalationId: 'e02' }));
    const first = escalated(ID, later, 'reminder', { escalationId: 'dc-17' });
    accepts([...open, first], escalated(ID, later, 'supervision', { escalationId: 'e2' }));
    // The 督办 after a first escalation is recorded without an id (it is e2).
    spec
      .given([...open, first])
      .when(escalated(ID, later, 'supervision'))
      .thenState({
        escalations: [
          expect.objectContaining({ escalationId: 'dc-17' }),
          expect.objectContaining({ escalationId: 'e2' }),
        ],
      });
  });
  it('CaseCompleted needs an open case with no open pause', () => {
    accepts(open, completed(ID, later));
    accepts(resumedCase, completed(ID, later));
    spec.given(withPause).when(completed(ID, later)).thenRejected('transition-not-allowed', 'open pause p1');
    spec
      .given(done)
      .when(completed(ID, later))
      .thenRejected('transition-not-allowed', 'only CaseRated and RatingFollowedUp may follow');
  });
  it('an accepted event leads to the state evolve gives it', () => {
    spec
      .given(withPause)
      .when(resumed(ID, later, 'p1'))
      .thenState({ revision: 2, pauses: [expect.objectContaining({ pauseId: 'p1', resumedAt: parseInstant(later) })] });
  });
});

describe('decide: time rules (422)', () => {
  it('occurredAt may equal but not precede the last event', () => {
    accepts(withPause, resumed(ID, '2025-03-04T09:00:00+08:00', 'p1'));
    spec
      .given(withPause)
      .when(resumed(ID, '2025-03-04T08:59:59+08:00', 'p1'))
      .thenRejected('time-rejected', "before the case's last event at 2025-03-04T09:00:00.000+08:00");
  });
  it('occurredAt at most 5 minutes after now', () => {
    accepts(open, escalated(ID, '2025-03-10T12:05:00+08:00'));
    spec
      .given(open)
      .when(escalated(ID, '2025-03-10T12:05:00.001+08:00'))
      .thenRejected('time-rejected', 'more than 5 minutes in the future');
  });
  it('the same instant written in another offset is the same instant', () => {
    accepts(withPause, resumed(ID, '2025-03-04T01:00:00Z', 'p1'));
    spec
      .given(withPause)
      .when(resumed(ID, '2025-03-04T00:59:00Z', 'p1'))
      .thenRejected('time-rejected');
  });
  it('now is the decision instant: a later now admits the same event', () => {
    const ahead = escalated(ID, '2025-03-10T12:05:00.001+08:00');
    spec
      .given(open)
      .when(ahead, { now: NOW + 1 })
      .then([ahead]);
  });
});
