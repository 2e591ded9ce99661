/**
 * Group commit for the write path: appends asked for during one event-loop
 * turn (e.g. 16 clients' single-event requests whose bodies arrived together)
 * go to the store as one `appendMany` call, so one commit instead of one per
 * request. Each request stays atomic and independent (appendMany's contract:
 * a savepoint per stream on sqlite), and gets its own outcome. The wait is at
 * most one turn of the loop (setImmediate), never a timer. One committer per
 * store, made by the composition (src/engine.ts) and handed to the write side.
 *
 * A commit takes callers in arrival order until it holds MAX_EVENTS_PER_COMMIT
 * events (always at least one caller, whole); the rest go in the next turn. A
 * commit is one synchronous stretch on sqlite, so without the cap N concurrent
 * 1000-event batches made one N×1000-event stretch that every other request
 * (`/healthz` too) waited behind (issue 13).
 */
import type { AppendOutcome, EventStore, StreamAppend } from '../store/port.js';

/** Events one shared commit takes at most (a single caller's request may be larger: it is never split). */
export const MAX_EVENTS_PER_COMMIT = 1000;

interface Queued {
  readonly requests: readonly StreamAppend[];
  readonly resolve: (outcomes: AppendOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommitter {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly store: EventStore) {}

  /** Same answer as `store.appendMany(requests)`, possibly sharing a commit with other callers. */
  appendMany(requests: readonly StreamAppend[]): Promise<AppendOutcome[]> {
    return new Promise<AppendOutcome[]>((resolve, reject) => {
      this.queue.push({ requests, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queued = this.takeCommit();
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (queued.length === 1) {
      const only = queued[0] as Queued;
      this.store.appendMany(only.requests).then(only.resolve, only.reject);
      return;
    }
    this.store.appendMany(queued.flatMap((q) => q.requests)).then(
      (outcomes) => {
        let at = 0;
        for (const q of queued) {
          q.resolve(outcomes.slice(at, at + q.requests.length));
          at += q.requests.length;
        }
      },
      (error: unknown) => {
        for (const q of queued) q.reject(error);
      },
    );
  }

  /** The callers of the next commit, taken off the queue. */
  private takeCommit(): Queued[] {
    let events = 0;
    let n = 0;
    for (const q of this.queue) {
      const size = q.requests.reduce((sum, r) => sum + r.events.length, 0);
      if (n > 0 && events + size > MAX_EVENTS_PER_COMMIT) break;
      events += size;
      n++;
    }
    return this.queue.splice(0, n);
  }
}
