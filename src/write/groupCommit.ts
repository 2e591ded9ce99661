/**
 * Group commit for the write path: appends asked for during one event-loop
 * turn (e.g. 16 clients' single-event requests whose bodies arrived together)
 * go to the store as one `appendMany` call, so one commit instead of one per
 * request. Each request (one case's events) stays atomic and independent
 * (appendMany's contract: a savepoint per stream on sqlite), and its caller
 * gets its own outcome. The wait is at most one turn of the loop per commit
 * (setImmediate), never a timer. One committer per store, made by the
 * composition (src/engine.ts) and handed to the write side.
 *
 * A commit is one synchronous stretch on sqlite (≈ 15–60 µs an event), which
 * every other request — `/healthz` too — waits behind (issue 13). So a commit
 * takes requests in arrival order until it holds MAX_EVENTS_PER_COMMIT events
 * (always at least one request, whole: a case's events are never split); the
 * rest go in the next turn, a large caller's requests (a 1000-event
 * `POST /events` over 200 cases) over several commits, in order. When a commit
 * fails after some of a caller's requests were committed, those keep their
 * outcomes and the others answer the error (nothing of them was written); a
 * caller with nothing committed gets the error as before.
 */
import type { AppendOutcome, EventStore, StoreError, StreamAppend } from '../store/port.js';

/**
 * Events one commit takes at most (a single request — one case's events — may be larger: it is never split).
 * 100 was tried (issue 13, fourth pass, with 2 ms slices): fewer turns over 30 ms of CPU, but under two
 * clients' 1000-event batches ingest fell from 9,000–11,500 to 5,300–7,300 events/s and the alert-burst
 * attack's /healthz p99 did not come down (docs/reliability.md §8), so it stays 250.
 */
export const MAX_EVENTS_PER_COMMIT = 250;

interface Queued {
  readonly requests: readonly StreamAppend[];
  readonly outcomes: AppendOutcome[];
  /** Requests handed to a commit so far (the first `taken`). */
  taken: number;
  readonly resolve: (outcomes: AppendOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

/** A run of one caller's requests in a commit: [from, to). */
interface Part {
  readonly caller: Queued;
  readonly from: number;
  readonly to: number;
}

const eventsIn = (request: StreamAppend): number => request.events?.length ?? 0;

export class GroupCommitter {
  private queue: Queued[] = [];
  private scheduled = false;
  private committing = false;

  constructor(private readonly store: EventStore) {}

  /** Same answer as `store.appendMany(requests)`, possibly sharing commits with other callers. */
  appendMany(requests: readonly StreamAppend[]): Promise<AppendOutcome[]> {
    if (requests.length === 0) return this.store.appendMany(requests);
    return new Promise<AppendOutcome[]>((resolve, reject) => {
      this.queue.push({ requests, outcomes: [], taken: 0, resolve, reject });
      this.schedule();
    });
  }

  /** The next commit, one turn from now, once the previous one is answered (commits never overlap). */
  private schedule(): void {
    if (this.scheduled || this.committing || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const parts = this.takeCommit();
    const requests = parts.flatMap((p) => p.caller.requests.slice(p.from, p.to));
    this.committing = true;
    this.store
      .appendMany(requests)
      .then(
        (outcomes) => {
          let at = 0;
          for (const { caller, from, to } of parts) {
            caller.outcomes.push(...outcomes.slice(at, at + (to - from)));
            at += to - from;
            if (caller.outcomes.length === caller.requests.length) caller.resolve(caller.outcomes);
          }
        },
        (error: unknown) => {
          for (const { caller } of parts) this.fail(caller, error);
        },
      )
      .finally(() => {
        this.committing = false;
        this.schedule();
      });
  }

  /** A commit holding some of `caller`'s requests failed: nothing of them (nor of its later ones) is written. */
  private fail(caller: Queued, error: unknown): void {
    this.queue = this.queue.filter((q) => q !== caller);
    if (caller.outcomes.length === 0) {
      caller.reject(error);
      return;
    }
    while (caller.outcomes.length < caller.requests.length)
      caller.outcomes.push({ ok: false, error: error as StoreError });
    caller.resolve(caller.outcomes);
  }

  /** The requests of the next commit, taken off the queue in arrival order. */
  private takeCommit(): Part[] {
    const parts: Part[] = [];
    let events = 0;
    while (this.queue.length > 0) {
      const caller = this.queue[0] as Queued;
      const from = caller.taken;
      let to = from;
      while (to < caller.requests.length) {
        const size = eventsIn(caller.requests[to] as StreamAppend);
        if ((parts.length > 0 || to > from) && events + size > MAX_EVENTS_PER_COMMIT) break;
        events += size;
        to++;
      }
      if (to > from) parts.push({ caller, from, to });
      caller.taken = to;
      if (to < caller.requests.length) break; // the commit is full
      this.queue.shift();
    }
    return parts;
  }
}
