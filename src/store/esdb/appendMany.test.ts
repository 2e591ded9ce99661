import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AppendResult,
  StoreOutcomeUnknownError,
  StoreRefusedError,
  StoreUnavailableError,
  type StreamAppend,
  WrongExpectedRevisionError,
} from '../port.js';
import { appendConcurrently, lanesOf } from './appendMany.js';

/** The result that tells which request it answers. */
const resultOf = (index: number): AppendResult => ({
  nextExpectedRevision: BigInt(index),
  position: BigInt(index),
  duplicate: false,
});

const requestsFor = (streams: readonly string[]): StreamAppend[] =>
  streams.map((streamId) => ({ streamId, events: [] }));

/** An `append` whose calls wait until the test settles them. */
function parked(requests: readonly StreamAppend[]) {
  const calls: { index: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const append = (request: StreamAppend) =>
    new Promise<AppendResult>((resolve, reject) => {
      const index = requests.indexOf(request);
      calls.push({ index, resolve: () => resolve(resultOf(index)), reject });
    });
  const call = (index: number) => {
    const found = calls.find((c) => c.index === index);
    if (found === undefined) throw new Error(`request ${index} was not sent`);
    return found;
  };
  return { calls, append, call };
}

/** Lets every promise callback run (the fakes never wait on a timer). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('lanesOf', () => {
  it('groups the requests of one stream in request order, lanes in order of first appearance', () => {
    expect(lanesOf(requestsFor(['a', 'b', 'a', 'c', 'b', 'a']))).toEqual([[0, 2, 5], [1, 4], [3]]);
    expect(lanesOf([])).toEqual([]);
  });

  it('puts streams that share an eventId (in any case of letters) in one lane, in request order', () => {
    const event = (eventId: string) => ({ eventId, type: 'T', data: {} });
    const requests: StreamAppend[] = [
      { streamId: 'a', events: [event('x'), event('y')] },
      { streamId: 'b', events: [event('z')] },
      { streamId: 'c', events: [event('X')] }, // shares x with a
      { streamId: 'd', events: [event('w')] },
      { streamId: 'b', events: [event('v')] },
      { streamId: 'e', events: [event('v'), event('q')] }, // shares v with b: a and c stay apart from it
    ];
    expect(lanesOf(requests)).toEqual([[0, 2], [1, 4, 5], [3]]);
  });
});

describe('appendConcurrently', () => {
  it('runs different streams concurrently up to the limit, never two of one stream, each stream in request order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.scheduler(),
        async (streamNumbers, limit, s) => {
          const requests = requestsFor(streamNumbers.map((n) => `case-${n}`));
          const running = new Set<string>();
          const started: number[] = [];
          let most = 0;
          const append = async (request: StreamAppend): Promise<AppendResult> => {
            const index = requests.indexOf(request);
            if (running.has(request.streamId)) throw new Error(`request ${index} overlaps its stream`);
            running.add(request.streamId);
            most = Math.max(most, running.size);
            started.push(index);
            await s.schedule(Promise.resolve(), `request ${index}`);
            running.delete(request.streamId);
            return resultOf(index);
          };
          const outcomes = await s.waitFor(appendConcurrently(requests, append, limit));
          expect(outcomes.map((o) => o.ok && o.result.nextExpectedRevision)).toEqual(requests.map((_, i) => BigInt(i)));
          expect(most).toBe(Math.min(limit, new Set(streamNumbers).size));
          for (const stream of new Set(streamNumbers)) {
            const own = started.filter((i) => streamNumbers[i] === stream);
            expect(own).toEqual([...own].sort((a, b) => a - b));
          }
        },
      ),
    );
  });

  it('starts 16 requests of distinct streams at once, and the 17th only when one of them has finished', async () => {
    const requests = requestsFor(Array.from({ length: 40 }, (_, i) => `case-${i}`));
    const fake = parked(requests);
    const call = appendConcurrently(requests, fake.append, 16);
    await turn();
    expect(fake.calls.map((c) => c.index)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    fake.call(5).resolve();
    await turn();
    expect(fake.calls).toHaveLength(17);
    expect(fake.calls.at(-1)?.index).toBe(16);
    for (let i = 0; i < requests.length; i++) {
      fake.call(i).resolve();
      await turn();
    }
    expect((await call).map((o) => o.ok && o.result.nextExpectedRevision)).toEqual(requests.map((_, i) => BigInt(i)));
  });

  it('sends a stream’s second request only after its first has finished', async () => {
    const requests = requestsFor(['case-a', 'case-b', 'case-a']);
    const fake = parked(requests);
    const call = appendConcurrently(requests, fake.append, 16);
    await turn();
    expect(fake.calls.map((c) => c.index)).toEqual([0, 1]);
    fake.call(1).resolve();
    await turn();
    expect(fake.calls.map((c) => c.index)).toEqual([0, 1]);
    fake.call(0).reject(new WrongExpectedRevisionError('case-a', 'no_stream', 0n));
    await turn();
    expect(fake.calls.map((c) => c.index)).toEqual([0, 1, 2]);
    fake.call(2).resolve();
    const outcomes = await call;
    expect(outcomes.map((o) => o.ok)).toEqual([false, true, true]);
    expect(!outcomes[0]!.ok && outcomes[0]!.error).toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('once a request is unavailable, sends no later one: those in flight keep their own outcome, the others get the error', async () => {
    const requests = requestsFor(['case-0', 'case-1', 'case-2', 'case-3', 'case-1', 'case-4']);
    const fake = parked(requests);
    const call = appendConcurrently(requests, fake.append, 3);
    await turn();
    const down = new StoreUnavailableError('esdb://test', 'connection refused');
    fake.call(0).reject(down);
    await turn();
    fake.call(1).resolve();
    fake.call(2).reject(new WrongExpectedRevisionError('case-2', 'no_stream', 0n));
    const outcomes = await call;
    expect(fake.calls.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error === down ? 'down' : o.error.name))).toEqual([
      'down',
      'ok',
      'WrongExpectedRevisionError',
      'StoreUnavailableError',
      'StoreUnavailableError',
      'StoreUnavailableError',
    ]);
    for (const o of outcomes.slice(3)) expect(!o.ok && o.error.message).toContain('not sent');
  });

  it('tells a request not sent that it was not sent, never another request\'s "outcome unknown"', async () => {
    const requests = requestsFor(['case-0', 'case-1']);
    const fake = parked(requests);
    const call = appendConcurrently(requests, fake.append, 1);
    await turn();
    fake.call(0).reject(new StoreOutcomeUnknownError('esdb://test', 'no answer within 5000 ms'));
    const outcomes = await call;
    expect(fake.calls.map((c) => c.index)).toEqual([0]);
    const unsent = outcomes[1]!.ok ? undefined : outcomes[1]!.error;
    expect(unsent).toBeInstanceOf(StoreUnavailableError);
    expect(unsent).not.toBeInstanceOf(StoreOutcomeUnknownError);
    expect(unsent?.message).not.toContain('may have been written');
  });

  it('a stream the server refuses for good (deleted) refuses that request only', async () => {
    const requests = requestsFor(['case-0', 'case-1', 'case-2']);
    const fake = parked(requests);
    const call = appendConcurrently(requests, fake.append, 1);
    await turn();
    fake.call(0).reject(new StoreRefusedError('esdb://test', 'stream case-0 is deleted'));
    await turn();
    fake.call(1).resolve();
    await turn();
    fake.call(2).resolve();
    const outcomes = await call;
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.name))).toEqual(['StoreRefusedError', 'ok', 'ok']);
  });

  it('rejects with an unexpected exception only once the requests in flight have settled, sending no other', async () => {
    const requests = requestsFor(['case-0', 'case-1', 'case-2', 'case-0', 'case-3']);
    const fake = parked(requests);
    let settled = false;
    const call = appendConcurrently(requests, fake.append, 3).finally(() => {
      settled = true;
    });
    await turn();
    const bug = new TypeError('a bug');
    fake.call(0).reject(bug);
    await turn();
    expect(settled).toBe(false);
    fake.call(1).resolve();
    await turn();
    expect(settled).toBe(false);
    fake.call(2).resolve();
    await expect(call).rejects.toBe(bug);
    expect(fake.calls.map((c) => c.index)).toEqual([0, 1, 2]);
  });
});
