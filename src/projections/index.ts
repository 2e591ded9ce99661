/** Public API of the read side. */
export { createProjections } from './runner.js';
export type { Projections, ProjectionsOptions } from './runner.js';
export * from './types.js';
export * from './calendarEvents.js';
export { createRealScheduler, createManualScheduler } from './scheduler.js';
export type { Scheduler, ManualScheduler, TimerHandle } from './scheduler.js';
export { computeStats, resolvePeriod, StatsQueryError, RATE_DECIMALS } from './stats.js';
export type { StatsResult, KpiSet, CohortFigures, FlowFigures, StatsGroup } from './stats.js';
export { computeMonthlyReport, monthlyReportToCsv, monthPeriod } from './report.js';
export type { MonthlyReport, MonthlyDepartmentRow } from './report.js';
export { defaultCheckpointFile } from './checkpointPath.js';
export { StoreHistoryLostError } from './checkpoint.js';
