/**
 * `/stats` of a deployment whose projection workers each own some centers
 * (partition.ts): each worker answers grouped by center for its own centers,
 * and an API node merges the answers. A center lives in one partition only, so
 * its row is the single-worker row as it is; the totals are recomputed from
 * the merged rows: counts summed, rates from the summed numerators and
 * denominators (never averaged). The one figure that is a mean of something
 * other than a count, `avgUsedDays`, is weighted by each row's
 * `promisedCompleted`: the rows' averages are rounded to 2 decimals and so is
 * the merged one, so it is within 0.01 day of the single worker's (exact would
 * need each row's sum of used days in the answer, which `/stats` does not carry).
 */
import { RULES, RULE_COLOR } from './caseEntry.js';
import type { ComplaintFigures, FindingCount } from './complaints/complaintStats.js';
import type { RatingFigures } from './ratingFigures.js';
import { DAYS_DECIMALS, rate, roundTo } from './stats.js';
import type { CardCount, KpiSet, StatsGroup, StatsResult } from './statsFigures.js';

/** Answers that cannot be merged (not grouped by center, other periods, a center in two partitions). */
export class StatsMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsMergeError';
  }
}

const sum = <T>(rows: readonly T[], f: (r: T) => number): number => rows.reduce((s, r) => s + f(r), 0);

function kpisOf(rows: readonly KpiSet[]): KpiSet {
  const c = (f: (k: KpiSet['cohort']) => number) => sum(rows, (r) => f(r.cohort));
  const f = (g: (k: KpiSet['flow']) => number) => sum(rows, (r) => g(r.flow));
  const accepted = c((x) => x.accepted);
  const completed = c((x) => x.completed);
  const completedSameDay = c((x) => x.completedSameDay);
  const instantKind = c((x) => x.instantKind);
  const completedInPeriod = f((x) => x.completedInPeriod);
  const onTime = f((x) => x.onTime);
  const late = completedInPeriod - onTime;
  const promisedCompleted = f((x) => x.promisedCompleted);
  const early = f((x) => x.early);
  const openAtEnd = f((x) => x.openAtEnd);
  const overdueOpenAtEnd = f((x) => x.overdueOpenAtEnd);
  const usedDays = f((x) => (x.avgUsedDays ?? 0) * x.promisedCompleted);
  const cards: CardCount[] = [];
  RULES.forEach((rule, i) => {
    const count = f((x) => x.cards.find((card) => card.rule === rule)?.count ?? 0);
    if (count > 0) cards.push({ rule, color: RULE_COLOR[i]!, count });
  });
  const reminder = f((x) => x.escalations.reminder);
  const supervision = f((x) => x.escalations.supervision);
  const referral = f((x) => x.escalations.referral);
  const escalationsDue = f((x) => x.escalationsDue);
  const answeredOnTime = f((x) => x.answeredOnTime);
  return {
    cohort: {
      accepted,
      completed,
      inProgress: accepted - completed,
      completionRate: rate(completed, accepted),
      completedSameDay,
      instantCompletionRate: rate(completedSameDay, accepted),
      instantKind,
      instantShare: rate(instantKind, accepted),
    },
    flow: {
      completedInPeriod,
      onTime,
      late,
      onTimeRate: rate(onTime, completedInPeriod),
      promisedCompleted,
      early,
      earlyRate: rate(early, promisedCompleted),
      openAtEnd,
      overdueOpenAtEnd,
      overdueRate: rate(late + overdueOpenAtEnd, completedInPeriod + openAtEnd),
      avgUsedDays: promisedCompleted === 0 ? null : roundTo(usedDays / promisedCompleted, DAYS_DECIMALS),
      cards,
      cardsTotal: sum(cards, (x) => x.count),
      escalations: { total: reminder + supervision + referral, reminder, supervision, referral },
      extensions: f((x) => x.extensions),
      escalationsAnswered: f((x) => x.escalationsAnswered),
      escalationsDue,
      answeredOnTime,
      answeredOnTimeRate: rate(answeredOnTime, escalationsDue),
    },
  };
}

function ratingsOf(rows: readonly RatingFigures[]): RatingFigures {
  const s = (f: (r: RatingFigures) => number) => sum(rows, f);
  const rated = s((r) => r.rated);
  const satisfied = s((r) => r.satisfied);
  const completedInPeriod = s((r) => r.completedInPeriod);
  const ratedOfCompleted = s((r) => r.ratedOfCompleted);
  const followUpsDue = s((r) => r.followUpsDue);
  const followedUpOnTime = s((r) => r.followedUpOnTime);
  return {
    rated,
    byScore: {
      '1': s((r) => r.byScore['1']),
      '2': s((r) => r.byScore['2']),
      '3': s((r) => r.byScore['3']),
      '4': s((r) => r.byScore['4']),
      '5': s((r) => r.byScore['5']),
    },
    satisfied,
    satisfactionRate: rate(satisfied, rated),
    badRatings: s((r) => r.badRatings),
    completedInPeriod,
    ratedOfCompleted,
    ratedShare: rate(ratedOfCompleted, completedInPeriod),
    followUpsDue,
    followedUpOnTime,
    followedUpOnTimeRate: rate(followedUpOnTime, followUpsDue),
    followedUp: s((r) => r.followedUp),
  };
}

function complaintsOf(rows: readonly ComplaintFigures[]): ComplaintFigures {
  const s = (f: (r: ComplaintFigures) => number) => sum(rows, f);
  const accepted = s((r) => r.accepted);
  const answered = s((r) => r.answered);
  const closedOfAccepted = s((r) => r.closedOfAccepted);
  const answeredOnTime = s((r) => r.answeredOnTime);
  const withSatisfaction = s((r) => r.withSatisfaction);
  const satisfied = s((r) => r.satisfied);
  const findings = new Map<string, { substantiated: number; partly: number }>();
  for (const r of rows)
    for (const [department, n] of Object.entries(r.substantiated) as [string, FindingCount][]) {
      const into = findings.get(department) ?? { substantiated: 0, partly: 0 };
      into.substantiated += n.substantiated;
      into.partly += n.partly;
      findings.set(department, into);
    }
  return {
    received: s((r) => r.received),
    accepted,
    rejected: s((r) => r.rejected),
    answered,
    closed: s((r) => r.closed),
    closedOfAccepted,
    closedRate: rate(closedOfAccepted, accepted),
    answeredOnTime,
    answeredOnTimeRate: rate(answeredOnTime, answered),
    substantiated: Object.fromEntries([...findings.keys()].sort().map((k) => [k, findings.get(k)!])),
    withSatisfaction,
    satisfied,
    satisfactionRate: rate(satisfied, withSatisfaction),
  };
}

/** The partitions' `/stats` grouped by center, merged: the answer one worker holding every center gives. */
export function mergeStatsByCenter(parts: readonly StatsResult[]): StatsResult {
  const first = parts[0];
  if (first === undefined) throw new StatsMergeError('no answers to merge');
  for (const p of parts) {
    if (p.groupBy !== 'center' || p.groups === undefined)
      throw new StatsMergeError('every answer must be grouped by center (groupBy=center)');
    if (p.from !== first.from || p.to !== first.to || p.zone !== first.zone)
      throw new StatsMergeError(`answers for different periods: ${first.from}–${first.to} and ${p.from}–${p.to}`);
    if (JSON.stringify(p.filter) !== JSON.stringify(first.filter))
      throw new StatsMergeError('answers under different filters');
  }
  const seen = new Set<string>();
  const groups: StatsGroup[] = [];
  for (const p of parts)
    for (const g of p.groups!) {
      if (seen.has(g.key)) throw new StatsMergeError(`center ${g.key} is in two partitions`);
      seen.add(g.key);
      groups.push(g);
    }
  groups.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const ratings = groups.flatMap((g) => (g.ratings === undefined ? [] : [g.ratings]));
  const complaints = groups.flatMap((g) => (g.complaints === undefined ? [] : [g.complaints]));
  const unregistered = groups.filter((g) => g.registered === false);
  return {
    from: first.from,
    to: first.to,
    zone: first.zone,
    filter: first.filter,
    asOf: Math.max(...parts.map((p) => p.asOf)),
    ...kpisOf(groups),
    ratings: ratingsOf(ratings),
    complaints: complaintsOf(complaints),
    groupBy: 'center',
    groups,
    ...(first.unregistered === undefined
      ? {}
      : { unregistered: { groups: unregistered.length, accepted: sum(unregistered, (g) => g.cohort.accepted) } }),
  };
}
