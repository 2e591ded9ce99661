/**
 * The access trail of the list reads (`GET /cases`, `GET /cards`, `GET /cards/withdrawn`, an
 * admin's `GET /alerts`): an auditor's or admin's page of cases is recorded like a single case
 * read, with the query and the case ids it disclosed (at most a page: 500, or 10,000 in CSV);
 * an admin's `GET /alerts/stream` when it opens, with the query (its alerts arrive later).
 */
import type { Request, Response } from 'express';
import { type AccessRecord, type AccessTrail, leavesTrail, trailInstant } from '../accessTrail.js';
import { principalOf } from '../auth.js';
import { wantsCsv } from './listParams.js';

export interface ListTrailDeps {
  readonly accessTrail: AccessTrail;
  readonly clock: () => number;
  /** The deployment zone: a line's `at` is written in it (trailInstant). */
  readonly zone: string;
}

/** Records the read before it is answered: when the trail cannot be written the read is refused (503). */
export function recordListRead(
  deps: ListTrailDeps,
  req: Request,
  res: Response,
  what: 'case-list' | 'card-register' | 'withdrawn-cards' | 'alert-board',
  caseIds: readonly string[],
  complaintIds: readonly string[] = [],
): void {
  recordRead(deps, req, res, what, {
    ...(wantsCsv(req) ? { format: 'csv' as const } : {}),
    caseIds: [...new Set(caseIds)],
    ...(complaintIds.length === 0 ? {} : { complaintIds: [...new Set(complaintIds)] }),
  });
}

/** An admin's alert stream, recorded when it opens (refused with 503 when the trail cannot be written). */
export function recordStreamOpened(deps: ListTrailDeps, req: Request, res: Response): void {
  recordRead(deps, req, res, 'alert-stream', {});
}

function recordRead(
  deps: ListTrailDeps,
  req: Request,
  res: Response,
  what: 'case-list' | 'card-register' | 'withdrawn-cards' | 'alert-board' | 'alert-stream',
  disclosed: Pick<AccessRecord, 'format' | 'caseIds' | 'complaintIds'>,
): void {
  const principal = principalOf(res);
  if (!leavesTrail(principal.role)) return;
  const at = req.originalUrl.indexOf('?');
  deps.accessTrail.record({
    at: trailInstant(deps.clock(), deps.zone),
    role: principal.role,
    token: principal.fingerprint,
    what,
    status: 200,
    query: at < 0 ? '' : req.originalUrl.slice(at + 1),
    ...disclosed,
  });
}
