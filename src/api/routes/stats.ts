/** `GET /stats` and `GET /reports/monthly` (SPEC §5). */
import type { Router } from 'express';
import { apiRouter } from '../apiRouter.js';
import { currentMonth, monthlyReportToCsv } from '../../projections/report.js';
import type { ReadModels, StatsGroupBy } from '../../projections/types.js';
import type { Authenticator } from '../auth.js';
import { caughtUpWithStore, type ReadYourWritesDeps } from '../readYourWrites.js';
import { badRequest } from '../errors.js';
import { formatDate, formatInstant } from '../../domain/time.js';
import { zoneClock } from '../../domain/zone.js';
import type { EpochMs } from '../../domain/types.js';
import { dateParam, enumParam, idParam, monthParam, queryString, scopeParam, takesParams } from '../validation.js';

export const GROUP_BY: readonly StatsGroupBy[] = ['center', 'department', 'matter', 'category'];
export const STATS_PARAMS = ['from', 'to', 'centerId', 'scope', 'departmentId', 'groupBy'] as const;
export const REPORT_PARAMS = ['month', 'centerId', 'scope'] as const;

/** The figures as answered: the instant they were computed as every answer gives instants (SPEC §4), ISO-8601 with offset. */
export const answerOf = <T extends { readonly asOf: number; readonly zone: string }>(figures: T) => ({
  ...figures,
  asOf: formatInstant(figures.asOf, figures.zone),
});

export interface StatsRouteDeps extends ReadYourWritesDeps {
  readonly readModels: ReadModels;
  readonly clock: () => EpochMs;
  readonly zone: string;
}

export function statsRoutes(deps: StatsRouteDeps, auth: Authenticator): Router {
  const router = apiRouter();
  const caughtUp = caughtUpWithStore(deps);

  router.get('/stats', auth.require('stats:read'), takesParams(...STATS_PARAMS), caughtUp, (req, res) => {
    const q = req.query as Record<string, unknown>;
    const from = dateParam(q, 'from', true) as string;
    const to = dateParam(q, 'to', true) as string;
    if (to <= from) throw badRequest('to', `must be after from (${from}); the period is [from, to)`);
    // As for the monthly report: a period not begun has no figures, its "open at the end" would be today's.
    const today = formatDate(zoneClock(deps.zone).dayOf(deps.clock()));
    if (from > today) throw badRequest('from', `must not be after today ${today}; got ${from}`);
    const centerId = idParam(q, 'centerId');
    // The figures of one center, as before `scope` was taken, unless its subtree is asked for.
    const scope = scopeParam(q, centerId, 'center');
    const departmentId = idParam(q, 'departmentId');
    const groupBy = enumParam(q, 'groupBy', GROUP_BY);
    res.json(
      answerOf(
        deps.readModels.stats({
          from,
          to,
          ...(centerId === undefined ? {} : { centerId, scope }),
          ...(departmentId === undefined ? {} : { departmentId }),
          ...(groupBy === undefined ? {} : { groupBy }),
        }),
      ),
    );
  });

  router.get('/reports/monthly', auth.require('stats:read'), takesParams(...REPORT_PARAMS), caughtUp, (req, res) => {
    const q = req.query as Record<string, unknown>;
    // No month: the latest month with data (the read model decides, and the report says which month it is).
    const month = queryString(q, 'month') === undefined ? undefined : monthParam(q, 'month');
    // A month not begun has no figures: its "open at the end" would be today's open cases, as if the future were known.
    const thisMonth = currentMonth(deps.clock(), deps.zone);
    if (month !== undefined && month > thisMonth)
      throw badRequest('month', `must not be after the current month ${thisMonth}; got ${month}`);
    const centerId = idParam(q, 'centerId');
    // A center's report is its office's: the center and the centers under it (SPEC §5, the 五华区 report
    // ranks its 街道), unless `scope=center` asks for that center alone.
    const scope = scopeParam(q, centerId, 'subtree');
    const report = deps.readModels.monthlyReport(month, centerId === undefined ? {} : { centerId, scope });
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="report-${report.month}.csv"`)
        // A UTF-8 byte-order mark so Excel opens the Chinese names correctly.
        .send(`\uFEFF${monthlyReportToCsv(report)}`);
      return;
    }
    res.json(answerOf(report));
  });

  return router;
}
