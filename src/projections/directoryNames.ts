/**
 * Names beside ids in `/stats` (SPEC §4): the statistics are computed over
 * ids; this pure function joins the groups with the directory. An id not in
 * the directory keeps no name, is flagged `registered: false`, and is counted
 * apart in an `unregistered` total, so a writer's invented ids never pass for
 * part of the organisation. (The monthly report names its own tables the same
 * way: report/tables.ts.)
 */
import type { DirectoryIndex } from '../domain/directory.js';
import type { StatsGroup, StatsResult } from './stats.js';

/** `/stats` grouped by center or department: each group with its name and flag, and the unregistered total. */
export function nameStats(result: StatsResult, names: DirectoryIndex): StatsResult {
  const nameOf =
    result.groupBy === 'center'
      ? (id: string) => names.center(id)?.name
      : result.groupBy === 'department'
        ? (id: string) => names.department(id)?.name
        : undefined;
  if (nameOf === undefined || result.groups === undefined) return result;
  const groups: StatsGroup[] = result.groups.map((g) => {
    const name = nameOf(g.key);
    return name === undefined ? { ...g, registered: false } : { ...g, name, registered: true };
  });
  const out = groups.filter((g) => g.registered !== true);
  const unregistered = { groups: out.length, accepted: out.reduce((sum, g) => sum + g.cohort.accepted, 0) };
  return { ...result, groups, unregistered };
}
