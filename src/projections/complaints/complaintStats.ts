/**
 * Complaint figures of a period `[from, to)` of local dates (SPEC §8), each
 * event counted on its own local date (flow): received, accepted, rejected,
 * answered, closed; closedRate = closedOfAccepted / accepted (Haikou's 2,333 /
 * 2,344 = 0.9953), where closedOfAccepted counts the complaints accepted in the
 * period and closed by its end, as completionRate counts cases: closures in the
 * period of complaints accepted before it, or of rejected ones, would push the
 * rate past 1 (SPEC §5: rates lie in [0, 1]); answeredOnTimeRate = answers in the period given by the due
 * instant / answers in the period; substantiated answers by department;
 * satisfactionRate = (satisfied + basically) / closures in the period that carry
 * a satisfaction. Rates round as /stats does (rate of stats.ts: 4 decimals, null
 * on a zero base).
 *
 * `ComplaintAccumulator` adds complaints one by one (the total and each group of
 * /stats and the report in one pass); `complaintFigures` is the whole set at once.
 */
import { answeringDepartmentOf, type ComplaintState } from '../../domain/complaints/evolve.js';
import type { ComplaintTimeline } from '../../domain/complaints/timeline.js';
import type { EpochDay, EpochMs } from '../../domain/types.js';
import { rate } from '../stats.js';

/** The key of complaints with no department in charge ('' as on complaint alerts; no department id is empty). */
export const NO_DEPARTMENT = '';

export interface FindingCount {
  readonly substantiated: number;
  readonly partly: number;
}

export interface ComplaintFigures {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly answered: number;
  /** Closures in the period, of accepted and of rejected complaints. */
  readonly closed: number;
  /** Of the complaints accepted in the period, those closed by its end (the numerator of closedRate; the report's 办结). */
  readonly closedOfAccepted: number;
  /** closedOfAccepted / accepted. */
  readonly closedRate: number | null;
  /** Of the answers in the period, those given before their due instant. */
  readonly answeredOnTime: number;
  readonly answeredOnTimeRate: number | null;
  /** Substantiated (or partly substantiated) findings answered in the period, by the department in charge when answered. */
  readonly substantiated: Readonly<Record<string, FindingCount>>;
  /** Closures in the period with a satisfaction given, and of those satisfied or basically satisfied. */
  readonly withSatisfaction: number;
  readonly satisfied: number;
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

/** What the figures read of the complaint read model (a `ComplaintProjection` is one). */
export interface ComplaintSource {
  all(): Iterable<ComplaintState>;
  timelineOf(s: ComplaintState, at: EpochMs): ComplaintTimeline | null;
}

/** How an accumulator tells an instant in the period and a complaint's answer due instant. */
export interface ComplaintCounting {
  readonly inPeriod: (at: EpochMs) => boolean;
  /** Before the period's end. */
  readonly beforeEnd: (at: EpochMs) => boolean;
  readonly answerDueOf: (s: ComplaintState) => EpochMs | undefined;
}

/** An instant period `[fromMs, toMs)` and the due instants of `source` (computed as of `asOf`). */
export function countingOf(source: ComplaintSource, fromMs: EpochMs, toMs: EpochMs, asOf: EpochMs): ComplaintCounting {
  return {
    inPeriod: (at) => at >= fromMs && at < toMs,
    beforeEnd: (at) => at < toMs,
    answerDueOf: (s) => source.timelineOf(s, asOf)?.answer?.dueAt,
  };
}

export class ComplaintAccumulator implements ComplaintCounts {
  received = 0;
  accepted = 0;
  rejected = 0;
  answered = 0;
  answeredOnTime = 0;
  closed = 0;
  closedOfAccepted = 0;
  withSatisfaction = 0;
  satisfied = 0;
  readonly substantiated: Record<string, { substantiated: number; partly: number }> = {};

  constructor(private readonly counting: ComplaintCounting) {}

  add(s: ComplaintState): void {
    const inPeriod = this.counting.inPeriod;
    if (s.received !== undefined && inPeriod(s.received.at)) this.received++;
    if (s.acceptedAt !== undefined && inPeriod(s.acceptedAt)) {
      this.accepted++;
      if (s.closed !== undefined && this.counting.beforeEnd(s.closed.at)) this.closedOfAccepted++;
    }
    if (s.rejected !== undefined && inPeriod(s.rejected.at)) this.rejected++;
    if (s.answered !== undefined && inPeriod(s.answered.at)) {
      this.answered++;
      const due = this.counting.answerDueOf(s);
      if (due !== undefined && s.answered.at < due) this.answeredOnTime++;
      const f = s.answered.finding;
      if (f !== 'unsubstantiated') {
        const row = (this.substantiated[answeringDepartmentOf(s) ?? NO_DEPARTMENT] ??= { substantiated: 0, partly: 0 });
        if (f === 'substantiated') row.substantiated++;
        else row.partly++;
      }
    }
    if (s.closed !== undefined && inPeriod(s.closed.at)) {
      this.closed++;
      const sat = s.closed.satisfaction;
      if (sat !== undefined) {
        this.withSatisfaction++;
        if (sat !== 'unsatisfied') this.satisfied++;
      }
    }
  }

  /** Anything received, decided, answered or closed in the period. */
  any(): boolean {
    return this.received + this.accepted + this.rejected + this.answered + this.closed > 0;
  }

  result(): ComplaintFigures {
    return complaintFiguresOf(this);
  }
}

export function complaintFigures(complaints: Iterable<ComplaintState>, p: ComplaintPeriod): ComplaintFigures {
  const acc = new ComplaintAccumulator({
    inPeriod: (at) => {
      const d = p.dayOf(at);
      return d >= p.from && d < p.to;
    },
    beforeEnd: (at) => p.dayOf(at) < p.to,
    answerDueOf: (s) => p.timelineOf(s)?.answer?.dueAt,
  });
  for (const s of complaints) acc.add(s);
  return acc.result();
}

/** The counts the complaint figures are figured from: an accumulator's, or partitions' summed (partitionStats.ts). */
export interface ComplaintCounts {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly answered: number;
  readonly answeredOnTime: number;
  readonly closed: number;
  readonly closedOfAccepted: number;
  readonly withSatisfaction: number;
  readonly satisfied: number;
  readonly substantiated: Readonly<Record<string, FindingCount>>;
}

/** The complaint figures from their counts: every rate is defined here alone; departments in order. */
export function complaintFiguresOf(c: ComplaintCounts): ComplaintFigures {
  const keys = Object.keys(c.substantiated).sort();
  return {
    received: c.received,
    accepted: c.accepted,
    rejected: c.rejected,
    answered: c.answered,
    closed: c.closed,
    closedOfAccepted: c.closedOfAccepted,
    closedRate: rate(c.closedOfAccepted, c.accepted),
    answeredOnTime: c.answeredOnTime,
    answeredOnTimeRate: rate(c.answeredOnTime, c.answered),
    substantiated: Object.fromEntries(keys.map((k) => [k, { ...c.substantiated[k]! }])),
    withSatisfaction: c.withSatisfaction,
    satisfied: c.satisfied,
    satisfactionRate: rate(c.satisfied, c.withSatisfaction),
  };
}
