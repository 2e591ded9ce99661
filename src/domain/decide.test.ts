import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decide, type DomainError } from './decide.js';
import { initialCaseState } from './evolve.js';
import { parseInstant } from './time.js';
import { accepted, completed, escalated, fold, paused, resumed } from './testing/fixtures.js';
import type { CaseEvent } from './events.js';
import type { CaseState } from './types.js';

const ID = 'C-1';
const NOW = parseInstant('2025-03-10T12:00:00+08:00');
const acc = accepted(ID, '2025-03-03T09:00:00+08:00', 5);
const open = fold(ID, [acc]);
const withPause = fold(ID, [acc, paused(ID, '2025-03-04T09:00:00+08:00', 'p1')]);
const resumedState = fold(ID, [
  acc,
  paused(ID, '2025-03-04T09:00:00+08:00', 'p1'),
  resumed(ID, '2025-03-05T09:00:00+08:00', 'p1'),
]);
const done = fold(ID, [acc, completed(ID, '2025-03-06T09:00:00+08:00')]);

function rejected(state: CaseState, event: CaseEvent, now = NOW): DomainError {
  const r = decide(state, event, now);
  if (E.isRight(r)) throw new Error('expected a rejection');
  return r.left;
}
const ok = (state: CaseState, event: CaseEvent, now = NOW) => expect(decide(state, event, now)).toEqual(E.right(event));
const later = '2025-03-07T09:00:00+08:00';

describe('decide: transitions (409)', () => {
  it('first event must be CaseAccepted', () => {
    ok(initialCaseState(ID), acc);
    const e = rejected(initialCaseState(ID), paused(ID, later, 'p1'));
    expect(e.code).toBe('transition-not-allowed');
    expect(e.message).toContain('has not been accepted');
  });
  it('CaseAccepted only once', () => {
    expect(rejected(open, accepted(ID, later, 5))).toMatchObject({
      code: 'transition-not-allowed',
      message: expect.stringContaining('already accepted'),
    });
  });
  it('CasePaused needs an open case and an unused pauseId', () => {
    ok(open, paused(ID, later, 'p1'));
    ok(withPause, paused(ID, later, 'p2')); // parallel pauses
    expect(rejected(resumedState, paused(ID, later, 'p1')).message).toContain('pause p1 was already used');
    expect(rejected(done, paused(ID, later, 'p9')).message).toContain('is completed');
  });
  it('CaseResumed needs that pause open', () => {
    ok(withPause, resumed(ID, later, 'p1'));
    expect(rejected(open, resumed(ID, later, 'p1'))).toMatchObject({
      code: 'transition-not-allowed',
      message: expect.stringContaining('pause p1 is not open'),
    });
    expect(rejected(resumedState, resumed(ID, later, 'p1')).message).toContain('already resumed');
  });
  it('CaseEscalated needs an open case', () => {
    ok(open, escalated(ID, later));
    ok(withPause, escalated(ID, later));
    expect(rejected(done, escalated(ID, later)).code).toBe('transition-not-allowed');
  });
  it('CaseCompleted needs an open case with no open pause', () => {
    ok(open, completed(ID, later));
    ok(resumedState, completed(ID, later));
    expect(rejected(withPause, completed(ID, later)).message).toContain('open pause p1');
    expect(rejected(done, completed(ID, later)).message).toContain('nothing may follow CaseCompleted');
  });
});

describe('decide: time rules (422)', () => {
  it('occurredAt may equal but not precede the last event', () => {
    ok(withPause, resumed(ID, '2025-03-04T09:00:00+08:00', 'p1'));
    const e = rejected(withPause, resumed(ID, '2025-03-04T08:59:59+08:00', 'p1'));
    expect(e.code).toBe('time-rejected');
    expect(e.message).toContain("before the case's last event at 2025-03-04T09:00:00.000+08:00");
  });
  it('occurredAt at most 5 minutes after now', () => {
    ok(open, escalated(ID, '2025-03-10T12:05:00+08:00'));
    const e = rejected(open, escalated(ID, '2025-03-10T12:05:00.001+08:00'));
    expect(e).toMatchObject({
      code: 'time-rejected',
      message: expect.stringContaining('more than 5 minutes in the future'),
    });
  });
  it('the same instant written in another offset is the same instant', () => {
    ok(withPause, resumed(ID, '2025-03-04T01:00:00Z', 'p1'));
    expect(rejected(withPause, resumed(ID, '2025-03-04T00:59:00Z', 'p1')).code).toBe('time-rejected');
  });
});
