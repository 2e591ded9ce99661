/**
 * A card's own cells in a CSV (the register's and the withdrawn register's), as the pages name them:
 * what it is about, its rule and colour in Chinese, when it started and cleared. One home, so both
 * registers write a card the same way.
 */
import type { CardColor, CardRule } from '../domain/types.js';
import type { ComplaintCardRule } from '../domain/complaints/lists.js';
import type { CsvValue } from './csv.js';
import { CARD_SUBJECT_NAMES, cardRuleName, COLOR_NAMES } from './report/labels.js';

/** A card's own fields, as both registers' rows carry them. */
export interface CardOfRow {
  readonly caseId?: string;
  readonly complaintId?: string;
  readonly rule: CardRule | ComplaintCardRule;
  readonly color: CardColor;
  readonly startedAt: string;
  readonly clearedAt?: string;
}

export const CARD_HEADERS: readonly string[] = ['对象', '编号', '规则', '颜色', '亮牌时间', '消除时间'];

export function cardCells(r: CardOfRow): CsvValue[] {
  return [
    CARD_SUBJECT_NAMES[r.complaintId === undefined ? 'case' : 'complaint'],
    r.caseId ?? r.complaintId,
    cardRuleName(r.rule),
    COLOR_NAMES[r.color],
    r.startedAt,
    r.clearedAt,
  ];
}
