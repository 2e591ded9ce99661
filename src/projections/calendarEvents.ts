/**
 * The calendar is event-sourced: `PUT /calendar/{year}` appends a
 * `CalendarYearPublished` event to stream `calendar-CN`; the projection runner
 * applies it to the calendar service, so a published or corrected year
 * survives restarts and replays in commit order with the case events.
 */
import { textProblem, unknownNameErrors } from '../domain/inputBounds.js';
import { randomUUID } from 'node:crypto';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  Instant,
  SPAN_FIRST_YEAR,
  SPAN_LAST_YEAR,
  checkNotice,
  dateProblem,
  describeErrors,
  isRegionId,
  parseDate,
  tryParseDate,
  validateYearInput,
  type CalendarService,
  type FieldError,
} from '../domain/index.js';
import type { EventData, RecordedEvent } from '../store/port.js';

export const CALENDAR_STREAM_ID = 'calendar-CN';
export const CALENDAR_STREAM_PREFIX = 'calendar-';
export const CALENDAR_EVENT_TYPE = 'CalendarYearPublished';

interface LocalDateBrand {
  readonly LocalDate: unique symbol;
}
/** A real calendar date `YYYY-MM-DD`. */
export const LocalDate = t.brand(
  t.string,
  (s): s is t.Branded<string, LocalDateBrand> => tryParseDate(s) !== undefined,
  'LocalDate',
);

interface CalendarYearBrand {
  readonly CalendarYear: unique symbol;
}
export const CalendarYear = t.brand(
  t.number,
  (n): n is t.Branded<number, CalendarYearBrand> => Number.isInteger(n) && n >= SPAN_FIRST_YEAR && n <= SPAN_LAST_YEAR,
  'CalendarYear',
);

interface RegionBrand {
  readonly Region: unique symbol;
}
interface CalNoteBrand {
  readonly CalNote: unique symbol;
}
const Region = t.brand(t.string, (s): s is t.Branded<string, RegionBrand> => isRegionId(s), 'Region');
const Note = t.brand(
  t.string,
  (s): s is t.Branded<string, CalNoteBrand> => s.length >= 1 && s.length <= 2000,
  'CalNote',
);

/** The body of `PUT /calendar/{year}` (the year comes from the path). */
export const CalendarYearBody = t.exact(
  t.intersection([
    t.type({ holidays: t.array(LocalDate), workdays: t.array(LocalDate) }),
    t.partial({ region: Region, note: Note }),
  ]),
  'CalendarYearBody',
);
export type CalendarYearBody = t.TypeOf<typeof CalendarYearBody>;

/** The stored event's data. */
export const CalendarYearPublished = t.exact(
  t.intersection([
    t.type({ year: CalendarYear, holidays: t.array(LocalDate), workdays: t.array(LocalDate), publishedAt: Instant }),
    t.partial({ region: Region, note: Note, replaces: t.boolean }),
  ]),
  'CalendarYearPublished',
);

export interface CalendarYearPublishedData {
  readonly year: number;
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
  readonly region?: string;
  readonly note?: string;
  /**
   * A regional notice that replaces the region's days of the year (every one since session 14, so a
   * day can be corrected or withdrawn); absent on earlier ones, which added days: they replay so.
   */
  readonly replaces?: boolean;
  /** ISO-8601 instant with offset. */
  readonly publishedAt: string;
}

export type CalendarDecodeResult =
  | { readonly ok: true; readonly value: CalendarYearPublishedData }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Validate a `PUT /calendar/{year}` request: `year` from the path, `body` the
 * JSON body, `publishedAt` the server's instant. Beyond the stored event's rules
 * it must be a whole notice (the calendar's checkNotice): make-up days on
 * weekends, every holiday the law fixes listed.
 */
/** The fields a `PUT /calendar/{year}` body may hold. */
const NOTICE_FIELDS: readonly string[] = ['holidays', 'workdays', 'region', 'note'];

export function decodeCalendarYearRequest(year: unknown, body: unknown, publishedAt: string): CalendarDecodeResult {
  const yearNum = typeof year === 'string' && /^\d{4}$/.test(year) ? Number(year) : year;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: '(body)', message: 'expected a JSON object' }] };
  }
  // The year is the path's and publishedAt the server's: anything else unknown is refused, not dropped.
  const unknown = Object.keys(body).filter((k) => !NOTICE_FIELDS.includes(k));
  if (unknown.length > 0)
    return {
      ok: false,
      errors: unknownNameErrors(unknown, `is not a field of a calendar notice; known: ${NOTICE_FIELDS.join(', ')}`),
    };
  // A regional notice replaces the region's days of the year: the server's choice, not a field a caller sends.
  const regionalNotice = (body as Record<string, unknown>)['region'] !== undefined ? { replaces: true } : {};
  const decoded = decodeCalendarYearPublished({
    ...(body as Record<string, unknown>),
    ...regionalNotice,
    year: yearNum,
    publishedAt,
  });
  if (!decoded.ok) return decoded;
  // The lists as sent (decode sorted them), so an error's index points into the request.
  const sent = body as { holidays: string[]; workdays: string[] };
  const days = { holidays: sent.holidays.map(parseDate), workdays: sent.workdays.map(parseDate) };
  const regional = decoded.value.region !== undefined;
  const note = decoded.value.note;
  const noteProblem = note === undefined ? undefined : textProblem(note, 'free');
  const errors = [
    ...checkNotice(decoded.value.year, days, regional),
    ...(noteProblem === undefined ? [] : [{ field: 'note', message: noteProblem }]),
  ];
  return errors.length > 0 ? { ok: false, errors } : decoded;
}

/**
 * Validate the data of a stored (or to-be-stored) `CalendarYearPublished` event:
 * dates in that year or its previous December, not both lists. Lenient on
 * purpose: what was stored replays even if the request rules grow stricter.
 */
export function decodeCalendarYearPublished(input: unknown): CalendarDecodeResult {
  const result = CalendarYearPublished.decode(input);
  if (isLeft(result)) {
    const errors = describeErrors(result.left, { LocalDate: (v) => dateProblem(v) ?? 'must be a date YYYY-MM-DD' }).map(
      (e) =>
        e.message.includes('CalendarYear')
          ? {
              field: e.field,
              message: e.message.replace('CalendarYear', `a year between ${SPAN_FIRST_YEAR} and ${SPAN_LAST_YEAR}`),
            }
          : e,
    );
    return { ok: false, errors };
  }
  const v = result.right;
  // Content rules (dates in that year, disjoint lists) are the calendar's own.
  const checked = validateYearInput(v.year, { holidays: v.holidays, workdays: v.workdays });
  if (isLeft(checked)) return { ok: false, errors: checked.left };
  const value: CalendarYearPublishedData = {
    year: v.year,
    holidays: [...v.holidays].sort(),
    workdays: [...v.workdays].sort(),
    publishedAt: v.publishedAt,
    ...(v.region !== undefined ? { region: v.region } : {}),
    ...(v.note !== undefined ? { note: v.note } : {}),
    ...(v.replaces === true && v.region !== undefined ? { replaces: true } : {}),
  };
  return { ok: true, value };
}

/** The event to append for a validated publication (`eventId` defaults to a new UUID). */
export function calendarEventData(value: CalendarYearPublishedData, eventId: string = randomUUID()): EventData {
  return { eventId, type: CALENDAR_EVENT_TYPE, data: { ...value } };
}

/** True for a recorded calendar event this module understands. */
export function isCalendarEvent(event: Pick<RecordedEvent, 'streamId' | 'type'>): boolean {
  return event.streamId.startsWith(CALENDAR_STREAM_PREFIX) && event.type === CALENDAR_EVENT_TYPE;
}

/**
 * Apply a publication to a calendar service: a whole year, a region's notice for a year, or (before
 * session 14) regional days added; false when the service refuses it.
 */
export function applyCalendarPublication(service: CalendarService, value: CalendarYearPublishedData): boolean {
  const days = { holidays: value.holidays, workdays: value.workdays };
  const result =
    value.region === undefined
      ? service.publishYear(value.year, days)
      : value.replaces === true
        ? service.replaceRegionalYear(value.year, { region: value.region, ...days })
        : service.addRegionalDays({ region: value.region, ...days });
  return result._tag === 'Right';
}
