/**
 * The fold behind the read models: case states, alerts active now, the
 * figures statistics need, and the due-queue that lets time raise and clear
 * alerts with no new event.
 *
 * Two phases. While catching up at start (`live = false`) an event only
 * evolves its case's state (cheap); `goLive(now)` then evaluates every case
 * once. Live, each event re-evaluates its case at the clock's instant and
 * publishes alert changes synchronously, and the due timer re-evaluates a
 * case exactly at its next boundary (O(log n) per case, no scan per tick).
 * Everything derived is a function of (states, calendar, policy, now), which
 * is why a rebuild and an incremental run agree.
 *
 * Live, a completed case that nothing can change without a new event is kept
 * as a row of columns (caseTable.ts, completedCases.ts) and rebuilt, equal,
 * when read or when an event for it arrives.
 *
 * Over 300 lines: folding, evaluating and timing a case are one state machine
 * over the same entries (the queries beside them are one-liners); where cases
 * are kept, the facts, the alerts and the timer live in their own files.
 */
import {
  evaluate,
  evolve,
  explainCard,
  initialCaseState,
  nextChangeOf,
  timelineOf,
  type CalendarService,
  type CardRef,
  type CaseEvaluation,
  type CaseEvent,
  type CaseState,
  type EpochMs,
  type EvaluateOptions,
  type EventMeta,
  type Policy,
  type Timeline,
  type WorkCalendar,
} from '../domain/index.js';
import { AlertBoard } from './alertBoard.js';
import type { PolicyBook } from './policyEvents.js';
import type { ReportVersions } from './report.js';
import { alertViewsOf, EMPTY_ALERTS, publishAlertChanges } from './caseAlerts.js';
import { FLAG_ON_TIME, FLAG_SAME_DAY, newEntry, type CaseEntry } from './caseEntry.js';
import { recordFacts } from './caseFacts.js';
import { changedDays, spanTouches } from './calendarChange.js';
import { CaseTable } from './caseTable.js';
import { DueTimer } from './dueTimer.js';
import { OpenCaseCounts } from './openCounts.js';
import type { Scheduler } from './scheduler.js';
import type { AlertCount, AlertEvent, AlertFilter, AlertView, OpenCaseCount, ProjectionMetricsSink } from './types.js';

export interface CaseProjectionOptions {
  readonly calendarService: CalendarService;
  readonly policy: Policy;
  /** The versions recorded in the store (SPEC §3): each case uses the one in force when it was accepted; `policy` without. */
  readonly policies?: PolicyBook;
  readonly scheduler: Scheduler;
  readonly metrics?: ProjectionMetricsSink;
  /** Keep completed cases as rows of columns (default true; false keeps every case as objects, for comparison). */
  readonly compactCompleted?: boolean;
}

export class CaseProjection {
  private readonly entries: CaseTable;
  private readonly board = new AlertBoard();
  private readonly due: DueTimer;
  private readonly openCounts = new OpenCaseCounts();
  private live = false;
  private skipped = 0;
  private readonly unsubscribeCalendar: () => void;
  private readonly ownEvolveOptions: { readonly lateRecordHours: number };

  constructor(private readonly options: CaseProjectionOptions) {
    this.ownEvolveOptions = { lateRecordHours: options.policy.lateRecordHours };
    this.entries = new CaseTable(options.compactCompleted !== false);
    this.due = new DueTimer(options.scheduler, () => this.tick());
    this.unsubscribeCalendar = options.calendarService.onChange((next, previous) =>
      this.calendarChanged(next, previous),
    );
  }

  get isLive(): boolean {
    return this.live;
  }

  /** Events the fold could not apply (malformed in the store); counted, never fatal. */
  get skippedEvents(): number {
    return this.skipped;
  }

  /** Fold one case event. `caseId` comes from the stream name. */
  applyCaseEvent(caseId: string, event: CaseEvent, meta: EventMeta): void {
    if (this.entries.foldedAsRow(caseId, meta.revision)) return; // a replay
    let entry = this.entries.objectEntry(caseId);
    const before = entry?.state ?? initialCaseState(caseId);
    let state: CaseState;
    try {
      state = evolve(before, event, meta, this.options.policies?.evolveOptions ?? this.ownEvolveOptions);
    } catch {
      this.skipped++;
      if (entry !== undefined) this.compact(entry);
      return;
    }
    if (state === before) {
      if (entry !== undefined) this.compact(entry);
      return; // a replay (revision already folded)
    }
    if (entry === undefined) {
      entry = newEntry(caseId, state);
      this.entries.set(entry);
    } else {
      entry.state = state;
    }
    this.openCounts.move(before, state);
    if (!this.live) return;
    const now = this.options.scheduler.clock();
    this.refresh(entry, now, now);
    this.countLive(event, before, entry);
    this.arm();
    this.compact(entry);
  }

  /** Put a state loaded from a snapshot in place (catch-up phase only). */
  restoreState(state: CaseState): void {
    this.entries.set(newEntry(state.caseId, state));
    this.openCounts.count(state, +1);
  }

  /** End of catch-up: evaluate every case at `now`, then publish and count from here on. */
  goLive(now: EpochMs): void {
    if (this.live) return;
    for (const entry of this.entries.objects()) this.refresh(entry, now, now);
    this.live = true;
    this.board.publishing = true;
    this.arm();
    this.entries.compactLater(this.options.scheduler);
  }

  stop(): void {
    this.entries.cancelCompaction();
    this.due.disarm();
    this.unsubscribeCalendar();
    this.live = false;
    this.board.publishing = false;
  }

  // ── Queries (read-only) ────────────────────────────────────────────────

  get caseCount(): number {
    return this.entries.size;
  }

  getState(caseId: string): CaseState | undefined {
    return this.entries.get(caseId)?.state;
  }

  /** Every case's folded state (immutable values: safe to keep, e.g. for a snapshot). */
  states(): CaseState[] {
    return Array.from(this.entries.entries(), (e) => e.state);
  }

  /** The per-case figures statistics and reports read (one pass; a completed case's row is rebuilt as it is reached). */
  caseEntries(): Iterable<Readonly<CaseEntry>> {
    return this.entries.entries();
  }

  /** Completed cases kept as rows of columns (for the bench and tests). */
  get compactedCount(): number {
    return this.entries.rowCount;
  }

  /** The case evaluated at `asOf`, using only events that occurred by then (`options.explain`: each card's explanation). */
  evaluateCase(caseId: string, asOf: EpochMs, options?: EvaluateOptions): CaseEvaluation | undefined {
    const state = this.entries.get(caseId)?.state;
    if (state === undefined) return undefined;
    return evaluate(state, asOf, this.policyFor(state), this.calendar, options) ?? undefined;
  }

  /** One card's explanation in numbers at `asOf` (the card register explains only the cards it lists). */
  explainCard(caseId: string, ref: CardRef, asOf: EpochMs): Record<string, unknown> | undefined {
    const state = this.entries.get(caseId)?.state;
    if (state === undefined) return undefined;
    return explainCard(state, ref, asOf, this.policyFor(state), this.calendar) ?? undefined;
  }

  get alertCount(): number {
    return this.board.size;
  }

  activeAlerts(filter?: AlertFilter): AlertView[] {
    return this.board.list(filter);
  }

  onAlert(listener: (event: AlertEvent) => void): () => void {
    return this.board.onAlert(listener);
  }

  alertCounts(): AlertCount[] {
    return this.board.countsByRuleColorCenter();
  }

  openCaseCounts(): OpenCaseCount[] {
    return this.openCounts.list();
  }

  /** Earliest queued re-evaluation instant (for tests and status). */
  nextDueAt(): EpochMs | undefined {
    return this.due.nextDueAt();
  }

  /** Keep `entry` as a row when it is completed and settled (live only: catch-up has not evaluated it). */
  private compact(entry: CaseEntry): void {
    if (this.live) this.entries.compact(entry);
  }

  // ── Evaluation ─────────────────────────────────────────────────────────

  private get calendar(): WorkCalendar {
    return this.options.calendarService.current();
  }

  /** The calendar version in force and each case's policy version (the monthly report names them). */
  reportVersions(): ReportVersions {
    return { calendarVersion: this.calendar.version, policyVersionOf: (state) => this.policyFor(state).version };
  }

  /** The policy a case is evaluated under: the one place that choice is made. */
  private policyFor(state: CaseState): Policy {
    const policies = this.options.policies;
    const at = state.acceptedAt;
    if (policies === undefined || at === undefined) return this.options.policy;
    return policies.inForce({ day: this.calendar.dayOf(at), at });
  }

  /** Re-evaluate the cases whose next boundary has come (the due timer's callback). */
  private tick(): void {
    const now = this.options.scheduler.clock();
    for (;;) {
      const due = this.due.popDue(now);
      if (due === undefined) break;
      this.refresh(due.entry, now, due.at);
      this.compact(due.entry);
    }
    this.due.compactIfSparse(this.entries.size);
    this.arm();
  }

  /**
   * Evaluate one case at `now`: the figures statistics read, its alerts
   * (diffed against what was published, then published), and its place in the
   * due-queue. `eventAt` is the instant to report for alerts that end without
   * a card clearing (e.g. a recomputation withdrew them).
   */
  private refresh(entry: CaseEntry, clockNow: EpochMs, eventAt: EpochMs): void {
    const calendar = this.calendar;
    const s = entry.state;
    if (s.accepted === undefined || s.acceptedAt === undefined) return;
    // The API accepts events up to 5 minutes ahead of the clock: such a case is
    // evaluated at its last event's instant, so what was recorded is what counts.
    const now = s.lastOccurredAt !== undefined && s.lastOccurredAt > clockNow ? s.lastOccurredAt : clockNow;
    const policy = this.policyFor(s);
    const tl = timelineOf(s, now, policy, calendar);
    if (tl === null) {
      this.setAlerts(entry, EMPTY_ALERTS, eventAt, calendar);
      this.due.schedule(entry, undefined);
      return;
    }
    const metrics = this.live ? this.options.metrics : undefined;
    const center = s.accepted.centerId;
    recordFacts(entry, s, tl, calendar, metrics && ((c) => metrics.cardIssued(c.rule, c.color, center)));
    const stamp = { zone: calendar.zone, calendarVersion: calendar.version, policyVersion: policy.version };
    const next = alertViewsOf(entry.caseId, s, tl, now, stamp);
    this.setAlerts(entry, next, Math.max(eventAt, now), calendar, s, tl);
    this.due.schedule(entry, nextChangeOf(tl, now));
  }

  private setAlerts(
    entry: CaseEntry,
    next: NonNullable<CaseEntry['alerts']>,
    eventAt: EpochMs,
    calendar: WorkCalendar,
    s?: CaseState,
    tl?: Timeline,
  ): void {
    publishAlertChanges(this.board, entry.alerts ?? EMPTY_ALERTS, next, eventAt, calendar.zone, s, tl);
    entry.alerts = next.length === 0 ? undefined : next;
  }

  /** The live counters of an event just folded (never during catch-up). */
  private countLive(event: CaseEvent, before: CaseState, entry: CaseEntry): void {
    const metrics = this.options.metrics;
    const state = entry.state;
    if (metrics === undefined || state.accepted === undefined) return;
    if (event.type === 'CaseAccepted' && before.accepted === undefined) {
      metrics.caseAccepted(state.accepted.centerId, state.accepted.kind);
    } else if (event.type === 'CaseCompleted' && before.completedAt === undefined && state.completedAt !== undefined) {
      metrics.caseCompleted(
        state.accepted.centerId,
        state.accepted.kind,
        entry.flags & FLAG_ON_TIME ? 'on_time' : 'late',
        (entry.flags & FLAG_SAME_DAY) !== 0,
      );
    } else if (event.type === 'CaseRated' && before.rating === undefined && state.rating !== undefined) {
      metrics.caseRated(state.accepted.centerId, state.rating.score);
    }
  }

  private arm(): void {
    if (this.live) this.due.arm();
  }

  /** A year or regional days changed: re-evaluate every case whose span touches the changed days. */
  private calendarChanged(next: WorkCalendar, previous: WorkCalendar): void {
    if (!this.live) return; // catching up: goLive evaluates everything with the final calendar
    const range = changedDays(next, previous);
    const now = this.options.scheduler.clock();
    for (const seen of this.entries.entries()) {
      if (!spanTouches(seen.state, range, next)) continue;
      const entry = this.entries.objectEntry(seen.caseId)!;
      this.refresh(entry, now, now);
      this.compact(entry);
    }
    this.arm();
  }
}
