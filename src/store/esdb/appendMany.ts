/**
 * `appendMany` on EventStoreDB, which has no multi-stream transaction: each request is appended on
 * its own, atomic alone, by `append`. A request costs several round trips (append.ts: the stream
 * read, the eventId claims, the append, the read-back), so requests for different streams run
 * concurrently, at most `concurrency` at a time. The requests for one stream form a lane run in
 * request order, each started once the one before has finished, so every outcome is that of
 * successive appends. Outcomes come back in request order.
 *
 * Once a request fails with a StoreUnavailableError, no later request is sent: those not yet
 * started get that error; those in flight keep their own outcome. Any other exception rejects the
 * call, after the requests in flight have settled.
 */
import {
  type AppendResult,
  type AppendOutcome,
  StoreError,
  StoreUnavailableError,
  type StreamAppend,
} from '../port.js';
import { inFlight } from './inFlight.js';

/** The requests' indexes by stream, lanes in order of first appearance, each in request order. */
export function lanesByStream(requests: readonly StreamAppend[]): number[][] {
  const lanes = new Map<unknown, number[]>();
  requests.forEach((r, i) => {
    const key = (r as StreamAppend | undefined)?.streamId; // bad input: refused by `append`, in its lane
    const lane = lanes.get(key);
    if (lane === undefined) lanes.set(key, [i]);
    else lane.push(i);
  });
  return [...lanes.values()];
}

export async function appendConcurrently(
  requests: readonly StreamAppend[],
  append: (request: StreamAppend) => Promise<AppendResult>,
  concurrency: number,
): Promise<AppendOutcome[]> {
  const lanes = lanesByStream(requests);
  const outcomes: AppendOutcome[] = new Array(requests.length);
  let unavailable: StoreUnavailableError | undefined;
  let failed = false;
  await inFlight(lanes.length, concurrency, async (l) => {
    for (const i of lanes[l] as number[]) {
      if (failed) return 'stop';
      if (unavailable !== undefined) {
        outcomes[i] = { ok: false, error: unavailable };
        continue;
      }
      try {
        outcomes[i] = { ok: true, result: await append(requests[i] as StreamAppend) };
      } catch (e) {
        if (!(e instanceof StoreError)) {
          failed = true;
          throw e;
        }
        if (e instanceof StoreUnavailableError) unavailable ??= e;
        outcomes[i] = { ok: false, error: e };
      }
    }
    return undefined;
  });
  return outcomes;
}
