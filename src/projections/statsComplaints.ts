/**
 * The `complaints` block of `/stats` (SPEC §8): the complaint figures of the
 * period under the query's filters (centerId: the center the complaint was
 * received for; departmentId: the department in charge), and per group when
 * grouped by center or by department. Complaints have no matter and no
 * category, so a grouping by matter or category gives its groups no
 * complaints (the total still has them). A complaint with no department in
 * charge is grouped under `NO_DEPARTMENT`.
 */
import type { ComplaintState } from '../domain/complaints/evolve.js';
import type { EpochMs } from '../domain/types.js';
import {
  ComplaintAccumulator,
  countingOf,
  NO_DEPARTMENT,
  type ComplaintFigures,
  type ComplaintSource,
} from './complaints/complaintStats.js';
import { Accumulator, type StatsGroup } from './stats.js';
import { RatingAccumulator } from './ratingFigures.js';
import type { StatsGroupBy } from './types.js';

export interface ComplaintQuery {
  readonly centerId?: string;
  readonly departmentId?: string;
  readonly groupBy?: StatsGroupBy;
}

export interface ComplaintBlock {
  readonly total: ComplaintFigures;
  /** Grouped by center or department: the figures of each group with something in the period. */
  readonly groups?: ReadonlyMap<string, ComplaintFigures>;
}

const NO_COMPLAINTS: ComplaintSource = { all: () => [], timelineOf: () => null };

/** The group of a complaint under a grouping that applies to complaints; undefined for matter and category. */
export function complaintGroupKey(s: ComplaintState, by: StatsGroupBy): string | undefined {
  if (by === 'center') return s.received?.centerId;
  if (by === 'department') return s.departmentId ?? NO_DEPARTMENT;
  return undefined;
}

export function complaintBlock(
  source: ComplaintSource | undefined,
  query: ComplaintQuery,
  fromMs: EpochMs,
  toMs: EpochMs,
  asOf: EpochMs,
): ComplaintBlock {
  const src = source ?? NO_COMPLAINTS;
  const counting = countingOf(src, fromMs, toMs, asOf);
  const total = new ComplaintAccumulator(counting);
  const by = query.groupBy === 'center' || query.groupBy === 'department' ? query.groupBy : undefined;
  const groups = new Map<string, ComplaintAccumulator>();
  for (const s of src.all()) {
    if (s.received === undefined) continue;
    if (query.centerId !== undefined && s.received.centerId !== query.centerId) continue;
    if (query.departmentId !== undefined && s.departmentId !== query.departmentId) continue;
    total.add(s);
    if (by === undefined) continue;
    const key = complaintGroupKey(s, by)!;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = new ComplaintAccumulator(counting)));
    g.add(s);
  }
  if (by === undefined) return { total: total.result() };
  const active = [...groups].filter(([, g]) => g.any()).map(([k, g]) => [k, g.result()] as const);
  return { total: total.result(), groups: new Map(active) };
}

/**
 * The case groups with each one's complaint figures, plus a group (with no
 * case figures) for each key that has complaints only; sorted by key.
 */
export function withComplaintGroups(
  groups: readonly StatsGroup[],
  complaints: ReadonlyMap<string, ComplaintFigures>,
): StatsGroup[] {
  const none = new ComplaintAccumulator({
    inPeriod: () => false,
    beforeEnd: () => false,
    answerDueOf: () => undefined,
  }).result();
  const out = groups.map((g) => ({ ...g, complaints: complaints.get(g.key) ?? none }));
  const seen = new Set(groups.map((g) => g.key));
  const empty = new Accumulator().result();
  const noRatings = new RatingAccumulator().result();
  for (const [key, figures] of complaints) {
    if (!seen.has(key)) out.push({ key, ...empty, ratings: noRatings, complaints: figures });
  }
  return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}
