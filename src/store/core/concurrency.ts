/**
 * Optimistic-concurrency and idempotency rules shared by the embedded adapters.
 *
 * Idempotency rule (documented in docs/event-store.md):
 * - every eventId of the batch is already stored, in the same stream, at
 *   consecutive revisions in batch order → the original result, `duplicate: true`,
 *   whatever the expected revision now is (a retry carries the stale one);
 * - some but not all eventIds stored, or stored in another stream or in another
 *   order → `DuplicateEventConflictError`, nothing written;
 * - none stored → the expected revision decides.
 */
import {
  DuplicateEventConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
} from '../port.js';

/** Where an already stored event lives. */
export interface StoredLocation {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly recordedAt?: string;
}

/** Throws when the stream's current revision (undefined: no stream) does not satisfy `expected`. */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, current: bigint | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');
}

/**
 * Given the stored location of each eventId of a batch (undefined when new),
 * answers the original result for an exact retry, undefined when all are new,
 * and throws `DuplicateEventConflictError` otherwise.
 */
export function resolveDuplicates(
  streamId: string,
  eventIds: readonly string[],
  found: readonly (StoredLocation | undefined)[],
): AppendResult | undefined {
  const firstStoredIndex = found.findIndex((f) => f !== undefined);
  if (firstStoredIndex < 0) return undefined;
  const first = found[0];
  for (let i = 0; i < eventIds.length; i++) {
    const loc = found[i];
    const eventId = eventIds[i] ?? '';
    if (loc === undefined || first === undefined) {
      const storedId = eventIds[firstStoredIndex] ?? '';
      throw new DuplicateEventConflictError(
        storedId,
        `batch mixes already stored eventIds (e.g. ${storedId}) with new ones; retry the exact original batch or use new eventIds`,
      );
    }
    if (loc.streamId !== streamId) {
      throw new DuplicateEventConflictError(eventId, `eventId ${eventId} is already stored in another stream`);
    }
    if (loc.revision !== first.revision + BigInt(i)) {
      throw new DuplicateEventConflictError(
        eventId,
        `eventId ${eventId} is already stored at a different place in the stream`,
      );
    }
  }
  const last = found[found.length - 1] as StoredLocation;
  // The original result, each event's own position included, like the first answer.
  const positions = found.map((f) => (f as StoredLocation).position);
  const result = { nextExpectedRevision: last.revision, position: last.position, positions, duplicate: true };
  return last.recordedAt === undefined ? result : { ...result, recordedAt: last.recordedAt };
}
