/** The `ReadModels` the API consumes, answered from the case and complaint folds (queries only; nothing here changes state). */
import { namesOf } from './rowNames.js';
import { type EpochMs, formatInstant } from '../domain/index.js';
import { listCards } from './cardRegister.js';
import { cardCandidates, knownCardSources } from './cardRegisterKnownAt.js';
import { listCases } from './caseList.js';
import {
  countWithdrawnCards,
  listWithdrawnCards,
  withdrawnCardView,
  withdrawnComplaintCardView,
} from './withdrawnCardRegister.js';
import type { CaseProjection } from './caseProjection.js';
import { mostUrgentFirst } from './alertBoard.js';
import { filteredAlerts } from './alertStreamFilter.js';
import type { ComplaintAlerts } from './complaints/complaintAlerts.js';
import { complaintDetail } from './complaints/complaintDetail.js';
import { listComplaints } from './complaints/complaintList.js';
import type { ComplaintProjection } from './complaints/complaintProjection.js';
import { DirectoryBook } from './directoryEvents.js';
import { nameStats } from './directoryNames.js';
import {
  computeMonthlyReport,
  currentMonth,
  latestMonthWithData,
  isWithdrawnCard,
  monthlyReportToCsv,
  type WithdrawnCardFact,
} from './report.js';
import { RULE_COLOR } from '../domain/lists.js';
import { COMPLAINT_RULE_COLOR } from '../domain/complaints/lists.js';
import { computeStats } from './stats.js';
import type { AlertEvent, AlertFilter, AlertView, ProjectionStatus, ReadModels, ReportFilter } from './types.js';
import { centerSetOf } from '../domain/directory.js';

export interface ReadModelSources {
  readonly projection: CaseProjection;
  /** The complaint fold (SPEC §8): states by complaint, timed by the calendar and each complaint's policy version. */
  readonly complaints: ComplaintProjection;
  /** The complaint alerts in force, beside the case alerts on the board and the stream. */
  readonly complaintAlerts: ComplaintAlerts;
  readonly zone: string;
  readonly clock: () => EpochMs;
  readonly status: () => ProjectionStatus;
  readonly currentStatus: () => Promise<ProjectionStatus>;
  readonly waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
  /** Names beside ids in the statistics and the report (none when absent: every id unregistered). */
  readonly directory?: DirectoryBook;
}

export function readModelFacade(sources: ReadModelSources): ReadModels {
  const { projection, zone, clock } = sources;
  const entries = () => projection.caseEntries();
  const names = sources.directory ?? new DirectoryBook();
  // No month: the latest month with data (else the current one), so a fresh demo opens on its figures.
  const report = (month: string | undefined, filter?: ReportFilter) => {
    const shown =
      month ??
      latestMonthWithData(entries(), sources.complaints.all(), centerSetOf(filter, names.current.directory), zone) ??
      currentMonth(clock(), zone);
    return computeMonthlyReport(
      entries,
      shown,
      filter,
      zone,
      clock(),
      projection.figureVersions(),
      names.current,
      sources.complaints,
      withdrawnCardFacts,
    );
  };
  // The register of withdrawn cards with each card's center: what the report (report.ts
  // `withdrawnInPeriod`) and the gauge (`countWithdrawnCards`) count; a changed clearing and a
  // row put back are told apart (neither is a card withdrawn).
  const withdrawnCardFacts = (): WithdrawnCardFact[] => [
    ...projection.withdrawnCards().map((c) => ({
      rule: c.rule,
      startedAt: c.startedAt,
      color: RULE_COLOR[c.rule],
      centerId: projection.getState(c.caseId)?.accepted?.centerId,
      ...(c.clearingChanged === true ? { clearingChanged: true } : {}),
      ...(c.reinstatedAt === undefined ? {} : { reinstated: true }),
    })),
    ...sources.complaints.withdrawnCards().map((c) => ({
      rule: c.rule,
      startedAt: c.startedAt,
      color: COMPLAINT_RULE_COLOR[c.rule],
      centerId: sources.complaints.get(c.complaintId)?.received?.centerId,
      ...(c.clearingChanged === true ? { clearingChanged: true } : {}),
      ...(c.reinstatedAt === undefined ? {} : { reinstated: true }),
    })),
  ];
  // The list rows' names (rowNames.ts), read from the directory in force at each request.
  const listSources = () => ({
    complaints: sources.complaints,
    entries: projection.caseEntries(),
    evaluate: projection.evaluateCase.bind(projection),
    timing: projection.caseTiming.bind(projection),
    explain: projection.explainCard.bind(projection),
    zone,
    now: clock(),
    directory: names.current.directory,
    names: namesOf(names.current),
  });
  const complaintSources = () => ({
    complaints: sources.complaints,
    alertsOf: (id: string) => sources.complaintAlerts.alertsOf(id),
    zone,
    now: clock(),
    directory: names.current.directory,
    names: namesOf(names.current),
  });
  const activeAlerts = (filter?: AlertFilter): AlertView[] => {
    const { directory } = names.current;
    return mergeSorted(
      projection.activeAlerts(filter, directory),
      sources.complaintAlerts.activeAlerts(filter, directory),
    );
  };
  function* alertsOnBoards(): Iterable<AlertView> {
    yield* projection.alertsOnBoard();
    yield* sources.complaintAlerts.alertsOnBoard();
  }
  const listen = (listener: (event: AlertEvent) => void): (() => void) => {
    const offCases = projection.onAlert(listener);
    const offComplaints = sources.complaintAlerts.onAlert(listener);
    return () => {
      offCases();
      offComplaints();
    };
  };
  return {
    getCaseState: (caseId) => projection.getState(caseId),
    evaluateCase: (caseId, asOf, options) => projection.evaluateCase(caseId, asOf, options),
    caseTiming: (caseId, asOf) => projection.caseTiming(caseId, asOf),
    activeAlerts,
    onAlert: (listener, filter) => {
      if (filter === undefined) return listen(listener);
      const stream = filteredAlerts(filter, () => names.current.directory, listener);
      const off = listen(stream.hear);
      if (filter.scope !== 'subtree') return off;
      // A publication moves centers in or out of the subtree without any alert changing.
      const offDirectory = names.onChange(() => {
        const publishedAt = names.view().publishedAt;
        const at = publishedAt === undefined ? clock() : Date.parse(publishedAt);
        try {
          stream.retest(alertsOnBoards(), formatInstant(at, zone));
        } catch {
          // As the boards' listeners: a failing stream (a closed socket) must not break the fold.
        }
      });
      return () => {
        off();
        offDirectory();
      };
    },
    stats: (query) =>
      nameStats(
        computeStats(
          entries(),
          query,
          zone,
          clock(),
          projection.figureVersions(),
          sources.complaints,
          names.current.directory,
        ),
        names.current,
      ),
    monthlyReport: report,
    monthlyReportCsv: (month, filter) => monthlyReportToCsv(report(month, filter)),
    caseList: (query) => listCases(query, listSources()),
    cardRegister: (query) => listCards(query, listSources()),
    cardCandidates: (period, knownAt, inCenters) => {
      const now = clock();
      return cardCandidates(period, knownAt, inCenters, {
        entries: projection.caseEntries(),
        withdrawnCases: projection.withdrawnCards(),
        caseCenterOf: (caseId) => projection.getState(caseId)?.accepted?.centerId,
        complaintCardStarts: (function* () {
          for (const s of sources.complaints.all()) {
            if (s.received === undefined) continue;
            const starts = sources.complaints.timelineOf(s, now)?.cards.map((c) => c.start) ?? [];
            yield { complaintId: s.complaintId, centerId: s.received.centerId, starts };
          }
        })(),
        withdrawnComplaints: sources.complaints.withdrawnCards(),
        complaintCenterOf: (complaintId) => sources.complaints.get(complaintId)?.received?.centerId,
      });
    },
    cardRegisterKnownAt: (query, known) =>
      listCards(query, knownCardSources(known, zone, sources.complaints.evolveOptions())),
    withdrawnCards: (query) =>
      listWithdrawnCards(query, {
        withdrawn: projection.withdrawnCards(),
        stateOf: (caseId) => projection.getState(caseId),
        evaluate: (caseId, at) => projection.evaluateCase(caseId, at),
        complaints: {
          withdrawn: sources.complaints.withdrawnCards(),
          stateOf: (complaintId) => sources.complaints.get(complaintId),
          timelineOf: (state, at) => sources.complaints.timelineOf(state, at),
        },
        zone,
        now: clock(),
        names: listSources().names,
        directory: names.current.directory,
      }),
    withdrawnCardsOf: (caseId, known) => {
      const mine = projection
        .withdrawnCards()
        .filter((c) => c.caseId === caseId && (known === undefined || c.withdrawnAt <= known.at));
      if (mine.length === 0) return [];
      const { state, evaluation } = known?.read() ?? {
        state: projection.getState(caseId),
        evaluation: projection.evaluateCase(caseId, clock()),
      };
      return mine.map((c) => withdrawnCardView(c, zone, evaluation, state, known?.at));
    },
    withdrawnComplaintCardsOf: (complaintId, known) => {
      const mine = sources.complaints
        .withdrawnCards()
        .filter((c) => c.complaintId === complaintId && (known === undefined || c.withdrawnAt <= known.at));
      const state = sources.complaints.get(complaintId);
      if (mine.length === 0 || state === undefined) return [];
      const at = known?.at ?? clock();
      const now = known === undefined ? sources.complaints.timelineOf(state, at) : known.read();
      return mine.map((c) => withdrawnComplaintCardView(c, zone, now, at, known?.at));
    },
    status: sources.status,
    currentStatus: sources.currentStatus,
    waitForPosition: sources.waitForPosition,
    openCaseCounts: () => projection.openCaseCounts(),
    alertCounts: () => [...projection.alertCounts(), ...sources.complaintAlerts.alertCounts()],
    withdrawnCardCounts: () => countWithdrawnCards(withdrawnCardFacts().filter(isWithdrawnCard)),
    complaintList: (query) => listComplaints(query, complaintSources()),
    complaintDetail: (complaintId, recorded, asOf, timing, known) =>
      complaintDetail(
        complaintId,
        recorded,
        asOf,
        known === undefined ? complaintSources() : { ...complaintSources(), names: known },
        timing,
      ),
    complaintOverdueDays: (complaintId, at) =>
      sources.complaints.view(complaintId, at)?.timeline.answer?.overdueDays ?? 0,
    complaintLastOccurredAt: (complaintId) => sources.complaints.get(complaintId)?.lastOccurredAt,
  };
}

/** Two lists in the board's order merged into one (the case list is long, the complaint list short). */
function mergeSorted(a: AlertView[], b: AlertView[]): AlertView[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: AlertView[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(mostUrgentFirst(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
