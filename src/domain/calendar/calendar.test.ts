import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import * as E from 'fp-ts/lib/Either.js';
import { defaultCalendar, createCalendarService, mergeDayRanges, type DayRange } from './index.js';
import { dayFromYmd, formatDate, parseDate } from '../time.js';
import { referenceIsWorkday } from '../testing/calendar-reference.js';
import { SPAN_FIRST_YEAR, SPAN_LAST_YEAR } from './work-calendar.js';

// chinese-days computes weekdays with local-time Date methods: pin the process zone.
process.env.TZ = 'UTC';
const require = createRequire(import.meta.url);
const chineseDays = require('chinese-days') as { isWorkday(d: string): boolean };

const cal = defaultCalendar('Asia/Shanghai');
const D2015 = dayFromYmd(2015, 1, 1);
const D2027END = dayFromYmd(2027, 12, 31);
const day = fc.integer({ min: D2015, max: D2027END });

/** Slow reference: walk day by day over chinese-days' own isWorkday (and the law's holidays in predicted years). */
const slowIsWorkday = referenceIsWorkday;
function slowCount(a: number, b: number, merged: readonly DayRange[] = []): number {
  let n = 0;
  for (let d = a + 1; d <= b; d++) if (slowIsWorkday(d) && !merged.some((r) => d > r.after && d <= r.through)) n++;
  return n;
}
function slowNth(a: number, n: number, merged: readonly DayRange[] = []): number {
  let d = a;
  while (n > 0) {
    d++;
    if (slowIsWorkday(d) && !merged.some((r) => d > r.after && d <= r.through)) n--;
  }
  return d;
}

const rangesArb = fc.array(
  fc.tuple(day, fc.integer({ min: 0, max: 60 })).map(([after, len]): DayRange => ({ after, through: after + len })),
  { maxLength: 5 },
);

describe('default calendar (chinese-days data)', () => {
  it('agrees with the day-by-day reference on every date of the span 1970–2150, predicted years included', () => {
    const mismatches: string[] = [];
    const first = dayFromYmd(SPAN_FIRST_YEAR, 1, 1);
    const last = dayFromYmd(SPAN_LAST_YEAR, 12, 31);
    for (let d = first; d <= last; d++) if (cal.isWorkday(d) !== slowIsWorkday(d)) mismatches.push(formatDate(d));
    expect(mismatches).toEqual([]);
  });

  it('the notices agree with chinese-days isWorkday on every date of 2004–2026', () => {
    const mismatches: string[] = [];
    for (let d = dayFromYmd(2004, 1, 1); d <= dayFromYmd(2026, 12, 31); d++)
      if (cal.isWorkday(d) !== chineseDays.isWorkday(formatDate(d))) mismatches.push(formatDate(d));
    expect(mismatches).toEqual([]);
  });

  it('derives the last published year from the data and predicts later years from the law, marked provisional', () => {
    expect(cal.lastPublishedYear).toBe(2026);
    expect(cal.isProvisional(parseDate('2026-12-31'))).toBe(false);
    expect(cal.isProvisional(parseDate('2027-01-01'))).toBe(true);
    expect(cal.isWorkday(parseDate('2027-01-01'))).toBe(false); // a Friday, 元旦 by the law
    expect(cal.predictedHolidayOf(parseDate('2027-02-05'))).toBe('除夕');
    expect(cal.predictedHolidayOf(parseDate('2026-02-16'))).toBeUndefined(); // 2026 has its notice
    expect(cal.isWorkday(parseDate('2027-02-04'))).toBe(true);
  });

  it('issue 15: a case accepted 2026-12-15 with 15 days does not count Fri 2027-01-01 (due 2027-01-06, not 01-05)', () => {
    expect(formatDate(cal.nthWorkdayAfter(parseDate('2026-12-15'), 15))).toBe('2027-01-06');
  });

  it('provisional spans: any day of a predicted year between the end points, not only the end points', () => {
    const svc = createCalendarService('Asia/Shanghai');
    const full2028 = { holidays: [] as string[], workdays: [] as string[] };
    svc.publishYear(2028, full2028);
    const c = svc.current();
    const a = parseDate('2026-12-20');
    const b = parseDate('2028-01-10');
    expect(c.isProvisional(a) || c.isProvisional(b)).toBe(false); // the old end-point check
    expect(c.isProvisionalSpan(a, b)).toBe(true); // 2027 lies between
    expect(c.isProvisionalSpan(parseDate('2025-01-01'), parseDate('2026-12-19'))).toBe(false);
  });

  it('the last days of a December are provisional while the next year has no notice: its notice may set them', () => {
    const svc = createCalendarService('Asia/Shanghai');
    // 2026 is published (chinese-days), 2027 not: the 2027 notice may move 2026-12-20 … 12-31 (as the 2019
    // notice set 2018-12-29 to 12-31). Before, a case due 2026-12-31 was final and a notice then moved it.
    expect(svc.current().isProvisionalSpan(parseDate('2026-12-02'), parseDate('2026-12-19'))).toBe(false);
    expect(svc.current().isProvisionalSpan(parseDate('2026-12-02'), parseDate('2026-12-20'))).toBe(true);
    expect(svc.current().isProvisionalSpan(parseDate('2026-12-31'), parseDate('2026-12-31'))).toBe(true);
    svc.publishYear(2027, { holidays: ['2027-01-01'], workdays: [] });
    expect(svc.current().isProvisionalSpan(parseDate('2026-12-02'), parseDate('2026-12-31'))).toBe(false);
    // A published year whose December tail is not: 2025 with 2026 published is final throughout.
    expect(svc.current().isProvisionalSpan(parseDate('2025-12-01'), parseDate('2025-12-31'))).toBe(false);
  });

  it('provisionalFrom: the first day after a final span that a span reaching it makes provisional (property)', () => {
    const published = createCalendarService('Asia/Shanghai');
    const with2027 = createCalendarService('Asia/Shanghai');
    with2027.publishYear(2027, { holidays: ['2027-01-01'], workdays: [] });
    const runs = fc.tuple(day, fc.integer({ min: 0, max: 400 }), fc.boolean());
    fc.assert(
      fc.property(runs, ([start, length, later]) => {
        const c = (later ? with2027 : published).current();
        const today = start + length;
        fc.pre(!c.isProvisionalSpan(start, today));
        const p = c.provisionalFrom(today);
        expect(p).toBeGreaterThan(today);
        expect(c.isProvisionalSpan(start, p - 1)).toBe(false);
        expect(c.isProvisionalSpan(start, p)).toBe(true);
      }),
      { numRuns: 500 },
    );
    // Fixed: with 2027 unpublished, 2026-12-20 (the tail its notice may set); with 2027 published, 2027-12-20.
    expect(formatDate(published.current().provisionalFrom(parseDate('2026-12-18')))).toBe('2026-12-20');
    expect(formatDate(with2027.current().provisionalFrom(parseDate('2026-12-18')))).toBe('2027-12-20');
  });

  it('knows the make-up days and holidays of the State Council notices', () => {
    expect(cal.dayKind(parseDate('2024-02-18'))).toBe('makeup');
    expect(cal.dayKind(parseDate('2024-02-12'))).toBe('holiday');
    expect(cal.dayKind(parseDate('2024-02-24'))).toBe('weekend');
    expect(cal.dayKind(parseDate('2024-02-23'))).toBe('workday');
  });

  it('DOMAIN §7 case 1: accepted Fri 2026-02-13, limit 5 → Fri 2026-02-27', () => {
    expect(formatDate(cal.nthWorkdayAfter(parseDate('2026-02-13'), 5))).toBe('2026-02-27');
  });

  it('counting is additive over adjacent ranges', () => {
    fc.assert(
      fc.property(day, day, day, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        expect(cal.countWorkdays(a, b) + cal.countWorkdays(b, c)).toBe(cal.countWorkdays(a, c));
      }),
      { numRuns: 300 },
    );
  });

  it('nthWorkdayAfter then count round-trips, and lands on a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 400 }), (a, n) => {
        const d = cal.nthWorkdayAfter(a, n);
        expect(cal.countWorkdays(a, d)).toBe(n);
        expect(cal.isWorkday(d)).toBe(true);
        expect(d).toBe(slowNth(a, n));
      }),
      { numRuns: 200 },
    );
  });

  it('is Mon–Fri outside its indexed span, consistently across the span edges', () => {
    const a = dayFromYmd(2150, 12, 20);
    for (let n = 1; n <= 30; n++) {
      const d = cal.nthWorkdayAfter(a, n);
      expect(cal.countWorkdays(a, d)).toBe(n);
      expect(cal.isWorkday(d)).toBe(true);
    }
    const b = dayFromYmd(1969, 12, 1);
    expect(cal.countWorkdays(b, dayFromYmd(1970, 1, 31))).toBe(slowCount(b, dayFromYmd(1970, 1, 31)));
    expect(cal.nthWorkdayAfter(dayFromYmd(1960, 1, 1), 1)).toBe(dayFromYmd(1960, 1, 4));
  });
});

describe('pause-aware counting', () => {
  it('matches the day-by-day reference for random pause sets', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 120 }), rangesArb, (a, n, ranges) => {
        const merged = mergeDayRanges(ranges);
        const d = cal.nthCountedDayAfter(a, n, merged);
        expect(d).toBe(slowNth(a, n, merged));
        expect(cal.countWorkdaysExcluding(a, d, merged)).toBe(n);
        expect(cal.countWorkdaysExcluding(a, d + 45, merged)).toBe(slowCount(a, d + 45, merged));
      }),
      { numRuns: 150 },
    );
  });

  it('pauses lying only on non-working days change nothing', () => {
    const offDays: number[] = [];
    for (let d = D2015; d <= D2027END; d++) if (!cal.isWorkday(d)) offDays.push(d);
    const offRange = fc.integer({ min: 0, max: offDays.length - 1 }).map((i): DayRange => {
      const d = offDays[i]!;
      return { after: d - 1, through: d }; // covers exactly the off day d
    });
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 200 }), fc.array(offRange, { maxLength: 6 }), (a, n, ranges) => {
        const merged = mergeDayRanges(ranges);
        expect(cal.nthCountedDayAfter(a, n, merged)).toBe(cal.nthWorkdayAfter(a, n));
        expect(cal.countWorkdaysExcluding(a, a + 300, merged)).toBe(cal.countWorkdays(a, a + 300));
      }),
      { numRuns: 200 },
    );
  });

  it('overlapping pauses never count twice: union ≤ sum, = when disjoint', () => {
    fc.assert(
      fc.property(rangesArb, (ranges) => {
        const merged = mergeDayRanges(ranges);
        const lo = D2015 - 1;
        const hi = D2027END + 100;
        const paused = cal.countWorkdays(lo, hi) - cal.countWorkdaysExcluding(lo, hi, merged);
        const sum = ranges.reduce((s, r) => s + cal.countWorkdays(r.after, r.through), 0);
        expect(paused).toBeLessThanOrEqual(sum);
        const disjoint = ranges.every((r, i) =>
          ranges.every((q, j) => i === j || r.through <= q.after || q.through <= r.after),
        );
        if (disjoint) expect(paused).toBe(sum);
      }),
      { numRuns: 300 },
    );
  });

  it('adding a pause never makes a deadline earlier', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 60 }),
        rangesArb,
        day,
        fc.integer({ min: 0, max: 40 }),
        (a, n, ranges, p, len) => {
          const before = cal.nthCountedDayAfter(a, n, mergeDayRanges(ranges));
          const after = cal.nthCountedDayAfter(a, n, mergeDayRanges([...ranges, { after: p, through: p + len }]));
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('calendar service', () => {
  it('DOMAIN §7 case 10: a year published later moves the deadline and changes the version', () => {
    const partial2026 = { holidays: ['2026-01-01'], workdays: [] };
    const svc = createCalendarService('Asia/Shanghai');
    const seen: string[] = [];
    svc.onChange((next) => seen.push(next.version));
    const early = svc.publishYear(2026, partial2026);
    expect(E.isRight(early)).toBe(true);
    const acceptedOn = parseDate('2025-12-31');
    expect(formatDate(svc.current().nthWorkdayAfter(acceptedOn, 1))).toBe('2026-01-02');
    const v1 = svc.current().version;
    expect(v1).toMatch(/^cn-2026\+y2026@[0-9a-f]{8}$/);
    const full = defaultCalendar().data.years.get(2026)!;
    svc.publishYear(2026, { holidays: full.holidays.map(formatDate), workdays: full.workdays.map(formatDate) });
    expect(formatDate(svc.current().nthWorkdayAfter(acceptedOn, 1))).toBe('2026-01-04');
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(v1);
  });

  it('versions are deterministic from content', () => {
    const a = createCalendarService('Asia/Shanghai');
    const b = createCalendarService('Asia/Shanghai');
    expect(a.current().version).toBe(b.current().version);
    const input = { holidays: ['2027-01-01', '2027-02-08'], workdays: ['2027-02-06'] };
    a.publishYear(2027, input);
    b.publishYear(2027, { holidays: ['2027-02-08', '2027-01-01'], workdays: ['2027-02-06'] });
    expect(a.current().version).toBe(b.current().version);
    expect(a.current().version).toMatch(/^cn-2026\+y2027@/);
    expect(a.current().isProvisional(parseDate('2027-03-01'))).toBe(false);
    expect(a.current().lastPublishedYear).toBe(2027);
    expect(a.current().isWorkday(parseDate('2027-02-06'))).toBe(true); // a Saturday made a working day
    expect(a.getYear(2027)).toMatchObject({
      year: 2027,
      provisional: false,
      source: 'published',
      holidays: ['2027-01-01', '2027-02-08'],
    });
    expect(a.getYear(2030)).toMatchObject({
      status: 'predicted',
      provisional: true,
      source: 'predicted',
      predictedFrom: '全国年节及纪念日放假办法(2024)',
      workdays: [],
    });
    expect(a.getYear(2030)?.holidays).toContain('2030-02-02'); // 除夕 2030
    expect(a.getYear(2030)?.assumedHolidays).toContainEqual({ date: '2030-02-02', name: '除夕' });
    // Past the lunar data (2100) the prediction has only the solar-calendar holidays, and says so.
    expect(a.getYear(2100)?.predictedFrom).toBe('全国年节及纪念日放假办法(2024)');
    expect(a.getYear(2101)?.predictedFrom).toMatch(
      /^全国年节及纪念日放假办法\(2024\)，仅公历节日.*lunar data ends in 2100/,
    );
    expect(a.getYear(2101)?.assumedHolidays?.map((h) => h.name)).not.toContain('春节');
    expect(a.getYear(2025)).toMatchObject({ status: 'published', provisional: false, source: 'chinese-days' });
    // The 2019 notice's days in December 2018 belong to 2019.
    expect(a.getYear(2019)?.holidays.slice(0, 3)).toEqual(['2018-12-30', '2018-12-31', '2019-01-01']);
    expect(a.getYear(2019)?.workdays[0]).toBe('2018-12-29');
    // And the year 2018 says which of its days the next notice set.
    expect(a.getYear(2018)?.decemberOfNextNotice).toEqual({
      year: 2019,
      holidays: ['2018-12-30', '2018-12-31'],
      workdays: ['2018-12-29'],
    });
    expect(a.getYear(2025)?.decemberOfNextNotice).toBeUndefined();
  });

  it("a regional day in December sent with the next year's notice is listed under both years it belongs to", () => {
    const svc = createCalendarService('Asia/Shanghai');
    expect(E.isRight(svc.addRegionalDays({ region: 'r1', holidays: ['2026-12-31', '2027-01-04'] }))).toBe(true);
    const dates = (year: number) => svc.getYear(year)?.regional.map((r) => r.date);
    expect(dates(2027)).toEqual(['2026-12-31', '2027-01-04']);
    expect(dates(2026)).toEqual(['2026-12-31']);
    expect(dates(2028)).toEqual([]);
  });

  it('rejects bad input naming the field, and changes nothing', () => {
    const svc = createCalendarService('Asia/Shanghai');
    const before = svc.current().version;
    const bad = svc.publishYear(2027, {
      holidays: ['2027-02-30', '2026-11-30', '2027-03-01'],
      workdays: ['2027-03-01', 7],
    });
    expect(E.isLeft(bad)).toBe(true);
    const fields = E.isLeft(bad) ? bad.left.map((e) => e.field) : [];
    expect(fields).toEqual(['holidays[0]', 'holidays[1]', 'workdays[1]', 'workdays[0]']);
    const msgs = E.isLeft(bad) ? bad.left.map((e) => e.message).join(' | ') : '';
    expect(msgs).toContain('not in 2027');
    expect(msgs).toContain('also listed in holidays');
    expect(svc.publishYear(1800, { holidays: [], workdays: [] })).toMatchObject({
      _tag: 'Left',
      left: [{ field: 'year' }],
    });
    expect(svc.publishYear(2027, { holidays: [] })).toMatchObject({ _tag: 'Left', left: [{ field: 'workdays' }] });
    expect(svc.current().version).toBe(before);
  });

  it('adds regional days tagged with their region', () => {
    const svc = createCalendarService('Asia/Shanghai');
    const tuesday = parseDate('2025-04-01');
    expect(svc.current().isWorkday(tuesday)).toBe(true);
    const r = svc.addRegionalDays({ region: 'xj', holidays: ['2025-04-01'] });
    expect(E.isRight(r)).toBe(true);
    const c = svc.current();
    expect(c.isWorkday(tuesday)).toBe(true); // the national calendar: regional days apply only in their region
    expect(c.forRegion('xj').isWorkday(tuesday)).toBe(false);
    expect(c.forRegion('xj').regionOfDay(tuesday)).toBe('xj');
    expect(c.regionOfDay(tuesday)).toBeUndefined();
    expect(c.forCenter('any-center')).toBe(c); // no center → region mapping yet
    expect(c.version).toMatch(/\+r\.xj@/);
    expect(c.forRegion('xj').version).toBe(c.version);
    expect(svc.getYear(2025)?.regional).toEqual([{ region: 'xj', date: '2025-04-01', kind: 'holiday' }]);
    expect(E.isLeft(svc.addRegionalDays({ region: 'bad region', holidays: ['2025-04-01'] }))).toBe(true);
  });
});
