/**
 * One `recordedAt` per append, as the port promises (port.ts "one instant per batch"): the
 * register of withdrawn cards takes the events of one append as one write, and a read "as known
 * at K" must see an append whole or not at all. EventStoreDB stamps each event of an append with
 * its own `created` (a record each); the wire-level test server does the same, and 40 of 300
 * five-event appends there straddled a millisecond. So the adapter marks the events after an
 * append's first with their index in it (mapping.ts `toEsdbEvent`), and a read gives them the
 * first event's instant: the one it read just before, or, for a read that starts inside an
 * append (a restart from a checkpoint taken there), one read of that event. The server's clock
 * stays the only one that stamps events.
 */
import type { RecordedEvent } from '../port.js';

export class AppendInstants {
  private first: { readonly streamId: string; readonly revision: bigint; readonly recordedAt: string } | undefined;

  /** `readFirst`: the recordedAt of the event at `revision` of `streamId`; undefined when it is gone (rejects when the store is unavailable). */
  constructor(private readonly readFirst: (streamId: string, revision: bigint) => Promise<string | undefined>) {}

  /**
   * `event`, with the recordedAt of its append's first event; `index` its index in that append.
   * A promise only when that event must be read (a read that began inside the append).
   */
  of(event: RecordedEvent, index: number): RecordedEvent | Promise<RecordedEvent> {
    if (index <= 0) {
      this.first = { streamId: event.streamId, revision: event.revision, recordedAt: event.recordedAt };
      return event;
    }
    const revision = event.revision - BigInt(index);
    const first = this.first;
    if (first !== undefined && first.streamId === event.streamId && first.revision === revision)
      return withInstant(event, first.recordedAt);
    return this.readFirst(event.streamId, revision).then((recordedAt) => {
      // Gone: this event's own instant, for the rest of the append too (no read for each).
      this.first = { streamId: event.streamId, revision, recordedAt: recordedAt ?? event.recordedAt };
      return recordedAt === undefined ? event : withInstant(event, recordedAt);
    });
  }
}

function withInstant(event: RecordedEvent, recordedAt: string): RecordedEvent {
  return event.recordedAt === recordedAt ? event : { ...event, recordedAt };
}
