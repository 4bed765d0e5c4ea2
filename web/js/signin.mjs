// signin.mjs - staff sign-in shared by the staff pages: the session (GET /api/v1/session),
// a sign-in form (POST /api/v1/session), signing out, and api() for JSON requests that
// sends the session's CSRF token on every change. The form's sentences are the "signin"
// catalogue, which this module loads itself (a page need not name it).
import { el, request } from './portal.mjs';
import { has, i18nInit, t } from './i18n.mjs';

let csrf = null;

// The "signin" catalogue, loaded once (with the page's own, when the page has called
// i18nInit already).
let texts = null;
function loadTexts() {
  if (!texts) texts = i18nInit(['signin']).catch(() => null);
  return texts;
}

// The signed-in staff member ({ user, csrf_token }) or null.
export async function currentSession() {
  const [res] = await Promise.all([request('GET', '/api/v1/session'), loadTexts()]);
  if (res.status !== 200) return null;
  csrf = res.data.csrf_token;
  return res.data;
}

export async function signOut() {
  await api('DELETE', '/api/v1/session');
  csrf = null;
}

// Send @body (or nothing) as JSON as the signed-in staff member; resolves to
// { status, data } (data: parsed JSON or null), as request() in portal.mjs.
export function api(method, path, body) {
  return request(method, path, { body, csrf });
}

// Put a sign-in form into @container; calls @onSignedIn(session) after a good sign-in.
export function mountSignIn(container, onSignedIn) {
  if (!has('signin.title') && !texts) {
    loadTexts().then(() => mountSignIn(container, onSignedIn));
    return;
  }
  const status = el('p', { class: 'status', role: 'status' });
  const form = el('form', { class: 'fields signin', novalidate: '' },
    el('h2', {}, t('signin.title')),
    el('div', {}, el('label', { for: 'signin-username' }, t('signin.username')),
      el('input', { id: 'signin-username', name: 'username', autocomplete: 'username', required: '' })),
    el('div', {}, el('label', { for: 'signin-password' }, t('signin.password')),
      el('input', { id: 'signin-password', name: 'password', type: 'password',
        autocomplete: 'current-password', required: '' })),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, t('signin.submit'))),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = t('signin.busy');
    const { status: code, data } = await api('POST', '/api/v1/session', {
      username: form.username.value, password: form.password.value,
    });
    if (code !== 201) {
      status.textContent = data?.detail || t('signin.failed');
      return;
    }
    csrf = data.csrf_token;
    onSignedIn(data);
  });
  container.replaceChildren(form);
  form.username.focus();
}
