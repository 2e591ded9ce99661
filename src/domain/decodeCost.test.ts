/**
 * decodeCaseEvent's cost with a body stuffed with unknown fields (issue 13: 20
 * bodies of 30,000 unknown fields kept the engine busy for ~150 ms each): the
 * answer names the first 20 and counts the rest from one listing of the body's
 * keys; the codec (whose t.exact listed and walked them all again) sees the
 * known fields only, and no unknown field's value is read. Counted, never timed.
 */
import { describe, expect, it } from 'vitest';
import { decodeCaseEvent } from './events.js';

describe('decodeCaseEvent with many unknown fields', () => {
  it('answers from one listing of the field names: the codec does not walk them again, no value is read', () => {
    const body: Record<string, unknown> = {
      type: 'CaseAccepted',
      caseId: 'JUNK-1',
      occurredAt: '2026-11-30T09:00:00+08:00',
      centerId: 'c',
      departmentId: 'd',
      matterCode: 'm',
      kind: 'promised',
      promisedDays: 1,
      channel: 'window',
    };
    for (let i = 0; i < 30_000; i++) body[`junk${i}`] = i;
    const counts = { listings: 0, unknownValuesRead: 0 };
    const counted = new Proxy(body, {
      ownKeys: (target) => {
        counts.listings++;
        return Reflect.ownKeys(target);
      },
      get: (target, key, receiver) => {
        if (typeof key === 'string' && key.startsWith('junk')) counts.unknownValuesRead++;
        return Reflect.get(target, key, receiver);
      },
    });
    const decoded = decodeCaseEvent(counted);
    expect(decoded.ok).toBe(false);
    const errors = decoded.ok ? [] : decoded.errors;
    expect(errors.map((e) => e.field)).toEqual(['junk0', '(body)']);
    expect(errors[1]?.message).toMatch(/^29999 more unknown fields: junk1, .*, junk19, and 29980 not named$/);
    expect(counts).toEqual({ listings: 1, unknownValuesRead: 0 }); // before: listed twice
  });

  it('still reports a malformed known field beside the unknown ones', () => {
    const decoded = decodeCaseEvent({
      type: 'CasePaused',
      caseId: 'JUNK-2',
      occurredAt: '2026-11-30T09:00:00+08:00',
      pauseId: 'p1',
      reason: 'no-such-reason',
      catgory: 'x',
    });
    expect(decoded.ok ? [] : decoded.errors.map((e) => e.field)).toEqual(['catgory', 'reason']);
  });
});
