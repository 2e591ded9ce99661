/**
 * `appendMany` on EventStoreDB, which has no multi-stream transaction: each request is appended on
 * its own, atomic alone, by `append`. A request costs several round trips (append.ts: the stream
 * read, the eventId claims, the append, the read-back), so requests run concurrently, at most
 * `concurrency` at a time, in lanes: the requests of one stream, and of streams that share an
 * eventId (which one gets it must not depend on timing: the first in request order does, as on the
 * embedded stores), form one lane run in request order, each started once the one before has
 * finished. So every outcome is that of successive appends. Outcomes come back in request order.
 *
 * Once a request finds the store unavailable, no later request is sent: those not yet started get
 * an unavailable error of their own ("not sent"; never the first one's "outcome unknown" or a
 * stream's refusal, which are not theirs); those in flight keep their own outcome. A stream the
 * server refuses for good (deleted, access denied: StoreRefusedError) refuses that request only.
 * Any other exception rejects the call, after the requests in flight have settled.
 */
import {
  type AppendResult,
  type AppendOutcome,
  StoreError,
  StoreRefusedError,
  StoreUnavailableError,
  type StreamAppend,
} from '../port.js';
import { inFlight } from './inFlight.js';

/**
 * The requests' indexes in lanes: those of one stream, and of streams sharing an eventId, together,
 * in request order; lanes in order of their first request.
 */
export function lanesOf(requests: readonly StreamAppend[]): number[][] {
  const parent: number[] = requests.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  const join = (a: number, b: number) => {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstBy = new Map<unknown, number>();
  const joinOn = (key: unknown, i: number) => {
    const first = firstBy.get(key);
    if (first === undefined) firstBy.set(key, i);
    else join(first, i);
  };
  requests.forEach((r, i) => {
    const request = r as StreamAppend | undefined; // bad input: refused by `append`, in its lane
    joinOn(`stream:${String(request?.streamId)}`, i);
    const events = Array.isArray(request?.events) ? request.events : [];
    for (const e of events) {
      const id = (e as { eventId?: unknown } | undefined)?.eventId;
      if (typeof id === 'string') joinOn(`event:${id.toLowerCase()}`, i);
    }
  });
  const lanes = new Map<number, number[]>();
  requests.forEach((_, i) => {
    const lane = lanes.get(root(i));
    if (lane === undefined) lanes.set(root(i), [i]);
    else lane.push(i);
  });
  return [...lanes.values()];
}

export async function appendConcurrently(
  requests: readonly StreamAppend[],
  append: (request: StreamAppend) => Promise<AppendResult>,
  concurrency: number,
): Promise<AppendOutcome[]> {
  const lanes = lanesOf(requests);
  const outcomes: AppendOutcome[] = new Array(requests.length);
  let unavailable: StoreUnavailableError | undefined;
  let failed = false;
  await inFlight(lanes.length, concurrency, async (l) => {
    for (const i of lanes[l] as number[]) {
      if (failed) return 'stop';
      if (unavailable !== undefined) {
        outcomes[i] = { ok: false, error: notSent(unavailable) };
        continue;
      }
      try {
        outcomes[i] = { ok: true, result: await append(requests[i] as StreamAppend) };
      } catch (e) {
        if (!(e instanceof StoreError)) {
          failed = true;
          throw e;
        }
        if (e instanceof StoreUnavailableError && !(e instanceof StoreRefusedError)) unavailable ??= e;
        outcomes[i] = { ok: false, error: e };
      }
    }
    return undefined;
  });
  return outcomes;
}

/** The error of a request not sent because an earlier one found the store unavailable. */
const notSent = (cause: StoreUnavailableError): StoreUnavailableError =>
  new StoreUnavailableError(
    cause.storeName,
    'not sent: an earlier request of the same call found the store unavailable',
  );
