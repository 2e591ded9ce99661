// Authenticated calls to the engine's API. The token is asked for once in a small
// form and kept in sessionStorage for the browser session; a 401 asks again.
import { el } from './format.js';

const TOKEN_KEY = 'supervision.token';
let asking = null;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

function tokenDialog() {
  let dialog = document.getElementById('token-dialog');
  if (dialog) return dialog;
  dialog = el(
    'dialog',
    { id: 'token-dialog', 'aria-labelledby': 'token-title' },
    el(
      'form',
      { method: 'dialog', id: 'token-form' },
      el('h2', { id: 'token-title' }, '登录 Sign in'),
      el('p', { id: 'token-message', class: 'muted' }, '请输入访问令牌 Enter your access token'),
      el('label', { for: 'token-input' }, '访问令牌 Access token'),
      el('input', {
        id: 'token-input',
        name: 'token',
        type: 'password',
        required: true,
        autocomplete: 'off',
        spellcheck: 'false',
      }),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, '确定 Sign in')),
    ),
  );
  // Without a token nothing works: Escape must not close the form.
  dialog.addEventListener('cancel', (e) => e.preventDefault());
  document.body.append(dialog);
  return dialog;
}

/** Shows the token form (once, however many callers wait) and resolves with the token. */
export function askToken(message) {
  if (asking) return asking;
  asking = new Promise((resolve) => {
    const dialog = tokenDialog();
    const form = dialog.querySelector('form');
    const input = dialog.querySelector('input');
    dialog.querySelector('#token-message').textContent = message ?? '请输入访问令牌 Enter your access token';
    input.value = '';
    const onSubmit = (e) => {
      const token = input.value.trim();
      if (!token) {
        e.preventDefault();
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      form.removeEventListener('submit', onSubmit);
      asking = null;
      resolve(token);
    };
    form.addEventListener('submit', onSubmit);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
  return asking;
}

/** fetch() with the bearer token; a 401 forgets the token, asks again and retries. */
export async function apiFetch(path, options = {}) {
  let message;
  for (;;) {
    const token = getToken() ?? (await askToken(message));
    const headers = new Headers(options.headers ?? {});
    headers.set('Authorization', `Bearer ${token}`);
    const res = await fetch(path, { ...options, headers });
    if (res.status !== 401) return res;
    forgetToken();
    message = '令牌无效或已过期，请重新输入 Token rejected — please enter it again';
  }
}

async function errorOf(res) {
  let code = `http-${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = await res.json();
    if (body?.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    }
  } catch {
    /* not JSON */
  }
  // The server's messages are in English (they name the field); the prefix says in Chinese what kind of error it is.
  if (res.status === 400) message = `查询条件有误 Invalid request: ${message}`;
  if (res.status === 403) message = `权限不足 Forbidden: ${message}`;
  if (res.status === 404) message = `未找到 Not found: ${message}`;
  return new ApiError(res.status, code, message);
}

/** GET a JSON resource; throws ApiError naming the server's error otherwise. */
export async function apiJson(path, options = {}) {
  const headers = new Headers(options.headers ?? {});
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  const res = await apiFetch(path, { ...options, headers });
  if (!res.ok) throw await errorOf(res);
  return res.json();
}

/** GET a resource as a Blob (e.g. CSV) with the token. */
export async function apiBlob(path, accept) {
  const res = await apiFetch(path, { headers: { Accept: accept } });
  if (!res.ok) throw await errorOf(res);
  return res.blob();
}

let session;
/**
 * What the page's token may do (`GET /session`: role, permissions), asked once a page load. A page
 * asks it before a request its user may not be allowed, rather than making it and hiding a 403.
 */
export function tokenSession() {
  session ??= apiJson('/session').catch((e) => {
    session = undefined; // asked again next time (a token entered since, the server back)
    throw e;
  });
  return session;
}
