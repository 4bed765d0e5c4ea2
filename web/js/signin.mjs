// signin.mjs - staff sign-in shared by the staff pages: the session (GET /api/v1/session),
// a sign-in form (POST /api/v1/session), signing out, and api() for JSON requests that
// sends the session's CSRF token on every change.

let csrf = null;

// The signed-in staff member ({ user, csrf_token }) or null.
export async function currentSession() {
  const res = await fetch('/api/v1/session', { credentials: 'same-origin' });
  if (res.status !== 200) return null;
  const s = await res.json();
  csrf = s.csrf_token;
  return s;
}

export async function signOut() {
  await api('DELETE', '/api/v1/session');
  csrf = null;
}

// Send @body (or nothing) as JSON; resolves to { status, data } (data: parsed JSON or null).
export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  return { status: res.status, data };
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

// Put a sign-in form into @container; calls @onSignedIn(session) after a good sign-in.
export function mountSignIn(container, onSignedIn) {
  const status = el('p', { class: 'status', role: 'status' });
  const form = el('form', { class: 'fields signin', novalidate: '' },
    el('h2', {}, 'Sign in'),
    el('div', {}, el('label', { for: 'signin-username' }, 'Username'),
      el('input', { id: 'signin-username', name: 'username', autocomplete: 'username', required: '' })),
    el('div', {}, el('label', { for: 'signin-password' }, 'Password'),
      el('input', { id: 'signin-password', name: 'password', type: 'password',
        autocomplete: 'current-password', required: '' })),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = 'Signing in…';
    const { status: code, data } = await api('POST', '/api/v1/session', {
      username: form.username.value, password: form.password.value,
    });
    if (code !== 201) {
      status.textContent = data?.detail || 'Sign-in failed.';
      return;
    }
    csrf = data.csrf_token;
    onSignedIn(data);
  });
  container.replaceChildren(form);
  form.username.focus();
}
