/**
 * The directory is event-sourced like the calendar: `PUT /directory` appends a
 * `DirectoryPublished` event (the whole directory) to stream `directory-CN`.
 * The `DirectoryBook` holds the latest publication: the engine reads the stream
 * at start (so a restart from a snapshot has it before any case is evaluated),
 * then the projection runner hands it each new publication in commit order.
 */
import { shownName } from '../domain/inputBounds.js';
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  EMPTY_DIRECTORY,
  indexDirectory,
  validateDirectory,
  type Directory,
  type DirectoryIndex,
} from '../domain/directory.js';
import { tryParseInstant, type EpochMs } from '../domain/index.js';
import type { EventData, EventStore, RecordedEvent } from '../store/port.js';

export const DIRECTORY_STREAM_ID = 'directory-CN';
export const DIRECTORY_STREAM_PREFIX = 'directory-';
export const DIRECTORY_EVENT_TYPE = 'DirectoryPublished';

/** The stored event's data. */
export interface DirectoryPublishedData extends Directory {
  /** ISO-8601 instant with offset. */
  readonly publishedAt: string;
}

/** A stored event's data as a publication, or the reason it is not one. */
export function decodeDirectoryPublished(input: unknown): DirectoryPublishedData | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'not an object';
  const { publishedAt, ...rest } = input as Record<string, unknown>;
  if (typeof publishedAt !== 'string' || tryParseInstant(publishedAt) === undefined)
    return 'publishedAt is not an instant';
  const checked = validateDirectory(rest);
  if (isLeft(checked)) return checked.left.map((e) => `${e.field}: ${e.message}`).join('; ');
  return { ...checked.right, publishedAt };
}

export function directoryEventData(
  directory: Directory,
  publishedAt: string,
  eventId: string = randomUUID(),
): EventData {
  const data: DirectoryPublishedData = { centers: directory.centers, departments: directory.departments, publishedAt };
  return { eventId, type: DIRECTORY_EVENT_TYPE, data: { ...data } };
}

export const isDirectoryEvent = (event: Pick<RecordedEvent, 'streamId' | 'type'>): boolean =>
  event.streamId.startsWith(DIRECTORY_STREAM_PREFIX) && event.type === DIRECTORY_EVENT_TYPE;

/** What `GET /directory` answers. */
export interface DirectoryView extends Directory {
  /** 1 for the first publication, then one more per publication; 0 before any. */
  readonly version: number;
  readonly publishedAt?: string;
}

export type DirectoryListener = (next: DirectoryIndex, previous: DirectoryIndex) => void;

/** The directory before any publication. */
export const EMPTY_INDEX = indexDirectory(EMPTY_DIRECTORY);

interface RecordedPublication {
  readonly revision: bigint;
  /** When the store recorded it (undefined: unknown, taken as known at any instant). */
  readonly at: EpochMs | undefined;
  readonly publishedAt: string;
  readonly index: DirectoryIndex;
}

/** The directory in force: the latest publication read from `directory-CN`. */
export class DirectoryBook {
  private index: DirectoryIndex = EMPTY_INDEX;
  private publishedAt: string | undefined;
  /** Revision of the last `directory-CN` event taken in; -1 before any. */
  private lastRevision = -1n;
  /** Revision of the last `directory-CN` event read, taken in or unreadable; -1 before any. */
  private lastSeenRevision = -1n;
  private readonly listeners = new Set<DirectoryListener>();
  /** Each publication taken in with the instant the store recorded it (for reads "as known at K"). */
  private readonly recorded: RecordedPublication[] = [];

  get current(): DirectoryIndex {
    return this.index;
  }

  /** False until a directory has been published (then every unknown id is unregistered). */
  get published(): boolean {
    return this.lastRevision >= 0n;
  }

  view(): DirectoryView {
    return {
      version: Number(this.lastRevision + 1n),
      ...(this.publishedAt === undefined ? {} : { publishedAt: this.publishedAt }),
      ...this.index.directory,
    };
  }

  /**
   * The directory as known at `knownAt` (SPEC §3 "What was known"): the latest publication the
   * store had recorded by then, empty before any. Publications are few (an admin's), so all are kept.
   */
  asKnownAt(knownAt: EpochMs): DirectoryIndex {
    return this.recordedBy(knownAt)?.index ?? EMPTY_INDEX;
  }

  /**
   * What `GET /directory?asKnownAt=K` answers: the publication `asKnownAt` gives, with its version
   * and `publishedAt` (version 0, empty, before any), so the directory behind names and regions a
   * read as known at K showed can be read back.
   */
  viewAsKnownAt(knownAt: EpochMs): DirectoryView {
    const found = this.recordedBy(knownAt);
    if (found === undefined) return { version: 0, ...EMPTY_INDEX.directory };
    return { version: Number(found.revision + 1n), publishedAt: found.publishedAt, ...found.index.directory };
  }

  private recordedBy(knownAt: EpochMs): RecordedPublication | undefined {
    let found: RecordedPublication | undefined;
    for (const r of this.recorded) if (r.at === undefined || r.at <= knownAt) found = r;
    return found;
  }

  /**
   * The directory of `version` (the publications of revisions below it; empty for 0): what a fold
   * replaying the store from before a later publication times its cases by (eventRouting.ts).
   */
  atVersion(version: number): DirectoryIndex {
    let found = EMPTY_INDEX;
    for (const r of this.recorded) if (r.revision < BigInt(version)) found = r.index;
    return found;
  }

  /**
   * The stream revision the next publication is appended after (-1: none yet). Not `version − 1`:
   * an unreadable event, skipped, still holds its revision, and every append expecting the one
   * before it would be refused as a conflict, for ever.
   */
  get streamRevision(): bigint {
    return this.lastSeenRevision;
  }

  /** Note an event of the stream read at `revision`, readable or not. */
  seen(revision: bigint): void {
    if (revision > this.lastSeenRevision) this.lastSeenRevision = revision;
  }

  /** Take in the publication at `revision` (recorded at `recordedAt`); false when already taken in (start read + live replay). */
  add(revision: bigint, publication: DirectoryPublishedData, recordedAt?: EpochMs): boolean {
    if (revision <= this.lastRevision) return false;
    this.seen(revision);
    this.lastRevision = revision;
    this.publishedAt = publication.publishedAt;
    const previous = this.index;
    this.index = indexDirectory({ centers: publication.centers, departments: publication.departments });
    this.recorded.push({ revision, at: recordedAt, publishedAt: publication.publishedAt, index: this.index });
    for (const listener of [...this.listeners]) listener(this.index, previous);
    return true;
  }

  /** Told of every new publication; returns the unsubscribe function. */
  onChange(listener: DirectoryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Apply one recorded directory event to the book; a reason when it cannot be read. */
export function applyDirectoryEvent(book: DirectoryBook, recorded: RecordedEvent): string | undefined {
  book.seen(recorded.revision);
  if (recorded.type !== DIRECTORY_EVENT_TYPE)
    return `unknown event type ${shownName(recorded.type)} at revision ${recorded.revision}`;
  const decoded = decodeDirectoryPublished(recorded.data);
  if (typeof decoded === 'string') return `${DIRECTORY_STREAM_ID} revision ${recorded.revision}: ${decoded}`;
  book.add(recorded.revision, decoded, tryParseInstant(recorded.recordedAt));
  return undefined;
}

/** Read `directory-CN` into the book (publications it already holds are skipped); returns the unreadable ones. */
export async function loadDirectory(store: EventStore, book: DirectoryBook): Promise<string[]> {
  const problems: string[] = [];
  for await (const recorded of store.readStream(DIRECTORY_STREAM_ID)) {
    const problem = applyDirectoryEvent(book, recorded);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}
