/**
 * Laws of `replaceRegionalYear` (a region's notice for a year, `PUT /calendar/{year}` with
 * `region`) over 2000–2100, after random histories of regional notices and of days added the
 * pre-session-14 way (no notice named): the region's days of that notice become exactly the ones
 * sent; nothing of another region, nor of the national calendar, changes; of the same region,
 * only the days of that notice's span change, and there the days another year's notice set stay;
 * the region's calendar and its counting agree with the days; a notice sent again changes nothing;
 * a day outside the span is refused, naming it, and changes nothing.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { EpochDay } from '../types.js';
import { dayFromYmd, formatDate } from '../time.js';
import { chineseDaysData } from './data.js';
import { createCalendarService, type CalendarService } from './service.js';
import type { WorkCalendar } from './work-calendar.js';

const REGIONS = ['xj', 'xz', 'nx'] as const;
type Kind = 'holiday' | 'workday';

/**
 * A day of a year's notice span: the year, or the last week of the December before or of the year
 * (where two notices' spans meet, and where 元旦's bridge days fall), as an offset.
 */
const spanDayArb = fc.oneof(
  { arbitrary: fc.record({ part: fc.constant('decemberBefore' as const), n: fc.nat(6) }), weight: 2 },
  { arbitrary: fc.record({ part: fc.constant('year' as const), n: fc.nat(364) }), weight: 1 },
  { arbitrary: fc.record({ part: fc.constant('december' as const), n: fc.nat(6) }), weight: 2 },
);
type SpanDay = typeof spanDayArb extends fc.Arbitrary<infer T> ? T : never;
const dayIn = (year: number, s: SpanDay): EpochDay =>
  s.part === 'decemberBefore'
    ? dayFromYmd(year - 1, 12, 25 + s.n)
    : s.part === 'december'
      ? dayFromYmd(year, 12, 25 + s.n)
      : dayFromYmd(year, 1, 1) + s.n;
const inSpan = (year: number, d: EpochDay) => d >= dayFromYmd(year - 1, 12, 1) && d <= dayFromYmd(year, 12, 31);

const daysArb = fc.array(fc.record({ at: spanDayArb, kind: fc.constantFrom<Kind>('holiday', 'workday') }), {
  maxLength: 6,
});
type DrawnDays = typeof daysArb extends fc.Arbitrary<infer T> ? T : never;

/** One day one kind (the first drawn), as the request's two lists of dates; `also`: more days, those of `year`'s span. */
function lists(year: number, drawn: DrawnDays, also: readonly (readonly [EpochDay, Kind])[] = []) {
  const kinds = new Map<EpochDay, Kind>();
  for (const [d, kind] of [...drawn.map(({ at, kind }) => [dayIn(year, at), kind] as const), ...also]) {
    if (!kinds.has(d) && inSpan(year, d)) kinds.set(d, kind);
  }
  const of = (k: Kind) => [...kinds].filter(([, v]) => v === k).map(([d]) => formatDate(d));
  return { kinds, holidays: of('holiday'), workdays: of('workday') };
}

/** Most operations are on the region whose notice the laws replace (REGIONS[0]). */
const opArb = fc.record({
  legacy: fc.boolean(),
  region: fc.oneof({ arbitrary: fc.constant(REGIONS[0]), weight: 3 }, fc.constantFrom(...REGIONS)),
  yearDelta: fc.integer({ min: -1, max: 1 }),
  days: daysArb,
});

const scenarioArb = fc.record({
  year: fc.integer({ min: 2000, max: 2100 }),
  history: fc.array(opArb, { maxLength: 5 }),
  region: fc.oneof({ arbitrary: fc.constant(REGIONS[0]), weight: 3 }, fc.constantFrom(...REGIONS)),
  days: daysArb,
  /** Days of the history sent again (those in the notice's span), often with the other kind. */
  again: fc.array(fc.record({ pick: fc.nat(), kind: fc.constantFrom<Kind>('holiday', 'workday') }), { maxLength: 3 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const opYear = (s: Scenario, op: Scenario['history'][number]) => Math.min(2100, Math.max(2000, s.year + op.yearDelta));

/** The replacing notice of a scenario: its drawn days, and days of its history sent again. */
function input(s: Scenario) {
  const past = s.history.flatMap((op) => op.days.map((d) => dayIn(opYear(s, op), d.at)));
  const again = past.length === 0 ? [] : s.again.map((a) => [past[a.pick % past.length]!, a.kind] as const);
  return lists(s.year, s.days, again);
}

/** The stored days, read plainly: per region, day → kind and the notice that set it (none: added). */
type Model = Map<string, Map<EpochDay, { kind: Kind; notice: number | undefined }>>;

/** Replay the history on a service and on the model (the SPEC's reading of the operations). */
function setUp(s: Scenario): { svc: CalendarService; model: Model } {
  const svc = createCalendarService('Asia/Shanghai', chineseDaysData());
  const model: Model = new Map(REGIONS.map((r) => [r, new Map()]));
  for (const op of s.history) {
    const year = opYear(s, op);
    const { kinds, holidays, workdays } = lists(year, op.days);
    const days = model.get(op.region)!;
    if (op.legacy) {
      if (kinds.size === 0) continue;
      expect(E.isRight(svc.addRegionalDays({ region: op.region, holidays, workdays }))).toBe(true);
      for (const [d, kind] of kinds) days.set(d, { kind, notice: undefined });
    } else {
      expect(E.isRight(svc.replaceRegionalYear(year, { region: op.region, holidays, workdays }))).toBe(true);
      for (const [d, e] of days) if (e.notice === year || (e.notice === undefined && inSpan(year, d))) days.delete(d);
      for (const [d, kind] of kinds) days.set(d, { kind, notice: year });
    }
  }
  return { svc, model };
}

/** The days the laws look at: from two Decembers before the notice to the end of the year after. */
const windowOf = (year: number) => ({ first: dayFromYmd(year - 2, 12, 1), last: dayFromYmd(year + 1, 12, 31) });
const workdays = (cal: WorkCalendar, year: number): boolean[] => {
  const { first, last } = windowOf(year);
  const out: boolean[] = [];
  for (let d = first; d <= last; d++) out.push(cal.isWorkday(d));
  return out;
};
const stored = (svc: CalendarService, region: string) =>
  svc
    .current()
    .data.regional.filter((r) => r.region === region)
    .map((r) => `${formatDate(r.day)}:${r.kind}:${r.notice ?? '-'}`)
    .sort();

describe('replaceRegionalYear (a regional notice) — laws over 2000–2100', () => {
  it("the region's days of the notice become exactly those sent, one entry a day; its other notices' days stay unless sent again", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { svc, model } = setUp(s);
        const before = new Map([s.year - 1, s.year + 1].map((y) => [y, svc.regionalDaysOf(y, s.region)]));
        const { kinds, holidays, workdays } = input(s);
        const result = svc.replaceRegionalYear(s.year, { region: s.region, holidays, workdays });
        expect(E.isRight(result) && result.right === svc.current()).toBe(true);
        const read = svc.regionalDaysOf(s.year, s.region);
        expect({ holidays: read.holidays.map(formatDate), workdays: read.workdays.map(formatDate) }).toEqual({
          holidays: [...holidays].sort(),
          workdays: [...workdays].sort(),
        });
        const entries = svc.current().data.regional.filter((r) => r.region === s.region);
        expect(new Set(entries.map((r) => r.day)).size).toBe(entries.length);
        // The neighbouring notices lose only the days sent now and the days added with no notice in this span.
        const days = model.get(s.region)!;
        for (const [y, was] of before) {
          const kept = (list: readonly EpochDay[]) =>
            list.filter((d) => !kinds.has(d) && !(days.get(d)?.notice === undefined && inSpan(s.year, d)));
          expect(svc.regionalDaysOf(y, s.region)).toEqual({
            holidays: kept(was.holidays),
            workdays: kept(was.workdays),
          });
        }
      }),
      { numRuns: 30 },
    );
  });

  it("nothing of another region, nor of the national calendar, changes; nor the region's days outside the notice's span", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { svc } = setUp(s);
        const cal0 = svc.current();
        const others = REGIONS.filter((r) => r !== s.region);
        const storedBefore = others.map((r) => stored(svc, r));
        const outside = (cal: WorkCalendar) =>
          cal.data.regional
            .filter((r) => r.region === s.region && !inSpan(s.year, r.day))
            .map((r) => `${r.day}:${r.kind}:${r.notice ?? '-'}`)
            .sort();
        const { holidays, workdays: w } = input(s);
        svc.replaceRegionalYear(s.year, { region: s.region, holidays, workdays: w });
        const cal1 = svc.current();
        expect(others.map((r) => stored(svc, r))).toEqual(storedBefore);
        for (const r of others)
          expect(workdays(cal1.forRegion(r), s.year)).toEqual(workdays(cal0.forRegion(r), s.year));
        expect(workdays(cal1, s.year)).toEqual(workdays(cal0, s.year));
        expect(outside(cal1)).toEqual(outside(cal0));
        const { first, last } = windowOf(s.year);
        const mine0 = cal0.forRegion(s.region);
        const mine1 = cal1.forRegion(s.region);
        for (let d = first; d <= last; d++) {
          if (!inSpan(s.year, d) && mine0.isWorkday(d) !== mine1.isWorkday(d)) expect(formatDate(d)).toBe('unchanged');
        }
      }),
      { numRuns: 30 },
    );
  });

  it("the region's calendar makes the days sent, keeps in the span the days other notices set, else the national day; counting agrees", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { svc, model } = setUp(s);
        const { kinds, holidays, workdays: w } = input(s);
        svc.replaceRegionalYear(s.year, { region: s.region, holidays, workdays: w });
        const national = svc.current();
        const mine = national.forRegion(s.region);
        const days = model.get(s.region)!;
        const { first, last } = windowOf(s.year);
        const working: EpochDay[] = [];
        for (let d = first; d <= last; d++) {
          const was = days.get(d);
          const survives =
            was !== undefined && !(inSpan(s.year, d) && (was.notice === s.year || was.notice === undefined));
          const kind = kinds.get(d) ?? (survives ? was.kind : undefined);
          const expected = kind === undefined ? national.isWorkday(d) : kind === 'workday';
          if (mine.isWorkday(d) !== expected)
            expect(`${formatDate(d)} ${mine.isWorkday(d)}`).toBe(`${formatDate(d)} ${expected}`);
          expect(mine.regionOfDay(d)).toBe(kind === undefined ? undefined : s.region);
          if (kind !== undefined) expect(mine.dayKind(d)).toBe(kind === 'holiday' ? 'holiday' : 'makeup');
          if (expected) working.push(d);
        }
        expect(mine.countWorkdays(first - 1, last)).toBe(working.length);
        working.forEach((d, k) => {
          if (mine.nthWorkdayAfter(first - 1, k + 1) !== d)
            expect(formatDate(mine.nthWorkdayAfter(first - 1, k + 1))).toBe(formatDate(d));
        });
      }),
      { numRuns: 30 },
    );
  });

  it('a notice sent again, or the days in force sent back, changes nothing: the same version, no listener called', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), (s, readBack) => {
        const { svc } = setUp(s);
        const { holidays, workdays: w } = input(s);
        if (readBack) {
          const now = svc.regionalDaysOf(s.year, s.region);
          const before = svc.current();
          const calls: string[] = [];
          svc.onChange((c) => calls.push(c.version));
          const sent = {
            region: s.region,
            holidays: now.holidays.map(formatDate),
            workdays: now.workdays.map(formatDate),
          };
          expect(E.isRight(svc.replaceRegionalYear(s.year, sent))).toBe(true);
          expect(svc.current().version).toBe(before.version);
          expect(calls).toEqual([]);
          expect(workdays(svc.current().forRegion(s.region), s.year)).toEqual(
            workdays(before.forRegion(s.region), s.year),
          );
          return;
        }
        svc.replaceRegionalYear(s.year, { region: s.region, holidays, workdays: w });
        const once = svc.current();
        const calls: string[] = [];
        svc.onChange((c) => calls.push(c.version));
        svc.replaceRegionalYear(s.year, { region: s.region, holidays: [...holidays].reverse(), workdays: w });
        expect(svc.current().version).toBe(once.version);
        expect(calls).toEqual([]);
        expect(stored(svc, s.region)).toEqual(
          once.data.regional
            .filter((r) => r.region === s.region)
            .map((r) => `${formatDate(r.day)}:${r.kind}:${r.notice ?? '-'}`)
            .sort(),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('a day outside the notice span is refused, naming its entry and the year, and changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), fc.boolean(), fc.nat(400), (s, asHoliday, before, n) => {
        const { svc } = setUp(s);
        const cal = svc.current();
        const calls: string[] = [];
        svc.onChange((c) => calls.push(c.version));
        const { holidays, workdays: w } = input(s);
        const stray = before ? dayFromYmd(s.year - 1, 12, 1) - 1 - n : dayFromYmd(s.year, 12, 31) + 1 + n;
        const list = asHoliday ? [...holidays, formatDate(stray)] : [...w, formatDate(stray)];
        const field = `${asHoliday ? 'holidays' : 'workdays'}[${list.length - 1}]`;
        const result = svc.replaceRegionalYear(s.year, {
          region: s.region,
          holidays: asHoliday ? list : holidays,
          workdays: asHoliday ? w : list,
        });
        expect(E.isLeft(result)).toBe(true);
        if (E.isLeft(result)) {
          expect(result.left).toEqual([
            { field, message: `${formatDate(stray)} is not in ${s.year} (nor in December ${s.year - 1})` },
          ]);
        }
        expect(svc.current()).toBe(cal);
        expect(calls).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
