import { describe, expect, it } from 'vitest';
import {
  calendarEventData,
  decodeCalendarYearPublished,
  decodeCalendarYearRequest,
  CALENDAR_EVENT_TYPE,
} from './calendarEvents.js';

describe('CalendarYearPublished codec', () => {
  const at = '2025-11-04T09:00:00+08:00';

  it('accepts a year and sorts its dates', () => {
    const r = decodeCalendarYearRequest(
      '2026',
      { holidays: ['2026-01-03', '2026-01-01'], workdays: ['2026-01-04'] },
      at,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      year: 2026,
      holidays: ['2026-01-01', '2026-01-03'],
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
    expect(bad({ holidays: ['2026-02-30'], workdays: [] })).toEqual(['holidays']);
    expect(bad({ holidays: ['2025-12-31'], workdays: [] })).toEqual(['holidays[0]']);
    expect(bad({ holidays: ['2026-01-04'], workdays: ['2026-01-04'] })).toEqual(['workdays[0]']);
    expect(bad({ workdays: [] })).toEqual(['holidays']);
    expect(bad({ holidays: [], workdays: [] }, 'abcd')).toEqual(['year']);
    expect(bad([])).toEqual(['(body)']);
  });
});
