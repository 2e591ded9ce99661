/**
 * The write side's laws, without HTTP: each written event is evolved once; the
 * state it caches equals a re-read of the stream; the work of an append does
 * not grow with the case; a full case is refused without reading it. Costs are
 * counted (store reads, events read, evolve calls), never timed.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CASE_EVENTS } from '../domain/decide.js';
import * as evolveModule from '../domain/evolve.js';
import { decodeCaseEvent, type CaseEvent } from '../domain/events.js';
import { historyArb, OFFSET_ZONES } from '../domain/testing/arbitraries.js';
import { formatInstant, parseInstant } from '../domain/time.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { StoreOutcomeUnknownError, StoreUnavailableError } from '../store/port.js';
import { loadCase } from './caseStream.js';
import { GroupCommitter, MAX_EVENTS_PER_COMMIT } from './groupCommit.js';
import type { WriteEvent } from './planGroup.js';
import { CaseWriteCache } from './writeCache.js';
import { createWriteSide, withEventId } from './writeSide.js';

vi.mock('../domain/evolve.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../domain/evolve.js')>();
  return { ...original, evolve: vi.fn(original.evolve) };
});
/** Events folded: by `evolve` or into a CaseDraft (the write side folds a group into a draft). */
const draftApply = vi.spyOn(evolveModule.CaseDraft.prototype, 'apply');
const evolveCalls = (): number => vi.mocked(evolveModule.evolve).mock.calls.length + draftApply.mock.calls.length;

const NOW = Date.parse('2026-11-30T12:00:00+08:00');
/** historyArb's events run up to ~100 days past 2026-10-01. */
const LATER_THAN_ANY_HISTORY = Date.parse('2028-01-01T00:00:00Z');

function counted(now = NOW) {
  const store = new MemoryEventStore({ clock: () => now });
  const counts = { reads: 0, eventsRead: 0, appendMany: 0 };
  const readStream = store.readStream.bind(store);
  store.readStream = async function* (...args: Parameters<MemoryEventStore['readStream']>) {
    counts.reads++;
    for await (const e of readStream(...args)) {
      counts.eventsRead++;
      yield e;
    }
  };
  const appendMany = store.appendMany.bind(store);
  store.appendMany = (requests) => {
    counts.appendMany++;
    return appendMany(requests);
  };
  const cache = new CaseWriteCache();
  const writeSide = createWriteSide({
    store,
    cache,
    committer: new GroupCommitter(store),
    clock: () => now,
    futureToleranceMinutes: 5,
    zone: 'Asia/Shanghai',
  });
  const reset = () => {
    counts.reads = 0;
    counts.eventsRead = 0;
    counts.appendMany = 0;
    vi.mocked(evolveModule.evolve).mockClear();
    draftApply.mockClear();
  };
  return { store, cache, writeSide, counts, reset };
}

const event = (body: Record<string, unknown>): WriteEvent => {
  const decoded = decodeCaseEvent(body);
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
  return withEventId(decoded.event);
};
const acceptance = (caseId: string) =>
  event({
    type: 'CaseAccepted',
    caseId,
    occurredAt: '2026-11-30T09:00:00+08:00',
    centerId: 'c',
    departmentId: 'd',
    matterCode: 'm',
    kind: 'promised',
    promisedDays: 5,
    channel: 'window',
  });
const escalation = (caseId: string) =>
  event({ type: 'CaseEscalated', caseId, occurredAt: '2026-11-30T10:00:00+08:00', level: 'reminder', by: 'office' });
const escalations = (caseId: string, n: number) => Array.from({ length: n }, () => escalation(caseId));

beforeEach(() => {
  vi.mocked(evolveModule.evolve).mockClear();
  draftApply.mockClear();
});

describe('write side', () => {
  it('evolves each written event once, and reads nothing for a new case or a cached one', async () => {
    const w = counted();
    const [first] = await w.writeSide.appendGroups([
      { caseId: 'E-1', events: [acceptance('E-1'), ...escalations('E-1', 2)] },
    ]);
    expect(first?.map((r) => r.kind)).toEqual(['appended', 'appended', 'appended']);
    expect(evolveCalls()).toBe(3);
    await w.writeSide.appendGroups([{ caseId: 'E-1', events: escalations('E-1', 2) }]);
    expect(evolveCalls()).toBe(5);
    expect(w.counts.reads).toBe(0);
  });

  it("costs the same for a case's 1000th event as for its 2nd: no read, one evolve, one store call", async () => {
    const w = counted();
    await w.writeSide.appendGroups([
      { caseId: 'short', events: [acceptance('short')] },
      { caseId: 'long', events: [acceptance('long'), ...escalations('long', MAX_CASE_EVENTS - 2)] },
    ]);
    const cost = async (caseId: string) => {
      w.reset();
      const [[result] = []] = await w.writeSide.appendGroups([{ caseId, events: [escalation(caseId)] }]);
      return {
        result: result?.kind,
        revision: result && 'revision' in result ? result.revision : -1,
        ...w.counts,
        evolve: evolveCalls(),
      };
    };
    const second = await cost('short');
    const thousandth = await cost('long');
    expect(second).toEqual({ result: 'appended', revision: 1, reads: 0, eventsRead: 0, appendMany: 1, evolve: 1 });
    expect(thousandth).toEqual({ ...second, revision: MAX_CASE_EVENTS - 1 });
  });

  it('refuses 20 batches of 1000 escalations past the cap: 409 case-too-long, the refused ones never read nor sent to the store', async () => {
    const w = counted();
    await w.writeSide.appendGroups([{ caseId: 'H', events: [acceptance('H')] }]);
    w.reset();
    const kinds: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const [results = []] = await w.writeSide.appendGroups([{ caseId: 'H', events: escalations('H', 1000) }]);
      for (const r of results) kinds.push(r.kind === 'rejected' ? r.code : r.kind);
    }
    expect(kinds.filter((k) => k === 'appended')).toHaveLength(MAX_CASE_EVENTS - 1);
    // One case-too-long a batch (its first refused row); the rest of the batch stops behind it.
    expect(kinds.filter((k) => k === 'case-too-long')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'earlier-event-refused')).toHaveLength(20 * 1000 - (MAX_CASE_EVENTS - 1) - 20);
    expect(w.counts).toEqual({ reads: 0, eventsRead: 0, appendMany: 1 });
    expect(evolveCalls()).toBe(MAX_CASE_EVENTS - 1);
    expect((await loadCase(w.store, 'H')).state.revision).toBe(MAX_CASE_EVENTS - 1);
  });

  it('refuses a full case read from the store (not cached) with case-too-long', async () => {
    const w = counted();
    const other = counted(); // another process's write side over the same store would not have it cached
    await w.writeSide.appendGroups([
      { caseId: 'F', events: [acceptance('F'), ...escalations('F', MAX_CASE_EVENTS - 1)] },
    ]);
    const fresh = createWriteSide({
      store: w.store,
      cache: other.cache,
      committer: new GroupCommitter(w.store),
      clock: () => NOW,
      futureToleranceMinutes: 5,
      zone: 'UTC',
    });
    const [[result] = []] = await fresh.appendGroups([{ caseId: 'F', events: [escalation('F')] }]);
    expect(result).toMatchObject({ kind: 'rejected', code: 'case-too-long', details: { events: 1000, max: 1000 } });
  });

  it('caches exactly the state a re-read of the stream folds, whatever chunks the events came in', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb(),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 10 }),
        async (h, sizes) => {
          const w = counted(LATER_THAN_ANY_HISTORY);
          const caseId = `P-${randomUUID()}`;
          const events = h.events.map((e: CaseEvent) => withEventId({ ...e, caseId } as CaseEvent));
          for (let at = 0, k = 0; at < events.length; k++) {
            const size = sizes[k % sizes.length] as number;
            await w.writeSide.appendGroups([{ caseId, events: events.slice(at, at + size) }]);
            at += size;
          }
          const cached = w.cache.get(caseId);
          const loaded = await loadCase(w.store, caseId);
          expect(loaded.state.revision).toBe(events.length - 1);
          expect(cached?.state).toEqual(loaded.state);
          expect([...(cached?.eventIds ?? [])].sort()).toEqual([...loaded.byEventId.keys()].sort());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives each event its own position from a store that reports only the last one (read back), or that one if the read fails', async () => {
    const w = counted();
    const appendMany = w.store.appendMany.bind(w.store);
    w.store.appendMany = async (requests) =>
      (await appendMany(requests)).map((o) => {
        if (!o.ok) return o;
        const { positions: _dropped, ...result } = o.result;
        return { ok: true, result };
      });
    const [first = []] = await w.writeSide.appendGroups([
      { caseId: 'R', events: [acceptance('R'), ...escalations('R', 2)] },
    ]);
    const stored: bigint[] = [];
    for await (const e of w.store.readStream('case-R')) stored.push(e.position);
    expect(first.map((r) => (r.kind === 'appended' ? r.position : undefined))).toEqual(stored);
    w.store.readStream = () => {
      throw new Error('read failed');
    };
    const [second = []] = await w.writeSide.appendGroups([{ caseId: 'R', events: escalations('R', 2) }]);
    expect(second.map((r) => r.kind)).toEqual(['appended', 'appended']);
    expect(second.map((r) => (r.kind === 'appended' ? r.position : undefined))).toEqual([4n, 4n]);
  });

  it('answers an eventId the store refused as stored from a re-read: a retry stored in this case meanwhile is a duplicate', async () => {
    const w = counted();
    await w.writeSide.appendGroups([{ caseId: 'D', events: [acceptance('D')] }]);
    const [mine, shared] = escalations('D', 2) as [WriteEvent, WriteEvent];
    // Behind the write side's back, before each of its appends: first another event (a revision conflict),
    // then the very event it is about to append (an identical retry from elsewhere).
    const behind = [escalation('D'), shared];
    const appendMany = w.store.appendMany.bind(w.store);
    w.store.appendMany = async (requests) => {
      const next = behind.shift();
      if (next !== undefined) await w.store.append('case-D', [{ eventId: next.eventId, type: next.type, data: next }]);
      return appendMany(requests);
    };
    const [results = []] = await w.writeSide.appendGroups([{ caseId: 'D', events: [mine, shared] }]);
    expect(results.map((r) => r.kind)).toEqual(['appended', 'duplicate']);
    expect(results[1]).toMatchObject({ revision: 2 });
    expect(results[0]).toMatchObject({ revision: 3 });
  });

  it('answers a resent eventId with the original result when it is the same event, else 409 and nothing written (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb(),
        fc.nat(),
        fc.constantFrom(...OFFSET_ZONES),
        fc.option(fc.constantFrom('actor', 'note', 'by', 'type', 'occurredAt')),
        async (h, pick, zone, changed) => {
          const w = counted(LATER_THAN_ANY_HISTORY);
          const caseId = `P-${randomUUID()}`;
          const events = h.events.map((e: CaseEvent) => withEventId({ ...e, caseId } as CaseEvent));
          const [stored = []] = await w.writeSide.appendGroups([{ caseId, events }]);
          const k = pick % events.length;
          const original = events[k] as WriteEvent;
          const moved = formatInstant(parseInstant(original.occurredAt), zone);
          const resent = { ...original, occurredAt: moved } as Record<string, unknown>;
          if (changed === 'occurredAt') resent['occurredAt'] = formatInstant(parseInstant(moved) + 1000, zone);
          else if (changed === 'type')
            resent['type'] = original.type === 'CaseCompleted' ? 'CaseEscalated' : 'CaseCompleted';
          else if (changed !== null) resent[changed] = `${String(resent[changed] ?? '')}-changed`;
          w.cache.delete(caseId); // answered from the store's copy, not from what this side remembers
          const [[answer] = []] = await w.writeSide.appendGroups([
            { caseId, events: [resent as unknown as WriteEvent] },
          ]);
          if (changed === null) expect(answer).toEqual({ ...stored[k], kind: 'duplicate' });
          else expect(answer).toMatchObject({ kind: 'rejected', code: 'event-id-conflict' });
          expect((await loadCase(w.store, caseId)).state.revision).toBe(events.length - 1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('write side, sliced', () => {
  it('decides a call of 200 cases in slices, yielding to the event loop between them, and appends only once all are decided', async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const appendedAtTurn: number[] = [];
    const appendMany = store.appendMany.bind(store);
    store.appendMany = (requests) => {
      appendedAtTurn.push(turns);
      return appendMany(requests);
    };
    let slices = 0;
    const writeSide = createWriteSide({
      store,
      cache: new CaseWriteCache(),
      committer: new GroupCommitter(store),
      clock: () => NOW,
      futureToleranceMinutes: 5,
      zone: 'Asia/Shanghai',
      // A slice used up after every group: the smallest slice, so every yield shows.
      timeSlice: () => ({
        pause: () => {
          slices++;
          return new Promise<void>((resolve) => setImmediate(resolve));
        },
      }),
    });
    const groups = Array.from({ length: 200 }, (_, c) => ({
      caseId: `S-${c}`,
      events: [acceptance(`S-${c}`), ...escalations(`S-${c}`, 4)],
    }));
    const results = await writeSide.appendGroups(groups);
    counting = false;
    expect(results.flat().every((r) => r.kind === 'appended')).toBe(true);
    expect(slices).toBe(200);
    // Other callbacks ran between the slices, and nothing was appended before the last group was decided.
    expect(appendedAtTurn[0]).toBeGreaterThanOrEqual(199);
    expect(appendedAtTurn.length).toBe(1000 / MAX_EVENTS_PER_COMMIT);
  });
});

describe('write side, a request over several commits', () => {
  it('the store failing at the second commit: the cases of the first are appended, the rest answer store-unavailable and are not stored', async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    const appendMany = store.appendMany.bind(store);
    let calls = 0;
    store.appendMany = (requests) => {
      calls++;
      if (calls === 2) return Promise.reject(new StoreUnavailableError('memory', 'gone for a moment'));
      return appendMany(requests);
    };
    const cache = new CaseWriteCache();
    const writeSide = createWriteSide({
      store,
      cache,
      committer: new GroupCommitter(store),
      clock: () => NOW,
      futureToleranceMinutes: 5,
      zone: 'Asia/Shanghai',
    });
    const perCommit = MAX_EVENTS_PER_COMMIT / 5;
    const groups = Array.from({ length: 2 * perCommit }, (_, c) => ({
      caseId: `U-${c}`,
      events: [acceptance(`U-${c}`), ...escalations(`U-${c}`, 4)],
    }));
    const results = await writeSide.appendGroups(groups);
    const kinds = results.map((group) => [...new Set(group.map((r) => (r.kind === 'rejected' ? r.code : r.kind)))]);
    expect(kinds.slice(0, perCommit).every((k) => k.length === 1 && k[0] === 'appended')).toBe(true);
    expect(kinds.slice(perCommit).every((k) => k.length === 1 && k[0] === 'store-unavailable')).toBe(true);
    for (const [c] of groups.entries()) {
      const stored = (await loadCase(store, `U-${c}`)).state.revision + 1;
      expect(stored).toBe(c < perCommit ? 5 : 0);
    }
    // Nothing wrong was cached: the refused cases are written on the next try.
    const again = await writeSide.appendGroups(groups.slice(perCommit));
    expect(again.flat().every((r) => r.kind === 'appended')).toBe(true);
  });
});

describe('write side, the store failing the append of a group that resends a stored event', () => {
  it('answers the stored event as the duplicate it is (200), only the unwritten ones store-unavailable / outcome-unknown', async () => {
    const causes = [
      { cause: new StoreUnavailableError('memory', 'gone for a moment'), code: 'store-unavailable' },
      {
        cause: new StoreOutcomeUnknownError('memory', 'connection dropped after the call was sent'),
        code: 'store-outcome-unknown',
      },
    ];
    for (const { cause, code } of causes) {
      const w = counted();
      const accepted = acceptance('W');
      const [[first] = []] = await w.writeSide.appendGroups([{ caseId: 'W', events: [accepted] }]);
      w.store.appendMany = () => Promise.reject(cause);
      const fresh = escalation('W');
      const [results = []] = await w.writeSide.appendGroups([{ caseId: 'W', events: [accepted, fresh, accepted] }]);
      expect(first?.kind).toBe('appended');
      expect(results[0]).toEqual({ ...first, kind: 'duplicate' });
      expect(results[1]).toMatchObject({ kind: 'rejected', eventId: fresh.eventId, code, cause });
      expect(results[2]).toEqual(results[0]);
      expect((await loadCase(w.store, 'W')).state.revision).toBe(0);
    }
  });
});

describe('write side, one call whose requests the store answers differently (EventStoreDB: each its own append)', () => {
  it('a request refused as unavailable does not turn the others’ answers: one appended is answered appended, one whose answer was lost outcome-unknown', async () => {
    const store = new MemoryEventStore({ clock: () => NOW });
    const appendMany = store.appendMany.bind(store);
    // As the EventStoreDB adapter answers when requests in flight side by side end differently.
    store.appendMany = async (requests) => {
      const [, written, lost] = requests;
      const outcomes = await appendMany([written as (typeof requests)[number], lost as (typeof requests)[number]]);
      return [
        { ok: false, error: new StoreUnavailableError('esdb', 'not leader: nothing written') },
        outcomes[0] as (typeof outcomes)[number],
        { ok: false, error: new StoreOutcomeUnknownError('esdb', 'connection dropped after the call was sent') },
      ];
    };
    const writeSide = createWriteSide({
      store,
      cache: new CaseWriteCache(),
      committer: new GroupCommitter(store),
      clock: () => NOW,
      futureToleranceMinutes: 5,
      zone: 'Asia/Shanghai',
    });
    const groups = ['V-1', 'V-2', 'V-3'].map((caseId) => ({ caseId, events: [acceptance(caseId)] }));
    const [refused, written, lost] = await writeSide.appendGroups(groups);
    expect(refused?.[0]).toMatchObject({ kind: 'rejected', code: 'store-unavailable' });
    expect(written?.[0]).toMatchObject({ kind: 'appended', caseId: 'V-2', revision: 0 });
    expect((await loadCase(store, 'V-2')).state.revision).toBe(0);
    expect(lost?.[0]).toMatchObject({ kind: 'rejected', code: 'store-outcome-unknown' });
  });
});
