/**
 * A retry is answered with the original result, the stored event's position included. A store
 * whose stream reads carry no position (EventStoreDB) is asked for it (knownPositions); only the
 * events answered as duplicates are asked about.
 */
import { knownPositions } from '../store/core/positions.js';
import { type AppendResult, type EventStore, type RecordedEvent, UNKNOWN_POSITION } from '../store/port.js';

interface Answer {
  readonly kind: string;
  readonly eventId: string;
  readonly position?: bigint;
}

export async function withOriginalPositions<K, R extends Answer>(
  store: Pick<EventStore, 'positionsOf'>,
  answers: ReadonlyMap<K, R>,
  storedOf: (eventId: string) => RecordedEvent | undefined,
): Promise<ReadonlyMap<K, R>> {
  const unknown: [K, R, RecordedEvent][] = [];
  for (const [key, answer] of answers) {
    if (answer.kind !== 'duplicate' || answer.position !== UNKNOWN_POSITION) continue;
    const stored = storedOf(answer.eventId);
    if (stored !== undefined) unknown.push([key, answer, stored]);
  }
  if (unknown.length === 0) return answers;
  const positions = await knownPositions(
    store,
    unknown.map(([, , stored]) => stored),
  );
  const out = new Map(answers);
  for (const [i, [key, answer]] of unknown.entries()) out.set(key, { ...answer, position: positions[i] as bigint });
  return out;
}

/**
 * Each event's own position after an append of `count` events from revision `first`: the store's
 * when it reports them, else read back (one read of this append's events, and the store asked
 * for what the read cannot tell). The events are written by then: a failed read-back falls back to
 * the append's position rather than report them unwritten.
 */
export async function appendedPositions(
  store: Pick<EventStore, 'readStream' | 'positionsOf'>,
  streamId: string,
  result: AppendResult,
  first: number,
  count: number,
): Promise<bigint[]> {
  if (result.positions !== undefined && result.positions.length === count) return [...result.positions];
  const fallback = Array.from({ length: count }, () => result.position);
  if (count === 1) return fallback;
  try {
    const read: RecordedEvent[] = [];
    for await (const e of store.readStream(streamId, { fromRevision: BigInt(first), maxCount: count })) read.push(e);
    if (read.length !== count) return fallback;
    // The last one is the append's own answer: asked of no one.
    const last = read.at(-1) as RecordedEvent;
    read[count - 1] = { ...last, position: result.position };
    return await knownPositions(store, read);
  } catch {
    return fallback;
  }
}
