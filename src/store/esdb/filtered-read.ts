/**
 * `readAll` / `readAllBatches` with `streamPrefixes` on EventStoreDB: through
 * the server-side filtered `$all` subscription, until the server says it is
 * caught up. The 6.x client's `readAll` carries no filter, so a paged read
 * would receive and parse every event of `$all` and drop the others in the
 * client: a projection worker owning half the centers then costs about what
 * one owning all of them costs (docs/scaling.md, "Scale-out (goal 5)").
 *
 * - Start: `readAll` is inclusive of `fromPosition`, a subscription exclusive
 *   of its start. The first user event at or after `fromPosition` is read
 *   unfiltered (one event, the paged read's own position handling), kept if it
 *   matches, and the subscription starts after it.
 * - Checkpoints: the server's filter checkpoints (every `CHECKPOINT_INTERVAL`
 *   records scanned) move the subscription's resume position, so a drop
 *   resubscribes from the last checkpoint, not from the last matching event;
 *   and they are handed to `onScanned` between two arrays, so a reader's own
 *   position advances while no event of its prefixes comes.
 * - Stalls: no message for `stallMs` while waiting on the server (a consumer's
 *   own time is not counted) fails the read with StoreUnavailableError, as a
 *   page past its deadline does; a drop in between is resubscribed with backoff.
 */
import { matchesPrefixes } from '../core/validate.js';
import { type RecordedEvent, StoreUnavailableError, type Subscription, type SubscriptionMessage } from '../port.js';

/** Records scanned between two filter checkpoints (the projection loop's live interval, too). */
export const CHECKPOINT_INTERVAL = 1024;

export interface FilteredReadDeps {
  readonly storeName: string;
  /** The first user event at or after `from` (unfiltered), undefined when there is none. */
  readonly firstAtOrAfter: (from: bigint) => Promise<RecordedEvent | undefined>;
  /** A filtered subscription of `$all` after `from` (exclusive), with checkpoints every CHECKPOINT_INTERVAL records. */
  readonly subscribe: (from: bigint | 'start', prefixes: readonly string[]) => Subscription;
  /** Longest wait for the server's next message (ms). */
  readonly stallMs: number;
}

export interface FilteredRead {
  readonly from: bigint | undefined;
  readonly prefixes: readonly string[];
  readonly maxCount: number;
  readonly batchSize: number;
  readonly onScanned?: (position: bigint) => void;
}

/** The matching events from `from` (inclusive) to the head, in arrays of at most `batchSize`. */
export async function* filteredBatches(deps: FilteredReadDeps, read: FilteredRead): AsyncIterable<RecordedEvent[]> {
  let remaining = read.maxCount;
  if (remaining <= 0) return;
  let pending: RecordedEvent[] = [];
  let start: bigint | 'start' = 'start';
  if (read.from !== undefined && read.from > 0n) {
    const first = await deps.firstAtOrAfter(read.from);
    if (first === undefined) return;
    if (matchesPrefixes(first.streamId, read.prefixes)) {
      pending.push(first);
      if (--remaining === 0 || pending.length >= read.batchSize) {
        yield pending;
        pending = [];
        if (remaining === 0) return;
      }
    }
    start = first.position;
  }
  const sub = deps.subscribe(start, read.prefixes);
  const messages = sub[Symbol.asyncIterator]();
  try {
    for (;;) {
      const message = await nextWithin(messages, deps.stallMs, deps.storeName);
      if (message === undefined || message.kind === 'caught-up') break;
      if (message.kind === 'checkpoint') {
        // Every event before the checkpoint goes out first: the reader folds them, then may move past them.
        if (pending.length > 0) {
          yield pending;
          pending = [];
        }
        read.onScanned?.(message.position);
        continue;
      }
      pending.push(message.event);
      if (--remaining === 0) break;
      if (pending.length >= read.batchSize) {
        yield pending;
        pending = [];
      }
    }
    if (pending.length > 0) yield pending;
  } finally {
    await sub.close();
  }
}

/** The subscription's next message, or StoreUnavailableError when the server sends nothing for `ms`. */
async function nextWithin(
  messages: AsyncIterator<SubscriptionMessage>,
  ms: number,
  storeName: string,
): Promise<SubscriptionMessage | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(storeName, `the filtered read of $all got nothing for ${ms} ms`)),
      ms,
    );
  });
  try {
    const next = await Promise.race([messages.next(), stalled]);
    return next.done ? undefined : next.value;
  } finally {
    clearTimeout(timer);
  }
}
