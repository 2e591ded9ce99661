/**
 * Complaint figures of a period `[from, to)` of local dates (SPEC §8), each
 * event counted on its own local date (flow): received, accepted, rejected,
 * answered, closed; closedRate = closedOfAccepted / accepted (Haikou's 2,333 /
 * 2,344 = 0.9953), where closedOfAccepted counts the complaints accepted in the
 * period and closed by its end, as completionRate counts cases: closures in the
 * period of complaints accepted before it, or of rejected ones, would push the
 * rate past 1 (SPEC §5: rates lie in [0, 1]); answeredOnTimeRate = answeredOnTime / answersDue, the
 * answers due in the period (their last day in it and ended by the instant read, as escalations'
 * replies and 差评 follow-ups are counted), of which answeredOnTime were given by the due instant, so
 * a complaint left unanswered counts as a miss; substantiated answers by department;
 * satisfactionRate = (satisfied + basically) / closures in the period that carry
 * a satisfaction. Rates round as /stats does (rate of stats.ts: 4 decimals, null
 * on a zero base).
 *
 * `ComplaintAccumulator` adds complaints one by one (the total and each group of
 * /stats and the report in one pass); `complaintFigures` is the whole set at once.
 * Given a department, it counts only the events that department was in charge at
 * (`departmentAt`; the answer's own department for answers and findings; for an
 * answer due, whoever answered it in time, else whoever was in charge when it
 * fell due), so a later assignment never moves a past month's figure.
 */
import { answeringDepartmentOf, departmentAt, type ComplaintState } from '../../domain/complaints/evolve.js';
import {
  COMPLAINT_CARD_RULES,
  COMPLAINT_RULE_COLOR,
  COMPLAINT_RULE_INDEX,
  type ComplaintCardRule,
} from '../../domain/complaints/lists.js';
import type { ComplaintCard, ComplaintTimeline } from '../../domain/complaints/timeline.js';
import type { EpochDay, EpochMs } from '../../domain/types.js';
import { rate } from '../stats.js';
import { ratio, withExact } from '../exactFigures.js';

/** The key of complaints with no department in charge ('' as on complaint alerts; no department id is empty). */
export const NO_DEPARTMENT = '';

export interface FindingCount {
  readonly substantiated: number;
  readonly partly: number;
}

/** Complaint cards started in the period, of one rule. */
export interface ComplaintCardCount {
  readonly rule: ComplaintCardRule;
  readonly color: 'yellow' | 'red';
  readonly count: number;
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
  /** Answers due in the period: the answer clock's last day in it, ended by the instant read. */
  readonly answersDue: number;
  /** Of answersDue, those given before their due instant. */
  readonly answeredOnTime: number;
  readonly answeredOnTimeRate: number | null;
  /** Substantiated (or partly substantiated) findings answered in the period, by the department in charge when answered. */
  readonly substantiated: Readonly<Record<string, FindingCount>>;
  /** Closures in the period with a satisfaction given, and of those satisfied or basically satisfied. */
  readonly withSatisfaction: number;
  readonly satisfied: number;
  readonly satisfactionRate: number | null;
  /**
   * Complaint cards (SPEC §8) started in the period and by the instant read, by rule (those
   * with a count); with a department, the cards that started while it was in charge.
   */
  readonly cards: readonly ComplaintCardCount[];
  readonly cardsTotal: number;
}

export interface ComplaintPeriod {
  readonly from: EpochDay;
  readonly to: EpochDay;
  /** Local date of an instant (the calendar's zone). */
  readonly dayOf: (at: EpochMs) => EpochDay;
  /** The complaint's clocks (answer due instant) as the read model computes them. */
  readonly timelineOf: (s: ComplaintState) => ComplaintTimeline | null;
  /** The instant read: an answer due after it is not yet due. */
  readonly asOf: EpochMs;
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
  /** A due instant (the end of a last day) whose day lies in the period and which has passed by the instant read. */
  readonly dueCounts: (dueAt: EpochMs) => boolean;
  /** The complaint's cards as of the instant read (some may start after it). */
  readonly cardsOf: (s: ComplaintState) => readonly ComplaintCard[];
  /** A card start in the period and by the instant read: a card issued in the period. */
  readonly issuedIn: (start: EpochMs) => boolean;
}

/** Counts nothing: the figures of no complaints. */
export const COUNTING_NOTHING: ComplaintCounting = {
  inPeriod: () => false,
  beforeEnd: () => false,
  answerDueOf: () => undefined,
  dueCounts: () => false,
  cardsOf: () => [],
  issuedIn: () => false,
};

/** One timeline a complaint for all the figures of one read (the total's and each group's). */
function memoized(timelineOf: (s: ComplaintState) => ComplaintTimeline | null) {
  const seen = new Map<ComplaintState, ComplaintTimeline | null>();
  return (s: ComplaintState): ComplaintTimeline | null => {
    let t = seen.get(s);
    if (t === undefined) seen.set(s, (t = timelineOf(s)));
    return t;
  };
}

/** An instant period `[fromMs, toMs)` and the due instants of `source` (computed as of `asOf`). */
export function countingOf(source: ComplaintSource, fromMs: EpochMs, toMs: EpochMs, asOf: EpochMs): ComplaintCounting {
  const timeline = memoized((s) => source.timelineOf(s, asOf));
  return {
    inPeriod: (at) => at >= fromMs && at < toMs,
    beforeEnd: (at) => at < toMs,
    answerDueOf: (s) => timeline(s)?.answer?.dueAt,
    dueCounts: (dueAt) => dueAt > fromMs && dueAt <= toMs && dueAt <= asOf,
    cardsOf: (s) => timeline(s)?.cards ?? [],
    issuedIn: (start) => start >= fromMs && start < toMs && start <= asOf,
  };
}

export class ComplaintAccumulator implements ComplaintCounts {
  received = 0;
  accepted = 0;
  rejected = 0;
  answered = 0;
  answersDue = 0;
  answeredOnTime = 0;
  closed = 0;
  closedOfAccepted = 0;
  withSatisfaction = 0;
  satisfied = 0;
  /** By department id, free text: no prototype, so an id such as `__proto__` or `constructor` is a key like any other. */
  readonly substantiated: Record<string, { substantiated: number; partly: number }> = Object.create(null);
  /** Cards issued in the period, by COMPLAINT_CARD_RULES index. */
  readonly cards: number[] = COMPLAINT_CARD_RULES.map(() => 0);

  constructor(private readonly counting: ComplaintCounting) {}

  /** Adds one complaint's events in the period: all, or only those `department` was in charge of (NO_DEPARTMENT: none). */
  add(s: ComplaintState, department?: string): void {
    const { inPeriod, beforeEnd } = this.counting;
    const counts =
      department === undefined
        ? (at: EpochMs) => inPeriod(at)
        : (at: EpochMs) => inPeriod(at) && (departmentAt(s, at) ?? NO_DEPARTMENT) === department;
    if (s.received !== undefined && counts(s.received.at)) this.received++;
    if (s.acceptedAt !== undefined && counts(s.acceptedAt)) {
      this.accepted++;
      if (s.closed !== undefined && beforeEnd(s.closed.at)) this.closedOfAccepted++;
    }
    if (s.rejected !== undefined && counts(s.rejected.at)) this.rejected++;
    const answeredBy = answeringDepartmentOf(s) ?? NO_DEPARTMENT;
    if (
      s.answered !== undefined &&
      inPeriod(s.answered.at) &&
      (department === undefined || answeredBy === department)
    ) {
      this.answered++;
      const f = s.answered.finding;
      if (f !== 'unsubstantiated') {
        const row = (this.substantiated[answeredBy] ??= { substantiated: 0, partly: 0 });
        if (f === 'substantiated') row.substantiated++;
        else row.partly++;
      }
    }
    const due = s.acceptedAt === undefined ? undefined : this.counting.answerDueOf(s);
    if (due !== undefined && this.counting.dueCounts(due)) {
      const inTime = s.answered !== undefined && s.answered.at < due;
      if (department === undefined || (inTime ? answeredBy : (departmentAt(s, due) ?? NO_DEPARTMENT)) === department) {
        this.answersDue++;
        if (inTime) this.answeredOnTime++;
      }
    }
    for (const card of this.counting.cardsOf(s)) {
      if (!this.counting.issuedIn(card.start)) continue;
      if (department !== undefined && (departmentAt(s, card.start) ?? NO_DEPARTMENT) !== department) continue;
      this.cards[COMPLAINT_RULE_INDEX[card.rule]]! += 1;
    }
    if (s.closed !== undefined && counts(s.closed.at)) {
      this.closed++;
      const sat = s.closed.satisfaction;
      if (sat !== undefined) {
        this.withSatisfaction++;
        if (sat !== 'unsatisfied') this.satisfied++;
      }
    }
  }

  /**
   * The departments (NO_DEPARTMENT for none) that may have figures of this complaint: every
   * department it was in charge of, and the one that answered it.
   */
  static departmentsOf(s: ComplaintState): Set<string> {
    const keys = new Set<string>();
    for (const spell of s.departments ?? [{ departmentId: s.departmentId ?? null }])
      keys.add(spell.departmentId ?? NO_DEPARTMENT);
    if (s.answered !== undefined) keys.add(answeringDepartmentOf(s) ?? NO_DEPARTMENT);
    return keys;
  }

  /** Anything received, decided, answered or closed in the period. */
  any(): boolean {
    const cards = this.cards.reduce((a, b) => a + b, 0);
    return this.received + this.accepted + this.rejected + this.answered + this.answersDue + this.closed + cards > 0;
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
    // The due instant is the end (24:00) of the last day: that day is the one before it.
    dueCounts: (dueAt) => {
      const d = p.dayOf(dueAt - 1);
      return d >= p.from && d < p.to && dueAt <= p.asOf;
    },
    cardsOf: (s) => p.timelineOf(s)?.cards ?? [],
    issuedIn: (start) => {
      const d = p.dayOf(start);
      return d >= p.from && d < p.to && start <= p.asOf;
    },
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
  readonly answersDue: number;
  readonly answeredOnTime: number;
  readonly closed: number;
  readonly closedOfAccepted: number;
  readonly withSatisfaction: number;
  readonly satisfied: number;
  readonly substantiated: Readonly<Record<string, FindingCount>>;
  /** By COMPLAINT_CARD_RULES index. */
  readonly cards: readonly number[];
}

/** The complaint figures from their counts: every rate is defined here alone; departments in order. */
export function complaintFiguresOf(c: ComplaintCounts): ComplaintFigures {
  const keys = Object.keys(c.substantiated).sort();
  // Kept unrounded for growth (exactFigures.ts).
  const exact = {
    closedRate: ratio(c.closedOfAccepted, c.accepted),
    answeredOnTimeRate: ratio(c.answeredOnTime, c.answersDue),
    satisfactionRate: ratio(c.satisfied, c.withSatisfaction),
  };
  return withExact(
    {
      received: c.received,
      accepted: c.accepted,
      rejected: c.rejected,
      answered: c.answered,
      closed: c.closed,
      closedOfAccepted: c.closedOfAccepted,
      closedRate: rate(c.closedOfAccepted, c.accepted),
      answersDue: c.answersDue,
      answeredOnTime: c.answeredOnTime,
      answeredOnTimeRate: rate(c.answeredOnTime, c.answersDue),
      substantiated: Object.fromEntries(keys.map((k) => [k, { ...c.substantiated[k]! }])),
      withSatisfaction: c.withSatisfaction,
      satisfied: c.satisfied,
      satisfactionRate: rate(c.satisfied, c.withSatisfaction),
      ...complaintCardsOf(c.cards),
    },
    exact,
  );
}

function complaintCardsOf(counts: readonly number[]): Pick<ComplaintFigures, 'cards' | 'cardsTotal'> {
  const cards: ComplaintCardCount[] = [];
  let cardsTotal = 0;
  COMPLAINT_CARD_RULES.forEach((rule, i) => {
    const count = counts[i] ?? 0;
    if (count > 0) cards.push({ rule, color: COMPLAINT_RULE_COLOR[rule], count });
    cardsTotal += count;
  });
  return { cards, cardsTotal };
}
