import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/write/groupCommit.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { StoreUnavailableError, type StreamAppend } from '../../src/store/port.js';

const one = (streamId: string, expectedRevision: StreamAppend['expectedRevision'] = 'any'): StreamAppend => ({
  streamId,
  events: [{ eventId: randomUUID(), type: 'CaseEscalated', data: { n: 1 } }],
  expectedRevision,
});

function counted() {
  const store = new MemoryEventStore();
  const calls: number[] = [];
  const appendMany = store.appendMany.bind(store);
  store.appendMany = (requests) => {
    calls.push(requests.length);
    return appendMany(requests);
  };
  return { store, calls };
}

describe('GroupCommitter', () => {
  it('sends the appends of one event-loop turn as one store call and gives each caller its own outcomes', async () => {
    const { store, calls } = counted();
    const committer = new GroupCommitter(store);
    const [a, b, c] = await Promise.all([
      committer.appendMany([one('case-a', 'no_stream'), one('case-b', 'no_stream')]),
      committer.appendMany([one('case-a', 'no_stream')]),
      committer.appendMany([one('case-c')]),
    ]);
    expect(calls).toEqual([4]);
    expect(a!.map((o) => o.ok)).toEqual([true, true]);
    expect(b).toHaveLength(1);
    expect(b![0]).toMatchObject({ ok: false, error: { name: 'WrongExpectedRevisionError' } });
    expect(c![0]).toMatchObject({ ok: true, result: { nextExpectedRevision: 0n } });
    await committer.appendMany([one('case-d')]);
    expect(calls).toEqual([4, 1]);
  });

  it('rejects every caller of a failed call', async () => {
    const { store } = counted();
    await store.close();
    const committer = new GroupCommitter(store);
    const results = await Promise.allSettled([
      committer.appendMany([one('case-a')]),
      committer.appendMany([one('case-b')]),
    ]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
  });
});
