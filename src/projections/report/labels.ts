/**
 * Chinese names of the codes the report prints (the CSV's cells and the
 * summary). The web pages keep their own bilingual table in
 * `src/web/public/js/labels.js` (browser code cannot import this file); the
 * report test checks the two agree.
 */
import type { CenterLevel } from '../../domain/directory.js';
import type { ComplaintCardRule } from '../../domain/complaints/lists.js';
import type { CardColor, CardRule } from '../../domain/types.js';
import type { ReportCategory } from './tables.js';

export const RULE_NAMES: Readonly<Record<CardRule, string>> = {
  'deadline-warning': '临近时限',
  overdue: '逾期',
  'pause-warning': '暂停临期',
  'overlong-pause': '暂停超时',
  'escalation-unanswered': '督办未回复',
  'bad-rating-unresolved': '差评未整改',
  'late-record': '迟录',
};

export const COMPLAINT_RULE_NAMES: Readonly<Record<ComplaintCardRule, string>> = {
  'complaint-undecided': '投诉逾期未决定受理',
  'complaint-answer-warning': '投诉答复临期',
  'complaint-overdue': '投诉答复逾期',
};

/** The name of a case or complaint card rule. */
export const cardRuleName = (rule: CardRule | ComplaintCardRule): string =>
  rule in RULE_NAMES ? RULE_NAMES[rule as CardRule] : COMPLAINT_RULE_NAMES[rule as ComplaintCardRule];

export const COLOR_NAMES: Readonly<Record<CardColor, string>> = { yellow: '黄牌', red: '红牌' };

export const CATEGORY_NAMES: Readonly<Record<ReportCategory, string>> = {
  licensing: '行政许可',
  'public-service': '公共服务',
  unspecified: '未标注类别',
};

export const LEVEL_NAMES: Readonly<Record<CenterLevel, string>> = {
  city: '市级',
  district: '区县级',
  street: '街道（乡镇）',
  community: '社区（村）',
};
