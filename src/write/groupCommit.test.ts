/**
 * Group commit: callers of one turn share a commit, but one commit holds at
 * most MAX_EVENTS_PER_COMMIT events unless it is a single request (one case's
 * events, never split); a large caller's requests go over several commits, in
 * order, one commit at a time (issue 13: N concurrent 1000-event batches were
 * one N×1000-event stretch, then one 1000-event stretch each). Each caller
 * still gets exactly its own outcomes, in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError, type AppendOutcome, type EventStore, type StreamAppend } from '../store/port.js';
import { GroupCommitter, MAX_EVENTS_PER_COMMIT } from './groupCommit.js';

/**
 * A store that records each appendMany call and answers each stream with its name as the outcome;
 * `delayMs` makes each call take that long (an EventStoreDB round trip); `overlapped` counts calls
 * started while another was still running; `failAt` makes the nth call (from 0) fail.
 */
function recordingStore(options: { delayMs?: number; failAt?: number } = {}) {
  const commits: StreamAppend[][] = [];
  const seen = { running: 0, overlapped: 0 };
  const store = {
    name: 'recording',
    appendMany: async (requests: readonly StreamAppend[]): Promise<AppendOutcome[]> => {
      const n = commits.length;
      commits.push([...requests]);
      if (seen.running > 0) seen.overlapped++;
      seen.running++;
      if (options.delayMs !== undefined) await new Promise((r) => setTimeout(r, options.delayMs));
      seen.running--;
      if (n === options.failAt) throw new StoreUnavailableError('recording', 'the store went away');
      return requests.map(
        (r) =>
          ({
            ok: true,
            result: { nextExpectedRevision: BigInt(r.events.length), position: 0n, streamId: r.streamId },
          }) as unknown as AppendOutcome,
      );
    },
  } as unknown as EventStore;
  return { store, commits, seen };
}

const request = (caller: number, stream: number, events: number): StreamAppend => ({
  streamId: `case-${caller}-${stream}`,
  events: Array.from({ length: events }, (_, i) => ({ eventId: `e${caller}-${stream}-${i}`, type: 'T', data: {} })),
});

const eventsOf = (commit: readonly StreamAppend[]): number => commit.reduce((n, r) => n + r.events.length, 0);

describe('GroupCommitter', () => {
  it('regression (issue 13): five 1000-event batches over 200 cases of one turn are commits of at most the cap', async () => {
    const { store, commits, seen } = recordingStore();
    const committer = new GroupCommitter(store);
    const callers = Array.from({ length: 5 }, (_, c) =>
      committer.appendMany(Array.from({ length: 200 }, (_, s) => request(c, s, 5))),
    );
    const outcomes = await Promise.all(callers);
    // One of 5,000 events at first, then five of 1000 (one per request): now 20 of 250.
    expect(commits.map(eventsOf)).toEqual(Array(5000 / MAX_EVENTS_PER_COMMIT).fill(MAX_EVENTS_PER_COMMIT));
    expect(outcomes.map((o) => o.length)).toEqual([200, 200, 200, 200, 200]);
    expect(seen.overlapped).toBe(0);
  });

  it('one case of 1000 events is one commit (never split), alone', async () => {
    const { store, commits } = recordingStore();
    const committer = new GroupCommitter(store);
    await Promise.all([
      committer.appendMany([request(0, 0, 3)]),
      committer.appendMany([request(1, 0, 1000)]),
      committer.appendMany([request(2, 0, 3)]),
    ]);
    expect(commits.map((c) => c.map((r) => r.events.length))).toEqual([[3], [1000], [3]]);
  });

  it('a commit failing after part of a caller was committed: those keep their outcomes, the rest answer the error; a caller with nothing committed is refused', async () => {
    const { store, commits } = recordingStore({ failAt: 1 });
    const committer = new GroupCommitter(store);
    const first = MAX_EVENTS_PER_COMMIT / 5; // requests of 5 events the first commit takes
    const big = committer.appendMany(Array.from({ length: first + 10 }, (_, s) => request(0, s, 5))); // cap + 50 events
    const next = committer.appendMany([request(1, 0, 5)]); // shares the second (failing) commit
    const outcomes = await big;
    expect(commits.map(eventsOf)).toEqual([MAX_EVENTS_PER_COMMIT, 55]);
    expect(outcomes).toHaveLength(first + 10);
    expect(outcomes.slice(0, first).every((o) => o.ok)).toBe(true);
    expect(outcomes.slice(first).every((o) => !o.ok && o.error instanceof StoreUnavailableError)).toBe(true);
    await expect(next).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('16 single-event requests of one turn still share one commit', async () => {
    const { store, commits } = recordingStore();
    const committer = new GroupCommitter(store);
    await Promise.all(Array.from({ length: 16 }, (_, c) => committer.appendMany([request(c, 0, 1)])));
    expect(commits).toHaveLength(1);
    expect(eventsOf(commits[0]!)).toBe(16);
  });

  it('law: every request committed once, whole, in arrival order, one commit at a time; each caller gets its own outcomes; a commit over the cap is one request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.boolean(),
        async (callers, slow) => {
          const { store, commits, seen } = recordingStore(slow ? { delayMs: 1 } : {});
          const committer = new GroupCommitter(store);
          const asked = callers.map((sizes, c) => sizes.map((n, s) => request(c, s, n)));
          const outcomes = await Promise.all(asked.map((requests) => committer.appendMany(requests)));
          expect(commits.flat()).toEqual(asked.flat()); // each request once, whole, in order
          for (const commit of commits) {
            if (commit.length > 1) expect(eventsOf(commit)).toBeLessThanOrEqual(MAX_EVENTS_PER_COMMIT);
          }
          expect(seen.overlapped).toBe(0);
          outcomes.forEach((o, c) => {
            expect(o.map((x) => (x as unknown as { result: { streamId: string } }).result.streamId)).toEqual(
              asked[c]!.map((r) => r.streamId),
            );
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
