/**
 * `GET /complaints` and `GET /complaints/{complaintId}` (SPEC §4, §8; monitor and
 * auditor, like the case reads). The list's filters are validated here by name
 * (a misspelt one is refused, not ignored); one complaint is read from its own
 * stream, so it reflects every write committed before the request, and with
 * `asKnownAt=K` only the events recorded by K, timed with the calendar and the
 * policy versions published by K (SPEC §3, as `GET /cases/{id}`). Its `events`
 * (each stored event with its revision, position, recordedAt and actor: the
 * complaint's history) are answered only to a principal holding `case:history`
 * (auditor, admin), as `GET /cases/{id}/history` is; a monitor gets the complaint
 * with its timing, cards and withdrawn cards (SPEC §4). An auditor's (or
 * admin's) read, the one that discloses the events, leaves a line on the access
 * trail before it is answered, as case reads do (a trail that cannot be written
 * refuses the read with 503).
 */
import type { Router, Request, Response } from 'express';
import { apiRouter } from '../apiRouter.js';
import { CaseId } from '../../domain/events.js';
import { COMPLAINT_CARD_RULES, COMPLAINT_FINDINGS, COMPLAINT_STATUSES } from '../../domain/complaints/lists.js';
import { CARD_COLORS, CASE_ID_DESCRIPTION } from '../../domain/lists.js';
import { formatInstant, tryParseInstant } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import {
  COMPLAINT_DECISIONS,
  COMPLAINT_SORT_VALUES,
  complaintListToCsv,
  SATISFACTION_FILTERS,
} from '../../projections/complaints/complaintList.js';
import { recordedComplaintTimeline } from '../../projections/complaints/complaintDetail.js';
import type { ComplaintTiming } from '../../projections/complaints/complaintProjection.js';
import { NO_DEPARTMENT } from '../../projections/complaints/complaintStats.js';
import type { NameLookup } from '../../projections/rowNames.js';
import type { ReadModels } from '../../projections/types.js';
import { withKnownPositions } from '../../store/core/positions.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';
import { type AccessTrail, leavesTrail, trailInstant } from '../accessTrail.js';
import { principalOf, roleMay, type Authenticator } from '../auth.js';
import { type CaseSourceDeps, calendarFor, defaultAsOf, directoryVersionOf, singlePolicy } from '../caseKnownAt.js';
import { ApiError, badRequest } from '../errors.js';
import { onOwnStream, readOwnStream } from '../ownStream.js';
import {
  dateParam,
  enumParam,
  idParam,
  listScopeParam,
  instantParam,
  knownAtParam,
  pathParam,
  takesParams,
} from '../validation.js';
import { booleanParam, cursorParam, givenOnly, limitParam, listedAtParam, sendCsv, wantsCsv } from './listParams.js';

export const COMPLAINT_LIST_PARAMS = [
  'centerId',
  'scope',
  'departmentId',
  'hasDepartment',
  'answeredBy',
  'status',
  'rule',
  'color',
  'overdue',
  'receivedFrom',
  'receivedTo',
  'decided',
  'decidedFrom',
  'decidedTo',
  'finding',
  'answeredFrom',
  'answeredTo',
  'closedFrom',
  'closedTo',
  'satisfaction',
  'q',
  'sort',
  'limit',
  'cursor',
  'listedAt',
] as const;

export interface ComplaintReadDeps extends CaseSourceDeps {
  readonly readModels: ReadModels;
  /** The directory's names as known at K (the directory recorded by then); default: the names in force. */
  readonly namesKnownAt?: (knownAt: EpochMs) => NameLookup;
  readonly clock: () => EpochMs;
  readonly accessTrail: AccessTrail;
}

export function complaintReadRoutes(deps: ComplaintReadDeps, auth: Authenticator): Router {
  const router = apiRouter();

  router.get('/complaints', auth.require('case:read'), takesParams(...COMPLAINT_LIST_PARAMS), (req, res) => {
    const q = req.query as Record<string, unknown>;
    const csv = wantsCsv(req);
    const centerId = idParam(q, 'centerId');
    const given = {
      centerId,
      scope: listScopeParam(q, centerId),
      departmentId: idParam(q, 'departmentId'),
      hasDepartment: booleanParam(q, 'hasDepartment'),
      // Empty: answered with no department in charge (the report's 查实 row of none).
      answeredBy: q['answeredBy'] === '' ? NO_DEPARTMENT : idParam(q, 'answeredBy'),
      status: enumParam(q, 'status', COMPLAINT_STATUSES),
      rule: enumParam(q, 'rule', COMPLAINT_CARD_RULES),
      color: enumParam(q, 'color', CARD_COLORS),
      overdue: booleanParam(q, 'overdue'),
      receivedFrom: dateParam(q, 'receivedFrom', false),
      receivedTo: dateParam(q, 'receivedTo', false),
      decided: enumParam(q, 'decided', COMPLAINT_DECISIONS),
      decidedFrom: dateParam(q, 'decidedFrom', false),
      decidedTo: dateParam(q, 'decidedTo', false),
      finding: enumParam(q, 'finding', COMPLAINT_FINDINGS),
      answeredFrom: dateParam(q, 'answeredFrom', false),
      answeredTo: dateParam(q, 'answeredTo', false),
      closedFrom: dateParam(q, 'closedFrom', false),
      closedTo: dateParam(q, 'closedTo', false),
      satisfaction: enumParam(q, 'satisfaction', SATISFACTION_FILTERS),
      q: idParam(q, 'q'),
      sort: enumParam(q, 'sort', COMPLAINT_SORT_VALUES),
      cursor: cursorParam(q),
      listedAt: listedAtParam(q),
    };
    const result = deps.readModels.complaintList({ ...givenOnly(given), limit: limitParam(q, csv) });
    trail(deps, res, {
      what: 'complaint-list',
      query: queryOf(req),
      ...(csv ? { format: 'csv' as const } : {}),
      complaintIds: result.items.map((c) => c.complaintId),
    });
    if (csv) {
      sendCsv(res, 'complaints.csv', complaintListToCsv(result.items), result.nextCursor);
      return;
    }
    res.json(result);
  });

  router.get(
    '/complaints/:complaintId',
    auth.require('case:read'),
    takesParams('asOf', 'asKnownAt'),
    async (req, res) => {
      const complaintId = pathParam(req, 'complaintId');
      if (!CaseId.is(complaintId)) throw badRequest('complaintId', `must be ${CASE_ID_DESCRIPTION}`);
      const query = req.query as Record<string, unknown>;
      const asOf = instantParam(query, 'asOf');
      const knownAt = knownAtParam(query, deps.clock(), deps.calendarService.zone);
      const recorded = await recordedBy(deps.store, complaintId, knownAt);
      const at = asOf ?? defaultAsOf(deps.clock(), lastOccurredAt(recorded));
      const timing = knownAt === undefined ? undefined : await timingKnownAt(deps, knownAt);
      const names = knownAt === undefined ? undefined : deps.namesKnownAt?.(knownAt);
      const detail = deps.readModels.complaintDetail(complaintId, recorded, at, timing, names);
      // The event-by-event record (with its actors) is a history: only for those who may read a case's.
      const withEvents = roleMay(principalOf(res).role, 'case:history');
      // Once the answer is computed, before it is sent (as a case read): what was asked and what was disclosed.
      const revisions = withEvents ? (detail?.events.map((e) => e.revision) ?? []) : [];
      const queryText = queryOf(req);
      trail(deps, res, {
        what: 'complaint',
        complaintId,
        status: detail === undefined ? 404 : 200,
        ...(queryText === '' ? {} : { query: queryText }),
        ...(asOf === undefined ? {} : { asOf: String(query['asOf']) }),
        ...(knownAt === undefined ? {} : { asKnownAt: String(query['asKnownAt']) }),
        ...(detail === undefined ? {} : { answeredAsOf: detail.asOf }),
        ...(revisions.length === 0 ? {} : { revisions: [revisions[0]!, revisions.at(-1)!] as const }),
      });
      if (detail === undefined) {
        const zone = deps.calendarService.zone;
        const by = asOf === undefined ? '' : ` by ${formatInstant(asOf, zone)}`;
        const known = knownAt === undefined ? '' : ` as known at ${formatInstant(knownAt, zone)}`;
        throw new ApiError(404, 'complaint-not-found', `no complaint ${complaintId} received${by}${known}`);
      }
      const withdrawnCards = deps.readModels.withdrawnComplaintCardsOf(
        complaintId,
        knownAt === undefined || timing === undefined
          ? undefined
          : { at: knownAt, read: () => recordedComplaintTimeline(complaintId, recorded, knownAt, timing) },
      );
      const { events, ...rest } = detail;
      res.json({
        ...rest,
        ...directoryVersionOf(deps, knownAt),
        ...(withEvents ? { events } : {}),
        ...(knownAt === undefined ? {} : { asKnownAt: formatInstant(knownAt, deps.calendarService.zone) }),
        ...(withdrawnCards.length === 0 ? {} : { withdrawnCards }),
      });
    },
  );

  return router;
}

/**
 * The complaint's events recorded by K (all without K): the stream's prefix up
 * to the first event recorded after K, as the case read takes it (a stream is
 * committed in order, so the prefix is what was known).
 */
export async function recordedBy(store: EventStore, complaintId: string, knownAt: EpochMs | undefined) {
  const out: RecordedEvent[] = [];
  for await (const e of readOwnStream(store, 'complaint', complaintId)) {
    const recordedAt = tryParseInstant(e.recordedAt);
    if (knownAt !== undefined && recordedAt !== undefined && recordedAt > knownAt) break;
    out.push(e);
  }
  // The detail shows each event's position: asked of a store whose stream reads carry none.
  return onOwnStream('complaint', complaintId, () => withKnownPositions(store, out));
}

/** The calendar as published by K and the policy version in force at a receipt as known at K. */
async function timingKnownAt(deps: ComplaintReadDeps, knownAt: EpochMs): Promise<ComplaintTiming> {
  const calendar = await calendarFor(deps, knownAt);
  const select = deps.policyFor ?? singlePolicy(deps.policy);
  return {
    calendar: () => calendar,
    policyFor: (receivedAt) => select({ day: calendar.dayOf(receivedAt), at: receivedAt }, knownAt),
  };
}

/** The latest `occurredAt` on the stream (the default asOf when it lies ahead of the server clock). */
function lastOccurredAt(recorded: readonly RecordedEvent[]): EpochMs | undefined {
  let last: EpochMs | undefined;
  for (const e of recorded) {
    const text = e.data['occurredAt'];
    const t = typeof text === 'string' ? Date.parse(text) : Number.NaN;
    if (Number.isFinite(t) && (last === undefined || t > last)) last = t;
  }
  return last;
}

const queryOf = (req: Request): string => {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at + 1);
};

function trail(
  deps: ComplaintReadDeps,
  res: Response,
  entry:
    | {
        what: 'complaint';
        complaintId: string;
        status: 200 | 404;
        query?: string;
        asOf?: string;
        asKnownAt?: string;
        /** The instant the answer was computed at (the default when no asOf was sent). */
        answeredAsOf?: string;
        /** The first and last revision of the events the answer disclosed. */
        revisions?: readonly [number, number];
      }
    | { what: 'complaint-list'; query: string; format?: 'csv'; complaintIds: readonly string[] },
): void {
  const principal = principalOf(res);
  if (!leavesTrail(principal.role)) return;
  deps.accessTrail.record({
    at: trailInstant(deps.clock(), deps.calendarService.zone),
    role: principal.role,
    token: principal.fingerprint,
    ...(entry.what === 'complaint-list'
      ? { ...entry, status: 200, complaintIds: [...new Set(entry.complaintIds)] }
      : entry),
  });
}
