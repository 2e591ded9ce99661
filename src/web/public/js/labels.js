// Chinese labels with English alongside, for every code the API returns.

export const RULES = {
  'deadline-warning': ['临近时限', 'deadline warning'],
  overdue: ['逾期', 'overdue'],
  'pause-warning': ['暂停临期', 'pause warning'],
  'overlong-pause': ['暂停超时', 'overlong pause'],
  'escalation-unanswered': ['督办未回复', 'escalation unanswered'],
  'late-record': ['迟录', 'late record'],
};

export const COLORS = { yellow: ['黄牌', 'yellow'], red: ['红牌', 'red'] };

export const STATUS = {
  open: ['办理中', 'open'],
  paused: ['暂停计时', 'paused'],
  completed: ['已办结', 'completed'],
};

export const KINDS = {
  instant: ['即办件', 'instant'],
  promised: ['承诺件', 'promised'],
  joint: ['联办件', 'joint'],
  referred: ['上报件', 'referred'],
};

export const CHANNELS = { window: ['窗口', 'window'], online: ['网上', 'online'] };

export const CATEGORIES = { licensing: ['行政许可', 'licensing'], 'public-service': ['公共服务', 'public service'] };

export const REASONS = {
  supplement: ['补正', 'supplement'],
  hearing: ['听证', 'hearing'],
  tender: ['招标', 'tender'],
  auction: ['拍卖', 'auction'],
  inspection: ['检验', 'inspection'],
  testing: ['检测', 'testing'],
  quarantine: ['检疫', 'quarantine'],
  appraisal: ['鉴定', 'appraisal'],
  'expert-review': ['专家评审', 'expert review'],
  'site-survey': ['现场勘查', 'site survey'],
  'public-notice': ['公示', 'public notice'],
  other: ['其他', 'other'],
};

export const LEVELS = {
  reminder: ['催办', 'reminder'],
  supervision: ['督办', 'supervision'],
  referral: ['上报', 'referral'],
};

export const OUTCOMES = {
  approved: ['准予', 'approved'],
  rejected: ['不予', 'rejected'],
  withdrawn: ['撤回', 'withdrawn'],
};

export const EVENT_TYPES = {
  CaseAccepted: ['受理', 'accepted'],
  CasePaused: ['停止计时', 'paused'],
  CaseResumed: ['恢复计时', 'resumed'],
  CaseEscalated: ['催办/督办', 'escalated'],
  CaseEscalationAnswered: ['回告', 'escalation answered'],
  CaseExtended: ['延期', 'extended'],
  CaseCompleted: ['办结', 'completed'],
};

/** SPEC §5 figures in report order: [field, part of the KpiSet, 中文, english, kind]. */
export const KPIS = [
  ['accepted', 'cohort', '受理', 'accepted', 'count'],
  ['completed', 'cohort', '办结（本期受理）', 'completed (of cohort)', 'count'],
  ['inProgress', 'cohort', '在办', 'in progress', 'count'],
  ['completionRate', 'cohort', '办结率', 'completion rate', 'rate'],
  ['instantCompletionRate', 'cohort', '现场办结率', 'same-day completion rate', 'rate'],
  ['instantShare', 'cohort', '即办件率', 'instant share', 'rate'],
  ['completedInPeriod', 'flow', '本期办结', 'completed in period', 'count'],
  ['onTimeRate', 'flow', '按时办结率', 'on-time rate', 'rate'],
  ['earlyRate', 'flow', '提前办结率', 'early rate', 'rate'],
  ['overdueRate', 'flow', '逾期率', 'overdue rate', 'rate'],
  ['avgUsedDays', 'flow', '承诺件平均用时（工作日）', 'avg. working days used', 'days'],
  ['cardsTotal', 'flow', '红黄牌', 'cards issued', 'count'],
];

/** "中文 english" for a code, or the code itself when unknown. */
export function label(table, code) {
  const entry = table[code];
  return entry ? `${entry[0]} ${entry[1]}` : String(code ?? '');
}

export function zh(table, code) {
  const entry = table[code];
  return entry ? entry[0] : String(code ?? '');
}
