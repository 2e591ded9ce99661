/**
 * One case as the read models hold it: the domain's folded state plus the few
 * figures derived from its last evaluation that statistics and alerts need.
 * Kept small on purpose (≤ 1 KB of heap per open case): no event list, no
 * evaluation object, interned dimension strings, shared empty arrays.
 */
import type { CardColor, CardRule, CaseState, EpochMs } from '../domain/types.js';
import type { AlertView } from './types.js';

/** A card issued so far, as statistics need it. */
export interface CardRecord {
  /** Stable identity within the case: rule plus pause id / escalation index / ordinal. */
  readonly key: string;
  readonly rule: CardRule;
  readonly color: CardColor;
  readonly startedAt: EpochMs;
}

export const FLAG_EVALUATED = 1;
export const FLAG_ON_TIME = 2;
export const FLAG_EARLY = 4;
export const FLAG_SAME_DAY = 8;

export interface CaseEntry {
  readonly caseId: string;
  state: CaseState;
  /** FLAG_* bits from the last evaluation (on time / early / same day apply to completed cases). */
  flags: number;
  /** Counted days used at completion (completed cases), −1 otherwise. */
  usedDays: number;
  /** Instant the overdue card started, NaN when the case has none. */
  overdueAt: number;
  /** Cards issued by the last evaluation instant; undefined when none. */
  cards: readonly CardRecord[] | undefined;
  /** Alerts active now; undefined when none. */
  alerts: readonly AlertView[] | undefined;
  /** The instant this case is queued for re-evaluation (lazy-deletion key), NaN when not queued. */
  dueAt: number;
}

export function newEntry(caseId: string, state: CaseState): CaseEntry {
  return { caseId, state, flags: 0, usedDays: -1, overdueAt: Number.NaN, cards: undefined, alerts: undefined, dueAt: Number.NaN };
}

export const isOpen = (entry: CaseEntry): boolean =>
  entry.state.acceptedAt !== undefined && entry.state.completedAt === undefined;
