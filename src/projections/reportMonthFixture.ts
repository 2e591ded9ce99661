/**
 * A small generator of a district's month of cases, for the report tests and
 * the report benchmark: given what the month should add up to (cases accepted
 * per center, cases left in progress per department, the category split), it
 * writes the case events that produce it, so the report is computed by the
 * real fold, never written by hand. (Not a test file; imported by tests and
 * bench only.)
 */
import { formatInstant, parseDate, parseInstant, zoneClock } from '../domain/index.js';
import type { Body } from './testSupport.js';

const H = 3_600_000;
const D = 24 * H;

export interface MonthPlan {
  /** The month, YYYY-MM; cases are accepted on its days 2–27 and the in-progress ones on days 28–30. */
  readonly month: string;
  readonly zone: string;
  /** Cases accepted per center, in this order. */
  readonly centers: readonly { readonly centerId: string; readonly accepted: number }[];
  /** Cases left open at the end of the month per department; the others cycle through `departments`. */
  readonly inProgress: readonly { readonly departmentId: string; readonly count: number }[];
  readonly departments: readonly string[];
  /** The first `licensing` cases are 行政许可, the rest 公共服务. */
  readonly licensing: number;
  /** Prefix of the case ids (one month's ids must not collide with another's). */
  readonly idPrefix: string;
}

/**
 * The events of the month, in time order. Completed cases are done within a
 * day (promised 5 days, or an instant case within the hour), so every
 * completion is on time and no card starts; open cases are accepted at the
 * month's end with 20 days promised, far from any warning.
 */
export function monthEvents(plan: MonthPlan): Body[] {
  const first = zoneClock(plan.zone).startOfDay(parseDate(`${plan.month}-01`)) + 9 * H;
  const total = plan.centers.reduce((sum, c) => sum + c.accepted, 0);
  const open = plan.inProgress.flatMap((d) => Array.from({ length: d.count }, () => d.departmentId));
  const centerOf = spread(plan.centers.map((c) => [c.centerId, c.accepted] as const));
  const events: Body[] = [];
  for (let i = 0; i < total; i++) {
    const caseId = `${plan.idPrefix}-${i}`;
    const openAt = i - (total - open.length);
    const stillOpen = openAt >= 0;
    const instant = !stillOpen && i % 5 === 0;
    const at = stillOpen
      ? first + (27 + (openAt % 3)) * D + (openAt % 7) * H
      : first + (1 + (i % 26)) * D + (i % 8) * H;
    events.push({
      type: 'CaseAccepted',
      caseId,
      occurredAt: formatInstant(at, plan.zone),
      centerId: centerOf[i]!,
      departmentId: stillOpen ? open[openAt]! : plan.departments[i % plan.departments.length]!,
      matterCode: `M-${i % 40}`,
      kind: instant ? 'instant' : 'promised',
      promisedDays: instant ? 0 : stillOpen ? 20 : 5,
      channel: 'window',
      category: i < plan.licensing ? 'licensing' : 'public-service',
    });
    if (!stillOpen) {
      events.push({
        type: 'CaseCompleted',
        caseId,
        occurredAt: formatInstant(at + (instant ? 30 * 60_000 : D), plan.zone),
        outcome: 'approved',
      });
    }
  }
  return events.sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt));
}

/** Each key repeated its count times, interleaved so every center gets cases on every day. */
function spread(counts: readonly (readonly [string, number])[]): string[] {
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  const out: string[] = [];
  const given = counts.map(() => 0);
  for (let i = 0; i < total; i++) {
    // The key furthest behind its share so far.
    let best = 0;
    let bestLag = Number.NEGATIVE_INFINITY;
    counts.forEach(([, n], k) => {
      const lag = ((i + 1) * n) / total - given[k]!;
      if (given[k]! < n && lag > bestLag) {
        best = k;
        bestLag = lag;
      }
    });
    given[best]!++;
    out.push(counts[best]![0]);
  }
  return out;
}
