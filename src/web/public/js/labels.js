// Chinese labels with English alongside, for every code the API returns.

export const RULES = {
  'deadline-warning': ['临近时限', 'deadline warning'],
  overdue: ['逾期', 'overdue'],
  'pause-warning': ['暂停临期', 'pause warning'],
  'overlong-pause': ['暂停超时', 'overlong pause'],
  'escalation-unanswered': ['督办未回复', 'escalation unanswered'],
  'bad-rating-unresolved': ['差评未整改', 'bad rating not followed up'],
  'late-record': ['迟录', 'late record'],
};

export const COLORS = { yellow: ['黄牌', 'yellow'], red: ['红牌', 'red'] };
/** What a card is about (the register's `subject` filter; src/domain/lists.ts CARD_SUBJECTS). */
export const CARD_SUBJECTS = { case: ['办件', 'cases'], complaint: ['效能投诉', 'complaints'] };
/** The kinds of row of the withdrawn cards' register (GET /cards/withdrawn `kind`). */
export const WITHDRAWN_KINDS = {
  withdrawn: ['撤销', 'withdrawn'],
  'clearing-changed': ['消除时间更正（牌仍在册）', 'clearing changed, card kept'],
  reinstated: ['撤销后又恢复', 'withdrawn, then put back'],
};

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

export const RATING_CHANNELS = {
  window: ['窗口评价器', 'window'],
  online: ['网上', 'online'],
  sms: ['短信', 'SMS'],
  kiosk: ['自助终端', 'kiosk'],
};

/** 好差评 scores (SPEC §2): 5 非常满意 … 1 非常不满意; ≤ 2 is a 差评. */
export const RATING_SCORES = {
  5: ['非常满意', 'very satisfied'],
  4: ['满意', 'satisfied'],
  3: ['基本满意', 'basically satisfied'],
  2: ['不满意', 'dissatisfied'],
  1: ['非常不满意', 'very dissatisfied'],
};

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
  CaseRated: ['好差评', 'rated'],
  RatingFollowedUp: ['差评整改回访', 'rating followed up'],
};

/**
 * A withdrawn card (GET /cases/{id} `withdrawnCards`, GET /cards/withdrawn): what withdrew it and the
 * flags of an extension (延期) on the case page. [中文, english].
 */
export const WITHDRAWAL = {
  calendar: ['日历更正', 'calendar correction'],
  directory: ['目录区域变更', 'directory: region moved'],
  occurred: ['发生', 'occurred'],
  revision: ['版本号', 'revision'],
  movedTo: ['现亮牌', 'now starts'],
  gone: ['不再亮牌', 'no longer shown'],
  clearingChanged: ['消除时间更正（牌仍在册）', 'clearing changed (card kept)'],
  nowClears: ['现消除', 'now clears'],
  notCleared: ['现未消除', 'not cleared now'],
  reinstated: ['已恢复', 'put back'],
};

export const EXTENSION_FLAGS = {
  retroactive: ['补录', 'back-dated'],
  voided: ['不计', 'voided'],
};

/** 效能投诉 (SPEC §8): the complaint lists of src/domain/complaints/lists.ts. */
export const COMPLAINT_RULES = {
  'complaint-undecided': ['投诉逾期未决定受理', 'complaint undecided'],
  'complaint-answer-warning': ['投诉答复临期', 'complaint answer warning'],
  'complaint-overdue': ['投诉答复逾期', 'complaint answer overdue'],
  'complaint-late-record': ['投诉迟录', 'complaint late record'],
};

export const COMPLAINT_STATUS = {
  received: ['待决定受理', 'received'],
  accepted: ['已受理待答复', 'accepted'],
  rejected: ['不予受理', 'rejected'],
  answered: ['已答复', 'answered'],
  closed: ['已办结', 'closed'],
};

export const COMPLAINT_CHANNELS = {
  hotline: ['热线', 'hotline'],
  online: ['网上', 'online'],
  letter: ['来信', 'letter'],
  visit: ['来访', 'visit'],
};

export const COMPLAINT_FINDINGS = {
  substantiated: ['属实', 'substantiated'],
  partly: ['部分属实', 'partly substantiated'],
  unsubstantiated: ['不属实', 'unsubstantiated'],
};

export const SATISFACTION = {
  satisfied: ['满意', 'satisfied'],
  basically: ['基本满意', 'basically satisfied'],
  unsatisfied: ['不满意', 'unsatisfied'],
};

export const COMPLAINT_EVENT_TYPES = {
  ComplaintReceived: ['收到投诉', 'received'],
  ComplaintAccepted: ['受理', 'accepted'],
  ComplaintRejected: ['不予受理', 'rejected'],
  ComplaintAssigned: ['转办', 'assigned'],
  ComplaintAnswered: ['答复', 'answered'],
  ComplaintClosed: ['办结', 'closed'],
};

/** What each complaint rule says (SPEC §8), in Chinese and English; the page adds the figures. */
export const COMPLAINT_RULE_TEXT = {
  'complaint-undecided': [
    '收到日之后第 N 个工作日（决定时限）24:00 仍未作出受理或不予受理决定即亮红牌；作出决定时解除',
    'red when neither accepted nor rejected by 24:00 of the N-th working day after the receipt date; cleared by the decision',
  ],
  'complaint-answer-warning': [
    '受理日之后第 ⌈0.8 × N⌉ 个工作日零时仍未答复即亮黄牌；答复或转为逾期时解除',
    'yellow from 00:00 of working day ⌈0.8 × N⌉ after the acceptance date while unanswered; cleared by the answer or when overdue',
  ],
  'complaint-overdue': [
    '受理日之后第 N 个工作日（答复时限）24:00 仍未答复即亮红牌；答复时解除',
    'red when unanswered by 24:00 of the N-th working day after the acceptance date; cleared by the answer',
  ],
  'complaint-late-record': [
    '投诉事件记录晚于发生超过阈值小时数即亮黄牌（同办件迟录），在案不消除',
    'yellow when a complaint event is recorded more than the threshold hours after it occurred (as late-record on cases); never cleared on record',
  ],
};

/**
 * A list of an explanation written by its length (the card register's one-line figures) under a name of
 * its own where the key's name says what the list holds, not how many: `extensions` are the 延期 granted,
 * their number 延期次数 (their days are `extendedDays`, 延期天数).
 */
export const EXPLAIN_COUNT_KEYS = {
  extensions: ['延期次数', 'number of extensions'],
};

/** The one figure of a deadline card never extended, in place of 延期天数 0 and no 延期 (`neverExtended`). */
export const NOT_EXTENDED = ['未延期', 'not extended'];

/** An empty list of an explanation (no regional day, no pause): none, not a count of 0 (session 26). */
export const EMPTY_LIST = ['无', 'none'];

/** A deadline card's explanation of a case never extended: its `extensions` list is empty, so `extendedDays` is 0. */
export const neverExtended = (explain) => Array.isArray(explain?.extensions) && explain.extensions.length === 0;

/** The figures of a complaint's clocks (GET /complaints/{id} `decide`, `answer`): [中文, english]. */
export const COMPLAINT_CLOCK_KEYS = {
  receivedDate: ['收到日', 'received date'],
  acceptedDate: ['受理日', 'accepted date'],
  withinDays: ['时限（工作日）', 'within (working days)'],
  warnAtDay: ['预警计时日', 'warning counted day'],
  warnAt: ['预警时刻', 'warning at'],
  byDate: ['时限日', 'last day'],
  dueAt: ['截止时刻', 'due at'],
  decidedAt: ['决定时间', 'decided at'],
  answeredAt: ['答复时间', 'answered at'],
  usedDays: ['已用工作日', 'working days used'],
  remainingDays: ['剩余工作日', 'working days remaining'],
  overdueDays: ['逾期工作日', 'working days overdue'],
  onTime: ['按时', 'on time'],
  startedAt: ['亮牌', 'started'],
  clearedAt: ['解除', 'cleared'],
};

/** Any alert's rule, a case's or a complaint's (the board shows both). */
export const ALERT_RULES = { ...RULES, ...COMPLAINT_RULES };

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
  // The cases' cards (SPEC §5); the cards section adds the complaints' to its 合计.
  ['cardsTotal', 'flow', '办件红黄牌', 'cards on cases', 'count'],
  // A rate, shown as the others are; the escalation counts have no list that reproduces them (SPEC §4: every
  // count of the report links to one), so they are in the JSON and the CSV, not on the page.
  ['answeredOnTimeRate', 'flow', '按时回告率', 'replies on time', 'rate'],
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

/**
 * Every key a card's explanation (`explain`, src/domain/explain.ts) may hold, and
 * the figures the page adds when the API sent none: [中文, english].
 * src/web/explain-labels.test.ts checks that no key the engine emits is missing.
 */
export const EXPLAIN_KEYS = {
  rule: ['规则', 'rule'],
  color: ['颜色', 'colour'],
  summary: ['说明', 'summary'],
  calendarVersion: ['日历版本', 'calendar version'],
  policyVersion: ['规则版本', 'policy version'],
  asOf: ['查看时点', 'as of'],
  acceptedAt: ['受理时间', 'accepted at'],
  acceptedDate: ['受理日', 'accepted date'],
  promisedDays: ['承诺时限（工作日）', 'promised working days'],
  legalDays: ['法定时限（工作日）', 'legal working days'],
  extendedDays: ['延期天数', 'extended days'],
  extendedDaysNow: ['现延期天数（此卡之后又延期）', 'extended days now (extended again after this card)'],
  extensions: ['延期', 'extensions'],
  at: ['时间', 'at'],
  days: ['天数', 'days'],
  approvedBy: ['批准人', 'approved by'],
  deadlineBefore: ['延期前时限', 'deadline before'],
  deadlineAfter: ['延期后时限', 'deadline after'],
  daysAdded: ['增加的计时日', 'counted days added'],
  clearedBy: ['解除原因', 'cleared by'],
  voided: ['不计（逾期后延期）', 'voided (after the deadline)'],
  warningRatio: ['预警比例', 'warning ratio'],
  warnAtDay: ['预警计时日', 'warning counted day'],
  warnDate: ['预警日', 'warning date'],
  deadlineDate: ['办结时限日', 'deadline date'],
  dueAt: ['截止时刻', 'due at'],
  usedDays: ['已用工作日', 'used working days'],
  remainingDays: ['剩余工作日', 'remaining working days'],
  overdueDays: ['逾期工作日', 'overdue working days'],
  pauses: ['暂停区间', 'pauses'],
  after: ['自（不含）', 'after'],
  through: ['至（含）', 'through'],
  countedDates: ['计时日', 'counted dates'],
  pausedWorkdays: ['暂停的工作日', 'paused working days'],
  holidaysSkipped: ['跳过的节假日', 'holidays skipped'],
  weekendsSkipped: ['跳过的周末', 'weekends skipped'],
  makeUpDaysCounted: ['计入的调休上班日', 'make-up working days counted'],
  regionalDays: ['地方假日', 'regional days'],
  region: ['地区', 'region'],
  predictedHolidays: ['推定的节假日（该年尚未公布）', 'holidays assumed (year not yet published)'],
  name: ['名称', 'name'],
  date: ['日期', 'date'],
  pauseId: ['暂停编号', 'pause id'],
  reason: ['原因', 'reason'],
  pausedAt: ['暂停时间', 'paused at'],
  resumedAt: ['恢复时间', 'resumed at'],
  pausedDate: ['暂停日', 'pause date'],
  allowanceDays: ['允许天数', 'allowance days'],
  allowanceSource: ['允许天数来源', 'allowance source'],
  overlongAt: ['超时时刻', 'overlong at'],
  countedDays: ['已计天数', 'counted days'],
  retroactive: ['补录', 'back-dated'],
  retroactivePause: ['补录的暂停', 'back-dated pause'],
  pauseWorkdays: ['暂停期间的工作日', "the pause's working days"],
  level: ['级别', 'level'],
  escalationId: ['督办编号', 'escalation id'],
  escalatedAt: ['督办时间', 'escalated at'],
  escalatedDate: ['督办日', 'escalation date'],
  respondWithinDays: ['回告时限（工作日）', 'respond within (working days)'],
  respondByDate: ['回告截止日', 'respond-by date'],
  respondBy: ['回告截止', 'respond by'],
  answeredAt: ['回告时间', 'answered at'],
  score: ['评分', 'score'],
  ratedAt: ['评价时间', 'rated at'],
  ratedDate: ['评价日', 'rating date'],
  followUpDays: ['整改回访时限（工作日）', 'follow up within (working days)'],
  followUpDueDate: ['整改回访截止日', 'follow-up due date'],
  followUpDueAt: ['整改回访截止', 'follow-up due at'],
  followedUpAt: ['整改回访时间', 'followed up at'],
  workdays: ['工作日', 'working days'],
  eventType: ['事件', 'event'],
  revision: ['版本号', 'revision'],
  occurredAt: ['发生时间', 'occurred at'],
  recordedAt: ['记录时间', 'recorded at'],
  delayHours: ['迟录小时数', 'hours late'],
  thresholdHours: ['迟录阈值（小时）', 'threshold (hours)'],
  startedAt: ['开始', 'started'],
  clearedAt: ['解除', 'cleared'],
};

/** What each rule's `rule` sentence says, in Chinese; the engine's English follows it. */
export const EXPLAIN_RULE_TEXT = {
  'deadline-warning':
    '计时到第 warnAtDay 个工作日（比例 × (承诺天数 + 延期天数)，向上取整）零时亮黄牌；办结、转为逾期或延期使预警日后移时解除',
  overdue: '截止时刻（时限日 24:00）仍未办结即亮红牌',
  'pause-warning': '暂停自暂停日之后的工作日计入其允许天数；达到预警比例时亮黄牌',
  'overlong-pause': '暂停自暂停日之后的工作日计入其允许天数；超过允许天数即亮红牌',
  'escalation-unanswered': '督办日之后第 respondWithinDays 个工作日结束时仍未回告且案件未办结，即亮红牌',
  'bad-rating-unresolved': '差评（1–2 分）日期之后第 badRatingFollowUpDays 个工作日结束时仍未整改回访，即亮红牌',
  'late-record': '事件记录晚于发生超过阈值小时数即亮黄牌',
};

/** Values given as codes of a list, per explanation key. */
const EXPLAIN_VALUE_TABLES = {
  reason: REASONS,
  level: LEVELS,
  // A late-record card's event: a case's, or a complaint's (complaint-late-record).
  eventType: { ...EVENT_TYPES, ...COMPLAINT_EVENT_TYPES },
  color: COLORS,
};

/**
 * The names of the day counts the rule sentences use, and the explanation's figure that holds each
 * (src/domain/explain.ts): the sentence shown says the number, not the name.
 */
const RULE_TEXT_FIGURES = {
  warnAtDay: 'warnAtDay',
  respondWithinDays: 'respondWithinDays',
  badRatingFollowUpDays: 'followUpDays',
};

/** A rule sentence with each day count it names replaced by the explanation's figure (kept when absent). */
export function withRuleFigures(text, figures) {
  return text.replace(/\b(warnAtDay|respondWithinDays|badRatingFollowUpDays)\b/g, (name) => {
    const v = figures?.[RULE_TEXT_FIGURES[name]];
    return typeof v === 'number' ? String(v) : name;
  });
}

/**
 * An explanation's string value in Chinese with its English (codes, the engine's
 * sentences); other strings (ids, names, free text, dates) are returned unchanged.
 * `cardRule` is the rule of the card the explanation is for; `figures` the explanation, whose day
 * counts the rule sentence says (第 12 个工作日, not 第 warnAtDay 个工作日).
 */
export function explainValueText(key, value, cardRule, figures) {
  const table = EXPLAIN_VALUE_TABLES[key];
  if (table?.[value]) return label(table, value);
  if (key === 'rule' && EXPLAIN_RULE_TEXT[cardRule])
    return `${withRuleFigures(EXPLAIN_RULE_TEXT[cardRule], figures)}（${withRuleFigures(value, figures)}）`;
  if (key === 'allowanceSource') {
    if (value === 'declaredDays') return '书面告知的天数 declared days';
    const m = /^policy default for (.+)$/.exec(value);
    if (m) return `规则默认（${zh(REASONS, m[1])}）${value}`;
  }
  if (key === 'clearedBy') {
    const m = /^the extension at (.+?), which/.exec(value);
    if (m) return `${m[1]} 的延期使预警日后移 ${value}`;
  }
  return value;
}

/**
 * An explanation's string value in Chinese alone (the card register's one-line figures, whose CSV the
 * server writes the same way: src/projections/explainFigures.ts); other strings are returned unchanged.
 */
export function explainValueZh(key, value) {
  const table = EXPLAIN_VALUE_TABLES[key];
  if (table?.[value]) return zh(table, value);
  if (key === 'allowanceSource') {
    if (value === 'declaredDays') return '书面告知的天数';
    const m = /^policy default for (.+)$/.exec(value);
    if (m) return `规则默认（${zh(REASONS, m[1])}）`;
  }
  if (key === 'clearedBy') {
    const m = /^the extension at (\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[^,]*, which/.exec(value);
    if (m) return `${m[1]} ${m[2]} 的延期使预警日后移`;
  }
  return value;
}

/**
 * The head of a compared column of the monthly report: the month (去年同月 / 上月), or in a month still
 * running the same first days of it (去年同期 / 上月同期, `through` its last day).
 * @param {{month?: string, from?: string, through?: string} | undefined} p
 * @param {'year' | 'month'} which
 */
export function comparedHead(p, which) {
  if (p?.through !== undefined) return `${which === 'year' ? '去年同期' : '上月同期'} ${p.from} 至 ${p.through}`;
  return `${which === 'year' ? '去年同月' : '上月'} ${p?.month ?? ''}`;
}
