import { describe, expect, it } from 'vitest';
import {
  calendarEventData,
  decodeCalendarYearPublished,
  decodeCalendarYearRequest,
  CALENDAR_EVENT_TYPE,
} from './calendarEvents.js';

/** The holidays the 2024 law fixes in 2026 (a whole notice lists at least these). */
const WHOLE_2026 = [
  '2026-01-01',
  '2026-02-16',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-04-05',
  '2026-05-01',
  '2026-05-02',
  '2026-06-19',
  '2026-09-25',
  '2026-10-01',
  '2026-10-02',
  '2026-10-03',
];
/** 2023 was under the 2013 revision: 元旦, 初一–初三, 清明, 1 May, 端午, 中秋, 1–3 Oct. */
const LAW_2023 = [
  '2023-01-01',
  '2023-01-22',
  '2023-01-23',
  '2023-01-24',
  '2023-04-05',
  '2023-05-01',
  '2023-06-22',
  '2023-09-29',
  '2023-10-01',
  '2023-10-02',
  '2023-10-03',
];

describe('CalendarYearPublished codec', () => {
  const at = '2025-11-04T09:00:00+08:00';

  it('accepts a year and sorts its dates', () => {
    const r = decodeCalendarYearRequest('2026', { holidays: [...WHOLE_2026].reverse(), workdays: ['2026-01-04'] }, at);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      year: 2026,
      holidays: WHOLE_2026,
      workdays: ['2026-01-04'],
      publishedAt: at,
    });
    const e = calendarEventData(r.value);
    expect(e.type).toBe(CALENDAR_EVENT_TYPE);
    expect(decodeCalendarYearPublished(e.data)).toEqual({ ok: true, value: r.value });
  });

  it('names the bad field', () => {
    const bad = (body: unknown, year: unknown = 2026) => {
      const r = decodeCalendarYearRequest(year, body, at);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(bad({ holidays: ['2026-02-30'], workdays: [] })).toEqual(['holidays[0]']);
    expect(bad({ holidays: ['2025-11-30'], workdays: [] })).toEqual(['holidays[0]']);
    expect(bad({ holidays: ['2026-01-04'], workdays: ['2026-01-04'] })).toEqual(['workdays[0]']);
    expect(bad({ workdays: [] })).toEqual(['holidays']);
    expect(bad({ holidays: [], workdays: [] }, 'abcd')).toEqual(['year']);
    expect(bad([])).toEqual(['(body)']);
  });

  it("takes the notice's days in the previous December (the 2023 notice: Sat 2022-12-31)", () => {
    const r = decodeCalendarYearRequest('2023', { holidays: ['2022-12-31', ...LAW_2023], workdays: [] }, at);
    expect(r.ok && r.value.holidays[0]).toBe('2022-12-31');
  });

  it('refuses a partial notice and a weekday make-up day (a stored event with them still replays)', () => {
    const partial = decodeCalendarYearRequest('2026', { holidays: ['2026-01-01'], workdays: [] }, at);
    expect(partial.ok ? [] : partial.errors.map((e) => e.field)).toEqual(['holidays']);
    expect(partial.ok ? '' : partial.errors[0]!.message).toContain('2026-02-16 (除夕)');
    const weekday = decodeCalendarYearRequest(
      '2026',
      { holidays: WHOLE_2026, workdays: ['2026-03-07', '2026-03-02'] },
      at,
    );
    expect(weekday.ok ? [] : weekday.errors.map((e) => e.field)).toEqual(['workdays[1]']);
    const stored = { year: 2026, holidays: ['2026-01-01'], workdays: ['2026-03-02'], publishedAt: at };
    expect(decodeCalendarYearPublished(stored).ok).toBe(true);
    const regional = decodeCalendarYearRequest('2026', { region: 'xj', holidays: ['2026-03-20'], workdays: [] }, at);
    expect(regional.ok).toBe(true);
  });
});
