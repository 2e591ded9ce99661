import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseDate, parseInstant, type Policy } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import type { RecordedEvent } from '../store/port.js';
import {
  POLICY_STREAM_ID,
  PolicyBook,
  PolicyRefusedError,
  decodePolicyPublished,
  loadPolicies,
  policyEventData,
  recordPolicy,
} from './policyEvents.js';

const ZONE = 'Asia/Shanghai';
const A: Policy = { ...DEFAULT_POLICY, version: 'A' };
const B: Policy = { ...DEFAULT_POLICY, version: 'B', deadlineWarningRatio: 0.5 };

async function stored(store: MemoryEventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readStream(POLICY_STREAM_ID)) out.push(e);
  return out;
}

describe('policy versions as events', () => {
  it('a start records a policy the store has not seen, effective the next local day; the same policy again records nothing', async () => {
    const store = new MemoryEventStore();
    // 20:00 UTC on 30 Nov is already 1 Dec in Shanghai: "the next local day" is 2 Dec.
    const now = parseInstant('2026-11-30T20:00:00Z');
    const first = await recordPolicy(store, new PolicyBook(DEFAULT_POLICY), A, undefined, now, ZONE);
    expect(first).toMatchObject({ kind: 'record', publication: { effectiveFrom: parseDate('2026-12-02') } });
    const again = await recordPolicy(store, new PolicyBook(DEFAULT_POLICY), A, undefined, now + 3_600_000, ZONE);
    expect(again).toEqual({ kind: 'already-recorded' });
    const events = await stored(store);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'PolicyPublished',
      data: { version: 'A', effectiveFrom: '2026-12-02', publishedAt: '2026-12-01T04:00:00.000+08:00' },
    });
  });

  it('a new policy is appended after the first and read back in publication order', async () => {
    const store = new MemoryEventStore();
    const now = parseInstant('2026-11-30T04:00:00Z');
    await recordPolicy(store, new PolicyBook(DEFAULT_POLICY), A, undefined, now, ZONE);
    await recordPolicy(store, new PolicyBook(DEFAULT_POLICY), B, parseDate('2027-01-01'), now + 1, ZONE);
    const book = new PolicyBook(DEFAULT_POLICY);
    expect(await loadPolicies(store, book)).toEqual([]);
    expect(book.versions().map((p) => p.version)).toEqual(['A', 'B']);
    expect(book.inForce({ day: parseDate('2026-12-31'), at: parseInstant('2026-12-31T10:00:00+08:00') })).toEqual(A);
    expect(book.inForce({ day: parseDate('2027-01-01'), at: parseInstant('2027-01-01T10:00:00+08:00') })).toEqual(B);
    // Reading the stream again (the live subscription replays what the start read) adds nothing.
    await loadPolicies(store, book);
    expect(book.publications).toHaveLength(2);
  });

  it('refuses, naming why, a reused version label or an effectiveFrom that is not after today', async () => {
    const store = new MemoryEventStore();
    const now = parseInstant('2026-11-30T04:00:00Z');
    await recordPolicy(store, new PolicyBook(DEFAULT_POLICY), A, undefined, now, ZONE);
    await expect(
      recordPolicy(store, new PolicyBook(DEFAULT_POLICY), { ...B, version: 'A' }, undefined, now, ZONE),
    ).rejects.toThrow(PolicyRefusedError);
    await expect(
      recordPolicy(store, new PolicyBook(DEFAULT_POLICY), B, parseDate('2026-11-30'), now, ZONE),
    ).rejects.toThrow(/effectiveFrom 2026-11-30 is not after today/);
    expect(await stored(store)).toHaveLength(1);
  });

  it('an event round-trips; a damaged one is named, not applied', () => {
    const publication = {
      policy: B,
      effectiveFrom: parseDate('2027-01-01'),
      publishedAt: parseInstant('2026-11-30T12:00:00+08:00'),
    };
    expect(decodePolicyPublished(policyEventData(publication, ZONE).data)).toEqual(publication);
    expect(decodePolicyPublished({ ...policyEventData(publication, ZONE).data, effectiveFrom: '2027-02-30' })).toBe(
      'effectiveFrom is not a date YYYY-MM-DD',
    );
    expect(
      decodePolicyPublished({ ...policyEventData(publication, ZONE).data, policy: { deadlineWarningRatio: 3 } }),
    ).toMatch(/deadlineWarningRatio/);
  });
});

describe('the projections follow policy-CN live', () => {
  it('a version published by another engine while running applies to cases accepted from its date on', async () => {
    const { makeRig } = await import('./testSupport.js');
    let storeClock = (): number => parseInstant('2026-11-29T10:00:00+08:00');
    const store = new MemoryEventStore({ clock: () => storeClock() });
    // This engine's start: A recorded on 29 Nov, effective 30 Nov.
    const book = new PolicyBook(DEFAULT_POLICY);
    await recordPolicy(store, book, A, undefined, storeClock(), ZONE);
    const rig = await makeRig('2026-11-30T10:00:00+08:00', { store, policies: book });
    storeClock = rig.scheduler.clock;
    try {
      // Another engine starts with B on 30 Nov: effective 1 Dec; it reaches this one through the subscription.
      const other = await recordPolicy(store, new PolicyBook(DEFAULT_POLICY), B, undefined, storeClock(), ZONE);
      expect(other).toMatchObject({ kind: 'record', publication: { effectiveFrom: parseDate('2026-12-01') } });
      expect(await rig.projections.readModels.waitForPosition(await store.headPosition(), 2_000)).toBe(true);
      expect(book.versions().map((p) => p.version)).toEqual(['A', 'B']);
      const body = {
        type: 'CaseAccepted',
        centerId: 'center-A',
        departmentId: 'dep-1',
        matterCode: 'M-1',
        kind: 'promised',
        promisedDays: 10,
        channel: 'window',
      };
      await rig.append({ ...body, caseId: 'L-1', occurredAt: '2026-11-30T10:00:00+08:00' });
      rig.scheduler.advanceTo(parseInstant('2026-12-01T09:00:00+08:00'));
      await rig.append({ ...body, caseId: 'L-2', occurredAt: '2026-12-01T09:00:00+08:00' });
      const now = rig.scheduler.clock();
      expect(rig.projections.readModels.evaluateCase('L-1', now)?.policyVersion).toBe('A');
      expect(rig.projections.readModels.evaluateCase('L-2', now)?.policyVersion).toBe('B');
      expect(
        rig.projections.readModels.activeAlerts().every((a) => a.policyVersion === (a.caseId === 'L-1' ? 'A' : 'B')),
      ).toBe(true);
    } finally {
      await rig.projections.stop();
    }
  });
});
