/**
 * Group commit for the write path: appends asked for during one event-loop
 * turn (e.g. 16 clients' single-event requests whose bodies arrived together)
 * go to the store as one `appendMany` call, so one commit instead of one per
 * request. Each request stays atomic and independent (appendMany's contract:
 * a savepoint per stream on sqlite), and gets its own outcome. The wait is at
 * most one turn of the loop (setImmediate), never a timer. One committer per
 * store, made by the composition (src/engine.ts) and handed to the write side.
 */
import type { AppendOutcome, EventStore, StreamAppend } from '../store/port.js';

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
    const queued = this.queue;
    this.queue = [];
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
}
