/**
 * `GET /calendar/{year}` and `PUT /calendar/{year}`. A publication is an event
 * (`CalendarYearPublished` on `calendar-CN`); the projections apply it to the
 * calendar service, and the answer waits until they have.
 *
 * `GET ?asKnownAt=K` (session 16): the year as the notices recorded by K made it, with that
 * calendar's `version`, built by `calendarKnownAt` as a case read as known at K builds its
 * calendar, so a version cited in earlier evidence can be read after a correction.
 */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { changesNothing, noticeChanges, unpublishableYear } from '../../domain/calendar/notice.js';
import { type CalendarService, createCalendarService, type YearView } from '../../domain/calendar/service.js';
import { SPAN_FIRST_YEAR, SPAN_LAST_YEAR } from '../../domain/calendar/work-calendar.js';
import { formatInstant, parseDate } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import { CALENDAR_STREAM_ID, calendarEventData, decodeCalendarYearRequest } from '../../projections/calendarEvents.js';
import type { ReadModels } from '../../projections/types.js';
import {
  type AppendResult,
  type EventStore,
  type RecordedEvent,
  UNKNOWN_POSITION,
  WrongExpectedRevisionError,
} from '../../store/port.js';
import type { Authenticator } from '../auth.js';
import { calendarKnownAt } from '../caseKnownAt.js';
import { ApiError, badRequest, notYetApplied } from '../errors.js';
import { oneAtATime } from '../oneAtATime.js';
import { knownAtParam, pathParam, refusesIfMatch, requireJson, takesParams } from '../validation.js';

export interface CalendarRouteDeps {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly calendarService: CalendarService;
  readonly clock: () => EpochMs;
  readonly applyTimeoutMs: number;
  /** The regions of the directory's centers now (absent: no directory to check a region against). */
  readonly regionsInUse?: () => ReadonlySet<string>;
}

export function calendarRoutes(deps: CalendarRouteDeps, auth: Authenticator): Router {
  const router = apiRouter();
  // One notice at a time: each reads the days in force after the one before it was applied, so the
  // same notice sent twice at once is recorded once and each answer's `changes` are its own.
  const inTurn = oneAtATime();

  router.get('/calendar/:year', auth.require('calendar:read'), takesParams('asKnownAt'), async (req, res) => {
    const year = yearParam(pathParam(req, 'year'));
    const knownAt = knownAtParam(req.query, deps.clock(), deps.calendarService.zone);
    const view = knownAt === undefined ? deps.calendarService.getYear(year) : await yearKnownAt(deps, year, knownAt);
    if (view === undefined) throw new ApiError(404, 'year-not-found', `the calendar does not cover year ${year}`);
    res.json(knownAt === undefined ? view : { ...view, asKnownAt: formatInstant(knownAt, deps.calendarService.zone) });
  });

  router.put(
    '/calendar/:year',
    auth.require('calendar:write'),
    takesParams(),
    refusesIfMatch('a notice replaces the year whatever was published before; GET the year to see its version'),
    requireJson,
    async (req, res) => {
      const year = yearParam(pathParam(req, 'year'));
      const unpublishable = unpublishableYear(year);
      if (unpublishable !== undefined) throw badRequest('year', unpublishable);
      const decoded = decodeCalendarYearRequest(String(year), req.body, new Date(deps.clock()).toISOString());
      if (!decoded.ok) {
        throw new ApiError(
          400,
          'invalid-calendar',
          decoded.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
          decoded.errors,
        );
      }
      const region = decoded.value.region;
      const answer = await inTurn(() => publish(deps, year, decoded.value));
      res.status(200).json({ ...answer, ...warningsOf(region, deps.regionsInUse) });
    },
  );

  return router;
}

type CalendarYearRequest = Extract<ReturnType<typeof decodeCalendarYearRequest>, { ok: true }>['value'];

/**
 * Records a notice unless it is the one in force. A notice replaces the year's days (a regional
 * one, its region's): the answer shows what that changed.
 */
async function publish(deps: CalendarRouteDeps, year: number, notice: CalendarYearRequest) {
  const expectedRevision = await calendarInForceHere(deps);
  const region = notice.region;
  const daysInForce = () =>
    region === undefined ? deps.calendarService.noticeDays(year) : deps.calendarService.regionalDaysOf(year, region);
  const before = daysInForce();
  if (region !== undefined && notice.holidays.length + notice.workdays.length === 0) {
    if (before.holidays.length + before.workdays.length === 0)
      throw new ApiError(400, 'invalid-calendar', `holidays: region ${region} has no day in ${year} to withdraw`, [
        { field: 'holidays', message: `region ${region} has no day in ${year} to withdraw` },
      ]);
  }
  // The notice in force sent again (a form submitted twice, a PUT retried after a timeout): nothing to
  // record, as `PUT /directory` answers the same directory. A predicted year's law days sent as its
  // notice are recorded: they make the year published.
  const sent = { holidays: notice.holidays.map(parseDate), workdays: notice.workdays.map(parseDate) };
  const current = deps.calendarService.getYear(year);
  const inForce = region !== undefined || current?.source === 'published';
  if (current !== undefined && inForce && changesNothing(noticeChanges(before, sent))) {
    return { ...current, changes: noticeChanges(before, before), unchanged: true };
  }
  let result: AppendResult;
  try {
    result = await deps.store.append(CALENDAR_STREAM_ID, [calendarEventData(notice)], { expectedRevision });
  } catch (e) {
    if (e instanceof WrongExpectedRevisionError) throw publishedMeanwhile(year);
    throw e;
  }
  const applied = await deps.readModels.waitForPosition(result.position, deps.applyTimeoutMs);
  if (!applied) throw notYetApplied(`the publication of ${year}`, result.position);
  const view = deps.calendarService.getYear(year);
  if (view === undefined) throw new Error(`calendar year ${year} missing after publication`);
  const changes = noticeChanges(before, daysInForce());
  return { ...view, changes, position: result.position.toString() };
}

/**
 * Wait until this node's calendar holds every notice the store has (another API node may have
 * recorded one), and answer the revision of the last: the notice is appended expecting it, so a
 * notice recorded by another node meanwhile refuses this one (409) rather than leaving `changes`
 * computed against days no longer in force. Notices are few (an administrator's), so the stream is
 * read whole.
 */
async function calendarInForceHere(deps: CalendarRouteDeps): Promise<bigint | 'no_stream'> {
  let last: RecordedEvent | undefined;
  for await (const recorded of deps.store.readStream(CALENDAR_STREAM_ID)) last = recorded;
  if (last === undefined) return 'no_stream';
  // A stream read on EventStoreDB carries no position: then the store's head, which is past it.
  const position = last.position === UNKNOWN_POSITION ? await deps.store.headPosition() : last.position;
  if (!(await deps.readModels.waitForPosition(position, deps.applyTimeoutMs))) {
    throw new ApiError(
      503,
      'projection-timeout',
      `the calendar notices recorded so far (to position ${position}) are not yet applied on this node; nothing was recorded, send the notice again shortly`,
    );
  }
  return last.revision;
}

function publishedMeanwhile(year: number): ApiError {
  return new ApiError(
    409,
    'revision-conflict',
    `another calendar notice was published meanwhile; read GET /calendar/${year} and send the notice again`,
  );
}

/**
 * The year as known at K: the calendar as published by then (the case reads' `calendarKnownAt`),
 * viewed as the service views its own. The version is the data's, so it is the one a read then named.
 */
async function yearKnownAt(deps: CalendarRouteDeps, year: number, knownAt: EpochMs): Promise<YearView | undefined> {
  const zone = deps.calendarService.zone;
  const calendar = await calendarKnownAt(deps.store, zone, knownAt);
  return createCalendarService(zone, calendar.data).getYear(year);
}

/**
 * A regional notice for a region no center of the directory is in is recorded (a center may join
 * it later), but the answer says so: its days apply to no case yet (a typo such as `yb` for `YB`
 * otherwise passes unseen).
 */
function warningsOf(
  region: string | undefined,
  regionsInUse: (() => ReadonlySet<string>) | undefined,
): { warnings?: string[] } {
  const inUse = region === undefined ? undefined : regionsInUse?.();
  if (inUse === undefined || inUse.has(region!)) return {};
  const known = [...inUse].sort();
  return {
    warnings: [
      `no center of the directory is in region ${region}: its days apply to no case until one is${
        known.length === 0 ? '' : ` (regions of the directory: ${known.join(', ')})`
      }`,
    ],
  };
}

function yearParam(text: string | undefined): number {
  if (text === undefined || !/^\d{4}$/.test(text)) throw badRequest('year', 'must be a four-digit year, e.g. 2025');
  const year = Number(text);
  // The calendar index spans these years; outside it, dates fall back to Mon–Fri.
  if (year < SPAN_FIRST_YEAR || year > SPAN_LAST_YEAR) {
    throw badRequest('year', `must be between ${SPAN_FIRST_YEAR} and ${SPAN_LAST_YEAR}`);
  }
  return year;
}
