// Renders a card's `explain` (why, in numbers) as readable text, whatever its
// exact shape: strings become sentences, numbers and instants are formatted,
// objects become labelled lists.
import { el, fmtInstant } from './format.js';

const NAMES = {
  rule: '规则 rule',
  color: '颜色 colour',
  summary: '说明 summary',
  formula: '算式 formula',
  promisedDays: '承诺天数 promised days',
  legalDays: '法定天数 legal days',
  usedDays: '已用 used days',
  remainingDays: '剩余 remaining days',
  overdueDays: '逾期 overdue days',
  countedDays: '计入天数 counted days',
  allowanceDays: '允许天数 allowance',
  declaredDays: '书面告知天数 declared days',
  threshold: '阈值 threshold',
  thresholdDay: '预警日 warning day',
  ratio: '比例 ratio',
  warnRatio: '预警比例 warning ratio',
  acceptedAt: '受理 accepted',
  acceptedDate: '受理日 accepted date',
  deadlineDate: '时限日 deadline date',
  dueAt: '截止 due at',
  startedAt: '开始 started',
  clearedAt: '解除 cleared',
  pausedAt: '暂停 paused',
  resumedAt: '恢复 resumed',
  pausedDays: '暂停天数 paused days',
  respondWithinDays: '回复时限 respond within',
  respondBy: '回复截止 respond by',
  escalatedAt: '督办时间 escalated',
  occurredAt: '发生 occurred',
  recordedAt: '记录 recorded',
  delayHours: '延迟小时 delay hours',
  lateByHours: '迟录小时 hours late',
  calendarVersion: '日历版本 calendar',
  policyVersion: '规则版本 policy',
  reason: '原因 reason',
  pauseId: '暂停编号 pause',
  level: '级别 level',
  nthDay: '第 n 个计时日 n-th counted day',
  workdays: '工作日 working days',
  warningRatio: '预警比例 warning ratio',
  warnAtDay: '预警计时日 warning counted day',
  warnDate: '预警日 warning date',
  countedDates: '计时日 counted dates',
  pausedWorkdays: '暂停的工作日 paused working days',
  holidaysSkipped: '跳过的节假日 holidays skipped',
  weekendsSkipped: '跳过的周末 weekends skipped',
  makeUpDaysCounted: '计入的调休上班日 make-up days counted',
  regionalDays: '地方假日 regional days',
  asOf: '查看时点 as of',
  after: '自（不含）after',
  through: '至 through',
  pauses: '暂停区间 pauses',
  eventType: '事件 event',
  revision: '版本 revision',
  retroactivePause: '补录暂停 retroactive pause',
  holidays: '节假日 holidays',
  makeupDays: '调休上班 make-up days',
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function nameOf(key) {
  return NAMES[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2');
}

function value(v, depth) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return ISO_INSTANT.test(v) ? fmtInstant(v) : v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
  if (typeof v === 'boolean') return v ? '是 yes' : '否 no';
  if (Array.isArray(v)) {
    if (v.length === 0) return '无 none';
    if (v.every((x) => typeof x !== 'object' || x === null)) {
      const text = v.map((x) => value(x, depth)).join('、');
      // Long date lists fold away; the count is what one reads first.
      return v.length <= 8
        ? `${text}（${v.length}）`
        : el('details', {}, el('summary', {}, `${v.length} 天 days`), text);
    }
    return el(
      'ol',
      {},
      v.map((x) => el('li', {}, value(x, depth + 1))),
    );
  }
  if (depth > 4) return JSON.stringify(v);
  return fields(v, depth + 1);
}

function fields(obj, depth) {
  const dl = el('dl');
  for (const [k, v] of Object.entries(obj)) {
    if (['summary', 'text', 'message'].includes(k) && typeof v === 'string') continue;
    dl.append(el('dt', {}, nameOf(k)), el('dd', {}, value(v, depth)));
  }
  return dl;
}

/** A node explaining a card; null when the card carries no explanation. */
export function renderExplain(explain) {
  if (explain === undefined || explain === null) return null;
  const box = el('div', { class: 'explain' });
  if (typeof explain !== 'object' || Array.isArray(explain)) {
    box.append(el('p', { class: 'summary' }, value(explain, 0)));
    return box;
  }
  for (const k of ['summary', 'text', 'message']) {
    if (typeof explain[k] === 'string') box.append(el('p', { class: 'summary' }, explain[k]));
  }
  box.append(fields(explain, 0));
  return box;
}
