/**
 * Laws of a notice (`PUT /calendar/{year}`, SPEC §3) over the publishable years 2000–2100:
 * which years may be published and why not; a whole notice (each day once, make-up days on
 * weekends, every holiday of the law in force listed) is accepted in any order, and a notice is
 * refused with exactly the errors that name its faults; publishing an accepted notice makes the
 * working days it says; checking is pure, and a notice sent again changes nothing.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { EpochDay } from '../types.js';
import { dayFromYmd, formatDate, weekdayOf } from '../time.js';
import { lawInForce } from './holiday-law.js';
import { PUBLISHABLE_YEARS, changesNothing, checkNotice, noticeChanges, unpublishableYear } from './notice.js';
import type { NoticeDays } from './notice.js';
import type { CalendarData } from './data.js';
import { createCalendarService } from './service.js';

const isWeekend = (d: EpochDay) => weekdayOf(d) === 0 || weekdayOf(d) === 6;
/** The days a notice of `year` may set: December of the year before, and the year. */
const spanOf = (year: number) => ({ first: dayFromYmd(year - 1, 12, 1), last: dayFromYmd(year, 12, 31) });
const lawDays = (year: number) => lawInForce(year).holidays.map((h) => h.day);

/** A day of `year`'s notice span, with December of the year before and of the year drawn often. */
const spanDayArb = fc.oneof(
  fc.record({ part: fc.constant('decemberBefore' as const), n: fc.nat(30) }),
  fc.record({ part: fc.constant('year' as const), n: fc.nat(364) }),
  fc.record({ part: fc.constant('december' as const), n: fc.nat(30) }),
);
type SpanDay = typeof spanDayArb extends fc.Arbitrary<infer T> ? T : never;
const dayIn = (year: number, s: SpanDay): EpochDay =>
  s.part === 'decemberBefore'
    ? dayFromYmd(year - 1, 12, 1 + s.n)
    : s.part === 'december'
      ? dayFromYmd(year, 12, 1 + s.n)
      : dayFromYmd(year, 1, 1) + s.n;
/** The nearest Saturday or Sunday of the span from `d` (forward, else back). */
const weekendNear = (d: EpochDay, last: EpochDay): EpochDay => {
  if (isWeekend(d)) return d;
  const saturday = d + (6 - weekdayOf(d));
  return saturday <= last ? saturday : d - weekdayOf(d);
};

/** Reorder by sort keys (stable), as a caller may send the days in any order. */
const shuffle = <T>(list: readonly T[], keys: readonly number[]): T[] =>
  list
    .map((x, i) => ({ x, k: keys[i % keys.length] ?? 0 }))
    .sort((a, b) => a.k - b.k)
    .map((e) => e.x);

interface Drawn {
  readonly year: number;
  readonly notice: NoticeDays;
}

/** A whole notice: the law's holidays, some more holidays, make-up Saturdays and Sundays not also holidays. */
const wholeNoticeArb: fc.Arbitrary<Drawn> = fc
  .record({
    year: fc.integer({ min: PUBLISHABLE_YEARS.first, max: PUBLISHABLE_YEARS.last }),
    extra: fc.array(spanDayArb, { maxLength: 12 }),
    makeup: fc.array(spanDayArb, { maxLength: 8 }),
    keys: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
  })
  .map(({ year, extra, makeup, keys }) => {
    const holidays = [...new Set([...lawDays(year), ...extra.map((s) => dayIn(year, s))])];
    const off = new Set(holidays);
    const workdays = [
      ...new Set(makeup.map((s) => weekendNear(dayIn(year, s), spanOf(year).last)).filter((d) => !off.has(d))),
    ];
    return { year, notice: { holidays: shuffle(holidays, keys), workdays: shuffle(workdays, keys.slice(1)) } };
  });

/** None half the time, else one to three: so that some drawn notices are whole and most have one kind of fault. */
const faults = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(fc.constant([] as T[]), fc.array(arb, { minLength: 1, maxLength: 3 }));

/** Any notice of the span: a whole one with law holidays dropped, weekdays as make-up days, days repeated. */
const anyNoticeArb: fc.Arbitrary<Drawn> = fc
  .record({
    whole: wholeNoticeArb,
    drop: faults(fc.nat(20)),
    makeup: faults(spanDayArb),
    repeatH: faults(fc.nat(40)),
    repeatW: faults(fc.nat(40)),
    keys: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
  })
  .map(({ whole, drop, makeup, repeatH, repeatW, keys }) => {
    const { year, notice } = whole;
    const law = lawDays(year);
    const dropped = new Set(drop.map((i) => law[i % law.length]!));
    const h = notice.holidays.filter((d) => !dropped.has(d));
    const w = [...notice.workdays, ...makeup.map((s) => dayIn(year, s))];
    const again = <T>(list: T[], picks: number[]) => [
      ...list,
      ...picks.flatMap((i) => (list.length ? [list[i % list.length]!] : [])),
    ];
    return {
      year,
      notice: { holidays: shuffle(again(h, repeatH), keys), workdays: shuffle(again(w, repeatW), keys.slice(1)) },
    };
  });

/** The errors a notice should get, by field, from the rules of SPEC §3 read directly. */
function expectedFields({ year, notice }: Drawn, regional: boolean): string[] {
  const fields: string[] = [];
  const repeated = (name: string, list: readonly EpochDay[]) =>
    list.forEach((d, i) => {
      if (list.indexOf(d) < i) fields.push(`${name}[${i}]`);
    });
  repeated('holidays', notice.holidays);
  repeated('workdays', notice.workdays);
  notice.workdays.forEach((d, i) => {
    if (!isWeekend(d)) fields.push(`workdays[${i}]`);
  });
  if (!regional && lawDays(year).some((d) => !notice.holidays.includes(d))) fields.push('holidays');
  return fields.sort();
}

const DATE = /\d{4}-\d{2}-\d{2}/g;

describe('a notice (PUT /calendar/{year}) — laws over 2000–2100', () => {
  it('a year may be published iff it is in 2000–2100; a refusal names the year and the range (and the lunar data past 2100)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1995, max: 2005 }),
          fc.integer({ min: 2095, max: 2105 }),
          fc.integer({ min: 1, max: 9999 }),
        ),
        (year) => {
          const why = unpublishableYear(year);
          if (year >= 2000 && year <= 2100) {
            expect(why).toBeUndefined();
            return;
          }
          expect(why).toContain(`${year} is outside`);
          expect(why).toContain('2000–2100');
          expect(why!.includes('lunar data')).toBe(year > 2100);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a whole notice is accepted, national or regional, in whatever order its days are sent', () => {
    fc.assert(
      fc.property(wholeNoticeArb, ({ year, notice }) => {
        expect(checkNotice(year, notice, false)).toEqual([]);
        expect(checkNotice(year, notice, true)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a notice is refused with exactly one error per fault, each naming the entry and the date at fault', () => {
    fc.assert(
      fc.property(anyNoticeArb, fc.boolean(), (drawn, regional) => {
        const { year, notice } = drawn;
        const errors = checkNotice(year, notice, regional);
        expect(errors.map((e) => e.field).sort()).toEqual(expectedFields(drawn, regional));
        for (const { field, message } of errors) {
          const entry = /^(holidays|workdays)\[(\d+)\]$/.exec(field);
          if (entry !== null) {
            const list = entry[1] === 'holidays' ? notice.holidays : notice.workdays;
            const i = Number(entry[2]);
            const day = list[i]!;
            expect(message).toContain(formatDate(day));
            if (message.includes('listed already')) expect(message).toContain(`${entry[1]}[${list.indexOf(day)}]`);
            else expect(message).toMatch(/is a weekday/);
            continue;
          }
          // `holidays`: the missing days of the law in force, and no other date; the revision named.
          const listed = new Set(notice.holidays);
          const missing = lawDays(year)
            .filter((d) => !listed.has(d))
            .map(formatDate);
          expect(field).toBe('holidays');
          expect(message.match(DATE)).toEqual(missing);
          expect(message).toContain(`the ${lawInForce(year).revision} revision`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a regional notice gets the national errors less the law-holiday one (rule 1 only)', () => {
    fc.assert(
      fc.property(anyNoticeArb, ({ year, notice }) => {
        expect(checkNotice(year, notice, true)).toEqual(
          checkNotice(year, notice, false).filter((e) => e.field !== 'holidays'),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('checking is pure and deterministic: the same answer twice, the lists untouched', () => {
    fc.assert(
      fc.property(anyNoticeArb, fc.boolean(), ({ year, notice }, regional) => {
        const frozen = { holidays: Object.freeze([...notice.holidays]), workdays: Object.freeze([...notice.workdays]) };
        const first = checkNotice(year, frozen, regional);
        expect(checkNotice(year, frozen, regional)).toEqual(first);
        expect(frozen).toEqual(notice);
      }),
      { numRuns: 100 },
    );
  });

  it('what a notice changes takes the days in force to its days; the notice sent again, in any order, changes nothing', () => {
    fc.assert(
      fc.property(wholeNoticeArb, wholeNoticeArb, fc.array(fc.nat(), { minLength: 1 }), (a, b, keys) => {
        const before = a.notice;
        const after = b.notice;
        const c = noticeChanges(before, after);
        const apply = (list: readonly EpochDay[], added: readonly string[], removed: readonly string[]) =>
          [...list.map(formatDate).filter((d) => !removed.includes(d)), ...added].sort();
        expect(apply(before.holidays, c.holidaysAdded, c.holidaysRemoved)).toEqual(
          after.holidays.map(formatDate).sort(),
        );
        expect(apply(before.workdays, c.workdaysAdded, c.workdaysRemoved)).toEqual(
          after.workdays.map(formatDate).sort(),
        );
        const again = {
          holidays: shuffle(after.holidays, keys),
          workdays: shuffle(after.workdays, [...keys].reverse()),
        };
        expect(changesNothing(noticeChanges(after, again))).toBe(true);
        expect(changesNothing(c)).toBe(
          c.holidaysAdded.length + c.holidaysRemoved.length + c.workdaysAdded.length + c.workdaysRemoved.length === 0,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('an accepted notice, published, makes exactly its days: holidays off, make-up days on, the rest Monday–Friday; counting agrees', () => {
    // No other notice: the days around the year are the law's prediction, none of it in December.
    const empty: CalendarData = { baseId: 'none', baseLastYear: 1969, years: new Map(), regional: [] };
    fc.assert(
      fc.property(wholeNoticeArb, ({ year, notice }) => {
        expect(checkNotice(year, notice, false)).toEqual([]);
        const svc = createCalendarService('Asia/Shanghai', empty);
        const published = svc.publishYear(year, {
          holidays: notice.holidays.map(formatDate),
          workdays: notice.workdays.map(formatDate),
        });
        expect(E.isRight(published)).toBe(true);
        const cal = svc.current();
        const off = new Set(notice.holidays);
        const on = new Set(notice.workdays);
        const { first, last } = spanOf(year);
        const working: EpochDay[] = [];
        for (let d = first; d <= last; d++) {
          const expected = off.has(d) ? false : on.has(d) ? true : !isWeekend(d);
          if (cal.isWorkday(d) !== expected)
            expect(`${formatDate(d)} ${cal.isWorkday(d)}`).toBe(`${formatDate(d)} ${expected}`);
          if (expected) working.push(d);
        }
        expect(cal.countWorkdays(first - 1, last)).toBe(working.length);
        working.forEach((d, k) => {
          if (cal.nthWorkdayAfter(first - 1, k + 1) !== d)
            expect(formatDate(cal.nthWorkdayAfter(first - 1, k + 1))).toBe(formatDate(d));
        });
        for (const d of lawDays(year)) expect(cal.isWorkday(d)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
