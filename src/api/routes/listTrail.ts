/**
 * The access trail of the list reads (`GET /cases`, `GET /cards`): an auditor's
 * or admin's page of cases is recorded like a single case read, with the query
 * and the case ids it disclosed (at most a page: 500, or 10,000 in CSV).
 */
import type { Request, Response } from 'express';
import { type AccessTrail, leavesTrail } from '../accessTrail.js';
import { principalOf } from '../auth.js';
import { wantsCsv } from './listParams.js';

export interface ListTrailDeps {
  readonly accessTrail: AccessTrail;
  readonly clock: () => number;
}

/** Records the read before it is answered: when the trail cannot be written the read is refused (503). */
export function recordListRead(
  deps: ListTrailDeps,
  req: Request,
  res: Response,
  what: 'case-list' | 'card-register' | 'withdrawn-cards',
  caseIds: readonly string[],
  complaintIds: readonly string[] = [],
): void {
  const principal = principalOf(res);
  if (!leavesTrail(principal.role)) return;
  const at = req.originalUrl.indexOf('?');
  deps.accessTrail.record({
    at: new Date(deps.clock()).toISOString(),
    role: principal.role,
    token: principal.fingerprint,
    what,
    status: 200,
    query: at < 0 ? '' : req.originalUrl.slice(at + 1),
    ...(wantsCsv(req) ? { format: 'csv' as const } : {}),
    caseIds: [...new Set(caseIds)],
    ...(complaintIds.length === 0 ? {} : { complaintIds: [...new Set(complaintIds)] }),
  });
}
