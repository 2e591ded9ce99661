/**
 * The fold behind the read models: case states, alerts active now, the
 * figures statistics need, and the due-queue that lets time raise and clear
 * alerts with no new event.
 *
 * Two phases. While catching up at start (`live = false`) an event only
 * evolves its case's state (cheap); `goLive(now)` then evaluates every case
 * once. Live, each event re-evaluates its case at the clock's instant and
 * publishes alert changes synchronously, and the due-queue re-evaluates a
 * case exactly at its next boundary (O(log n) per case, no scan per tick).
 * Everything derived is a function of (states, calendar, policy, now), which
 * is why a rebuild and an incremental run agree.
 */
import {
  dayFromYmd,
  evolve,
  formatInstant,
  initialCaseState,
  alertEndedAt,
  alertsInForce,
  cardDetails,
  nextChangeOf,
  timelineOf,
  withdrawalDetails,
  type RawCard,
  type Timeline,
  type CaseEvent,
  type CaseState,
  type EpochDay,
  type EpochMs,
  type EventMeta,
  type Policy,
  type WorkCalendar,
  type CalendarService,
} from '../domain/index.js';
import {
  FLAG_EARLY,
  FLAG_EVALUATED,
  FLAG_ON_TIME,
  FLAG_SAME_DAY,
  RULE_INDEX,
  cardCode,
  newEntry,
  type CardList,
  type CaseEntry,
} from './caseEntry.js';
import { AlertBoard } from './alertBoard.js';
import { DueQueue } from './priorityQueue.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { AlertView, ProjectionMetricsSink } from './types.js';

export interface CaseProjectionOptions {
  readonly calendarService: CalendarService;
  readonly policy: Policy;
  readonly scheduler: Scheduler;
  readonly metrics?: ProjectionMetricsSink;
}

const EMPTY_ALERTS: readonly AlertView[] = [];

/**
 * A string built by concatenation is a rope (a tree of cons cells, ~32 bytes
 * each); strings kept for long are flattened once so the rope can be freed.
 * Converting to a number makes V8 flatten the string in place.
 */
function flat(s: string): string {
  Number(s);
  return s;
}

function cardSuffix(c: RawCard): string {
  if (c.pauseId !== undefined) return `${c.rule}/${c.pauseId}`;
  if (c.escalation !== undefined) return `${c.rule}/${c.escalation}`;
  if (c.lateRecord !== undefined) return `${c.rule}/${c.lateRecord}`;
  return c.rule;
}

export class CaseProjection {
  readonly entries = new Map<string, CaseEntry>();
  readonly board = new AlertBoard();
  private readonly queue = new DueQueue<CaseEntry>((e) => (Number.isNaN(e.dueAt) ? undefined : e.dueAt));
  /** Open and paused cases per center (center ids are interned, so lookups hash nothing new). */
  private readonly openCounts = new Map<string, { open: number; paused: number }>();
  private timer: { handle: TimerHandle; at: EpochMs } | undefined;
  private live = false;
  private readonly unsubscribeCalendar: () => void;
  /** Events the fold could not apply (malformed in the store); counted, never fatal. */
  skippedEvents = 0;

  private readonly evolveOptions: { readonly lateRecordHours: number };

  constructor(private readonly options: CaseProjectionOptions) {
    this.evolveOptions = { lateRecordHours: options.policy.lateRecordHours };
    this.unsubscribeCalendar = options.calendarService.onChange((next, previous) =>
      this.calendarChanged(next, previous),
    );
  }

  get isLive(): boolean {
    return this.live;
  }

  private get calendar(): WorkCalendar {
    return this.options.calendarService.current();
  }

  /** Fold one case event. `caseId` comes from the stream name. */
  applyCaseEvent(caseId: string, event: CaseEvent, meta: EventMeta): void {
    let entry = this.entries.get(caseId);
    const before = entry?.state ?? initialCaseState(caseId);
    let state: CaseState;
    try {
      state = evolve(before, event, meta, this.evolveOptions);
    } catch {
      this.skippedEvents++;
      return;
    }
    if (state === before) return; // a replay (revision already folded)
    if (entry === undefined) {
      entry = newEntry(caseId, state);
      this.entries.set(caseId, entry);
    } else {
      entry.state = state;
    }
    if (before.status !== state.status || before.accepted !== state.accepted) {
      this.countOpen(before, -1);
      this.countOpen(state, +1);
    }
    if (!this.live) return;
    const now = this.options.scheduler.clock();
    this.refresh(entry, now, now);
    const metrics = this.options.metrics;
    if (metrics !== undefined && state.accepted !== undefined) {
      if (event.type === 'CaseAccepted' && before.accepted === undefined) {
        metrics.caseAccepted(state.accepted.centerId, state.accepted.kind);
      } else if (
        event.type === 'CaseCompleted' &&
        before.completedAt === undefined &&
        state.completedAt !== undefined
      ) {
        metrics.caseCompleted(
          state.accepted.centerId,
          state.accepted.kind,
          entry.flags & FLAG_ON_TIME ? 'on_time' : 'late',
          (entry.flags & FLAG_SAME_DAY) !== 0,
        );
      }
    }
    this.arm();
  }

  /** Put a state loaded from a snapshot in place (catch-up phase only). */
  restoreState(state: CaseState): void {
    const entry = newEntry(state.caseId, state);
    this.entries.set(state.caseId, entry);
    this.countOpen(state, +1);
  }

  /** End of catch-up: evaluate every case at `now`, then publish and count from here on. */
  goLive(now: EpochMs): void {
    if (this.live) return;
    for (const entry of this.entries.values()) this.refresh(entry, now, now);
    this.live = true;
    this.board.publishing = true;
    this.arm();
  }

  /** Re-evaluate the cases whose next boundary has come (the timer's callback). */
  tick(): void {
    this.timer = undefined;
    const now = this.options.scheduler.clock();
    for (;;) {
      const entry = this.queue.popDue(now);
      if (entry === undefined) break;
      const at = entry.dueAt;
      entry.dueAt = Number.NaN;
      this.refresh(entry, now, at);
    }
    if (this.queue.size > 2 * this.entries.size + 1024) this.queue.compact();
    this.arm();
  }

  stop(): void {
    if (this.timer !== undefined) this.options.scheduler.clearTimer(this.timer.handle);
    this.timer = undefined;
    this.unsubscribeCalendar();
    this.live = false;
    this.board.publishing = false;
  }

  openCaseCounts(): Array<{ center: string; status: 'open' | 'paused'; count: number }> {
    const out: Array<{ center: string; status: 'open' | 'paused'; count: number }> = [];
    for (const [center, c] of this.openCounts) {
      if (c.open > 0) out.push({ center, status: 'open', count: c.open });
      if (c.paused > 0) out.push({ center, status: 'paused', count: c.paused });
    }
    return out;
  }

  /** Earliest queued re-evaluation instant (for tests and status). */
  nextDueAt(): EpochMs | undefined {
    return this.queue.peek();
  }

  /**
   * Evaluate one case at `now`: alerts (diffed against the board, published),
   * the figures statistics read, and its place in the due-queue.
   * `eventAt` is the instant to report for alerts that end without a card
   * clearing (e.g. the case was completed).
   */
  private refresh(entry: CaseEntry, clockNow: EpochMs, eventAt: EpochMs): void {
    const calendar = this.calendar;
    const policy = this.options.policy;
    const s = entry.state;
    if (s.accepted === undefined || s.acceptedAt === undefined) return;
    // The API accepts events up to 5 minutes ahead of the clock: such a case is
    // evaluated at its last event's instant, so what was recorded is what counts.
    const now = s.lastOccurredAt !== undefined && s.lastOccurredAt > clockNow ? s.lastOccurredAt : clockNow;
    const tl = timelineOf(s, now, policy, calendar);
    if (tl === null) {
      this.setAlerts(entry, EMPTY_ALERTS, eventAt, calendar);
      this.schedule(entry, undefined);
      return;
    }
    this.updateFacts(entry, s, tl, calendar);
    this.setAlerts(entry, this.alertsOf(entry, s, tl, now, calendar), Math.max(eventAt, now), calendar, s, tl);
    this.schedule(entry, nextChangeOf(tl, now));
  }

  private updateFacts(entry: CaseEntry, s: CaseState, tl: Timeline, calendar: WorkCalendar): void {
    let flags = FLAG_EVALUATED;
    if (tl.onTime === true) flags |= FLAG_ON_TIME;
    if (tl.early === true) flags |= FLAG_EARLY;
    if (s.completedAt !== undefined && calendar.dayOf(s.completedAt) === tl.acceptedDay) flags |= FLAG_SAME_DAY;
    entry.flags = flags;
    entry.usedDays = s.completedAt !== undefined ? tl.usedDays : -1;
    let cards: CardList | undefined;
    const previous = entry.cards;
    const metrics = this.live ? this.options.metrics : undefined;
    for (const c of tl.cards) {
      if (c.start > tl.asOf) continue;
      const code = cardCode(RULE_INDEX.get(c.rule) ?? 0, cardOrdinal(c, s));
      (cards ??= []).push(c.start, code);
      if (metrics !== undefined && !hasCode(previous, code)) metrics.cardIssued(c.rule, c.color, s.accepted!.centerId);
    }
    entry.cards = cards;
  }

  /** The alerts of the domain's law in force at `now`, as the board shows them. */
  private alertsOf(
    entry: CaseEntry,
    s: CaseState,
    tl: Timeline,
    now: EpochMs,
    calendar: WorkCalendar,
  ): readonly AlertView[] {
    const inForce = alertsInForce(s, tl, now);
    if (inForce.length === 0) return EMPTY_ALERTS;
    const a = s.accepted!;
    const zone = calendar.zone;
    return inForce.map(
      (c): AlertView =>
        // One literal with every field (absent ones undefined, which JSON omits): one hidden class, all in-object.
        ({
          key: flat(`${entry.caseId}/${cardSuffix(c)}`),
          caseId: entry.caseId,
          rule: c.rule,
          color: c.color,
          centerId: a.centerId,
          departmentId: a.departmentId,
          matterCode: a.matterCode,
          matterName: a.matterName,
          startedAt: flat(formatInstant(c.start, zone)),
          pauseId: c.pauseId,
          escalation: c.escalation,
          calendarVersion: calendar.version,
          policyVersion: this.options.policy.version,
          details: cardDetails(c, s, tl),
        }) as AlertView,
    );
  }

  private setAlerts(
    entry: CaseEntry,
    next: readonly AlertView[],
    eventAt: EpochMs,
    calendar: WorkCalendar,
    s?: CaseState,
    tl?: Timeline,
  ): void {
    const previous = entry.alerts ?? EMPTY_ALERTS;
    if (previous.length === 0 && next.length === 0) return;
    const zone = calendar.zone;
    const withdrawal = s !== undefined && tl !== undefined ? withdrawalDetails(s, tl, eventAt) : undefined;
    for (const old of previous) {
      if (next.some((n) => n.key === old.key)) continue;
      const at = s !== undefined && tl !== undefined ? alertEndedAt(old, s, tl, eventAt) : eventAt;
      // An alert withdrawn while a back-dated pause is on the case says so (the pause may be what hid it).
      this.board.clear(old.key, formatInstant(at, zone), withdrawal && { ...old.details, ...withdrawal });
    }
    for (const n of next) {
      const old = previous.find((p) => p.key === n.key);
      if (old === undefined || !sameAlert(old, n)) this.board.raise(n, n.startedAt);
    }
    entry.alerts = next.length === 0 ? undefined : next;
  }

  private schedule(entry: CaseEntry, at: EpochMs | undefined): void {
    if (at === undefined) {
      entry.dueAt = Number.NaN;
      return;
    }
    if (entry.dueAt === at) return;
    entry.dueAt = at;
    this.queue.push(at, entry);
  }

  /** Keep one timer, set to the earliest queued instant. */
  private arm(): void {
    if (!this.live) return;
    const at = this.queue.peek();
    const scheduler = this.options.scheduler;
    if (this.timer !== undefined && this.timer.at === at) return;
    if (this.timer !== undefined) scheduler.clearTimer(this.timer.handle);
    this.timer = undefined;
    if (at === undefined) return;
    this.timer = { at, handle: scheduler.setTimer(at, () => this.tick()) };
  }

  private countOpen(state: CaseState, delta: number): void {
    const status = state.status;
    if (state.accepted === undefined || (status !== 'open' && status !== 'paused')) return;
    const center = state.accepted.centerId;
    let c = this.openCounts.get(center);
    if (c === undefined) this.openCounts.set(center, (c = { open: 0, paused: 0 }));
    c[status] += delta;
  }

  /** A year or regional days changed: re-evaluate every case whose span touches the changed days. */
  private calendarChanged(next: WorkCalendar, previous: WorkCalendar): void {
    if (!this.live) return; // catching up: goLive evaluates everything with the final calendar
    const range = changedDays(next, previous);
    const now = this.options.scheduler.clock();
    for (const entry of this.entries.values()) {
      const s = entry.state;
      if (s.acceptedAt === undefined) continue;
      if (range !== undefined) {
        const startDay = next.dayOf(s.acceptedAt);
        if (startDay > range.last) continue;
        // A completed case is final before the changed days begin; an open one runs on (provisional) into the future.
        if (s.completedAt !== undefined && next.dayOf(s.completedAt) < range.first) continue;
      }
      this.refresh(entry, now, now);
    }
    this.arm();
  }
}

/** Which pause / escalation / late record a card is about (0 for case-wide rules). */
function cardOrdinal(c: RawCard, s: CaseState): number {
  if (c.pauseId !== undefined)
    return Math.max(
      0,
      s.pauses.findIndex((p) => p.pauseId === c.pauseId),
    );
  return c.escalation ?? c.lateRecord ?? 0;
}

function hasCode(cards: CardList | undefined, code: number): boolean {
  if (cards === undefined) return false;
  for (let i = 1; i < cards.length; i += 2) if (cards[i] === code) return true;
  return false;
}

function sameAlert(a: AlertView, b: AlertView): boolean {
  return (
    a.startedAt === b.startedAt &&
    a.calendarVersion === b.calendarVersion &&
    a.policyVersion === b.policyVersion &&
    JSON.stringify(a.details) === JSON.stringify(b.details)
  );
}

/** Days whose kind differs between two calendars, as a range of years; undefined = unknown (recompute all). */
function changedDays(next: WorkCalendar, previous: WorkCalendar): { first: EpochDay; last: EpochDay } | undefined {
  if (next.data.regional !== previous.data.regional) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const years = new Set([...next.data.years.keys(), ...previous.data.years.keys()]);
  for (const y of years) {
    if (next.data.years.get(y) === previous.data.years.get(y)) continue;
    first = Math.min(first, dayFromYmd(y, 1, 1));
    last = Math.max(last, dayFromYmd(y, 12, 31));
  }
  return first === Number.POSITIVE_INFINITY ? { first: 1, last: 0 } : { first, last };
}
