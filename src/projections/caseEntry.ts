/**
 * One case as the read models hold it: the domain's folded state plus the few
 * figures derived from its last evaluation that statistics and alerts need.
 * Kept small on purpose (≤ 1 KB of heap per open case): no event list, no
 * evaluation object, interned dimension strings, shared empty arrays.
 */
import { CARD_RULES, RULE_COLOR as COLOR_OF_RULE } from '../domain/lists.js';
import type { CardColor, CardRule, CaseState, EpochMs } from '../domain/types.js';
import type { CaseAlertView } from './types.js';

/** The domain's rules in their fixed order, indexed by position; a card's colour follows from its rule. */
export const RULES: readonly CardRule[] = CARD_RULES;
export const RULE_COLOR: readonly CardColor[] = RULES.map((r) => COLOR_OF_RULE[r]);
export const RULE_INDEX: ReadonlyMap<CardRule, number> = new Map(RULES.map((r, i) => [r, i]));
export const OVERDUE = RULES.indexOf('overdue');
// cardCode keeps the rule index in 3 bits.
if (RULES.length > 8) throw new Error(`caseEntry: ${RULES.length} card rules do not fit cardCode's 3 bits; widen it`);

/**
 * Cards issued so far, flat: `[startedAt0, code0, startedAt1, code1, …]` where
 * code = ruleIndex + 8 × (pause / escalation / late-record index). A plain
 * number array (8 bytes a slot) instead of an object per card.
 */
export type CardList = number[];
export const cardCode = (ruleIndex: number, ordinal: number): number => ruleIndex + 8 * ordinal;
export const ruleIndexOf = (code: number): number => code & 7;

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
  /** The deadline instant (dueAt) of the last evaluation, NaN before one: the case list sorts by it. */
  deadlineAt: number;
  /** Cards issued by the last evaluation instant; undefined when none. */
  cards: CardList | undefined;
  /** Per escalation (state order): the instant its reply was due (end of the respond-by day); undefined when none. */
  respondBy: readonly EpochMs[] | undefined;
  /** A 差评's follow-up due instant (end of its due day), NaN when the case has none. */
  followUpDue: number;
  /** Alerts active now; undefined when none. */
  alerts: readonly CaseAlertView[] | undefined;
  /** The instant this case is queued for re-evaluation (lazy-deletion key), NaN when not queued. */
  dueAt: number;
}

export function newEntry(caseId: string, state: CaseState): CaseEntry {
  return {
    caseId,
    state,
    flags: 0,
    usedDays: -1,
    deadlineAt: Number.NaN,
    cards: undefined,
    respondBy: undefined,
    followUpDue: Number.NaN,
    alerts: undefined,
    dueAt: Number.NaN,
  };
}

/** When the overdue card started, NaN when there is none. */
export function overdueStart(entry: CaseEntry): EpochMs {
  const cards = entry.cards;
  if (cards === undefined) return Number.NaN;
  for (let i = 0; i < cards.length; i += 2) if (ruleIndexOf(cards[i + 1]!) === OVERDUE) return cards[i]!;
  return Number.NaN;
}
