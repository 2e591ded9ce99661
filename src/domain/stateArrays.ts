/**
 * How a case state's arrays (pauses, escalations, extensions, late records) are
 * changed and searched while events are folded (evolve.ts): an array is copied
 * before a change unless the fold owns it (a CaseDraft's, grown in place), and
 * found by id through idIndex.ts.
 */
import { markIndexed, positionOfId } from './idIndex.js';
import type { CaseState, EscalationState, PauseState } from './types.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ArrayField = 'pauses' | 'escalations' | 'extensions' | 'lateRecords';
export const ARRAY_FIELDS: readonly ArrayField[] = ['pauses', 'escalations', 'extensions', 'lateRecords'];
type Item<K extends ArrayField> = CaseState[K][number];

/**
 * The array `field` of `next`, writable: `next`'s own when `owned` says so (a draft's), else a
 * copy put in its place (and owned from now on when there is an `owned` set).
 */
function writable<K extends ArrayField>(next: Mutable<CaseState>, field: K, owned: Set<ArrayField> | undefined) {
  if (owned?.has(field)) return next[field] as unknown as Item<K>[];
  const original = next[field];
  const copy = original.slice() as Item<K>[];
  (next as Record<ArrayField, unknown>)[field] = copy;
  if (owned !== undefined) {
    owned.add(field);
    markIndexed(copy, original);
  }
  return copy;
}

export const append = <K extends ArrayField>(
  next: Mutable<CaseState>,
  field: K,
  item: Item<K>,
  owned: Set<ArrayField> | undefined,
): void => {
  writable(next, field, owned).push(item);
};

export const replaceAt = <K extends ArrayField>(
  next: Mutable<CaseState>,
  field: K,
  i: number,
  item: Item<K>,
  owned: Set<ArrayField> | undefined,
): void => {
  writable(next, field, owned)[i] = item;
};

/** The position of the pause `pauseId` in `pauses`, or -1 (pauseIds are unique within a case). */
export const pausePosition = (pauses: readonly PauseState[], pauseId: string): number =>
  positionOfId(pauses, pauseId, (p) => p.pauseId);

/** The position of the escalation `escalationId`, or -1 (escalationIds are unique within a case). */
export const escalationPosition = (escalations: readonly EscalationState[], escalationId: string): number =>
  positionOfId(escalations, escalationId, (e) => e.escalationId);
