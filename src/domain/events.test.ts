import { describe, expect, it } from 'vitest';
import { decodeCaseEvent } from './events.js';
import { decide } from './decide.js';
import { initialCaseState } from './evolve.js';
import { parseInstant } from './time.js';

const body = (occurredAt: string) => ({
  type: 'CaseAccepted',
  eventId: '6f1c1f4e-1111-4111-8111-111111111111',
  caseId: 'X1',
  occurredAt,
  actor: 'a',
  centerId: 'c',
  departmentId: 'd',
  matterCode: 'm',
  kind: 'promised',
  promisedDays: 5,
  channel: 'window',
});

describe('decodeCaseEvent occurredAt', () => {
  it('rejects a date that does not exist (Date.parse would roll it over), naming occurredAt', () => {
    for (const text of ['2025-02-30T10:00:00+08:00', '2025-02-29T10:00:00Z', '2024-04-31T10:00:00+08:00']) {
      const r = decodeCaseEvent(body(text));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.field)).toContain('occurredAt');
    }
  });

  it('whatever decodes, decide can read', () => {
    const r = decodeCaseEvent(body('2024-02-29T10:00:00+08:00'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(() => decide(initialCaseState('X1'), r.event, parseInstant('2024-03-01T00:00:00Z'))).not.toThrow();
  });
});
