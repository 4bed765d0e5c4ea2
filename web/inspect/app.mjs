// app.mjs - the inspector's tablet app: sign in once, see the due list, inspect with or
// without signal, and let sync.mjs send each inspection once and only once.
//
// Everything the inspector does is written to IndexedDB (store.mjs) as it happens; the page
// can be reloaded or the tablet restarted at any moment. The score and grade preview is
// computed on the tablet by grade.mjs, the same rules the server grades with.
import { el } from '/js/portal.mjs';
import * as store from './store.mjs';
import * as sync from './sync.mjs';
import { compute } from './grade.mjs';
import { localDay, versionOn, versionsFor } from './versions.mjs';

const PHOTO_MAX_EDGE = 1600;
const PHOTO_MAX_BYTES = 700 * 1024; // the server takes up to 750 KiB
const MARKS = [['in', 'In'], ['out', 'Out'], ['not_observed', 'Not observed'], ['not_applicable', 'N/A']];
const TYPES = [['initial', 'Initial (cycle)'], ['reinspection', 'Re-inspection'], ['complaint', 'Complaint'],
  ['pre-permit', 'Pre-permit'], ['reopening', 'Re-opening']];
const STATE_TEXT = {
  saved: 'Saved on tablet', sending: 'Sending…', synced: 'Synced', attention: 'Needs attention',
};

const app = document.getElementById('app');
let current = null; // the inspection open in the form
let saveTimer = null;

// Who will read a field, said beside it (and tied to it with aria-describedby): the public
// record shows what was seen and the readings word for word; notes and the signer's name
// stay with staff.
function published(id, text = 'Published on the public record, word for word: write what was seen, not who.') {
  return el('p', { id, class: 'audience audience-public' }, text);
}

function internal(id, text) {
  return el('p', { id, class: 'audience audience-internal' }, text);
}

function show(...nodes) {
  app.replaceChildren(...nodes);
}

function fmtDate(s) {
  return s ? new Date(s).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }) : '';
}

function setNet() {
  const net = document.getElementById('net');
  net.textContent = navigator.onLine ? 'Online' : 'Offline: work is saved on this tablet';
  net.className = navigator.onLine ? 'net net-on' : 'net net-off';
}

// ---- signing in -----------------------------------------------------------------------

async function restoreSession() {
  const cached = await store.cacheGet('session');
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
    el('label', { for: 'username' }, 'Username'),
    el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true }),
    el('label', { for: 'password' }, 'Password'),
    el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    el('button', { class: 'primary big', type: 'submit' }, 'Sign in'),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!navigator.onLine) { status.textContent = 'Signing in needs a connection.'; return; }
    try {
      const r = await sync.api('POST', '/api/v1/session',
        { username: form.username.value, password: form.password.value });
      if (['clerk', 'admin'].includes(r.data.user.role)) {
        status.replaceChildren('This app is for inspectors and supervisors. Clerks keep the ',
          el('a', { href: '/registry/' }, 'licence registry'), '.');
        return;
      }
      const s = { user: r.data.user, csrf: r.data.csrf_token };
      await store.cachePut('session', s);
      sync.setSession(s);
      // Inspections held back for a new sign-in may go now.
      for (const rec of await store.all('inspections'))
        if (rec.attention?.reason === 'signin')
          await store.update('inspections', rec.id, (x) => Object.assign(x, { syncState: 'saved', attention: null }));
      await refreshDue();
      sync.syncAll();
      home();
    } catch (e) {
      status.textContent = e.status === 401 ? 'That username and password do not match.' : `Could not sign in: ${e.message}`;
    }
  });
  show(el('h1', {}, 'Sign in to inspect'),
    el('p', {}, 'Sign in once with a connection; after that the app works without signal.'), form);
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

function dueReason(item) {
  if (item.reason === 'reinspection') return `Re-inspection, not before ${fmtDate(item.not_before)}`;
  if (item.reason === 'rerating') {
    const when = item.rerating?.state === 'scheduled' ? `, scheduled for ${fmtDate(item.rerating.visit_on)}` : '';
    return `Asked for by the operator${when}, not before ${fmtDate(item.not_before)}`;
  }
  return item.last_inspection ? `Routine, risk ${item.establishment.risk_category}` : `First inspection, risk ${item.establishment.risk_category}`;
}

async function home() {
  current = null;
  const [due, local] = await Promise.all([store.cacheGet('due'), store.all('inspections')]);
  const session = await store.cacheGet('session');
  local.sort((a, b) => (b.updatedAt || '').localeCompare(a.updatedAt || ''));

  const dueList = el('ol', { class: 'due-list' });
  for (const item of due?.items || []) {
    const e = item.establishment;
    const mine = local.find((r) => r.establishmentId === e.id && !r.submitted);
    const rerating = item.reason === 'rerating';
    dueList.append(el('li', { class: `due ${item.overdue ? 'due-overdue' : ''} ${rerating ? 'due-rerating' : ''}` },
      el('div', { class: 'due-body' },
        el('p', { class: 'due-name' }, e.name, rerating ? ' ' : null,
          rerating ? el('span', { class: 'tag tag-rerating' }, 'Re-rating visit') : null),
        el('p', { class: 'muted' }, [e.address?.line, e.address?.city].filter(Boolean).join(', ') || `Licence ${e.licence_number}`),
        rerating && item.rerating?.improvements
          ? el('p', { class: 'rerating-improvements' }, `Improvements: ${item.rerating.improvements}`) : null,
        el('p', {}, dueReason(item), ' · ',
          item.overdue ? el('strong', { class: 'overdue' }, `Overdue ${item.days_overdue} day${item.days_overdue === 1 ? '' : 's'}`)
            : `Due ${fmtDate(item.due_on)}`)),
      el('div', { class: 'due-actions' },
        mine ? el('button', { class: 'primary big', type: 'button', onclick: () => openForm(mine.id) }, 'Continue')
          : el('button', { class: 'primary big', type: 'button', onclick: () => startInspection(item) }, 'Start inspection'),
        item.draft_id && !local.some((r) => r.serverId === item.draft_id)
          ? el('button', { class: 'secondary big', type: 'button', onclick: () => openServerDraft(item) },
            `Open draft ${item.draft_id} from another device`)
          : null)));
  }

  const localList = el('ul', { class: 'local-list' });
  for (const rec of local) localList.append(localItem(rec));

  show(
    el('div', { class: 'bar' },
      el('p', {}, `Signed in as ${session?.user?.display_name || ''}`),
      el('button', { class: 'secondary', type: 'button', disabled: !navigator.onLine, onclick: async () => {
        try { await refreshDue(); } catch (e) { alert(`The due list could not be loaded: ${e.message}`); }
        home();
      } }, 'Refresh due list')),
    el('h1', {}, 'Due visits'),
    due ? (due.items.length ? dueList : el('p', {}, 'Nothing due in the next 30 days.'))
      : el('p', {}, 'The due list has not been loaded yet: connect and refresh.'),
    el('h2', {}, 'On this tablet'),
    local.length ? localList : el('p', { class: 'muted' }, 'No inspections yet.'));
}

function localItem(rec) {
  const state = rec.submitted && rec.syncState === 'synced' ? 'Submitted' : STATE_TEXT[rec.syncState] || rec.syncState;
  const li = el('li', { class: `local state-${rec.syncState}`, 'data-id': rec.id },
    el('div', {},
      el('p', { class: 'due-name' }, rec.establishmentName),
      el('p', { class: 'muted' }, `${rec.type} · started ${fmtDate(rec.startedAt)}${rec.serverId ? ` · no. ${rec.serverId}` : ''}`),
      el('p', { class: 'sync-state', 'data-state': rec.syncState }, state,
        rec.attention ? `: ${attentionText(rec.attention)}` : '')),
    el('div', { class: 'due-actions' },
      el('button', { class: 'secondary big', type: 'button', onclick: () => openForm(rec.id) }, rec.submitted ? 'View' : 'Open'),
      conflictButtons(rec)));
  return li;
}

function attentionText(a) {
  if (a.reason === 'conflict') return 'conflict: this inspection was changed on another device. Nothing was overwritten.';
  if (a.reason === 'signin') return 'sign in again to send it.';
  return a.detail || a.reason;
}

function attentionBanner(rec) {
  if (!rec.attention) return '';
  return el('div', { class: 'notice notice-warn', role: 'alert' },
    el('p', {}, `Needs attention: ${attentionText(rec.attention)}`), conflictButtons(rec));
}

function conflictButtons(rec) {
  if (rec.attention?.reason !== 'conflict') return null;
  const run = (how) => async () => {
    try { await sync.resolve(rec, how); } catch (e) { alert(`Not resolved: ${e.message}`); }
    current && current.id === rec.id ? openForm(rec.id) : home();
  };
  return el('div', { class: 'conflict-actions' },
    el('button', { class: 'primary big', type: 'button', onclick: run('kept_device') }, "Keep this tablet's version"),
    el('button', { class: 'secondary big', type: 'button', onclick: run('kept_server') }, 'Use the other version'));
}

async function startInspection(item) {
  const e = item.establishment;
  const form = await store.cacheGet(`form:${e.id}`);
  if (!form) { alert('This establishment has not been downloaded yet: refresh the due list with a connection.'); return; }
  const marks = {};
  const rec = {
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
    const rec = sync.fromServer({
      id: crypto.randomUUID(), establishmentId: item.establishment.id, establishmentName: item.establishment.name,
      scheme: s.scheme, finished: false, syncState: 'synced', updatedAt: new Date().toISOString(),
    }, s);
    await store.saveInspection(rec);
    await cacheVersions(rec.scheme, [localDay(rec.startedAt)]);
    openForm(rec.id);
  } catch (e) {
    alert(`The draft could not be opened: ${e.message}`);
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

function appealWindowText(scheme) {
  const r = scheme.rules || {};
  if (r.appeal_window === 'within_days') return `within ${r.appeal_window_days} days of this inspection`;
  if (r.appeal_window === 'until_hearing') return 'until the hearing on this inspection';
  return null;
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
  const windowText = scheme ? appealWindowText(scheme) : null;
  const where = `${location.origin}/operator/`;
  show(
    el('div', { class: 'bar no-print' },
      el('button', { class: 'secondary', type: 'button', onclick: () => home() }, '← Due visits'),
      el('button', { class: 'secondary', type: 'button', onclick: () => openForm(rec.id) }, 'The inspection')),
    el('article', { class: 'report', 'aria-labelledby': 'report-title', 'data-id': rec.id },
      el('h1', { id: 'report-title' }, 'Inspection report'),
      el('p', { class: 'report-est' }, rec.establishmentName),
      form ? el('p', {}, `Licence ${form.establishment.licence_number}`) : null,
      el('p', {}, `Inspected ${fmtDate(rec.startedAt)}${scheme ? ` under ${scheme.name}` : ''}`),
      r.error ? null : el('p', { class: 'report-grade', 'data-grade': r.code || '' },
        `Score ${r.score}`, r.code ? ` · Grade ${r.label}` : ` · ${r.label}`),
      r.error ? null : el('p', { class: 'muted' }, `${r.rule} The published grade is computed by the same published rules.`),
      el('h2', {}, cited.length ? 'What was found' : 'No violations were cited'),
      cited.length ? el('ul', { class: 'report-items' }, cited.map(([code, m]) =>
        el('li', {}, el('strong', {}, code), ` ${byCode.get(code)?.description || ''}`,
          m.note ? el('span', { class: 'muted' }, ` (${m.note})`) : null))) : null,
      rec.appealCode ? el('section', { class: 'report-code', 'aria-label': 'Appeal code' },
        el('h2', {}, 'To appeal, reply or ask for a re-rating'),
        el('p', {}, 'Appeal code'),
        el('p', { id: 'appeal-code', class: 'appeal-code' }, printedCode(rec.appealCode)),
        el('p', {}, `Go to ${where} and enter the licence number and this code`,
          windowText ? `, ${windowText}.` : '.'),
        el('p', { class: 'muted' }, 'Keep this code: it is shown only on this report.')) : null,
      el('p', { class: 'muted no-print', id: 'report-state' },
        rec.submitted ? 'Sent to the record.' : 'Saved on this tablet; it will be sent when there is signal.')),
    el('div', { class: 'finish no-print' },
      el('button', { class: 'primary big', type: 'button', onclick: () => print() }, 'Print report'),
      el('button', { class: 'secondary big', type: 'button', onclick: () => home() }, 'Done')));
  app.focus();
}

// ---- the inspection form ---------------------------------------------------------------

// Save @changes (an object, or a function of the stored record giving one) in one
// IndexedDB transaction. Changes that build on what is stored (a mark added to the marks)
// must be functions: two taps in quick succession each start from the record as the
// other left it, never from the page's older copy, so no tap is lost.
async function save(changes = {}) {
  const rec = await store.update('inspections', current.id, (r) => {
    Object.assign(r, typeof changes === 'function' ? changes(r) : changes, {
      rev: (r.rev || 0) + 1, updatedAt: new Date().toISOString(),
      syncState: r.syncState === 'attention' && r.attention?.reason === 'conflict' ? 'attention' : 'saved',
    });
    if (r.syncState === 'saved') r.attention = null;
  });
  current = rec;
  document.getElementById('saved-state').textContent =
    rec.syncState === 'attention' ? 'Saved on tablet; the conflict still needs attention.' : 'Saved on tablet.';
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => sync.syncAll(), 1500);
  return rec;
}

function previewInput(rec, form) {
  const violations = Object.entries(rec.marks).filter(([, m]) => m.mark === 'out')
    .map(([code, m]) => ({ code, points: Number(m.points), dismissed: false }));
  let days = null;
  if (form?.last_inspection) days = Math.floor((Date.now() - Date.parse(form.last_inspection.started_at)) / 86400000);
  return { type: rec.type, closed: rec.closed, daysSincePrevious: days, elements: null, violations };
}

function renderPreview(rec, scheme, form, box) {
  const r = compute(scheme, previewInput(rec, form));
  box.replaceChildren();
  if (r.error) {
    box.dataset.grade = '';
    const why = r.field === 'days_since_previous'
      ? `A re-inspection under ${scheme.name} cannot be graded yet: it must be at least ${scheme.rules.min_days_before_reinspection || scheme.rules.rerating_standstill_days} days after the earlier inspection.`
      : `Check ${r.field}${r.index >= 0 ? ` (item ${r.index + 1})` : ''}: it is outside what ${scheme.name} allows.`;
    box.append(el('p', { class: 'preview-score' }, 'No preview'), el('p', {}, why));
    return;
  }
  box.dataset.grade = r.code;
  box.dataset.score = String(r.score);
  box.append(
    el('p', { class: 'preview-score' }, `Score ${r.score}`, el('span', { class: 'preview-grade' }, r.code ? ` · Grade ${r.label}` : ` · ${r.label}`)),
    el('p', {}, r.rule));
}

async function openForm(id) {
  const rec = await store.get('inspections', id);
  if (!rec) return home();
  current = rec;
  const [form, scheme, photos] = await Promise.all([
    store.cacheGet(`form:${rec.establishmentId}`), schemeOf(rec), store.photosOf(rec.id)]);
  if (!scheme) { alert('The scoring scheme has not been downloaded: refresh the due list with a connection.'); return home(); }
  const locked = !!rec.finished || !!rec.submitted;
  const lastCodes = new Set((form?.last_inspection?.violations || []).map((v) => v.code));
  const preview = el('section', { class: 'preview', 'aria-live': 'polite', 'aria-label': 'Score and grade preview' });
  const refresh = () => renderPreview(current, scheme, form, preview);

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
    const radios = el('div', { class: 'marks', role: 'radiogroup', 'aria-label': `${item.code} mark` },
      MARKS.map(([value, label]) => el('label', { class: 'mark' },
        el('input', {
          type: 'radio', name: `mark-${item.code}`, value, checked: m.mark === value, disabled: locked,
          onchange: () => setMark(value),
        }), el('span', {}, label))));
    const upd = (field, conv = (x) => x) => async (ev) => {
      const value = conv(ev.target.type === 'checkbox' ? ev.target.checked : ev.target.value);
      await save((r) => ({ marks: { ...r.marks, [item.code]: { ...r.marks[item.code], [field]: value } } }));
      refresh();
    };
    const pid = `pts-${item.code}`, nid = `note-${item.code}`;
    detail.append(
      el('label', { for: pid }, `Points (${item.min_points}–${item.max_points})`),
      el('input', {
        id: pid, type: 'number', inputmode: 'numeric', min: item.min_points, max: item.max_points,
        value: m.points ?? item.default_points, disabled: locked, onchange: upd('points', Number),
      }),
      el('label', { for: nid }, 'What was seen'),
      published(`${nid}-who`),
      el('textarea', { id: nid, rows: 3, maxlength: 4000, disabled: locked, oninput: upd('note'), 'aria-describedby': `${nid}-who` }, m.note || ''),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', checked: !!m.corrected, disabled: locked, onchange: upd('corrected') }), ' Corrected on site'),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', checked: !!m.repeat, disabled: locked, onchange: upd('repeat') }),
        ' Repeat', lastCodes.has(item.code) ? el('span', { class: 'hint' }, ' (cited at the last inspection)') : null));
    checklist.append(el('fieldset', { class: `item item-${item.category}`, 'data-code': item.code },
      el('legend', {}, el('strong', {}, item.code), ` ${item.description}`,
        lastCodes.has(item.code) ? el('span', { class: 'repeat-flag' }, ' Cited last time') : null),
      radios, detail));
  }

  // Temperature readings.
  const readingList = el('ul', { class: 'readings' });
  const drawReadings = () => {
    readingList.replaceChildren(...current.readings.map((r, i) => el('li', {},
      `${r.item}${r.location ? ` (${r.location})` : ''}: ${r.value} °${r.unit}${r.code ? ` · ${r.code}` : ''}`,
      locked ? null : el('button', { class: 'secondary', type: 'button', 'aria-label': `Remove reading ${r.item}`, onclick: async () => {
        await save((rr) => ({ readings: rr.readings.filter((_, j) => j !== i) }));
        drawReadings();
      } }, 'Remove'))));
  };
  drawReadings();
  const rItem = el('input', { id: 'reading-item', maxlength: 200 });
  const rLoc = el('input', { id: 'reading-location', maxlength: 200 });
  const rVal = el('input', { id: 'reading-value', type: 'number', step: '0.1', inputmode: 'decimal' });
  const rUnit = el('select', { id: 'reading-unit' }, el('option', { value: 'F' }, '°F'), el('option', { value: 'C' }, '°C'));
  const rCode = el('select', { id: 'reading-code' }, el('option', { value: '' }, 'None'),
    scheme.violations.map((v) => el('option', { value: v.code }, `${v.code} ${v.description.slice(0, 40)}`)));
  const rMsg = el('p', { class: 'status', role: 'status' });
  const addReading = async () => {
    const value = Number(rVal.value);
    if (!rItem.value.trim() || rVal.value === '' || !Number.isFinite(value)) { rMsg.textContent = 'Give what was measured and its temperature.'; return; }
    const lim = rUnit.value === 'C' ? [-50, 300] : [-58, 572];
    if (value < lim[0] || value > lim[1]) { rMsg.textContent = `A temperature in °${rUnit.value} lies between ${lim[0]} and ${lim[1]}.`; return; }
    const r = { item: rItem.value.trim(), location: rLoc.value.trim(), value, unit: rUnit.value, code: rCode.value || null, takenAt: new Date().toISOString() };
    await save((rr) => ({ readings: [...rr.readings, r] }));
    rItem.value = ''; rLoc.value = ''; rVal.value = ''; rMsg.textContent = 'Reading saved.';
    drawReadings();
  };

  // Photos: downscaled on the tablet, hashed at capture.
  const thumbs = el('ul', { class: 'photos' });
  const drawPhotos = (list) => {
    thumbs.replaceChildren(...list.map((p) => {
      const url = URL.createObjectURL(p.blob);
      return el('li', { 'data-sha256': p.sha256 },
        el('img', { src: url, alt: `Photo ${p.code ? `for ${p.code}` : ''} taken ${new Date(p.takenAt).toLocaleTimeString()}`, onload: () => URL.revokeObjectURL(url) }),
        el('span', { class: 'muted' }, p.uploaded ? 'Sent' : 'On tablet'),
        locked || p.uploaded ? null : el('button', { class: 'secondary', type: 'button', onclick: async () => {
          await store.remove('photos', p.id);
          drawPhotos(await store.photosOf(current.id));
        } }, 'Remove'));
    }));
  };
  drawPhotos(photos);
  const pCode = el('select', { id: 'photo-code' }, el('option', { value: '' }, 'No item'),
    scheme.violations.map((v) => el('option', { value: v.code }, `${v.code} ${v.description.slice(0, 40)}`)));
  const pMsg = el('p', { class: 'status', role: 'status' });
  const pInput = el('input', {
    id: 'photo-input', type: 'file', accept: 'image/*', capture: 'environment', class: 'visually-hidden', disabled: locked,
    onchange: async (ev) => {
      const file = ev.target.files[0];
      if (!file) return;
      pMsg.textContent = 'Preparing photo…';
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
        pMsg.textContent = `Photo saved (${Math.round(shot.blob.size / 1024)} KB).`;
      } catch (e) {
        pMsg.textContent = `The photo could not be used: ${e.message}`;
      }
      ev.target.value = '';
    },
  });

  // The operator's signature.
  const canvas = el('canvas', { id: 'signature', width: 480, height: 160, class: 'signature', 'aria-label': "Operator's signature: draw with a finger" });
  const sigName = el('input', { id: 'sig-name', maxlength: 200, value: rec.signature?.name || '', disabled: locked, 'aria-describedby': 'sig-name-who',
    onchange: async () => { await save((r) => ({ signature: { ...(r.signature || {}), name: sigName.value } })); } });
  setupSignature(canvas, rec.signature?.image, locked, async (image) => {
    await save((r) => ({ signature: { ...(r.signature || {}), name: sigName.value, image } }));
  });

  const typeSel = el('select', { id: 'type', disabled: locked, onchange: async (ev) => { await save({ type: ev.target.value }); refresh(); } },
    TYPES.map(([v, l]) => el('option', { value: v, selected: rec.type === v }, l)));
  const notes = el('textarea', { id: 'notes', rows: 4, maxlength: 20000, disabled: locked, 'aria-describedby': 'notes-who', oninput: (ev) => save({ notes: ev.target.value }) }, rec.notes || '');
  const closed = el('input', { type: 'checkbox', checked: !!rec.closed, disabled: locked, onchange: async (ev) => { await save({ closed: ev.target.checked }); refresh(); } });
  const finishMsg = el('p', { class: 'status', role: 'status' });

  show(
    el('div', { class: 'bar' },
      el('button', { class: 'secondary', type: 'button', onclick: () => home() }, '← Due visits'),
      el('p', { id: 'saved-state', class: 'saved-state', role: 'status' }, locked ? (rec.submitted ? 'Submitted.' : 'Finished; it will be sent when there is signal.') : 'Saved on tablet.')),
    el('div', { id: 'attention', 'data-reason': rec.attention?.reason || '' }, attentionBanner(rec)),
    el('h1', {}, rec.establishmentName),
    form ? el('p', { class: 'muted' }, `Licence ${form.establishment.licence_number} · ${scheme.name}`) : null,
    rec.finished ? el('button', { class: 'secondary big', type: 'button', onclick: () => reportView(rec.id) }, "Operator's report") : null,
    preview,
    el('div', { class: 'fields' }, el('label', { for: 'type' }, 'Inspection type'), typeSel),
    el('h2', {}, 'Checklist'),
    checklist,
    el('h2', {}, 'Temperature readings'),
    published('readings-who', 'Published on the public record: what was measured, where, and the temperature.'),
    readingList,
    locked ? null : el('div', { class: 'reading-form fields' },
      el('label', { for: 'reading-item' }, 'Food or equipment'), rItem,
      el('label', { for: 'reading-location' }, 'Where'), rLoc,
      el('div', { class: 'pair' },
        el('div', {}, el('label', { for: 'reading-value' }, 'Temperature'), rVal),
        el('div', {}, el('label', { for: 'reading-unit' }, 'Unit'), rUnit)),
      el('label', { for: 'reading-code' }, 'Supports item'), rCode,
      el('button', { class: 'secondary big', type: 'button', onclick: addReading }, 'Add reading'), rMsg),
    el('h2', {}, 'Photos'),
    thumbs,
    locked ? null : el('div', { class: 'fields' },
      el('label', { for: 'photo-code' }, 'Photo shows item'), pCode,
      el('label', { for: 'photo-input', class: 'button primary big' }, 'Take photo'), pInput, pMsg),
    el('h2', {}, "Operator's signature"),
    el('div', { class: 'fields' }, el('label', { for: 'sig-name' }, 'Name of the person signing'),
      internal('sig-name-who', 'Not published: the public record says only that the report was signed.'), sigName),
    canvas,
    locked ? null : el('button', { class: 'secondary', type: 'button', onclick: async () => {
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      await save({ signature: { name: sigName.value, image: null } });
    } }, 'Clear signature'),
    el('h2', {}, 'Notes'),
    el('div', { class: 'fields' }, el('label', { for: 'notes' }, 'Notes for the record'),
      internal('notes-who', 'Not published: kept for staff, never on the public record.'), notes,
      el('label', { class: 'check' }, closed, ' This inspection closed the establishment')),
    locked ? null : el('div', { class: 'finish' },
      el('button', { id: 'finish', class: 'primary big', type: 'button', onclick: async () => {
        if (!current.signature?.image || !current.signature?.name) { finishMsg.textContent = "Get the operator's name and signature first."; return; }
        const unmarked = scheme.violations.filter((v) => !current.marks[v.code]).length;
        if (unmarked) { finishMsg.textContent = `${unmarked} checklist item${unmarked === 1 ? ' is' : 's are'} not marked yet.`; return; }
        await save({ finished: true, finishedAt: new Date().toISOString(), appealCode: current.appealCode || makeAppealCode() });
        sync.syncAll();
        reportView(current.id);
      } }, 'Finish and send'),
      finishMsg));
  refresh();
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
        if (r?.submitted && s) s.textContent = 'Sent to the record.';
      });
      return;
    }
    if (!current) {
      if (document.activeElement === document.body || document.activeElement === app) home();
      return;
    }
    store.get('inspections', current.id).then((r) => {
      const s = document.getElementById('saved-state');
      if (r && s) s.textContent = r.submitted ? 'Submitted.' : `${STATE_TEXT[r.syncState] || r.syncState}.`;
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
