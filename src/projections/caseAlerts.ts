/**
 * A case's alerts as the board shows them: views of the cards the domain's
 * alert law says are in force, and the diff against what was published before
 * (raise the new or changed, clear the gone with the instant they ended).
 * Which cards are alerts, and their details, is the domain's (alerts.ts).
 */
import {
  alertEndedAt,
  alertsInForce,
  cardDetails,
  formatInstant,
  withdrawalDetails,
  type CaseState,
  type EpochMs,
  type RawCard,
  type Timeline,
} from '../domain/index.js';
import type { AlertBoard } from './alertBoard.js';
import type { AlertView, CaseAlertView } from './types.js';

export const EMPTY_ALERTS: readonly CaseAlertView[] = [];

/** What the views are stamped with: the calendar and policy versions used, and the zone of `startedAt`. */
export interface AlertStamp {
  readonly zone: string;
  readonly calendarVersion: string;
  readonly policyVersion: string;
}

/**
 * A string built by concatenation is a rope (a tree of cons cells, ~32 bytes
 * each); strings kept for long are flattened once so the rope can be freed.
 * Converting to a number makes V8 flatten the string in place.
 */
function flat(s: string): string {
  Number(s);
  return s;
}

function cardSuffix(c: RawCard): string {
  if (c.pauseId !== undefined) return `${c.rule}/${c.pauseId}`;
  if (c.escalation !== undefined) return `${c.rule}/${c.escalation}`;
  if (c.lateRecord !== undefined) return `${c.rule}/${c.lateRecord}`;
  return c.rule;
}

/** The alerts of case `caseId` in force at `now`, as board views. */
export function alertViewsOf(
  caseId: string,
  s: CaseState,
  tl: Timeline,
  now: EpochMs,
  stamp: AlertStamp,
): readonly CaseAlertView[] {
  const inForce = alertsInForce(s, tl, now);
  if (inForce.length === 0) return EMPTY_ALERTS;
  const a = s.accepted!;
  // The alerts a boundary raises mostly start at that one instant (999 escalations answerable the same
  // day): one string for them all, not one each for the heap to keep.
  let lastStart = Number.NaN;
  let startedAt = '';
  const startText = (start: EpochMs): string => {
    if (start !== lastStart) {
      lastStart = start;
      startedAt = flat(formatInstant(start, stamp.zone));
    }
    return startedAt;
  };
  return inForce.map(
    (c): CaseAlertView =>
      // One literal with every field (absent ones undefined, which JSON omits): one hidden class, all in-object.
      ({
        key: flat(`${caseId}/${cardSuffix(c)}`),
        subject: 'case',
        caseId,
        rule: c.rule,
        color: c.color,
        centerId: a.centerId,
        departmentId: a.departmentId,
        matterCode: a.matterCode,
        matterName: a.matterName,
        startedAt: startText(c.start),
        pauseId: c.pauseId,
        escalation: c.escalation,
        calendarVersion: stamp.calendarVersion,
        policyVersion: stamp.policyVersion,
        provisional: tl.provisional ? true : undefined,
        details: cardDetails(c, s, tl),
      }) as CaseAlertView,
  );
}

/**
 * Publish the change from `previous` to `next` on the board: clear what is no
 * longer in force (at the instant it ended, or `eventAt` when a recomputation
 * withdrew it), raise what is new or changed. `s` and `tl` are the case's
 * state and timeline when it has one (an unaccepted case has neither).
 */
export function publishAlertChanges(
  board: AlertBoard,
  previous: readonly AlertView[],
  next: readonly AlertView[],
  eventAt: EpochMs,
  zone: string,
  s?: CaseState,
  tl?: Timeline,
): void {
  if (previous.length === 0 && next.length === 0) return;
  const withdrawal = s !== undefined && tl !== undefined ? withdrawalDetails(s, tl, eventAt) : undefined;
  for (const old of previous) {
    if (next.some((n) => n.key === old.key)) continue;
    const at =
      s !== undefined && tl !== undefined && old.subject === 'case' ? alertEndedAt(old, s, tl, eventAt) : eventAt;
    // An alert withdrawn while a back-dated pause is on the case says so (the pause may be what hid it).
    board.clear(old.key, formatInstant(at, zone), withdrawal && { ...old.details, ...withdrawal });
  }
  for (const n of next)
    board.update(
      previous.find((p) => p.key === n.key),
      n,
    );
}
