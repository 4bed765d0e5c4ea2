// registry.mjs - the clerks' licence registry: sign in, find an establishment by name or
// licence number, register a new one, and for one establishment: edit its details, see its
// licence status and history and record a licence action, replace the lost appeal code of
// one of its inspection reports, and moderate the operator's public reply. Every refusal the
// server gives is shown at the field it names.
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { el, request, gradeBadge } from '/js/portal.mjs';
import { formatWhen } from '/js/deadline.mjs';

const app = document.getElementById('app');
let me = null;
let jurisdictions = null;
let lastSearch = null;

// The roles this page serves, and where the others work.
const ROLES = ['clerk', 'admin'];
const ELSEWHERE = {
  inspector: ['/inspect/', 'the inspection app'],
  supervisor: ['/hearings/', 'the appeals queue'],
  hearing_officer: ['/hearings/', 'the appeals queue'],
};

const ACTIONS = {
  issued: 'Issued', renewed: 'Renewed', suspended: 'Suspended', revoked: 'Revoked',
  reinstated: 'Reinstated',
};
const STATUS = { active: 'Active', suspended: 'Suspended', closed: 'Closed' };
const REASON_REQUIRED = ['suspended', 'revoked'];
// The public reason categories of a suspension or revocation (src/domain/licence.c): shown on
// the public record, where the typed reason never is.
const REASON_CATEGORIES = {
  'imminent-health-risk': 'An imminent risk to health',
  pests: 'Pests',
  'no-water-or-power': 'No hot water, water or power',
  'licence-conditions': 'Licence conditions not met',
  unlicensed: 'Trading without a valid licence',
  'owner-request': "At the operator's request",
  other: 'Another reason',
};

// GET @path, always asking the server again (public answers may be kept a minute); resolves
// to { status, data }.
function read(path) {
  return request('GET', path, { cache: 'no-cache' });
}

// A calendar date (YYYY-MM-DD) in words, read as a local day.
function day(d) {
  if (!d) return '';
  const t = new Date(`${d}T00:00:00`);
  return Number.isNaN(t.getTime()) ? d
    : t.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}

function problemText(res, fallback) {
  if (res.status === 401) return 'Your session has ended: sign in again.';
  return res.data?.detail || `${fallback} (the server answered ${res.status}).`;
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
    'Your session has ended: sign in again. What was not saved has to be entered again.'));
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
  const link = el('a', { class: 'result-name', href: `?id=${e.id}` }, e.name);
  link.addEventListener('click', (ev) => { ev.preventDefault(); openEstablishment(e.id); });
  const addr = [e.address?.line, e.address?.city, e.address?.postcode].filter(Boolean).join(', ');
  return el('li', { class: 'result' }, gradeBadge(e.grade),
    el('div', { class: 'result-body' }, link,
      el('p', {}, `Licence ${e.licence_number} · ${e.jurisdiction}`),
      addr ? el('p', {}, addr) : null,
      el('p', { class: e.status === 'active' ? 'muted' : 'licence-flag' }, `Licence: ${STATUS[e.status] || e.status}`)));
}

function showHome() {
  const text = input({ type: 'search', maxlength: 100, autocomplete: 'off', 'aria-describedby': 'find-help' });
  const address = input({ maxlength: 100, autocomplete: 'off' });
  const postcode = input({ maxlength: 16, autocomplete: 'off' });
  const status = el('p', { class: 'status', role: 'status', id: 'find-status' });
  const heading = el('h2', { id: 'results-h', tabindex: '-1', hidden: true }, 'Establishments found');
  const list = el('ul', { class: 'results', id: 'results', 'aria-labelledby': 'results-h' });
  const more = el('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  let cursor = null;
  let terms = null;

  const run = async (append) => {
    status.textContent = 'Searching…';
    const found = await search(terms.text, terms.address, terms.postcode, append ? cursor : null);
    if (found.failed?.status === 401) {
      expired();
      return;
    }
    if (found.failed) {
      status.textContent = problemText(found.failed, 'The search failed');
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
    const byLicence = found.licenceHits ? `, ${found.licenceHits} by licence number` : '';
    status.textContent = shown === 0 ? 'No establishment found.'
      : `${shown} found${byLicence}${cursor ? '; more follow' : ''}.`;
    if (!append) heading.focus();
  };

  const form = el('form', { class: 'search', role: 'search', 'aria-label': 'Find an establishment', novalidate: true },
    el('div', {}, el('label', { for: 'find-q' }, 'Name or licence number'), text),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, 'Search')),
    el('p', { class: 'muted field-wide', id: 'find-help' }, 'A name may be misspelt; a licence number must be whole.'),
    el('details', { class: 'more-filters' }, el('summary', {}, 'More filters'),
      el('div', { class: 'fields' },
        el('div', {}, el('label', { for: 'find-address' }, 'Address'), address),
        el('div', {}, el('label', { for: 'find-postcode' }, 'Postcode'), postcode))));
  text.id = 'find-q';
  address.id = 'find-address';
  postcode.id = 'find-postcode';
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    terms = { text: text.value.trim(), address: address.value.trim(), postcode: postcode.value.trim() };
    if (!terms.text && !terms.address && !terms.postcode) {
      status.textContent = 'Type a name or a licence number.';
      text.focus();
      return;
    }
    lastSearch = terms;
    await run(false);
  });
  more.addEventListener('click', () => run(true));

  const register = el('button', { type: 'button', class: 'primary', id: 'register-open' }, 'Register a new establishment');
  register.addEventListener('click', () => showRegister());
  app.replaceChildren(
    el('section', { 'aria-labelledby': 'find-h' }, el('h2', { id: 'find-h' }, 'Find an establishment'), form, status,
      heading, list, el('div', {}, more)),
    el('section', { 'aria-labelledby': 'register-h' }, el('h2', { id: 'register-h' }, 'A new establishment'),
      el('p', {}, 'Register a place that needs a licence, then record the licence as issued.'), register));
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
    field(`${prefix}-name`, 'Name', controls.name, { pointer: '/name', wide: true }),
    field(`${prefix}-address`, 'Street address', controls.address_line, { pointer: '/address_line', wide: true }),
    field(`${prefix}-city`, 'City', controls.city, { pointer: '/city' }),
    field(`${prefix}-postcode`, 'Postcode', controls.postcode, { pointer: '/postcode' }),
    field(`${prefix}-latitude`, 'Latitude', controls.latitude, { pointer: '/latitude', help: 'Decimal degrees, -90 to 90; with the longitude.' }),
    field(`${prefix}-longitude`, 'Longitude', controls.longitude, { pointer: '/longitude', help: 'Decimal degrees, -180 to 180.' }),
    field(`${prefix}-type`, 'Kind of establishment', controls.establishment_type, { pointer: '/establishment_type', help: 'For example restaurant, takeaway, school kitchen.' }),
    field(`${prefix}-cuisine`, 'Cuisine', controls.cuisine, { pointer: '/cuisine' }),
    field(`${prefix}-risk`, 'Risk category', risk, { pointer: '/risk_category', help: 'How often it is inspected: A every 6 months, B 12, C 18, D 24, E by other means.' }),
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
      app.replaceChildren(el('p', { role: 'alert' }, problemText(res, 'The jurisdictions could not be loaded')));
      return;
    }
    jurisdictions = res.data.jurisdictions;
  }
  const juris = el('select', { required: true },
    ...jurisdictions.map((j) => el('option', { value: j.code }, `${j.code}: ${j.name}`)));
  const licence = input({ maxlength: 64, required: true, autocomplete: 'off' });
  const { controls, rows } = detailFields('new');
  const alertEl = formAlert();
  const form = el('form', { class: 'fields', novalidate: true, id: 'register-form' },
    field('new-jurisdiction', 'Jurisdiction', juris, { pointer: '/jurisdiction', help: 'Its scoring scheme grades the inspections.' }),
    field('new-licence', 'Licence number', licence, { pointer: '/licence_number', help: 'Unique within the jurisdiction.' }),
    ...rows,
    el('div', { class: 'field-wide form-actions' },
      el('button', { type: 'submit', class: 'primary' }, 'Register'),
      el('button', { type: 'button', class: 'secondary', id: 'register-cancel' }, 'Cancel')),
    el('div', { class: 'field-wide' }, alertEl));
  form.querySelector('#register-cancel').addEventListener('click', () => showHome());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    alertEl.textContent = 'Registering…';
    const body = { jurisdiction: juris.value, licence_number: licence.value.trim() };
    for (const [k, c] of Object.entries(controls)) {
      const value = c.value.trim();
      if (value === '') continue;
      body[k] = k === 'latitude' || k === 'longitude' ? coordinate(value) : value;
    }
    const res = await api('POST', '/api/v1/establishments', body);
    if (res.status !== 201) {
      showProblem(form, alertEl, res, 'The establishment was not registered');
      return;
    }
    openEstablishment(res.data.id, `Registered ${res.data.name}, licence ${res.data.licence_number}.`);
  });
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to search');
  back.addEventListener('click', () => showHome());
  app.replaceChildren(el('div', {}, back),
    el('h2', { id: 'register-title', tabindex: '-1' }, 'Register a new establishment'),
    el('p', {}, 'Every field but the jurisdiction, licence number and name may be filled in later.'),
    form);
  document.getElementById('register-title').focus();
}

function detailsSection(e) {
  const { controls, rows } = detailFields('edit', e);
  const alertEl = formAlert();
  const form = el('form', { class: 'fields', novalidate: true, id: 'details-form' }, ...rows,
    el('div', { class: 'field-wide form-actions' }, el('button', { type: 'submit', class: 'primary' }, 'Save the details')),
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
          errorAt(form, `/${k}`, 'A location once set can be moved but not removed.');
          alertEl.textContent = 'Nothing was saved.';
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
      alertEl.textContent = 'Nothing has changed.';
      return;
    }
    alertEl.textContent = 'Saving…';
    const res = await api('PATCH', `/api/v1/establishments/${e.id}`, body);
    if (res.status !== 200) {
      showProblem(form, alertEl, res, 'The details were not saved');
      return;
    }
    showEstablishment(e.id, 'The details were saved.');
  });
  return el('section', { 'aria-labelledby': 'details-h' }, el('h3', { id: 'details-h' }, 'Details'), form);
}

// ---- the licence

function licenceSection(e, history) {
  // The term of the licence in force: the latest issue or renewal, while the place is active.
  const term = e.status === 'active' ? history.find((a) => a.action === 'issued' || a.action === 'renewed') : null;
  const today = new Date().toISOString().slice(0, 10);
  let runs = '';
  if (term?.expires_on) runs = term.expires_on < today ? `; the licence expired on ${day(term.expires_on)}` : `; the licence runs until ${day(term.expires_on)}`;
  const list = history.length
    ? el('ol', { class: 'licence-history', id: 'licence-history' }, ...history.map((a) => el('li', {},
      el('p', {}, el('strong', {}, ACTIONS[a.action] || a.action), ` from ${day(a.effective_on)}`,
        a.expires_on ? `, until ${day(a.expires_on)}` : ''),
      a.reason ? el('p', { class: 'licence-reason' }, a.reason) : null,
      el('p', { class: 'muted' }, `Recorded ${formatWhen(a.recorded_at)}`))))
    : el('p', { id: 'licence-history' }, 'No licence action has been recorded yet.');

  const action = el('select', {}, ...Object.entries(ACTIONS).map(([v, t]) => el('option', { value: v }, t)));
  const effective = input({ type: 'date' });
  const expires = input({ type: 'date' });
  const reason = el('textarea', { rows: 3, maxlength: 2000 });
  const category = el('select', {}, el('option', { value: '' }, 'None given'),
    ...Object.entries(REASON_CATEGORIES).map(([v, t]) => el('option', { value: v }, t)));
  const alertEl = formAlert();
  const form = el('form', { class: 'fields', novalidate: true, id: 'licence-form' },
    field('licence-action', 'Action', action, { pointer: '/action' }),
    field('licence-effective', 'Takes effect on', effective, { pointer: '/effective_on', help: 'Today when left empty.' }),
    field('licence-expires', 'Expires on', expires, { pointer: '/expires_on', help: 'Optional; not before it takes effect.' }),
    field('licence-reason', 'Reason', reason, {
      pointer: '/reason', wide: true,
      help: 'Required to suspend or revoke a licence, and kept in the licence history.',
    }),
    field('licence-category', 'Public reason', category, {
      pointer: '/reason_category',
      help: 'Shown on the public record of a suspension or revocation; the reason above is not.',
    }),
    el('div', { class: 'field-wide form-actions' }, el('button', { type: 'submit', class: 'primary' }, 'Record the action')),
    el('div', { class: 'field-wide' }, alertEl));
  const label = form.querySelector('#licence-reason-label');
  const categoryField = category.parentElement;
  const mark = () => {
    const needed = REASON_REQUIRED.includes(action.value);
    categoryField.hidden = !needed;
    label.textContent = needed ? 'Reason (required)' : 'Reason';
    if (needed) reason.setAttribute('aria-required', 'true');
    else reason.removeAttribute('aria-required');
  };
  action.addEventListener('change', mark);
  mark();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    alertEl.textContent = 'Recording…';
    const body = { action: action.value };
    if (effective.value) body.effective_on = effective.value;
    if (expires.value) body.expires_on = expires.value;
    if (reason.value.trim()) body.reason = reason.value.trim();
    if (REASON_REQUIRED.includes(action.value) && category.value) body.reason_category = category.value;
    const res = await api('POST', `/api/v1/establishments/${e.id}/licence-actions`, body);
    if (res.status !== 201) {
      showProblem(form, alertEl, res, 'The action was not recorded');
      return;
    }
    showEstablishment(e.id, `${ACTIONS[body.action]}: recorded in the licence history.`);
  });
  return el('section', { 'aria-labelledby': 'licence-h' }, el('h3', { id: 'licence-h' }, 'Licence'),
    el('p', { id: 'licence-status', class: e.status === 'active' ? '' : 'licence-flag' },
      'Status: ', el('strong', {}, STATUS[e.status] || e.status),
      runs),
    el('h4', {}, 'History, newest first'), list,
    el('h4', {}, 'Record a licence action'), form);
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
  const print = el('button', { type: 'button', class: 'primary no-print' }, 'Print the new code');
  print.addEventListener('click', () => window.print());
  const done = el('button', { type: 'button', class: 'secondary no-print' }, 'Done: hide the code');
  const slip = el('div', { class: 'code-slip', id: 'code-slip', tabindex: '-1', 'aria-labelledby': 'code-slip-h' },
    el('h4', { id: 'code-slip-h' }, `New appeal code for the inspection of ${day(inspection.started_at.slice(0, 10))}`),
    el('p', {}, `${e.name}, licence ${e.licence_number}`),
    el('p', { class: 'slip-code', id: 'new-appeal-code' }, code),
    el('p', { role: 'alert' }, 'The old code no longer acts for the operator (it still shows the report, and that this code was issued). Give this code to the operator: it is shown only this once.'),
    el('p', { class: 'muted' }, `With the licence number, it opens the report at ${location.origin}/operator/.`),
    el('div', { class: 'form-actions' }, print, done));
  done.addEventListener('click', () => {
    slip.remove();
    hideSlip();
  });
  return slip;
}

function inspectionItem(e, i) {
  const when = day(i.started_at.slice(0, 10));
  const li = el('li', { class: 'inspection-row', id: `inspection-${i.id}` },
    el('p', {}, el('strong', {}, when), ` · ${i.type}`,
      ` · ${i.grade_label ? `grade ${i.grade_label}` : 'no grade'}${i.score === null ? '' : `, score ${i.score}`}`),
    el('p', { class: 'muted' }, `Inspection ${i.id}`));
  if (i.revision > 1) {
    li.append(el('p', { class: 'muted' }, `Revision ${i.revision}: the appeal code belongs to the original report.`));
    return li;
  }
  if (me.user.role !== 'clerk') {
    li.append(el('p', { class: 'muted' }, 'A clerk who had no part in the inspection replaces a lost appeal code.'));
    return li;
  }
  const st = el('p', { class: 'form-alert', role: 'alert', tabindex: '-1' });
  const ask = el('button', { type: 'button', class: 'secondary' }, 'Replace lost appeal code');
  const why = el('textarea', { rows: 2, maxlength: 500, required: true });
  const confirmBox = el('div', { class: 'confirm', hidden: true },
    el('p', {}, 'The code printed on the operator\'s report will stop working. Issue a new one?'),
    field(`reissue-reason-${i.id}`, 'Reason, and how the operator proved who they are', why, {
      pointer: '/reason', wide: true,
      help: 'Kept with the new code in the registry; not published. The operator is told a new code was issued.',
    }));
  const yes = el('button', { type: 'button', class: 'primary' }, 'Issue a new code');
  const no = el('button', { type: 'button', class: 'secondary' }, 'Keep the old code');
  confirmBox.append(el('div', { class: 'form-actions' }, yes, no));
  ask.setAttribute('aria-label', `Replace lost appeal code: inspection of ${when}`);
  ask.addEventListener('click', () => { confirmBox.hidden = false; ask.hidden = true; yes.focus(); });
  no.addEventListener('click', () => { confirmBox.hidden = true; ask.hidden = false; ask.focus(); });
  yes.addEventListener('click', async () => {
    if (!why.value.trim()) {
      st.textContent = 'Say why a new code is issued, and how the operator proved who they are.';
      why.focus();
      return;
    }
    st.textContent = 'Issuing…';
    const res = await api('POST', `/api/v1/inspections/${i.id}/appeal-code`, { reason: why.value.trim() });
    confirmBox.hidden = true;
    ask.hidden = false;
    if (res.status === 401) {
      expired();
      return;
    }
    if (res.status !== 201) {
      st.textContent = problemText(res, 'No new code was issued');
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
    : el('p', {}, 'No inspection has been submitted yet.');
  return el('section', { 'aria-labelledby': 'inspections-h' }, el('h3', { id: 'inspections-h' }, 'Latest inspections'),
    el('p', { class: 'muted' }, 'An operator who lost the report gets a new appeal code here; the old one stops working.'),
    list);
}

// ---- the operator's reply

function replySection(e) {
  const sec = el('section', { 'aria-labelledby': 'reply-h' }, el('h3', { id: 'reply-h' }, 'The operator\'s public reply'));
  const r = e.reply;
  if (!r) {
    sec.append(el('p', { id: 'reply-none' }, 'No reply is published.'));
    return sec;
  }
  sec.append(el('p', { class: 'muted' }, `Posted ${formatWhen(r.posted_at)}`),
    el('blockquote', { id: 'reply-text' }, r.text));
  if (r.moderated) sec.append(el('p', { id: 'reply-moderated' }, `Changed by the council: ${r.moderation_reason}`));
  const reason = el('textarea', { rows: 2, maxlength: 2000 });
  const text = el('textarea', { rows: 4, maxlength: 2000 });
  text.value = r.text;
  const alertEl = formAlert();
  const publish = el('button', { type: 'submit', class: 'primary', value: 'edit' }, 'Publish the edited wording');
  const withdraw = el('button', { type: 'submit', class: 'secondary', value: 'withdraw' }, 'Withdraw the reply');
  const form = el('form', { class: 'fields', novalidate: true, id: 'moderation-form' },
    field('moderation-reason', 'Reason for the change (required, published)', reason, { pointer: '/reason', wide: true,
      help: 'Say what was removed and why, for example "Personal details of an inspector removed".' }),
    field('moderation-text', 'Wording to publish instead', text, { pointer: '/text', wide: true,
      help: 'Edit out what may not be published. The text as posted is kept, never published again.' }),
    el('div', { class: 'field-wide form-actions' }, publish, withdraw),
    el('div', { class: 'field-wide' }, alertEl));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const removing = ev.submitter?.value === 'withdraw';
    const body = { reason: reason.value.trim() };
    if (!removing) {
      if (!text.value.trim()) {
        errorAt(form, '/text', 'Write the wording to publish, or withdraw the reply.');
        alertEl.textContent = 'Nothing was changed.';
        return;
      }
      body.text = text.value.trim();
    }
    alertEl.textContent = 'Saving…';
    const res = await api('POST', `/api/v1/replies/${r.id}/moderation`, body);
    if (res.status !== 200) {
      showProblem(form, alertEl, res, 'The reply was not changed');
      return;
    }
    showEstablishment(e.id, removing ? 'The reply was withdrawn from the public record.'
      : 'The edited wording is published in place of the reply.');
  });
  sec.append(el('h4', {}, 'Moderate the reply'), form);
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
    el('h3', { id: 'fixes-h' }, 'Corrective actions'),
    el('p', { class: 'muted' }, 'From the latest inspection; not on the public record.'),
    el('ul', {}, ...actions.map((a) => el('li', { 'data-code': a.code },
      el('strong', {}, a.code), ` ${a.description} · to be corrected by ${day(a.correct_by)}`,
      a.overdue ? el('strong', { class: 'overdue' }, ' · overdue') : ''))));
}

async function showEstablishment(id, note = '') {
  hideSlip();
  const [rec, hist, fixes] = await Promise.all([
    read(`/api/v1/establishments/${id}`),
    read(`/api/v1/establishments/${id}/licence-actions`),
    read(`/api/v1/establishments/${id}/corrective-actions`),
  ]);
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to search');
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
      el('p', { role: 'alert', class: 'notice notice-bad' }, problemText(failed, 'The establishment could not be opened')));
    return;
  }
  const e = rec.data;
  const addr = [e.address?.line, e.address?.city, e.address?.postcode].filter(Boolean).join(', ');
  const summary = el('dl', { class: 'facts' },
    el('dt', {}, 'Licence number'), el('dd', { id: 'est-licence' }, e.licence_number),
    el('dt', {}, 'Jurisdiction'), el('dd', {}, `${e.jurisdiction} (scheme ${e.scheme})`),
    el('dt', {}, 'Address'), el('dd', {}, addr || 'none given'),
    el('dt', {}, 'Licence'), el('dd', { id: 'est-status' }, STATUS[e.status] || e.status),
    el('dt', {}, 'Grade shown to the public'), el('dd', {}, gradeBadge(e.grade), ` ${e.grade?.label || 'No grade'}`));
  app.replaceChildren(el('div', {}, back),
    el('h2', { id: 'est-title', tabindex: '-1' }, e.name),
    el('p', { class: 'status', role: 'status', id: 'est-note' }),
    summary,
    el('nav', { class: 'jump', 'aria-label': 'Parts of this record' },
      el('a', { href: '#licence-h' }, 'Licence'), el('a', { href: '#details-h' }, 'Details'),
      el('a', { href: '#inspections-h' }, 'Inspections'), el('a', { href: '#reply-h' }, 'Reply'),
      el('a', { href: `/establishment.html?id=${e.id}` }, 'The public record')),
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
  const out = el('button', { type: 'button', class: 'secondary' }, 'Sign out');
  out.addEventListener('click', async () => {
    await signOut();
    me = null;
    who.replaceChildren();
    mountSignIn(app, start);
  });
  who.replaceChildren(`${session.user.display_name} `, out);
  if (!ROLES.includes(session.user.role)) {
    const there = ELSEWHERE[session.user.role];
    app.replaceChildren(el('div', { class: 'notice notice-bad', role: 'alert', id: 'refused' },
      el('p', {}, 'The licence registry is for clerks and administrators. You are signed in as ',
        el('strong', {}, session.user.role.replace('_', ' ')), '.'),
      there ? el('p', {}, 'Your work is in ', el('a', { href: there[0] }, there[1]), '.') : null));
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

const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
