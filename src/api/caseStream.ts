/**
 * Reads one case stream from the store and folds it with the domain's `evolve`.
 * The write path folds the stream it must read anyway, so decisions are made on
 * the committed state, never on the (eventually consistent) read models.
 */
import { evolve, initialCaseState } from '../domain/evolve.js';
import type { CaseEvent } from '../domain/events.js';
import type { CaseState } from '../domain/types.js';
import { caseStreamId, type EventStore } from '../store/port.js';

export interface StoredAt {
  readonly revision: bigint;
  readonly position: bigint;
}

export interface CaseSnapshot {
  readonly state: CaseState;
  /** eventId (lower case) → where it is stored. */
  readonly byEventId: ReadonlyMap<string, StoredAt>;
}

/** What the write path needs of a stream: its state and where each eventId is stored (no event list kept). */
export async function loadCaseSnapshot(store: EventStore, caseId: string, lateRecordHours: number): Promise<CaseSnapshot> {
  let state = initialCaseState(caseId);
  const byEventId = new Map<string, StoredAt>();
  const options = { lateRecordHours };
  for await (const recorded of store.readStream(caseStreamId(caseId))) {
    // Case streams only hold events validated by decodeCaseEvent on the way in.
    const event = recorded.data as unknown as CaseEvent;
    state = evolve(state, event, { revision: Number(recorded.revision), recordedAt: Date.parse(recorded.recordedAt) }, options);
    byEventId.set(recorded.eventId.toLowerCase(), { revision: recorded.revision, position: recorded.position });
  }
  return { state, byEventId };
}
