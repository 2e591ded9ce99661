/**
 * Test helper: a slow, independent day-by-day reading of the calendar rules,
 * straight from the `chinese-days` package's public API (its notices'
 * isWorkday, its per-day lunar date and its solar terms), to check the fast
 * index and the law's holidays against. Tests that use it pin process.env.TZ
 * to UTC (the package formats dates with local-time methods). Not used by
 * production code.
 */
import { createRequire } from 'node:module';
import type { EpochDay } from '../types.js';
import { dayFromYmd, formatDate, weekdayOf, ymdFromDay } from '../time.js';

interface LunarDate {
  readonly lunarMon: number;
  readonly lunarDay: number;
  readonly isLeap: boolean;
}

const chineseDays = createRequire(import.meta.url)('chinese-days') as {
  isWorkday(date: string): boolean;
  getLunarDate(date: Date): LunarDate;
  getSolarTerms(start: string, end: string): { date: string; term: string }[];
};

/** The years the package's notices cover (its isWorkday is Mon–Fri outside them). */
export const PACKAGE_NOTICE_YEARS = { first: 2004, last: 2026 } as const;
const LUNAR_LAST = 2100;

const lunarOf = (day: EpochDay): LunarDate => chineseDays.getLunarDate(new Date(day * 86_400_000 + 43_200_000));

const qingmingMemo = new Map<number, EpochDay>();
/** 清明 of year y by the package's getSolarTerms. */
export function packageQingming(y: number): EpochDay {
  let d = qingmingMemo.get(y);
  if (d === undefined) {
    const term = chineseDays.getSolarTerms(`${y}-04-01`, `${y}-04-30`).find((t) => t.term === 'pure_brightness');
    if (term === undefined) throw new Error(`no 清明 in April ${y}`);
    d = dayFromYmd(y, 4, Number(term.date.slice(8, 10)));
    qingmingMemo.set(y, d);
  }
  return d;
}

/** Is `day` a holiday of the 2024 law, read day by day from the package (lunar dates only through 2100)? */
export function isLawHolidayByPackage(day: EpochDay): boolean {
  const { year, month, day: dom } = ymdFromDay(day);
  if ((month === 1 && dom === 1) || (month === 5 && dom <= 2) || (month === 10 && dom <= 3)) return true;
  if (year > LUNAR_LAST) return false;
  if (day === packageQingming(year)) return true;
  const l = lunarOf(day);
  if (!l.isLeap && l.lunarMon === 1 && l.lunarDay <= 3) return true; // 春节 初一–初三
  if (!l.isLeap && ((l.lunarMon === 5 && l.lunarDay === 5) || (l.lunarMon === 8 && l.lunarDay === 15))) return true;
  const next = lunarOf(day + 1);
  return !next.isLeap && next.lunarMon === 1 && next.lunarDay === 1; // 除夕: the eve of 正月初一
}

/** Working day by the reference: the package's notices in their years, else Mon–Fri minus the law's holidays. */
export function referenceIsWorkday(day: EpochDay): boolean {
  const { year } = ymdFromDay(day);
  if (year >= PACKAGE_NOTICE_YEARS.first && year <= PACKAGE_NOTICE_YEARS.last) {
    return chineseDays.isWorkday(formatDate(day));
  }
  const w = weekdayOf(day);
  if (w === 0 || w === 6) return false;
  return !isLawHolidayByPackage(day);
}
