/**
 * Which read model a stored event goes to: case events to the case fold,
 * complaint events (`complaint-` streams) to the complaint fold,
 * `CalendarYearPublished` to the calendar service (which tells the fold to
 * recompute), `PolicyPublished` to the policy book, `DirectoryPublished` to the
 * directory book. Case events are decoded by the write side's one decoder from a
 * stored event to a domain event (occurredAt parsed once, handed to evolve).
 * Events the fold cannot use are counted and logged by position, never fatal
 * (a log line never carries a case id).
 */
import { tryParseInstant, type CalendarService, type EpochMs } from '../domain/index.js';
import { COMPLAINT_STREAM_PREFIX } from '../domain/complaints/streams.js';
import { CASE_STREAM_PREFIX } from '../domain/streams.js';
import type { RecordedEvent } from '../store/port.js';
import type { EventRows } from '../store/eventRows.js';
import { decodeCaseEventParts } from '../write/storedEvent.js';
import {
  applyCalendarPublication,
  CALENDAR_EVENT_TYPE,
  CALENDAR_STREAM_PREFIX,
  decodeCalendarYearPublished,
  type CalendarYearPublishedData,
} from './calendarEvents.js';
import type { CaseProjection } from './caseProjection.js';
import type { ComplaintAlerts } from './complaints/complaintAlerts.js';
import { applyDirectoryEvent, DIRECTORY_STREAM_PREFIX, type DirectoryBook } from './directoryEvents.js';
import { applyPolicyEvent, POLICY_STREAM_PREFIX, type PolicyBook } from './policyEvents.js';

/** The stream prefixes the projections subscribe to. */
export const STREAM_PREFIXES: readonly string[] = [
  CASE_STREAM_PREFIX,
  COMPLAINT_STREAM_PREFIX,
  CALENDAR_STREAM_PREFIX,
  POLICY_STREAM_PREFIX,
  DIRECTORY_STREAM_PREFIX,
];

export class EventRouter {
  private readonly calendarLog: CalendarYearPublishedData[] = [];
  private skipped = 0;

  constructor(
    private readonly projection: CaseProjection,
    private readonly calendarService: CalendarService,
    private readonly log: (message: string) => void,
    /** Policy versions published while running (the engine reads those recorded before it starts). */
    private readonly policies?: PolicyBook,
    /** The directory (the engine reads the publications recorded before it starts). */
    private readonly directory?: DirectoryBook,
    /** The complaint fold (it skips and counts what it cannot decode). */
    private readonly complaints?: ComplaintAlerts,
  ) {}

  /** Events skipped here (not decodable); the fold counts its own. */
  get skippedEvents(): number {
    return this.skipped;
  }

  /** The calendar publications applied so far, in commit order (a snapshot keeps them). */
  calendarEvents(): CalendarYearPublishedData[] {
    return [...this.calendarLog];
  }

  route(e: RecordedEvent): void {
    this.noteWrite(e.streamId, e.recordedAt);
    if (e.streamId.startsWith(CASE_STREAM_PREFIX)) this.routeCaseEvent(e);
    else if (e.streamId.startsWith(COMPLAINT_STREAM_PREFIX)) this.complaints?.apply(e);
    else if (e.streamId.startsWith(CALENDAR_STREAM_PREFIX) && e.type === CALENDAR_EVENT_TYPE) {
      const decoded = decodeCalendarYearPublished(e.data);
      const applied =
        decoded.ok && this.applyingPublication(tryParseInstant(e.recordedAt), () => this.applyCalendar(decoded.value));
      if (!applied) this.skip(`an invalid calendar event at position ${e.position}`);
    } else if (e.streamId.startsWith(POLICY_STREAM_PREFIX) && this.policies !== undefined) {
      if (applyPolicyEvent(this.policies, e) !== undefined)
        this.skip(`an invalid policy event at position ${e.position}`);
    } else if (e.streamId.startsWith(DIRECTORY_STREAM_PREFIX) && this.directory !== undefined) {
      const directory = this.directory;
      // A center moved to another region changes its cases' working days (engine.ts followDirectoryRegions).
      const at = tryParseInstant(e.recordedAt);
      if (this.applyingPublication(at, () => applyDirectoryEvent(directory, e)) !== undefined)
        this.skip(`an invalid directory event at position ${e.position}`);
    }
  }

  /**
   * Route the event at `i` of a page of rows (the catch-up): a case event is
   * decoded from the row's parts, anything else as its RecordedEvent (`route`).
   */
  routeRow(rows: EventRows, i: number): void {
    const streamId = rows.streamId(i);
    if (!streamId.startsWith(CASE_STREAM_PREFIX)) {
      this.route(rows.event(i));
      return;
    }
    // Most rows: no complaint write is open, and the row's recordedAt is not read twice.
    if (this.complaints?.hasOpenWithdrawalWrite) this.complaints.noteOtherWrite(rows.recordedAt(i));
    const reason = decodeCaseEventParts(
      streamId,
      rows.type(i),
      rows.data(i),
      rows.revision(i),
      rows.recordedAt(i),
      this.projection,
    );
    if (reason !== undefined) this.skip(`an event at position ${rows.position(i)} (${reason})`);
  }

  /**
   * Each fold's write still open is over once an event of another stream arrives with another
   * recordedAt (appends are atomic): its withdrawn cards join the register and the live counter
   * then, not only when that fold's next event comes.
   */
  private noteWrite(streamId: string, recordedAt: string): void {
    if (!streamId.startsWith(CASE_STREAM_PREFIX)) this.projection.noteOtherWrite(recordedAt);
    if (!streamId.startsWith(COMPLAINT_STREAM_PREFIX)) this.complaints?.noteOtherWrite(recordedAt);
  }

  /** A publication recorded at `at`, applied: the cases' and the complaints' cards it withdraws are compared within. */
  private applyingPublication<T>(at: EpochMs | undefined, apply: () => T): T {
    const complaints = this.complaints;
    return this.projection.applyingPublication(at, () =>
      complaints === undefined ? apply() : complaints.applyingPublication(at, apply),
    );
  }

  /** Apply a calendar publication (from the store or a snapshot); false when the calendar refuses it. */
  applyCalendar(value: CalendarYearPublishedData): boolean {
    if (!applyCalendarPublication(this.calendarService, value)) return false;
    this.calendarLog.push(value);
    return true;
  }

  private routeCaseEvent(e: RecordedEvent): void {
    const reason = decodeCaseEventParts(e.streamId, e.type, e.data, Number(e.revision), e.recordedAt, this.projection);
    if (reason !== undefined) this.skip(`an event at position ${e.position} (${reason})`);
  }

  private skip(what: string): void {
    this.skipped++;
    this.log(`projections: skipped ${what}`);
  }
}
