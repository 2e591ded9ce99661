/**
 * Complaint figures of a period `[from, to)` of local dates (SPEC §8), each
 * event counted on its own local date (flow): received, accepted, rejected,
 * answered, closed; closedRate = closed / accepted (Haikou's 2,333 / 2,344 =
 * 0.9953), counting in the numerator the closures of accepted complaints only
 * (a rejected complaint is closed too, but was never accepted: it would push the
 * rate past 1); answeredOnTimeRate = answers in the period given by the due instant /
 * answers in the period; substantiated answers by department; satisfactionRate =
 * (satisfied + basically) / closures in the period that carry a satisfaction.
 * Rates round as /stats does (rate of stats.ts: 4 decimals, null on a zero base).
 */
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import type { ComplaintTimeline } from '../../domain/complaints/timeline.js';
import type { EpochDay, EpochMs } from '../../domain/types.js';
import { rate } from '../stats.js';

export interface ComplaintFigures {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly answered: number;
  readonly closed: number;
  readonly closedRate: number | null;
  readonly answeredOnTimeRate: number | null;
  /** Substantiated (or partly substantiated) findings answered in the period, by the department in charge. */
  readonly substantiated: Readonly<Record<string, { readonly substantiated: number; readonly partly: number }>>;
  readonly satisfactionRate: number | null;
}

export interface ComplaintPeriod {
  readonly from: EpochDay;
  readonly to: EpochDay;
  /** Local date of an instant (the calendar's zone). */
  readonly dayOf: (at: EpochMs) => EpochDay;
  /** The complaint's clocks (answer due instant) as the read model computes them. */
  readonly timelineOf: (s: ComplaintState) => ComplaintTimeline | null;
}

export function complaintFigures(complaints: Iterable<ComplaintState>, p: ComplaintPeriod): ComplaintFigures {
  const inPeriod = (at: EpochMs | undefined): boolean => {
    if (at === undefined) return false;
    const d = p.dayOf(at);
    return d >= p.from && d < p.to;
  };
  let received = 0;
  let accepted = 0;
  let rejected = 0;
  let answered = 0;
  let answeredOnTime = 0;
  let closed = 0;
  let closedAccepted = 0;
  let rated = 0;
  let satisfied = 0;
  const substantiated: Record<string, { substantiated: number; partly: number }> = {};
  for (const s of complaints) {
    if (inPeriod(s.received?.at)) received++;
    if (inPeriod(s.acceptedAt)) accepted++;
    if (inPeriod(s.rejected?.at)) rejected++;
    if (s.answered !== undefined && inPeriod(s.answered.at)) {
      answered++;
      const due = p.timelineOf(s)?.answer?.dueAt;
      if (due !== undefined && s.answered.at < due) answeredOnTime++;
      const f = s.answered.finding;
      if (f !== 'unsubstantiated') {
        const row = (substantiated[s.departmentId ?? '(none)'] ??= { substantiated: 0, partly: 0 });
        if (f === 'substantiated') row.substantiated++;
        else row.partly++;
      }
    }
    if (s.closed !== undefined && inPeriod(s.closed.at)) {
      closed++;
      if (s.acceptedAt !== undefined) closedAccepted++;
      const sat = s.closed.satisfaction;
      if (sat !== undefined) {
        rated++;
        if (sat !== 'unsatisfied') satisfied++;
      }
    }
  }
  return {
    received,
    accepted,
    rejected,
    answered,
    closed,
    closedRate: rate(closedAccepted, accepted),
    answeredOnTimeRate: rate(answeredOnTime, answered),
    substantiated,
    satisfactionRate: rate(satisfied, rated),
  };
}
