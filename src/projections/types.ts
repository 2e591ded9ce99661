/**
 * What the read side offers the API and the web pages. The projection runner
 * keeps these read models up to date from the event store's subscription.
 */
import type { ComplaintCardRule, ComplaintStatus } from '../domain/complaints/lists.js';
import type { CenterScope } from '../domain/directory.js';
import type { ComplaintTimeline } from '../domain/complaints/timeline.js';
import type { CardColor, CardRule, CaseEvaluation, CaseState, EpochMs } from '../domain/types.js';
import type { EvaluateOptions } from '../domain/evaluate.js';
import type { CardRegisterQuery, CardRegisterResult } from './cardRegister.js';
import type { CardCandidates, CardRegisterAsKnown } from './cardRegisterKnownAt.js';
import type { RecordedEvent } from '../store/port.js';
import type { CaseListQuery, CaseListResult } from './caseList.js';
import type { ComplaintDetail } from './complaints/complaintDetail.js';
import type { ComplaintListQuery, ComplaintListResult } from './complaints/complaintList.js';
import type { ComplaintTiming } from './complaints/complaintProjection.js';
import type { MonthlyReport } from './report.js';
import type { NameLookup } from './rowNames.js';
import type { StatsResult } from './stats.js';
import type {
  WithdrawnCardCount,
  WithdrawnCardQuery,
  WithdrawnCardResult,
  WithdrawnCardView,
} from './withdrawnCardRegister.js';

/** A read as known at K (SPEC §3 "What was known"): K, and its subject as known at K read at K (only when needed). */
export interface KnownAt<T> {
  readonly at: EpochMs;
  readonly read: () => T;
}

/** A case as known at K evaluated at K (undefined: not accepted by then). */
export interface CaseKnownAtK {
  readonly state: CaseState;
  readonly evaluation: CaseEvaluation | undefined;
}

/** What every alert says, whatever it is about. */
interface AlertBase {
  /** Stable identity of the alert, e.g. `EX-01/overdue`, `EX-07/pause-warning/p1`, `complaint-C-1/complaint-overdue`. */
  readonly key: string;
  readonly color: CardColor;
  readonly centerId: string;
  /** The department in charge ('' for a complaint with none). */
  readonly departmentId: string;
  readonly startedAt: string;
  readonly calendarVersion: string;
  readonly policyVersion: string;
  /**
   * `true` when the clock behind it counts days of a year the calendar only predicts (SPEC §3), as of
   * the evaluation that published it; absent otherwise (a card of `/cards` says it the same way). A
   * change of it (a notice published) is a change of the alert: raised again (AlertBoard.update).
   */
  readonly provisional?: true;
  /** Why, when there is more to say: e.g. `retroactivePause` (pause ids), or the late event for late-record. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** One alert of a case active now (SPEC §3: a rule in force for open work). */
export interface CaseAlertView extends AlertBase {
  readonly subject: 'case';
  readonly caseId: string;
  readonly rule: CardRule;
  readonly matterCode: string;
  readonly matterName?: string;
  readonly pauseId?: string;
  readonly escalation?: number;
  readonly complaintId?: never;
}

/**
 * One alert of a complaint active now (SPEC §8): key `complaint-<complaintId>/<rule>`, and
 * `/<late-record index>` for complaint-late-record (one per late event, as a case's late-record).
 */
export interface ComplaintAlertView extends AlertBase {
  readonly subject: 'complaint';
  readonly complaintId: string;
  readonly rule: ComplaintCardRule;
  // Absent here, declared so code reading a case field off any alert gets `undefined`, not a type error.
  readonly caseId?: never;
  readonly matterCode?: never;
  readonly matterName?: never;
  readonly pauseId?: never;
  readonly escalation?: never;
}

/** An alert on the board: about a case or about a complaint (`subject` tells which). */
export type AlertView = CaseAlertView | ComplaintAlertView;

/** Every rule an alert may carry: the case card rules and the complaint card rules. */
export type AlertRule = CardRule | ComplaintCardRule;

export interface AlertEvent {
  readonly type: 'alert-raised' | 'alert-cleared';
  /** When it was raised or cleared (the rule's instant, not the wall clock). */
  readonly at: string;
  readonly alert: AlertView;
  /** A raise that replaced an active alert of the same key: the version replaced (never sent to clients). */
  readonly previous?: AlertView;
}

export interface AlertFilter {
  readonly centerId?: string;
  /** What `centerId` covers: that center alone (default) or with every center under it (domain/directory.ts). */
  readonly scope?: CenterScope;
  readonly departmentId?: string;
  readonly color?: CardColor;
  readonly rule?: AlertRule;
}

export type StatsGroupBy = 'center' | 'department' | 'matter' | 'category';

export interface StatsQuery {
  /** Local dates YYYY-MM-DD, period [from, to). */
  readonly from: string;
  readonly to: string;
  readonly centerId?: string;
  /** What `centerId` covers: that center alone (default) or with every center under it (domain/directory.ts). */
  readonly scope?: CenterScope;
  readonly departmentId?: string;
  readonly groupBy?: StatsGroupBy;
}

/** The monthly report's filter: a center, and what it covers (the route's default for the report is `subtree`). */
export interface ReportFilter {
  readonly centerId?: string;
  /** Default here `center`; GET /reports/monthly sends `subtree` unless asked otherwise. */
  readonly scope?: CenterScope;
}

export interface ProjectionStatus {
  /** The first catch-up has ended (it stays true: `following` and `behindSeconds` say how it goes since). */
  readonly caughtUp: boolean;
  readonly lagEvents: number;
  /** Last processed global position (string for the wire), "-1" before any. */
  readonly checkpoint: string;
  readonly headPosition: string;
  /** False from a failure of the live subscription until a new one answers (behindWatch.ts, subscriptionLoop.ts). */
  readonly following: boolean;
  /** Seconds the lag has stayed above 0 without the fold reaching the head read (behindWatch.ts); 0 when not behind. */
  readonly behindSeconds: number;
}

/** A case's deadline instant and overdue days at an instant (evaluate's `dueAt` and `overdueDays`, unformatted). */
export interface CaseTiming {
  readonly dueAt: EpochMs;
  readonly overdueDays: number;
}

export interface ReadModels {
  getCaseState(caseId: string): CaseState | undefined;
  /** The case evaluated at `asOf` using only events that occurred by then (`options.explain`: its cards explained). */
  evaluateCase(caseId: string, asOf: EpochMs, options?: EvaluateOptions): CaseEvaluation | undefined;
  /** Its deadline instant and overdue days at `asOf` (numbers only: what lists sort by). */
  caseTiming(caseId: string, asOf: EpochMs): CaseTiming | undefined;
  /** The alerts in force that `filter` selects, a center's scope read from the directory in force. */
  activeAlerts(filter?: AlertFilter): AlertView[];
  /**
   * Subscribe to alert-raised / alert-cleared; returns an unsubscribe function. With `filter`, the
   * changes of the alerts it selects (a center's scope read from the directory in force) as a
   * subscriber holding `activeAlerts(filter)` of now must hear them: an alert leaving the filter
   * while active is told as cleared, one joining it as raised (alertStreamFilter.ts).
   */
  onAlert(listener: (event: AlertEvent) => void, filter?: AlertFilter): () => void;
  /** SPEC §5 figures; throws StatsQueryError naming a bad field. */
  stats(query: StatsQuery): StatsResult;
  /** The month's report (SPEC §4–§5); with no month, the latest month with data (else the current month). */
  monthlyReport(month?: string, filter?: ReportFilter): MonthlyReport;
  monthlyReportCsv(month?: string, filter?: ReportFilter): string;
  /** `GET /cases`: filtered, sorted, one page; throws StatsQueryError naming a bad parameter. */
  caseList(query: CaseListQuery): CaseListResult;
  /** `GET /complaints`: filtered, newest receipt first, one page; throws StatsQueryError naming a bad parameter. */
  complaintList(query: ComplaintListQuery): ComplaintListResult;
  /**
   * `GET /complaints/{id}` as of `asOf`, from the complaint's stored events; undefined when not received by then.
   * `timing`: the calendar and policies as known at K (default: those in force); `names`: the
   * directory's names as known at K (default: the directory in force).
   */
  complaintDetail(
    complaintId: string,
    recorded: readonly RecordedEvent[],
    asOf: EpochMs,
    timing?: ComplaintTiming,
    names?: NameLookup,
  ): ComplaintDetail | undefined;
  /** Working days a complaint is past its answer deadline at `at` (0 when not, or unknown). */
  complaintOverdueDays(complaintId: string, at: EpochMs): number;
  /** The instant of a complaint's last event folded (the default `asOf` when it lies ahead of the clock). */
  complaintLastOccurredAt(complaintId: string): EpochMs | undefined;
  /** `GET /cards`: the cards started in [from, to), one page. */
  cardRegister(query: CardRegisterQuery): CardRegisterResult;
  /**
   * `GET /cards?asKnownAt=K`: the cases and complaints that can have had a card started in the period as
   * known at K, of the centers `inCenters` takes (cardRegisterKnownAt.ts).
   */
  cardCandidates(
    period: { readonly fromMs: EpochMs; readonly toMs: EpochMs },
    knownAt: EpochMs,
    inCenters: (centerId: string | undefined) => boolean,
  ): CardCandidates;
  /** `GET /cards?asKnownAt=K`: the register of the candidates as recorded by K, read at K. */
  cardRegisterKnownAt(query: CardRegisterQuery, known: CardRegisterAsKnown): CardRegisterResult;
  /** `GET /cards/withdrawn`: the cards started in [from, to) that a later write withdrew, one page. */
  withdrawnCards(query: WithdrawnCardQuery): WithdrawnCardResult;
  /**
   * A case's withdrawn cards (its page). As known at K (`known`): those withdrawn by K, and where
   * they start now read from the case as known at K evaluated at K, never from later records.
   */
  withdrawnCardsOf(caseId: string, known?: KnownAt<CaseKnownAtK>): WithdrawnCardView[];
  /** A complaint's withdrawn cards (its page); as known at K, as `withdrawnCardsOf`. */
  withdrawnComplaintCardsOf(complaintId: string, known?: KnownAt<ComplaintTimeline | null>): WithdrawnCardView[];
  /** As last known (the store's head is read again in the background). */
  status(): ProjectionStatus;
  /** With the store's head read now (probes and scrapes); as last known when the store does not answer. */
  currentStatus(): Promise<ProjectionStatus>;
  /** Resolves true once every event up to `position` is projected (false on timeout). */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean>;
  /** For scrape-time gauges; labels never carry a case id. */
  openCaseCounts(): OpenCaseCount[];
  alertCounts(): AlertCount[];
  /** The register of withdrawn cards counted by rule, colour and center (the gauge `supervision_cards_withdrawn`). */
  withdrawnCardCounts(): WithdrawnCardCount[];
}

/** Open (or paused) cases of one center, for the gauges. */
export interface OpenCaseCount {
  readonly center: string;
  readonly status: 'open' | 'paused';
  readonly count: number;
}

/** Active alerts of one rule, colour and center, for the gauges. */
export interface AlertCount {
  readonly rule: AlertRule;
  readonly color: CardColor;
  readonly center: string;
  readonly count: number;
}

/**
 * Counters the projections report as they fold events (wired to prom-client by
 * the API layer). Called once per event/card in the life of the process.
 */
export interface ProjectionMetricsSink {
  caseAccepted(center: string, kind: string): void;
  caseCompleted(center: string, kind: string, timeliness: 'on_time' | 'late', sameDay: boolean): void;
  /** A case's or a complaint's card, the first time this process sees it started (session 16: complaints' too). */
  cardIssued(rule: CardRule | ComplaintCardRule, color: CardColor, center: string): void;
  /** A case rated (好差评), score 1–5. */
  caseRated(center: string, score: number): void;
  /** A complaint reached a stage (SPEC §8: received, accepted, rejected, answered, closed). */
  complaintStage(center: string, stage: ComplaintStatus): void;
  /** A case's or a complaint's card a write withdrew, found while live (never while catching up). */
  cardWithdrawn(rule: CardRule | ComplaintCardRule, color: CardColor, center: string): void;
}
