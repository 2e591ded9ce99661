// 规则版本 (GET /policies): every recorded policy version with its rules, effective date, when it was
// recorded and whether it is in force, pending or superseded — what a card's `policyVersion` resolves
// to. Each version has an anchor (`#policy-<version>`) the case page's version links to.
import { apiJson } from './api.js';
import { KINDS, LEVELS, REASONS, label } from './labels.js';
import { el, fmtInstant, loadConfig } from './format.js';
import { showForbiddenNotice, wireHeader } from './nav.js';

const $ = (id) => document.getElementById(id);
const STATUS = {
  'in-force': ['现行', 'in force'],
  pending: ['待生效', 'pending'],
  superseded: ['已被取代', 'superseded'],
};
const days = (n) => `${n} 个工作日 working days`;
/** A rule with one value per reason, level or kind: a list, one line each. */
const byKey = (table, record, unit) =>
  el(
    'ul',
    { class: 'rule-list' },
    ...Object.entries(record).map(([k, v]) => el('li', { dataset: { key: k } }, `${label(table, k)}: ${unit(v)}`)),
  );
/** The rules in the order of SPEC §3, each with its unit. */
const RULES = [
  [
    'deadlineWarningRatio',
    '临近时限预警比例 Deadline-warning ratio',
    (v) => `${v}（第 ⌈${v} × 承诺天数⌉ 个工作日起黄牌）`,
  ],
  ['pauseWarningRatio', '暂停临期预警比例 Pause-warning ratio', (v) => String(v)],
  ['pauseAllowanceDays', '各类暂停的允许天数 Pause allowance by reason', (v) => byKey(REASONS, v, days)],
  ['respondWithinDays', '督办回告时限 Reply due by level', (v) => byKey(LEVELS, v, days)],
  ['maxExtensionDays', '延期上限 Most extension days by kind', (v) => byKey(KINDS, v, days)],
  ['lateRecordHours', '迟录阈值 Late record after', (v) => `${v} 小时 hours`],
  ['futureToleranceMinutes', '未来时间容差 Future tolerance', (v) => `${v} 分钟 minutes`],
  ['complaintDecideDays', '投诉受理决定时限 Complaint decision', days],
  ['complaintAnswerDays', '投诉答复时限 Complaint answer', days],
  ['badRatingFollowUpDays', '差评整改回访时限 Bad-rating follow-up', days],
];

function rulesList(policy) {
  const known = new Set(RULES.map(([k]) => k));
  const rows = [
    ...RULES.filter(([k]) => policy[k] !== undefined).map(([k, name, text]) => [k, name, text(policy[k])]),
    // A rule this page does not know yet is still shown, as the API gives it.
    ...Object.entries(policy)
      .filter(([k]) => !known.has(k) && k !== 'version')
      .map(([k, v]) => [k, k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
  ];
  return el(
    'dl',
    { class: 'facts' },
    ...rows.map(([key, name, text]) =>
      el(
        'div',
        { dataset: { field: key }, class: text instanceof Node ? 'wide' : undefined },
        el('dt', {}, name),
        el('dd', {}, text),
      ),
    ),
  );
}

/**
 * One publication. A version recorded twice is listed twice (GET /policies lists publications): the
 * anchor `policy-<version>` the case page links to is its latest publication's, the others' carry
 * their number, so no two elements share an id.
 */
function versionSection(v, anchored) {
  return el(
    'section',
    {
      class: 'panel',
      id: anchored ? `policy-${v.version}` : `policy-${v.version}-${v.publication}`,
      dataset: { version: v.version, status: v.status, publication: String(v.publication) },
    },
    el(
      'h2',
      {},
      `${v.version} `,
      el('span', { class: `badge policy-${v.status}` }, label(STATUS, v.status)),
      v.founding ? el('span', { class: 'muted small' }, ' 首个版本（也适用于其生效日前受理的办件）founding') : null,
    ),
    el(
      'p',
      { class: 'muted small' },
      `生效 effective from ${v.effectiveFrom} · 记录于 recorded ${fmtInstant(v.publishedAt)} · 第 ${v.publication} 次发布 publication #${v.publication}`,
    ),
    rulesList(v.policy),
  );
}

/** The configured policy while none is on record: in force for every case, but not in the store. */
function configuredSection(c) {
  return el(
    'section',
    { class: 'panel', id: `policy-${c.version}`, dataset: { version: c.version, status: 'configured' } },
    el(
      'h2',
      {},
      `${c.version} `,
      el('span', { class: 'badge policy-in-force' }, '配置 configured（未入库 not on record）'),
    ),
    rulesList(c.policy),
  );
}

await loadConfig();
wireHeader();
try {
  const book = await apiJson('/policies');
  $('as-of').textContent = `（截至 as of ${fmtInstant(book.asOf)}）`;
  $('now').replaceChildren(
    ...[
      ['inForce', '今日受理的办件适用 A case accepted today', book.inForce],
      ['pending', '待生效 Pending', book.pending.length ? book.pending.join('、') : '无 none'],
    ].map(([key, name, text]) => el('div', { dataset: { field: key } }, el('dt', {}, name), el('dd', {}, text))),
  );
  const anchored = new Set();
  const sections = [...book.versions].reverse().map((v) => {
    const first = !anchored.has(v.version);
    anchored.add(v.version);
    return versionSection(v, first);
  });
  if (book.configured) {
    $('configured-note').hidden = false;
    $('configured-note').textContent =
      `尚无记录的规则版本：所有办件按配置的规则计时（未入库）。 ${book.configured.note}`;
    sections.push(configuredSection(book.configured));
  }
  $('versions').replaceChildren(...sections);
  // Events of policy-CN the engine could not read (it skips them too): said, not hidden.
  if (book.unreadable?.length)
    $('error').textContent = `无法读取的规则事件 Unreadable policy events: ${book.unreadable.join('; ')}`;
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
} catch (e) {
  if (e.status === 403) showForbiddenNotice(e.message);
  else $('error').textContent = e.message;
}
