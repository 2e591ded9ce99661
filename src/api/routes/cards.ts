/**
 * `GET /cards` (SPEC §4): the register of cards started in [from, to) — filters, cursor paging, CSV.
 * `GET /cards/withdrawn`: the cards of that register a later write withdrew (withdrawalLog.ts).
 */
import { COMPLAINT_CARD_RULES } from '../../domain/complaints/lists.js';
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { CARD_COLORS, CARD_RULES, CARD_SUBJECTS } from '../../domain/lists.js';
import { cardRegisterToCsv } from '../../projections/cardRegister.js';
import { WITHDRAWN_ROW_KINDS } from '../../projections/report.js';
import { withdrawnCardsToCsv } from '../../projections/withdrawnCardRegister.js';
import type { ReadModels } from '../../projections/types.js';
import type { Authenticator } from '../auth.js';
import { caughtUpWithStore, type ReadYourWritesDeps } from '../readYourWrites.js';
import { type ListTrailDeps, recordListRead } from './listTrail.js';
import { badRequest } from '../errors.js';
import { dateParam, enumParam, idParam, knownAtParam, listScopeParam, takesParams } from '../validation.js';
import { type CardsKnownAtDeps, cardRegisterKnownAt } from '../cardsKnownAt.js';
import { cursorParam, givenOnly, limitParam, sendCsv, wantsCsv } from './listParams.js';

/** The query both registers take. */
const REGISTER_PARAMS = [
  'from',
  'to',
  'centerId',
  'scope',
  'departmentId',
  'rule',
  'color',
  'subject',
  'limit',
  'cursor',
] as const;

/** `GET /cards`: and `asKnownAt`, the register as it stood at an instant (cardsKnownAt.ts). */
export const CARD_REGISTER_PARAMS = [...REGISTER_PARAMS, 'asKnownAt'] as const;

/** `GET /cards/withdrawn`: the register's, and `kind` (a card withdrawn, a changed clearing, a row put back). */
export const WITHDRAWN_CARD_PARAMS = [...REGISTER_PARAMS, 'kind'] as const;

export function cardRoutes(
  deps: { readonly readModels: ReadModels } & CardsKnownAtDeps & ListTrailDeps & ReadYourWritesDeps,
  auth: Authenticator,
): Router {
  const router = apiRouter();
  const caughtUp = caughtUpWithStore(deps);
  router.get('/cards', auth.require('case:read'), takesParams(...CARD_REGISTER_PARAMS), caughtUp, async (req, res) => {
    const csv = wantsCsv(req);
    const q = req.query as Record<string, unknown>;
    const query = registerQuery(q, [...CARD_RULES, ...COMPLAINT_CARD_RULES], csv);
    const knownAt = knownAtParam(q, deps.clock(), deps.zone);
    const { from, to } = query;
    const result =
      knownAt === undefined ? deps.readModels.cardRegister(query) : await cardRegisterKnownAt(deps, query, knownAt);
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
  router.get(
    '/cards/withdrawn',
    auth.require('case:read'),
    takesParams(...WITHDRAWN_CARD_PARAMS),
    caughtUp,
    (req, res) => {
      const csv = wantsCsv(req);
      const q = req.query as Record<string, unknown>;
      const kind = enumParam(q, 'kind', WITHDRAWN_ROW_KINDS);
      const query = {
        ...registerQuery(q, [...CARD_RULES, ...COMPLAINT_CARD_RULES], csv),
        ...(kind === undefined ? {} : { kind }),
      };
      const { from, to } = query;
      const result = deps.readModels.withdrawnCards(query);
      recordListRead(
        deps,
        req,
        res,
        'withdrawn-cards',
        result.items.flatMap((r) => (r.caseId === undefined ? [] : [r.caseId])),
        result.items.flatMap((r) => (r.complaintId === undefined ? [] : [r.complaintId])),
      );
      if (csv) {
        sendCsv(res, `withdrawn-cards-${from}-${to}.csv`, withdrawnCardsToCsv(result.items), result.nextCursor);
        return;
      }
      res.json(result);
    },
  );
  return router;
}

/** The query of both registers: the period [from, to), the filters (a rule of `rules`), the page. */
function registerQuery<R extends string>(q: Record<string, unknown>, rules: readonly R[], csv: boolean) {
  const from = dateParam(q, 'from', true) as string;
  const to = dateParam(q, 'to', true) as string;
  if (to <= from) throw badRequest('to', `must be after from (${from}); the period is [from, to)`);
  const centerId = idParam(q, 'centerId');
  const given = {
    centerId,
    scope: listScopeParam(q, centerId),
    departmentId: idParam(q, 'departmentId'),
    rule: enumParam(q, 'rule', rules),
    color: enumParam(q, 'color', CARD_COLORS),
    subject: enumParam(q, 'subject', CARD_SUBJECTS),
    cursor: cursorParam(q),
  };
  return { from, to, ...givenOnly(given), limit: limitParam(q, csv) };
}
