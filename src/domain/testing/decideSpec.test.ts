/** The given/when/then helper must fail when the decision differs from what a test expects. */
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../time.js';
import { decideSpec } from './decideSpec.js';
import { accepted, completed, paused } from './fixtures.js';

const ID = 'S-1';
const spec = decideSpec({ caseId: ID, now: parseInstant('2025-03-10T12:00:00+08:00') });
const acc = accepted(ID, '2025-03-03T09:00:00+08:00', 5);
const pause = paused(ID, '2025-03-04T09:00:00+08:00', 'p1');

describe('decideSpec', () => {
  it('then fails when the event is rejected, naming the code and message', () => {
    expect(() => spec.given([]).when(pause).then([pause])).toThrow(
      /expected CasePaused to be accepted, but decide rejected it: case-not-found: .*has not been accepted/,
    );
  });
  it('then fails when other events are expected', () => {
    expect(() => spec.given([acc]).when(pause).then([])).toThrow();
    expect(() =>
      spec
        .given([acc])
        .when(pause)
        .then([paused(ID, '2025-03-04T09:00:00+08:00', 'p2')]),
    ).toThrow();
  });
  it('thenRejected fails when the event is accepted, or with another code or message', () => {
    expect(() => spec.given([acc]).when(pause).thenRejected('transition-not-allowed')).toThrow(
      /expected CasePaused to be rejected with transition-not-allowed, but decide accepted it/,
    );
    expect(() => spec.given([]).when(pause).thenRejected('time-rejected')).toThrow();
    expect(() => spec.given([]).when(pause).thenRejected('transition-not-allowed', 'no such words')).toThrow();
  });
  it('thenRejected returns the error for further checks', () => {
    const error = spec
      .given([acc, pause])
      .when(completed(ID, '2025-03-05T09:00:00+08:00'))
      .thenRejected('transition-not-allowed');
    expect(error.message).toContain('open pause p1');
  });
  it('thenState folds the accepted event after the given ones', () => {
    const state = spec.given([acc]).when(pause).thenState({ revision: 1 });
    expect(state.pauses.map((p) => p.pauseId)).toEqual(['p1']);
    expect(() => spec.given([acc]).when(pause).thenState({ revision: 7 })).toThrow();
  });
});
