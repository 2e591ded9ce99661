/**
 * The complaints' half of the register of withdrawn cards (withdrawalLog.ts is
 * the cases'; the rules are domain/withdrawnCards.ts, the cards a complaint
 * showed domain/complaints/withdrawnCards.ts). A complaint
 * card the record held before a write recorded at K, started at or before K,
 * and no longer holds after it is kept here with K and what withdrew it: the
 * complaint's events of that write (a decision or an answer recorded after the
 * fact) or a calendar publication (a corrected notice, a center moved to
 * another region).
 *
 * A write is one append to one complaint's stream: its events share their
 * recordedAt and are compared as a whole against the complaint as it stood
 * before the first (nothing in between was ever shown). Only a write whose
 * first event occurred before a day start its instant has passed is compared
 * at all (`mayWithdrawCards`). Complaints are few, so a calendar publication
 * compares every complaint received before it.
 *
 * As the cases' register (withdrawalLog.ts, with its `compareShown` and
 * `RegisterRows`): a write or publication that keeps the answer warning but
 * moves or erases a clearing the board had shown by its instant is kept as the
 * card with its old `clearedAt` and `clearingChanged`, and a row a later write
 * or publication holds again as it was is marked `reinstatedAt` /
 * `reinstatedBy`. No complaint event brings a card back (a decision or an
 * answer only takes cards away or clears them earlier): a calendar
 * publication does; an open write's `reinstated` is kept all the same.
 *
 * Held in memory and in the snapshot; derived from the record, so a rebuild
 * gives the same register.
 */
import type { TimingCalendar } from '../../domain/calendar/work-calendar.js';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import { COMPLAINT_RULE_COLOR, type ComplaintCardRule } from '../../domain/complaints/lists.js';
import { type ComplaintCard, recordedClear } from '../../domain/complaints/timeline.js';
import type { EpochMs } from '../../domain/types.js';
import { mayWithdrawCards, withdrawalHorizon } from '../../domain/withdrawnCards.js';
import type { DirectoryMove } from '../publicationWindow.js';
import {
  calendarWithdrawal,
  compareShown,
  eventRef,
  type EventRef,
  type RegisterRow,
  RegisterRows,
  type WithdrawnBy,
} from '../withdrawalLog.js';

/** A complaint's card a write withdrew, or whose shown clearing it changed (`clearingChanged`); `RegisterRow` says the rest. */
export interface WithdrawnComplaintCard extends RegisterRow {
  readonly complaintId: string;
  readonly rule: ComplaintCardRule;
}

/** The cards of a complaint shown at an instant, under a calendar (the policy of its receipt inside). */
export type ComplaintCardsShown = (
  state: ComplaintState,
  at: EpochMs,
  calendar: TimingCalendar,
) => readonly ComplaintCard[];

interface OpenWrite {
  readonly complaintId: string;
  readonly at: EpochMs;
  readonly before: ComplaintState;
  readonly events: EventRef[];
  found: readonly WithdrawnComplaintCard[];
  /** The register's rows (indexes among the closed ones) the write put back so far. */
  reinstated: readonly number[];
}

/** The write being folded, as a snapshot keeps it (withdrawalLog.ts `OpenCaseWrite` says why). */
export type OpenComplaintWrite = Readonly<Omit<OpenWrite, 'events' | 'reinstated'>> & {
  readonly events: readonly EventRef[];
  /** Absent in a snapshot written before session 21 (refused since: format 10). */
  readonly reinstated?: readonly number[];
};

export class ComplaintWithdrawals {
  private readonly closed = new RegisterRows<WithdrawnComplaintCard>((row) => row.complaintId);
  /** The last write that may withdraw cards, compared again as more of its events arrive. */
  private open: OpenWrite | undefined;

  constructor(
    private readonly shown: ComplaintCardsShown,
    /**
     * Told of each card as it joins the register for good: when its write closes, or at once for a
     * calendar publication (as withdrawalLog.ts tells the cases').
     */
    private readonly onFound: (card: WithdrawnComplaintCard) => void = () => {},
  ) {}

  /** A complaint event folded: `before` and `after` its complaint's state. */
  noteEvent(
    before: ComplaintState,
    after: ComplaintState,
    event: ComplaintEvent,
    occurredAt: EpochMs,
    recordedAt: EpochMs | undefined,
    calendar: TimingCalendar,
  ): void {
    if (recordedAt === undefined) return;
    const ref = eventRef(event, after.revision, occurredAt);
    const open = this.open;
    if (open !== undefined && open.complaintId === after.complaintId && open.at === recordedAt) {
      open.events.push(ref);
      Object.assign(open, this.compare(open, after, calendar));
      return;
    }
    this.close();
    // A complaint's events occur in order (decide refuses an earlier one): the write's first event decides.
    if (!mayWithdrawCards(occurredAt, recordedAt, withdrawalHorizon(recordedAt, calendar))) return;
    const write: OpenWrite = {
      complaintId: after.complaintId,
      at: recordedAt,
      before,
      events: [ref],
      found: [],
      reinstated: [],
    };
    Object.assign(write, this.compare(write, after, calendar));
    this.open = write;
  }

  /**
   * A calendar publication recorded at `at` changed the working days: the cards
   * of `states` it withdrew, the clearings it changed, and the rows it put back.
   * The open write is closed first (it was compared under the calendar it replaces).
   */
  calendarChanged(
    states: Iterable<ComplaintState>,
    at: EpochMs,
    previous: TimingCalendar,
    next: TimingCalendar,
    move?: DirectoryMove,
  ): void {
    this.close();
    const by = calendarWithdrawal(previous.version, next.version, move);
    for (const s of states) {
      if (s.received === undefined || s.received.at >= at) continue;
      const { found, reinstated } = compareShown(
        this.closed,
        s.complaintId,
        this.shown(s, at, previous),
        this.shown(s, at, next),
        at,
        (card) => withdrawn(s.complaintId, card, at, by),
        complaintCardOf,
      );
      this.closed.reinstate(s.complaintId, reinstated, at, by);
      for (const card of found) {
        this.closed.push(card);
        this.onFound(card);
      }
    }
  }

  /** Every card withdrawn so far, in the order found (the open write's last), with what the open write put back. */
  all(): WithdrawnComplaintCard[] {
    const out = this.closed.all();
    const open = this.open;
    if (open === undefined) return out;
    const by = eventsOf(open);
    for (const i of open.reinstated) out[i] = { ...out[i]!, reinstatedAt: open.at, reinstatedBy: by };
    out.push(...open.found);
    return out;
  }

  /** The cards of writes that are over (a snapshot saves these, and the open write apart). */
  closedCards(): WithdrawnComplaintCard[] {
    return this.closed.all();
  }

  /** The write being folded, when it may withdraw cards (for a snapshot). */
  openWrite(): OpenComplaintWrite | undefined {
    return this.open === undefined ? undefined : { ...this.open, events: this.open.events.slice() };
  }

  /** Put a snapshot's register in place, and the write it was taken in the middle of (before any event). */
  restore(cards: readonly WithdrawnComplaintCard[], write?: OpenComplaintWrite): void {
    for (const card of cards) this.closed.push(card);
    if (write !== undefined) this.open = { ...write, events: write.events.slice(), reinstated: write.reinstated ?? [] };
  }

  get hasOpenWrite(): boolean {
    return this.open !== undefined;
  }

  /** An event of another write (a case's, a publication) was folded, recorded at `recordedAt`: the open write is over. */
  noteOtherWrite(recordedAt: EpochMs | undefined): void {
    if (recordedAt !== undefined && this.open !== undefined && recordedAt !== this.open.at) this.close();
  }

  /** The open write is over: what it put back is marked, its finds join the register. */
  close(): void {
    const open = this.open;
    this.open = undefined;
    if (open === undefined) return;
    this.closed.reinstate(open.complaintId, open.reinstated, open.at, eventsOf(open));
    for (const card of open.found) {
      this.closed.push(card);
      this.onFound(card);
    }
  }

  /** What the write so far withdrew and put back, against the complaint as it stood before its first event. */
  private compare(
    write: OpenWrite,
    after: ComplaintState,
    calendar: TimingCalendar,
  ): Pick<OpenWrite, 'found' | 'reinstated'> {
    if (write.before.received === undefined) return { found: [], reinstated: [] }; // received in this write: nothing was shown before it
    const by = eventsOf(write);
    return compareShown(
      this.closed,
      write.complaintId,
      this.shown(write.before, write.at, calendar),
      this.shown(after, write.at, calendar),
      write.at,
      (card) => withdrawn(write.complaintId, card, write.at, by),
      complaintCardOf,
    );
  }
}

/** What withdrew (or put back) by a complaint's write: its events so far. */
const eventsOf = (write: Pick<OpenWrite, 'events'>): WithdrawnBy => ({ kind: 'events', events: write.events.slice() });

/** A row of the register as the card it was shown as (what `putsBack` compares). */
function complaintCardOf(row: WithdrawnComplaintCard): ComplaintCard {
  const card = { rule: row.rule, color: COMPLAINT_RULE_COLOR[row.rule], start: row.startedAt };
  return row.clearedAt === undefined ? card : { ...card, clear: row.clearedAt };
}

function withdrawn(complaintId: string, card: ComplaintCard, at: EpochMs, by: WithdrawnBy): WithdrawnComplaintCard {
  const clearedAt = recordedClear(card, at);
  return {
    complaintId,
    rule: card.rule,
    startedAt: card.start,
    ...(clearedAt === undefined ? {} : { clearedAt }),
    withdrawnAt: at,
    by,
  };
}
