/** Test helpers: build events and states tersely. Not used by production code. */
import type { CaseEvent } from '../events.js';
import type { CaseState, EventMeta } from '../types.js';
import { evolve, initialCaseState } from '../evolve.js';
import { decodeCaseEvent } from '../events.js';

export function decode(json: unknown): CaseEvent {
  const r = decodeCaseEvent(json);
  if (!r.ok) throw new Error(`bad test event: ${JSON.stringify(r.errors)}`);
  return r.event;
}

export function accepted(
  caseId: string,
  occurredAt: string,
  promisedDays: number,
  kind = promisedDays === 0 ? 'instant' : 'promised',
): CaseEvent {
  return decode({
    type: 'CaseAccepted',
    caseId,
    occurredAt,
    centerId: 'c1',
    departmentId: 'd1',
    matterCode: 'M1',
    kind,
    promisedDays,
    channel: 'window',
  });
}

export const paused = (caseId: string, occurredAt: string, pauseId: string, extra: Record<string, unknown> = {}) =>
  decode({ type: 'CasePaused', caseId, occurredAt, pauseId, reason: 'testing', ...extra });
export const resumed = (caseId: string, occurredAt: string, pauseId: string) =>
  decode({ type: 'CaseResumed', caseId, occurredAt, pauseId });
export const escalated = (
  caseId: string,
  occurredAt: string,
  level = 'reminder',
  extra: Record<string, unknown> = {},
) => decode({ type: 'CaseEscalated', caseId, occurredAt, level, by: 'office', ...extra });
export const completed = (caseId: string, occurredAt: string) =>
  decode({ type: 'CaseCompleted', caseId, occurredAt, outcome: 'approved' });

/** Fold events with revisions 0, 1, …; `recorded[i]` sets recordedAt of event i. */
export function fold(
  caseId: string,
  events: readonly CaseEvent[],
  recorded: readonly (number | undefined)[] = [],
): CaseState {
  let s = initialCaseState(caseId);
  events.forEach((e, i) => {
    const r = recorded[i];
    const meta: EventMeta = r === undefined ? { revision: i } : { revision: i, recordedAt: r };
    s = evolve(s, e, meta);
  });
  return s;
}

export const rated = (caseId: string, occurredAt: string, score: number, extra: Record<string, unknown> = {}) =>
  decode({ type: 'CaseRated', caseId, occurredAt, score, channel: 'sms', ...extra });
export const followedUp = (caseId: string, occurredAt: string, extra: Record<string, unknown> = {}) =>
  decode({ type: 'RatingFollowedUp', caseId, occurredAt, note: '已回访', ...extra });
