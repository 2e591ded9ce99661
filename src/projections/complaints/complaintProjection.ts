/**
 * The complaint read model (SPEC §8): every complaint's state, folded from the
 * stored events of `complaint-<id>` streams in commit order. Applying an event
 * at or below the position already applied changes nothing (a replay, or the
 * subscription's overlap after a restart), so replaying twice equals once and
 * an incremental fold equals a rebuild. Reads: one complaint explained in
 * numbers (its clocks and cards at an instant), a filtered, paged list, and the
 * figures of a period (complaintStats.ts). The clock is the caller's.
 */
import type { TimingCalendar } from '../../domain/calendar/work-calendar.js';
import { decodeComplaintEvent } from '../../domain/complaints/events.js';
import {
  complaintStatusOf,
  evolveComplaint,
  initialComplaintState,
  type ComplaintEvolveOptions,
  type ComplaintState,
} from '../../domain/complaints/evolve.js';
import type { ComplaintStatus } from '../../domain/complaints/lists.js';
import { complaintIdOfStream } from '../../domain/complaints/streams.js';
import {
  complaintAlertsAt,
  complaintTimelineOf,
  type ComplaintCard,
  type ComplaintTimeline,
} from '../../domain/complaints/timeline.js';
import { complaintCardsShownAt } from '../../domain/complaints/withdrawnCards.js';
import type { Policy } from '../../domain/policy.js';
import { parseInstant, tryParseInstant } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import { ComplaintWithdrawals, type OpenComplaintWrite, type WithdrawnComplaintCard } from './complaintWithdrawals.js';
import { PublicationWindow } from '../publicationWindow.js';

/** What the fold needs of a stored event. */
export interface StoredComplaintEvent {
  readonly streamId: string;
  readonly position: bigint;
  readonly data: unknown;
  /** When the store committed it (ISO-8601): a write recorded after the fact may withdraw cards. */
  readonly recordedAt?: string;
}

export interface ComplaintTiming {
  /** The calendar in force and the policy version a complaint received at `receivedAt` is timed with. */
  readonly calendar: () => TimingCalendar;
  readonly policyFor: (receivedAt: EpochMs) => Policy;
  /** The publication being applied: the case fold's window (`CaseProjectionOptions.publication`). Default: its own. */
  readonly publication?: PublicationWindow;
  /**
   * What the fold keeps (the case fold's `PolicyBook.evolveOptions`): late records over the lowest
   * threshold of any policy version; each complaint's own version then decides which are cards.
   * Default: the default policy's threshold.
   */
  readonly evolveOptions?: () => ComplaintEvolveOptions;
}

export interface ComplaintFilter {
  readonly centerId?: string;
  readonly departmentId?: string;
  readonly status?: ComplaintStatus;
}

export interface ComplaintPage {
  readonly total: number;
  readonly complaints: readonly ComplaintState[];
  /** The id to pass as `after` for the next page, when there is one. */
  readonly next?: string;
}

export interface ComplaintView {
  readonly complaint: ComplaintState;
  readonly status: ComplaintStatus;
  readonly timeline: ComplaintTimeline;
  /** Cards in force at the instant read. */
  readonly alerts: readonly ComplaintCard[];
}

export const MAX_COMPLAINT_PAGE = 500;

export class ComplaintProjection {
  private readonly byId = new Map<string, ComplaintState>();
  private lastPosition = -1n;
  private skipped = 0;
  /** The cards writes withdrew (complaintWithdrawals.ts). */
  private readonly withdrawals: ComplaintWithdrawals;
  /** The calendar or directory publication being applied (`ComplaintTiming.publication`). */
  private readonly publication: PublicationWindow;

  constructor(
    private readonly timing: ComplaintTiming,
    /** Told once of each card as it joins the register (ComplaintAlerts counts those found live). */
    onWithdrawn: (card: WithdrawnComplaintCard) => void = () => {},
  ) {
    this.publication = timing.publication ?? new PublicationWindow();
    this.withdrawals = new ComplaintWithdrawals((state, at, calendar) => {
      const policy = this.policyOf(state);
      return policy === undefined ? [] : complaintCardsShownAt(state, at, policy, calendar);
    }, onWithdrawn);
  }

  get position(): bigint {
    return this.lastPosition;
  }
  get skippedEvents(): number {
    return this.skipped;
  }
  get size(): number {
    return this.byId.size;
  }

  /** Folds one stored event; false when it was skipped (already applied, another stream, or undecodable). */
  apply(e: StoredComplaintEvent): boolean {
    if (e.position <= this.lastPosition) return false;
    const id = complaintIdOfStream(e.streamId);
    if (id === undefined) return false;
    this.lastPosition = e.position;
    const decoded = decodeComplaintEvent(e.data);
    if (!decoded.ok || decoded.event.complaintId !== id) {
      this.skipped++;
      return false;
    }
    const before = this.byId.get(id) ?? initialComplaintState(id);
    const occurredAt = parseInstant(decoded.event.occurredAt);
    // The store's recordedAt reaches the fold as it reaches the case fold (late records, SPEC §3).
    const recordedAt = e.recordedAt === undefined ? undefined : tryParseInstant(e.recordedAt);
    const after = evolveComplaint(
      before,
      decoded.event,
      recordedAt === undefined ? { occurredAt } : { occurredAt, recordedAt },
      this.evolveOptions(),
    );
    this.byId.set(id, after);
    this.withdrawals.noteEvent(before, after, decoded.event, occurredAt, recordedAt, this.timing.calendar());
    return true;
  }

  /** The working days changed: a publication's change withdraws the complaint cards it moved (none while restoring). */
  calendarChanged(next: TimingCalendar, previous: TimingCalendar): void {
    const at = this.publication.instant;
    if (at !== undefined)
      this.withdrawals.calendarChanged(this.byId.values(), at, previous, next, this.publication.directoryMove);
  }

  get hasOpenWithdrawalWrite(): boolean {
    return this.withdrawals.hasOpenWrite;
  }

  /** An event of another stream was folded (`recordedAt` its text): a complaint write still open is over. */
  noteOtherWrite(recordedAt: string): void {
    if (this.withdrawals.hasOpenWrite) this.withdrawals.noteOtherWrite(tryParseInstant(recordedAt));
  }

  /** The end of a catch-up: the last write is over, its finds join the register (found while catching up). */
  closeWithdrawalWrite(): void {
    this.withdrawals.close();
  }

  /** The complaint cards writes withdrew (SPEC §3: the record keeps every card shown), in the order withdrawn. */
  withdrawnCards(): WithdrawnComplaintCard[] {
    return this.withdrawals.all();
  }

  /** For a snapshot: the register's cards of writes that are over, and the write being folded. */
  snapshotWithdrawals(): { closed: WithdrawnComplaintCard[]; openWrite: OpenComplaintWrite | undefined } {
    return { closed: this.withdrawals.closedCards(), openWrite: this.withdrawals.openWrite() };
  }

  /** Put a snapshot's register of withdrawn complaint cards in place, and its open write (before any event). */
  restoreWithdrawn(cards: readonly WithdrawnComplaintCard[], openWrite?: OpenComplaintWrite): void {
    this.withdrawals.restore(cards, openWrite);
  }

  /** Put a state loaded from a snapshot taken at `position` in place (before the subscription resumes after it). */
  restore(state: ComplaintState, position: bigint): void {
    this.byId.set(state.complaintId, state);
    if (position > this.lastPosition) this.lastPosition = position;
  }

  /** Every complaint's state (immutable values: safe to keep, e.g. for a snapshot). */
  states(): ComplaintState[] {
    return [...this.byId.values()];
  }

  /** What the fold keeps of each event (`ComplaintTiming.evolveOptions`): a read of a complaint's stream folds with it too. */
  evolveOptions(): ComplaintEvolveOptions {
    return this.timing.evolveOptions?.() ?? {};
  }

  /** The policy a complaint is timed with: the version in force at its receipt. */
  policyOf(s: ComplaintState): Policy | undefined {
    return s.received === undefined ? undefined : this.timing.policyFor(s.received.at);
  }

  /** The calendar in force (its version stamps the complaint alerts). */
  calendar(): TimingCalendar {
    return this.timing.calendar();
  }

  get(id: string): ComplaintState | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<ComplaintState> {
    return this.byId.values();
  }

  /** One complaint at `at`: its clocks and cards (the events after `at` are not in the read model's past here). */
  view(id: string, at: EpochMs): ComplaintView | undefined {
    const s = this.byId.get(id);
    if (s?.received === undefined) return undefined;
    const timeline = this.timelineOf(s, at);
    if (timeline === null) return undefined;
    return { complaint: s, status: complaintStatusOf(s), timeline, alerts: complaintAlertsAt(timeline, s, at) };
  }

  timelineOf(s: ComplaintState, at: EpochMs): ComplaintTimeline | null {
    if (s.received === undefined) return null;
    return complaintTimelineOf(s, at, this.timing.policyFor(s.received.at), this.timing.calendar());
  }

  /** Complaints matching the filter in id order, `limit` (1–500) after the id `after`. */
  list(filter: ComplaintFilter, limit: number, after?: string): ComplaintPage {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_COMPLAINT_PAGE)
      throw new RangeError(`limit must be an integer from 1 to ${MAX_COMPLAINT_PAGE}; got ${limit}`);
    const matching = [...this.byId.values()]
      .filter((s) => matches(s, filter))
      .sort((a, b) => (a.complaintId < b.complaintId ? -1 : a.complaintId > b.complaintId ? 1 : 0));
    const from = after === undefined ? 0 : matching.findIndex((s) => s.complaintId > after);
    const start = from < 0 ? matching.length : from;
    const page = matching.slice(start, start + limit);
    const last = page[page.length - 1];
    return {
      total: matching.length,
      complaints: page,
      ...(start + limit < matching.length && last !== undefined ? { next: last.complaintId } : {}),
    };
  }
}

function matches(s: ComplaintState, f: ComplaintFilter): boolean {
  if (s.received === undefined) return false;
  if (f.centerId !== undefined && s.received.centerId !== f.centerId) return false;
  if (f.departmentId !== undefined && s.departmentId !== f.departmentId) return false;
  return f.status === undefined || complaintStatusOf(s) === f.status;
}
