/**
 * The calendar in force and its run-time corrections (pure, no I/O): publish or
 * correct a year (full replacement of its notice: holidays and make-up days,
 * including the notice's days in the previous December), add regional days. Every change makes a new immutable WorkCalendar with a new
 * version and notifies listeners so projections can recompute.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { EpochDay } from '../types.js';
import type { FieldError } from '../events.js';
import { dateProblem, formatDate, tryParseDate, yearOfDay, ymdFromDay } from '../time.js';
import { chineseDaysData, type CalendarData, type RegionalDay, type YearDays, type YearSource } from './data.js';
import { SPAN_FIRST_YEAR, SPAN_LAST_YEAR, WorkCalendar, type RegionOfCenter } from './work-calendar.js';
import { HOLIDAY_LAW, LUNAR_LAST_YEAR, lawFixedHolidays, type LawHolidayName } from './holiday-law.js';
import type { NoticeDays } from './notice.js';

export interface YearInput {
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

export interface RegionalInput {
  readonly region: string;
  readonly holidays?: readonly string[];
  readonly workdays?: readonly string[];
}

export interface YearView {
  readonly year: number;
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
  /** The regional days dated in the notice's span: the previous December and the year. */
  readonly regional: readonly {
    readonly region: string;
    readonly date: string;
    readonly kind: 'holiday' | 'workday';
  }[];
  /**
   * The days of this year's December that the next year's notice sets (as the 2019 notice set
   * 2018-12-29 to 31), absent when it sets none: with `holidays` and `workdays`, every day of
   * the year that a notice makes a holiday or a working day.
   */
  readonly decemberOfNextNotice?: {
    readonly year: number;
    readonly holidays: readonly string[];
    readonly workdays: readonly string[];
  };
  /** `published`: a notice is in force (package data or run-time); `predicted`: the law's holidays are assumed. */
  readonly status: 'published' | 'predicted';
  /** True when the year has no notice (its days are predicted). */
  readonly provisional: boolean;
  readonly source: YearSource | 'predicted';
  /** For a predicted year: the rule, and each assumed holiday with its name. */
  readonly predictedFrom?: string;
  readonly assumedHolidays?: readonly { readonly date: string; readonly name: LawHolidayName }[];
  readonly version: string;
}

export type CalendarListener = (calendar: WorkCalendar, previous: WorkCalendar) => void;

export interface CalendarService {
  readonly zone: string;
  current(): WorkCalendar;
  publishYear(year: number, input: unknown): E.Either<readonly FieldError[], WorkCalendar>;
  addRegionalDays(input: unknown): E.Either<readonly FieldError[], WorkCalendar>;
  /**
   * A region's notice for `year`: its days in the notice's span (the year and the December before)
   * become exactly these, so a day can be corrected or withdrawn (no day: every one withdrawn).
   */
  replaceRegionalYear(year: number, input: unknown): E.Either<readonly FieldError[], WorkCalendar>;
  /** A region's days in the span of `year`'s notice. */
  regionalDaysOf(year: number, region: string): NoticeDays;
  getYear(year: number): YearView | undefined;
  /** The days in force for a year: its notice, else the law's predicted holidays (no make-up days). */
  noticeDays(year: number): NoticeDays;
  /** Subscribe to calendar changes; returns the unsubscribe function. */
  onChange(listener: CalendarListener): () => void;
  /**
   * Plug in the center → region mapping (the directory of SPEC §4 when it lands).
   * Calendars made from now on use it; listeners are told, so every case is recomputed.
   */
  setRegionOfCenter(regionOfCenter: RegionOfCenter): void;
  /** The center → region mapping in use (e.g. for a calendar rebuilt as known at an instant). */
  regionOfCenter(): RegionOfCenter;
}

const REGION_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** A region tag for regional days: 1–64 characters of [A-Za-z0-9._-]. */
export const isRegionId = (s: string): boolean => REGION_RE.test(s);

/**
 * `regionOfCenter` says which region's regional days apply to a center's cases
 * (default: none, so regional days apply to no case until a mapping is given).
 */
export function createCalendarService(
  zone: string,
  initial: CalendarData = chineseDaysData(),
  regionOfCenter: RegionOfCenter = () => undefined,
): CalendarService {
  let mapping = regionOfCenter;
  let calendar = new WorkCalendar(zone, initial, { regionOfCenter: mapping });
  const listeners = new Set<CalendarListener>();

  const replace = (data: CalendarData, force = false): WorkCalendar => {
    const previous = calendar;
    const next = new WorkCalendar(zone, data, { regionOfCenter: mapping });
    calendar = next;
    if (force || next.version !== previous.version) for (const l of [...listeners]) l(next, previous);
    return next;
  };

  return {
    zone,
    current: () => calendar,
    publishYear(year, input) {
      const checked = validateYearInput(year, input);
      if (E.isLeft(checked)) return checked;
      const years = new Map(calendar.data.years);
      years.set(year, { ...checked.right, source: 'published' });
      return E.right(replace({ ...calendar.data, years }));
    },
    addRegionalDays(input) {
      const checked = validateRegionalInput(input);
      if (E.isLeft(checked)) return checked;
      const added = checked.right;
      const keep = calendar.data.regional.filter((r) => !added.some((a) => a.day === r.day && a.region === r.region));
      return E.right(replace({ ...calendar.data, regional: [...keep, ...added] }));
    },
    replaceRegionalYear(year, input) {
      const checked = validateRegionalInput(input, year);
      if (E.isLeft(checked)) return checked;
      const region = (input as { region: string }).region;
      const added = checked.right;
      const keep = calendar.data.regional.filter(
        (r) => r.region !== region || !(ofNotice(r, year) || added.some((a) => a.day === r.day)),
      );
      return E.right(replace({ ...calendar.data, regional: [...keep, ...added] }));
    },
    regionalDaysOf(year, region) {
      const days = calendar.data.regional.filter((r) => r.region === region && ofNotice(r, year));
      const of = (kind: 'holiday' | 'workday') => uniqueSorted(days.filter((r) => r.kind === kind).map((r) => r.day));
      return { holidays: of('holiday'), workdays: of('workday') };
    },
    getYear(year) {
      if (!Number.isInteger(year)) return undefined;
      const y = calendar.data.years.get(year);
      const days = noticeDaysOf(calendar, year);
      const regional = calendar.data.regional
        .filter((r) => inNoticeOf(r.day, year))
        .sort((a, b) => a.day - b.day)
        .map((r) => ({ region: r.region, date: formatDate(r.day), kind: r.kind }));
      const common = {
        year,
        holidays: days.holidays.map(formatDate),
        workdays: days.workdays.map(formatDate),
        regional,
        ...decemberOfNextNotice(calendar, year),
        version: calendar.version,
      };
      if (y !== undefined) return { ...common, status: 'published', provisional: false, source: y.source };
      return {
        ...common,
        status: 'predicted',
        provisional: true,
        source: 'predicted',
        // Past the lunar data the law's lunar holidays cannot be placed: the answer says so, not silently less.
        predictedFrom:
          year > LUNAR_LAST_YEAR
            ? `${HOLIDAY_LAW}，仅公历节日：农历数据止于${LUNAR_LAST_YEAR}年，春节、清明、端午、中秋未计 (solar-calendar holidays only: the lunar data ends in ${LUNAR_LAST_YEAR})`
            : HOLIDAY_LAW,
        assumedHolidays: lawFixedHolidays(year).map((h) => ({ date: formatDate(h.day), name: h.name })),
      };
    },
    noticeDays: (year) => noticeDaysOf(calendar, year),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    regionOfCenter: () => mapping,
    setRegionOfCenter(next) {
      mapping = next;
      // A fresh regional list tells listeners that any case may be affected.
      replace({ ...calendar.data, regional: [...calendar.data.regional] }, true);
    },
  };
}

function noticeDaysOf(calendar: WorkCalendar, year: number): NoticeDays {
  const y = calendar.data.years.get(year);
  if (y !== undefined) return { holidays: y.holidays, workdays: y.workdays };
  return { holidays: uniqueSorted(lawFixedHolidays(year).map((h) => h.day)), workdays: [] };
}

/** The days of `year` that the notice of `year + 1` sets (in its December), when there are any. */
function decemberOfNextNotice(calendar: WorkCalendar, year: number): Pick<YearView, 'decemberOfNextNotice'> {
  const next = calendar.data.years.get(year + 1);
  if (next === undefined) return {};
  const inYear = (days: readonly EpochDay[]) => days.filter((d) => yearOfDay(d) === year).map(formatDate);
  const holidays = inYear(next.holidays);
  const workdays = inYear(next.workdays);
  return holidays.length + workdays.length === 0
    ? {}
    : { decemberOfNextNotice: { year: year + 1, holidays, workdays } };
}

/** A regional day set by `year`'s notice (one added before session 14: any in that notice's span). */
const ofNotice = (r: RegionalDay, year: number): boolean =>
  r.notice === undefined ? inNoticeOf(r.day, year) : r.notice === year;

/** A date of year `year`'s notice: in that year, or in the December before it. */
const inNoticeOf = (day: EpochDay, year: number): boolean => {
  const { year: y, month } = ymdFromDay(day);
  return y === year || (y === year - 1 && month === 12);
};

function parseDateList(field: string, value: unknown, year: number | undefined, errors: FieldError[]): EpochDay[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'must be an array of dates YYYY-MM-DD' });
    return [];
  }
  const days: EpochDay[] = [];
  value.forEach((item: unknown, i) => {
    const f = `${field}[${i}]`;
    const problem = dateProblem(item);
    const day = problem === undefined ? tryParseDate(item as string) : undefined;
    if (day === undefined) {
      errors.push({ field: f, message: problem ?? `must be a date YYYY-MM-DD; got ${JSON.stringify(item)}` });
    } else if (year !== undefined && !inNoticeOf(day, year)) {
      errors.push({ field: f, message: `${String(item)} is not in ${year} (nor in December ${year - 1})` });
    } else if (year === undefined && (yearOfDay(day) < SPAN_FIRST_YEAR || yearOfDay(day) > SPAN_LAST_YEAR)) {
      errors.push({ field: f, message: `must be within ${SPAN_FIRST_YEAR}–${SPAN_LAST_YEAR}` });
    } else {
      days.push(day);
    }
  });
  return days;
}

function checkDisjoint(holidays: readonly EpochDay[], workdays: readonly EpochDay[], errors: FieldError[]): void {
  const h = new Set(holidays);
  workdays.forEach((d, i) => {
    if (h.has(d)) errors.push({ field: `workdays[${i}]`, message: `${formatDate(d)} is also listed in holidays` });
  });
}

const uniqueSorted = (days: readonly EpochDay[]): EpochDay[] => [...new Set(days)].sort((a, b) => a - b);

export function validateYearInput(
  year: number,
  input: unknown,
): E.Either<readonly FieldError[], Omit<YearDays, 'source'>> {
  const errors: FieldError[] = [];
  if (!Number.isInteger(year) || year < SPAN_FIRST_YEAR || year > SPAN_LAST_YEAR) {
    errors.push({ field: 'year', message: `must be an integer year within ${SPAN_FIRST_YEAR}–${SPAN_LAST_YEAR}` });
    return E.left(errors);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return E.left([{ field: '(body)', message: 'expected an object {holidays: [...], workdays: [...]}' }]);
  }
  const body = input as Record<string, unknown>;
  for (const key of ['holidays', 'workdays']) {
    if (body[key] === undefined)
      errors.push({ field: key, message: 'must be an array of dates YYYY-MM-DD; it is missing' });
  }
  const holidays = parseDateList('holidays', body['holidays'], year, errors);
  const workdays = parseDateList('workdays', body['workdays'], year, errors);
  checkDisjoint(holidays, workdays, errors);
  if (errors.length > 0) return E.left(errors);
  return E.right({ holidays: uniqueSorted(holidays), workdays: uniqueSorted(workdays) });
}

/**
 * `year` given: a region's notice for that year (its days in the notice's span; none withdraws them);
 * else days to add (at least one).
 */
export function validateRegionalInput(input: unknown, year?: number): E.Either<readonly FieldError[], RegionalDay[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return E.left([{ field: '(body)', message: 'expected an object {region, holidays?, workdays?}' }]);
  }
  const body = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const region = body['region'];
  if (typeof region !== 'string' || !isRegionId(region)) {
    errors.push({ field: 'region', message: 'must be a string of 1–64 characters from [A-Za-z0-9._-]' });
  }
  const holidays = parseDateList('holidays', body['holidays'], year, errors);
  const workdays = parseDateList('workdays', body['workdays'], year, errors);
  checkDisjoint(holidays, workdays, errors);
  if (year === undefined && holidays.length + workdays.length === 0 && errors.length === 0) {
    errors.push({ field: 'holidays', message: 'at least one holiday or workday is required' });
  }
  if (errors.length > 0) return E.left(errors);
  const r = region as string;
  const notice = year === undefined ? {} : { notice: year };
  return E.right([
    ...uniqueSorted(holidays).map((day) => ({ region: r, day, kind: 'holiday' as const, ...notice })),
    ...uniqueSorted(workdays).map((day) => ({ region: r, day, kind: 'workday' as const, ...notice })),
  ]);
}
