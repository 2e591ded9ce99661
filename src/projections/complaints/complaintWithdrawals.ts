/**
 * The complaints' half of the register of withdrawn cards (withdrawalLog.ts is
 * the cases'; the rule is domain/complaints/withdrawnCards.ts). A complaint
 * card the record held before a write recorded at K, started before K, and no
 * longer holds after it is kept here with K and what withdrew it: the
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
 * Held in memory and in the snapshot; derived from the record, so a rebuild
 * gives the same register.
 */
import type { TimingCalendar } from '../../domain/calendar/work-calendar.js';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import type { ComplaintCardRule } from '../../domain/complaints/lists.js';
import { type ComplaintCard, recordedClear } from '../../domain/complaints/timeline.js';
import { complaintCardsWithdrawn } from '../../domain/complaints/withdrawnCards.js';
import type { EpochMs } from '../../domain/types.js';
import { mayWithdrawCards, withdrawalHorizon } from '../../domain/withdrawnCards.js';
import type { DirectoryMove } from '../publicationWindow.js';
import { calendarWithdrawal, eventRef, type EventRef, type WithdrawnBy } from '../withdrawalLog.js';

export interface WithdrawnComplaintCard {
  readonly complaintId: string;
  readonly rule: ComplaintCardRule;
  /** As the record held it before the write. */
  readonly startedAt: EpochMs;
  /** When it had cleared before the write. */
  readonly clearedAt?: EpochMs;
  readonly withdrawnAt: EpochMs;
  readonly by: WithdrawnBy;
}

/** The cards of a complaint shown before an instant, under a calendar (the policy of its receipt inside). */
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
}

/** The write being folded, as a snapshot keeps it (withdrawalLog.ts `OpenCaseWrite` says why). */
export type OpenComplaintWrite = Readonly<Omit<OpenWrite, 'events'>> & { readonly events: readonly EventRef[] };

export class ComplaintWithdrawals {
  private readonly closed: WithdrawnComplaintCard[] = [];
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
      open.found = this.compare(open, after, calendar);
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
    };
    write.found = this.compare(write, after, calendar);
    this.open = write;
  }

  /**
   * A calendar publication recorded at `at` changed the working days: the cards
   * of `states` it withdrew. The open write is closed first (it was compared under the calendar it replaces).
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
      for (const card of complaintCardsWithdrawn(this.shown(s, at, previous), this.shown(s, at, next))) {
        const found = withdrawn(s.complaintId, card, at, by);
        this.closed.push(found);
        this.onFound(found);
      }
    }
  }

  /** Every card withdrawn so far, in the order found. */
  all(): WithdrawnComplaintCard[] {
    const out = this.closed.slice();
    if (this.open !== undefined) out.push(...this.open.found);
    return out;
  }

  /** The cards of writes that are over (a snapshot saves these, and the open write apart). */
  closedCards(): WithdrawnComplaintCard[] {
    return this.closed.slice();
  }

  /** The write being folded, when it may withdraw cards (for a snapshot). */
  openWrite(): OpenComplaintWrite | undefined {
    return this.open === undefined ? undefined : { ...this.open, events: this.open.events.slice() };
  }

  /** Put a snapshot's register in place, and the write it was taken in the middle of (before any event). */
  restore(cards: readonly WithdrawnComplaintCard[], write?: OpenComplaintWrite): void {
    this.closed.push(...cards);
    if (write !== undefined) this.open = { ...write, events: write.events.slice() };
  }

  get hasOpenWrite(): boolean {
    return this.open !== undefined;
  }

  /** An event of another write (a case's, a publication) was folded, recorded at `recordedAt`: the open write is over. */
  noteOtherWrite(recordedAt: EpochMs | undefined): void {
    if (recordedAt !== undefined && this.open !== undefined && recordedAt !== this.open.at) this.close();
  }

  /** The open write is over: its finds join the register. */
  close(): void {
    const open = this.open;
    this.open = undefined;
    if (open === undefined) return;
    for (const card of open.found) {
      this.closed.push(card);
      this.onFound(card);
    }
  }

  private compare(write: OpenWrite, after: ComplaintState, calendar: TimingCalendar): WithdrawnComplaintCard[] {
    if (write.before.received === undefined) return []; // received in this write: nothing was shown before it
    const gone = complaintCardsWithdrawn(
      this.shown(write.before, write.at, calendar),
      this.shown(after, write.at, calendar),
    );
    const by: WithdrawnBy = { kind: 'events', events: write.events.slice() };
    return gone.map((card) => withdrawn(write.complaintId, card, write.at, by));
  }
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
