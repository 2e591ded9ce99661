/**
 * The `complaints` block of `/stats` (SPEC §8): the complaint figures of the
 * period under the query's filters (centers: the centers the complaint may have been
 * received for, undefined for any; departmentId: the department in charge at each event, see
 * ComplaintAccumulator), and per group when grouped by center or by department
 * (a reassigned complaint's events fall in the groups of the departments in
 * charge at them). Complaints have no matter and no category, so a grouping by
 * matter or category gives its groups no complaints (the total still has them).
 * Events with no department in charge are grouped under `NO_DEPARTMENT`.
 */
import { inCenterSet, type CenterSet } from '../domain/directory.js';
import type { EpochMs } from '../domain/types.js';
import {
  ComplaintAccumulator,
  COUNTING_NOTHING,
  countingOf,
  type ComplaintFigures,
  type ComplaintSource,
} from './complaints/complaintStats.js';
import { Accumulator, type StatsGroup } from './stats.js';
import { RatingAccumulator } from './ratingFigures.js';
import type { StatsGroupBy } from './types.js';

export interface ComplaintQuery {
  /** The centers counted (centerSetOf: the filter's center, or its subtree); undefined: every center. */
  readonly centers?: CenterSet;
  readonly departmentId?: string;
  readonly groupBy?: StatsGroupBy;
}

export interface ComplaintBlock {
  readonly total: ComplaintFigures;
  /** Grouped by center or department: the figures of each group with something in the period. */
  readonly groups?: ReadonlyMap<string, ComplaintFigures>;
}

const NO_COMPLAINTS: ComplaintSource = { all: () => [], timelineOf: () => null };

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
  const department = query.departmentId;
  for (const s of src.all()) {
    if (s.received === undefined) continue;
    if (!inCenterSet(query.centers, s.received.centerId)) continue;
    const departments = ComplaintAccumulator.departmentsOf(s);
    if (department !== undefined && !departments.has(department)) continue;
    total.add(s, department);
    if (by === undefined) continue;
    const keys = by === 'center' ? [s.received.centerId] : department !== undefined ? [department] : departments;
    for (const key of keys) {
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = new ComplaintAccumulator(counting)));
      g.add(s, by === 'department' ? key : department);
    }
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
  const none = new ComplaintAccumulator(COUNTING_NOTHING).result();
  const out = groups.map((g) => ({ ...g, complaints: complaints.get(g.key) ?? none }));
  const seen = new Set(groups.map((g) => g.key));
  const empty = new Accumulator().result();
  const noRatings = new RatingAccumulator().result();
  for (const [key, figures] of complaints) {
    if (!seen.has(key)) out.push({ key, ...empty, ratings: noRatings, complaints: figures });
  }
  return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}
