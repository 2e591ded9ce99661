/**
 * Reads that reflect every write committed before the request (unless the projections lag longer
 * than the wait): the case read, and the registers and reports a 通报 is written from — a reader who
 * recorded an append and then reads `/cards` sees all of it, not the part folded so far.
 */
import type { RequestHandler } from 'express';
import type { ReadModels } from '../projections/types.js';
import type { EventStore } from '../store/port.js';

export interface ReadYourWritesDeps {
  readonly store: Pick<EventStore, 'headPosition'>;
  readonly readModels: Pick<ReadModels, 'status' | 'waitForPosition'>;
  /** How long a read waits for the projections to reach the store head. */
  readonly readYourWritesMs: number;
}

export async function catchUpWithStore(deps: ReadYourWritesDeps): Promise<void> {
  const status = deps.readModels.status();
  const head = await deps.store.headPosition();
  if (BigInt(status.checkpoint) >= head) return;
  await deps.readModels.waitForPosition(head, deps.readYourWritesMs);
}

/** `catchUpWithStore` before the route answers (place it after the route's auth and parameter checks). */
export const caughtUpWithStore =
  (deps: ReadYourWritesDeps): RequestHandler =>
  (_req, _res, next) => {
    catchUpWithStore(deps).then(() => next(), next);
  };
