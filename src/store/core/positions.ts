/**
 * Each read event's global position, asking the store only for those its stream read could not
 * tell (EventStoreDB: stream reads carry no log position; see RecordedEvent.position).
 */
import { type EventStore, type RecordedEvent, UNKNOWN_POSITION } from '../port.js';

export async function knownPositions(
  store: Pick<EventStore, 'positionsOf'>,
  events: readonly RecordedEvent[],
): Promise<bigint[]> {
  const out = events.map((e) => e.position);
  const unknown = new Map<string, number[]>(); // streamId → indexes into events
  for (const [i, e] of events.entries()) {
    if (e.position !== UNKNOWN_POSITION) continue;
    const indexes = unknown.get(e.streamId) ?? [];
    indexes.push(i);
    unknown.set(e.streamId, indexes);
  }
  if (unknown.size === 0) return out;
  if (store.positionsOf === undefined) {
    throw new Error('the store read events without their positions and cannot tell them (no positionsOf)');
  }
  for (const [streamId, indexes] of unknown) {
    const found = await store.positionsOf(
      streamId,
      indexes.map((i) => events[i] as RecordedEvent),
    );
    for (const [k, i] of indexes.entries()) out[i] = found[k] as bigint;
  }
  return out;
}

/** The events with the positions `knownPositions` gives (the same objects where already known). */
export async function withKnownPositions(
  store: Pick<EventStore, 'positionsOf'>,
  events: readonly RecordedEvent[],
): Promise<RecordedEvent[]> {
  const positions = await knownPositions(store, events);
  return events.map((e, i) => (e.position === positions[i] ? e : { ...e, position: positions[i] as bigint }));
}
