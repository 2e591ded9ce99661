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
 * A completed case that nothing can change without a new event is kept as a
 * row of columns (caseTable.ts, completedCases.ts) and rebuilt, equal, when
 * read or when an event for it arrives. Live, once evaluated; while catching
 * up, a completed case is evaluated at the catch-up's clock to see whether it
 * is settled (then it becomes a row and `goLive` has no need to evaluate it),
 * and a calendar or policy publication read later in the catch-up turns the
 * rows it can change back into objects (catchUpRows.ts), for `goLive`.
 *
 * Over 300 lines: folding, evaluating and timing a case are one state machine
 * over the same entries (the queries beside them are one-liners), and whether a
 * case may become a row during a catch-up is decided by that same evaluation;
 * where cases are kept, the facts, the alerts and the timer live in their own files.
 */
import { CountedAhead, type CountedBefore, countedCardKey, leftToCount } from './countedAhead.js';
import {
  evaluate,
  evolve,
  explainCard,
  initialCaseState,
  nextChangeOf,
  turnsProvisionalAt,
  parseInstant,
  stateAsOf,
  tryParseInstant,
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
  type RawCard,
  type Timeline,
  type WorkCalendar,
} from '../domain/index.js';
import { AlertBoard } from './alertBoard.js';
import type { PolicyBook } from './policyEvents.js';
import type { FigureVersions } from './statsFigures.js';
import { alertViewsOf, EMPTY_ALERTS, publishAlertChanges } from './caseAlerts.js';
import { FLAG_ON_TIME, FLAG_SAME_DAY, newEntry, type CaseEntry } from './caseEntry.js';
import { recordFacts } from './caseFacts.js';
import { changedDays, spanTouches } from './calendarChange.js';
import { CaseTable } from './caseTable.js';
import { policyChangedFor, rowTouchedByCalendar } from './catchUpRows.js';
import { DueTimer } from './dueTimer.js';
import { ProvisionalTurn } from './provisionalTurn.js';
import { cardsShownAt } from '../domain/withdrawnCards.js';
import { type OpenCaseWrite, WithdrawalLog, type WithdrawnCard } from './withdrawalLog.js';
import { OpenCaseCounts } from './openCounts.js';
import { SettlingRing } from './settlingRing.js';
import type { SavedCases } from './checkpoint.js';
import type { Scheduler } from './scheduler.js';
import type { Parts } from './snapshotRows.js';
import { PublicationWindow } from './publicationWindow.js';
import type { Directory } from '../domain/directory.js';
import { RULE_COLOR } from '../domain/lists.js';
import type {
  AlertCount,
  AlertEvent,
  AlertFilter,
  AlertView,
  CaseTiming,
  OpenCaseCount,
  ProjectionMetricsSink,
} from './types.js';

/** See `CaseProjectionOptions.rowsInCatchUpAbove`. */
const ROWS_IN_CATCH_UP_ABOVE = 65_536;
/** See `CaseProjectionOptions.settlingInCatchUp`. */
const SETTLING_IN_CATCH_UP = 16_384;

export interface CaseProjectionOptions {
  readonly calendarService: CalendarService;
  readonly policy: Policy;
  /** The versions recorded in the store (SPEC §3): each case uses the one in force when it was accepted; `policy` without. */
  readonly policies?: PolicyBook;
  readonly scheduler: Scheduler;
  readonly metrics?: ProjectionMetricsSink;
  /** Keep completed cases as rows of columns (default true; false keeps every case as objects, for comparison). */
  readonly compactCompleted?: boolean;
  /**
   * Catching up, completed cases become rows only while more than this many
   * cases are objects (default 65,536): memory is bounded where it matters,
   * and a small rebuild pays nothing (the slices after `goLive` compact it).
   */
  readonly rowsInCatchUpAbove?: number;
  /**
   * Catching up, a case that completes becomes a row only after this many
   * later completions (default 16,384; settlingRing.ts), or at its next event
   * before then: the rating that follows most completions then finds an
   * object, not a row to turn back and make again. The cases still waiting at
   * `goLive` are made rows first, as in the catch-up.
   */
  readonly settlingInCatchUp?: number;
  /**
   * The calendar or directory publication being applied (publicationWindow.ts): one window for
   * every fold a publication may withdraw cards of, opened by the router. Default: its own.
   */
  readonly publication?: PublicationWindow;
}

export class CaseProjection {
  private readonly entries: CaseTable;
  private readonly board = new AlertBoard();
  private readonly due: DueTimer;
  private readonly openCounts = new OpenCaseCounts();
  private live = false;
  /** Before go-live: what the previous process counted (`countCardsStartedAfter`). */
  private countedBefore: CountedBefore | undefined;
  /** Live: the cards counted past the instant the live-until record will hold (countedAhead.ts). */
  private readonly countedAhead = new CountedAhead();
  private readonly settling: SettlingRing;
  private skipped = 0;
  private readonly unsubscribeCalendar: () => void;
  private readonly ownEvolveOptions: { readonly lateRecordHours: number };
  /** The policy publications the rows made during a catch-up were evaluated with (the book's first n). */
  private policiesSeen = 0;
  private turnedBack = 0;
  /**
   * Live: the cases folded since they were last evaluated, each with its events (for the counters).
   * The events of one write reach the fold one at a time; evaluating after each would publish what
   * no one ever knew (an overdue alert raised by a back-dated acceptance and cleared by the
   * completion stored with it, counted in cards_issued). They are evaluated together at `settle`:
   * by a timer at the fold's instant (the next turn of the event loop; a manual scheduler's next
   * step, at that instant), before anything reads the projection, and before a writer waiting
   * for its position is released (runner.ts).
   */
  private unsettled = new Map<
    CaseEntry,
    { slot: number | undefined; events: { event: CaseEvent; before: CaseState }[] }
  >();
  private settleScheduled = false;
  /** The cards writes withdrew (withdrawalLog.ts). */
  private readonly withdrawals: WithdrawalLog;
  /** When the alerted open cases' clocks turn provisional with no event (provisionalTurn.ts). */
  private readonly turn: ProvisionalTurn;
  /** The calendar or directory publication being applied (`CaseProjectionOptions.publication`). */
  readonly publication: PublicationWindow;

  constructor(private readonly options: CaseProjectionOptions) {
    this.publication = options.publication ?? new PublicationWindow();
    this.ownEvolveOptions = { lateRecordHours: options.policy.lateRecordHours };
    this.entries = new CaseTable(options.compactCompleted !== false);
    this.settling = new SettlingRing(options.settlingInCatchUp ?? SETTLING_IN_CATCH_UP, (entry, slot) =>
      this.compactSettled(entry, slot),
    );
    this.due = new DueTimer(
      options.scheduler,
      () => this.tick(),
      (entry) => entry.caseId,
    );
    this.turn = new ProvisionalTurn(options.scheduler, () => this.turnProvisional());
    this.withdrawals = new WithdrawalLog(
      (state, at, calendar) => cardsShownAt(state, at, this.policyFor(state), calendar),
      (caseId) => this.entries.get(caseId)?.state,
      (card) => this.countWithdrawn(card),
    );
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

  /** Fold one case event. `caseId` comes from the stream name; it is looked up in the case table once. */
  applyCaseEvent(caseId: string, event: CaseEvent, meta: EventMeta): void {
    let slot = this.entries.slotOf(caseId);
    if (this.entries.foldedAsRowAt(slot, meta.revision)) return; // a replay
    let entry = this.entries.objectEntryAt(slot, caseId);
    const before = entry?.state ?? initialCaseState(caseId);
    let state: CaseState;
    try {
      state = evolve(before, event, meta, this.options.policies?.evolveOptions ?? this.ownEvolveOptions);
    } catch {
      this.skipped++;
      if (entry !== undefined) this.compact(entry, slot);
      return;
    }
    if (state === before) {
      if (entry !== undefined) this.compact(entry, slot);
      return; // a replay (revision already folded)
    }
    this.withdrawals.noteCaseEvent(
      caseId,
      before,
      event,
      meta.revision,
      meta.occurredAt ?? parseInstant(event.occurredAt),
      meta.recordedAt,
      this.calendar,
    );
    if (entry === undefined) {
      entry = newEntry(caseId, state);
      slot = this.entries.set(entry); // its id was the last looked up: the ids answer from their cache
    } else {
      entry.state = state;
    }
    this.openCounts.move(before, state);
    if (!this.live) {
      this.compact(entry, slot, before.status !== 'completed');
      return;
    }
    const waiting = this.unsettled.get(entry);
    if (waiting === undefined) this.unsettled.set(entry, { slot, events: [{ event, before }] });
    else {
      waiting.slot = slot;
      waiting.events.push({ event, before });
    }
    if (!this.settleScheduled) {
      this.settleScheduled = true;
      const scheduler = this.options.scheduler;
      scheduler.setTimer(scheduler.clock(), () => this.settle());
    }
  }

  /** Evaluate the cases folded since the last evaluation: their alerts, figures and counters (see `unsettled`). */
  settle(): void {
    this.settleScheduled = false;
    this.withdrawals.flush(this.calendar);
    if (this.unsettled.size === 0) return;
    const batch = this.unsettled;
    this.unsettled = new Map();
    const now = this.options.scheduler.clock();
    for (const [entry, { slot, events }] of batch) {
      this.refresh(entry, now, now);
      for (const { event, before } of events) this.countLive(event, before, entry);
      this.compact(entry, slot);
    }
    this.arm();
  }

  /** Put a state loaded from a snapshot in place (catch-up phase only). */
  restoreState(state: CaseState): void {
    const entry = newEntry(state.caseId, state);
    const slot = this.entries.set(entry);
    this.openCounts.count(state, +1);
    this.compact(entry, slot);
  }

  /** For a snapshot: the case table's parts (a copy: rows, ids, order) and the states of the cases held as objects. */
  snapshotCases(): {
    rows: Parts;
    states: CaseState[];
    policiesSeen: number;
    withdrawn: WithdrawnCard[];
    openWrite: OpenCaseWrite | undefined;
  } {
    this.settle();
    const states = Array.from(this.entries.objects(), (e) => e.state);
    return {
      rows: this.entries.exportParts(),
      states,
      policiesSeen: this.policiesSeen,
      withdrawn: this.withdrawals.closedCards(),
      openWrite: this.withdrawals.openWrite(),
    };
  }

  /**
   * Check a snapshot's cases (RangeError, nothing changed); what puts them in
   * place (catch-up phase, before any event): the rows as they were evaluated,
   * the objects as `restoreState`. `stale`: the rows were evaluated under
   * another calendar, policy or directory, so they become objects for `goLive`.
   */
  prepareRestore(cases: SavedCases): (stale: boolean) => void {
    const { rows, states } = cases;
    const adopt =
      rows === undefined
        ? undefined
        : this.entries.prepareImport(
            rows,
            states.map((s) => s.caseId),
          );
    return (stale) => {
      adopt?.();
      // Publications after these turn back the rows whose version they change (releaseRowsOfNewPolicies).
      this.policiesSeen = cases.policiesSeen;
      this.withdrawals.restore(cases.withdrawn, cases.openWrite);
      for (const state of states) this.restoreState(state);
      if (stale || !this.entries.compactsRows) this.entries.releaseWhere(() => true);
    };
  }

  /**
   * Before go-live: what the previous process counted (liveUntil.ts): the cards started by an instant,
   * and those it counted ahead of it. The evaluations before going live (the catch-up's and
   * go-live's) then count the other cards they first see that started after it: those no process
   * was live to count. Without it they count none.
   */
  countCardsStartedAfter(before: CountedBefore): void {
    if (!this.live) this.countedBefore = before;
  }

  /** The cards counted live that start after `until`, the instant the live-until record is about to hold. */
  cardsCountedAfter(until: EpochMs): string[] {
    return this.countedAhead.after(until);
  }

  /** End of catch-up: evaluate every case at `now`, then publish and count from here on. */
  goLive(now: EpochMs): void {
    if (this.live) return;
    this.withdrawals.close(this.calendar);
    this.settling.drain(); // each case waiting leaves by compactSettled
    this.releaseRowsOfNewPolicies();
    for (const entry of this.entries.objects()) this.refresh(entry, now, now);
    this.live = true;
    this.board.publishing = true;
    this.arm();
    this.entries.compactLater(this.options.scheduler, () => this.settle()); // no object made a row before it is evaluated
  }

  stop(): void {
    this.settle();
    this.entries.cancelCompaction();
    this.due.disarm();
    this.turn.disarm();
    this.unsubscribeCalendar();
    this.live = false;
    this.board.publishing = false;
  }

  // ── Queries (read-only, but each settles the cases folded since their last evaluation first) ──

  get caseCount(): number {
    return this.entries.size;
  }

  getState(caseId: string): CaseState | undefined {
    this.settle();
    return this.entries.get(caseId)?.state;
  }

  /** An event of another stream was folded (`recordedAt` its text): a case write still open is over. */
  noteOtherWrite(recordedAt: string): void {
    this.withdrawals.noteOtherWrite(tryParseInstant(recordedAt), this.calendar);
  }

  /** An append begins (its first event, any stream): a case write still open is over, whatever its recordedAt. */
  noteAppendStart(): void {
    this.withdrawals.close(this.calendar);
  }

  /** The cards writes withdrew (SPEC §3: the record keeps every card shown), in the order withdrawn. */
  withdrawnCards(): WithdrawnCard[] {
    this.settle();
    return this.withdrawals.all();
  }

  /** Every case's folded state (immutable values: safe to keep, e.g. for a snapshot). */
  states(): CaseState[] {
    this.settle();
    return Array.from(this.entries.entries(), (e) => e.state);
  }

  /** The per-case figures statistics and reports read (one pass; a completed case's row is rebuilt as it is reached). */
  caseEntries(): Iterable<Readonly<CaseEntry>> {
    this.settle();
    return this.entries.entries();
  }

  /** Rows a calendar or policy publication read during a catch-up turned back into objects (for tests). */
  get rowsTurnedBack(): number {
    return this.turnedBack;
  }

  /** Completed cases kept as rows of columns (for the bench and tests). */
  get compactedCount(): number {
    this.settle();
    return this.entries.rowCount;
  }

  /** The case evaluated at `asOf`, using only events that occurred by then (`options.explain`: each card's explanation). */
  evaluateCase(caseId: string, asOf: EpochMs, options?: EvaluateOptions): CaseEvaluation | undefined {
    this.settle();
    const state = this.entries.get(caseId)?.state;
    if (state === undefined) return undefined;
    return evaluate(state, asOf, this.policyFor(state), this.calendar, options) ?? undefined;
  }

  /**
   * The case's deadline instant and overdue days at `asOf`, numbers only (no card formatted or
   * explained): what the lists sort by. A case of 999 pauses costs its timeline, not 3,000 cards made text.
   */
  caseTiming(caseId: string, asOf: EpochMs): CaseTiming | undefined {
    this.settle();
    const state = this.entries.get(caseId)?.state;
    if (state === undefined) return undefined;
    const tl = timelineOf(stateAsOf(state, asOf), asOf, this.policyFor(state), this.calendar);
    return tl === null ? undefined : { dueAt: tl.dueAt, overdueDays: tl.overdueDays };
  }

  /** One card's explanation in numbers at `asOf` (the card register explains only the cards it lists). */
  explainCard(caseId: string, ref: CardRef, asOf: EpochMs): Record<string, unknown> | undefined {
    this.settle();
    const state = this.entries.get(caseId)?.state;
    if (state === undefined) return undefined;
    return explainCard(state, ref, asOf, this.policyFor(state), this.calendar) ?? undefined;
  }

  get alertCount(): number {
    this.settle();
    return this.board.size;
  }

  /** The alerts in force that `filter` selects; a center's scope read in `directory` (none: the center alone). */
  activeAlerts(filter?: AlertFilter, directory?: Directory): AlertView[] {
    this.settle();
    return this.board.list(filter, directory);
  }

  /** The alerts on the board as they stand, without settling (read inside a publication being applied). */
  alertsOnBoard(): Iterable<AlertView> {
    return this.board.values();
  }

  onAlert(listener: (event: AlertEvent) => void): () => void {
    return this.board.onAlert(listener);
  }

  alertCounts(): AlertCount[] {
    this.settle();
    return this.board.countsByRuleColorCenter();
  }

  openCaseCounts(): OpenCaseCount[] {
    this.settle();
    return this.openCounts.list();
  }

  /**
   * Earliest queued re-evaluation instant of a case (for tests and status). Not the provisional turn's
   * (provisionalTurn.ts): that one is noted by evaluations and never taken back, so it may outlive the
   * alerts that noted it, and a rebuild at the same instant would not hold it.
   */
  nextDueAt(): EpochMs | undefined {
    this.settle();
    return this.due.nextDueAt();
  }

  /**
   * Keep `entry` as a row when it is completed and settled (live: as last
   * evaluated; catching up: see below). `slot`: its case's slot, when known
   * (undefined: looked up by its id, by the case table when live, here when catching up).
   */
  private compact(entry: CaseEntry, slot?: number, completedNow = false): void {
    if (this.live) this.entries.compact(entry, slot);
    else if (
      entry.state.status === 'completed' &&
      this.entries.compactsRows &&
      this.entries.size - this.entries.rowCount > (this.options.rowsInCatchUpAbove ?? ROWS_IN_CATCH_UP_ABOVE)
    ) {
      const at = slot ?? this.entries.slotOf(entry.caseId);
      if (!completedNow) this.compactInCatchUp(entry, at);
      else this.settling.push(entry, at); // the case that waited longest leaves by compactSettled
    }
  }

  /**
   * A case leaving the settling ring (with the slot it had when it came in):
   * made a row unless an event since made it one, or turned it into a new
   * object. No lookup of its id: that would be a cache miss, long after.
   */
  private compactSettled(entry: CaseEntry, slot: number): void {
    if (entry.state.status === 'completed' && this.entries.holdsObject(entry, slot)) this.compactInCatchUp(entry, slot);
  }

  /**
   * Catching up: evaluate a completed case at the clock, without alerts or
   * timers, and keep it as a row when nothing but a new event can change it
   * (then `goLive` would evaluate it to the very same figures). Otherwise it
   * stays an object, for `goLive`.
   */
  private compactInCatchUp(entry: CaseEntry, slot: number): void {
    this.releaseRowsOfNewPolicies();
    const s = entry.state;
    if (s.accepted === undefined || s.acceptedAt === undefined) return;
    const clockNow = this.options.scheduler.clock();
    const now = s.lastOccurredAt !== undefined && s.lastOccurredAt > clockNow ? s.lastOccurredAt : clockNow;
    const calendar = this.calendar;
    const policy = this.policyFor(s);
    const tl = timelineOf(s, now, policy, calendar);
    if (tl === null || nextChangeOf(tl, now) !== undefined) return;
    const stamp = { zone: calendar.zone, calendarVersion: calendar.version, policyVersion: policy.version };
    if (alertViewsOf(entry.caseId, s, tl, now, stamp).length > 0) return;
    recordFacts(entry, s, tl, calendar, this.cardCounter(s.caseId, s.accepted.centerId));
    this.entries.compact(entry, slot);
  }

  /** Catching up: policy versions read since the rows were made turn back the rows whose version they change. */
  private releaseRowsOfNewPolicies(): void {
    const book = this.options.policies;
    if (book === undefined || book.publications.length === this.policiesSeen) return;
    const before = book.publications.slice(0, this.policiesSeen);
    const after = book.publications;
    this.policiesSeen = after.length;
    if (this.entries.rowCount === 0) return;
    const calendar = this.calendar;
    this.turnedBack += this.entries.releaseWhere((e) => policyChangedFor(e, before, after, book.fallback, calendar));
  }

  // ── Evaluation ─────────────────────────────────────────────────────────

  private get calendar(): WorkCalendar {
    return this.options.calendarService.current();
  }

  /** The calendar version in force and each case's policy version (the monthly report names them). */
  figureVersions(): FigureVersions {
    const calendar = this.calendar;
    return {
      calendarVersion: calendar.version,
      policyVersionOf: (state) => this.policyFor(state).version,
      isProvisionalSpan: (a, b) => calendar.isProvisionalSpan(a, b),
    };
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
    this.settle();
    const now = this.options.scheduler.clock();
    this.due.visitDue(now, (entry, at) => {
      this.refresh(entry, now, at);
      this.compact(entry);
    });
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
    recordFacts(entry, s, tl, calendar, this.cardCounter(s.caseId, s.accepted.centerId));
    const stamp = { zone: calendar.zone, calendarVersion: calendar.version, policyVersion: policy.version };
    const next = alertViewsOf(entry.caseId, s, tl, now, stamp);
    this.setAlerts(entry, next, Math.max(eventAt, now), calendar, s, tl);
    // An alert says `provisional` as of this evaluation: a case still open turns provisional with the clock
    // (its span ends today), so it is evaluated again that day and its alerts raised again saying so.
    const running = { provisional: tl.provisional, running: next.length > 0 && s.completedAt === undefined };
    this.turn.note(turnsProvisionalAt(calendar, now, running));
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

  /**
   * What counts a card an evaluation sees first (`cardIssued`): live, every one (noted for the
   * live-until record); before, only those the previous process did not count (none without its
   * record: `leftToCount`).
   */
  private cardCounter(caseId: string, center: string): ((card: RawCard) => void) | undefined {
    const metrics = this.options.metrics;
    if (metrics === undefined) return undefined;
    if (this.live) {
      const now = this.options.scheduler.clock();
      return (c) => {
        metrics.cardIssued(c.rule, c.color, center);
        this.countedAhead.note(countedCardKey('case', caseId, c), c.start, now);
      };
    }
    const before = this.countedBefore;
    if (before === undefined) return undefined;
    return (c) => {
      if (leftToCount(before, 'case', caseId, c)) metrics.cardIssued(c.rule, c.color, center);
    };
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

  /** The live counter of withdrawn cards (never while catching up: a rebuild finds the register again, not new ones). */
  private countWithdrawn(card: WithdrawnCard): void {
    const metrics = this.options.metrics;
    // A changed clearing is the same card still in force: not a withdrawn card.
    if (!this.live || metrics === undefined || card.clearingChanged === true) return;
    const center = this.entries.get(card.caseId)?.state.accepted?.centerId;
    if (center !== undefined) metrics.cardWithdrawn(card.rule, RULE_COLOR[card.rule], center);
  }

  private arm(): void {
    if (!this.live) return;
    this.due.arm();
    this.turn.arm();
  }

  /** The day running clocks turn provisional: every open case with an alert is evaluated again (its alerts say it). */
  private turnProvisional(): void {
    this.settle();
    const now = this.options.scheduler.clock();
    for (const entry of this.entries.objects())
      if ((entry.alerts?.length ?? 0) > 0 && entry.state.completedAt === undefined) this.refresh(entry, now, now);
    this.arm();
  }

  /** A year or regional days changed: re-evaluate every case whose span touches the changed days. */
  private calendarChanged(next: WorkCalendar, previous: WorkCalendar): void {
    const range = changedDays(next, previous);
    this.withdrawals.close(previous); // the case events before it were written under the calendar it replaces
    const at = this.publication.instant;
    if (at !== undefined && this.entries.size > 0) {
      const touched = (function* (entries: Iterable<Readonly<CaseEntry>>) {
        for (const e of entries) if (spanTouches(e.state, range, next)) yield e.state;
      })(this.entries.entries());
      this.withdrawals.calendarChanged(touched, at, previous, next, this.publication.directoryMove);
    }
    if (!this.live) {
      // Catching up: goLive evaluates every object with the final calendar; the rows it can change become objects.
      if (this.entries.rowCount > 0)
        this.turnedBack += this.entries.releaseWhere((e) => rowTouchedByCalendar(e, range, next));
      return;
    }
    this.settle();
    const now = this.options.scheduler.clock();
    for (const seen of this.entries.entries()) {
      if (!spanTouches(seen.state, range, next)) continue;
      const slot = this.entries.slotOf(seen.caseId);
      const entry = this.entries.objectEntryAt(slot, seen.caseId)!;
      this.refresh(entry, now, now);
      this.compact(entry, slot);
    }
    this.arm();
  }
}
