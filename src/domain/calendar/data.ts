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

export interface YearDays {
  readonly holidays: readonly EpochDay[];
  readonly workdays: readonly EpochDay[];
  readonly source: YearSource;
}

export interface RegionalDay {
  readonly region: string;
  readonly day: EpochDay;
  readonly kind: 'holiday' | 'workday';
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

function groupByYear(dates: readonly string[]): Map<number, EpochDay[]> {
  const out = new Map<number, EpochDay[]>();
  for (const text of dates) {
    const day = tryParseDate(text);
    if (day === undefined) continue;
    const year = Number(text.slice(0, 4));
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
  const holidays = groupByYear(Object.keys(json.holidays));
  const workdays = groupByYear(Object.keys(json.workdays));
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
