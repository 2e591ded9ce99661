// Header behaviour shared by every page: the links the token may open, case lookup and sign-out.
import { forgetToken, tokenSession } from './api.js';

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
 * A token whose role may not read this page: show the page's `#forbidden` notice with the server's
 * words and "Use another token" (the board and the report hide their own content around it).
 */
export function showForbiddenNotice(message) {
  document.getElementById('forbidden').hidden = false;
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
