/**
 * Catching up, a completed case waits in the settling ring with its slot in the
 * case table and is made a row when it leaves (no lookup of its id then): each
 * case leaving is made a row exactly when it is still the object held for its
 * case, whatever other cases came and went meanwhile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService, DEFAULT_POLICY, type CaseEvent } from '../domain/index.js';
import { CaseProjection } from './caseProjection.js';
import { createManualScheduler } from './scheduler.js';

const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;
const BASE = Date.UTC(2025, 8, 1, 1);

const idOf = (i: number) => `WH-20250901-${String(i).padStart(5, '0')}`;

function accepted(caseId: string, at: number): CaseEvent {
  return {
    type: 'CaseAccepted',
    caseId,
    occurredAt: new Date(at).toISOString(),
    centerId: 'wuhan',
    departmentId: 'civil-affairs',
    matterCode: 'M-1',
    kind: 'promised',
    promisedDays: 5,
    channel: 'window',
  } as unknown as CaseEvent;
}

function completed(caseId: string, at: number): CaseEvent {
  return {
    type: 'CaseCompleted',
    caseId,
    occurredAt: new Date(at).toISOString(),
    outcome: 'approved',
  } as unknown as CaseEvent;
}

function rated(caseId: string, at: number): CaseEvent {
  return {
    type: 'CaseRated',
    caseId,
    occurredAt: new Date(at).toISOString(),
    score: 5,
    channel: 'window',
  } as unknown as CaseEvent;
}

/** A catch-up (the clock a year after the events: every completed case is settled) keeping `settling` cases waiting. */
function catchUp(settling: number) {
  return new CaseProjection({
    calendarService: createCalendarService(ZONE),
    policy: DEFAULT_POLICY,
    scheduler: createManualScheduler(BASE + 365 * DAY),
    rowsInCatchUpAbove: 0,
    settlingInCatchUp: settling,
  });
}

describe('the settling ring in a catch-up', () => {
  it('cases leave the ring in the order they completed and become rows; those still waiting at goLive become rows then', () => {
    const projection = catchUp(2);
    for (let i = 0; i < 5; i++) {
      const caseId = idOf(i);
      const at = BASE + i * DAY;
      projection.applyCaseEvent(caseId, accepted(caseId, at), { revision: 0 });
      projection.applyCaseEvent(caseId, completed(caseId, at + DAY), { revision: 1 });
      expect(projection.compactedCount).toBe(Math.max(0, i + 1 - 2));
    }
    projection.goLive(BASE + 365 * DAY);
    expect(projection.compactedCount).toBe(5);
  });

  it('law: before goLive, the rows are the completed cases that left the ring, or took an event after completing; after, every one', () => {
    fc.assert(
      fc.property(
        fc.nat(4),
        fc.array(fc.tuple(fc.nat(11), fc.boolean()), { minLength: 1, maxLength: 40 }),
        (settling, script) => {
          const projection = catchUp(settling);
          // Per case: events folded; each case is accepted, completed, then rated (later events change nothing).
          const folded = new Map<number, number>();
          const ring: number[] = []; // the model of the settling ring: cases in the order they completed
          const rows = new Set<number>();
          let day = 0;
          for (const [i, openOther] of script) {
            const caseId = idOf(i);
            const n = folded.get(i) ?? 0;
            if (n >= 3) continue;
            const at = BASE + day++ * DAY;
            const event = n === 0 ? accepted(caseId, at) : n === 1 ? completed(caseId, at) : rated(caseId, at);
            projection.applyCaseEvent(caseId, event, { revision: n });
            folded.set(i, n + 1);
            if (n === 1) {
              ring.push(i);
              if (ring.length > settling) rows.add(ring.shift()!);
            } else if (n === 2) rows.add(i); // an event after completing: made a row then
            if (openOther) {
              // A case that never completes, taking a slot between the others.
              const other = idOf(100 + day);
              projection.applyCaseEvent(other, accepted(other, at), { revision: 0 });
            }
            expect(projection.compactedCount).toBe(rows.size);
          }
          projection.goLive(BASE + 365 * DAY);
          const completedCases = Array.from(folded.values()).filter((n) => n >= 2).length;
          expect(projection.compactedCount).toBe(completedCases);
        },
      ),
      { numRuns: 200 },
    );
  });
});
