/**
 * Reads one case stream from the store and folds it with the domain's `evolve`.
 * The write path folds the stream it must read anyway, so decisions are made on
 * the committed state, never on the (eventually consistent) read models.
 */
import { evolve, initialCaseState } from '../domain/evolve.js';
import type { CaseEvent } from '../domain/events.js';
import type { CaseState } from '../domain/types.js';
import { caseStreamId, type EventStore, type RecordedEvent } from '../store/port.js';

export interface StoredAt {
  readonly revision: bigint;
  readonly position: bigint;
}

export interface CaseSnapshot {
  readonly state: CaseState;
  /** eventId (lower case) → where it is stored. */
  readonly byEventId: ReadonlyMap<string, StoredAt>;
}

/** One stored event of a case stream with the case's state right after it. */
export interface FoldedEvent {
  readonly recorded: RecordedEvent;
  readonly event: CaseEvent;
  readonly state: CaseState;
}

/** Read a case stream in order, folding it with `evolve` as it goes. */
export async function* foldCaseStream(
  store: EventStore,
  caseId: string,
  lateRecordHours: number,
): AsyncIterable<FoldedEvent> {
  let state = initialCaseState(caseId);
  const options = { lateRecordHours };
  for await (const recorded of store.readStream(caseStreamId(caseId))) {
    // Case streams only hold events validated by decodeCaseEvent on the way in.
    const event = recorded.data as unknown as CaseEvent;
    state = evolve(
      state,
      event,
      { revision: Number(recorded.revision), recordedAt: Date.parse(recorded.recordedAt) },
      options,
    );
    yield { recorded, event, state };
  }
}

/** What the write path needs of a stream: its state and where each eventId is stored (no event list kept). */
export async function loadCaseSnapshot(
  store: EventStore,
  caseId: string,
  lateRecordHours: number,
): Promise<CaseSnapshot> {
  let state = initialCaseState(caseId);
  const byEventId = new Map<string, StoredAt>();
  for await (const folded of foldCaseStream(store, caseId, lateRecordHours)) {
    state = folded.state;
    byEventId.set(folded.recorded.eventId.toLowerCase(), {
      revision: folded.recorded.revision,
      position: folded.recorded.position,
    });
  }
  return { state, byEventId };
}
