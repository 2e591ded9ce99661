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
import { sameRegions, type DirectoryIndex } from '../domain/directory.js';
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
import { applyDirectoryEvent, DIRECTORY_STREAM_PREFIX, type DirectoryBook, EMPTY_INDEX } from './directoryEvents.js';
import { applyPolicyEvent, POLICY_STREAM_PREFIX, type PolicyBook } from './policyEvents.js';
import type { DirectoryMove } from './publicationWindow.js';

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
  /** The directory version folded so far (`directoryVersion`). */
  private directoryFolded = 0;
  /** The directory whose regions the calendar has (none until the first publication with a region). */
  private regionsApplied: DirectoryIndex = EMPTY_INDEX;
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
    this.noteWrite(e.streamId, e.recordedAt, e.appendIndex);
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
      this.routeDirectoryEvent(e, this.directory);
    }
  }

  /** The directory version the fold has reached: its regions are the ones the cases are timed by. */
  get directoryVersion(): number {
    return this.directoryFolded;
  }

  /**
   * Time the cases folded from here by the regions of directory `version` (0 for a rebuild, a
   * snapshot's version for a restart). The engine reads every publication into the book before
   * the fold, but the calendar's regions are the fold's: it sets each publication's as it reaches
   * it (`routeDirectoryEvent`), so a center's move withdraws the same cards at the same point as it
   * did live. False when the book does not hold `version`, or the snapshot's fold had no directory
   * (null): then the last publication's regions apply (the rows are evaluated again).
   */
  startDirectoryAt(version: number | null): boolean {
    const directory = this.directory;
    if (directory === undefined) return version === null;
    const usable = version !== null && version <= directory.view().version;
    this.directoryFolded = usable ? version : directory.view().version;
    this.applyRegions(directory.atVersion(this.directoryFolded));
    return usable;
  }

  /**
   * A directory publication: taken into the book (the engine may have read it before the fold),
   * and its regions given to the calendar within its window, so the cards a move withdraws are
   * compared and named by the two versions. One the fold is past (a snapshot's) changes nothing.
   */
  private routeDirectoryEvent(e: RecordedEvent, directory: DirectoryBook): void {
    const version = Number(e.revision) + 1;
    let problem: string | undefined;
    if (version <= this.directoryFolded) problem = applyDirectoryEvent(directory, e);
    else {
      const move = { version, previousVersion: this.directoryFolded };
      problem = this.applyingPublication(
        tryParseInstant(e.recordedAt),
        () => applyDirectoryEvent(directory, e) ?? this.applyRegions(directory.atVersion(version)),
        move,
      );
      if (problem === undefined) this.directoryFolded = version;
    }
    if (problem !== undefined) this.skip(`an invalid directory event at position ${e.position}`);
  }

  /** Give the calendar `to`'s regions when they differ from those it has (a move recomputes every case). */
  private applyRegions(to: DirectoryIndex): undefined {
    if (!sameRegions(this.regionsApplied.directory, to.directory))
      this.calendarService.setRegionOfCenter(to.regionOfCenter);
    this.regionsApplied = to;
    return undefined;
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
    if (rows.appendIndex(i) === 0) this.noteAppendStart();
    else if (this.complaints?.hasOpenWithdrawalWrite) this.complaints.noteOtherWrite(rows.recordedAt(i));
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
   * Each fold's write still open is over once another append begins: an event that is its
   * append's first (`appendIndex` 0: two appends may share a recordedAt millisecond, even to one
   * case), or, where the store cannot tell (`appendIndex` absent: events stored before it
   * did), an event of another stream with another recordedAt (appends are atomic). Its withdrawn
   * cards join the register and the live counter then, not only when that fold's next event comes.
   */
  private noteWrite(streamId: string, recordedAt: string, appendIndex: number | undefined): void {
    if (appendIndex === 0) {
      this.noteAppendStart();
      return;
    }
    if (!streamId.startsWith(CASE_STREAM_PREFIX)) this.projection.noteOtherWrite(recordedAt);
    if (!streamId.startsWith(COMPLAINT_STREAM_PREFIX)) this.complaints?.noteOtherWrite(recordedAt);
  }

  /** An append begins: the write each fold has open is over, the event's own fold's too. */
  private noteAppendStart(): void {
    this.projection.noteAppendStart();
    this.complaints?.noteAppendStart();
  }

  /**
   * A publication recorded at `at`, applied within the folds' one window (the case fold's, shared
   * with the complaint fold): the cases' and complaints' cards it withdraws are compared within.
   */
  private applyingPublication<T>(at: EpochMs | undefined, apply: () => T, move?: DirectoryMove): T {
    return this.projection.publication.during(at, apply, move);
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
