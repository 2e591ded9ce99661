// Header behaviour shared by every page: case lookup and sign-out.
import { forgetToken } from './api.js';

export function wireHeader() {
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
