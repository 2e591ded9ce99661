/**
 * `GET /cards` (SPEC §4): the register of cards started in [from, to) — filters, cursor paging, CSV.
 * `GET /cards/withdrawn`: the cards of that register a later write withdrew (withdrawalLog.ts).
 */
import { COMPLAINT_CARD_RULES } from '../../domain/complaints/lists.js';
import { Router } from 'express';
import { CARD_COLORS, CARD_RULES } from '../../domain/lists.js';
import { cardRegisterToCsv } from '../../projections/cardRegister.js';
import { withdrawnCardsToCsv } from '../../projections/withdrawnCardRegister.js';
import type { ReadModels } from '../../projections/types.js';
import type { Authenticator } from '../auth.js';
import { type ListTrailDeps, recordListRead } from './listTrail.js';
import { badRequest } from '../errors.js';
import { dateParam, enumParam, idParam, takesParams } from '../validation.js';
import { cursorParam, givenOnly, limitParam, sendCsv, wantsCsv } from './listParams.js';

export const CARD_REGISTER_PARAMS = [
  'from',
  'to',
  'centerId',
  'departmentId',
  'rule',
  'color',
  'limit',
  'cursor',
] as const;

export function cardRoutes(deps: { readonly readModels: ReadModels } & ListTrailDeps, auth: Authenticator): Router {
  const router = Router();
  router.get('/cards', auth.require('case:read'), takesParams(...CARD_REGISTER_PARAMS), (req, res) => {
    const q = req.query as Record<string, unknown>;
    const csv = wantsCsv(req);
    const { from, to } = periodParams(q);
    const given = {
      centerId: idParam(q, 'centerId'),
      departmentId: idParam(q, 'departmentId'),
      rule: enumParam(q, 'rule', [...CARD_RULES, ...COMPLAINT_CARD_RULES]),
      color: enumParam(q, 'color', CARD_COLORS),
      cursor: cursorParam(q),
    };
    const result = deps.readModels.cardRegister({ from, to, ...givenOnly(given), limit: limitParam(q, csv) });
    recordListRead(
      deps,
      req,
      res,
      'card-register',
      result.items.flatMap((r) => (r.caseId === undefined ? [] : [r.caseId])),
      result.items.flatMap((r) => (r.complaintId === undefined ? [] : [r.complaintId])),
    );
    if (csv) {
      sendCsv(res, `cards-${from}-${to}.csv`, cardRegisterToCsv(result.items), result.nextCursor);
      return;
    }
    res.json(result);
  });
  router.get('/cards/withdrawn', auth.require('case:read'), takesParams(...CARD_REGISTER_PARAMS), (req, res) => {
    const q = req.query as Record<string, unknown>;
    const csv = wantsCsv(req);
    const { from, to } = periodParams(q);
    const given = {
      centerId: idParam(q, 'centerId'),
      departmentId: idParam(q, 'departmentId'),
      rule: enumParam(q, 'rule', CARD_RULES),
      color: enumParam(q, 'color', CARD_COLORS),
      cursor: cursorParam(q),
    };
    const result = deps.readModels.withdrawnCards({ from, to, ...givenOnly(given), limit: limitParam(q, csv) });
    recordListRead(
      deps,
      req,
      res,
      'withdrawn-cards',
      result.items.map((r) => r.caseId),
      [],
    );
    if (csv) {
      sendCsv(res, `withdrawn-cards-${from}-${to}.csv`, withdrawnCardsToCsv(result.items), result.nextCursor);
      return;
    }
    res.json(result);
  });
  return router;
}

/** The period [from, to) of both registers. */
function periodParams(q: Record<string, unknown>): { from: string; to: string } {
  const from = dateParam(q, 'from', true) as string;
  const to = dateParam(q, 'to', true) as string;
  if (to <= from) throw badRequest('to', `must be after from (${from}); the period is [from, to)`);
  return { from, to };
}
