/**
 * The register of withdrawn cards (SPEC §3: cards are the permanent record of
 * every alert raised; the rule is the domain's, domain/withdrawnCards.ts). A
 * card the record held before a write recorded at K, started at or before K,
 * and no longer holds after it, is kept here with K and what withdrew it: the
 * case's events of that write (a 停止计时 recorded after the fact, a completion
 * or a reply recorded late) or a calendar publication (a corrected notice, a
 * center moved to another region).
 *
 * The events of one write share their recordedAt, and reach the fold one at a
 * time: the cases a write touches are compared as they stood before its first
 * event (a case accepted back-dated and completed in one batch withdrew
 * nothing: no one saw it in between). A write is compared when the next
 * write's first event arrives, before a calendar change, and whenever the
 * projection is read (`flush`; the write stays open and is compared again if
 * more of its events arrive). Only a case whose first event of the write
 * occurred before a day start the write's instant has passed is compared at
 * all (`mayWithdrawCards`): a handful a day, live or catching up.
 *
 * A write (or publication) that keeps a yellow card but moves or erases a
 * clearing that had happened by its instant is kept too, as the card with its
 * old `clearedAt` and `clearingChanged` (the card itself is still in force).
 * And a withdrawn card (or clearing) a later write or publication holds again
 * as it was is marked `reinstatedAt` / `reinstatedBy` on its row: the register
 * never calls a card in force withdrawn. A write puts back only a card started
 * before it, so the same `mayWithdrawCards` bound applies.
 *
 * What a comparison finds (`compareShown`) and the rows kept with those still
 * standing (`RegisterRows`) are the complaints' register's too
 * (complaints/complaintWithdrawals.ts): one home for both.
 *
 * Held in memory and in the snapshot; derived from the record, so a rebuild
 * gives the same register.
 */
import {
  cardsWithdrawn,
  clearingsChanged,
  mayWithdrawCards,
  putsBack,
  type ShownCard,
  withdrawalHorizon,
} from '../domain/withdrawnCards.js';
import { recordedClear } from '../domain/complaints/timeline.js';
import type { CaseEvent, CaseState, EpochMs, RawCard, WorkCalendar } from '../domain/index.js';
import { type CardRule, RULE_COLOR } from '../domain/lists.js';
import type { DirectoryMove } from './publicationWindow.js';

/** One of the events that withdrew a card. */
export interface EventRef {
  readonly eventId?: string;
  readonly type: string;
  readonly revision: number;
  readonly occurredAt: EpochMs;
}

/** What withdrew a card. */
export type WithdrawnBy =
  | {
      readonly kind: 'events';
      /** The case's events of that write, in order. */
      readonly events: readonly EventRef[];
    }
  | {
      readonly kind: 'calendar';
      readonly calendarVersion: string;
      readonly previousCalendarVersion: string;
      /** When a directory publication moved centers between regions: its version and the one before. */
      readonly directoryVersion?: number;
      readonly previousDirectoryVersion?: number;
    };

/** What a calendar change withdrew by: the calendar versions, and the directory's when it moved regions. */
export function calendarWithdrawal(previous: string, next: string, move: DirectoryMove | undefined): WithdrawnBy {
  const by = { kind: 'calendar' as const, calendarVersion: next, previousCalendarVersion: previous };
  return move === undefined
    ? by
    : { ...by, directoryVersion: move.version, previousDirectoryVersion: move.previousVersion };
}

/** What every row of a register has, a case's card or a complaint's: what the write did, and what became of it. */
export interface RegisterRow {
  /** As the record held it before the write. */
  readonly startedAt: EpochMs;
  /** A yellow card's clearing, when it had cleared before the write. */
  readonly clearedAt?: EpochMs;
  readonly withdrawnAt: EpochMs;
  readonly by: WithdrawnBy;
  /** The card stayed on record: the write moved or erased its clearing (`clearedAt`, past at `withdrawnAt`). */
  readonly clearingChanged?: true;
  /** When a later write or publication held the card (for a changed clearing: its clearing) again as it was. */
  readonly reinstatedAt?: EpochMs;
  readonly reinstatedBy?: WithdrawnBy;
}

export interface WithdrawnCard extends RegisterRow {
  readonly caseId: string;
  readonly rule: CardRule;
  readonly pauseId?: string;
  readonly escalation?: number;
}

/** Whether a row of the register still stands: not put back since (a changed clearing or a withdrawn card). */
export const standsWithdrawn = (card: Pick<RegisterRow, 'reinstatedAt'>): boolean => card.reinstatedAt === undefined;

/**
 * The rows of a register whose write is over (a case's or a complaint's), and which of them
 * still stand (not put back), by case or complaint: what a later write may put back.
 */
export class RegisterRows<R extends RegisterRow> {
  private readonly rows: R[] = [];
  private readonly standing = new Map<string, number[]>();

  constructor(private readonly subjectOf: (row: R) => string) {}

  /** A row joins the register (for good). */
  push(row: R): void {
    const i = this.rows.push(row) - 1;
    if (!standsWithdrawn(row)) return;
    const subject = this.subjectOf(row);
    const rows = this.standing.get(subject);
    if (rows === undefined) this.standing.set(subject, [i]);
    else rows.push(i);
  }

  /** The indexes of the rows of a case or complaint that still stand. */
  standingOf(subject: string): readonly number[] {
    return this.standing.get(subject) ?? [];
  }

  get(i: number): R {
    return this.rows[i]!;
  }

  /** Mark rows of `subject` put back at `at` by `by`. */
  reinstate(subject: string, rows: readonly number[], at: EpochMs, by: WithdrawnBy): void {
    if (rows.length === 0) return;
    for (const i of rows) this.rows[i] = { ...this.rows[i]!, reinstatedAt: at, reinstatedBy: by };
    const left = this.standingOf(subject).filter((i) => !rows.includes(i));
    if (left.length === 0) this.standing.delete(subject);
    else this.standing.set(subject, left);
  }

  /** Every row, in the order found. */
  all(): R[] {
    return this.rows.slice();
  }

  get length(): number {
    return this.rows.length;
  }
}

/**
 * What a write or publication at `at` that turned `before` into `after` (a case's or a complaint's
 * cards shown at `at`, domain/withdrawnCards.ts) found — the cards it withdrew and the clearings it
 * changed, as rows (`rowOf`) — and which of that case's or complaint's standing rows (`cardOf`: the
 * card a row was shown as) it put back.
 */
export function compareShown<C extends ShownCard, R extends RegisterRow>(
  rows: RegisterRows<R>,
  subject: string,
  before: readonly C[],
  after: readonly C[],
  at: EpochMs,
  rowOf: (card: C) => R,
  cardOf: (row: R) => C,
): { found: R[]; reinstated: number[] } {
  const found = cardsWithdrawn(before, after).map(rowOf);
  for (const change of clearingsChanged(before, after, at))
    found.push({ ...rowOf(change.before), clearingChanged: true });
  const reinstated = rows.standingOf(subject).filter((i) => {
    const row = rows.get(i);
    return putsBack(before, after, cardOf(row), row.clearingChanged === true);
  });
  return { found, reinstated };
}

/** The cards of a state shown at an instant, under a calendar (the projection's policy choice inside). */
export type ShownCards = (state: CaseState, at: EpochMs, calendar: WorkCalendar) => readonly RawCard[];

interface OpenCase {
  readonly before: CaseState;
  readonly events: EventRef[];
  compared: boolean;
}

/**
 * The write being folded, as a snapshot keeps it: a snapshot may fall between two events of one
 * append, and the rest of the append, replayed after a restart, must be compared with the cases
 * as they stood before its first event (a later event may put a card back).
 */
export interface OpenCaseWrite {
  readonly at: EpochMs;
  readonly horizon: EpochMs;
  readonly cases: readonly {
    readonly caseId: string;
    readonly before: CaseState;
    readonly events: readonly EventRef[];
    readonly compared: boolean;
    readonly found: readonly WithdrawnCard[];
    /** The register's rows (indexes among the closed ones) the write put back so far. */
    readonly reinstated?: readonly number[];
  }[];
}

export class WithdrawalLog {
  private readonly closed = new RegisterRows<WithdrawnCard>((row) => row.caseId);
  /** The write being folded: its instant, the cases it may withdraw cards of, and what they withdrew so far. */
  private writeAt = Number.NaN;
  /** The start of the write's local day (withdrawalHorizon). */
  private writeHorizon = Number.NaN;
  private open = new Map<string, OpenCase>();
  private openFound = new Map<string, readonly WithdrawnCard[]>();
  /** The closed rows the open write puts back, by case, and by what. */
  private openReinstated = new Map<string, { readonly rows: readonly number[]; readonly by: WithdrawnBy }>();
  constructor(
    private readonly shown: ShownCards,
    private readonly current: (caseId: string) => CaseState | undefined,
    /**
     * Told of each card as it joins the register for good: when its write closes (a later event
     * of the write may still put a card back), or at once for a calendar publication.
     */
    private readonly onFound: (card: WithdrawnCard) => void = () => {},
  ) {}

  /** A case event folded (`before`: its case's state just before it); call before the next event. */
  noteCaseEvent(
    caseId: string,
    before: CaseState,
    event: CaseEvent,
    revision: number,
    occurredAt: EpochMs,
    recordedAt: EpochMs | undefined,
    calendar: WorkCalendar,
  ): void {
    if (recordedAt === undefined) return;
    if (recordedAt !== this.writeAt) {
      this.close(calendar);
      this.writeAt = recordedAt;
      this.writeHorizon = withdrawalHorizon(recordedAt, calendar);
    }
    const seen = this.open.size === 0 ? undefined : this.open.get(caseId);
    if (seen !== undefined) {
      seen.events.push(eventRef(event, revision, occurredAt));
      seen.compared = false;
      return;
    }
    // Events of a case occur in order (the write side refuses an earlier one), so the write's
    // first event of the case decides: a later one cannot reach back further.
    if (!mayWithdrawCards(occurredAt, recordedAt, this.writeHorizon)) return;
    this.open.set(caseId, { before, events: [eventRef(event, revision, occurredAt)], compared: false });
  }

  /** Compare the open write's cases not compared since their last event (the write stays open). */
  flush(calendar: WorkCalendar): void {
    if (this.open.size === 0) return;
    const at = this.writeAt;
    for (const [caseId, c] of this.open) {
      if (c.compared) continue;
      c.compared = true;
      const after = this.current(caseId);
      const by: WithdrawnBy = { kind: 'events', events: c.events.slice() };
      const { found, reinstated } =
        c.before.accepted === undefined || after === undefined
          ? { found: [], reinstated: [] }
          : this.compare(caseId, this.shown(c.before, at, calendar), this.shown(after, at, calendar), at, by);
      if (found.length === 0) this.openFound.delete(caseId);
      else this.openFound.set(caseId, found);
      if (reinstated.length === 0) this.openReinstated.delete(caseId);
      else this.openReinstated.set(caseId, { rows: reinstated, by });
    }
  }

  /** What a write (or publication) at `at` that turned `before` into `after` withdrew, and which closed rows it put back. */
  private compare(
    caseId: string,
    before: readonly RawCard[],
    after: readonly RawCard[],
    at: EpochMs,
    by: WithdrawnBy,
  ): { found: WithdrawnCard[]; reinstated: number[] } {
    return compareShown(this.closed, caseId, before, after, at, (card) => withdrawn(caseId, card, at, by), rawCardOf);
  }

  /** The write is over: its finds join the register. */
  close(calendar: WorkCalendar): void {
    if (this.open.size === 0) return;
    this.flush(calendar);
    for (const [caseId, { rows, by }] of this.openReinstated) this.closed.reinstate(caseId, rows, this.writeAt, by);
    for (const found of this.openFound.values())
      for (const card of found) {
        this.closed.push(card);
        this.onFound(card);
      }
    this.open = new Map();
    this.openFound = new Map();
    this.openReinstated = new Map();
  }

  /** An event of another write (any stream) was folded, recorded at `recordedAt`: the open write is over. */
  noteOtherWrite(recordedAt: EpochMs | undefined, calendar: WorkCalendar): void {
    if (recordedAt !== undefined && recordedAt !== this.writeAt) this.close(calendar);
  }

  /**
   * A calendar publication recorded at `at` changed the working days: the cards
   * of `states` (the cases whose span it touches) it withdrew. Close the open write first.
   */
  calendarChanged(
    states: Iterable<CaseState>,
    at: EpochMs,
    previous: WorkCalendar,
    next: WorkCalendar,
    move?: DirectoryMove,
  ): void {
    const by = calendarWithdrawal(previous.version, next.version, move);
    for (const s of states) {
      const { found, reinstated } = this.compare(
        s.caseId,
        this.shown(s, at, previous),
        this.shown(s, at, next),
        at,
        by,
      );
      this.closed.reinstate(s.caseId, reinstated, at, by);
      for (const card of found) {
        this.closed.push(card);
        this.onFound(card);
      }
    }
  }

  /** Every card withdrawn so far, in the order found (the open write's last), with what the open write put back. */
  all(): WithdrawnCard[] {
    const out = this.closed.all();
    for (const { rows, by } of this.openReinstated.values())
      for (const i of rows) out[i] = { ...out[i]!, reinstatedAt: this.writeAt, reinstatedBy: by };
    for (const found of this.openFound.values()) out.push(...found);
    return out;
  }

  /** The cards of writes that are over (a snapshot saves these, and the open write apart). */
  closedCards(): WithdrawnCard[] {
    return this.closed.all();
  }

  /** The write being folded, when it may withdraw cards (for a snapshot). */
  openWrite(): OpenCaseWrite | undefined {
    if (this.open.size === 0) return undefined;
    return {
      at: this.writeAt,
      horizon: this.writeHorizon,
      cases: Array.from(this.open, ([caseId, c]) => ({
        caseId,
        before: c.before,
        events: c.events.slice(),
        compared: c.compared,
        found: this.openFound.get(caseId) ?? [],
        reinstated: this.openReinstated.get(caseId)?.rows ?? [],
      })),
    };
  }

  get size(): number {
    let n = this.closed.length;
    for (const found of this.openFound.values()) n += found.length;
    return n;
  }

  /** Put a snapshot's register in place, and the write it was taken in the middle of (before any event). */
  restore(cards: readonly WithdrawnCard[], write?: OpenCaseWrite): void {
    for (const card of cards) this.closed.push(card);
    if (write === undefined || write.cases.length === 0) return;
    this.writeAt = write.at;
    this.writeHorizon = write.horizon;
    for (const c of write.cases) {
      this.open.set(c.caseId, { before: c.before, events: c.events.slice(), compared: c.compared });
      if (c.found.length > 0) this.openFound.set(c.caseId, c.found);
      // Put back by the events compared so far (a case not compared since is compared again).
      if (c.reinstated !== undefined && c.reinstated.length > 0)
        this.openReinstated.set(c.caseId, { rows: c.reinstated, by: { kind: 'events', events: c.events.slice() } });
    }
  }
}

/** One event of a write as the register names it (a case's or a complaint's). */
export function eventRef(
  event: { readonly eventId?: string; readonly type: string },
  revision: number,
  occurredAt: EpochMs,
): EventRef {
  const { eventId, type } = event;
  return eventId === undefined ? { type, revision, occurredAt } : { eventId, type, revision, occurredAt };
}

/** A row of the register as the card it was shown as (what `putsBack` compares; a late-record card is never withdrawn). */
function rawCardOf(row: WithdrawnCard): RawCard {
  return {
    rule: row.rule,
    color: RULE_COLOR[row.rule],
    start: row.startedAt,
    ...(row.clearedAt === undefined ? {} : { clear: row.clearedAt }),
    ...(row.pauseId === undefined ? {} : { pauseId: row.pauseId }),
    ...(row.escalation === undefined ? {} : { escalation: row.escalation }),
  };
}

function withdrawn(caseId: string, card: RawCard, at: EpochMs, by: WithdrawnBy): WithdrawnCard {
  const clearedAt = recordedClear(card, at);
  return {
    caseId,
    rule: card.rule,
    startedAt: card.start,
    ...(clearedAt === undefined ? {} : { clearedAt }),
    ...(card.pauseId === undefined ? {} : { pauseId: card.pauseId }),
    ...(card.escalation === undefined ? {} : { escalation: card.escalation }),
    withdrawnAt: at,
    by,
  };
}
