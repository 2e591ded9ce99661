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

const PROFILES = 70_000;

function completedCase(i: number): CaseEntry {
  const caseId = `WH-20250922-${i}`;
  const acceptedAt = Date.UTC(2025, 8, 22, 1) + i * 1000;
  // Built as the decoder would give them (the branded strings checked there).
  const events = [
    {
      type: 'CaseAccepted',
      caseId,
      occurredAt: new Date(acceptedAt).toISOString(),
      centerId: 'wuhan',
      departmentId: 'civil-affairs',
      matterCode: `M-${i}`, // a profile of its own
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    },
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
