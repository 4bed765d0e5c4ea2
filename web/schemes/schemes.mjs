// schemes.mjs - the administrators' scoring schemes: every scheme and its versions; one
// version read as people read it; two versions compared (web/js/schemediff.mjs); a new
// version published from a file or pasted JSON, applying from a date, with a refusal shown
// at the field of the document it names (a JSON pointer); and the jurisdictions, each moved
// to a scheme from a date (POST /api/v1/jurisdictions/{code}/schemes).
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { el, request } from '/js/portal.mjs';
import { diffSchemes, changeText, showValue } from '/js/schemediff.mjs';
import { schemeBody } from '/js/schemeview.mjs';

const app = document.getElementById('app');
const MAX_DOCUMENT = 1024 * 1024;

function read(path) {
  return request('GET', path, { cache: 'no-cache' });
}

function day(d) {
  if (!d) return 'the beginning';
  const t = new Date(`${d}T00:00:00`);
  return Number.isNaN(t.getTime()) ? d
    : t.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}

function problemText(res, fallback) {
  if (res.status === 401) return 'Your session has ended: sign in again.';
  return res.data?.detail || `${fallback} (the server answered ${res.status}).`;
}

function go(search) {
  history.pushState(null, '', search || location.pathname);
  route();
}

function link(text, search, attrs = {}) {
  const a = el('a', { href: search, ...attrs }, text);
  a.addEventListener('click', (ev) => { ev.preventDefault(); go(search); });
  return a;
}

// The value at JSON pointer @pointer in @doc, or undefined.
export function atPointer(doc, pointer) {
  if (!pointer || pointer[0] !== '/') return undefined;
  let v = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
    v = v[k];
  }
  return v;
}

// ---- the list

async function showHome() {
  const [list, juris] = await Promise.all([read('/api/v1/schemes'), read('/api/v1/jurisdictions')]);
  if (list.status !== 200) {
    app.replaceChildren(el('p', { role: 'alert' }, problemText(list, 'The schemes cannot be read')));
    return;
  }
  const versions = await Promise.all(list.data.schemes.map((s) =>
    read(`/api/v1/schemes/${encodeURIComponent(s.code)}/versions`)));
  const rows = list.data.schemes.map((s, i) => {
    const vs = versions[i].status === 200 ? versions[i].data.versions : [];
    return el('tr', { 'data-scheme': s.code },
      el('th', { scope: 'row' }, s.name, el('br'), el('span', { class: 'muted' }, s.code)),
      el('td', {}, s.jurisdiction),
      el('td', {}, el('ul', { class: 'versions' }, vs.map((v) => el('li', {},
        link(`Version ${v.version}`, `?scheme=${encodeURIComponent(s.code)}&version=${v.version}`),
        ` from ${day(v.applies_from)}${v.in_force ? ' (in force)' : ''}`)))),
      el('td', {}, vs.length > 1 ? compareForm(s, vs) : ''));
  });
  app.replaceChildren(
    el('section', { 'aria-labelledby': 'list-h' },
      el('h2', { id: 'list-h' }, 'Schemes and their versions'),
      el('table', { id: 'scheme-list' },
        el('thead', {}, el('tr', {}, ['Scheme', 'Jurisdiction', 'Versions', ''].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, rows))),
    publishForm(),
    juris.status === 200 ? assignForm(juris.data.jurisdictions, list.data.schemes) : '');
}

// Two versions of scheme @s to compare (the last two at first).
function compareForm(s, vs) {
  const pick = (id, label, chosen) => {
    const sel = el('select', { id }, vs.map((v) => el('option', { value: v.version, selected: v.version === chosen || null }, `Version ${v.version}`)));
    return [el('label', { for: id }, label), sel];
  };
  const [la, a] = pick(`cmp-${s.code}-a`, 'Compare', vs[vs.length - 2].version);
  const [lb, b] = pick(`cmp-${s.code}-b`, 'with', vs[vs.length - 1].version);
  const form = el('form', { class: 'compare', 'data-scheme': s.code }, la, a, lb, b,
    el('button', { type: 'submit', class: 'secondary' }, 'Compare'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`?scheme=${encodeURIComponent(s.code)}&compare=${a.value}..${b.value}`);
  });
  return form;
}

// ---- publishing

function publishForm() {
  const alertEl = el('p', { class: 'form-alert', role: 'alert', tabindex: '-1', id: 'publish-alert' });
  const file = el('input', { type: 'file', id: 'publish-file', accept: 'application/json,.json' });
  const text = el('textarea', { id: 'publish-json', class: 'scheme-json', spellcheck: 'false',
    'aria-describedby': 'publish-json-help publish-json-error' });
  const from = el('input', { type: 'date', id: 'publish-from', 'aria-describedby': 'publish-from-error' });
  const errJson = el('div', { class: 'field-error', id: 'publish-json-error' });
  const errFrom = el('p', { class: 'field-error', id: 'publish-from-error' });
  const result = el('p', { class: 'status', role: 'status', id: 'publish-status' });
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    if (f.size > MAX_DOCUMENT) {
      errJson.textContent = 'The file is larger than a scheme document may be (1 MB).';
      return;
    }
    text.value = await f.text();
  });
  const form = el('form', { id: 'publish', class: 'fields', novalidate: true },
    el('h2', { class: 'field-wide' }, 'Publish a new version'),
    el('div', { class: 'field-wide' }, el('label', { for: 'publish-file' }, 'A scheme document (JSON file)'), file),
    el('div', { class: 'field-wide' }, el('label', { for: 'publish-json' }, 'or the document, pasted'), text,
      el('p', { class: 'muted', id: 'publish-json-help' }, 'The format is in docs/schemes.md. A document the latest version already holds publishes nothing.'),
      errJson),
    el('div', {}, el('label', { for: 'publish-from' }, 'Applies to visits from'), from,
      el('p', { class: 'muted' }, 'Empty: a first version from the beginning, a later one from today.'), errFrom),
    el('div', { class: 'field-wide' }, el('button', { type: 'submit', class: 'primary' }, 'Publish')),
    alertEl, result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errJson.replaceChildren();
    errFrom.textContent = '';
    alertEl.textContent = '';
    result.textContent = '';
    text.removeAttribute('aria-invalid');
    from.removeAttribute('aria-invalid');
    let doc;
    if (!text.value.trim()) {
      errJson.textContent = 'Choose a scheme document (a JSON file) or paste one.';
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    try {
      doc = JSON.parse(text.value);
    } catch (e) {
      errJson.textContent = `This is not JSON: ${e.message}`;
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    const q = from.value ? `?applies_from=${encodeURIComponent(from.value)}` : '';
    result.textContent = 'Publishing…';
    const res = await api('POST', `/api/v1/schemes${q}`, text.value);
    result.textContent = '';
    if (res.status === 201 || res.status === 200) {
      result.textContent = res.data.created
        ? `Published ${res.data.code} version ${res.data.version}.`
        : `${res.data.code} version ${res.data.version} already holds this scheme: nothing published.`;
      setTimeout(() => go(`?scheme=${encodeURIComponent(res.data.code)}&version=${res.data.version}&published=${res.data.created ? 1 : 0}`), 0);
      return;
    }
    if (res.status === 401) { expired(); return; }
    const field = res.data?.field;
    const detail = problemText(res, 'The document was refused');
    if (field === 'applies_from') {
      errFrom.textContent = detail;
      from.setAttribute('aria-invalid', 'true');
      from.focus();
    } else if (field) {
      const value = atPointer(doc, field);
      errJson.replaceChildren(el('strong', { class: 'pointer' }, field), `: ${detail}`,
        value !== undefined ? el('span', { class: 'muted' }, ` (the document has ${JSON.stringify(value).slice(0, 200)})`) : '');
      text.setAttribute('aria-invalid', 'true');
      text.focus();
    } else {
      alertEl.textContent = detail;
      alertEl.focus();
    }
  });
  return form;
}

// ---- moving a jurisdiction to a scheme

function assignForm(jurisdictions, schemes) {
  const alertEl = el('p', { class: 'form-alert', role: 'alert', tabindex: '-1', id: 'assign-alert' });
  const j = el('select', { id: 'assign-jurisdiction' },
    jurisdictions.map((x) => el('option', { value: x.code }, `${x.name} (${x.code}), now on ${x.scheme}`)));
  const s = el('select', { id: 'assign-scheme', 'data-pointer': '/scheme', 'aria-describedby': 'assign-scheme-error' },
    schemes.map((x) => el('option', { value: x.code }, `${x.name} (${x.code})`)));
  const from = el('input', { type: 'date', id: 'assign-from', 'data-pointer': '/applies_from', required: true,
    'aria-describedby': 'assign-from-help assign-from-error' });
  const past = el('div', { id: 'assign-history' });
  const status = el('p', { class: 'status', role: 'status', id: 'assign-status' });
  const showHistory = async () => {
    const res = await read(`/api/v1/jurisdictions/${encodeURIComponent(j.value)}/schemes`);
    if (res.status !== 200) { past.replaceChildren(); return; }
    const d = res.data;
    past.replaceChildren(el('ul', {},
      el('li', {}, `${d.initial_scheme} from the beginning`),
      d.assignments.map((a) => el('li', {}, `${a.scheme} from ${day(a.applies_from)}`))),
    el('p', { class: 'muted' }, `In force today: ${d.scheme} (time zone ${d.timezone}).`));
  };
  j.addEventListener('change', showHistory);
  const form = el('form', { id: 'assign', class: 'fields', novalidate: true },
    el('h2', { class: 'field-wide' }, 'Move a jurisdiction to a scheme'),
    el('div', {}, el('label', { for: 'assign-jurisdiction' }, 'Jurisdiction'), j),
    el('div', {}, el('label', { for: 'assign-scheme' }, 'Scheme'), s,
      el('p', { class: 'field-error', id: 'assign-scheme-error' })),
    el('div', {}, el('label', { for: 'assign-from' }, 'From the visits of'), from,
      el('p', { class: 'muted', id: 'assign-from-help' }, 'In the jurisdiction\'s time zone; after every submitted visit there. A move is public and never undone: a later move replaces it from its own date.'),
      el('p', { class: 'field-error', id: 'assign-from-error' })),
    el('div', { class: 'field-wide' }, past),
    el('div', { class: 'field-wide' }, el('button', { type: 'submit', class: 'primary' }, 'Move')),
    alertEl, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
    for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
    alertEl.textContent = '';
    if (!from.value) {
      // An empty (or half-typed) date: said in words, not as the API's YYYY-MM-DD.
      from.setAttribute('aria-invalid', 'true');
      form.querySelector('#assign-from-error').textContent = 'Choose the first day of the visits graded under this scheme.';
      from.focus();
      return;
    }
    const res = await api('POST', `/api/v1/jurisdictions/${encodeURIComponent(j.value)}/schemes`,
      { scheme: s.value, applies_from: from.value });
    if (res.status === 201) {
      status.textContent = `${j.value} moves to ${s.value} from ${day(from.value)}.`;
      showHistory();
      return;
    }
    if (res.status === 401) { expired(); return; }
    const detail = problemText(res, 'The move was refused');
    const control = res.data?.field && form.querySelector(`[data-pointer="${CSS.escape(res.data.field)}"]`);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      form.querySelector(`#${control.id === 'assign-from' ? 'assign-from' : 'assign-scheme'}-error`).textContent = detail;
      control.focus();
    } else {
      alertEl.textContent = detail;
      alertEl.focus();
    }
  });
  showHistory();
  return form;
}

// ---- one version, two versions compared

async function showVersion(code, n) {
  const res = await read(`/api/v1/schemes/${encodeURIComponent(code)}/versions/${n}`);
  if (res.status !== 200) {
    app.replaceChildren(link('All schemes', '?'), el('p', { role: 'alert' }, problemText(res, 'This version cannot be read')));
    return;
  }
  const s = res.data;
  const published = new URLSearchParams(location.search).get('published');
  app.replaceChildren(
    el('p', {}, link('All schemes', '?')),
    published === '1' ? el('p', { class: 'notice notice-good', role: 'status', id: 'published' }, `Published: ${s.code} version ${s.version}.`) : '',
    published === '0' ? el('p', { class: 'notice', role: 'status', id: 'published' },
      `Nothing published: version ${s.version} of ${s.code} already holds this document.`) : '',
    el('h2', { id: 'version-h' }, `${s.name}, version ${s.version}`),
    el('p', { class: 'muted' }, `${s.jurisdiction} · ${s.kind}`),
    s.version > 1 ? el('p', {}, link(`Compare with version ${s.version - 1}`, `?scheme=${encodeURIComponent(code)}&compare=${s.version - 1}..${s.version}`)) : '',
    ...schemeBody(s, 'admin-scale'));
}

function changesList(title, id, part, key, describe) {
  const items = [
    ...part.added.map((x) => el('li', { class: 'diff-added' }, `Added ${x[key]}: ${describe(x)}`)),
    ...part.removed.map((x) => el('li', { class: 'diff-removed' }, `Removed ${x[key]}: ${describe(x)}`)),
    ...part.changed.map((c) => el('li', {}, `${c.key}: ${c.changes.map(changeText).join('; ')}`)),
  ];
  if (part.reordered) items.push(el('li', {}, 'The order of the bands changed.'));
  return el('section', { id, 'aria-labelledby': `${id}-h` }, el('h3', { id: `${id}-h` }, title),
    items.length ? el('ul', {}, items) : el('p', { class: 'muted' }, 'No change.'));
}

async function showCompare(code, a, b) {
  const [x, y] = await Promise.all([a, b].map((n) => read(`/api/v1/schemes/${encodeURIComponent(code)}/versions/${n}`)));
  if (x.status !== 200 || y.status !== 200) {
    app.replaceChildren(link('All schemes', '?'), el('p', { role: 'alert' }, problemText(x.status !== 200 ? x : y, 'A version cannot be read')));
    return;
  }
  const d = diffSchemes(x.data, y.data);
  const band = (b) => `${b.label}, ${b.min}–${showValue(b.max)}, ${b.meaning}`;
  const code2 = (v) => `${v.description} (${v.category}, ${v.min_points === v.max_points ? v.min_points : `${v.min_points}–${v.max_points}`} points)`;
  app.replaceChildren(
    el('p', {}, link('All schemes', '?')),
    el('h2', { id: 'compare-h' }, `${y.data.name}: version ${a} and version ${b} compared`),
    d.same ? el('p', { class: 'notice', id: 'diff-same' }, 'The two versions grade the same way: nothing changed.') : '',
    d.scheme.length ? el('section', { id: 'diff-scheme' }, el('h3', {}, 'The scheme'), el('ul', {}, d.scheme.map((c) => el('li', {}, changeText(c))))) : '',
    changesList('Bands', 'diff-bands', d.bands, 'code', band),
    y.data.elements || x.data.elements ? changesList('Elements', 'diff-elements', d.elements, 'name', (e) => e.description) : '',
    changesList(`Codes (${x.data.violations.length} → ${y.data.violations.length})`, 'diff-codes', d.violations, 'code', code2),
    el('section', { id: 'diff-rules', 'aria-labelledby': 'diff-rules-h' }, el('h3', { id: 'diff-rules-h' }, 'Rules'),
      d.rules.length ? el('ul', {}, d.rules.map((c) => el('li', {}, changeText(c)))) : el('p', { class: 'muted' }, 'No change.')));
}

// ---- signing in and routing

function expired() {
  document.getElementById('who').replaceChildren();
  mountSignIn(app, start);
  app.prepend(el('p', { class: 'notice notice-warn', role: 'alert', id: 'session-ended' },
    'Your session has ended: sign in again.'));
}

function route() {
  const q = new URLSearchParams(location.search);
  const code = q.get('scheme');
  const cmp = /^(\d+)\.\.(\d+)$/.exec(q.get('compare') || '');
  const n = Number(q.get('version'));
  if (code && cmp) showCompare(code, Number(cmp[1]), Number(cmp[2]));
  else if (code && Number.isInteger(n) && n > 0) showVersion(code, n);
  else showHome();
}

async function start(session) {
  const who = document.getElementById('who');
  const out = el('button', { type: 'button', class: 'secondary' }, 'Sign out');
  out.addEventListener('click', async () => {
    await signOut();
    who.replaceChildren();
    mountSignIn(app, start);
  });
  who.replaceChildren(`${session.user.display_name} `, out);
  if (session.user.role !== 'admin') {
    app.replaceChildren(el('div', { class: 'notice notice-bad', role: 'alert', id: 'refused' },
      el('p', {}, 'Scoring schemes are published by administrators. You are signed in as ',
        el('strong', {}, session.user.role.replace('_', ' ')), '.')));
    return;
  }
  route();
}

window.addEventListener('popstate', () => { if (document.getElementById('who').children.length) route(); });

const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
