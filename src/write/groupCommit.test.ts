/**
 * Group commit: callers of one turn share a commit, but one commit holds at
 * most MAX_EVENTS_PER_COMMIT events unless a single caller's request is larger
 * (issue 13: N concurrent 1000-event batches were one N×1000-event stretch).
 * Each caller still gets exactly its own outcomes, in commit order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppendOutcome, EventStore, StreamAppend } from '../store/port.js';
import { GroupCommitter, MAX_EVENTS_PER_COMMIT } from './groupCommit.js';

/** A store that records each appendMany call and answers each stream with its name as the outcome. */
function recordingStore(): { store: EventStore; commits: StreamAppend[][] } {
  const commits: StreamAppend[][] = [];
  const store = {
    name: 'recording',
    appendMany: async (requests: readonly StreamAppend[]): Promise<AppendOutcome[]> => {
      commits.push([...requests]);
      return requests.map(
        (r) =>
          ({
            ok: true,
            result: { nextExpectedRevision: BigInt(r.events.length), position: 0n, streamId: r.streamId },
          }) as unknown as AppendOutcome,
      );
    },
  } as unknown as EventStore;
  return { store, commits };
}

const request = (caller: number, stream: number, events: number): StreamAppend => ({
  streamId: `case-${caller}-${stream}`,
  events: Array.from({ length: events }, (_, i) => ({ eventId: `e${caller}-${stream}-${i}`, type: 'T', data: {} })),
});

const eventsOf = (commit: readonly StreamAppend[]): number => commit.reduce((n, r) => n + r.events.length, 0);

describe('GroupCommitter', () => {
  it('regression (issue 13): five 1000-event batches of one turn are five commits, not one of 5,000 events', async () => {
    const { store, commits } = recordingStore();
    const committer = new GroupCommitter(store);
    const callers = Array.from({ length: 5 }, (_, c) =>
      committer.appendMany(Array.from({ length: 200 }, (_, s) => request(c, s, 5))),
    );
    const outcomes = await Promise.all(callers);
    expect(commits.map(eventsOf)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(outcomes.map((o) => o.length)).toEqual([200, 200, 200, 200, 200]);
  });

  it('16 single-event requests of one turn still share one commit', async () => {
    const { store, commits } = recordingStore();
    const committer = new GroupCommitter(store);
    await Promise.all(Array.from({ length: 16 }, (_, c) => committer.appendMany([request(c, 0, 1)])));
    expect(commits).toHaveLength(1);
    expect(eventsOf(commits[0]!)).toBe(16);
  });

  it('law: every request committed once, in arrival order, whole; each caller gets its own outcomes; commits within the cap unless alone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (callers) => {
          const { store, commits } = recordingStore();
          const committer = new GroupCommitter(store);
          const asked = callers.map((sizes, c) => sizes.map((n, s) => request(c, s, n)));
          const outcomes = await Promise.all(asked.map((requests) => committer.appendMany(requests)));
          // Each request once, in order, and a caller's requests never split between commits.
          expect(commits.flat().map((r) => r.streamId)).toEqual(asked.flat().map((r) => r.streamId));
          for (const requests of asked) {
            expect(commits.filter((c) => c.some((r) => requests.includes(r)))).toHaveLength(1);
          }
          for (const commit of commits) {
            const alone = asked.some((requests) => requests.length === commit.length && requests[0] === commit[0]);
            if (!alone) expect(eventsOf(commit)).toBeLessThanOrEqual(MAX_EVENTS_PER_COMMIT);
          }
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
