/**
 * Completed-case rows at the edges of their columns (completedCases.ts): past
 * 65,536 distinct acceptance profiles (the profile column starts at 16 bits and
 * widens to 32), and cards whose codes need 16 bits or whose starts are no
 * offset in range (kept aside): rows still rebuild exactly the entry they were
 * made from; a card code beyond 16 bits keeps the case an object.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../domain/index.js';
import type { CaseEvent } from '../domain/events.js';
import { CASE_KINDS, CATEGORIES } from '../domain/lists.js';
import { FLAG_EVALUATED, FLAG_ON_TIME, newEntry, type CaseEntry } from './caseEntry.js';
import { CompletedCases, isCompactable } from './completedCases.js';
import type { Parts } from './snapshotRows.js';

const PROFILES = 70_000;

/** A CaseAccepted as the decoder would give it (the branded strings checked there), with `extra` fields. */
function acceptedEvent(caseId: string, acceptedAt: number, matterCode: string, extra: object = {}): CaseEvent {
  return {
    type: 'CaseAccepted',
    caseId,
    occurredAt: new Date(acceptedAt).toISOString(),
    centerId: 'wuhan',
    departmentId: 'civil-affairs',
    matterCode,
    kind: 'promised',
    promisedDays: 5,
    channel: 'window',
    ...extra,
  } as unknown as CaseEvent;
}

function completedCase(i: number): CaseEntry {
  const caseId = `WH-20250922-${i}`;
  const acceptedAt = Date.UTC(2025, 8, 22, 1) + i * 1000;
  const events = [
    acceptedEvent(caseId, acceptedAt, `M-${i}`), // a profile of its own
    { type: 'CaseCompleted', caseId, occurredAt: new Date(acceptedAt + 3_600_000).toISOString(), outcome: 'approved' },
  ] as unknown as CaseEvent[];
  const entry = newEntry(caseId, foldEvents(caseId, events));
  entry.flags = FLAG_EVALUATED | FLAG_ON_TIME;
  entry.usedDays = 1;
  entry.deadlineAt = acceptedAt + 5 * 86_400_000;
  return entry;
}

describe('completed-case rows with many acceptance profiles', () => {
  it('rebuild exactly past 65,536 profiles (the profile column widens)', () => {
    const rows = new CompletedCases();
    const entries = Array.from({ length: PROFILES }, (_, i) => completedCase(i));
    const at = entries.map((e) => rows.add(e));
    expect(at.every((row) => row !== undefined)).toBe(true);
    let wrong = 0;
    entries.forEach((entry, i) => {
      const rebuilt = rows.entryAt(at[i]!, entry.caseId);
      if (rebuilt.state.accepted?.matterCode !== `M-${i}`) wrong++;
      else if (i % 997 === 0 || (i >= 65_530 && i <= 65_540)) expect(rebuilt).toStrictEqual(entry);
    });
    expect(wrong).toBe(0);
  });

  it('rows keep cards with 16-bit codes and starts out of offset range exactly; a wider code stays an object', () => {
    const rows = new CompletedCases();
    const base = completedCase(1);
    const acceptedAt = base.state.acceptedAt!;
    const cards = [
      [acceptedAt + 86_400_000, 1], // the usual: an offset in range, a small code
      [acceptedAt + 3_600_000, 8 * 300 + 2, acceptedAt - 1, 65_535], // a 300th pause's card; a start before the acceptance
      [acceptedAt + 60 * 86_400_000, 0, acceptedAt + 0.5, 7], // past 49 days; a fraction
    ];
    const at = cards.map((list, i) => {
      const entry = { ...completedCase(10 + i), cards: list };
      return [rows.add(entry), entry] as const;
    });
    for (const [row, entry] of at) {
      expect(row).not.toBeUndefined();
      expect(rows.entryAt(row!, entry.caseId)).toStrictEqual(entry);
    }
    for (const code of [65_536, 1.5, -1, -0]) {
      const entry = { ...completedCase(20), cards: [acceptedAt, code] };
      expect(isCompactable(entry)).toBe(false);
      expect(rows.add(entry)).toBeUndefined();
    }
  });

  it('acceptances that hash alike (same place and terms, another matter name) get profiles of their own; equal ones share one', () => {
    const rows = new CompletedCases();
    const entries = Array.from({ length: 300 }, (_, i) => {
      const entry = completedCase(100 + i);
      const accepted = { ...entry.state.accepted!, matterCode: 'M-same', matterName: `事项${i % 60}` };
      return { ...entry, state: { ...entry.state, accepted } } as CaseEntry;
    });
    const at = entries.map((e) => rows.add(e));
    for (const [i, entry] of entries.entries()) expect(rows.entryAt(at[i]!, entry.caseId)).toStrictEqual(entry);
    expect((rows as unknown as { profiles: unknown[] }).profiles.length).toBe(60);
  });
});

describe('acceptance profiles, by property', () => {
  // The fields outside the profile hash (kind, matter name, legal days, category) drawn from small sets, the
  // hashed ones mostly alike: most pairs of acceptances then meet in one hash bucket, compared field by field.
  const acceptance = fc.record(
    {
      matterCode: fc.constantFrom('M-1', 'M-2'),
      kind: fc.constantFrom(...CASE_KINDS),
      promisedDays: fc.constantFrom(5, 7),
      channel: fc.constantFrom('window', 'online'),
      matterName: fc.constantFrom('甲', '乙'),
      legalDays: fc.constantFrom(20, 30),
      category: fc.constantFrom(...CATEGORIES),
    },
    { requiredKeys: ['matterCode', 'kind', 'promisedDays', 'channel'] },
  );

  it('a row rebuilds its own acceptance, and equal acceptances (fields and their order) share one profile', () => {
    fc.assert(
      fc.property(fc.array(acceptance, { minLength: 1, maxLength: 40 }), (terms) => {
        const rows = new CompletedCases();
        const entries = terms.map((t, i) => {
          const entry = completedCase(1000 + i);
          const accepted = foldEvents(entry.caseId, [
            {
              type: 'CaseAccepted',
              caseId: entry.caseId,
              occurredAt: new Date(entry.state.acceptedAt!).toISOString(),
              centerId: 'wuhan',
              departmentId: 'civil-affairs',
              ...t,
            } as unknown as CaseEvent,
          ]).accepted!;
          return { ...entry, state: { ...entry.state, accepted } } as CaseEntry;
        });
        const at = entries.map((e) => rows.add(e));
        for (const [i, entry] of entries.entries()) expect(rows.entryAt(at[i]!, entry.caseId)).toStrictEqual(entry);
        const distinct = new Set(entries.map((e) => JSON.stringify(e.state.accepted)));
        expect((rows as unknown as { profiles: unknown[] }).profiles.length).toBe(distinct.size);
      }),
      { numRuns: 200 },
    );
  });
});

/** The profile number of row `row` (its column is private). */
const profileOf = (rows: CompletedCases, row: number): number =>
  (rows as unknown as { profile: Uint16Array | Int32Array }).profile[row]!;
const profileCount = (rows: CompletedCases): number => (rows as unknown as { profiles: unknown[] }).profiles.length;
const keysIn = (o: object): string[] => {
  const keys: string[] = [];
  for (const k in o) keys.push(k);
  return keys;
};
const withAcceptance = (entry: CaseEntry, accepted: object): CaseEntry =>
  ({ ...entry, state: { ...entry.state, accepted } }) as CaseEntry;

/**
 * The fields evolve gives an acceptance, in its order, read off evolve itself (an acceptance with every
 * optional field), not listed a second time beside completedCases.ts's list; `note` is one it never gives.
 */
const NAMED: readonly string[] = Object.keys(
  foldEvents('WH-fields', [
    acceptedEvent('WH-fields', Date.UTC(2025, 8, 22, 1), 'M-0', {
      matterName: '事项',
      legalDays: 20,
      category: CATEGORIES[0],
    }),
  ]).accepted!,
);
const NUMERIC: ReadonlySet<string> = new Set(['promisedDays', 'legalDays']);

/**
 * The rule profiles are shared by, written plainly (as the hash path compared them before session 9):
 * the same keys in the same order; then, when every key is one evolve gives, the named fields compared
 * (`Object.is` for the two numbers, `===` for the others), else every field by `Object.is`.
 */
function sameByRule(p: Record<string, unknown>, a: Record<string, unknown>): boolean {
  const kp = keysIn(p);
  const ka = keysIn(a);
  if (kp.length !== ka.length || kp.some((k, i) => k !== ka[i])) return false;
  if (kp.every((k) => NAMED.includes(k)))
    return NAMED.every((f) => (NUMERIC.has(f) ? Object.is(p[f], a[f]) : p[f] === a[f]));
  return kp.every((k) => Object.is(p[k], a[k]));
}

describe('acceptance profiles: the lookup (session 9: one pass over the fields, a table of hashes, values side by side)', () => {
  it('equal acceptances in other objects share a profile; the same values in another order, with a field evolve never gives or with one not enumerable, do not', () => {
    const rows = new CompletedCases();
    const base = completedCase(1);
    const a = base.state.accepted! as unknown as Record<string, unknown>;
    // The fields read off evolve hold this acceptance's and the three optional ones.
    expect(NAMED).toEqual(expect.arrayContaining([...keysIn(a), 'matterName', 'legalDays', 'category']));
    const copy = { ...a };
    const reordered = Object.fromEntries(Object.entries(a).reverse());
    const extra = { ...a, note: 'x' };
    const extraCopy = { ...extra };
    // The same values read by name, one field not among the keys (not enumerable): another key list.
    const named = { ...a, matterName: '事项' };
    const hidden = Object.defineProperty({ ...a }, 'matterName', { value: '事项', enumerable: false });
    const entries = [a, copy, reordered, extra, extraCopy, a, reordered, named, hidden].map((acc, i) =>
      withAcceptance(completedCase(10 + i), acc),
    );
    const at = entries.map((e) => rows.add(e)!);
    expect(at.map((row) => profileOf(rows, row))).toEqual([0, 0, 1, 2, 2, 0, 1, 3, 4]);
    for (const [i, entry] of entries.entries()) {
      const rebuilt = rows.entryAt(at[i]!, entry.caseId);
      expect(rebuilt).toStrictEqual(entry);
      expect(keysIn(rebuilt.state.accepted!)).toEqual(keysIn(entry.state.accepted!)); // its own order, not the other's
    }
  });

  it('acceptances alike in every hashed field (only the matter name differs) past the table doubling twice: one profile each, found again', () => {
    const rows = new CompletedCases();
    const accepted = (i: number) => ({ ...completedCase(0).state.accepted!, matterName: `事项${i}` });
    const first = Array.from({ length: 600 }, (_, i) => rows.add(withAcceptance(completedCase(i), accepted(i)))!);
    const again = Array.from({ length: 600 }, (_, i) => rows.add(withAcceptance(completedCase(i), accepted(i)))!);
    expect(profileCount(rows)).toBe(600);
    expect(again.map((row) => profileOf(rows, row))).toEqual(first.map((row) => profileOf(rows, row)));
    expect(first.map((row) => profileOf(rows, row))).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });

  // A few acceptances of random fields in random orders (evolve's, others, with a field it never gives;
  // strings, numbers, NaN, −0), then picked again and again as the same object or a copy.
  const ALL_KEYS = [...NAMED, 'note'];
  const valueArb = fc.oneof(
    { arbitrary: fc.constantFrom<unknown>('a', 5), weight: 8 },
    { arbitrary: fc.constantFrom<unknown>('b', 7, Number.NaN, 0), weight: 3 },
    { arbitrary: fc.constant<unknown>(-0), weight: 1 },
  );
  const acceptanceArb = fc
    .record({
      keys: fc.oneof(fc.subarray(ALL_KEYS, { minLength: 1 }), fc.shuffledSubarray(ALL_KEYS, { minLength: 1 })),
      values: fc.array(valueArb, { minLength: ALL_KEYS.length, maxLength: ALL_KEYS.length }),
    })
    .map(({ keys, values }) => {
      const o: Record<string, unknown> = {};
      for (const k of keys) o[k] = values[ALL_KEYS.indexOf(k)];
      return o;
    });

  it('law: a row is made exactly when every field is a string or a number (not −0); its profile is the first equal one by the rule; it rebuilds its own acceptance', () => {
    fc.assert(
      fc.property(
        fc.array(acceptanceArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 60 }),
        (pool, picks) => {
          const rows = new CompletedCases();
          const seen: Record<string, unknown>[] = [];
          picks.forEach(([pick, same], i) => {
            const chosen = pool[pick % pool.length]!;
            const accepted = same ? chosen : { ...chosen };
            const entry = withAcceptance(completedCase(5000 + i), accepted);
            const plain = Object.values(accepted).every(
              (v) => typeof v === 'string' || (typeof v === 'number' && !Object.is(v, -0)),
            );
            expect(isCompactable(entry)).toBe(plain);
            const row = rows.add(entry);
            expect(row !== undefined).toBe(plain);
            if (row === undefined) return;
            let expected = seen.findIndex((p) => sameByRule(p, accepted));
            if (expected < 0) expected = seen.push(accepted) - 1;
            expect(profileOf(rows, row)).toBe(expected);
            const rebuilt = rows.entryAt(row, entry.caseId).state.accepted! as unknown as Record<string, unknown>;
            expect(keysIn(rebuilt)).toEqual(keysIn(accepted));
            for (const k of keysIn(accepted)) expect(Object.is(rebuilt[k], accepted[k])).toBe(true);
          });
          expect(profileCount(rows)).toBe(seen.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a released row that held extras, used again by a case without, rebuilds without them; a snapshot whose free row holds extras is refused', () => {
    const rows = new CompletedCases();
    const plain = completedCase(1);
    const withExtras: CaseEntry = { ...completedCase(2), respondBy: [plain.state.acceptedAt! + 7_200_000] };
    const row = rows.add(withExtras)!;
    expect(rows.entryAt(row, withExtras.caseId)).toStrictEqual(withExtras);
    expect(rows.release(row, withExtras.caseId)).toStrictEqual(withExtras);
    expect(rows.add(plain)).toBe(row); // the freed row, used again
    expect(rows.entryAt(row, plain.caseId)).toStrictEqual(plain);

    const kept = new CompletedCases();
    kept.add(withExtras);
    const parts = kept.exportParts() as { readonly [k: string]: Parts };
    expect(() => CompletedCases.fromParts(parts)).not.toThrow();
    expect(() => CompletedCases.fromParts({ ...parts, free: Int32Array.of(0) })).toThrow(/free row 0 holds extras/);
  });
});
