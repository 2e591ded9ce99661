/** `GET /cases` (SPEC §4): the case list — filters, sort, cursor paging, CSV. */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { CARD_COLORS, CARD_RULES, CASE_STATUSES, RATING_CLASSES } from '../../domain/lists.js';
import { CASE_SORT_VALUES, TIMELINESS } from '../../projections/caseList.js';
import { REPORT_CATEGORIES } from '../../projections/report/tables.js';
import { caseListToCsv } from '../../projections/caseListCsv.js';
import type { ReadModels } from '../../projections/types.js';
import type { Authenticator } from '../auth.js';
import { type ListTrailDeps, recordListRead } from './listTrail.js';
import { dateParam, enumParam, idParam, listScopeParam, takesParams } from '../validation.js';
import { booleanParam, cursorParam, givenOnly, limitParam, listedAtParam, sendCsv, wantsCsv } from './listParams.js';

export const CASE_LIST_PARAMS = [
  'centerId',
  'scope',
  'departmentId',
  'matterCode',
  'category',
  'status',
  'rule',
  'color',
  'overdue',
  'acceptedFrom',
  'acceptedTo',
  'completedFrom',
  'completedTo',
  'q',
  'openAt',
  'ratedFrom',
  'ratedTo',
  'rating',
  'followUpDueFrom',
  'followUpDueTo',
  'timeliness',
  'overdueBy',
  'sort',
  'limit',
  'cursor',
  'listedAt',
] as const;

export function caseListRoutes(deps: { readonly readModels: ReadModels } & ListTrailDeps, auth: Authenticator): Router {
  const router = apiRouter();
  router.get('/cases', auth.require('case:read'), takesParams(...CASE_LIST_PARAMS), (req, res) => {
    const q = req.query as Record<string, unknown>;
    const csv = wantsCsv(req);
    const centerId = idParam(q, 'centerId');
    const given = {
      centerId,
      scope: listScopeParam(q, centerId),
      departmentId: idParam(q, 'departmentId'),
      matterCode: idParam(q, 'matterCode'),
      category: enumParam(q, 'category', REPORT_CATEGORIES),
      status: enumParam(q, 'status', CASE_STATUSES),
      rule: enumParam(q, 'rule', CARD_RULES),
      color: enumParam(q, 'color', CARD_COLORS),
      overdue: booleanParam(q, 'overdue'),
      acceptedFrom: dateParam(q, 'acceptedFrom', false),
      acceptedTo: dateParam(q, 'acceptedTo', false),
      completedFrom: dateParam(q, 'completedFrom', false),
      completedTo: dateParam(q, 'completedTo', false),
      q: idParam(q, 'q'),
      openAt: dateParam(q, 'openAt', false),
      ratedFrom: dateParam(q, 'ratedFrom', false),
      ratedTo: dateParam(q, 'ratedTo', false),
      rating: enumParam(q, 'rating', RATING_CLASSES),
      followUpDueFrom: dateParam(q, 'followUpDueFrom', false),
      followUpDueTo: dateParam(q, 'followUpDueTo', false),
      timeliness: enumParam(q, 'timeliness', TIMELINESS),
      overdueBy: dateParam(q, 'overdueBy', false),
      sort: enumParam(q, 'sort', CASE_SORT_VALUES),
      cursor: cursorParam(q),
      listedAt: listedAtParam(q),
    };
    const result = deps.readModels.caseList({ ...givenOnly(given), limit: limitParam(q, csv) });
    recordListRead(
      deps,
      req,
      res,
      'case-list',
      result.items.map((r) => r.caseId),
    );
    if (csv) {
      sendCsv(res, 'cases.csv', caseListToCsv(result.items), result.nextCursor);
      return;
    }
    res.json(result);
  });
  return router;
}
