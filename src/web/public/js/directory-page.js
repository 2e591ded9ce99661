// 机构目录 (GET /directory, PUT /directory): the centers and departments as the pages name them,
// edited row by row and published whole (admin). The version read is sent back, so a publication
// made by someone else in between is refused (409) rather than overwritten; the server names each
// wrong entry (`centers[1].level`).
import { apiFetch, apiJson, tokenSession } from './api.js';
import { addDays, el, fmtInstant, loadConfig, localDate } from './format.js';
import { showForbiddenNotice, wireHeader } from './nav.js';

const $ = (id) => document.getElementById(id);
const LEVELS = {
  city: '市级 city',
  district: '区县 district',
  street: '街道乡镇 street',
  community: '村社区 community',
};
let version = 0;

const input = (field, value, attrs = {}) =>
  el('input', { name: field, value: value ?? '', 'aria-label': field, dataset: { field }, ...attrs });

function removeButton() {
  const b = el('button', { type: 'button', class: 'remove', title: '删除此行 Remove this row' }, '删除 Remove');
  b.addEventListener('click', () => {
    b.closest('tr')?.remove();
    refreshCenterIds();
  });
  return b;
}

function centerRow(c = {}) {
  const level = el(
    'select',
    { name: 'level', 'aria-label': 'level', dataset: { field: 'level' } },
    ...Object.entries(LEVELS).map(([v, text]) => el('option', { value: v }, text)),
  );
  level.value = c.level ?? 'district';
  const id = input('centerId', c.centerId, { required: true });
  id.addEventListener('change', refreshCenterIds);
  return el(
    'tr',
    { dataset: { kind: 'center' } },
    el('td', {}, id),
    el('td', {}, input('name', c.name, { required: true })),
    el('td', {}, level),
    el('td', {}, input('parentId', c.parentId, { list: 'center-ids' })),
    el('td', {}, input('region', c.region)),
    el('td', {}, removeButton()),
  );
}

function departmentRow(d = {}) {
  return el(
    'tr',
    { dataset: { kind: 'department' } },
    el('td', {}, input('departmentId', d.departmentId, { required: true })),
    el('td', {}, input('name', d.name, { required: true })),
    el('td', {}, input('centerId', d.centerId, { list: 'center-ids' })),
    el('td', {}, input('contact', d.contact)),
    el('td', {}, removeButton()),
  );
}

/** The center ids typed so far, offered in the parent and department-center fields. */
function refreshCenterIds() {
  const ids = [...$('centers').querySelectorAll('input[data-field="centerId"]')].map((i) => i.value.trim());
  $('center-ids').replaceChildren(...ids.filter(Boolean).map((id) => el('option', { value: id })));
}

/** A row's fields as the directory takes them: text trimmed, empty optional fields left out. */
function rowValues(tr, required) {
  const out = {};
  for (const f of tr.querySelectorAll('[data-field]')) {
    const value = f.value.trim();
    if (value !== '' || required.includes(f.dataset.field)) out[f.dataset.field] = value;
  }
  return out;
}

function bodyOf() {
  return {
    version,
    centers: [...$('centers').tBodies[0].rows].map((tr) => rowValues(tr, ['centerId', 'name', 'level'])),
    departments: [...$('departments').tBodies[0].rows].map((tr) => rowValues(tr, ['departmentId', 'name'])),
  };
}

function render(d) {
  version = d.version;
  $('directory-version').textContent =
    d.version === 0
      ? '尚未发布 nothing published yet'
      : `版本 version ${d.version} · 发布于 published ${fmtInstant(d.publishedAt)}`;
  $('centers').tBodies[0].replaceChildren(...d.centers.map(centerRow));
  $('departments').tBodies[0].replaceChildren(...d.departments.map(departmentRow));
  refreshCenterIds();
}

async function publish(e) {
  e.preventDefault();
  $('publish-result').textContent = '';
  $('publish-error').textContent = '';
  const res = await apiFetch('/directory', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(bodyOf()),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = answer?.error ?? {};
    const prefix =
      res.status === 403
        ? '权限不足（需管理员令牌）Forbidden (an admin token is needed)'
        : res.status === 409
          ? '他人已先发布，请重新载入页面后再改 Someone published first: reload the page and edit again'
          : '未发布 Not published';
    $('publish-error').replaceChildren(
      `${prefix}: `,
      ...(Array.isArray(error.details) && error.details.length
        ? [
            el(
              'ul',
              {},
              ...error.details.map((x) => el('li', { dataset: { field: x.field } }, `${x.field}: ${x.message}`)),
            ),
          ]
        : [error.message ?? res.statusText]),
    );
    return;
  }
  render(answer);
  await showUnregistered();
  $('publish-result').textContent = answer.unchanged
    ? '与现行目录相同，未记录 Same as the directory in force: nothing recorded'
    : `已发布 Published: 版本 version ${answer.version}`;
}

/**
 * The centers and departments of the last year's figures (GET /stats by center, by department) that
 * the directory lacks, each with a button adding its row. A token that may not read the figures
 * (an auditor's) sees no such list, and asks for none.
 */
async function showUnregistered() {
  // Asked first, so an auditor's page makes no request the server must refuse (two 403s before).
  const permissions = await tokenSession().then(
    (s) => s.permissions,
    () => [],
  );
  if (!permissions.includes('stats:read')) {
    $('unregistered-section').hidden = true;
    return;
  }
  const today = localDate(Date.now());
  const from = addDays(today, -365); // not "the same date a year ago": there is no 2027-02-29
  const period = `from=${from}&to=${addDays(today, 1)}`;
  const [centers, departments] = await Promise.all(
    ['center', 'department'].map((g) => apiJson(`/stats?${period}&groupBy=${g}`).catch(() => undefined)),
  );
  const seen = (stats, kind) =>
    (stats?.groups ?? [])
      .filter((g) => g.registered === false && g.key !== '')
      .map((g) => ({ kind, id: g.key, accepted: g.cohort?.accepted ?? 0 }));
  const items = [...seen(centers, 'center'), ...seen(departments, 'department')].map(({ kind, id, accepted }) => {
    const add = el('button', { type: 'button' }, '加入 Add');
    const item = el(
      'li',
      { dataset: { kind, id } },
      `${kind === 'center' ? '中心 center' : '部门 department'} ${id}（近一年受理 ${accepted} 件 accepted） `,
      add,
    );
    add.addEventListener('click', () => {
      const row = kind === 'center' ? centerRow({ centerId: id }) : departmentRow({ departmentId: id });
      $(kind === 'center' ? 'centers' : 'departments').tBodies[0].append(row);
      refreshCenterIds();
      row.querySelector('[data-field="name"]')?.focus();
      item.remove();
      $('unregistered-section').hidden = $('unregistered').children.length === 0;
    });
    return item;
  });
  $('unregistered').replaceChildren(...items);
  $('unregistered-section').hidden = items.length === 0;
}

await loadConfig();
wireHeader();
$('add-center').addEventListener('click', () => {
  $('centers').tBodies[0].append(centerRow());
  $('centers').tBodies[0].lastElementChild?.querySelector('input')?.focus();
});
$('add-department').addEventListener('click', () => {
  $('departments').tBodies[0].append(departmentRow());
  $('departments').tBodies[0].lastElementChild?.querySelector('input')?.focus();
});
$('directory-form').addEventListener('submit', publish);
try {
  render(await apiJson('/directory'));
  await showUnregistered();
} catch (e) {
  if (e.status === 403) showForbiddenNotice(e.message);
  else $('error').textContent = e.message;
}
