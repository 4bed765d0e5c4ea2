// registry.mjs - the clerks' licence registry: sign in, find an establishment by name or
// licence number, register a new one, and for one establishment: edit its details, see its
// licence status and history and record a licence action, replace the lost appeal code of
// one of its inspection reports, and moderate the operator's public reply. Every refusal the
// server gives is shown at the field it names.
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { el, request, gradeBadge, formatAddress } from '/js/portal.mjs';
import { i18nInit, t, tParts, formatDay, formatDateTime, wording } from '/js/i18n.mjs';

const app = document.getElementById('app');
let me = null;
let jurisdictions = null;
let lastSearch = null;

// The roles this page serves, and where the others work.
const ROLES = ['clerk', 'admin'];
const ELSEWHERE = {
  inspector: ['/inspect/', 'registry.elsewhere.inspect'],
  supervisor: ['/hearings/', 'registry.elsewhere.hearings'],
  hearing_officer: ['/hearings/', 'registry.elsewhere.hearings'],
};

// The licence actions, in the order offered, and the statuses (messages by key).
const ACTIONS = ['issued', 'renewed', 'suspended', 'revoked', 'reinstated'];
const STATUSES = ['active', 'suspended', 'closed'];
const REASON_REQUIRED = ['suspended', 'revoked'];
// The public reason categories of a suspension or revocation (src/domain/licence.c): shown on
// the public record, where the typed reason never is.
const REASON_CATEGORIES = ['imminent-health-risk', 'pests', 'no-water-or-power', 'licence-conditions',
  'unlicensed', 'owner-request', 'other'];

function actionName(a) {
  return ACTIONS.includes(a) ? t(`registry.action.${a}`) : a;
}

function statusName(s) {
  return STATUSES.includes(s) ? t(`registry.status.${s}`) : s;
}

// A staff role in words ("hearing officer").
function roleName(role) {
  return ['inspector', 'clerk', 'supervisor', 'hearing_officer', 'admin'].includes(role)
    ? t(`registry.role.${role}`) : role.replace('_', ' ');
}

// A grade's badge, named in the page's language.
function badge(grade) {
  const b = gradeBadge(grade);
  const label = grade?.label ? wording(grade.label) : t('common.no_grade');
  b.setAttribute('title', label);
  b.setAttribute('aria-label', t('common.grade_aria', { label }));
  return b;
}

// GET @path, always asking the server again (public answers may be kept a minute); resolves
// to { status, data }.
function read(path) {
  return request('GET', path, { cache: 'no-cache' });
}

// A calendar date (YYYY-MM-DD) in words, read as a local day.
function day(d) {
  return d ? formatDay(d) : '';
}

// A calendar date as an element, for a date inside a sentence with elements (tParts): already
// in the page's language, so not for translating.
function dayElement(d) {
  return el('time', { datetime: d, translate: 'no' }, day(d));
}

// A moment (the time a thing was recorded or posted).
function when(iso) {
  return formatDateTime(iso, 'medium', 'short');
}

// The server's words for a refused request, else the sentence @fallback (a key whose
// message takes {status}).
function problemText(res, fallback) {
  if (res.status === 401) return t('registry.session.ended');
  return res.data?.detail || t(fallback, { status: res.status });
}

// ---- forms whose errors are shown at the field the server names

// A labelled control with its help and its error; @control gets the id, name and the JSON
// pointer of its field in the request (data-pointer).
function field(id, label, control, { pointer = null, help = null, wide = false } = {}) {
  control.id = id;
  control.name = id;
  if (pointer) control.dataset.pointer = pointer;
  const described = [];
  const helpEl = help ? el('p', { class: 'muted', id: `${id}-help` }, help) : null;
  if (helpEl) described.push(helpEl.id);
  const err = el('p', { class: 'field-error', id: `${id}-error` });
  described.push(err.id);
  control.setAttribute('aria-describedby', described.join(' '));
  return el('div', { class: wide ? 'field-wide' : null },
    el('label', { for: id, id: `${id}-label` }, label), control, helpEl, err);
}

function input(attrs = {}) {
  return el('input', { type: 'text', ...attrs });
}

function clearErrors(form) {
  for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

// Show @message at the control of @form whose pointer is @pointer and move focus there;
// false when the form has no such control.
function errorAt(form, pointer, message) {
  const control = pointer && form.querySelector(`[data-pointer="${CSS.escape(pointer)}"]`);
  if (!control) return false;
  control.setAttribute('aria-invalid', 'true');
  form.querySelector(`#${CSS.escape(control.id)}-error`).textContent = message;
  control.focus();
  return true;
}

// The session has ended (12 hours, or 30 minutes idle): sign in again, then the page opens
// where it was (the address keeps the establishment).
function expired() {
  me = null;
  document.getElementById('who').replaceChildren();
  mountSignIn(app, start);
  app.prepend(el('p', { class: 'notice notice-warn', role: 'alert', id: 'session-ended' },
    t('registry.session.ended_unsaved')));
}

// A refused request: the detail at the field it names (focused), and in the form's alert.
function showProblem(form, alertEl, res, fallback) {
  if (res.status === 401) {
    expired();
    return;
  }
  // The API names a member as '"name" is required.': the form says the field's label.
  const at = res.data?.field && form.querySelector(`[data-pointer="${CSS.escape(res.data.field)}"]`);
  const label = at?.labels?.[0]?.textContent;
  const text = label ? problemText(res, fallback).replace(/^"[a-z_]+"/, label) : problemText(res, fallback);
  alertEl.textContent = text;
  if (!errorAt(form, res.data?.field, text)) alertEl.focus();
}

function formAlert() {
  return el('p', { class: 'form-alert', role: 'alert', tabindex: '-1' });
}

// ---- finding an establishment

async function search(text, address, postcode, cursor = null) {
  const base = new URLSearchParams({ limit: '20' });
  if (address) base.set('address', address);
  if (postcode) base.set('postcode', postcode);
  const byName = new URLSearchParams(base);
  if (text) byName.set('q', text);
  else byName.set('sort', 'name');
  if (cursor) byName.set('cursor', cursor);
  const byLicence = new URLSearchParams(base);
  byLicence.set('licence', text);
  const [licence, name] = await Promise.all([
    text && !cursor && text.length <= 64 ? read(`/api/v1/establishments?${byLicence}`) : null,
    read(`/api/v1/establishments?${byName}`),
  ]);
  const items = licence?.status === 200 ? [...licence.data.items] : [];
  const seen = new Set(items.map((i) => i.id));
  if (name.status === 200) for (const i of name.data.items) if (!seen.has(i.id)) items.push(i);
  // A licence number is not a name ("12345" has nothing to search by name): not an error.
  const failed = name.status !== 200 && !items.length ? name : null;
  return {
    items, failed, licenceHits: licence?.status === 200 ? licence.data.items.length : 0,
    total: name.status === 200 ? name.data.total : 0,
    more: name.status === 200 ? name.data.next_cursor : null,
  };
}

function resultItem(e) {
  const link = el('a', { class: 'result-name', href: `?id=${e.id}`, translate: 'no' }, e.name);
  link.addEventListener('click', (ev) => { ev.preventDefault(); openEstablishment(e.id); });
  const addr = formatAddress(e.address);
  return el('li', { class: 'result' }, badge(e.grade),
    el('div', { class: 'result-body' }, link,
      el('p', {}, t('registry.result.licence', { licence: e.licence_number, jurisdiction: e.jurisdiction })),
      addr ? el('p', { translate: 'no' }, addr) : null,
      el('p', { class: e.status === 'active' ? 'muted' : 'licence-flag' }, t('registry.result.status', { status: statusName(e.status) }))));
}

function showHome() {
  const text = input({ type: 'search', maxlength: 100, autocomplete: 'off', 'aria-describedby': 'find-help' });
  const address = input({ maxlength: 100, autocomplete: 'off' });
  const postcode = input({ maxlength: 16, autocomplete: 'off' });
  const status = el('p', { class: 'status', role: 'status', id: 'find-status' });
  const heading = el('h2', { id: 'results-h', tabindex: '-1', hidden: true }, t('registry.find.results'));
  const list = el('ul', { class: 'results', id: 'results', 'aria-labelledby': 'results-h' });
  const more = el('button', { type: 'button', class: 'secondary', hidden: true }, t('registry.find.more'));
  let cursor = null;
  let terms = null;

  const run = async (append) => {
    status.textContent = t('registry.find.searching');
    const found = await search(terms.text, terms.address, terms.postcode, append ? cursor : null);
    if (found.failed?.status === 401) {
      expired();
      return;
    }
    if (found.failed) {
      status.textContent = problemText(found.failed, 'registry.error.search');
      if (!append) list.replaceChildren();
      heading.hidden = true;
      more.hidden = true;
      return;
    }
    if (append) list.append(...found.items.map(resultItem));
    else list.replaceChildren(...found.items.map(resultItem));
    cursor = found.more;
    more.hidden = !cursor;
    heading.hidden = false;
    const shown = list.children.length;
    status.textContent = shown === 0 ? t('registry.find.none')
      : t('registry.find.count', { n: shown, licence: found.licenceHits, more: cursor ? 'yes' : 'no' });
    if (!append) heading.focus();
  };

  const form = el('form', { class: 'search', role: 'search', 'aria-label': t('registry.find.title'), novalidate: true },
    el('div', {}, el('label', { for: 'find-q' }, t('registry.find.text')), text),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, t('registry.find.search'))),
    el('p', { class: 'muted field-wide', id: 'find-help' }, t('registry.find.help')),
    el('details', { class: 'more-filters' }, el('summary', {}, t('registry.find.more_filters')),
      el('div', { class: 'fields' },
        el('div', {}, el('label', { for: 'find-address' }, t('registry.find.address')), address),
        el('div', {}, el('label', { for: 'find-postcode' }, t('registry.field.postcode')), postcode))));
  text.id = 'find-q';
  address.id = 'find-address';
  postcode.id = 'find-postcode';
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    terms = { text: text.value.trim(), address: address.value.trim(), postcode: postcode.value.trim() };
    if (!terms.text && !terms.address && !terms.postcode) {
      status.textContent = t('registry.find.empty');
      text.focus();
      return;
    }
    lastSearch = terms;
    await run(false);
  });
  more.addEventListener('click', () => run(true));

  const register = el('button', { type: 'button', class: 'primary', id: 'register-open' }, t('registry.register.open'));
  register.addEventListener('click', () => showRegister());
  app.replaceChildren(
    el('section', { 'aria-labelledby': 'find-h' }, el('h2', { id: 'find-h' }, t('registry.find.title')), form, status,
      heading, list, el('div', {}, more)),
    el('section', { 'aria-labelledby': 'register-h' }, el('h2', { id: 'register-h' }, t('registry.register.heading')),
      el('p', {}, t('registry.register.intro')), register));
  if (lastSearch) {
    text.value = lastSearch.text;
    address.value = lastSearch.address;
    postcode.value = lastSearch.postcode;
    terms = lastSearch;
    run(false);
  } else {
    text.focus();
  }
}

// ---- registering and editing

// The controls of the fields an establishment has (all of POST /api/v1/establishments but
// the jurisdiction and licence number), filled from @e when given.
function detailFields(prefix, e = null) {
  const v = (x) => (x === null || x === undefined ? '' : String(x));
  const risk = el('select', {},
    ...['A', 'B', 'C', 'D', 'E'].map((c) => el('option', { value: c, selected: (e ? e.risk_category : 'B') === c }, c)));
  const controls = {
    name: input({ maxlength: 200, required: true, autocomplete: 'off', value: v(e?.name) }),
    address_line: input({ maxlength: 200, autocomplete: 'off', value: v(e?.address?.line) }),
    city: input({ maxlength: 100, autocomplete: 'off', value: v(e?.address?.city) }),
    postcode: input({ maxlength: 16, autocomplete: 'off', value: v(e?.address?.postcode) }),
    latitude: input({ inputmode: 'decimal', autocomplete: 'off', value: v(e?.location?.latitude) }),
    longitude: input({ inputmode: 'decimal', autocomplete: 'off', value: v(e?.location?.longitude) }),
    establishment_type: input({ maxlength: 64, autocomplete: 'off', value: e ? v(e.establishment_type) : 'restaurant' }),
    cuisine: input({ maxlength: 64, autocomplete: 'off', value: v(e?.cuisine) }),
    risk_category: risk,
  };
  const rows = [
    field(`${prefix}-name`, t('registry.field.name'), controls.name, { pointer: '/name', wide: true }),
    field(`${prefix}-address`, t('registry.field.address_line'), controls.address_line, { pointer: '/address_line', wide: true }),
    field(`${prefix}-city`, t('registry.field.city'), controls.city, { pointer: '/city' }),
    field(`${prefix}-postcode`, t('registry.field.postcode'), controls.postcode, { pointer: '/postcode' }),
    field(`${prefix}-latitude`, t('registry.field.latitude'), controls.latitude, { pointer: '/latitude', help: t('registry.field.latitude_help') }),
    field(`${prefix}-longitude`, t('registry.field.longitude'), controls.longitude, { pointer: '/longitude', help: t('registry.field.longitude_help') }),
    field(`${prefix}-type`, t('registry.field.type'), controls.establishment_type, { pointer: '/establishment_type', help: t('registry.field.type_help') }),
    field(`${prefix}-cuisine`, t('registry.field.cuisine'), controls.cuisine, { pointer: '/cuisine' }),
    field(`${prefix}-risk`, t('registry.field.risk'), risk, { pointer: '/risk_category', help: t('registry.field.risk_help') }),
  ];
  return { controls, rows };
}

// A coordinate as the API takes it: a number, or the text as typed so that the server names
// the field it cannot read.
function coordinate(text) {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

async function showRegister() {
  if (!jurisdictions) {
    const res = await read('/api/v1/jurisdictions');
    if (res.status !== 200) {
      app.replaceChildren(el('p', { role: 'alert' }, problemText(res, 'registry.error.jurisdictions')));
      return;
    }
    jurisdictions = res.data.jurisdictions;
  }
  const juris = el('select', { required: true },
    ...jurisdictions.map((j) => el('option', { value: j.code, translate: 'no' }, `${j.code}: ${j.name}`)));
  const licence = input({ maxlength: 64, required: true, autocomplete: 'off' });
  const { controls, rows } = detailFields('new');
  const alertEl = formAlert();
  const form = el('form', { class: 'fields', novalidate: true, id: 'register-form' },
    field('new-jurisdiction', t('registry.field.jurisdiction'), juris, { pointer: '/jurisdiction', help: t('registry.field.jurisdiction_help') }),
    field('new-licence', t('registry.field.licence_number'), licence, { pointer: '/licence_number', help: t('registry.field.licence_number_help') }),
    ...rows,
    el('div', { class: 'field-wide form-actions' },
      el('button', { type: 'submit', class: 'primary' }, t('registry.register.submit')),
      el('button', { type: 'button', class: 'secondary', id: 'register-cancel' }, t('registry.register.cancel'))),
    el('div', { class: 'field-wide' }, alertEl));
  form.querySelector('#register-cancel').addEventListener('click', () => showHome());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    alertEl.textContent = t('registry.register.working');
    const body = { jurisdiction: juris.value, licence_number: licence.value.trim() };
    for (const [k, c] of Object.entries(controls)) {
      const value = c.value.trim();
      if (value === '') continue;
      body[k] = k === 'latitude' || k === 'longitude' ? coordinate(value) : value;
    }
    const res = await api('POST', '/api/v1/establishments', body);
    if (res.status !== 201) {
      showProblem(form, alertEl, res, 'registry.error.register');
      return;
    }
    openEstablishment(res.data.id, t('registry.register.done', { name: res.data.name, licence: res.data.licence_number }));
  });
  const back = el('button', { type: 'button', class: 'secondary' }, t('registry.back'));
  back.addEventListener('click', () => showHome());
  app.replaceChildren(el('div', {}, back),
    el('h2', { id: 'register-title', tabindex: '-1' }, t('registry.register.open')),
    el('p', {}, t('registry.register.later')),
    form);
  document.getElementById('register-title').focus();
}

function detailsSection(e) {
  const { controls, rows } = detailFields('edit', e);
  const alertEl = formAlert();
  const form = el('form', { class: 'fields', novalidate: true, id: 'details-form' }, ...rows,
    el('div', { class: 'field-wide form-actions' }, el('button', { type: 'submit', class: 'primary' }, t('registry.details.save'))),
    el('div', { class: 'field-wide' }, alertEl));
  const before = Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value.trim()]));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {};
    for (const [k, c] of Object.entries(controls)) {
      const value = c.value.trim();
      if (value === before[k]) continue;
      if (k === 'latitude' || k === 'longitude') {
        if (value === '') {
          errorAt(form, `/${k}`, t('registry.details.location_kept'));
          alertEl.textContent = t('registry.details.not_saved');
          return;
        }
        body[k] = coordinate(value);
      } else {
        body[k] = value;
      }
    }
    // A point is changed whole: the API takes latitude and longitude together.
    if ('latitude' in body !== 'longitude' in body) {
      for (const k of ['latitude', 'longitude']) {
        const value = controls[k].value.trim();
        if (value !== '') body[k] = coordinate(value);
      }
    }
    if (!Object.keys(body).length) {
      alertEl.textContent = t('registry.details.unchanged');
      return;
    }
    alertEl.textContent = t('registry.saving');
    const res = await api('PATCH', `/api/v1/establishments/${e.id}`, body);
    if (res.status !== 200) {
      showProblem(form, alertEl, res, 'registry.error.details');
      return;
    }
    showEstablishment(e.id, t('registry.details.saved'));
  });
  return el('section', { 'aria-labelledby': 'details-h' }, el('h3', { id: 'details-h' }, t('registry.details.heading')), form);
}

// ---- the licence

function licenceSection(e, history) {
  // The term of the licence in force: the latest issue or renewal, while the place is active.
  const term = e.status === 'active' ? history.find((a) => a.action === 'issued' || a.action === 'renewed') : null;
  const today = new Date().toISOString().slice(0, 10);
  const term_ = !term?.expires_on ? 'none' : term.expires_on < today ? 'expired' : 'runs';
  const list = history.length
    ? el('ol', { class: 'licence-history', id: 'licence-history' }, ...history.map((a) => el('li', {},
      el('p', {}, tParts('registry.history.item', {
        action: el('strong', {}, actionName(a.action)), from: dayElement(a.effective_on),
        until: a.expires_on ? dayElement(a.expires_on) : '', term: a.expires_on ? 'until' : 'none',
      })),
      a.reason ? el('p', { class: 'licence-reason', translate: 'no' }, a.reason) : null,
      el('p', { class: 'muted' }, t('registry.history.recorded', { when: when(a.recorded_at) })))))
    : el('p', { id: 'licence-history' }, t('registry.history.none'));

  const action = el('select', {}, ...ACTIONS.map((v) => el('option', { value: v }, actionName(v))));
  const effective = input({ type: 'date' });
  const expires = input({ type: 'date' });
  const reason = el('textarea', { rows: 3, maxlength: 2000 });
  const category = el('select', {}, el('option', { value: '' }, t('registry.reason_category.none')),
    ...REASON_CATEGORIES.map((v) => el('option', { value: v }, t(`registry.reason_category.${v.replaceAll('-', '_')}`))));
  const alertEl = formAlert();
  const form = el('form', { class: 'fields', novalidate: true, id: 'licence-form' },
    field('licence-action', t('registry.licence.action'), action, { pointer: '/action' }),
    field('licence-effective', t('registry.licence.effective'), effective, { pointer: '/effective_on', help: t('registry.licence.effective_help') }),
    field('licence-expires', t('registry.licence.expires'), expires, { pointer: '/expires_on', help: t('registry.licence.expires_help') }),
    field('licence-reason', t('registry.licence.reason'), reason, {
      pointer: '/reason', wide: true,
      help: t('registry.licence.reason_help'),
    }),
    field('licence-category', t('registry.licence.category'), category, {
      pointer: '/reason_category',
      help: t('registry.licence.category_help'),
    }),
    el('div', { class: 'field-wide form-actions' }, el('button', { type: 'submit', class: 'primary' }, t('registry.licence.record'))),
    el('div', { class: 'field-wide' }, alertEl));
  const label = form.querySelector('#licence-reason-label');
  const categoryField = category.parentElement;
  const mark = () => {
    const needed = REASON_REQUIRED.includes(action.value);
    categoryField.hidden = !needed;
    label.textContent = needed ? t('registry.licence.reason_required') : t('registry.licence.reason');
    if (needed) reason.setAttribute('aria-required', 'true');
    else reason.removeAttribute('aria-required');
  };
  action.addEventListener('change', mark);
  mark();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    alertEl.textContent = t('registry.licence.recording');
    const body = { action: action.value };
    if (effective.value) body.effective_on = effective.value;
    if (expires.value) body.expires_on = expires.value;
    if (reason.value.trim()) body.reason = reason.value.trim();
    if (REASON_REQUIRED.includes(action.value) && category.value) body.reason_category = category.value;
    const res = await api('POST', `/api/v1/establishments/${e.id}/licence-actions`, body);
    if (res.status !== 201) {
      showProblem(form, alertEl, res, 'registry.error.licence');
      return;
    }
    showEstablishment(e.id, t('registry.licence.recorded', { action: actionName(body.action) }));
  });
  return el('section', { 'aria-labelledby': 'licence-h' }, el('h3', { id: 'licence-h' }, t('registry.licence.heading')),
    el('p', { id: 'licence-status', class: e.status === 'active' ? '' : 'licence-flag' },
      tParts('registry.licence.status', {
        status: el('strong', {}, statusName(e.status)), term: term_, date: term ? dayElement(term.expires_on) : '',
      })),
    el('h4', {}, t('registry.history.heading')), list,
    el('h4', {}, t('registry.licence.record_heading')), form);
}

// ---- inspections and their appeal codes

// Paper gets a copy of the slip alone (#print-slip, shown only in print), not the page.
function printSlip(slip) {
  const copy = slip.cloneNode(true);
  for (const n of [copy, ...copy.querySelectorAll('[id]')]) n.removeAttribute('id');
  for (const n of copy.querySelectorAll('[role]')) n.removeAttribute('role');
  copy.removeAttribute('tabindex');
  document.getElementById('print-slip').replaceChildren(copy);
  document.body.classList.add('has-slip');
}

function hideSlip() {
  document.getElementById('print-slip').replaceChildren();
  document.body.classList.remove('has-slip');
}

// The new code, shown once, large, with a print button: the only part of the page printed.
function codeSlip(e, inspection, code) {
  const print = el('button', { type: 'button', class: 'primary no-print' }, t('registry.code.print'));
  print.addEventListener('click', () => window.print());
  const done = el('button', { type: 'button', class: 'secondary no-print' }, t('registry.code.done'));
  const slip = el('div', { class: 'code-slip', id: 'code-slip', tabindex: '-1', 'aria-labelledby': 'code-slip-h' },
    el('h4', { id: 'code-slip-h' }, t('registry.code.heading', { date: day(inspection.started_at.slice(0, 10)) })),
    el('p', {}, t('registry.code.establishment', { name: e.name, licence: e.licence_number })),
    el('p', { class: 'slip-code', id: 'new-appeal-code', translate: 'no' }, code),
    el('p', { role: 'alert' }, t('registry.code.old_stops')),
    el('p', { class: 'muted' }, t('registry.code.where', { address: `${location.origin}/operator/` })),
    el('div', { class: 'form-actions' }, print, done));
  done.addEventListener('click', () => {
    slip.remove();
    hideSlip();
  });
  return slip;
}

function inspectionItem(e, i) {
  const date = day(i.started_at.slice(0, 10));
  const kinds = ['initial', 'reinspection', 'complaint', 'pre-permit', 'reopening'];
  const li = el('li', { class: 'inspection-row', id: `inspection-${i.id}` },
    el('p', {}, tParts('registry.inspection.line', {
      date: el('strong', {}, dayElement(i.started_at.slice(0, 10))),
      type: kinds.includes(i.type) ? t(`registry.inspection.type.${i.type.replace('-', '_')}`) : i.type,
      grade: i.grade_label ? wording(i.grade_label) : '', graded: i.grade_label ? 'yes' : 'no',
      score: i.score ?? '', scored: i.score === null ? 'no' : 'yes',
    })),
    el('p', { class: 'muted' }, t('registry.inspection.id', { id: i.id })));
  if (i.revision > 1) {
    li.append(el('p', { class: 'muted' }, t('registry.inspection.revision', { n: i.revision })));
    return li;
  }
  if (me.user.role !== 'clerk') {
    li.append(el('p', { class: 'muted' }, t('registry.code.clerk_only')));
    return li;
  }
  const st = el('p', { class: 'form-alert', role: 'alert', tabindex: '-1' });
  const ask = el('button', { type: 'button', class: 'secondary' }, t('registry.code.replace'));
  const why = el('textarea', { rows: 2, maxlength: 500, required: true });
  const confirmBox = el('div', { class: 'confirm', hidden: true },
    el('p', {}, t('registry.code.confirm')),
    field(`reissue-reason-${i.id}`, t('registry.code.reason'), why, {
      pointer: '/reason', wide: true,
      help: t('registry.code.reason_help'),
    }));
  const yes = el('button', { type: 'button', class: 'primary' }, t('registry.code.issue'));
  const no = el('button', { type: 'button', class: 'secondary' }, t('registry.code.keep'));
  confirmBox.append(el('div', { class: 'form-actions' }, yes, no));
  ask.setAttribute('aria-label', t('registry.code.replace_aria', { date }));
  ask.addEventListener('click', () => { confirmBox.hidden = false; ask.hidden = true; yes.focus(); });
  no.addEventListener('click', () => { confirmBox.hidden = true; ask.hidden = false; ask.focus(); });
  yes.addEventListener('click', async () => {
    if (!why.value.trim()) {
      st.textContent = t('registry.code.reason_missing');
      why.focus();
      return;
    }
    st.textContent = t('registry.code.issuing');
    const res = await api('POST', `/api/v1/inspections/${i.id}/appeal-code`, { reason: why.value.trim() });
    confirmBox.hidden = true;
    ask.hidden = false;
    if (res.status === 401) {
      expired();
      return;
    }
    if (res.status !== 201) {
      st.textContent = problemText(res, 'registry.error.code');
      st.focus();
      return;
    }
    st.textContent = '';
    for (const old of document.querySelectorAll('.code-slip')) old.remove();
    const slip = codeSlip(e, i, res.data.appeal_code);
    li.append(slip);
    printSlip(slip);
    slip.focus();
  });
  li.append(el('div', {}, ask), confirmBox, st);
  return li;
}

function inspectionsSection(e) {
  const list = e.inspections.length
    ? el('ul', { class: 'inspection-list' }, ...e.inspections.map((i) => inspectionItem(e, i)))
    : el('p', {}, t('registry.inspection.none'));
  return el('section', { 'aria-labelledby': 'inspections-h' }, el('h3', { id: 'inspections-h' }, t('registry.inspection.heading')),
    el('p', { class: 'muted' }, t('registry.inspection.intro')),
    list);
}

// ---- the operator's reply

function replySection(e) {
  const sec = el('section', { 'aria-labelledby': 'reply-h' }, el('h3', { id: 'reply-h' }, t('registry.reply.heading')));
  const r = e.reply;
  if (!r) {
    sec.append(el('p', { id: 'reply-none' }, t('registry.reply.none')));
    return sec;
  }
  sec.append(el('p', { class: 'muted' }, t('registry.reply.posted', { when: when(r.posted_at) })),
    el('blockquote', { id: 'reply-text', translate: 'no' }, r.text));
  if (r.moderated) {
    sec.append(el('p', { id: 'reply-moderated' },
      tParts('registry.reply.moderated', { reason: el('span', { translate: 'no' }, r.moderation_reason) })));
  }
  const reason = el('textarea', { rows: 2, maxlength: 2000 });
  const text = el('textarea', { rows: 4, maxlength: 2000 });
  text.value = r.text;
  const alertEl = formAlert();
  const publish = el('button', { type: 'submit', class: 'primary', value: 'edit' }, t('registry.reply.publish'));
  const withdraw = el('button', { type: 'submit', class: 'secondary', value: 'withdraw' }, t('registry.reply.withdraw'));
  const form = el('form', { class: 'fields', novalidate: true, id: 'moderation-form' },
    field('moderation-reason', t('registry.reply.reason'), reason, { pointer: '/reason', wide: true,
      help: t('registry.reply.reason_help') }),
    field('moderation-text', t('registry.reply.text'), text, { pointer: '/text', wide: true,
      help: t('registry.reply.text_help') }),
    el('div', { class: 'field-wide form-actions' }, publish, withdraw),
    el('div', { class: 'field-wide' }, alertEl));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const removing = ev.submitter?.value === 'withdraw';
    const body = { reason: reason.value.trim() };
    if (!removing) {
      if (!text.value.trim()) {
        errorAt(form, '/text', t('registry.reply.text_missing'));
        alertEl.textContent = t('registry.reply.unchanged');
        return;
      }
      body.text = text.value.trim();
    }
    alertEl.textContent = t('registry.saving');
    const res = await api('POST', `/api/v1/replies/${r.id}/moderation`, body);
    if (res.status !== 200) {
      showProblem(form, alertEl, res, 'registry.error.reply');
      return;
    }
    showEstablishment(e.id, removing ? t('registry.reply.withdrawn') : t('registry.reply.published'));
  });
  sec.append(el('h4', {}, t('registry.reply.moderate')), form);
  return sec;
}

// ---- one establishment

function openEstablishment(id, note = '') {
  history.pushState({ id }, '', `?id=${id}`);
  routed = location.search;
  showEstablishment(id, note);
}

// The corrective actions of the latest inspection: what the operator must correct, by when.
// Staff only; nothing is shown when there are none.
function correctiveSection(actions) {
  if (!actions.length) return '';
  return el('section', { 'aria-labelledby': 'fixes-h', class: 'corrective-actions' },
    el('h3', { id: 'fixes-h' }, t('registry.fixes.heading')),
    el('p', { class: 'muted' }, t('registry.fixes.intro')),
    el('ul', {}, ...actions.map((a) => el('li', { 'data-code': a.code },
      el('strong', { translate: 'no' }, a.code), ' ',
      t('registry.fixes.item', { description: a.description, date: day(a.correct_by) }),
      a.overdue ? el('strong', { class: 'overdue' }, t('registry.fixes.overdue')) : ''))));
}

async function showEstablishment(id, note = '') {
  hideSlip();
  const [rec, hist, fixes] = await Promise.all([
    read(`/api/v1/establishments/${id}`),
    read(`/api/v1/establishments/${id}/licence-actions`),
    read(`/api/v1/establishments/${id}/corrective-actions`),
  ]);
  const back = el('button', { type: 'button', class: 'secondary' }, t('registry.back'));
  back.addEventListener('click', () => {
    history.pushState({}, '', location.pathname);
    routed = location.search;
    showHome();
  });
  if (hist.status === 401) {
    expired();
    return;
  }
  if (rec.status !== 200 || hist.status !== 200) {
    const failed = rec.status !== 200 ? rec : hist;
    app.replaceChildren(el('div', {}, back),
      el('p', { role: 'alert', class: 'notice notice-bad' }, problemText(failed, 'registry.error.open')));
    return;
  }
  const e = rec.data;
  const addr = formatAddress(e.address);
  const summary = el('dl', { class: 'facts' },
    el('dt', {}, t('registry.field.licence_number')), el('dd', { id: 'est-licence', translate: 'no' }, e.licence_number),
    el('dt', {}, t('registry.field.jurisdiction')), el('dd', {}, t('registry.summary.jurisdiction', { jurisdiction: e.jurisdiction, scheme: e.scheme })),
    el('dt', {}, t('registry.find.address')), addr ? el('dd', { translate: 'no' }, addr) : el('dd', {}, t('registry.summary.no_address')),
    el('dt', {}, t('registry.licence.heading')), el('dd', { id: 'est-status' }, statusName(e.status)),
    el('dt', {}, t('registry.summary.grade')), el('dd', {}, badge(e.grade), ' ', e.grade?.label ? wording(e.grade.label) : t('common.no_grade')));
  app.replaceChildren(el('div', {}, back),
    el('h2', { id: 'est-title', tabindex: '-1', translate: 'no' }, e.name),
    el('p', { class: 'status', role: 'status', id: 'est-note' }),
    summary,
    el('nav', { class: 'jump', 'aria-label': t('registry.jump.label') },
      el('a', { href: '#licence-h' }, t('registry.licence.heading')), el('a', { href: '#details-h' }, t('registry.details.heading')),
      el('a', { href: '#inspections-h' }, t('registry.jump.inspections')), el('a', { href: '#reply-h' }, t('registry.jump.reply')),
      el('a', { href: `/establishment.html?id=${e.id}` }, t('registry.jump.public'))),
    licenceSection(e, hist.data.licence_actions),
    correctiveSection(fixes.status === 200 ? fixes.data.corrective_actions : []),
    detailsSection(e),
    inspectionsSection(e),
    replySection(e));
  document.getElementById('est-title').focus();
  // Filled once the region is in the page, so that screen readers announce it.
  if (note) setTimeout(() => { document.getElementById('est-note').textContent = note; }, 50);
}

// ---- signing in

async function start(session) {
  me = session;
  const who = document.getElementById('who');
  const out = el('button', { type: 'button', class: 'secondary' }, t('registry.sign_out'));
  out.addEventListener('click', async () => {
    await signOut();
    me = null;
    who.replaceChildren();
    mountSignIn(app, start);
  });
  who.replaceChildren(el('span', { translate: 'no' }, session.user.display_name), ' ', out);
  if (!ROLES.includes(session.user.role)) {
    const there = ELSEWHERE[session.user.role];
    app.replaceChildren(el('div', { class: 'notice notice-bad', role: 'alert', id: 'refused' },
      el('p', {}, tParts('registry.refused', { role: el('strong', {}, roleName(session.user.role)) })),
      there ? el('p', {}, tParts('registry.elsewhere', { link: el('a', { href: there[0] }, t(there[1])) })) : null));
    return;
  }
  route();
}

let routed = null;

function route() {
  routed = location.search;
  const id = Number(new URLSearchParams(location.search).get('id'));
  if (Number.isInteger(id) && id > 0) showEstablishment(id);
  else showHome();
}

// Back and forward between the search and a record; a jump within the record is not a move.
window.addEventListener('popstate', () => {
  if (me && ROLES.includes(me.user.role) && location.search !== routed) route();
});

await i18nInit(['registry', 'signin', 'wording']);
const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
