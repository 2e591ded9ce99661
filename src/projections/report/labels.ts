/**
 * The server's one table of the Chinese names of the codes it prints: the
 * monthly report (CSV and summary) and every list's CSV (card register,
 * withdrawn cards, case list, complaint list), cells and explanations alike.
 * The web pages keep their own bilingual table in `src/web/public/js/labels.js`
 * (browser code cannot import this file); `labels.test.ts` loads that file and
 * checks that every table here names each code as the pages do.
 */
import type { CenterLevel } from '../../domain/directory.js';
import type {
  ComplaintCardRule,
  ComplaintChannel,
  ComplaintEventType,
  ComplaintFinding,
  ComplaintStatus,
  SatisfactionLevel,
} from '../../domain/complaints/lists.js';
import type { CardSubject, CASE_KINDS, CaseEventType, ESCALATION_LEVELS, PAUSE_REASONS } from '../../domain/lists.js';
import type { CardColor, CardRule, CaseStatus } from '../../domain/types.js';
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
  'complaint-late-record': '投诉迟录',
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

/** The case statuses (办理中 …), as the case list shows them. */
export const CASE_STATUS_NAMES: Readonly<Record<CaseStatus, string>> = {
  open: '办理中',
  paused: '暂停计时',
  completed: '已办结',
};

/** The kinds of case (即办件 …). */
export const KIND_NAMES: Readonly<Record<(typeof CASE_KINDS)[number], string>> = {
  instant: '即办件',
  promised: '承诺件',
  joint: '联办件',
  referred: '上报件',
};

/** What a card is about: a case or a complaint. */
export const CARD_SUBJECT_NAMES: Readonly<Record<CardSubject, string>> = {
  case: '办件',
  complaint: '效能投诉',
};

/** The reasons of a pause (补正 …). */
export const REASON_NAMES: Readonly<Record<(typeof PAUSE_REASONS)[number], string>> = {
  supplement: '补正',
  hearing: '听证',
  tender: '招标',
  auction: '拍卖',
  inspection: '检验',
  testing: '检测',
  quarantine: '检疫',
  appraisal: '鉴定',
  'expert-review': '专家评审',
  'site-survey': '现场勘查',
  'public-notice': '公示',
  other: '其他',
};

/** The levels of an escalation (催办 …). */
export const ESCALATION_LEVEL_NAMES: Readonly<Record<(typeof ESCALATION_LEVELS)[number], string>> = {
  reminder: '催办',
  supervision: '督办',
  referral: '上报',
};

/** The case event types, as the case history names them. */
export const EVENT_TYPE_NAMES: Readonly<Record<CaseEventType, string>> = {
  CaseAccepted: '受理',
  CasePaused: '停止计时',
  CaseResumed: '恢复计时',
  CaseEscalated: '催办/督办',
  CaseEscalationAnswered: '回告',
  CaseExtended: '延期',
  CaseCompleted: '办结',
  CaseRated: '好差评',
  RatingFollowedUp: '差评整改回访',
};

/** The complaint statuses. */
export const COMPLAINT_STATUS_NAMES: Readonly<Record<ComplaintStatus, string>> = {
  received: '待决定受理',
  accepted: '已受理待答复',
  rejected: '不予受理',
  answered: '已答复',
  closed: '已办结',
};

/** The channels a complaint came by. */
export const COMPLAINT_CHANNEL_NAMES: Readonly<Record<ComplaintChannel, string>> = {
  hotline: '热线',
  online: '网上',
  letter: '来信',
  visit: '来访',
};

/** The findings of a complaint answered. */
export const FINDING_NAMES: Readonly<Record<ComplaintFinding, string>> = {
  substantiated: '属实',
  partly: '部分属实',
  unsubstantiated: '不属实',
};

/** The complainant's satisfaction at closure. */
export const SATISFACTION_NAMES: Readonly<Record<SatisfactionLevel, string>> = {
  satisfied: '满意',
  basically: '基本满意',
  unsatisfied: '不满意',
};

/** The complaint event types. */
export const COMPLAINT_EVENT_TYPE_NAMES: Readonly<Record<ComplaintEventType, string>> = {
  ComplaintReceived: '收到投诉',
  ComplaintAccepted: '受理',
  ComplaintRejected: '不予受理',
  ComplaintAssigned: '转办',
  ComplaintAnswered: '答复',
  ComplaintClosed: '办结',
};

/** The figures of a case card's explanation (src/domain/explain.ts), as the case page names them. */
export const EXPLAIN_KEY_NAMES: Readonly<Record<string, string>> = {
  rule: '规则',
  color: '颜色',
  summary: '说明',
  calendarVersion: '日历版本',
  policyVersion: '规则版本',
  asOf: '查看时点',
  acceptedAt: '受理时间',
  acceptedDate: '受理日',
  promisedDays: '承诺时限（工作日）',
  legalDays: '法定时限（工作日）',
  extendedDays: '延期天数',
  extendedDaysNow: '现延期天数（此卡之后又延期）',
  extensions: '延期',
  at: '时间',
  days: '天数',
  approvedBy: '批准人',
  deadlineBefore: '延期前时限',
  deadlineAfter: '延期后时限',
  daysAdded: '增加的计时日',
  clearedBy: '解除原因',
  voided: '不计（逾期后延期）',
  warningRatio: '预警比例',
  warnAtDay: '预警计时日',
  warnDate: '预警日',
  deadlineDate: '办结时限日',
  dueAt: '截止时刻',
  usedDays: '已用工作日',
  remainingDays: '剩余工作日',
  overdueDays: '逾期工作日',
  pauses: '暂停区间',
  after: '自（不含）',
  through: '至（含）',
  countedDates: '计时日',
  pausedWorkdays: '暂停的工作日',
  holidaysSkipped: '跳过的节假日',
  weekendsSkipped: '跳过的周末',
  makeUpDaysCounted: '计入的调休上班日',
  regionalDays: '地方假日',
  region: '地区',
  predictedHolidays: '推定的节假日（该年尚未公布）',
  name: '名称',
  date: '日期',
  pauseId: '暂停编号',
  reason: '原因',
  pausedAt: '暂停时间',
  resumedAt: '恢复时间',
  pausedDate: '暂停日',
  allowanceDays: '允许天数',
  allowanceSource: '允许天数来源',
  overlongAt: '超时时刻',
  countedDays: '已计天数',
  retroactive: '补录',
  retroactivePause: '补录的暂停',
  pauseWorkdays: '暂停期间的工作日',
  level: '级别',
  escalationId: '督办编号',
  escalatedAt: '督办时间',
  escalatedDate: '督办日',
  respondWithinDays: '回告时限（工作日）',
  respondByDate: '回告截止日',
  respondBy: '回告截止',
  answeredAt: '回告时间',
  score: '评分',
  ratedAt: '评价时间',
  ratedDate: '评价日',
  followUpDays: '整改回访时限（工作日）',
  followUpDueDate: '整改回访截止日',
  followUpDueAt: '整改回访截止',
  followedUpAt: '整改回访时间',
  workdays: '工作日',
  eventType: '事件',
  revision: '版本号',
  occurredAt: '发生时间',
  recordedAt: '记录时间',
  delayHours: '迟录小时数',
  thresholdHours: '迟录阈值（小时）',
  startedAt: '开始',
  clearedAt: '解除',
};

/** A list of an explanation written by its length under a name of its own (labels.js EXPLAIN_COUNT_KEYS). */
export const EXPLAIN_COUNT_KEY_NAMES: Readonly<Record<string, string>> = {
  extensions: '延期次数',
};

/** The one figure of a deadline card never extended (labels.js NOT_EXTENDED). */
export const NOT_EXTENDED_NAME = '未延期';

/** An empty list of an explanation, in place of its length 0 (labels.js EMPTY_LIST). */
export const EMPTY_LIST_NAME = '无';

/** The figures of a complaint's clocks, as the complaint page names them. */
export const COMPLAINT_CLOCK_KEY_NAMES: Readonly<Record<string, string>> = {
  receivedDate: '收到日',
  acceptedDate: '受理日',
  withinDays: '时限（工作日）',
  warnAtDay: '预警计时日',
  warnAt: '预警时刻',
  byDate: '时限日',
  dueAt: '截止时刻',
  decidedAt: '决定时间',
  answeredAt: '答复时间',
  usedDays: '已用工作日',
  remainingDays: '剩余工作日',
  overdueDays: '逾期工作日',
  onTime: '按时',
  startedAt: '亮牌',
  clearedAt: '解除',
};

/** The Chinese name of a code in `table`, or the code itself when the table has none. */
export const nameIn = (table: Readonly<Record<string, string>>, code: string | undefined): string | undefined =>
  code === undefined ? undefined : (table[code] ?? code);
