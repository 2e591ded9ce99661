/**
 * Statistics of SPEC §5 over local dates, period [from, to). Two bases are kept
 * apart on purpose (DOMAIN.md §3: a month can complete more cases than it
 * accepted):
 * - cohort: the cases accepted in the period, followed to `to`;
 * - flow: what happened in the period, whatever the acceptance date.
 * Rates are in [0, 1], rounded to 4 decimals, null when their base is 0.
 * Computed on demand from the case entries (one pass, no per-tick work).
 */
import type { CaseState, EpochMs } from '../domain/types.js';
import { answeredOnTime, replyFallsDue } from '../domain/escalationReply.js';
import { centerSetOf, EMPTY_DIRECTORY, inCenterSet, type Directory } from '../domain/directory.js';
import { tryParseDate, zoneClock } from '../domain/index.js';
import {
  FLAG_EARLY,
  FLAG_ON_TIME,
  FLAG_SAME_DAY,
  RULES,
  RULE_COLOR,
  overdueStart,
  ruleIndexOf,
  type CaseEntry,
} from './caseEntry.js';
import type { StatsGroupBy, StatsQuery } from './types.js';
import { RatingAccumulator } from './ratingFigures.js';
import type { ComplaintSource } from './complaints/complaintStats.js';
import { complaintBlock, withComplaintGroups } from './statsComplaints.js';
import { ratio, withExact } from './exactFigures.js';

export const RATE_DECIMALS = 4;
export const DAYS_DECIMALS = 2;

/** A bad stats query; `field` names the parameter. */
export class StatsQueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'StatsQueryError';
  }
}

export type {
  CohortFigures,
  CardCount,
  FlowFigures,
  KpiSet,
  StatsGroup,
  StatsResult,
  UnregisteredTotal,
  FigureVersions,
} from './statsFigures.js';
import {
  periodProvisional,
  type CardCount,
  type FigureVersions,
  type KpiSet,
  type StatsGroup,
  type StatsResult,
} from './statsFigures.js';

const GROUP_BYS: readonly StatsGroupBy[] = ['center', 'department', 'matter', 'category'];

export const roundTo = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};
const rounded = (x: number | null, decimals: number): number | null => (x === null ? null : roundTo(x, decimals));
export const rate = (num: number, den: number): number | null => rounded(ratio(num, den), RATE_DECIMALS);

/** The §5 figures of one set of cases over one period, added case by case (exported for the report's single pass). */
export class Accumulator implements KpiCounts {
  accepted = 0;
  completed = 0;
  completedSameDay = 0;
  instantKind = 0;
  completedInPeriod = 0;
  onTime = 0;
  promisedCompleted = 0;
  early = 0;
  usedDaysSum = 0;
  openAtEnd = 0;
  overdueOpenAtEnd = 0;
  /** Cards issued in the period, per rule index (the colour follows from the rule). */
  readonly cards = new Array<number>(RULES.length).fill(0);
  reminder = 0;
  supervision = 0;
  referral = 0;
  extensions = 0;
  escalationsAnswered = 0;
  escalationsDue = 0;
  answeredOnTime = 0;

  /**
   * `clockMs`: the instant the figures are computed at. A reply due after it has not fallen due yet,
   * whatever the period: counting it would make a running month's on-time rate a forecast of misses;
   * a card starting after it has not been issued yet.
   */
  constructor(private readonly clockMs: EpochMs = Number.POSITIVE_INFINITY) {}

  add(e: CaseEntry, fromMs: number, toMs: number): void {
    const s = e.state;
    const acceptedAt = s.acceptedAt as number;
    if (acceptedAt >= toMs) return;
    const completedAt = s.completedAt;
    const accepted = s.accepted!;
    if (acceptedAt >= fromMs) {
      this.accepted++;
      if (accepted.kind === 'instant') this.instantKind++;
      if (completedAt !== undefined && completedAt < toMs) {
        this.completed++;
        if (e.flags & FLAG_SAME_DAY) this.completedSameDay++;
      }
    }
    if (completedAt !== undefined && completedAt >= fromMs && completedAt < toMs) {
      this.completedInPeriod++;
      if (e.flags & FLAG_ON_TIME) this.onTime++;
      if (accepted.promisedDays >= 1) {
        this.promisedCompleted++;
        if (e.flags & FLAG_EARLY) this.early++;
        if (e.usedDays >= 0) this.usedDaysSum += e.usedDays;
      }
    }
    // The period's end, or now in a running period: what has fallen due by then.
    const dueBy = Math.min(toMs, this.clockMs);
    if (completedAt === undefined || completedAt >= toMs) {
      this.openAtEnd++;
      // Overdue at `to`, or now in a running period (a card due later is not yet known to start). NaN compares false.
      if (overdueStart(e) <= dueBy) this.overdueOpenAtEnd++;
    }
    const cards = e.cards;
    if (cards !== undefined) {
      for (let i = 0; i < cards.length; i += 2) {
        const startedAt = cards[i]!;
        // Issued: started in the period and by the instant read (docs/projections.md "A period reaching
        // into the future"). The fold reads a case recorded ahead of the clock at its last event, so
        // its list may hold a card still to start, as a complaint's clocks do (a reviewer found a case's
        // overdue card of 00:00 counted at 23:57, after an event of 00:01, and a complaint's not).
        if (startedAt >= fromMs && startedAt < toMs && startedAt <= this.clockMs)
          this.cards[ruleIndexOf(cards[i + 1]!)]! += 1;
      }
    }
    const respondBy = e.respondBy;
    s.escalations.forEach((esc, i) => {
      if (esc.at >= fromMs && esc.at < toMs) this[esc.level]++;
      const answeredAt = esc.answer?.at;
      if (answeredAt !== undefined && answeredAt >= fromMs && answeredAt < toMs) this.escalationsAnswered++;
      // Due in the period: its respond-by day, which ends at respondBy, lies in [from, to) and has ended.
      // A reply falls due only while the case is open (SPEC §3's escalation-unanswered): one whose
      // case was completed before, unanswered, is neither missed nor on time (no card either).
      const due = respondBy?.[i];
      if (due !== undefined && due > fromMs && due <= dueBy) {
        const onTime = answeredAt !== undefined && answeredOnTime(answeredAt, due);
        if (onTime || replyFallsDue(due, completedAt)) {
          this.escalationsDue++;
          if (onTime) this.answeredOnTime++;
        }
      }
    });
    for (const x of s.extensions) if (x.at >= fromMs && x.at < toMs) this.extensions++;
  }

  result(): KpiSet {
    return kpisOf(this);
  }
}

/** The counts a KPI set is figured from: an accumulator's, or partitions' summed (partitionStats.ts). */
export interface KpiCounts {
  readonly accepted: number;
  readonly completed: number;
  readonly completedSameDay: number;
  readonly instantKind: number;
  readonly completedInPeriod: number;
  readonly onTime: number;
  readonly promisedCompleted: number;
  readonly early: number;
  readonly usedDaysSum: number;
  readonly openAtEnd: number;
  readonly overdueOpenAtEnd: number;
  /** Cards started in the period, by rule index (RULES). */
  readonly cards: readonly number[];
  readonly reminder: number;
  readonly supervision: number;
  readonly referral: number;
  readonly extensions: number;
  readonly escalationsAnswered: number;
  readonly escalationsDue: number;
  readonly answeredOnTime: number;
}

/**
 * The KPI set of SPEC §5 from its counts: every rate and derived figure is defined here alone,
 * exactly, and published rounded (the exact values are kept for growth: exactFigures.ts).
 */
export function kpisOf(c: KpiCounts): KpiSet {
  const late = c.completedInPeriod - c.onTime;
  const cohort = {
    completionRate: ratio(c.completed, c.accepted),
    instantCompletionRate: ratio(c.completedSameDay, c.accepted),
    instantShare: ratio(c.instantKind, c.accepted),
  };
  const flow = {
    onTimeRate: ratio(c.onTime, c.completedInPeriod),
    earlyRate: ratio(c.early, c.promisedCompleted),
    overdueRate: ratio(late + c.overdueOpenAtEnd, c.completedInPeriod + c.openAtEnd),
    avgUsedDays: ratio(c.usedDaysSum, c.promisedCompleted),
    answeredOnTimeRate: ratio(c.answeredOnTime, c.escalationsDue),
  };
  const cards: CardCount[] = [];
  let cardsTotal = 0;
  RULES.forEach((rule, i) => {
    const count = c.cards[i] ?? 0;
    if (count > 0) cards.push({ rule, color: RULE_COLOR[i]!, count });
    cardsTotal += count;
  });
  const asRate = (x: number | null) => rounded(x, RATE_DECIMALS);
  return {
    cohort: withExact(
      {
        accepted: c.accepted,
        completed: c.completed,
        inProgress: c.accepted - c.completed,
        completionRate: asRate(cohort.completionRate),
        completedSameDay: c.completedSameDay,
        instantCompletionRate: asRate(cohort.instantCompletionRate),
        instantKind: c.instantKind,
        instantShare: asRate(cohort.instantShare),
      },
      cohort,
    ),
    flow: withExact(
      {
        completedInPeriod: c.completedInPeriod,
        onTime: c.onTime,
        late,
        onTimeRate: asRate(flow.onTimeRate),
        promisedCompleted: c.promisedCompleted,
        early: c.early,
        earlyRate: asRate(flow.earlyRate),
        openAtEnd: c.openAtEnd,
        overdueOpenAtEnd: c.overdueOpenAtEnd,
        overdueRate: asRate(flow.overdueRate),
        avgUsedDays: rounded(flow.avgUsedDays, DAYS_DECIMALS),
        cards,
        cardsTotal,
        escalations: {
          total: c.reminder + c.supervision + c.referral,
          reminder: c.reminder,
          supervision: c.supervision,
          referral: c.referral,
        },
        extensions: c.extensions,
        escalationsAnswered: c.escalationsAnswered,
        escalationsDue: c.escalationsDue,
        answeredOnTime: c.answeredOnTime,
        answeredOnTimeRate: asRate(flow.answeredOnTimeRate),
      },
      flow,
    ),
  };
}

export interface ResolvedPeriod {
  readonly fromMs: EpochMs;
  readonly toMs: EpochMs;
}

/** Validate `from`/`to` (dates, to exclusive, from < to) and turn them into instants in `zone`. */
export function resolvePeriod(from: unknown, to: unknown, zone: string): ResolvedPeriod {
  const fromDay = typeof from === 'string' ? tryParseDate(from) : undefined;
  if (fromDay === undefined) throw new StatsQueryError('from', 'must be a date YYYY-MM-DD');
  const toDay = typeof to === 'string' ? tryParseDate(to) : undefined;
  if (toDay === undefined) throw new StatsQueryError('to', 'must be a date YYYY-MM-DD');
  if (toDay <= fromDay) throw new StatsQueryError('to', 'must be after from (the period is [from, to))');
  const clock = zoneClock(zone);
  return { fromMs: clock.startOfDay(fromDay), toMs: clock.startOfDay(toDay) };
}

export function groupKey(e: CaseEntry, by: StatsGroupBy): string {
  const a = e.state.accepted!;
  switch (by) {
    case 'center':
      return a.centerId;
    case 'department':
      return a.departmentId;
    case 'matter':
      return a.matterCode;
    case 'category':
      return a.category ?? 'unspecified';
  }
}

/** SPEC §5 statistics over `entries` (every accepted case the read model holds), and §8's of `complaints`. */
export function computeStats(
  entries: Iterable<CaseEntry>,
  query: StatsQuery,
  zone: string,
  asOf: EpochMs,
  versions: FigureVersions,
  complaints?: ComplaintSource,
  directory: Directory = EMPTY_DIRECTORY,
): StatsResult {
  const { fromMs, toMs } = resolvePeriod(query.from, query.to, zone);
  const by = query.groupBy;
  if (by !== undefined && !GROUP_BYS.includes(by)) {
    throw new StatsQueryError('groupBy', `must be one of ${GROUP_BYS.join(', ')}`);
  }
  const { centerId, departmentId } = query;
  const centers = centerSetOf(query, directory);
  const total = new Accumulator(asOf);
  const totalRatings = new RatingAccumulator(asOf);
  const groups = new Map<string, { acc: Accumulator; label?: string; ratings: RatingAccumulator }>();
  const policyVersions = new Set<string>();
  for (const e of entries) {
    const a = e.state.accepted;
    if (a === undefined) continue;
    if (!inCenterSet(centers, a.centerId)) continue;
    if (departmentId !== undefined && a.departmentId !== departmentId) continue;
    if (openDuring(e.state, fromMs, toMs)) policyVersions.add(versions.policyVersionOf(e.state));
    total.add(e, fromMs, toMs);
    totalRatings.add(e, fromMs, toMs);
    if (by !== undefined) {
      const key = groupKey(e, by);
      let g = groups.get(key);
      if (g === undefined) {
        g = { acc: new Accumulator(asOf), ratings: new RatingAccumulator(asOf) };
        if (by === 'matter' && a.matterName !== undefined) g.label = a.matterName;
        groups.set(key, g);
      }
      g.acc.add(e, fromMs, toMs);
      g.ratings.add(e, fromMs, toMs);
    }
  }
  const complained = complaintBlock(complaints, { ...query, centers }, fromMs, toMs, asOf);
  const scope = query.scope ?? 'center';
  const filter = {
    ...(centerId !== undefined ? { centerId, scope } : {}),
    ...(centers !== undefined && scope === 'subtree' ? { centers: [...centers].sort() } : {}),
    ...(departmentId !== undefined ? { departmentId } : {}),
  };
  const result: StatsResult = {
    from: query.from,
    to: query.to,
    zone,
    filter,
    asOf,
    ...total.result(),
    ratings: totalRatings.result(),
    complaints: complained.total,
    calendarVersion: versions.calendarVersion,
    policyVersions: [...policyVersions].sort(),
    ...(periodProvisional(versions, fromMs, toMs, asOf, zone) ? { provisional: true as const } : {}),
  };
  if (by === undefined) return result;
  const list = groupsOf(groups);
  return { ...result, groupBy: by, groups: complained.groups ? withComplaintGroups(list, complained.groups) : list };
}

/** Whether the case was open at some time in [fromMs, toMs): the cases whose policy versions a result names. */
export const openDuring = (s: CaseState, fromMs: EpochMs, toMs: EpochMs): boolean =>
  s.acceptedAt !== undefined && s.acceptedAt < toMs && (s.completedAt === undefined || s.completedAt >= fromMs);

/** Groups with something in the period, sorted by key. */
export function groupsOf(
  groups: ReadonlyMap<
    string,
    { readonly acc: Accumulator; readonly label?: string; readonly ratings?: RatingAccumulator }
  >,
): StatsGroup[] {
  const active = (k: KpiSet) =>
    k.cohort.accepted + k.flow.completedInPeriod + k.flow.openAtEnd + k.flow.cardsTotal + k.flow.escalations.total > 0;
  return [...groups.entries()]
    .map(([key, g]) => ({ key, g, kpis: g.acc.result() }))
    .filter(({ g, kpis }) => active(kpis) || g.ratings?.any() === true)
    .map(({ key, g, kpis }) => ({
      key,
      ...(g.label !== undefined ? { label: g.label } : {}),
      ...kpis,
      ...(g.ratings !== undefined ? { ratings: g.ratings.result() } : {}),
    }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}
