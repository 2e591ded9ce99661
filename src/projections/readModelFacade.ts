/** The `ReadModels` the API consumes, answered from the case fold (queries only; nothing here changes state). */
import type { EpochMs } from '../domain/index.js';
import type { CaseProjection } from './caseProjection.js';
import { computeMonthlyReport, monthlyReportToCsv } from './report.js';
import { computeStats } from './stats.js';
import type { ProjectionStatus, ReadModels } from './types.js';

export interface ReadModelSources {
  readonly projection: CaseProjection;
  readonly zone: string;
  readonly clock: () => EpochMs;
  readonly status: () => ProjectionStatus;
  readonly waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
}

export function readModelFacade(sources: ReadModelSources): ReadModels {
  const { projection, zone, clock } = sources;
  const entries = () => projection.caseEntries();
  return {
    getCaseState: (caseId) => projection.getState(caseId),
    evaluateCase: (caseId, asOf) => projection.evaluateCase(caseId, asOf),
    activeAlerts: (filter) => projection.activeAlerts(filter),
    onAlert: (listener) => projection.onAlert(listener),
    stats: (query) => computeStats(entries(), query, zone, clock()),
    monthlyReport: (month, filter) =>
      computeMonthlyReport(entries, month, filter, zone, clock(), projection.reportVersions()),
    monthlyReportCsv: (month, filter) =>
      monthlyReportToCsv(computeMonthlyReport(entries, month, filter, zone, clock(), projection.reportVersions())),
    status: sources.status,
    waitForPosition: sources.waitForPosition,
    openCaseCounts: () => projection.openCaseCounts(),
    alertCounts: () => projection.alertCounts(),
  };
}
