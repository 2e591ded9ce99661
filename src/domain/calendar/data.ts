/**
 * Calendar content: per year the national holidays and make-up working days
 * (调休上班), plus regional days. The default comes from the `chinese-days`
 * package (State Council notices); operators replace years and add regional
 * days at run time (see service.ts). Values only, no index.
 */
import { createRequire } from 'node:module';
import type { EpochDay } from '../types.js';
import { tryParseDate } from '../time.js';

export type YearSource = 'chinese-days' | 'published';

/**
 * One year's notice. A notice may set days in the previous December (the 2019
 * and 2023 notices did), so `holidays` and `workdays` lie in that year or in
 * December of the year before.
 */
export interface YearDays {
  readonly holidays: readonly EpochDay[];
  readonly workdays: readonly EpochDay[];
  readonly source: YearSource;
}

export interface RegionalDay {
  readonly region: string;
  readonly day: EpochDay;
  readonly kind: 'holiday' | 'workday';
  /**
   * The year whose regional notice set it (a December day may belong to that year's notice or
   * to the next one's); absent for days added before session 14. Not part of the version.
   */
  readonly notice?: number;
}

export interface CalendarData {
  /** Identity of the default data, e.g. `chinese-days@1.5.7`. */
  readonly baseId: string;
  /** The last year the default data covers. */
  readonly baseLastYear: number;
  readonly years: ReadonlyMap<number, YearDays>;
  readonly regional: readonly RegionalDay[];
}

interface ChineseDaysJson {
  readonly holidays: Record<string, string>;
  readonly workdays: Record<string, string>;
}

/** The notice a date of the package belongs to: a December day named 元旦 is next year's. */
function noticeYear(text: string, name: string): number {
  const year = Number(text.slice(0, 4));
  return text.slice(5, 7) === '12' && name.includes('元旦') ? year + 1 : year;
}

function groupByYear(dates: Record<string, string>): Map<number, EpochDay[]> {
  const out = new Map<number, EpochDay[]>();
  for (const [text, name] of Object.entries(dates)) {
    const day = tryParseDate(text);
    if (day === undefined) continue;
    const year = noticeYear(text, name);
    let list = out.get(year);
    if (list === undefined) out.set(year, (list = []));
    list.push(day);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

let cached: CalendarData | undefined;

/** The default calendar data from the installed `chinese-days` package (loaded once). */
export function chineseDaysData(): CalendarData {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const json = require('chinese-days/dist/chinese-days.json') as ChineseDaysJson;
  const version = (require('chinese-days/package.json') as { version: string }).version;
  const holidays = groupByYear(json.holidays);
  const workdays = groupByYear(json.workdays);
  const years = new Map<number, YearDays>();
  for (const year of new Set([...holidays.keys(), ...workdays.keys()])) {
    years.set(year, {
      holidays: holidays.get(year) ?? [],
      workdays: workdays.get(year) ?? [],
      source: 'chinese-days',
    });
  }
  cached = {
    baseId: `chinese-days@${version}`,
    baseLastYear: Math.max(...years.keys()),
    years,
    regional: [],
  };
  return cached;
}
