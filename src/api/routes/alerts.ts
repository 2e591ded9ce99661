/** `GET /alerts` and `GET /alerts/stream` (Server-Sent Events). */
import type { Router, Request } from 'express';
import { apiRouter } from '../apiRouter.js';
import { CARD_COLORS } from '../../domain/lists.js';
import { ALERT_RULES } from '../../projections/alertBoard.js';
import type { AlertEvent, AlertFilter, ReadModels } from '../../projections/types.js';
import { principalOf, type Authenticator } from '../auth.js';
import {
  ALERT_DEFAULT_LIMIT,
  ALERT_DEFAULT_SORT,
  ALERT_MAX_LIMIT,
  ALERT_SORTS,
  type AlertPageQuery,
  alertPage,
  COMPLAINT_SUBJECT,
} from '../alertPage.js';
import type { EpochMs } from '../../domain/types.js';
import { badRequest } from '../errors.js';
import { type SseLimits, sseStreams } from '../sse.js';
import type { AccessTrail } from '../accessTrail.js';
import { recordListRead, recordStreamOpened } from './listTrail.js';
import { enumParam, idParam, queryString, scopeParam, takesParams } from '../validation.js';

export interface AlertRouteDeps {
  readonly readModels: ReadModels;
  readonly sse: SseLimits;
  /** "Now" for the overdue days of each alert's case or complaint (the wall clock when absent). */
  readonly clock?: () => EpochMs;
  /** An admin's reads of the board and its stream are recorded, `at` in the deployment zone (none given: not recorded). */
  readonly trail?: { readonly accessTrail: AccessTrail; readonly zone: string };
}

export interface AlertStreams {
  readonly router: Router;
  /** Ends every open stream (shutdown). */
  closeAll(): void;
  count(): number;
}

export function alertRoutes(deps: AlertRouteDeps, auth: Authenticator): AlertStreams {
  const router = apiRouter();
  const streams = sseStreams(deps.sse);
  const trail = deps.trail === undefined ? undefined : { ...deps.trail, clock: deps.clock ?? Date.now };
  // The board hands every listener the same event object: serialise it once, not once per open stream.
  const serialised = new WeakMap<AlertEvent, string>();
  const json = (event: AlertEvent): string => {
    let text = serialised.get(event);
    if (text === undefined) {
      text = JSON.stringify({ at: event.at, ...event.alert });
      serialised.set(event, text);
    }
    return text;
  };

  router.get('/alerts', auth.require('alerts:read'), takesParams(...PAGE_PARAMS), (req, res) => {
    const filter = alertFilter(req);
    const page = pageQuery(req.query as Record<string, unknown>);
    const now = (deps.clock ?? Date.now)();
    // A case's overdue days, or a complaint's past its answer deadline (alertSubjectId tells which).
    const overdueDays = (subjectId: string): number =>
      subjectId.startsWith(COMPLAINT_SUBJECT)
        ? deps.readModels.complaintOverdueDays(subjectId.slice(COMPLAINT_SUBJECT.length), now)
        : (deps.readModels.caseTiming(subjectId, now)?.overdueDays ?? 0);
    const answer = alertPage(deps.readModels.activeAlerts(filter), overdueDays, page);
    // The board names the cases it lists as much as /cases does: an admin's read is recorded (monitors' are not).
    if (trail !== undefined)
      recordListRead(
        trail,
        req,
        res,
        'alert-board',
        answer.alerts.flatMap((a) => (a.caseId === undefined ? [] : [a.caseId])),
        answer.alerts.flatMap((a) => (a.complaintId === undefined ? [] : [a.complaintId])),
      );
    res.json(answer);
  });

  router.get('/alerts/stream', auth.require('alerts:read'), takesParams(...STREAM_PARAMS), (req, res) => {
    const filter = alertFilter(req);
    // A HEAD asks what a GET would answer, not for a stream: it takes no slot of the token's streams.
    if (req.method === 'HEAD') {
      res.status(200).type('text/event-stream').end();
      return;
    }
    let unsubscribe = (): void => {};
    // An admin's stream is recorded once the stream limits admit it, before it opens.
    const admitted = trail === undefined ? undefined : () => recordStreamOpened(trail, req, res);
    const stream = streams.open(res, principalOf(res).fingerprint, () => unsubscribe(), admitted);
    let seq = 0;
    unsubscribe = deps.readModels.onAlert((event: AlertEvent) => {
      seq += 1;
      stream.send(event.type, seq, json(event));
    }, filter);
    if (stream.closed) unsubscribe();
  });

  return { router, closeAll: streams.closeAll, count: streams.count };
}

/** What `/alerts/stream` and `/alerts` take; anything else (e.g. `asOf`: the board is now's) is a 400 naming it. */
const STREAM_PARAMS = ['centerId', 'scope', 'departmentId', 'color', 'rule'] as const;
const PAGE_PARAMS = [...STREAM_PARAMS, 'sort', 'offset', 'limit'] as const;

function alertFilter(req: Request): AlertFilter {
  const q = req.query as Record<string, unknown>;
  const centerId = idParam(q, 'centerId');
  // As /cards: the center alone unless scope=subtree; scope without centerId is a 400.
  const scope = scopeParam(q, centerId, 'center');
  const departmentId = idParam(q, 'departmentId');
  const color = enumParam(q, 'color', CARD_COLORS);
  const rule = enumParam(q, 'rule', ALERT_RULES);
  return {
    ...(centerId === undefined ? {} : { centerId, scope }),
    ...(departmentId === undefined ? {} : { departmentId }),
    ...(color === undefined ? {} : { color }),
    ...(rule === undefined ? {} : { rule }),
  };
}

function pageQuery(q: Record<string, unknown>): AlertPageQuery {
  return {
    sort: enumParam(q, 'sort', ALERT_SORTS) ?? ALERT_DEFAULT_SORT,
    offset: integerParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: integerParam(q, 'limit', 1, ALERT_MAX_LIMIT) ?? ALERT_DEFAULT_LIMIT,
  };
}

function integerParam(q: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const text = queryString(q, name);
  if (text === undefined) return undefined;
  const n = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw badRequest(name, `must be an integer ${min}–${max}; got "${text.slice(0, 40)}"`);
  }
  return n;
}
