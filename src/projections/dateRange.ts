/** A list's date filter pair (`xFrom`, `xTo`: local dates, `to` exclusive) as instants in a zone. */
import { tryParseDate, zoneClock } from '../domain/index.js';
import { StatsQueryError } from './stats.js';

export interface Range {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Undefined when neither is given; a bad date, or `to` not after `from`, is refused naming the parameter. */
export function dateRange(
  from: string | undefined,
  to: string | undefined,
  names: [string, string],
  zone: string,
): Range | undefined {
  if (from === undefined && to === undefined) return undefined;
  const clock = zoneClock(zone);
  const day = (text: string | undefined, field: string): number | undefined => {
    if (text === undefined) return undefined;
    const d = tryParseDate(text);
    if (d === undefined) throw new StatsQueryError(field, 'must be a date YYYY-MM-DD');
    return d;
  };
  const fromDay = day(from, names[0]);
  const toDay = day(to, names[1]);
  if (fromDay !== undefined && toDay !== undefined && toDay <= fromDay)
    throw new StatsQueryError(names[1], `must be after ${names[0]} (the period is [from, to))`);
  return {
    fromMs: fromDay === undefined ? Number.NEGATIVE_INFINITY : clock.startOfDay(fromDay),
    toMs: toDay === undefined ? Number.POSITIVE_INFINITY : clock.startOfDay(toDay),
  };
}

/** A list's single-date filter (`openAt`, `overdueBy`) as the instant its day begins; undefined when not given. */
export const dayStartParam = (date: string | undefined, name: string, zone: string): number | undefined =>
  date === undefined ? undefined : dateRange(date, undefined, [name, name], zone)?.fromMs;

/** Whether `at` lies in the range (no range: every instant). */
export const inRange = (range: Range | undefined, at: number): boolean =>
  range === undefined || (at >= range.fromMs && at < range.toMs);
