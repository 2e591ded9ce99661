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
