/** The `ReadModels` the API consumes, answered from the case fold (queries only; nothing here changes state). */
import type { EpochMs } from '../domain/index.js';
import { listCards } from './cardRegister.js';
import { listCases } from './caseList.js';
import type { CaseProjection } from './caseProjection.js';
import type { ComplaintProjection } from './complaints/complaintProjection.js';
import { DirectoryBook } from './directoryEvents.js';
import { nameStats } from './directoryNames.js';
import { computeMonthlyReport, currentMonth, latestMonthWithData, monthlyReportToCsv } from './report.js';
import { computeStats } from './stats.js';
import type { ProjectionStatus, ReadModels } from './types.js';

export interface ReadModelSources {
  readonly projection: CaseProjection;
  /** The complaint fold (SPEC §8): states by complaint, timed by the calendar and each complaint's policy version. */
  readonly complaints: ComplaintProjection;
  readonly zone: string;
  readonly clock: () => EpochMs;
  readonly status: () => ProjectionStatus;
  readonly waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
  /** Names beside ids in the statistics and the report (none when absent: every id unregistered). */
  readonly directory?: DirectoryBook;
}

export function readModelFacade(sources: ReadModelSources): ReadModels {
  const { projection, zone, clock } = sources;
  const entries = () => projection.caseEntries();
  const names = sources.directory ?? new DirectoryBook();
  // No month: the latest month with data (else the current one), so a fresh demo opens on its figures.
  const report = (month: string | undefined, filter?: { centerId?: string }) => {
    const shown = month ?? latestMonthWithData(entries(), filter?.centerId, zone) ?? currentMonth(clock(), zone);
    const versions = projection.reportVersions();
    return computeMonthlyReport(entries, shown, filter, zone, clock(), versions, names.current, sources.complaints);
  };
  // The list rows' names (rowNames.ts), read from the directory in force at each request.
  const listSources = () => ({
    entries: projection.caseEntries(),
    evaluate: projection.evaluateCase.bind(projection),
    explain: projection.explainCard.bind(projection),
    zone,
    now: clock(),
    names: {
      centerName: (id: string) => names.current.center(id)?.name,
      departmentName: (id: string) => names.current.department(id)?.name,
    },
  });
  return {
    getCaseState: (caseId) => projection.getState(caseId),
    evaluateCase: (caseId, asOf) => projection.evaluateCase(caseId, asOf),
    activeAlerts: (filter) => projection.activeAlerts(filter),
    onAlert: (listener) => projection.onAlert(listener),
    stats: (query) => nameStats(computeStats(entries(), query, zone, clock(), sources.complaints), names.current),
    monthlyReport: report,
    monthlyReportCsv: (month, filter) => monthlyReportToCsv(report(month, filter)),
    caseList: (query) => listCases(query, listSources()),
    cardRegister: (query) => listCards(query, listSources()),
    status: sources.status,
    waitForPosition: sources.waitForPosition,
    openCaseCounts: () => projection.openCaseCounts(),
    alertCounts: () => projection.alertCounts(),
  };
}
