/**
 * planGroup's cost is linear in the group, however long the case (issue 13:
 * 1000 escalations to one case were decided and evolved in O(n²): an array copy
 * and two scans of the case's escalations per event). Counted, never timed: the
 * base case's escalations count how often their ids are read.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_CASE_EVENTS } from '../domain/decide.js';
import { evolve, initialCaseState } from '../domain/evolve.js';
import type { CaseEvent } from '../domain/events.js';
import type { CaseState, EscalationState } from '../domain/types.js';
import { planGroup, type WriteEvent } from './planGroup.js';

const ID = 'G-1';
const T0 = Date.parse('2026-11-30T09:00:00+08:00');
const at = (ms: number) => new Date(ms).toISOString();

describe('planGroup', () => {
  it('decides k escalations on a case of m reading each of its escalation ids a bounded number of times', () => {
    const m = 400;
    const k = MAX_CASE_EVENTS - m - 1; // fills the case to its last event
    let reads = 0;
    const escalation = (i: number): EscalationState => {
      const e = { level: 'reminder', at: T0, by: 'office' } as Record<string, unknown>;
      Object.defineProperty(e, 'escalationId', {
        enumerable: true,
        get: () => {
          reads++;
          return `e${i + 1}`;
        },
      });
      return e as unknown as EscalationState;
    };
    const accepted = evolve(
      initialCaseState(ID),
      {
        type: 'CaseAccepted',
        caseId: ID,
        occurredAt: at(T0),
        centerId: 'c',
        departmentId: 'd',
        matterCode: 'm',
        kind: 'promised',
        promisedDays: 5,
        channel: 'window',
      } as unknown as CaseEvent,
      { revision: 0 },
    );
    const base: CaseState = {
      ...accepted,
      revision: m,
      escalations: Array.from({ length: m }, (_, i) => escalation(i)),
    };
    const events = Array.from(
      { length: k + 1 },
      () =>
        ({
          type: 'CaseEscalated',
          caseId: ID,
          eventId: randomUUID(),
          occurredAt: at(T0 + 60_000),
          level: 'reminder',
          by: 'office',
        }) as unknown as WriteEvent,
    );
    const plan = planGroup(
      { caseId: ID, events },
      { fresh: false, state: base, eventIds: new Set() },
      { now: T0 + 3_600_000, mayWriteCenter: () => true, decideOptions: {}, storedSomewhere: new Set() },
    );
    expect(plan?.pending).toHaveLength(k);
    expect([...(plan?.answered.values() ?? [])].map((r) => r.kind === 'rejected' && r.code)).toEqual(['case-too-long']);
    expect(plan?.after.escalations).toHaveLength(m + k);
    expect(plan?.after.revision).toBe(MAX_CASE_EVENTS - 1);
    expect(base.escalations).toHaveLength(m); // the basis (the write cache's state) is not changed
    // Indexed once (m reads), not scanned per event (decide and evolve: about 2 × k × m = 480,000).
    expect(reads).toBeLessThanOrEqual(2 * m);
  });
});
