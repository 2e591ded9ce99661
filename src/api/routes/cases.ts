/** `GET /cases/{caseId}` and `GET /cases/{caseId}/history` (SPEC §4). */
import { Router, type Request, type Response } from 'express';
import { CaseId } from '../../domain/events.js';
import type { EpochMs } from '../../domain/types.js';
import type { ReadModels } from '../../projections/types.js';
import type { EventStore } from '../../store/port.js';
import { principalOf, type Authenticator } from '../auth.js';
import type { AccessTrail } from '../accessTrail.js';
import { ApiError, badRequest } from '../errors.js';
import { buildHistory, type HistoryDeps } from '../history.js';
import { asOfParam, pathParam } from '../validation.js';

export interface CaseRouteDeps extends HistoryDeps {
  readonly store: EventStore;
  readonly readModels: ReadModels;
  readonly clock: () => EpochMs;
  readonly accessTrail: AccessTrail;
  /** How long a case read waits for the projections to reach the store head (read-your-writes). */
  readonly readYourWritesMs: number;
}

export function caseRoutes(deps: CaseRouteDeps, auth: Authenticator): Router {
  const router = Router();

  router.get('/cases/:caseId', auth.require('case:read'), async (req, res) => {
    const caseId = caseIdParam(req);
    const asOf = asOfParam(req.query, deps.clock());
    trail(deps, req, res, caseId, 'case');
    await catchUpWithStore(deps);
    const evaluation = deps.readModels.evaluateCase(caseId, asOf);
    if (evaluation === undefined) throw unknownCase(caseId, asOf);
    res.json(evaluation);
  });

  router.get('/cases/:caseId/history', auth.require('case:history'), async (req, res) => {
    const caseId = caseIdParam(req);
    const asOf = asOfParam(req.query, deps.clock());
    trail(deps, req, res, caseId, 'history');
    const history = await buildHistory(deps, caseId, asOf);
    if (history === undefined) throw unknownCase(caseId, asOf);
    res.json(history);
  });

  return router;
}

function caseIdParam(req: Request): string {
  const caseId = pathParam(req, 'caseId');
  if (!CaseId.is(caseId)) throw badRequest('caseId', 'must be 1–64 characters of [A-Za-z0-9._-]');
  return caseId;
}

function unknownCase(caseId: string, asOf: EpochMs): ApiError {
  return new ApiError(404, 'case-not-found', `no case ${caseId} accepted by ${new Date(asOf).toISOString()}`);
}

function trail(deps: CaseRouteDeps, req: Request, res: Response, caseId: string, what: 'case' | 'history'): void {
  const principal = principalOf(res);
  // Auditors (SPEC §4) and admins, who may read everything, leave a trail; monitors read the board's figures.
  if (principal.role !== 'auditor' && principal.role !== 'admin') return;
  deps.accessTrail.record({
    at: new Date(deps.clock()).toISOString(),
    role: principal.role,
    token: principal.fingerprint,
    caseId,
    what,
    ...(typeof req.query['asOf'] === 'string' ? { asOf: req.query['asOf'] } : {}),
  });
}

/** Reads reflect every write committed before the request, unless the projections lag longer than the wait. */
async function catchUpWithStore(deps: CaseRouteDeps): Promise<void> {
  const status = deps.readModels.status();
  const head = await deps.store.headPosition();
  if (BigInt(status.checkpoint) >= head) return;
  await deps.readModels.waitForPosition(head, deps.readYourWritesMs);
}
