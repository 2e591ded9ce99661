/**
 * The log positions of events read from a stream. A stream read carries none (the server reads
 * through its index), so each is asked of the server's own idempotency check: the event is sent
 * again with the revision before its own as the expected one. That write can never be applied —
 * the stream already holds the event at that revision, so the expected revision is not current —
 * and the server answers it as a recognised retry, with the event's original position
 * (`IdempotentLogPosition`, servers since 20.6; docs/event-store.md "Positions").
 */
import { type RecordedEvent, StoreCorruptError, UNKNOWN_POSITION, WrongExpectedRevisionError } from '../port.js';
import type { EsdbClientLike } from './client-like.js';
import { withDeadline } from './deadline.js';
import { inFlight } from './inFlight.js';
import type { PositionCache } from './positionCache.js';
import { logPosition, mapEsdbError, toEsdbEvent } from './mapping.js';

export interface PositionDeps {
  readonly client: EsdbClientLike;
  readonly storeName: string;
  readonly deadlineMs: number;
  /** Positions already learnt: asked of no one (and told each answer). */
  readonly cache: PositionCache;
}

/** At most this many questions in flight: a history page asks for up to 1000. */
const IN_FLIGHT = 8;

export async function positionsOf(
  deps: PositionDeps,
  streamId: string,
  events: readonly RecordedEvent[],
): Promise<bigint[]> {
  const out: bigint[] = new Array(events.length);
  await inFlight(events.length, IN_FLIGHT, async (i) => {
    const event = events[i] as RecordedEvent;
    const known = deps.cache.get(streamId, event.revision);
    out[i] = known ?? (await positionOf(deps, streamId, event));
    if (known === undefined) deps.cache.set(streamId, event.revision, out[i] as bigint);
    return undefined;
  });
  return out;
}

async function positionOf(deps: PositionDeps, streamId: string, event: RecordedEvent): Promise<bigint> {
  const expectedRevision = event.revision === 0n ? ('no_stream' as const) : event.revision - 1n;
  try {
    const answer = await withDeadline(
      deps.client.appendToStream(streamId, [toEsdbEvent(event)], { expectedRevision, deadline: deps.deadlineMs }),
      deps.deadlineMs,
      `the position of ${streamId}@${event.revision}`,
    );
    const position = logPosition(answer.position);
    if (position === UNKNOWN_POSITION || answer.nextExpectedRevision !== event.revision) {
      throw notThere(deps, streamId, event, 'the server answered without its position');
    }
    return position;
  } catch (e) {
    if (e instanceof StoreCorruptError) throw e;
    const error = mapEsdbError(e, deps.storeName, { streamId, expected: expectedRevision, operation: 'append' });
    if (error instanceof WrongExpectedRevisionError)
      throw notThere(deps, streamId, event, 'it is not at that revision');
    throw error;
  }
}

const notThere = (deps: PositionDeps, streamId: string, event: RecordedEvent, why: string): StoreCorruptError =>
  new StoreCorruptError(
    deps.storeName,
    `stream ${streamId}`,
    `event ${event.eventId} read at revision ${event.revision} has no position: ${why}`,
  );
