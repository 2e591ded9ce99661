/**
 * A page of `$all` as the catch-up reads it (EventStore.readAllRows): the same
 * events as an array of readAllBatches, read by index, so that a store that
 * already holds a page's parts (the sqlite read-ahead: each row parsed to
 * `[stream, type, recordedAt, body, appendIndex]`, the eventIds apart, positions and
 * revisions as numbers) hands them to the fold without building a
 * RecordedEvent and two BigInts per event (readAhead.ts "Rows"). `event(i)` is
 * the contract's form of the row, built when asked (events of other streams
 * than cases).
 */
import type { RecordedEvent } from './port.js';

export interface EventRows {
  /** Events in the page (at least one). */
  readonly length: number;
  streamId(i: number): string;
  type(i: number): string;
  /** The body, as `event(i).data`. */
  data(i: number): Readonly<Record<string, unknown>>;
  /** `Number(event(i).revision)`. */
  revision(i: number): number;
  /** The store's ISO-8601 recordedAt, as `event(i).recordedAt`. */
  recordedAt(i: number): string;
  /** As `event(i).appendIndex`. */
  appendIndex(i: number): number | undefined;
  position(i: number): bigint;
  /** The row as readAllBatches yields it. */
  event(i: number): RecordedEvent;
}

/** The rows of an array of events (a store without a leaner form, the first page read on the main thread). */
export function eventRowsOf(events: readonly RecordedEvent[]): EventRows {
  return new RecordedEventRows(events);
}

class RecordedEventRows implements EventRows {
  constructor(private readonly events: readonly RecordedEvent[]) {}
  get length(): number {
    return this.events.length;
  }
  streamId(i: number): string {
    return (this.events[i] as RecordedEvent).streamId;
  }
  type(i: number): string {
    return (this.events[i] as RecordedEvent).type;
  }
  data(i: number): Readonly<Record<string, unknown>> {
    return (this.events[i] as RecordedEvent).data;
  }
  revision(i: number): number {
    return Number((this.events[i] as RecordedEvent).revision);
  }
  recordedAt(i: number): string {
    return (this.events[i] as RecordedEvent).recordedAt;
  }
  appendIndex(i: number): number | undefined {
    return (this.events[i] as RecordedEvent).appendIndex;
  }
  position(i: number): bigint {
    return (this.events[i] as RecordedEvent).position;
  }
  event(i: number): RecordedEvent {
    return this.events[i] as RecordedEvent;
  }
}

/** The arrays of readAllBatches as rows (stores without readAllRows). */
export async function* rowsOfBatches(batches: AsyncIterable<readonly RecordedEvent[]>): AsyncIterable<EventRows> {
  for await (const batch of batches) yield eventRowsOf(batch);
}
