/** `GET /cases/{caseId}` and `GET /cases/{caseId}/history` (SPEC §3 "What was known", §4). */
import type { Router, Request, Response } from 'express';
import { apiRouter } from '../apiRouter.js';
import { CaseId } from '../../domain/events.js';
import { CASE_ID_DESCRIPTION } from '../../domain/lists.js';
import { formatInstant } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import type { ReadModels } from '../../projections/types.js';
import type { EventStore } from '../../store/port.js';
import { principalOf, type Authenticator } from '../auth.js';
import { type AccessTrail, leavesTrail, trailInstant } from '../accessTrail.js';
import { defaultAsOf, directoryVersionOf, evaluateCaseKnownAt } from '../caseKnownAt.js';
import { ApiError, badRequest } from '../errors.js';
import {
  buildHistoryPage,
  CARDS_EXPLAINED,
  HISTORY_DEFAULT_LIMIT,
  HISTORY_MAX_LIMIT,
  type HistoryDeps,
  type HistoryQuery,
} from '../history.js';
import { catchUpWithStore } from '../readYourWrites.js';
import { instantParam, knownAtParam, pathParam, queryString, takesParams } from '../validation.js';

export interface CaseRouteDeps extends HistoryDeps {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly clock: () => EpochMs;
  readonly accessTrail: AccessTrail;
  /** How long a case read waits for the projections to reach the store head (read-your-writes). */
  readonly readYourWritesMs: number;
}

export function caseRoutes(deps: CaseRouteDeps, auth: Authenticator): Router {
  const router = apiRouter();

  router.get('/cases/:caseId', auth.require('case:read'), takesParams('asOf', 'asKnownAt'), async (req, res) => {
    const caseId = caseIdParam(req);
    const asOf = instantParam(req.query, 'asOf');
    const now = deps.clock();
    const knownAt = knownAtParam(req.query, now, deps.calendarService.zone);
    if (knownAt !== undefined) {
      const read = await evaluateCaseKnownAt(deps, caseId, { asOf, knownAt, now }, CARDS_EXPLAINED);
      trail(deps, req, res, caseId, 'case', { answeredAsOf: read?.evaluation.asOf });
      if (read === undefined) throw unknownCase(caseId, asOf, knownAt, deps.calendarService.zone);
      res.json({
        ...read.evaluation,
        ...directoryVersionOf(deps, knownAt),
        ...withdrawnOf(deps, caseId, read.atK),
        asKnownAt: formatInstant(knownAt, deps.calendarService.zone),
      });
      return;
    }
    await catchUpWithStore(deps);
    const at = asOf ?? defaultAsOf(now, deps.readModels.getCaseState(caseId)?.lastOccurredAt);
    const evaluation = deps.readModels.evaluateCase(caseId, at, CARDS_EXPLAINED);
    trail(deps, req, res, caseId, 'case', { answeredAsOf: evaluation?.asOf });
    if (evaluation === undefined) throw unknownCase(caseId, asOf, undefined, deps.calendarService.zone);
    res.json({ ...evaluation, ...directoryVersionOf(deps, undefined), ...withdrawnOf(deps, caseId, undefined) });
  });

  router.get(
    '/cases/:caseId/history',
    auth.require('case:history'),
    takesParams('asOf', 'asKnownAt', 'limit', 'after'),
    async (req, res) => {
      const caseId = caseIdParam(req);
      const now = deps.clock();
      const query: HistoryQuery = {
        asOf: instantParam(req.query, 'asOf'),
        knownAt: knownAtParam(req.query, now, deps.calendarService.zone),
        now,
        limit: limitParam(req.query),
        after: afterParam(req.query),
      };
      // The withdrawn cards are the read models' register: read once it has reached the store head.
      await catchUpWithStore(deps);
      const withdrawnCardsOf = deps.readModels.withdrawnCardsOf.bind(deps.readModels);
      const page = await buildHistoryPage({ ...deps, withdrawnCardsOf }, caseId, query);
      const revisions = page?.entries.flatMap((e) => (e.kind === 'event' ? [e.revision] : []));
      trail(deps, req, res, caseId, 'history', {
        answeredAsOf: page?.asOf,
        revisions: revisions === undefined || revisions.length === 0 ? undefined : [revisions[0]!, revisions.at(-1)!],
      });
      if (page === undefined) throw unknownCase(caseId, query.asOf, query.knownAt, deps.calendarService.zone);
      res.json(page);
    },
  );

  return router;
}

/** The case's withdrawn cards (as known at K when given), as a field present only when there are some. */
function withdrawnOf(
  deps: CaseRouteDeps,
  caseId: string,
  known: Parameters<ReadModels['withdrawnCardsOf']>[1],
): { withdrawnCards?: ReturnType<ReadModels['withdrawnCardsOf']> } {
  const withdrawnCards = deps.readModels.withdrawnCardsOf(caseId, known);
  return withdrawnCards.length === 0 ? {} : { withdrawnCards };
}

function caseIdParam(req: Request): string {
  const caseId = pathParam(req, 'caseId');
  if (!CaseId.is(caseId)) throw badRequest('caseId', `must be ${CASE_ID_DESCRIPTION}`);
  return caseId;
}

const DIGITS = /^\d{1,9}$/;

function limitParam(query: Record<string, unknown>): number {
  const text = queryString(query, 'limit');
  if (text === undefined) return HISTORY_DEFAULT_LIMIT;
  const n = DIGITS.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= HISTORY_MAX_LIMIT)) {
    throw badRequest('limit', `must be an integer 1–${HISTORY_MAX_LIMIT}; got "${text.slice(0, 40)}"`);
  }
  return n;
}

function afterParam(query: Record<string, unknown>): number | undefined {
  const text = queryString(query, 'after');
  if (text === undefined) return undefined;
  if (!DIGITS.test(text)) {
    throw badRequest(
      'after',
      `must be a revision (an integer ≥ 0, the previous page's next); got "${text.slice(0, 40)}"`,
    );
  }
  return Number(text);
}

function unknownCase(caseId: string, asOf: EpochMs | undefined, knownAt: EpochMs | undefined, zone: string): ApiError {
  const by = asOf === undefined ? '' : ` by ${formatInstant(asOf, zone)}`;
  const known = knownAt === undefined ? '' : ` as known at ${formatInstant(knownAt, zone)}`;
  return new ApiError(404, 'case-not-found', `no case ${caseId} accepted${by}${known}`);
}

/**
 * The access trail of a case or history read, recorded once the answer is computed and before it is
 * sent (a trail that cannot be written refuses the read): what was asked, as sent, and what was
 * disclosed — the instant the answer was evaluated at (none: the case was not found, a 404), a
 * history page's revisions.
 */
function trail(
  deps: CaseRouteDeps,
  req: Request,
  res: Response,
  caseId: string,
  what: 'case' | 'history',
  disclosed: { answeredAsOf: string | undefined; revisions?: readonly [number, number] | undefined },
): void {
  const principal = principalOf(res);
  if (!leavesTrail(principal.role)) return;
  const asOf = req.query['asOf'];
  const asKnownAt = req.query['asKnownAt'];
  const at = req.originalUrl.indexOf('?');
  deps.accessTrail.record({
    at: trailInstant(deps.clock(), deps.calendarService.zone),
    role: principal.role,
    token: principal.fingerprint,
    caseId,
    what,
    status: disclosed.answeredAsOf === undefined ? 404 : 200,
    ...(at < 0 ? {} : { query: req.originalUrl.slice(at + 1) }),
    ...(typeof asOf === 'string' ? { asOf } : {}),
    ...(typeof asKnownAt === 'string' ? { asKnownAt } : {}),
    ...(disclosed.answeredAsOf === undefined ? {} : { answeredAsOf: disclosed.answeredAsOf }),
    ...(disclosed.revisions === undefined ? {} : { revisions: disclosed.revisions }),
  });
}
