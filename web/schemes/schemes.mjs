// schemes.mjs - the administrators' scoring schemes: every scheme and its versions; one
// version read as people read it; two versions compared (web/js/schemediff.mjs); a new
// version published from a file or pasted JSON, applying from a date, with a refusal shown
// at the field of the document it names (a JSON pointer); and the jurisdictions, each moved
// to a scheme from a date (POST /api/v1/jurisdictions/{code}/schemes).
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { el, request } from '/js/portal.mjs';
import { i18nInit, t, tParts, formatDay, wording } from '/js/i18n.mjs';
import { diffSchemes, changeText, showValue, codeName } from '/js/schemediff.mjs';
import { schemeBody } from '/js/schemeview.mjs';

const app = document.getElementById('app');
const MAX_DOCUMENT = 1024 * 1024;

function read(path) {
  return request('GET', path, { cache: 'no-cache' });
}

function day(d) {
  return formatDay(d);
}

// The server's words for a refused request, else the sentence @fallback (a key whose
// message takes {status}).
function problemText(res, fallback) {
  if (res.status === 401) return t('schemes.session_ended');
  return res.data?.detail || t(fallback, { status: res.status });
}

// A staff role in words ("hearing officer").
function roleName(role) {
  return ['inspector', 'clerk', 'supervisor', 'hearing_officer', 'admin'].includes(role)
    ? t(`schemes.role.${role}`) : role.replace('_', ' ');
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
    app.replaceChildren(el('p', { role: 'alert' }, problemText(list, 'schemes.error.list')));
    return;
  }
  const versions = await Promise.all(list.data.schemes.map((s) =>
    read(`/api/v1/schemes/${encodeURIComponent(s.code)}/versions`)));
  const rows = list.data.schemes.map((s, i) => {
    const vs = versions[i].status === 200 ? versions[i].data.versions : [];
    return el('tr', { 'data-scheme': s.code },
      el('th', { scope: 'row' }, wording(s.name), el('br'), el('span', { class: 'muted', translate: 'no' }, s.code)),
      el('td', { translate: 'no' }, s.jurisdiction),
      el('td', {}, el('ul', { class: 'versions' }, vs.map((v) => el('li', {},
        tParts('schemes.list.version_from', {
          version: link(t('schemes.list.version', { n: v.version }), `?scheme=${encodeURIComponent(s.code)}&version=${v.version}`),
          begins: v.applies_from ? 'no' : 'yes', current: v.in_force ? 'yes' : 'no',
          date: v.applies_from ? el('time', { datetime: v.applies_from, translate: 'no' }, day(v.applies_from)) : '',
        }))))),
      el('td', {}, vs.length > 1 ? compareForm(s, vs) : ''));
  });
  app.replaceChildren(
    el('section', { 'aria-labelledby': 'list-h' },
      el('h2', { id: 'list-h' }, t('schemes.list.heading')),
      el('table', { id: 'scheme-list' },
        el('thead', {}, el('tr', {}, ['scheme', 'jurisdiction', 'versions', null]
          .map((h) => el('th', { scope: 'col' }, h ? t(`schemes.list.col.${h}`) : '')))),
        el('tbody', {}, rows))),
    publishForm(),
    juris.status === 200 ? assignForm(juris.data.jurisdictions, list.data.schemes) : '');
}

// Two versions of scheme @s to compare (the last two at first).
function compareForm(s, vs) {
  const pick = (id, label, chosen) => {
    const sel = el('select', { id }, vs.map((v) => el('option', { value: v.version, selected: v.version === chosen || null }, t('schemes.list.version', { n: v.version }))));
    return [el('label', { for: id }, label), sel];
  };
  const [la, a] = pick(`cmp-${s.code}-a`, t('schemes.compare.first'), vs[vs.length - 2].version);
  const [lb, b] = pick(`cmp-${s.code}-b`, t('schemes.compare.second'), vs[vs.length - 1].version);
  const form = el('form', { class: 'compare', 'data-scheme': s.code }, la, a, lb, b,
    el('button', { type: 'submit', class: 'secondary' }, t('schemes.compare.button')));
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
      errJson.textContent = t('schemes.publish.too_large');
      return;
    }
    text.value = await f.text();
  });
  const form = el('form', { id: 'publish', class: 'fields', novalidate: true },
    el('h2', { class: 'field-wide' }, t('schemes.publish.heading')),
    el('div', { class: 'field-wide' }, el('label', { for: 'publish-file' }, t('schemes.publish.file')), file),
    el('div', { class: 'field-wide' }, el('label', { for: 'publish-json' }, t('schemes.publish.pasted')), text,
      el('p', { class: 'muted', id: 'publish-json-help' }, t('schemes.publish.help')),
      errJson),
    el('div', {}, el('label', { for: 'publish-from' }, t('schemes.publish.from')), from,
      el('p', { class: 'muted' }, t('schemes.publish.from_help')), errFrom),
    el('div', { class: 'field-wide' }, el('button', { type: 'submit', class: 'primary' }, t('schemes.publish.button'))),
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
      errJson.textContent = t('schemes.publish.empty');
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    try {
      doc = JSON.parse(text.value);
    } catch (e) {
      errJson.textContent = t('schemes.publish.not_json', { error: e.message });
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    const q = from.value ? `?applies_from=${encodeURIComponent(from.value)}` : '';
    result.textContent = t('schemes.publish.working');
    const res = await api('POST', `/api/v1/schemes${q}`, text.value);
    result.textContent = '';
    if (res.status === 201 || res.status === 200) {
      result.textContent = res.data.created
        ? t('schemes.publish.done', { code: res.data.code, version: res.data.version })
        : t('schemes.publish.same', { code: res.data.code, version: res.data.version });
      setTimeout(() => go(`?scheme=${encodeURIComponent(res.data.code)}&version=${res.data.version}&published=${res.data.created ? 1 : 0}`), 0);
      return;
    }
    if (res.status === 401) { expired(); return; }
    const field = res.data?.field;
    const detail = problemText(res, 'schemes.error.publish');
    if (field === 'applies_from') {
      errFrom.textContent = detail;
      from.setAttribute('aria-invalid', 'true');
      from.focus();
    } else if (field) {
      const value = atPointer(doc, field);
      errJson.replaceChildren(el('strong', { class: 'pointer', translate: 'no' }, field), t('schemes.publish.refused_at', { detail }),
        ...(value !== undefined ? [' ', el('span', { class: 'muted' }, t('schemes.publish.document_has', { value: JSON.stringify(value).slice(0, 200) }))] : []));
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
    jurisdictions.map((x) => el('option', { value: x.code }, t('schemes.assign.jurisdiction_option', { name: x.name, code: x.code, scheme: x.scheme }))));
  const s = el('select', { id: 'assign-scheme', 'data-pointer': '/scheme', 'aria-describedby': 'assign-scheme-error' },
    schemes.map((x) => el('option', { value: x.code }, t('schemes.assign.scheme_option', { name: wording(x.name), code: x.code }))));
  const from = el('input', { type: 'date', id: 'assign-from', 'data-pointer': '/applies_from', required: true,
    'aria-describedby': 'assign-from-help assign-from-error' });
  const past = el('div', { id: 'assign-history' });
  const status = el('p', { class: 'status', role: 'status', id: 'assign-status' });
  const showHistory = async () => {
    const res = await read(`/api/v1/jurisdictions/${encodeURIComponent(j.value)}/schemes`);
    if (res.status !== 200) { past.replaceChildren(); return; }
    const d = res.data;
    past.replaceChildren(el('ul', {},
      el('li', {}, t('schemes.assign.initial', { scheme: d.initial_scheme })),
      d.assignments.map((a) => el('li', {}, t('schemes.assign.from', { scheme: a.scheme, date: day(a.applies_from) })))),
    el('p', { class: 'muted' }, t('schemes.assign.today', { scheme: d.scheme, timezone: d.timezone })));
  };
  j.addEventListener('change', showHistory);
  const form = el('form', { id: 'assign', class: 'fields', novalidate: true },
    el('h2', { class: 'field-wide' }, t('schemes.assign.heading')),
    el('div', {}, el('label', { for: 'assign-jurisdiction' }, t('schemes.assign.jurisdiction')), j),
    el('div', {}, el('label', { for: 'assign-scheme' }, t('schemes.assign.scheme')), s,
      el('p', { class: 'field-error', id: 'assign-scheme-error' })),
    el('div', {}, el('label', { for: 'assign-from' }, t('schemes.assign.date')), from,
      el('p', { class: 'muted', id: 'assign-from-help' }, t('schemes.assign.date_help')),
      el('p', { class: 'field-error', id: 'assign-from-error' })),
    el('div', { class: 'field-wide' }, past),
    el('div', { class: 'field-wide' }, el('button', { type: 'submit', class: 'primary' }, t('schemes.assign.button'))),
    alertEl, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
    for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
    alertEl.textContent = '';
    if (!from.value) {
      // An empty (or half-typed) date: said in words, not as the API's YYYY-MM-DD.
      from.setAttribute('aria-invalid', 'true');
      form.querySelector('#assign-from-error').textContent = t('schemes.assign.date_missing');
      from.focus();
      return;
    }
    const res = await api('POST', `/api/v1/jurisdictions/${encodeURIComponent(j.value)}/schemes`,
      { scheme: s.value, applies_from: from.value });
    if (res.status === 201) {
      status.textContent = t('schemes.assign.done', { jurisdiction: j.value, scheme: s.value, date: day(from.value) });
      showHistory();
      return;
    }
    if (res.status === 401) { expired(); return; }
    const detail = problemText(res, 'schemes.error.assign');
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
    app.replaceChildren(link(t('schemes.all'), '?'), el('p', { role: 'alert' }, problemText(res, 'schemes.error.version')));
    return;
  }
  const s = res.data;
  const published = new URLSearchParams(location.search).get('published');
  app.replaceChildren(
    el('p', {}, link(t('schemes.all'), '?')),
    published === '1' ? el('p', { class: 'notice notice-good', role: 'status', id: 'published' }, t('schemes.version.published', { code: s.code, version: s.version })) : '',
    published === '0' ? el('p', { class: 'notice', role: 'status', id: 'published' },
      t('schemes.version.unchanged', { code: s.code, version: s.version })) : '',
    el('h2', { id: 'version-h' }, t('schemes.version.heading', { name: wording(s.name), version: s.version })),
    el('p', { class: 'muted' }, tParts('schemes.version.kind', { jurisdiction: el('span', { translate: 'no' }, s.jurisdiction), kind: codeName(s.kind) })),
    s.version > 1 ? el('p', {}, link(t('schemes.version.compare', { n: s.version - 1 }), `?scheme=${encodeURIComponent(code)}&compare=${s.version - 1}..${s.version}`)) : '',
    ...schemeBody(s, 'admin-scale'));
}

function changesList(title, id, part, key, describe, keyName = (k) => k) {
  const items = [
    ...part.added.map((x) => el('li', { class: 'diff-added' }, t('schemes.diff.added', { key: keyName(x[key]), what: describe(x) }))),
    ...part.removed.map((x) => el('li', { class: 'diff-removed' }, t('schemes.diff.removed', { key: keyName(x[key]), what: describe(x) }))),
    ...part.changed.map((c) => el('li', {}, t('schemes.diff.changed', { key: keyName(c.key), changes: c.changes.map(changeText).join(t('schemes.diff.separator')) }))),
  ];
  if (part.reordered) items.push(el('li', {}, t('schemes.diff.reordered')));
  return el('section', { id, 'aria-labelledby': `${id}-h` }, el('h3', { id: `${id}-h` }, title),
    items.length ? el('ul', {}, items) : el('p', { class: 'muted' }, t('schemes.diff.none')));
}

async function showCompare(code, a, b) {
  const [x, y] = await Promise.all([a, b].map((n) => read(`/api/v1/schemes/${encodeURIComponent(code)}/versions/${n}`)));
  if (x.status !== 200 || y.status !== 200) {
    app.replaceChildren(link(t('schemes.all'), '?'), el('p', { role: 'alert' }, problemText(x.status !== 200 ? x : y, 'schemes.error.versions')));
    return;
  }
  const d = diffSchemes(x.data, y.data);
  const band = (b) => t('schemes.diff.band', { label: wording(b.label), min: b.min, max: showValue(b.max), meaning: wording(b.meaning) });
  const code2 = (v) => t('schemes.diff.code', {
    description: wording(v.description), category: codeName(v.category),
    points: v.min_points === v.max_points ? String(v.min_points) : `${v.min_points}–${v.max_points}`,
  });
  app.replaceChildren(
    el('p', {}, link(t('schemes.all'), '?')),
    el('h2', { id: 'compare-h' }, t('schemes.diff.heading', { name: wording(y.data.name), a, b })),
    d.same ? el('p', { class: 'notice', id: 'diff-same' }, t('schemes.diff.same')) : '',
    d.scheme.length ? el('section', { id: 'diff-scheme' }, el('h3', {}, t('schemes.diff.scheme')), el('ul', {}, d.scheme.map((c) => el('li', {}, changeText(c))))) : '',
    changesList(t('schemes.diff.bands'), 'diff-bands', d.bands, 'code', band),
    y.data.elements || x.data.elements ? changesList(t('schemes.diff.elements'), 'diff-elements', d.elements, 'name', (e) => wording(e.description), wording) : '',
    changesList(t('schemes.diff.codes', { from: x.data.violations.length, to: y.data.violations.length }), 'diff-codes', d.violations, 'code', code2),
    el('section', { id: 'diff-rules', 'aria-labelledby': 'diff-rules-h' }, el('h3', { id: 'diff-rules-h' }, t('schemes.diff.rules')),
      d.rules.length ? el('ul', {}, d.rules.map((c) => el('li', {}, changeText(c)))) : el('p', { class: 'muted' }, t('schemes.diff.none'))));
}

// ---- signing in and routing

function expired() {
  document.getElementById('who').replaceChildren();
  mountSignIn(app, start);
  app.prepend(el('p', { class: 'notice notice-warn', role: 'alert', id: 'session-ended' },
    t('schemes.session_ended')));
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
  const out = el('button', { type: 'button', class: 'secondary' }, t('schemes.sign_out'));
  out.addEventListener('click', async () => {
    await signOut();
    who.replaceChildren();
    mountSignIn(app, start);
  });
  who.replaceChildren(el('span', { translate: 'no' }, session.user.display_name), ' ', out);
  if (session.user.role !== 'admin') {
    app.replaceChildren(el('div', { class: 'notice notice-bad', role: 'alert', id: 'refused' },
      el('p', {}, tParts('schemes.refused', { role: el('strong', {}, roleName(session.user.role)) }))));
    return;
  }
  route();
}

window.addEventListener('popstate', () => { if (document.getElementById('who').children.length) route(); });

await i18nInit(['schemes', 'signin', 'wording']);
const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
