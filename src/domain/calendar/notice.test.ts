import { describe, expect, it } from 'vitest';
import { checkNotice, noticeChanges } from './notice.js';
import { chineseDaysData } from './data.js';
import { WorkCalendar } from './work-calendar.js';
import { formatDate, parseDate, weekdayOf } from '../time.js';
import { isLawHolidayByPackage } from '../testing/calendar-reference.js';

process.env.TZ = 'UTC';
const data = chineseDaysData();
const notice = (year: number) => data.years.get(year)!;
const days = (list: readonly string[]) => list.map(parseDate);
const isWeekday = (d: number) => weekdayOf(d) !== 0 && weekdayOf(d) !== 6;

describe('a whole notice (PUT /calendar/{year})', () => {
  it('every State Council notice 2004–2026 in the package is a whole notice under the law then in force', () => {
    const refused: string[] = [];
    for (let y = 2004; y <= 2026; y++) {
      const errors = checkNotice(y, notice(y), false);
      if (errors.length > 0) refused.push(`${y}: ${errors.map((e) => e.message).join('; ')}`);
    }
    // The package's 2012 data lists 端午 as 6-22 and 6-24 but not Sat 6-23 itself (the notice: 6月22日至24日);
    // a weekend, so no working day changes. The only gap the law check finds in 23 notices.
    expect(refused).toEqual([expect.stringMatching(/^2012: .*missing 2012-06-23 \(端午\)/)]);
  });

  it('refuses a partial notice, naming the missing law holidays (issue 13 defect 6: one date used to replace a whole year)', () => {
    const errors = checkNotice(2027, { holidays: days(['2027-01-01']), workdays: [] }, false);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe('holidays');
    expect(errors[0]!.message).toContain('2027-02-05 (除夕)');
    expect(errors[0]!.message).toContain('2027-10-03 (国庆)');
    expect(errors[0]!.message).not.toContain('2027-01-01');
  });

  it('refuses a weekday listed as a make-up day, naming it; weekends are fine', () => {
    const n = notice(2026);
    const errors = checkNotice(
      2026,
      { holidays: n.holidays, workdays: [...n.workdays, parseDate('2026-03-02')] },
      false,
    );
    expect(errors).toEqual([
      {
        field: `workdays[${n.workdays.length}]`,
        message: expect.stringContaining('2026-03-02 is a weekday'),
      },
    ]);
    expect(checkNotice(2026, { holidays: [], workdays: days(['2026-03-02']) }, true)).toHaveLength(1);
    expect(checkNotice(2026, { holidays: [], workdays: days(['2026-03-07']) }, true)).toEqual([]);
  });

  it('takes the days of the notice in the previous December (2019 and 2023 notices)', () => {
    expect(notice(2019).holidays.slice(0, 2).map(formatDate)).toEqual(['2018-12-30', '2018-12-31']);
    expect(notice(2019).workdays.map(formatDate)).toContain('2018-12-29');
    expect(notice(2023).holidays.map(formatDate)).toContain('2022-12-31');
    expect(checkNotice(2019, notice(2019), false)).toEqual([]);
  });

  it('shows what a new notice changes', () => {
    expect(
      noticeChanges(
        { holidays: days(['2027-01-01', '2027-02-05']), workdays: [] },
        { holidays: days(['2027-01-01', '2027-02-09']), workdays: days(['2027-02-20']) },
      ),
    ).toEqual({
      holidaysAdded: ['2027-02-09'],
      holidaysRemoved: ['2027-02-05'],
      workdaysAdded: ['2027-02-20'],
      workdaysRemoved: [],
    });
  });
});

/**
 * Back-test: predict each published year 2015–2026 from the law alone (the
 * calendar without that year's notice) and compare with the notice.
 */
describe('back-test: predicting 2015–2026 from the law alone', () => {
  const rows: string[] = [];
  for (let y = 2015; y <= 2026; y++) {
    it(`${y}: never marks as working a day the notice made a holiday that the law fixes`, () => {
      const years = new Map(data.years);
      years.delete(y);
      const predicted = new WorkCalendar('Asia/Shanghai', { ...data, years });
      const off = notice(y).holidays.filter(isWeekday);
      const lawFixed = notice(y).holidays.filter(isLawHolidayByPackage);
      const missed = lawFixed.filter((d) => predicted.isWorkday(d)).map(formatDate);
      expect(missed).toEqual([]);
      const caught = off.filter((d) => !predicted.isWorkday(d)).length;
      expect(caught).toBeGreaterThan(0);
      rows.push(`| ${y} | ${off.length} | ${caught} | ${off.length - caught} |`);
      if (y === 2026) {
        // The table in docs/timing.md.
        console.info(['| year | off-weekdays in the notice | caught | not caught |', ...rows].join('\n'));
      }
    });
  }
});
