/**
 * A history as an auditor's property tests draw it: events each with the instant it was recorded,
 * the store holding them, and what was known at K (for "as known at K" against a fresh engine).
 */
import { randomUUID } from 'node:crypto';
import { caseStreamId } from '../../src/domain/streams.js';
import type { History } from '../../src/domain/testing/arbitraries.js';
import { POLICY_STREAM_ID } from '../../src/projections/policyEvents.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import type { EventData } from '../../src/store/port.js';

export interface Recorded {
  readonly streamId: string;
  readonly data: EventData;
  readonly recordedAt: number;
}

/** A memory store holding `events`, each committed at its recordedAt. */
export async function storeOf(events: readonly Recorded[]): Promise<MemoryEventStore> {
  let clock = 0;
  const store = new MemoryEventStore({ clock: () => clock });
  for (const e of events) {
    clock = e.recordedAt;
    await store.append(e.streamId, [e.data]);
  }
  return store;
}

/** What was recorded by K, and the first policy version when none was: the store ran under it then. */
export function knownBy(recorded: readonly Recorded[], knownAt: number): Recorded[] {
  const known = recorded.filter((e) => e.recordedAt <= knownAt);
  const founding = recorded.find((e) => e.streamId === POLICY_STREAM_ID);
  if (founding === undefined || known.some((e) => e.streamId === POLICY_STREAM_ID)) return known;
  return [...known, founding];
}

/**
 * A case's events recorded in order, each `delays[i % 20]` minutes after it occurred or at the
 * previous one's record, whichever is later (a late record never overtakes an earlier one).
 */
export function recordedCase(caseId: string, history: History, delays: readonly number[]): Recorded[] {
  let last = 0;
  return history.events.map((event, i) => {
    last = Math.max(last, history.at[i]! + delays[i % 20]! * 60_000);
    return {
      streamId: caseStreamId(caseId),
      data: { eventId: randomUUID(), type: event.type, data: { ...event } },
      recordedAt: last,
    };
  });
}
