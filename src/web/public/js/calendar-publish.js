// The calendar page's form (admin): PUT /calendar/{year} with the notice's holidays and make-up days.
// The server checks the notice (every holiday the law fixes listed, make-up days on weekends) and
// names each wrong field; the answer says what changed (days added, removed) and the new version.
import { apiFetch } from './api.js';

const $ = (id) => document.getElementById(id);

/** Dates from a textarea: one a line, or separated by commas or spaces; blanks dropped. */
export const datesOf = (text) =>
  text
    .split(/[\s,，、]+/)
    .map((d) => d.trim())
    .filter((d) => d !== '');

function changesText(c) {
  const part = (label, list) => (list?.length ? `${label} ${list.join(', ')}` : '');
  const said = [
    part('新增节假日 holidays added', c.holidaysAdded),
    part('取消节假日 holidays removed', c.holidaysRemoved),
    part('新增调休 make-up days added', c.workdaysAdded),
    part('取消调休 make-up days removed', c.workdaysRemoved),
  ].filter((s) => s !== '');
  return said.length ? said.join('；') : '与原日历相同 no day changed';
}

export function wirePublishForm(year, reload) {
  $('publish-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('publish-result').textContent = '';
    $('publish-error').textContent = '';
    const note = $('publish-note').value.trim();
    const body = {
      holidays: datesOf($('publish-holidays').value),
      workdays: datesOf($('publish-workdays').value),
      ...(note ? { note } : {}),
    };
    const res = await apiFetch(`/calendar/${year}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = answer?.error ?? {};
      const prefix =
        res.status === 403 ? '权限不足（需管理员令牌）Forbidden (an admin token is needed)' : '未发布 Not published';
      $('publish-error').textContent = `${prefix}: ${error.message ?? res.statusText}`;
      return;
    }
    // The notice in force sent again (e.g. a second click): the server records nothing and says so.
    $('publish-result').textContent = answer.unchanged
      ? `未重复记录 Not recorded again: ${year} 年现行通知已是这些日期（日历版本 version ${answer.version}） the notice in force already has these days`
      : `已发布 Published: ${year} 日历版本 version ${answer.version}；${changesText(answer.changes ?? {})}`;
    await reload();
  });
}
