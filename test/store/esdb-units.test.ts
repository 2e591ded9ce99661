/**
 * Pure parts of the EventStoreDB adapter: error, position and event mappings,
 * backoff, the checkpoint window and the server-version rule. Everything that
 * needs a client runs through the real client against the wire server
 * (test/store/esdb-wire*.int.test.ts); no fake client is left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/store/esdb/backoff.js';
import { DeadlineError } from '../../src/store/esdb/deadline.js';
import { checkpointWindow, SERVER_SEARCH_WINDOW } from '../../src/store/esdb/esdb-subscription.js';
import { HeadTracker } from '../../src/store/esdb/head.js';
import { fromEsdbEvent, mapEsdbError, toReadAllFrom, toSubscribeFrom } from '../../src/store/esdb/mapping.js';
import { versionAtLeast } from '../../src/store/esdb/server-version.js';
import {
  InvalidAppendError,
  StoreOutcomeUnknownError,
  StoreRefusedError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../src/store/port.js';

/** The shape of the client's CommandError: a `type` (ErrorType) and a message. */
const clientError = (type: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${type} happened`), { type }, extra);

describe('mapEsdbError', () => {
  it('maps each kind of client error to the store error that says what happened', () => {
    const wev = mapEsdbError(clientError('wrong-expected-version', { actualVersion: 4n }), 's', {
      streamId: 'case-a',
      expected: 2n,
    });
    expect(wev).toBeInstanceOf(WrongExpectedRevisionError);
    expect(wev).toMatchObject({ streamId: 'case-a', expected: 2n, actual: 4n });
    const appendLate = mapEsdbError(new DeadlineError('an append', 5), 's', { operation: 'append' });
    expect(appendLate).toBeInstanceOf(StoreOutcomeUnknownError);
    expect(mapEsdbError(clientError('deadline-exceeded'), 's', { operation: 'append' })).toBeInstanceOf(
      StoreOutcomeUnknownError,
    );
    const readLate = mapEsdbError(new DeadlineError('a read', 5), 's', { operation: 'read' });
    expect(readLate).toBeInstanceOf(StoreUnavailableError);
    expect(readLate).not.toBeInstanceOf(StoreOutcomeUnknownError);
    expect(mapEsdbError(clientError('access-denied'), 's')).toBeInstanceOf(StoreRefusedError);
    expect(mapEsdbError(clientError('stream-deleted'), 's')).toBeInstanceOf(StoreRefusedError);
    // Named from the request, else from the client's error (a batch append's refusal has no message).
    expect(
      mapEsdbError(clientError('stream-deleted'), 's', { streamId: 'case-A', operation: 'append' }).message,
    ).toMatch(/stream case-A is deleted \(tombstoned\).*nothing was written$/);
    expect(mapEsdbError(clientError('stream-deleted', { streamName: 'case-B' }), 's').message).toContain(
      'stream case-B is deleted',
    );
    expect(mapEsdbError(clientError('maximum-append-size-exceeded', { maxAppendSize: 1048576 }), 's')).toMatchObject({
      name: 'InvalidAppendError',
      field: 'events',
    });
    const notLeader = mapEsdbError(clientError('not-leader'), 'esdb://n');
    expect(notLeader).toBeInstanceOf(StoreUnavailableError);
    expect(notLeader).not.toBeInstanceOf(StoreRefusedError);
    expect(mapEsdbError(new TypeError('boom'), 'esdb://s').message).toContain('esdb://s');
    const bad = new InvalidAppendError('events', 'x');
    expect(mapEsdbError(bad, 's')).toBe(bad);
  });
});

describe('positions and events', () => {
  it('starts subscriptions after {p, p} and reads at it', () => {
    expect(toSubscribeFrom('start')).toBe('start');
    expect(toSubscribeFrom(-1n)).toBe('start');
    expect(toSubscribeFrom(1200n)).toEqual({ commit: 1200n, prepare: 1200n });
    expect(toReadAllFrom(undefined)).toBe('start');
    expect(toReadAllFrom(1200n)).toEqual({ commit: 1200n, prepare: 1200n });
  });

  it('skips system and non-JSON events and maps the rest', () => {
    const base = {
      streamId: 'case-a',
      id: 'AB5F7E6C-2D5A-4C57-9C71-8B1D3B7B2F10',
      isJson: true,
      revision: 3n,
      type: 'CaseAccepted',
      created: new Date('2025-09-22T02:15:00Z'),
      data: { caseId: 'a' },
      position: { commit: 10n, prepare: 10n },
    };
    expect(fromEsdbEvent(base)).toEqual({
      streamId: 'case-a',
      eventId: 'ab5f7e6c-2d5a-4c57-9c71-8b1d3b7b2f10',
      type: 'CaseAccepted',
      data: { caseId: 'a' },
      revision: 3n,
      position: 10n,
      recordedAt: '2025-09-22T02:15:00.000Z',
    });
    expect(fromEsdbEvent({ ...base, streamId: '$ce-case' })).toBeUndefined();
    expect(fromEsdbEvent({ ...base, type: '$>' })).toBeUndefined();
    expect(fromEsdbEvent({ ...base, isJson: false, data: new Uint8Array() })).toBeUndefined();
  });
});

describe('checkpointWindow', () => {
  it('asks for a checkpoint after at most n events scanned, and not much sooner', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
        const { maxSearchWindow, checkpointInterval } = checkpointWindow(n);
        const every = maxSearchWindow * checkpointInterval; // what the server does (32 × multiplier by default)
        expect(every).toBeLessThanOrEqual(n);
        expect(every).toBeGreaterThan(n / 2);
        expect(maxSearchWindow).toBeLessThanOrEqual(SERVER_SEARCH_WINDOW);
        expect(checkpointInterval).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('versionAtLeast', () => {
  it('is a total order on major.minor, patch and suffix ignored; unknown versions fail', () => {
    expect(versionAtLeast('23.10.0')).toBe(true);
    expect(versionAtLeast('24.2.0-rc1')).toBe(true);
    expect(versionAtLeast('22.10.3')).toBe(false);
    expect(versionAtLeast('23.6.0')).toBe(false);
    expect(versionAtLeast('unknown')).toBe(false);
    fc.assert(
      fc.property(fc.nat(40), fc.nat(12), fc.nat(40), fc.nat(12), (a, b, c, d) => {
        expect(versionAtLeast(`${a}.${b}.7`, `${c}.${d}`)).toBe(a > c || (a === c && b >= d));
      }),
    );
  });
});

describe('HeadTracker', () => {
  const rec = (position: bigint, streamId: string) => ({
    event: {
      streamId,
      id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
      isJson: true,
      revision: 0n,
      type: streamId.startsWith('$') ? '$>' : 'CaseAccepted',
      created: new Date(0),
      data: {},
      position: { commit: position, prepare: position },
    },
  });

  it('finds the last user event behind system events, and rereads only what is new', async () => {
    const history = Array.from({ length: 2000 }, (_, i) => rec(BigInt(i) - 3000n, 'case-old'));
    const log = [
      ...history,
      rec(0n, '$stats'),
      rec(100n, 'case-a'),
      rec(200n, '$ce-case'),
      rec(300n, 'store-identity'),
    ];
    let read = 0;
    const tracker = new HeadTracker(
      async (from, maxCount) => {
        const before =
          from === 'end' ? log : log.filter((r) => r.event.position.commit < (from as { commit: bigint }).commit);
        const page = before.slice().reverse().slice(0, maxCount);
        read += page.length;
        return page;
      },
      ['store-identity'],
    );
    expect(await tracker.head()).toBe(100n);
    for (let i = 0; i < 450; i++) log.push(rec(400n + BigInt(i) * 100n, '$stats'));
    read = 0;
    expect(await tracker.head()).toBe(100n);
    expect(read).toBeLessThan(450 + 200); // the 450 new records and at most one page more, not the 2000 older ones
    log.push(rec(100_000n, 'case-b'));
    expect(await tracker.head()).toBe(100_000n);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially and is capped', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(20)).toBe(10_000);
    expect(() => backoffDelay(-1)).toThrow(RangeError);
  });
});
