import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { lawFixedHolidays, lawInForce, LUNAR_LAST_YEAR } from './holiday-law.js';
import { dayFromYmd, formatDate } from '../time.js';
import { isLawHolidayByPackage, packageQingming } from '../testing/calendar-reference.js';

// chinese-days formats dates with local-time Date methods: pin the process zone.
process.env.TZ = 'UTC';
const require = createRequire(import.meta.url);
const chineseDays = require('chinese-days') as {
  getLunarFestivals(start: string, end: string): { date: string; name: string[] }[];
};

const listed = (year: number) => lawFixedHolidays(year).map((h) => `${formatDate(h.day)} ${h.name}`);

describe('holidays fixed by 全国年节及纪念日放假办法 (2024 revision)', () => {
  it('2027, worked from the law: 元旦 1 Jan; 春节 除夕 5 Feb + 初一–初三 6–8 Feb; 清明 5 Apr; 1–2 May; 端午 9 Jun; 中秋 15 Sep; 1–3 Oct', () => {
    expect(listed(2027)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 除夕',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-04-05 清明',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-06-09 端午',
      '2027-09-15 中秋',
      '2027-10-01 国庆',
      '2027-10-02 国庆',
      '2027-10-03 国庆',
    ]);
  });

  it("2027's lunar and solar-term dates agree with the package's lunar API (getLunarFestivals, getSolarTerms)", () => {
    const festivals = chineseDays.getLunarFestivals('2027-01-01', '2027-12-31');
    const on = (name: string) => festivals.filter((f) => f.name.includes(name)).map((f) => f.date);
    expect(on('除夕')).toEqual(['2027-02-05']);
    expect(on('春节')).toEqual(['2027-02-06']);
    expect(on('端午节')).toEqual(['2027-06-09']);
    expect(on('中秋节')).toEqual(['2027-09-15']);
    expect(formatDate(packageQingming(2027))).toBe('2027-04-05');
  });

  it("every year 1970–2100: each predicted holiday is a law holiday by the package's day-by-day lunar reading, and there are 13 (12 when 中秋 is in 1–3 Oct)", () => {
    const wrong: string[] = [];
    for (let y = 1970; y <= LUNAR_LAST_YEAR; y++) {
      const days = lawFixedHolidays(y);
      for (const h of days) if (!isLawHolidayByPackage(h.day)) wrong.push(`${formatDate(h.day)} ${h.name}`);
      const unique = new Set(days.map((h) => h.day)).size;
      const midAutumn = days.find((h) => h.name === '中秋')!.day;
      const clash = midAutumn >= dayFromYmd(y, 10, 1) && midAutumn <= dayFromYmd(y, 10, 3);
      if (unique !== (clash ? 12 : 13)) wrong.push(`${y}: ${unique} days`);
    }
    expect(wrong).toEqual([]);
  });

  it('after the lunar data (2101–2150) only the solar-calendar dates are predicted', () => {
    expect(listed(2101)).toEqual([
      '2101-01-01 元旦',
      '2101-05-01 劳动节',
      '2101-05-02 劳动节',
      '2101-10-01 国庆',
      '2101-10-02 国庆',
      '2101-10-03 国庆',
    ]);
  });

  it('earlier revisions: 2013 (no 除夕, one May day), 2007 (除夕–初二), 1999 (初一–初三, 1–3 May)', () => {
    expect(lawInForce(2026).revision).toBe('2024');
    expect(lawInForce(2026).holidays).toHaveLength(13);
    const r2013 = lawInForce(2024);
    expect(r2013.revision).toBe('2013');
    expect(r2013.holidays.map((h) => h.name)).not.toContain('除夕');
    expect(r2013.holidays.map((h) => formatDate(h.day))).not.toContain('2024-05-02');
    const r2007 = lawInForce(2010).holidays.map((h) => `${formatDate(h.day)} ${h.name}`);
    expect(r2007).toContain('2010-02-13 除夕');
    expect(r2007).toContain('2010-02-15 春节');
    expect(r2007).not.toContain('2010-02-16 春节');
    const r1999 = lawInForce(2004).holidays.map((h) => `${formatDate(h.day)} ${h.name}`);
    expect(r1999).toContain('2004-05-03 劳动节');
    expect(r1999.some((h) => h.includes('清明') || h.includes('除夕'))).toBe(false);
  });
});
