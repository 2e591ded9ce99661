/**
 * What a publishable notice is (the strict rules of `PUT /calendar/{year}`), and
 * what publishing it changes. Replaying a stored publication uses only the
 * lenient rules of service.ts, so a notice accepted once is never refused later.
 */
import type { EpochDay } from '../types.js';
import type { FieldError } from '../events.js';
import { formatDate, weekdayOf } from '../time.js';
import { FIRST_YEAR, LAST_YEAR } from '../inputBounds.js';
import { LUNAR_LAST_YEAR, lawInForce } from './holiday-law.js';

export interface NoticeDays {
  readonly holidays: readonly EpochDay[];
  readonly workdays: readonly EpochDay[];
}

export interface NoticeChanges {
  readonly holidaysAdded: readonly string[];
  readonly holidaysRemoved: readonly string[];
  readonly workdaysAdded: readonly string[];
  readonly workdaysRemoved: readonly string[];
}

const isWeekend = (day: EpochDay): boolean => {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
};

/**
 * The years a notice may be published for (session 25: any of the span 1970–2150 could be): those
 * an event may carry (inputBounds.ts). Before 2000 no case is timed, and the law `lawInForce`
 * models is the 1999 revision on (the five-day week itself began in 1995); after 2100 no case is
 * timed either, and the package's lunar data ends (LUNAR_LAST_YEAR), so a notice's 春节, 清明, 端午
 * and 中秋 could not be checked. Reads and stored publications keep the whole span.
 */
export const PUBLISHABLE_YEARS = { first: FIRST_YEAR, last: Math.min(LAST_YEAR, LUNAR_LAST_YEAR) } as const;

/** Why no notice may be published for `year`, or undefined when one may. */
export function unpublishableYear(year: number): string | undefined {
  const { first, last } = PUBLISHABLE_YEARS;
  if (year >= first && year <= last) return undefined;
  return `${year} is outside the years a notice can be published for, ${first}–${last}: no event is dated outside them${
    year > LUNAR_LAST_YEAR
      ? `, and the lunar data that checks a notice's lunar holidays ends in ${LUNAR_LAST_YEAR}`
      : ''
  }`;
}

/**
 * A whole national notice: each day listed once, every make-up working day
 * (调休上班) a Saturday or Sunday, and every holiday the law in force fixes that
 * year listed (a notice always lists them, weekends included). Regional days
 * (民族节日) are held to the first two rules. Errors name the field.
 */
export function checkNotice(year: number, days: NoticeDays, regional: boolean): FieldError[] {
  const errors: FieldError[] = [...repeats('holidays', days.holidays), ...repeats('workdays', days.workdays)];
  days.workdays.forEach((d, i) => {
    if (!isWeekend(d)) {
      errors.push({
        field: `workdays[${i}]`,
        message: `${formatDate(d)} is a weekday, already a working day: a make-up day (调休上班) is a Saturday or Sunday`,
      });
    }
  });
  if (regional) return errors;
  const listed = new Set(days.holidays);
  const law = lawInForce(year);
  const missing = law.holidays.filter((h) => !listed.has(h.day));
  if (missing.length > 0) {
    const names = missing.map((h) => `${formatDate(h.day)} (${h.name})`).join(', ');
    errors.push({
      field: 'holidays',
      message: `not the whole notice: missing ${names}, fixed by the ${law.revision} revision of 全国年节及纪念日放假办法; send every holiday and make-up day of the ${year} notice`,
    });
  }
  return errors;
}

/** A day listed again: the list would be stored as sent, and every replay fold it again. */
function repeats(field: string, days: readonly EpochDay[]): FieldError[] {
  const first = new Map<EpochDay, number>();
  const errors: FieldError[] = [];
  days.forEach((d, i) => {
    const j = first.get(d);
    if (j === undefined) first.set(d, i);
    else errors.push({ field: `${field}[${i}]`, message: `${formatDate(d)} is listed already, as ${field}[${j}]` });
  });
  return errors;
}

const minus = (a: readonly EpochDay[], b: readonly EpochDay[]): string[] => {
  const drop = new Set(b);
  return a.filter((d) => !drop.has(d)).map(formatDate);
};

/** True when a notice changes no day: the same days as those in force, in whatever order they were sent. */
export function changesNothing(c: NoticeChanges): boolean {
  return c.holidaysAdded.length + c.holidaysRemoved.length + c.workdaysAdded.length + c.workdaysRemoved.length === 0;
}

/** Which days a new notice adds and removes against the days in force before it. */
export function noticeChanges(before: NoticeDays, after: NoticeDays): NoticeChanges {
  return {
    holidaysAdded: minus(after.holidays, before.holidays),
    holidaysRemoved: minus(before.holidays, after.holidays),
    workdaysAdded: minus(after.workdays, before.workdays),
    workdaysRemoved: minus(before.workdays, after.workdays),
  };
}
