/**
 * Names beside ids (SPEC §4): the statistics and the monthly report are
 * computed over ids; these pure functions join them with the directory. An id
 * not in the directory keeps no name, is flagged `registered: false`, and is
 * counted apart in an `unregistered` total, so a writer's invented ids never
 * pass for part of the organisation.
 */
import type { DirectoryIndex } from '../domain/directory.js';
import type { MonthlyDepartmentRow, MonthlyReport } from './report.js';
import type { StatsGroup, StatsResult, UnregisteredTotal } from './stats.js';

type NameOf = (id: string) => string | undefined;

const centerName =
  (names: DirectoryIndex): NameOf =>
  (id) =>
    names.center(id)?.name;
const departmentName =
  (names: DirectoryIndex): NameOf =>
  (id) =>
    names.department(id)?.name;

function named<T extends object>(row: T, name: string | undefined): T & { name?: string; registered: boolean } {
  return name === undefined ? { ...row, registered: false } : { ...row, name, registered: true };
}

function unregisteredOf(rows: readonly { registered: boolean; accepted: number }[]): UnregisteredTotal {
  const out = rows.filter((r) => !r.registered);
  return { groups: out.length, accepted: out.reduce((sum, r) => sum + r.accepted, 0) };
}

/** `/stats` grouped by center or department: each group with its name and flag, and the unregistered total. */
export function nameStats(result: StatsResult, names: DirectoryIndex): StatsResult {
  const nameOf =
    result.groupBy === 'center'
      ? centerName(names)
      : result.groupBy === 'department'
        ? departmentName(names)
        : undefined;
  if (nameOf === undefined || result.groups === undefined) return result;
  const groups: StatsGroup[] = result.groups.map((g) => named(g, nameOf(g.key)));
  const unregistered = unregisteredOf(
    groups.map((g) => ({ registered: g.registered === true, accepted: g.cohort.accepted })),
  );
  return { ...result, groups, unregistered };
}

/** The monthly report with department names, the filter's center name, and the unregistered departments counted. */
export function nameReport(report: MonthlyReport, names: DirectoryIndex): MonthlyReport {
  const nameOf = departmentName(names);
  const nameRow = (d: MonthlyDepartmentRow): MonthlyDepartmentRow => named(d, nameOf(d.departmentId));
  const departments = report.departments.map(nameRow);
  const centerId = report.filter.centerId;
  const center = centerId === undefined ? undefined : names.center(centerId);
  const totals = unregisteredOf(departments.map((d) => ({ registered: d.registered === true, accepted: d.accepted })));
  return {
    ...report,
    filter: { ...report.filter, ...(center === undefined ? {} : { centerName: center.name }) },
    departments,
    worstDepartments: report.worstDepartments.map(nameRow),
    unregistered: totals,
  };
}
