// Header behaviour shared by every page: the links the token may open, case lookup and sign-out.
import { forgetToken, tokenSession } from './api.js';
import { el } from './format.js';

/**
 * Hide the navigation links whose page needs a permission the token's role lacks (`data-needs`,
 * from src/web/pages.ts; the role's permissions from `GET /session`). Until the answer, and if it
 * fails, every link stays: a page opened anyway tells a token that may not read it so.
 */
async function showLinksTheTokenMayOpen() {
  let permissions;
  try {
    ({ permissions } = await tokenSession());
  } catch {
    return;
  }
  for (const link of document.querySelectorAll('header.site nav a[data-needs]'))
    link.hidden = !permissions.includes(link.dataset.needs);
}

export function wireHeader() {
  void showLinksTheTokenMayOpen();
  const form = document.getElementById('case-jump');
  // An id pasted with spaces around it is the id: drop them before the pattern is checked.
  const input = document.getElementById('case-jump-id');
  input?.addEventListener('input', () => {
    const trimmed = input.value.trim();
    if (trimmed !== input.value) input.value = trimmed;
  });
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = new FormData(form).get('caseId')?.toString().trim();
    if (id) location.assign(`/cases/${encodeURIComponent(id)}`);
  });
  document.getElementById('sign-out')?.addEventListener('click', () => {
    forgetToken();
    location.reload();
  });
}

/**
 * A token whose role may not read this page: the page's content is hidden behind its `#forbidden`
 * notice, with the server's words and "Use another token". Every page refused this way goes through
 * here (the board, the report, the calendar, the lists, the directory, the policies): a page without
 * a notice of its own gets one, first in `main`, naming the page by its navigation link. Only the
 * page's title stays beside it (an `h1` of `main`, or the toolbar holding it), without a list's
 * count; the refusal is said once, in the notice (the error line is emptied). Calling it again
 * changes nothing.
 */
export function showForbiddenNotice(message) {
  const main = document.getElementById('main');
  const notice =
    document.getElementById('forbidden') ??
    main.insertBefore(genericNotice(), titleOf(main)?.nextSibling ?? main.firstChild);
  for (const part of main.children) if (part !== notice && part !== titleOf(main)) part.hidden = true;
  // A list's count beside its title (共 – 件) read as a list still loading: this role has no list.
  for (const count of main.querySelectorAll('.list-count')) count.hidden = true;
  const error = document.getElementById('error');
  if (error) error.textContent = '';
  if (!notice.hidden) return;
  notice.hidden = false;
  document.getElementById('forbidden-detail').textContent = message;
  document.getElementById('forbidden-switch').addEventListener(
    'click',
    () => {
      forgetToken();
      location.reload();
    },
    { once: true },
  );
}

/** The page's title kept above the notice: `main`'s own h1, or the toolbar it sits in (the board's). */
const titleOf = (main) => main.querySelector(':scope > h1, :scope > .toolbar');

/** The notice of a page that has none of its own: named after the page's navigation link. */
function genericNotice() {
  const name =
    document.querySelector('header.site nav a[aria-current="page"]')?.textContent?.trim() || '本页 this page';
  return el(
    'section',
    { id: 'forbidden', class: 'panel notice', hidden: true, 'aria-labelledby': 'forbidden-title' },
    el('h2', { id: 'forbidden-title' }, `此令牌无权查看「${name}」 This token may not open this page`),
    el('p', { class: 'muted', id: 'forbidden-detail' }),
    el('p', {}, el('button', { type: 'button', id: 'forbidden-switch' }, '换一个令牌 Use another token')),
  );
}
