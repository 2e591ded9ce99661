export {
  WorkCalendar,
  mergeDayRanges,
  calendarVersion,
  SPAN_FIRST_YEAR,
  SPAN_LAST_YEAR,
  turnsProvisionalAt,
} from './work-calendar.js';
export type { DayRange, DayKind, TimingCalendar, RegionOfCenter, WorkCalendarOptions } from './work-calendar.js';
export { chineseDaysData } from './data.js';
export type { CalendarData, RegionalDay, YearDays, YearSource } from './data.js';
export { createCalendarService, validateYearInput, validateRegionalInput, isRegionId } from './service.js';
export type { CalendarService, CalendarListener, YearInput, RegionalInput, YearView } from './service.js';
export { HOLIDAY_LAW, lawFixedHolidays, lawInForce } from './holiday-law.js';
export type { LawHoliday, LawHolidayName, LawInForce } from './holiday-law.js';
export { checkNotice, noticeChanges } from './notice.js';
export type { NoticeChanges, NoticeDays } from './notice.js';

import { chineseDaysData } from './data.js';
import { WorkCalendar } from './work-calendar.js';

/** The default calendar (chinese-days data, no run-time overrides) for a zone. */
export function defaultCalendar(zone = 'Asia/Shanghai'): WorkCalendar {
  return new WorkCalendar(zone, chineseDaysData());
}
