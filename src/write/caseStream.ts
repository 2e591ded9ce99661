/**
 * Reads one case stream from the store and folds it with the domain's `evolve`,
 * each stored event decoded once (storedEvent.ts), into the write side's view.
 *
 * The decision state is folded without the store's recordedAt: decide never
 * looks at when an event was recorded (late records and retroactive pauses are
 * the read side's), and the state cached after an append is folded the same way,
 * so a cached state and a re-read one are equal.
 */
import { CaseDraft, initialCaseState } from '../domain/evolve.js';
import type { CaseState } from '../domain/types.js';
import { caseStreamId } from '../domain/streams.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import { decodeStoredCaseEvent } from './storedEvent.js';

/** Where a stored event is, and its body (to tell a retry from a different event with the same eventId). */
export interface StoredRef {
  readonly revision: number;
  /** As read: its body tells a retry from another event; its position may be UNKNOWN_POSITION (originalPositions.ts asks). */
  readonly recorded: RecordedEvent;
}

export interface LoadedCase {
  readonly state: CaseState;
  /** eventId (lower case) → the stored event. */
  readonly byEventId: ReadonlyMap<string, StoredRef>;
}

/** The write side's view of a case: its decision state and every stored event by eventId. */
export async function loadCase(store: EventStore, caseId: string): Promise<LoadedCase> {
  // One private fold of the whole stream: O(n) for n events (evolve in a loop copies the arrays per event).
  const draft = new CaseDraft(initialCaseState(caseId));
  const byEventId = new Map<string, StoredRef>();
  for await (const recorded of store.readStream(caseStreamId(caseId))) {
    const revision = Number(recorded.revision);
    const decoded = decodeStoredCaseEvent(recorded);
    // An undecodable stored event still holds its revision: keep the expected revision right.
    if (decoded.ok) draft.apply(decoded.value.event, { revision, occurredAt: decoded.value.meta.occurredAt });
    else draft.skipTo(revision);
    byEventId.set(recorded.eventId.toLowerCase(), { revision, recorded });
  }
  return { state: draft.finish(), byEventId };
}
