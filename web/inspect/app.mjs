// app.mjs - the inspector's tablet app: sign in once, see the due list, inspect with or
// without signal, and let sync.mjs send each inspection once and only once.
//
// Everything the inspector does is written to IndexedDB (store.mjs) as it happens; the page
// can be reloaded or the tablet restarted at any moment. The score and grade preview is
// computed on the tablet by grade.mjs, the same rules the server grades with.
import { el, formatAddress } from '/js/portal.mjs';
import {
  i18nInit, t, tParts, wording, formatDay, lang, PSEUDO,
} from '/js/i18n.mjs';
import * as store from './store.mjs';
import * as sync from './sync.mjs';
import { compute } from './grade.mjs';
import { check } from './validate.mjs';
import { localDay, versionOn, versionsFor } from './versions.mjs';

const PHOTO_MAX_EDGE = 1600;
const PHOTO_MAX_BYTES = 700 * 1024; // the server takes up to 750 KiB
const MARKS = ['in', 'out', 'not_observed', 'not_applicable'];
const TYPES = ['initial', 'reinspection', 'complaint', 'pre-permit', 'reopening'];

// The words for a checklist mark, an inspection type (as a choice, and as a word in a line)
// and a sync state, in the page's language.
function markLabel(mark) {
  return t(`inspect.mark.${mark}`);
}

function typeLabel(type) {
  return t(`inspect.type.${type.replace('-', '_')}`);
}

function typeWord(type) {
  const key = `inspect.type_word.${String(type).replace('-', '_')}`;
  return TYPES.includes(type) ? t(key) : type;
}

function stateText(state) {
  return ['saved', 'sending', 'synced', 'attention', 'submitted'].includes(state) ? t(`inspect.state.${state}`) : state;
}

// A scheme's texts in the page's language (wording(): the "wording" catalogue, else the
// scheme's own local wording when it is in this language).
function schemeName(scheme) {
  return wording(scheme.name, null, scheme);
}

function itemDescription(scheme, item) {
  return wording(item?.description || '', item?.local_description, scheme);
}

function gradeLabel(scheme, r) {
  const band = (scheme?.bands || []).find((b) => b.code === r.code && b.label === r.label);
  return wording(r.label, band?.local_label, scheme);
}

// The start of a long text, for a choice in a list (the pseudo-language's brackets kept).
function shortText(s, n = 40) {
  const cut = s.slice(0, n);
  return s.startsWith('⟦') && cut.length < s.length ? `${cut}⟧` : cut;
}

// A time of day in the page's language (the pseudo-language shows it as digits alone).
function timeOf(iso) {
  return new Date(iso).toLocaleTimeString(lang() === PSEUDO ? 'en-GB' : lang());
}

const app = document.getElementById('app');
let current = null; // the inspection open in the form
let view = null; // what is shown: 'home', 'form', 'report', 'find', 'signin'
let saveTimer = null;

// Who will read a field, said beside it (and tied to it with aria-describedby): the public
// record shows what was seen and the readings word for word; notes and the signer's name
// stay with staff.
function published(id, text = t('inspect.audience.public')) {
  return el('p', { id, class: 'audience audience-public' }, text);
}

function internal(id, text) {
  return el('p', { id, class: 'audience audience-internal' }, text);
}

// @nodes may hold null for a part not shown (replaceChildren would write it as "null").
function show(name, ...nodes) {
  view = name;
  app.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
}

// A day in the page's language. Its words are Intl's, not a catalogue's: an element that
// holds a date alone is marked translate="no".
function fmtDate(s) {
  return s ? formatDay(s, 'medium') : '';
}

function setNet() {
  const net = document.getElementById('net');
  net.textContent = navigator.onLine ? t('inspect.net.online') : t('inspect.net.offline');
  net.className = navigator.onLine ? 'net net-on' : 'net net-off';
}

// ---- signing in -----------------------------------------------------------------------

async function restoreSession() {
  const cached = await store.cacheGet('session');
  const signedOut = await store.cacheGet('signout');
  if (signedOut && navigator.onLine) {
    // Signed out with no signal: end the server's session too, now that it can be reached.
    sync.setSession({ csrf: signedOut.csrf });
    try { await sync.api('DELETE', '/api/v1/session'); } catch { /* already over */ }
    sync.setSession(null);
    await store.cachePut('signout', null);
    return null;
  }
  if (signedOut) return null;
  if (navigator.onLine) {
    try {
      const r = await sync.api('GET', '/api/v1/session');
      const s = { user: r.data.user, csrf: r.data.csrf_token };
      await store.cachePut('session', s);
      return s;
    } catch (e) {
      if (e.status === 401) return null;
    }
  }
  return cached || null; // offline: the session signed in last time
}

function signInView(message) {
  const status = el('p', { class: 'status', role: 'alert' }, message || '');
  const form = el('form', { class: 'fields signin', novalidate: true },
    el('label', { for: 'username' }, t('inspect.signin.username')),
    el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true }),
    el('label', { for: 'password' }, t('inspect.signin.password')),
    el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    el('button', { class: 'primary big', type: 'submit' }, t('inspect.signin.submit')),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!navigator.onLine) { status.textContent = t('inspect.signin.offline'); return; }
    try {
      const r = await sync.api('POST', '/api/v1/session',
        { username: form.username.value, password: form.password.value });
      if (['clerk', 'admin'].includes(r.data.user.role)) {
        status.replaceChildren(...tParts('inspect.signin.not_for_clerks',
          { link: el('a', { href: '/registry/' }, t('inspect.signin.registry_link')) }));
        return;
      }
      const s = { user: r.data.user, csrf: r.data.csrf_token };
      await store.cachePut('session', s);
      await store.cachePut('signout', null);
      sync.setSession(s);
      // Inspections held back for a new sign-in may go now.
      for (const rec of await store.all('inspections'))
        if (rec.attention?.reason === 'signin')
          await store.update('inspections', rec.id, (x) => Object.assign(x, { syncState: 'saved', attention: null }));
      await refreshDue();
      sync.syncAll();
      home();
    } catch (e) {
      status.textContent = e.status === 401 ? t('inspect.signin.mismatch') : t('inspect.signin.failed', { error: e.message });
    }
  });
  show('signin', el('h1', {}, t('inspect.signin.heading')),
    el('p', {}, t('inspect.signin.once')), form);
  form.username.focus();
}

// ---- the due list and what the form needs offline -------------------------------------

async function refreshDue() {
  if (!navigator.onLine) return;
  const due = (await sync.api('GET', '/api/v1/inspector/due?days=30')).data;
  await store.cachePut('due', due);
  // The days each scheme is needed for: today, the due visits' days and the days of the
  // visits kept on this tablet (drafts, and those sent, whose report it may show again).
  const today = localDay();
  const days = new Map();
  const need = (code, day) => days.set(code, [...(days.get(code) || []), day]);
  for (const item of due.items) {
    const form = (await sync.api('GET', `/api/v1/inspector/establishments/${item.establishment.id}`)).data;
    await store.cachePut(`form:${item.establishment.id}`, form);
    await remember(form.establishment);
    need(form.scheme.code, today);
    if (item.due_on && item.due_on > today) need(form.scheme.code, item.due_on);
  }
  for (const rec of await store.all('inspections'))
    if (rec.scheme) need(rec.scheme, localDay(rec.startedAt));
  for (const [code, list] of days) await cacheVersions(code, list);
}

// Keep the versions of scheme @code in force on @days (YYYY-MM-DD) on this tablet, and the
// list of its versions. A published version never changes: one already kept is not fetched
// again.
async function cacheVersions(code, days) {
  const list = (await sync.api('GET', `/api/v1/schemes/${encodeURIComponent(code)}/versions`)).data;
  await store.cachePut(`versions:${code}`, list.versions);
  for (const n of versionsFor(list.versions, days))
    if (!(await store.cacheGet(`scheme:${code}:${n}`)))
      await store.cachePut(`scheme:${code}:${n}`,
        (await sync.api('GET', `/api/v1/schemes/${encodeURIComponent(code)}/versions/${n}`)).data);
}

// The scheme version @rec is graded under: the version of its scheme in force on the day its
// visit started, as kept on this tablet (null when it was never downloaded).
async function schemeOf(rec) {
  const versions = await store.cacheGet(`versions:${rec.scheme}`);
  const n = versionOn(versions, localDay(rec.startedAt));
  return n === null ? null : (await store.cacheGet(`scheme:${rec.scheme}:${n}`)) || null;
}

// ---- unscheduled visits (a complaint, a re-opening) -----------------------------------

const SEEN_MAX = 500;

// Keep @e (an establishment as a form or a search answers it) among those seen on this
// tablet, so it can be found again with no signal. The newest SEEN_MAX are kept.
async function remember(e) {
  const seen = (await store.cacheGet('seen')) || [];
  const entry = {
    id: e.id, name: e.name, licence_number: e.licence_number,
    address: e.address || null, scheme: e.scheme?.code || e.scheme || null,
  };
  await store.cachePut('seen', [entry, ...seen.filter((x) => x.id !== e.id)].slice(0, SEEN_MAX));
}

// The form and scheme of establishment @id: fetched and cached with a connection, else the
// cached ones (undefined when it was never seen).
async function formOf(id) {
  if (navigator.onLine) {
    try {
      const form = (await sync.api('GET', `/api/v1/inspector/establishments/${id}`)).data;
      await store.cachePut(`form:${id}`, form);
      await remember(form.establishment);
      await cacheVersions(form.scheme.code, [localDay()]);
      return form;
    } catch (e) {
      if (e.status) throw e;
    }
  }
  return store.cacheGet(`form:${id}`);
}

function findView() {
  const q = el('input', { id: 'find-q', type: 'search', maxlength: 100, autocomplete: 'off' });
  const type = el('select', { id: 'find-type' },
    TYPES.map((v) => el('option', { value: v, selected: v === 'complaint' }, typeLabel(v))));
  const results = el('ul', { class: 'due-list find-results', 'aria-live': 'polite' });
  const status = el('p', { class: 'status', role: 'status' });
  const list = (items, offline) => {
    status.textContent = items.length ? '' : offline ? t('inspect.find.none_seen') : t('inspect.find.none');
    results.replaceChildren(...items.map((e) => el('li', { class: 'due find-item' },
      el('div', { class: 'due-body' },
        el('p', { class: 'due-name', translate: 'no' }, e.name),
        el('p', { class: 'muted' }, t('inspect.licence', { licence: e.licence_number }),
          el('span', { translate: 'no' }, [e.address?.line, e.address?.city].filter(Boolean).map((x) => ` · ${x}`).join('')))),
      el('div', { class: 'due-actions' },
        el('button', { class: 'primary big', type: 'button', onclick: () => startUnscheduled(e, type.value, status) },
          t('inspect.find.start', { name: e.name }))))));
  };
  const form = el('form', { class: 'fields find', role: 'search' },
    el('label', { for: 'find-q' }, t('inspect.find.query')), q,
    el('label', { for: 'find-type' }, t('inspect.form.type')), type,
    el('button', { class: 'primary big', type: 'submit' }, t('inspect.find.submit')), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = q.value.trim();
    if (!text) { status.textContent = t('inspect.find.empty'); return; }
    if (navigator.onLine) {
      try {
        const [byName, byLicence] = await Promise.all([
          sync.api('GET', `/api/v1/establishments?q=${encodeURIComponent(text)}&limit=20`),
          sync.api('GET', `/api/v1/establishments?licence=${encodeURIComponent(text)}&limit=5`).catch(() => ({ data: { items: [] } }))]);
        const items = [...byLicence.data.items, ...byName.data.items.filter((x) => !byLicence.data.items.some((y) => y.id === x.id))];
        for (const e of items) await remember(e);
        list(items, false);
        // The forms of what was found, kept for a start with no signal later.
        for (const e of items.slice(0, 10)) await formOf(e.id).catch(() => undefined);
        return;
      } catch (e) {
        if (e.status) { status.textContent = t('inspect.find.failed', { error: e.message }); return; }
      }
    }
    const words = text.toLowerCase().split(/\s+/);
    const seen = (await store.cacheGet('seen')) || [];
    list(seen.filter((e) => words.every((w) => `${e.name} ${e.licence_number}`.toLowerCase().includes(w))), true);
  });
  show('find',
    el('div', { class: 'bar' }, el('button', { class: 'secondary', type: 'button', onclick: () => home() }, t('inspect.back_to_due'))),
    el('h1', {}, t('inspect.find.heading')),
    el('p', {}, t('inspect.find.intro')),
    form, results);
  q.focus();
}

async function startUnscheduled(e, type, status) {
  let form;
  try { form = await formOf(e.id); } catch (err) { status.textContent = t('inspect.find.open_failed', { error: err.message }); return; }
  if (!form || !(await schemeOf({ scheme: form.scheme.code, startedAt: new Date().toISOString() }))) {
    status.textContent = t('inspect.find.not_seen', { name: e.name });
    return;
  }
  startInspection({ establishment: form.establishment, suggested_type: type });
}

function dueReason(item) {
  if (item.reason === 'reinspection') return t('inspect.due.reinspection', { date: fmtDate(item.not_before) });
  if (item.reason === 'followup') return t('inspect.due.followup');
  if (item.reason === 'rerating') {
    if (item.rerating?.state === 'scheduled')
      return t('inspect.due.rerating_scheduled', { visit: fmtDate(item.rerating.visit_on), date: fmtDate(item.not_before) });
    return t('inspect.due.rerating', { date: fmtDate(item.not_before) });
  }
  const risk = item.establishment.risk_category;
  return item.last_inspection ? t('inspect.due.routine', { risk }) : t('inspect.due.first', { risk });
}

async function home() {
  current = null;
  const [due, all] = await Promise.all([store.cacheGet('due'), store.all('inspections')]);
  const session = await store.cacheGet('session');
  // A shared tablet shows each inspector only their own work.
  const local = all.filter((r) => !r.inspectorId || r.inspectorId === session?.user?.id);
  local.sort((a, b) => (b.updatedAt || '').localeCompare(a.updatedAt || ''));

  const dueList = el('ol', { class: 'due-list' });
  for (const item of due?.items || []) {
    const e = item.establishment;
    const mine = local.find((r) => r.establishmentId === e.id && !r.submitted);
    const rerating = item.reason === 'rerating';
    dueList.append(el('li', { class: `due ${item.overdue ? 'due-overdue' : ''} ${rerating ? 'due-rerating' : ''}` },
      el('div', { class: 'due-body' },
        el('p', { class: 'due-name' }, el('span', { translate: 'no' }, e.name), rerating ? ' ' : null,
          rerating ? el('span', { class: 'tag tag-rerating' }, t('inspect.due.rerating_tag')) : null),
        [e.address?.line, e.address?.city].filter(Boolean).length
          ? el('p', { class: 'muted', translate: 'no' }, formatAddress(e.address, ['line', 'city']))
          : el('p', { class: 'muted' }, t('inspect.licence', { licence: e.licence_number })),
        rerating && item.rerating?.improvements
          ? el('p', { class: 'rerating-improvements' }, ...tParts('inspect.due.improvements',
            { text: el('span', { translate: 'no' }, item.rerating.improvements) })) : null,
        el('p', {}, dueReason(item), ' · ',
          item.overdue ? el('strong', { class: 'overdue' }, t('inspect.due.overdue', { n: item.days_overdue }))
            : t('inspect.due.due_on', { date: fmtDate(item.due_on) }))),
      el('div', { class: 'due-actions' },
        mine ? el('button', { class: 'primary big', type: 'button', onclick: () => openForm(mine.id) }, t('inspect.due.continue'))
          : el('button', { class: 'primary big', type: 'button', onclick: () => startInspection(item) }, t('inspect.due.start')),
        item.draft_id && !local.some((r) => r.serverId === item.draft_id)
          ? el('button', { class: 'secondary big', type: 'button', onclick: () => openServerDraft(item) },
            t('inspect.due.open_draft', { id: item.draft_id }))
          : null)));
  }

  const localList = el('ul', { class: 'local-list' });
  for (const rec of local) localList.append(localItem(rec));

  show('home',
    el('div', { class: 'bar' },
      el('p', {}, ...tParts('inspect.home.signed_in_as',
        { name: el('span', { translate: 'no' }, session?.user?.display_name || '') })),
      el('button', { class: 'secondary', type: 'button', disabled: !navigator.onLine, onclick: async () => {
        try { await refreshDue(); } catch (e) { alert(t('inspect.home.refresh_failed', { error: e.message })); }
        home();
      } }, t('inspect.home.refresh')),
      el('button', { class: 'secondary', type: 'button', onclick: () => findView() }, t('inspect.find.heading')),
      el('button', { class: 'secondary', type: 'button', onclick: () => signOut() }, t('inspect.home.sign_out'))),
    el('h1', {}, t('inspect.home.heading')),
    due ? (due.items.length ? dueList : el('p', {}, t('inspect.home.nothing_due')))
      : el('p', {}, t('inspect.home.not_loaded')),
    el('h2', {}, t('inspect.home.on_tablet')),
    local.length ? localList : el('p', { class: 'muted' }, t('inspect.home.no_inspections')));
}

function localItem(rec) {
  const state = stateText(rec.submitted && rec.syncState === 'synced' ? 'submitted' : rec.syncState);
  const meta = { date: fmtDate(rec.startedAt), id: rec.serverId };
  const li = el('li', { class: `local state-${rec.syncState}`, 'data-id': rec.id },
    el('div', {},
      el('p', { class: 'due-name', translate: 'no' }, rec.establishmentName),
      el('p', { class: 'muted' }, typeWord(rec.type), ' · ',
        rec.serverId ? t('inspect.local.started_numbered', meta) : t('inspect.local.started', meta)),
      el('p', { class: 'sync-state', 'data-state': rec.syncState },
        rec.attention ? t('inspect.local.state_reason', { state, reason: attentionText(rec.attention) }) : state)),
    el('div', { class: 'due-actions' },
      el('button', { class: 'secondary big', type: 'button', onclick: () => openForm(rec.id) },
        rec.submitted ? t('inspect.local.view') : t('inspect.local.open')),
      conflictButtons(rec)));
  return li;
}

function attentionText(a) {
  if (a.reason === 'conflict') return t('inspect.attention.conflict');
  if (a.reason === 'signin') return t('inspect.attention.signin');
  if (a.reason === 'refused')
    return t('inspect.attention.refused', { detail: a.detail || t('inspect.attention.no_reason') });
  // The server's words (a refused photo), in the tablet's language.
  return t('inspect.attention.other', { detail: a.detail || a.reason });
}

function attentionBanner(rec) {
  if (!rec.attention) return '';
  return el('div', { class: 'notice notice-warn', role: 'alert' },
    el('p', {}, t('inspect.attention.banner', { reason: attentionText(rec.attention) })), conflictButtons(rec));
}

function conflictButtons(rec) {
  if (rec.attention?.reason !== 'conflict') return null;
  const run = (how) => async () => {
    try { await sync.resolve(rec, how); } catch (e) { alert(t('inspect.conflict.failed', { error: e.message })); }
    current && current.id === rec.id ? openForm(rec.id) : home();
  };
  return el('div', { class: 'conflict-actions' },
    el('button', { class: 'primary big', type: 'button', onclick: run('kept_device') }, t('inspect.conflict.keep_device')),
    el('button', { class: 'secondary big', type: 'button', onclick: run('kept_server') }, t('inspect.conflict.keep_server')));
}

// Sign out of a shared tablet: the session ends, and the inspections of this inspector that
// were sent leave the tablet with their photos. Work not sent yet is never dropped
// silently: it stays on the tablet, hidden from whoever signs in next, and goes when this
// inspector signs in here again; the inspector is told so and may stay signed in instead.
async function signOut() {
  const session = await store.cacheGet('session');
  if (navigator.onLine) await sync.syncAll().catch(() => undefined);
  const mine = (await store.all('inspections')).filter((r) => !r.inspectorId || r.inspectorId === session?.user?.id);
  const sent = mine.filter((r) => r.submitted && r.syncState === 'synced');
  const unsent = mine.filter((r) => !sent.includes(r));
  if (unsent.length && !confirm(t('inspect.signout.confirm',
    { n: unsent.length, names: unsent.map((r) => r.establishmentName).join(t('inspect.list_separator')) }))) return;
  for (const r of sent) {
    for (const p of await store.photosOf(r.id)) await store.remove('photos', p.id);
    await store.remove('inspections', r.id);
  }
  if (navigator.onLine) {
    try { await sync.api('DELETE', '/api/v1/session'); } catch { await store.cachePut('signout', { csrf: session?.csrf }); }
  } else {
    await store.cachePut('signout', { csrf: session?.csrf });
  }
  await store.cachePut('session', null);
  await store.cachePut('due', null);
  sync.setSession(null);
  signInView(unsent.length ? t('inspect.signout.kept', { n: unsent.length }) : t('inspect.signout.done'));
}

async function startInspection(item) {
  const e = item.establishment;
  const form = await store.cacheGet(`form:${e.id}`);
  if (!form) { alert(t('inspect.start.not_downloaded')); return; }
  const session = await store.cacheGet('session');
  const marks = {};
  const rec = {
    inspectorId: session?.user?.id ?? null, inspectorName: session?.user?.display_name || '',
    id: crypto.randomUUID(), establishmentId: e.id, establishmentName: e.name, scheme: form.scheme.code,
    type: item.suggested_type || form.suggested_type || 'initial', startedAt: new Date().toISOString(),
    marks, readings: [], notes: '', signature: null, closed: false, finished: false,
    rev: 1, syncState: 'saved', updatedAt: new Date().toISOString(),
  };
  await store.saveInspection(rec);
  openForm(rec.id);
}

async function openServerDraft(item) {
  try {
    const s = (await sync.api('GET', `/api/v1/staff/inspections/${item.draft_id}`)).data;
    const session = await store.cacheGet('session');
    const rec = sync.fromServer({
      inspectorId: session?.user?.id ?? null, inspectorName: session?.user?.display_name || '',
      id: crypto.randomUUID(), establishmentId: item.establishment.id, establishmentName: item.establishment.name,
      scheme: s.scheme, finished: false, syncState: 'synced', updatedAt: new Date().toISOString(),
    }, s);
    await store.saveInspection(rec);
    await cacheVersions(rec.scheme, [localDay(rec.startedAt)]);
    openForm(rec.id);
  } catch (e) {
    alert(t('inspect.draft.failed', { error: e.message }));
  }
}

// ---- the operator's report -------------------------------------------------------------

// The appeal code printed on the report: made here, so that the report handed over in the
// kitchen carries it even without signal; the submission sends it and the server keeps its
// hash. The alphabet has no look-alikes (0/O, 1/I/L), as the server's codes.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LEN = 10;

function drawAppealCode() {
  let out = '';
  const buf = new Uint8Array(32);
  while (out.length < CODE_LEN) {
    crypto.getRandomValues(buf);
    // 248 = 8 * 31: bytes below it map evenly onto the alphabet; the rest are dropped.
    for (const b of buf) if (b < 248 && out.length < CODE_LEN) out += CODE_ALPHABET[b % 31];
  }
  return out;
}

// The server refuses a code that is easy to guess, as appeal_code_strong() in
// src/domain/appeal.c: at least 7 different characters, no four in a row of the alphabet.
function strongAppealCode(code) {
  if (new Set(code).size < 7) return false;
  let up = 1, down = 1;
  for (let i = 1; i < code.length; i++) {
    const d = CODE_ALPHABET.indexOf(code[i]) - CODE_ALPHABET.indexOf(code[i - 1]);
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (up >= 4 || down >= 4) return false;
  }
  return true;
}

function makeAppealCode() {
  let code;
  do code = drawAppealCode();
  while (!strongAppealCode(code));
  return code;
}

function printedCode(code) {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

// Where and until when the operator uses the code, as one sentence.
function reportGoTo(scheme, startedAt, where) {
  const r = scheme?.rules || {};
  if (r.appeal_window === 'within_days')
    return t('inspect.report.go_to_by', { where, date: fmtDate(`${appealDeadline(scheme, startedAt)}T12:00:00`) });
  if (r.appeal_window === 'until_hearing') return t('inspect.report.go_to_hearing', { where });
  return t('inspect.report.go_to', { where });
}

// What the operator may do with the code under @scheme's rules (a scheme without appeals or
// without re-rating visits on request is not said to offer them).
function reportCodeHeading(scheme) {
  const r = scheme?.rules;
  if (!r) return t('inspect.report.code_heading.all');
  const appeal = r.appeal_window && r.appeal_window !== 'none', rerating = r.rerating_standstill_days > 0;
  if (appeal && rerating) return t('inspect.report.code_heading.all');
  if (appeal) return t('inspect.report.code_heading.appeal_reply');
  if (rerating) return t('inspect.report.code_heading.reply_rerating');
  return t('inspect.report.code_heading.reply_only');
}

// The last day to appeal, as a date (YYYY-MM-DD, the inspection's day plus the scheme's
// window), or null when the scheme's window is not a number of days.
function appealDeadline(scheme, startedAt) {
  const r = scheme.rules || {};
  if (r.appeal_window !== 'within_days' || !startedAt) return null;
  const d = new Date(startedAt);
  d.setDate(d.getDate() + r.appeal_window_days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function reportView(id) {
  const rec = await store.get('inspections', id);
  if (!rec) return home();
  current = null;
  const [form, scheme] = await Promise.all([
    store.cacheGet(`form:${rec.establishmentId}`), schemeOf(rec)]);
  const r = scheme ? compute(scheme, previewInput(rec, form)) : { error: true };
  const byCode = new Map((scheme?.violations || []).map((v) => [v.code, v]));
  const cited = Object.entries(rec.marks || {}).filter(([, m]) => m.mark === 'out');
  const deadline = scheme ? appealDeadline(scheme, rec.startedAt) : null;
  const photos = await store.photosOf(rec.id);
  const session = await store.cacheGet('session');
  const inspector = rec.inspectorName || session?.user?.display_name || '';
  const where = `${location.origin}/operator/`;
  show('report',
    el('div', { class: 'bar no-print' },
      el('button', { class: 'secondary', type: 'button', onclick: () => home() }, t('inspect.back_to_due')),
      el('button', { class: 'secondary', type: 'button', onclick: () => openForm(rec.id) }, t('inspect.report.the_inspection'))),
    el('article', { class: 'report', 'aria-labelledby': 'report-title', 'data-id': rec.id },
      el('h1', { id: 'report-title' }, t('inspect.report.heading')),
      el('p', { class: 'report-est', translate: 'no' }, rec.establishmentName),
      form ? el('p', {}, t('inspect.licence', { licence: form.establishment.licence_number })) : null,
      el('p', {}, scheme ? t('inspect.report.inspected_under', { date: fmtDate(rec.startedAt), scheme: schemeName(scheme) })
        : t('inspect.report.inspected', { date: fmtDate(rec.startedAt) })),
      r.error ? null : el('p', { class: 'report-grade', 'data-grade': r.code || '' },
        r.code ? t('inspect.score_grade', { score: r.score, grade: gradeLabel(scheme, r) })
          : t('inspect.score_label', { score: r.score, label: gradeLabel(scheme, r) })),
      r.error ? null : el('p', { class: 'muted' }, t('inspect.report.rule', { rule: r.rule })),
      inspector ? el('p', { id: 'report-inspector' }, ...tParts('inspect.report.inspector',
        { name: el('span', { translate: 'no' }, inspector) })) : null,
      el('h2', {}, cited.length ? t('inspect.report.found') : t('inspect.report.none_cited')),
      cited.length ? el('ul', { class: 'report-items' }, cited.map(([code, m]) =>
        el('li', { 'data-code': code }, el('strong', {}, code), ` ${itemDescription(scheme, byCode.get(code))}`,
          ` · ${t('common.points', { n: Number(m.points) })}`,
          m.corrected ? ` · ${t('inspect.report.corrected_on_site')}` : '',
          m.correctBy ? el('span', { class: 'correct-by', 'data-date': m.correctBy },
            ' · ', ...tParts('inspect.report.correct_by',
              { date: el('time', { datetime: m.correctBy, translate: 'no' }, fmtDate(`${m.correctBy}T12:00:00`)) })) : null,
          m.note ? el('span', { class: 'muted' }, ' ', t('inspect.report.note', { note: m.note })) : null))) : null,
      rec.readings?.length ? el('h2', {}, t('inspect.report.readings')) : null,
      rec.readings?.length ? el('ul', { class: 'report-readings' }, rec.readings.map((x) =>
        el('li', {}, readingText(x)))) : null,
      photos.length ? el('h2', {}, t('inspect.report.photos', { n: photos.length })) : null,
      photos.length ? el('ul', { class: 'report-photos' }, photos.map((ph) => {
        const url = URL.createObjectURL(ph.blob);
        const time = timeOf(ph.takenAt);
        return el('li', {}, el('img', {
          src: url,
          alt: ph.code ? t('inspect.report.photo_alt_code', { code: ph.code, time }) : t('inspect.report.photo_alt', { time }),
        }),
        el('span', { class: 'muted', translate: 'no' }, `${ph.code || ''} ${time}`));
      })) : null,
      rec.signature?.image ? el('section', { class: 'report-signature', 'aria-label': t('inspect.form.signature') },
        el('h2', {}, t('inspect.report.signed')),
        el('img', {
          src: rec.signature.image,
          alt: rec.signature.name ? t('inspect.report.signature_of', { name: rec.signature.name }) : t('inspect.report.signature_of_operator'),
        }),
        el('p', { translate: 'no' }, rec.signature.name || '')) : null,
      rec.appealCode ? el('section', { class: 'report-code', 'aria-label': t('inspect.report.appeal_code') },
        el('h2', {}, reportCodeHeading(scheme)),
        el('p', {}, t('inspect.report.appeal_code')),
        el('p', { id: 'appeal-code', class: 'appeal-code', translate: 'no' }, printedCode(rec.appealCode)),
        el('p', {}, reportGoTo(scheme, rec.startedAt, where)),
        deadline ? el('p', { id: 'appeal-deadline', 'data-date': deadline }, ...tParts('inspect.report.deadline',
          { date: el('time', { datetime: deadline, translate: 'no' }, fmtDate(`${deadline}T12:00:00`)) })) : null,
        el('p', { class: 'muted' }, t('inspect.report.keep_code'))) : null,
      el('p', { class: 'muted no-print', id: 'report-state' },
        rec.submitted ? t('inspect.report.sent') : t('inspect.report.saved'))),
    el('div', { class: 'finish no-print' },
      el('button', { class: 'primary big', type: 'button', onclick: () => print() }, t('inspect.report.print')),
      el('button', { class: 'secondary big', type: 'button', onclick: () => home() }, t('inspect.report.done'))));
  app.focus();
}

// A temperature reading as a line: what, where, the temperature, the item it supports.
function readingText(x) {
  const args = { item: x.item, location: x.location, value: x.value, unit: x.unit };
  const text = x.location ? t('inspect.reading.at', args) : t('inspect.reading.plain', args);
  return `${text}${x.code ? ` · ${x.code}` : ''}`;
}

// ---- the inspection form ---------------------------------------------------------------

// Save @changes (an object, or a function of the stored record giving one) in one
// IndexedDB transaction. Changes that build on what is stored (a mark added to the marks)
// must be functions: two taps in quick succession each start from the record as the
// other left it, never from the page's older copy, so no tap is lost.
const saving = new Set(); // saves in flight: Finish waits for them

function save(changes = {}) {
  const p = saveNow(changes);
  saving.add(p);
  p.finally(() => saving.delete(p));
  return p;
}

async function saveNow(changes) {
  const rec = await store.update('inspections', current.id, (r) => {
    Object.assign(r, typeof changes === 'function' ? changes(r) : changes, {
      rev: (r.rev || 0) + 1, updatedAt: new Date().toISOString(),
      syncState: r.syncState === 'attention' && r.attention?.reason === 'conflict' ? 'attention' : 'saved',
    });
    if (r.syncState === 'saved') r.attention = null;
  });
  current = rec;
  document.getElementById('saved-state').textContent =
    rec.syncState === 'attention' ? t('inspect.form.saved_conflict') : t('inspect.form.saved');
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => sync.syncAll(), 1500);
  return rec;
}

function previewInput(rec, form) {
  const violations = Object.entries(rec.marks).filter(([, m]) => m.mark === 'out')
    .map(([code, m]) => ({ code, points: Number(m.points), dismissed: false }));
  return { type: rec.type, closed: rec.closed, daysSincePrevious: daysSince(form), elements: null, violations };
}

function renderPreview(rec, scheme, form, box) {
  const r = compute(scheme, previewInput(rec, form));
  box.replaceChildren();
  if (r.error) {
    box.dataset.grade = '';
    const name = schemeName(scheme);
    const why = r.field === 'days_since_previous'
      ? t('inspect.preview.too_soon', { scheme: name, n: scheme.rules.min_days_before_reinspection || scheme.rules.rerating_standstill_days })
      : r.index >= 0 ? t('inspect.preview.check_item', { field: r.field, item: r.index + 1, scheme: name })
        : t('inspect.preview.check', { field: r.field, scheme: name });
    box.append(el('p', { class: 'preview-score' }, t('inspect.preview.none')), el('p', {}, why));
    return;
  }
  box.dataset.grade = r.code;
  box.dataset.score = String(r.score);
  box.append(
    el('p', { class: 'preview-score' }, r.code ? t('inspect.score_grade', { score: r.score, grade: gradeLabel(scheme, r) })
      : t('inspect.score_label', { score: r.score, label: gradeLabel(scheme, r) })),
    el('p', {}, t('inspect.preview.rule', { rule: r.rule })));
}

// The form's element for a field the server names ("/violations/0/points"), given the
// document the field refers to.
function fieldElement(field, doc) {
  if (!field) return null;
  let m = /^\/violations\/(\d+)(?:\/(\w+))?/.exec(field);
  if (m) {
    const code = doc.violations?.[Number(m[1])]?.code;
    if (!code) return null;
    if (m[2] === 'points') return document.getElementById(`pts-${code}`);
    if (m[2] === 'observed') return document.getElementById(`note-${code}`);
    if (m[2] === 'correct_by') return document.getElementById(`fix-${code}`);
    return document.querySelector(`fieldset[data-code="${CSS.escape(code)}"]`);
  }
  if ((m = /^\/checklist\/(.+)$/.exec(field))) return document.querySelector(`fieldset[data-code="${CSS.escape(m[1])}"]`);
  if ((m = /^\/readings\/(\d+)/.exec(field))) return document.querySelectorAll('ul.readings > li')[Number(m[1])] || null;
  const ids = { '/type': 'type', '/started_at': 'type', '/notes': 'notes', '/operator_signature/name': 'sig-name',
    '/operator_signature/image': 'signature', '/operator_signature': 'signature' };
  return ids[field] ? document.getElementById(ids[field]) : null;
}

// Show @problem ({ field, detail }, or null to clear) at its field, as the server would name it.
function showProblem(problem, doc) {
  for (const e of document.querySelectorAll('.field-error')) e.remove();
  for (const e of document.querySelectorAll('[aria-invalid="true"]')) {
    e.removeAttribute('aria-invalid');
    e.removeAttribute('aria-errormessage');
  }
  if (!problem) return;
  const target = fieldElement(problem.field, doc);
  if (!target) return;
  const msg = el('p', { id: 'field-error', class: 'field-error', role: 'alert', 'data-field': problem.field }, problem.detail);
  target.setAttribute('aria-invalid', 'true');
  target.setAttribute('aria-errormessage', 'field-error');
  if (target.tagName === 'FIELDSET' || target.tagName === 'LI') target.append(msg); else target.after(msg);
}

// Days since the establishment's last inspection, as the tablet knows it (null: unknown).
function daysSince(form) {
  if (!form?.last_inspection) return null;
  return Math.floor((Date.now() - Date.parse(form.last_inspection.started_at)) / 86400000);
}

async function openForm(id) {
  let rec = await store.get('inspections', id);
  if (!rec) return home();
  // Refused by the server after it was finished (the rules changed meanwhile, or it was
  // wrong in a way the tablet did not know): open again for correction. The appeal code
  // already printed stays the inspection's; finishing again resends it.
  if (rec.finished && !rec.submitted && rec.attention?.reason === 'refused')
    rec = await store.update('inspections', rec.id, (r) => Object.assign(r, { finished: false }));
  current = rec;
  const [form, scheme, photos] = await Promise.all([
    store.cacheGet(`form:${rec.establishmentId}`), schemeOf(rec), store.photosOf(rec.id)]);
  if (!scheme) { alert(t('inspect.form.no_scheme')); return home(); }
  const locked = !!rec.finished || !!rec.submitted;
  const lastCodes = new Set((form?.last_inspection?.violations || []).map((v) => v.code));
  const preview = el('section', { class: 'preview', 'aria-live': 'polite', 'aria-label': t('inspect.preview.label') });
  const refresh = () => {
    renderPreview(current, scheme, form, preview);
    const doc = sync.documentOf(current);
    showProblem(check(scheme, doc), doc);
  };

  // The checklist: each catalogue item marked in / out / not observed / not applicable.
  const checklist = el('div', { class: 'checklist' });
  for (const item of scheme.violations) {
    const m = rec.marks[item.code] || {};
    const detail = el('div', { class: 'violation', hidden: m.mark !== 'out' });
    const setMark = async (mark) => {
      detail.hidden = mark !== 'out';
      await save((r) => {
        const marks = { ...r.marks };
        const prev = marks[item.code] || {};
        marks[item.code] = mark === 'out'
          ? { points: item.default_points, repeat: lastCodes.has(item.code), ...prev, mark }
          : { mark };
        return { marks };
      });
      refresh();
    };
    const radios = el('div', { class: 'marks', role: 'radiogroup', 'aria-label': t('inspect.form.mark_group', { code: item.code }) },
      MARKS.map((value) => el('label', { class: 'mark' },
        el('input', {
          type: 'radio', name: `mark-${item.code}`, value, checked: m.mark === value, disabled: locked,
          onchange: () => setMark(value),
        }), el('span', {}, markLabel(value)))));
    const upd = (field, conv = (x) => x) => async (ev) => {
      const value = conv(ev.target.type === 'checkbox' ? ev.target.checked : ev.target.value);
      await save((r) => ({ marks: { ...r.marks, [item.code]: { ...r.marks[item.code], [field]: value } } }));
      refresh();
    };
    const pid = `pts-${item.code}`, nid = `note-${item.code}`, fid = `fix-${item.code}`;
    const today = new Date();
    const isoDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    detail.append(
      el('label', { for: pid }, t('inspect.form.points', { min: item.min_points, max: item.max_points })),
      el('input', {
        id: pid, type: 'number', inputmode: 'numeric', min: item.min_points, max: item.max_points,
        value: m.points ?? item.default_points, disabled: locked, onchange: upd('points', Number),
      }),
      el('label', { for: nid }, t('inspect.form.seen')),
      published(`${nid}-who`),
      el('textarea', { id: nid, rows: 3, maxlength: 4000, disabled: locked, oninput: upd('note'), 'aria-describedby': `${nid}-who` }, m.note || ''),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', checked: !!m.corrected, disabled: locked, onchange: upd('corrected') }), ' ', t('inspect.form.corrected')),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', checked: !!m.repeat, disabled: locked, onchange: upd('repeat') }),
        ' ', t('inspect.form.repeat'), lastCodes.has(item.code) ? el('span', { class: 'hint' }, ' ', t('inspect.form.repeat_hint')) : null),
      // A corrective action: the day by which the operator must correct it.
      el('label', { for: fid }, t('inspect.form.correct_by')),
      internal(`${fid}-who`, t('inspect.audience.correct_by')),
      el('input', {
        id: fid, type: 'date', value: m.correctBy || '', disabled: locked, 'aria-describedby': `${fid}-who`,
        min: isoDay(today), max: isoDay(new Date(today.getTime() + 365 * 86400000)),
        onchange: upd('correctBy', (x) => x || null),
      }));
    checklist.append(el('fieldset', { class: `item item-${item.category}`, 'data-code': item.code },
      el('legend', {}, el('strong', {}, item.code), ` ${itemDescription(scheme, item)}`,
        lastCodes.has(item.code) ? el('span', { class: 'repeat-flag' }, ' ', t('inspect.form.cited_last_time')) : null),
      radios, detail));
  }

  // Temperature readings.
  const readingList = el('ul', { class: 'readings' });
  const drawReadings = () => {
    readingList.replaceChildren(...current.readings.map((r, i) => el('li', {},
      readingText(r),
      locked ? null : el('button', { class: 'secondary', type: 'button', 'aria-label': t('inspect.form.remove_reading', { item: r.item }), onclick: async () => {
        await save((rr) => ({ readings: rr.readings.filter((_, j) => j !== i) }));
        drawReadings();
      } }, t('inspect.form.remove')))));
  };
  drawReadings();
  const rItem = el('input', { id: 'reading-item', maxlength: 200 });
  const rLoc = el('input', { id: 'reading-location', maxlength: 200 });
  const rVal = el('input', { id: 'reading-value', type: 'number', step: '0.1', inputmode: 'decimal' });
  const rUnit = el('select', { id: 'reading-unit' }, el('option', { value: 'F' }, '°F'), el('option', { value: 'C' }, '°C'));
  const rCode = el('select', { id: 'reading-code' }, el('option', { value: '' }, t('inspect.form.no_item_reading')),
    scheme.violations.map((v) => el('option', { value: v.code }, `${v.code} ${shortText(itemDescription(scheme, v))}`)));
  const rMsg = el('p', { class: 'status', role: 'status' });
  const addReading = async () => {
    const value = Number(rVal.value);
    if (!rItem.value.trim() || rVal.value === '' || !Number.isFinite(value)) { rMsg.textContent = t('inspect.form.reading_missing'); return; }
    const lim = rUnit.value === 'C' ? [-50, 300] : [-58, 572];
    if (value < lim[0] || value > lim[1]) { rMsg.textContent = t('inspect.form.reading_range', { unit: rUnit.value, lo: lim[0], hi: lim[1] }); return; }
    const r = { item: rItem.value.trim(), location: rLoc.value.trim(), value, unit: rUnit.value, code: rCode.value || null, takenAt: new Date().toISOString() };
    await save((rr) => ({ readings: [...rr.readings, r] }));
    rItem.value = ''; rLoc.value = ''; rVal.value = ''; rMsg.textContent = t('inspect.form.reading_saved');
    drawReadings();
  };

  // Photos: downscaled on the tablet, hashed at capture.
  const thumbs = el('ul', { class: 'photos' });
  const drawPhotos = (list) => {
    thumbs.replaceChildren(...list.map((p) => {
      const url = URL.createObjectURL(p.blob);
      return el('li', { 'data-sha256': p.sha256 },
        el('img', {
          src: url, onload: () => URL.revokeObjectURL(url),
          alt: p.code ? t('inspect.form.photo_alt_code', { code: p.code, time: timeOf(p.takenAt) })
            : t('inspect.form.photo_alt', { time: timeOf(p.takenAt) }),
        }),
        el('span', { class: 'muted' }, p.uploaded ? t('inspect.form.photo_sent') : t('inspect.form.photo_on_tablet')),
        locked || p.uploaded ? null : el('button', { class: 'secondary', type: 'button', onclick: async () => {
          await store.remove('photos', p.id);
          drawPhotos(await store.photosOf(current.id));
        } }, t('inspect.form.remove')));
    }));
  };
  drawPhotos(photos);
  const pCode = el('select', { id: 'photo-code' }, el('option', { value: '' }, t('inspect.form.no_item_photo')),
    scheme.violations.map((v) => el('option', { value: v.code }, `${v.code} ${shortText(itemDescription(scheme, v))}`)));
  const pMsg = el('p', { class: 'status', role: 'status' });
  const pInput = el('input', {
    id: 'photo-input', type: 'file', accept: 'image/*', capture: 'environment', class: 'visually-hidden', disabled: locked,
    onchange: async (ev) => {
      const file = ev.target.files[0];
      if (!file) return;
      pMsg.textContent = t('inspect.form.photo_preparing');
      try {
        const shot = await downscale(file);
        const digest = await crypto.subtle.digest('SHA-256', await shot.blob.arrayBuffer());
        const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
        const p = {
          id: crypto.randomUUID(), inspectionId: current.id, blob: shot.blob, type: shot.blob.type,
          width: shot.width, height: shot.height, sha256, code: pCode.value || null,
          takenAt: new Date().toISOString(), uploaded: false,
        };
        await store.put('photos', p);
        await save({});
        drawPhotos(await store.photosOf(current.id));
        pMsg.textContent = t('inspect.form.photo_saved', { kb: Math.round(shot.blob.size / 1024) });
      } catch (e) {
        pMsg.textContent = t('inspect.form.photo_failed', { error: e.message });
      }
      ev.target.value = '';
    },
  });

  // The operator's signature.
  const canvas = el('canvas', { id: 'signature', width: 480, height: 160, class: 'signature', 'aria-label': t('inspect.form.signature_pad') });
  const sigName = el('input', { id: 'sig-name', maxlength: 200, value: rec.signature?.name || '', disabled: locked, 'aria-describedby': 'sig-name-who',
    onchange: async () => { await save((r) => ({ signature: { ...(r.signature || {}), name: sigName.value } })); } });
  setupSignature(canvas, rec.signature?.image, locked, async (image) => {
    await save((r) => ({ signature: { ...(r.signature || {}), name: sigName.value, image } }));
  });

  const typeSel = el('select', { id: 'type', disabled: locked, onchange: async (ev) => { await save({ type: ev.target.value }); refresh(); } },
    TYPES.map((v) => el('option', { value: v, selected: rec.type === v }, typeLabel(v))));
  const notes = el('textarea', { id: 'notes', rows: 4, maxlength: 20000, disabled: locked, 'aria-describedby': 'notes-who', oninput: (ev) => save({ notes: ev.target.value }) }, rec.notes || '');
  const closed = el('input', { type: 'checkbox', checked: !!rec.closed, disabled: locked, onchange: async (ev) => { await save({ closed: ev.target.checked }); refresh(); } });
  const finishMsg = el('p', { class: 'status', role: 'status' });

  show('form',
    el('div', { class: 'bar' },
      el('button', { class: 'secondary', type: 'button', onclick: () => home() }, t('inspect.back_to_due')),
      el('p', { id: 'saved-state', class: 'saved-state', role: 'status' },
        locked ? (rec.submitted ? t('inspect.form.submitted') : t('inspect.form.finished')) : t('inspect.form.saved'))),
    el('div', { id: 'attention', 'data-reason': rec.attention?.reason || '' }, attentionBanner(rec)),
    el('h1', { translate: 'no' }, rec.establishmentName),
    form ? el('p', { class: 'muted' }, t('inspect.form.licence_scheme',
      { licence: form.establishment.licence_number, scheme: schemeName(scheme) })) : null,
    rec.finished ? el('button', { class: 'secondary big', type: 'button', onclick: () => reportView(rec.id) }, t('inspect.form.report')) : null,
    preview,
    el('div', { class: 'fields' }, el('label', { for: 'type' }, t('inspect.form.type')), typeSel),
    el('h2', {}, t('inspect.form.checklist')),
    locked ? null : el('button', { id: 'mark-remaining', class: 'secondary big', type: 'button', onclick: async () => {
      // Only items not marked yet: a mark given by hand is never changed.
      await save((r) => {
        const marks = { ...r.marks };
        for (const v of scheme.violations) if (!marks[v.code]) marks[v.code] = { mark: 'in' };
        return { marks };
      });
      openForm(current.id);
    } }, t('inspect.form.mark_remaining')),
    checklist,
    el('h2', {}, t('inspect.form.readings')),
    published('readings-who', t('inspect.audience.readings')),
    readingList,
    locked ? null : el('div', { class: 'reading-form fields' },
      el('label', { for: 'reading-item' }, t('inspect.form.reading_item')), rItem,
      el('label', { for: 'reading-location' }, t('inspect.form.reading_location')), rLoc,
      el('div', { class: 'pair' },
        el('div', {}, el('label', { for: 'reading-value' }, t('inspect.form.reading_value')), rVal),
        el('div', {}, el('label', { for: 'reading-unit' }, t('inspect.form.reading_unit')), rUnit)),
      el('label', { for: 'reading-code' }, t('inspect.form.reading_code')), rCode,
      el('button', { class: 'secondary big', type: 'button', onclick: addReading }, t('inspect.form.add_reading')), rMsg),
    el('h2', {}, t('inspect.form.photos')),
    thumbs,
    locked ? null : el('div', { class: 'fields' },
      el('label', { for: 'photo-code' }, t('inspect.form.photo_code')), pCode,
      el('label', { for: 'photo-input', class: 'button primary big' }, t('inspect.form.take_photo')), pInput, pMsg),
    el('h2', {}, t('inspect.form.signature')),
    el('div', { class: 'fields' }, el('label', { for: 'sig-name' }, t('inspect.form.signer')),
      internal('sig-name-who', t('inspect.audience.signer')), sigName),
    canvas,
    locked ? null : el('button', { class: 'secondary', type: 'button', onclick: async () => {
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      await save({ signature: { name: sigName.value, image: null } });
    } }, t('inspect.form.clear_signature')),
    el('h2', {}, t('inspect.form.notes_heading')),
    el('div', { class: 'fields' }, el('label', { for: 'notes' }, t('inspect.form.notes')),
      internal('notes-who', t('inspect.audience.notes')), notes,
      el('label', { class: 'check' }, closed, ' ', t('inspect.form.closed'))),
    locked ? null : el('div', { class: 'finish' },
      el('button', { id: 'finish', class: 'primary big', type: 'button', onclick: async () => {
        // What was typed or drawn a moment ago is saved first: Finish judges all of it.
        while (saving.size) await Promise.allSettled([...saving]);
        current = await store.get('inspections', current.id);
        if (!current.signature?.image || !current.signature?.name) { finishMsg.textContent = t('inspect.form.need_signature'); return; }
        const unmarked = scheme.violations.filter((v) => !current.marks[v.code]).length;
        if (unmarked) { finishMsg.textContent = t('inspect.form.unmarked', { n: unmarked }); return; }
        // What the server would refuse is caught here, before a report or an appeal code
        // is handed over.
        const doc = sync.documentOf({ ...current, finishedAt: new Date().toISOString() });
        const problem = check(scheme, doc, { submit: true, daysSincePrevious: daysSince(form) });
        showProblem(problem, doc);
        if (problem) {
          finishMsg.textContent = t('inspect.form.not_finished', { detail: problem.detail });
          document.querySelector('.field-error')?.scrollIntoView({ block: 'center' });
          return;
        }
        await save({ finished: true, finishedAt: new Date().toISOString(), appealCode: current.appealCode || makeAppealCode() });
        sync.syncAll();
        reportView(current.id);
      } }, t('inspect.form.finish')),
      finishMsg));
  refresh();
  if (rec.attention?.reason === 'refused' && rec.attention.field) {
    const doc = sync.documentOf(rec);
    showProblem({ field: rec.attention.field, detail: rec.attention.detail }, doc);
  }
  app.focus();
}

async function downscale(file) {
  const bmp = await createImageBitmap(file);
  let scale = Math.min(1, PHOTO_MAX_EDGE / Math.max(bmp.width, bmp.height));
  let quality = 0.85;
  for (;;) {
    const w = Math.max(1, Math.round(bmp.width * scale)), h = Math.max(1, Math.round(bmp.height * scale));
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(bmp, 0, 0, w, h);
    const blob = await new Promise((resolve) => c.toBlob(resolve, 'image/jpeg', quality));
    if (blob && blob.size <= PHOTO_MAX_BYTES) return { blob, width: w, height: h };
    if (quality > 0.55) quality -= 0.15; else scale *= 0.75;
  }
}

function setupSignature(canvas, image, locked, onDone) {
  const ctx = canvas.getContext('2d');
  ctx.lineWidth = 3; ctx.lineCap = 'round'; ctx.strokeStyle = '#000';
  if (image) {
    const img = new Image();
    img.onload = () => ctx.drawImage(img, 0, 0);
    img.src = image;
  }
  if (locked) return;
  let drawing = false;
  const at = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [(ev.clientX - r.left) * canvas.width / r.width, (ev.clientY - r.top) * canvas.height / r.height];
  };
  canvas.addEventListener('pointerdown', (ev) => {
    drawing = true;
    canvas.setPointerCapture(ev.pointerId);
    ctx.beginPath();
    ctx.moveTo(...at(ev));
    ev.preventDefault();
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!drawing) return;
    ctx.lineTo(...at(ev));
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    onDone(canvas.toDataURL('image/png'));
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
}

// ---- start -----------------------------------------------------------------------------

async function main() {
  // The catalogues come from the service worker's cache when there is no signal.
  await i18nInit(['inspect', 'grade', 'wording', 'api', 'records']);
  setNet();
  addEventListener('online', setNet);
  addEventListener('offline', setNet);
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/inspect/sw.js', { scope: '/inspect/' }).catch(() => {});
  sync.onChange(() => {
    // The operator's report stays on the screen (its appeal code is shown only there); it
    // says when the inspection has reached the record.
    const report = app.querySelector('article.report');
    if (!current && report) {
      store.get('inspections', report.dataset.id).then((r) => {
        const s = document.getElementById('report-state');
        if (r?.submitted && s) s.textContent = t('inspect.report.sent');
      });
      return;
    }
    if (!current) {
      // Only the home screen follows the sync: a search for an unscheduled visit or the
      // sign-in form stays as it is.
      if (view === 'home' && (document.activeElement === document.body || document.activeElement === app)) home();
      return;
    }
    store.get('inspections', current.id).then((r) => {
      const s = document.getElementById('saved-state');
      if (r && s) s.textContent = r.submitted ? t('inspect.form.submitted') : t('inspect.state_line', { state: stateText(r.syncState) });
      const box = document.getElementById('attention');
      const shown = box?.dataset.reason || '';
      if (r && box && (r.attention?.reason || '') !== shown) {
        box.replaceChildren(attentionBanner(r));
        box.dataset.reason = r.attention?.reason || '';
      }
    });
  });
  const session = await restoreSession();
  if (!session) return signInView();
  sync.setSession(session);
  try {
    if (!(await store.cacheGet('due'))) await refreshDue();
  } catch { /* offline: the cached list stands */ }
  await home();
  sync.start();
}

main();
