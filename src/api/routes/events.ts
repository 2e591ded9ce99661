/**
 * `POST /cases/{caseId}/events` and `POST /events` (SPEC §4): decode the body,
 * hand the events to the write side (src/write), answer its results in HTTP.
 * The only place a write result becomes a status (REJECTION_STATUS).
 */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { CaseId, decodeCaseEvent, type FieldError } from '../../domain/events.js';
import { shownName } from '../../domain/inputBounds.js';
import { CASE_ID_DESCRIPTION } from '../../domain/lists.js';
import type { CaseGroup, WriteEvent, WriteResult, WriteSide } from '../../write/index.js';
import { earlierRefused, rejected, timeSlice, withEventId } from '../../write/index.js';
import { mayWriteCenter, principalOf, type Authenticator } from '../auth.js';
import { ApiError, badRequest, errorBody, REJECTION_STATUS } from '../errors.js';
import { parseIfMatch, pathParam, refusesIfMatch, requireJson, takesParams } from '../validation.js';

export const MAX_BATCH = 1000;

export function eventRoutes(writeSide: WriteSide, auth: Authenticator): Router {
  const router = apiRouter();

  router.post('/cases/:caseId/events', auth.require('events:write'), takesParams(), requireJson, async (req, res) => {
    const caseId = pathParam(req, 'caseId');
    if (!CaseId.is(caseId)) throw badRequest('caseId', `must be ${CASE_ID_DESCRIPTION}`);
    const event = singleEvent(req.body, caseId);
    const ifMatch = parseIfMatch(req.headers['if-match']);
    const group: CaseGroup = ifMatch === undefined ? { caseId, events: [event] } : { caseId, events: [event], ifMatch };
    const [[result] = []] = await writeSide.appendGroups([group], accessOf(res));
    if (result === undefined) throw new Error('the write side answered no result');
    if (result.kind === 'rejected') {
      // The store's own error goes to the error handler, which answers and reports it the same way for every route.
      if ((result.code === 'store-unavailable' || result.code === 'store-corrupt') && result.cause !== undefined)
        throw result.cause;
      throw new ApiError(REJECTION_STATUS[result.code], result.code, result.message, result.details);
    }
    res
      .status(result.kind === 'appended' ? 201 : 200)
      .set('ETag', `"${result.revision}"`)
      .json({
        caseId: result.caseId,
        revision: result.revision,
        position: result.position.toString(),
        eventId: result.eventId,
      });
  });

  router.post(
    '/events',
    auth.require('events:write'),
    takesParams(),
    refusesIfMatch('a batch holds many cases; send If-Match with one event to POST /cases/{caseId}/events'),
    requireJson,
    async (req, res) => {
      const rows = batchOf(req.body);
      const answers: (Record<string, unknown> | undefined)[] = rows.map(() => undefined);
      // Each case's events in request order; each case's group is decided and appended atomically.
      const groups = new Map<string, { indexes: number[]; events: WriteEvent[] }>();
      // A case with a malformed (or here refused) row: its later rows are not written (the write side stops a case at a refusal too).
      const malformedIn = new Map<string, { readonly eventId: string } | { readonly row: number }>();
      // The case whose row first sent each eventId: a later row of another case with it is the reuse (409), as the
      // rows are ordered, not as the cases' groups happen to be appended (the first row of a case places its group).
      const caseOfEventId = new Map<string, string>();
      const slice = timeSlice(); // a 1000-event body is decoded in slices, other requests answered between them
      for (const [index, raw] of rows.entries()) {
        await slice.pause();
        const decoded = decodeCaseEvent(raw);
        if (!decoded.ok) {
          const ids = rowIds(raw);
          const { code, message, details } = invalidEvent(decoded.errors);
          answers[index] = { ...ids, status: 400, error: errorBody(code, message, details).error };
          if (ids.caseId !== null && !malformedIn.has(ids.caseId))
            malformedIn.set(ids.caseId, ids.eventId !== null ? { eventId: ids.eventId } : { row: index });
          continue;
        }
        const malformed = malformedIn.get(decoded.event.caseId);
        if (malformed !== undefined) {
          const { caseId, eventId } = withEventId(decoded.event);
          answers[index] = toRow(earlierRefused(caseId, eventId, malformed));
          continue;
        }
        const event = withEventId(decoded.event);
        const claimedBy = caseOfEventId.get(event.eventId);
        if (claimedBy !== undefined && claimedBy !== event.caseId) {
          answers[index] = toRow(
            rejected(
              event.caseId,
              event.eventId,
              'event-id-conflict',
              `eventId ${event.eventId} is used earlier in this request by an event of case ${claimedBy}; nothing was written for this one`,
            ),
          );
          malformedIn.set(event.caseId, { eventId: event.eventId }); // its later rows: earlier-event-refused
          continue;
        }
        caseOfEventId.set(event.eventId, event.caseId);
        const group = groups.get(event.caseId) ?? { indexes: [], events: [] };
        group.indexes.push(index);
        group.events.push(event);
        groups.set(event.caseId, group);
      }
      const entries = [...groups];
      const results = await writeSide.appendGroups(
        entries.map(([caseId, g]) => ({ caseId, events: g.events })),
        accessOf(res),
      );
      for (const [g, [, group]] of entries.entries()) {
        for (const [k, index] of group.indexes.entries()) answers[index] = toRow((results[g] ?? [])[k]);
      }
      res.status(200).json({ results: answers });
    },
  );

  return router;
}

function accessOf(res: Parameters<typeof principalOf>[0]) {
  const principal = principalOf(res);
  return { mayWriteCenter: (centerId: string) => mayWriteCenter(principal, centerId) };
}

function singleEvent(body: unknown, caseId: string): WriteEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid-event', 'body must be a JSON object (one case event)', [
      { field: '(body)', message: 'expected a JSON object' },
    ]);
  }
  const bodyCaseId = (body as Record<string, unknown>)['caseId'];
  if (bodyCaseId !== undefined && bodyCaseId !== caseId) {
    throw badRequest('caseId', `must be omitted or equal to the path's caseId "${caseId}"`);
  }
  // The parsed body is this request's own: set caseId in place rather than copy a body of 30,000 fields.
  (body as Record<string, unknown>)['caseId'] = caseId;
  const decoded = decodeCaseEvent(body);
  if (!decoded.ok) {
    const error = invalidEvent(decoded.errors);
    throw new ApiError(400, error.code, error.message, error.details);
  }
  return withEventId(decoded.event);
}

function batchOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('events', 'body must be a JSON object {"events": [...]}');
  }
  for (const key of Object.keys(body))
    if (key !== 'events') throw badRequest(shownName(key), 'is not a field of a batch: send {"events": [...]}');
  const events = (body as Record<string, unknown>)['events'];
  if (!Array.isArray(events)) throw badRequest('events', 'must be an array of case events');
  if (events.length === 0) throw badRequest('events', 'must hold at least one event');
  if (events.length > MAX_BATCH) {
    throw badRequest('events', `must hold at most ${MAX_BATCH} events; got ${events.length}`);
  }
  return events;
}

function invalidEvent(errors: readonly FieldError[]): {
  code: string;
  message: string;
  details: readonly FieldError[];
} {
  return { code: 'invalid-event', message: errors.map((e) => `${e.field}: ${e.message}`).join('; '), details: errors };
}

/** A batch row's result, in the wire shape of SPEC §4; every row names its caseId and eventId. */
function toRow(result: WriteResult | undefined): Record<string, unknown> {
  if (result === undefined) throw new Error('the write side left a batch event without a result');
  const { caseId, eventId } = result;
  if (result.kind === 'rejected') {
    const { code, message, details } = result;
    return { eventId, caseId, status: REJECTION_STATUS[code], error: errorBody(code, message, details).error };
  }
  const status = result.kind === 'appended' ? 201 : 200;
  return { eventId, caseId, status, revision: result.revision, position: result.position.toString() };
}

/** The caseId and eventId an invalid row was sent with (null when absent or not a short string). */
function rowIds(raw: unknown): { eventId: string | null; caseId: string | null } {
  const field = (name: string): string | null => {
    if (typeof raw !== 'object' || raw === null) return null;
    const value = (raw as Record<string, unknown>)[name];
    return typeof value === 'string' && value.length <= 64 ? value : null;
  };
  return { eventId: field('eventId'), caseId: field('caseId') };
}
