/**
 * The holidays fixed by 《全国年节及纪念日放假办法》 (2024 revision, art. 2), per
 * Gregorian year: what a year with no published notice is predicted to have
 * off (SPEC §3). Lunar dates come from the `chinese-days` package's lunar
 * data (month lengths and leap months, 1900–2100) and 清明 from its solar-term
 * formula; nothing here is a typed list of dates.
 */
import { createRequire } from 'node:module';
import type { EpochDay } from '../types.js';
import { dayFromYmd } from '../time.js';

/** Names the rule in calendar versions and views. */
export const HOLIDAY_LAW = '全国年节及纪念日放假办法(2024)';

export type LawHolidayName = '元旦' | '除夕' | '春节' | '清明' | '劳动节' | '端午' | '中秋' | '国庆';

export interface LawHoliday {
  readonly day: EpochDay;
  readonly name: LawHolidayName;
}

interface ChineseDaysLunar {
  monthDays(lunarYear: number, month: number): number;
  getYearLeapMonth(lunarYear: number): { leapMonth: number | undefined; days: number };
  getSolarTermDate(year: number, month: number, term: 'pure_brightness'): string;
}

const lunarApi = createRequire(import.meta.url)('chinese-days') as ChineseDaysLunar;

/** The package's lunar table starts at lunar 1900-01-01 = 1900-01-31 and ends with lunar year 2100. */
const LUNAR_ORIGIN = dayFromYmd(1900, 1, 31);
export const LUNAR_FIRST_YEAR = 1900;
export const LUNAR_LAST_YEAR = 2100;

function lunarYearDays(y: number): number {
  let days = lunarApi.getYearLeapMonth(y).days;
  for (let m = 1; m <= 12; m++) days += lunarApi.monthDays(y, m);
  return days;
}

let newYearDays: Int32Array | undefined;

/** The Gregorian day of 正月初一 of lunar year y (1900–2100). */
export function lunarNewYear(y: number): EpochDay {
  if (newYearDays === undefined) {
    const table = new Int32Array(LUNAR_LAST_YEAR - LUNAR_FIRST_YEAR + 1);
    let day = LUNAR_ORIGIN;
    for (let i = 0; i < table.length; i++) {
      table[i] = day;
      day += lunarYearDays(LUNAR_FIRST_YEAR + i);
    }
    newYearDays = table;
  }
  const found = newYearDays[y - LUNAR_FIRST_YEAR];
  if (found === undefined) throw new RangeError(`no lunar data for ${y}`);
  return found;
}

/** The Gregorian day of lunar (y, month, day), in the ordinary (not leap) month. */
export function lunarToDay(y: number, month: number, day: number): EpochDay {
  let d = lunarNewYear(y);
  const leap = lunarApi.getYearLeapMonth(y);
  for (let m = 1; m < month; m++) {
    d += lunarApi.monthDays(y, m);
    if (leap.leapMonth === m) d += leap.days;
  }
  return d + day - 1;
}

// The package renders a UTC-midnight Date with local-time getters: west of UTC
// its date strings are one day early. Measure that once and undo it.
const renderShift = new Date(Date.UTC(2000, 0, 15)).getDate() - 15;

/** 清明: the day of the solar term 清明 in April of year y, from the package's formula. */
export function qingming(y: number): EpochDay {
  const text = lunarApi.getSolarTermDate(y, 4, 'pure_brightness');
  return dayFromYmd(y, 4, Number(text.slice(8, 10))) - renderShift;
}

const memo = new Map<number, readonly LawHoliday[]>();

/**
 * The holidays the law fixes in Gregorian year y, sorted: 1 Jan; 除夕 and
 * 正月初一–初三; 清明; 1–2 May; 端午 (五月初五); 中秋 (八月十五); 1–3 Oct. Years
 * past the package's lunar data (after 2100) get the solar-calendar dates only.
 */
export function lawFixedHolidays(y: number): readonly LawHoliday[] {
  const known = memo.get(y);
  if (known !== undefined) return known;
  const out: LawHoliday[] = [
    { day: dayFromYmd(y, 1, 1), name: '元旦' },
    { day: dayFromYmd(y, 5, 1), name: '劳动节' },
    { day: dayFromYmd(y, 5, 2), name: '劳动节' },
    { day: dayFromYmd(y, 10, 1), name: '国庆' },
    { day: dayFromYmd(y, 10, 2), name: '国庆' },
    { day: dayFromYmd(y, 10, 3), name: '国庆' },
  ];
  if (y >= LUNAR_FIRST_YEAR && y <= LUNAR_LAST_YEAR) {
    const newYear = lunarNewYear(y);
    out.push(
      { day: newYear - 1, name: '除夕' },
      { day: newYear, name: '春节' },
      { day: newYear + 1, name: '春节' },
      { day: newYear + 2, name: '春节' },
      { day: qingming(y), name: '清明' },
      { day: lunarToDay(y, 5, 5), name: '端午' },
      { day: lunarToDay(y, 8, 15), name: '中秋' },
    );
  }
  out.sort((a, b) => a.day - b.day);
  memo.set(y, out);
  return out;
}

/** A revision of the law and the holidays it fixes in a year (what a whole notice must list). */
export interface LawInForce {
  readonly revision: string;
  readonly holidays: readonly LawHoliday[];
}

/**
 * The revision in force in year y and its fixed holidays, derived from the
 * 2024 list: 2013 revision (2014–2024) had no 除夕 and one May day; 2007
 * revision (2008–2013) had 除夕–初二 and one May day; 1999 revision (before
 * 2008) had 初一–初三, 1–3 May and 1–3 Oct, no lunar festival but 春节.
 */
export function lawInForce(y: number): LawInForce {
  const all = lawFixedHolidays(y);
  const may2 = dayFromYmd(y, 5, 2);
  if (y >= 2025) return { revision: '2024', holidays: all };
  if (y >= 2014) return { revision: '2013', holidays: all.filter((h) => h.name !== '除夕' && h.day !== may2) };
  const third = all.find((h) => h.name === '春节' && all.some((o) => o.name === '除夕' && o.day === h.day - 3));
  if (y >= 2008) return { revision: '2007', holidays: all.filter((h) => h !== third && h.day !== may2) };
  const kept = all.filter((h) => h.name === '元旦' || h.name === '春节' || h.name === '劳动节' || h.name === '国庆');
  const may3: LawHoliday = { day: dayFromYmd(y, 5, 3), name: '劳动节' };
  return { revision: '1999', holidays: [...kept, may3].sort((a, b) => a.day - b.day) };
}
