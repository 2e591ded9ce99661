/**
 * The state a /history row shows after each event: the case's timing facts at
 * that instant, in a few fields, so a row's size does not grow with the case
 * (the full evaluation carries every pause, escalation and card, which made a
 * 1000-event history 70 MB). The cards are rows of their own in the history.
 */
import {
  evaluate,
  type CaseState,
  type CaseStatus,
  type EpochMs,
  type Policy,
  type TimingCalendar,
} from '../domain/index.js';

export interface StateSummary {
  readonly status: CaseStatus;
  readonly deadlineDate: string;
  readonly dueAt: string;
  readonly usedDays: number;
  readonly remainingDays: number;
  readonly overdueDays: number;
  readonly provisional: boolean;
  readonly onTime: boolean | null;
  readonly early: boolean | null;
  /** How many pauses (and of them open) and escalations the case has by then. */
  readonly pauses: number;
  readonly openPauses: number;
  readonly escalations: number;
}

/**
 * The summary of `state` at `at`. Escalations and late records only ever add
 * cards, never move the deadline or the counters, so they are left out of the
 * evaluation: its cost is then the pauses', not the whole case's.
 */
export function summarize(state: CaseState, at: EpochMs, policy: Policy, calendar: TimingCalendar): StateSummary {
  const timing: CaseState = { ...state, escalations: [], lateRecords: [] };
  const e = evaluate(timing, at, policy, calendar);
  if (e === null) throw new Error(`case ${state.caseId} has no acceptance by ${new Date(at).toISOString()}`);
  return {
    status: e.status,
    deadlineDate: e.deadlineDate,
    dueAt: e.dueAt,
    usedDays: e.usedDays,
    remainingDays: e.remainingDays,
    overdueDays: e.overdueDays,
    provisional: e.provisional,
    onTime: e.onTime,
    early: e.early,
    pauses: e.pauses.length,
    openPauses: e.pauses.filter((p) => p.open).length,
    escalations: state.escalations.length,
  };
}
