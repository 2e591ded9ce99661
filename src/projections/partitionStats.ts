/**
 * `/stats` of a deployment whose projection workers each own some centers
 * (partition.ts): each worker answers grouped by center for its own centers,
 * and an API node merges the answers. A center lives in one partition only, so
 * its row is the single-worker row as it is; the totals are the rows' counts
 * summed, figured by the same functions as one worker's (kpisOf,
 * ratingFiguresOf, complaintFiguresOf), so rates come from the summed
 * numerators and denominators (never averaged). The one figure that is a mean of something
 * other than a count, `avgUsedDays`, is weighted by each row's
 * `promisedCompleted`: the rows' averages are rounded to 2 decimals and so is
 * the merged one, so it is within 0.01 day of the single worker's (exact would
 * need each row's sum of used days in the answer, which `/stats` does not carry).
 */
import { COMPLAINT_CARD_RULES } from '../domain/complaints/lists.js';
import { RATING_SCORES } from '../domain/lists.js';
import { RULES } from './caseEntry.js';
import { complaintFiguresOf, type ComplaintFigures, type FindingCount } from './complaints/complaintStats.js';
import { ratingFiguresOf, type RatingFigures } from './ratingFigures.js';
import { kpisOf } from './stats.js';
import type { KpiSet, StatsGroup, StatsResult } from './statsFigures.js';

/** Answers that cannot be merged (not grouped by center, other periods, a center in two partitions). */
export class StatsMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsMergeError';
  }
}

const sum = <T>(rows: readonly T[], f: (r: T) => number): number => rows.reduce((s, r) => s + f(r), 0);

/** The rows' counts summed; `usedDaysSum` from each row's rounded average (hence within 0.01 day). */
function summedKpis(rows: readonly KpiSet[]): KpiSet {
  const c = (f: (k: KpiSet['cohort']) => number) => sum(rows, (r) => f(r.cohort));
  const f = (g: (k: KpiSet['flow']) => number) => sum(rows, (r) => g(r.flow));
  return kpisOf({
    accepted: c((x) => x.accepted),
    completed: c((x) => x.completed),
    completedSameDay: c((x) => x.completedSameDay),
    instantKind: c((x) => x.instantKind),
    completedInPeriod: f((x) => x.completedInPeriod),
    onTime: f((x) => x.onTime),
    promisedCompleted: f((x) => x.promisedCompleted),
    early: f((x) => x.early),
    usedDaysSum: f((x) => (x.avgUsedDays ?? 0) * x.promisedCompleted),
    openAtEnd: f((x) => x.openAtEnd),
    overdueOpenAtEnd: f((x) => x.overdueOpenAtEnd),
    cards: RULES.map((rule) => f((x) => x.cards.find((card) => card.rule === rule)?.count ?? 0)),
    reminder: f((x) => x.escalations.reminder),
    supervision: f((x) => x.escalations.supervision),
    referral: f((x) => x.escalations.referral),
    extensions: f((x) => x.extensions),
    escalationsAnswered: f((x) => x.escalationsAnswered),
    escalationsDue: f((x) => x.escalationsDue),
    answeredOnTime: f((x) => x.answeredOnTime),
  });
}

function summedRatings(rows: readonly RatingFigures[]): RatingFigures {
  const s = (f: (r: RatingFigures) => number) => sum(rows, f);
  return ratingFiguresOf({
    rated: s((r) => r.rated),
    byScore: RATING_SCORES.map((score) => s((r) => r.byScore[String(score) as keyof RatingFigures['byScore']])),
    completedInPeriod: s((r) => r.completedInPeriod),
    ratedOfCompleted: s((r) => r.ratedOfCompleted),
    followUpsDue: s((r) => r.followUpsDue),
    followedUpOnTime: s((r) => r.followedUpOnTime),
    followedUp: s((r) => r.followedUp),
  });
}

function summedComplaints(rows: readonly ComplaintFigures[]): ComplaintFigures {
  const s = (f: (r: ComplaintFigures) => number) => sum(rows, f);
  // Keyed by department id (free text): no prototype, as ComplaintAccumulator's.
  const findings: Record<string, { substantiated: number; partly: number }> = Object.create(null);
  for (const r of rows)
    for (const [department, n] of Object.entries(r.substantiated) as [string, FindingCount][]) {
      const into = (findings[department] ??= { substantiated: 0, partly: 0 });
      into.substantiated += n.substantiated;
      into.partly += n.partly;
    }
  return complaintFiguresOf({
    received: s((r) => r.received),
    accepted: s((r) => r.accepted),
    rejected: s((r) => r.rejected),
    answered: s((r) => r.answered),
    answersDue: s((r) => r.answersDue),
    answeredOnTime: s((r) => r.answeredOnTime),
    closed: s((r) => r.closed),
    closedOfAccepted: s((r) => r.closedOfAccepted),
    withSatisfaction: s((r) => r.withSatisfaction),
    satisfied: s((r) => r.satisfied),
    substantiated: findings,
    cards: COMPLAINT_CARD_RULES.map((rule) => s((r) => r.cards.find((c) => c.rule === rule)?.count ?? 0)),
  });
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
    // Figures of two calendars do not add up: a worker that has not yet seen a correction counts other days.
    if (p.calendarVersion !== first.calendarVersion)
      throw new StatsMergeError(
        `answers under different calendar versions: ${first.calendarVersion} and ${p.calendarVersion}`,
      );
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
    ...summedKpis(groups),
    ratings: summedRatings(ratings),
    complaints: summedComplaints(complaints),
    calendarVersion: first.calendarVersion,
    ...(parts.some((p) => p.provisional === true) ? { provisional: true as const } : {}),
    policyVersions: [...new Set(parts.flatMap((p) => p.policyVersions))].sort(),
    groupBy: 'center',
    groups,
    ...(first.unregistered === undefined
      ? {}
      : { unregistered: { groups: unregistered.length, accepted: sum(unregistered, (g) => g.cohort.accepted) } }),
  };
}
