/**
 * The cases the case-list and card-register tests share (imported by *.test.ts only):
 * 60 cases from a fixed seed over two centers and three departments, about half
 * completed, some escalated, and two recent ones not yet due at NOW.
 */
import { formatInstant, parseInstant } from '../domain/index.js';
import { ZONE, type Body } from './testSupport.js';

export const DAY = 86_400_000;
export const START = parseInstant('2025-03-03T09:00:00+08:00');
export const NOW = parseInstant('2025-06-11T10:00:00+08:00');
export const CENTERS = ['north', 'south'];
export const DEPARTMENTS = ['tax', 'land', 'health'];

/** 62 cases from a fixed seed: centers, departments, promised days, some completed. */
export function listFixture(): Body[] {
  const bodies: Body[] = [];
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed >>> 16) % n;
  };
  for (let i = 0; i < 60; i++) {
    const caseId = `${i % 3 === 0 ? 'WH' : 'gd'}-${String(i).padStart(3, '0')}`;
    const acceptedAt = START + next(75) * DAY + next(8) * 3_600_000;
    const promisedDays = [0, 1, 3, 5, 10, 20][next(6)]!;
    bodies.push({
      type: 'CaseAccepted',
      caseId,
      occurredAt: formatInstant(acceptedAt, ZONE),
      centerId: CENTERS[next(2)]!,
      departmentId: DEPARTMENTS[next(3)]!,
      matterCode: `m${next(3)}`,
      kind: promisedDays === 0 ? 'instant' : 'promised',
      promisedDays,
      channel: 'window',
    });
    if (next(7) === 0) {
      // An escalation two days in, answered or not: escalation-unanswered cards.
      bodies.push({
        type: 'CaseEscalated',
        caseId,
        occurredAt: formatInstant(acceptedAt + 2 * DAY, ZONE),
        level: 'reminder',
        by: 'office',
      });
    } else if (next(2) === 0) {
      bodies.push({
        type: 'CaseCompleted',
        caseId,
        occurredAt: formatInstant(acceptedAt + (1 + next(20)) * DAY, ZONE),
        outcome: 'approved',
      });
    }
  }
  // Two recent cases, not yet due at NOW.
  for (const caseId of ['gd-new-1', 'gd-new-2']) {
    bodies.push({
      type: 'CaseAccepted',
      caseId,
      occurredAt: formatInstant(START + 98 * DAY, ZONE),
      centerId: 'north',
      departmentId: 'tax',
      matterCode: 'm0',
      kind: 'promised',
      promisedDays: 20,
      channel: 'window',
    });
  }
  return bodies.sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt));
}
