/**
 * The complaint fold live: applies stored complaint events to the
 * ComplaintProjection, keeps each complaint's alerts in force on its own
 * AlertBoard (the facade shows it beside the case board), counts the metrics
 * `supervision_complaints_total` and `supervision_cards_issued_total`, and wakes each open complaint at its next
 * boundary (`nextComplaintBoundary`) with a DueTimer, so time raises and clears
 * complaint alerts with no new event, as it does case alerts. The day running clocks
 * turn provisional is one timer for every complaint, as for the cases (provisionalTurn.ts).
 *
 * Two phases, like the case fold: while catching up an event only folds;
 * `goLive(now)` evaluates every complaint once, then events and the timer
 * re-evaluate one complaint at a time. What is published is a function of
 * (states, calendar, policy, now): an incremental run and a rebuild agree.
 */
import { CountedAhead, type CountedBefore, countedCardKey, leftToCount } from '../countedAhead.js';
import type { CalendarService } from '../../domain/calendar/service.js';
import { turnsProvisionalAt } from '../../domain/calendar/work-calendar.js';
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import { complaintStatusOf } from '../../domain/complaints/evolve.js';
import { COMPLAINT_RULE_COLOR, COMPLAINT_RULE_INDEX, type ComplaintStatus } from '../../domain/complaints/lists.js';
import { complaintIdOfStream } from '../../domain/complaints/streams.js';
import {
  complaintAlertsAt,
  complaintLateRecordOf,
  nextComplaintBoundary,
  type ComplaintCard,
  type ComplaintTimeline,
} from '../../domain/complaints/timeline.js';
import type { Directory } from '../../domain/directory.js';
import { formatInstant } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import { AlertBoard } from '../alertBoard.js';
import { DueTimer } from '../dueTimer.js';
import { ProvisionalTurn } from '../provisionalTurn.js';
import type { Scheduler } from '../scheduler.js';
import type {
  AlertCount,
  AlertEvent,
  AlertFilter,
  AlertView,
  ComplaintAlertView,
  ProjectionMetricsSink,
} from '../types.js';
import type { ComplaintProjection, StoredComplaintEvent } from './complaintProjection.js';
import type { WithdrawnComplaintCard } from './complaintWithdrawals.js';

/** One complaint's live bookkeeping: its alerts published now, its place in the due-queue, the cards it has had. */
interface ComplaintEntry {
  readonly complaintId: string;
  alerts: readonly ComplaintAlertView[];
  dueAt: number;
  /** Bit COMPLAINT_RULE_INDEX[rule] set once that card has started: `cardIssued` hears of each card once. */
  cardsSeen: number;
  /** The late records up to this index are counted (one complaint-late-record card each, started in stream order). */
  lateRecordsSeen: number;
}

const NONE: readonly ComplaintAlertView[] = [];

export interface ComplaintAlertsOptions {
  readonly complaints: ComplaintProjection;
  readonly calendarService: CalendarService;
  readonly scheduler: Scheduler;
  readonly metrics?: ProjectionMetricsSink;
}

export class ComplaintAlerts {
  private readonly board = new AlertBoard();
  private readonly entries = new Map<string, ComplaintEntry>();
  private readonly due: DueTimer<ComplaintEntry>;
  /** When the alerted open complaints' clocks turn provisional with no event (provisionalTurn.ts). */
  private readonly turn: ProvisionalTurn;
  private readonly unsubscribeCalendar: () => void;
  private live = false;
  /** Before go-live: what the previous process counted (`countCardsStartedAfter`). */
  private countedBefore: CountedBefore | undefined;
  /** Live: the cards counted past the instant the live-until record will hold (countedAhead.ts). */
  private readonly countedAhead = new CountedAhead();

  constructor(private readonly options: ComplaintAlertsOptions) {
    this.due = new DueTimer<ComplaintEntry>(
      options.scheduler,
      () => this.tick(),
      (entry) => entry.complaintId,
    );
    this.turn = new ProvisionalTurn(options.scheduler, () => this.turnProvisional());
    // A republished year moves complaint deadlines too; complaints are few, so every open one is re-evaluated.
    this.unsubscribeCalendar = options.calendarService.onChange((next, previous) => {
      options.complaints.calendarChanged(next, previous);
      if (!this.live) return;
      const now = this.options.scheduler.clock();
      for (const s of this.options.complaints.all()) this.refresh(s.complaintId, now, now);
      this.arm();
    });
  }

  /** Fold one stored event of a `complaint-` stream; live, re-evaluate its complaint and count its stage. */
  apply(e: StoredComplaintEvent): void {
    const id = complaintIdOfStream(e.streamId);
    const before = id === undefined ? undefined : this.options.complaints.get(id);
    if (!this.options.complaints.apply(e) || id === undefined || !this.live) return;
    const after = this.options.complaints.get(id);
    if (after === undefined) return;
    this.countStage(before, after);
    const now = this.options.scheduler.clock();
    this.refresh(id, now, now);
    this.arm();
  }

  /** A card a write withdrew: counted while live (`supervision_cards_withdrawn_total`), never while catching up. */
  noteWithdrawn(card: WithdrawnComplaintCard): void {
    const metrics = this.options.metrics;
    // A changed clearing is the same card still on record: not a withdrawn card (as the cases', caseProjection.ts).
    if (!this.live || metrics === undefined || card.clearingChanged === true) return;
    const center = this.options.complaints.get(card.complaintId)?.received?.centerId;
    if (center !== undefined) metrics.cardWithdrawn(card.rule, COMPLAINT_RULE_COLOR[card.rule], center);
  }

  /** Whether a complaint write may still withdraw cards (then another stream's event closes it). */
  get hasOpenWithdrawalWrite(): boolean {
    return this.options.complaints.hasOpenWithdrawalWrite;
  }

  /** An event of another stream was folded: a complaint write still open is over. */
  noteOtherWrite(recordedAt: string): void {
    this.options.complaints.noteOtherWrite(recordedAt);
  }

  /** An append begins (its first event, any stream): a complaint write still open is over, whatever its recordedAt. */
  noteAppendStart(): void {
    if (this.options.complaints.hasOpenWithdrawalWrite) this.options.complaints.closeWithdrawalWrite();
  }

  /**
   * Before go-live: what the previous process counted (liveUntil.ts); go-live's evaluation then
   * counts the cards started after its instant and not counted ahead of it (none without it), as the case fold.
   */
  countCardsStartedAfter(before: CountedBefore): void {
    if (!this.live) this.countedBefore = before;
  }

  /** The cards counted live that start after `until`, the instant the live-until record is about to hold. */
  cardsCountedAfter(until: EpochMs): string[] {
    return this.countedAhead.after(until);
  }

  /** End of catch-up: evaluate every complaint at `now`, then publish from here on. */
  goLive(now: EpochMs): void {
    if (this.live) return;
    // Its finds were made catching up: they join the register, not the live counter.
    this.options.complaints.closeWithdrawalWrite();
    for (const s of this.options.complaints.all()) this.refresh(s.complaintId, now, now);
    this.live = true;
    this.board.publishing = true;
    this.arm();
  }

  stop(): void {
    this.due.disarm();
    this.turn.disarm();
    this.unsubscribeCalendar();
    this.live = false;
    this.board.publishing = false;
  }

  get alertCount(): number {
    return this.board.size;
  }

  /** The alerts in force that `filter` selects; a center's scope read in `directory` (none: the center alone). */
  activeAlerts(filter?: AlertFilter, directory?: Directory): AlertView[] {
    return this.board.list(filter, directory);
  }

  /** The alerts on the board as they stand. */
  alertsOnBoard(): Iterable<AlertView> {
    return this.board.values();
  }

  onAlert(listener: (event: AlertEvent) => void): () => void {
    return this.board.onAlert(listener);
  }

  alertCounts(): AlertCount[] {
    return this.board.countsByRuleColorCenter();
  }

  /** The alerts in force now of one complaint (the list's `alerts` and its rule/color filters). */
  alertsOf(complaintId: string): readonly ComplaintAlertView[] {
    return this.entries.get(complaintId)?.alerts ?? NONE;
  }

  /** Earliest queued re-evaluation instant of a complaint (for tests and status); not the provisional turn's, as the cases'. */
  nextDueAt(): EpochMs | undefined {
    return this.due.nextDueAt();
  }

  /** Pairs held in the due-queue, stale ones included: what it keeps in memory (for tests). */
  get queuedCount(): number {
    return this.due.size;
  }

  private tick(): void {
    const now = this.options.scheduler.clock();
    this.due.visitDue(now, (entry, at) => this.refresh(entry.complaintId, now, at));
    this.due.compactIfSparse(this.entries.size);
    this.arm();
  }

  /** Live only: the catch-up arms nothing. */
  private arm(): void {
    if (!this.live) return;
    this.due.arm();
    this.turn.arm();
  }

  /** The day running clocks turn provisional: every open complaint with an alert is evaluated again (its alerts say it). */
  private turnProvisional(): void {
    const now = this.options.scheduler.clock();
    for (const entry of this.entries.values())
      if (entry.alerts.length > 0 && this.options.complaints.get(entry.complaintId)?.closed === undefined)
        this.refresh(entry.complaintId, now, now);
    this.arm();
  }

  /**
   * Evaluate one complaint at `clockNow` (or its last event's instant when that
   * lies ahead: the API accepts events a few minutes in the future), publish the
   * change of its alerts and queue it at its next boundary.
   */
  private refresh(id: string, clockNow: EpochMs, eventAt: EpochMs): void {
    const { complaints } = this.options;
    const s = complaints.get(id);
    if (s?.received === undefined) return;
    const now = s.lastOccurredAt !== undefined && s.lastOccurredAt > clockNow ? s.lastOccurredAt : clockNow;
    const tl = complaints.timelineOf(s, now);
    const policy = complaints.policyOf(s);
    if (tl === null || policy === undefined) return;
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { complaintId: id, alerts: NONE, dueAt: Number.NaN, cardsSeen: 0, lateRecordsSeen: 0 };
      this.entries.set(id, entry);
    }
    const calendar = complaints.calendar();
    const stamp = { zone: calendar.zone, calendarVersion: calendar.version, policyVersion: policy.version };
    const next = complaintAlertsAt(tl, s, now).map((c) => complaintAlertView(s, tl, c, stamp));
    this.publish(entry.alerts, next, s, tl, Math.max(eventAt, now), calendar.zone);
    this.countCards(entry, tl, now, s.received.centerId);
    entry.alerts = next.length === 0 ? NONE : next;
    // An open complaint's clocks run to today: it turns provisional with the clock (an alert says it as of now).
    const open = s.closed === undefined;
    this.turn.note(
      turnsProvisionalAt(calendar, now, { provisional: tl.provisional, running: open && next.length > 0 }),
    );
    this.due.schedule(entry, open ? nextComplaintBoundary(tl, now) : undefined);
  }

  private publish(
    previous: readonly ComplaintAlertView[],
    next: readonly ComplaintAlertView[],
    s: ComplaintState,
    tl: ComplaintTimeline,
    eventAt: EpochMs,
    zone: string,
  ): void {
    for (const old of previous) {
      if (next.some((n) => n.key === old.key)) continue;
      this.board.clear(old.key, formatInstant(endedAt(old, s, tl, eventAt), zone));
    }
    for (const n of next)
      this.board.update(
        previous.find((p) => p.key === n.key),
        n,
      );
  }

  /**
   * Counts each card started by `now` the first time it is seen: live, every one (noted for the
   * live-until record); goLive's first pass only those the previous process did not count
   * (`leftToCount`; none without its record), and notes the others as seen.
   */
  private countCards(entry: ComplaintEntry, tl: ComplaintTimeline, now: EpochMs, centerId: string): void {
    const metrics = this.options.metrics;
    const { live, countedBefore } = this;
    const clock = this.options.scheduler.clock();
    const id = entry.complaintId;
    for (const c of tl.cards) {
      if (c.start > now) continue;
      if (c.lateRecord !== undefined) {
        // One card a late event, never more than one of each (the late records' recordings do not go back).
        if (c.lateRecord < entry.lateRecordsSeen) continue;
        entry.lateRecordsSeen = c.lateRecord + 1;
      } else {
        const bit = 1 << COMPLAINT_RULE_INDEX[c.rule];
        if ((entry.cardsSeen & bit) !== 0) continue;
        entry.cardsSeen |= bit;
      }
      if (metrics === undefined) continue;
      if (live) this.countedAhead.note(countedCardKey('complaint', id, c), c.start, clock);
      if (live || (countedBefore !== undefined && leftToCount(countedBefore, 'complaint', id, c)))
        metrics.cardIssued(c.rule, c.color, centerId);
    }
  }

  /** One count per stage reached (never during catch-up: counters count what this process saw). */
  private countStage(before: ComplaintState | undefined, after: ComplaintState): void {
    const metrics = this.options.metrics;
    if (metrics === undefined || after.received === undefined) return;
    const stage = stageReached(before, after);
    if (stage !== undefined) metrics.complaintStage(after.received.centerId, stage);
  }
}

/** The stage an event moved a complaint into (an assignment moves none). */
export function stageReached(before: ComplaintState | undefined, after: ComplaintState): ComplaintStatus | undefined {
  if (before?.received === undefined) return after.received === undefined ? undefined : 'received';
  const was = complaintStatusOf(before);
  const is = complaintStatusOf(after);
  return was === is ? undefined : is;
}

/** When an alert no longer in force ended: its card's clear, else the closure, else the event that withdrew it. */
function endedAt(old: ComplaintAlertView, s: ComplaintState, tl: ComplaintTimeline, eventAt: EpochMs): EpochMs {
  const card = tl.cards.find((c) => complaintAlertKey(s.complaintId, c) === old.key);
  if (card?.clear !== undefined && card.clear <= eventAt) return card.clear;
  if (s.closed !== undefined && s.closed.at <= eventAt) return s.closed.at;
  return eventAt;
}

interface Stamp {
  readonly zone: string;
  readonly calendarVersion: string;
  readonly policyVersion: string;
}

/**
 * An alert's key (contract: `complaint-<id>/<rule>`, and `/<late-record index>` for a late-record
 * card, as the case's `<caseId>/late-record/<index>`: a complaint may have several).
 */
const complaintAlertKey = (complaintId: string, c: ComplaintCard): string =>
  `complaint-${complaintId}/${c.rule}${c.lateRecord === undefined ? '' : `/${c.lateRecord}`}`;

/** A complaint card in force, as the board shows it. */
export function complaintAlertView(
  s: ComplaintState,
  tl: ComplaintTimeline,
  c: ComplaintCard,
  stamp: Stamp,
): ComplaintAlertView {
  const show = (t: EpochMs): string => formatInstant(t, stamp.zone);
  const answer = tl.answer;
  const late = complaintLateRecordOf(s, c);
  const details =
    late !== undefined
      ? late
      : c.rule === 'complaint-undecided' || answer === undefined
        ? { receivedAt: show(s.received!.at), withinDays: tl.decide.withinDays, dueAt: show(tl.decide.dueAt) }
        : {
            acceptedAt: show(s.acceptedAt!),
            withinDays: answer.withinDays,
            ...(answer.warnAt !== undefined ? { warnAt: show(answer.warnAt) } : {}),
            dueAt: show(answer.dueAt),
          };
  return {
    key: complaintAlertKey(s.complaintId, c),
    subject: 'complaint',
    complaintId: s.complaintId,
    rule: c.rule,
    color: c.color,
    centerId: s.received!.centerId,
    departmentId: s.departmentId ?? '',
    startedAt: show(c.start),
    calendarVersion: stamp.calendarVersion,
    policyVersion: stamp.policyVersion,
    ...(tl.provisional ? { provisional: true as const } : {}),
    details,
  };
}
