// hearings.mjs - the hearing officers' page (a desktop page first): sign in, work the queue
// of open appeals (most urgent first, overdue ones marked), see the hearing calendar, search
// the decided appeals, and for one appeal: read the evidence (the inspection as recorded, what
// the operator contests and why, the files they attached, the place's earlier inspections),
// take it under review or reject it as late, schedule or adjourn the hearing, and record the
// decision with written reasons (naming the violations a modified decision dismisses).
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { formatWhen, startCountdowns } from '/js/deadline.mjs';
import { el } from '/js/portal.mjs';

const app = document.getElementById('app');

function field(id, label, input) {
  input.id = id;
  input.name = id;
  return el('div', {}, el('label', { for: id }, label), input);
}

function status() {
  return el('p', { class: 'status', role: 'status' });
}

// Every error the page shows goes when anything is sent again: the forms' status lines and
// the messages beside fields.
function clearErrors() {
  for (const s of app.querySelectorAll('form .status, #appeal-note')) s.textContent = '';
  for (const m of app.querySelectorAll('.field-error')) m.remove();
  for (const f of app.querySelectorAll('[aria-invalid]')) f.removeAttribute('aria-invalid');
}

// Show problem @p beside the field it names in @form (data-pointer), if any.
function showFieldError(form, p) {
  const bad = p?.field && form.querySelector(`[data-pointer="${p.field}"]`);
  if (!bad) return false;
  const id = `${bad.id || 'field'}-error`;
  bad.setAttribute('aria-invalid', 'true');
  bad.setAttribute('aria-describedby', id);
  const msg = el('p', { class: 'field-error', id }, p.detail || 'Check this field.');
  (bad.tagName === 'FIELDSET' ? bad : bad.parentElement).append(msg);
  bad.focus();
  return true;
}

// A form posting to the appeal's @what; @body(form) builds the request.
function actionForm(appealId, what, button, fields, body, cls = 'primary', formClass = '') {
  const st = status();
  const form = el('form', { class: `fields ${formClass}`.trim(), novalidate: true }, ...fields,
    el('div', {}, el('button', { type: 'submit', class: cls }, button)), st);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    st.textContent = 'Saving…';
    const res = await api('POST', `/api/v1/appeals/${appealId}/${what}`, body(form));
    if (res.status !== 200) {
      // Said once: beside the field at fault, or here when no field is named.
      const beside = showFieldError(form, res.data);
      st.textContent = beside ? 'Not saved: see the marked field.' : res.data?.detail || `Refused (${res.status}).`;
      return;
    }
    showAppeal(appealId, 'Saved.');
  });
  return form;
}

// datetime-local value to an RFC 3339 timestamp in UTC.
function toTimestamp(local) {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString().replace(/\.\d+Z$/, 'Z');
}

function decisionForm(a) {
  const reasons = el('textarea', { rows: 5, maxlength: 4000, required: true, 'data-pointer': '/reasons' });
  const outcomes = el('fieldset', { class: 'outcomes', 'data-pointer': '/outcome', tabindex: -1 }, el('legend', {}, 'Outcome'));
  for (const [value, text] of [['upheld', 'Upheld: the result stands'],
    ['modified', 'Modified: dismiss violations and re-grade'],
    ['overturned', 'Overturned: the inspection no longer counts']]) {
    outcomes.append(el('div', { class: 'check' },
      el('input', { type: 'radio', name: 'outcome', id: `outcome-${value}`, value, required: true }),
      el('label', { for: `outcome-${value}` }, text)));
  }
  const dismiss = el('fieldset', { class: 'dismiss', 'data-pointer': '/dismissed', tabindex: -1 },
    el('legend', {}, 'Violations to dismiss (modified)'));
  for (const v of a.inspection.violations) {
    if (v.status === 'dismissed') continue;
    const box = el('input', { type: 'checkbox', id: `dismiss-${v.id}`, value: v.id, name: 'dismiss' });
    const why = el('input', { id: `dismiss-reason-${v.id}`, maxlength: 2000 });
    dismiss.append(el('div', { class: 'dismiss-row' },
      el('div', { class: 'check' }, box, el('label', { for: box.id }, `${v.code}: ${v.description} (${v.points} points)`)),
      el('div', {}, el('label', { for: why.id }, `Why ${v.code} is dismissed`), why)));
  }
  return actionForm(a.id, 'decision', 'Record the decision',
    [outcomes, dismiss, field('reasons', 'Reasons (published)', reasons)], (form) => {
      const outcome = form.querySelector('input[name=outcome]:checked')?.value || '';
      const body = { outcome, reasons: form.reasons.value.trim() };
      for (const w of form.querySelectorAll('[id^=dismiss-reason-]')) w.removeAttribute('data-pointer');
      if (outcome === 'modified') {
        // The server names a dismissal by its place in this list.
        body.dismissed = [...form.querySelectorAll('input[name=dismiss]:checked')].map((b, k) => {
          const why = form.querySelector(`#dismiss-reason-${b.value}`);
          why.setAttribute('data-pointer', `/dismissed/${k}/reason`);
          return { violation_id: Number(b.value), reason: why.value.trim() };
        });
      }
      return body;
    }, 'primary', 'decision');
}

function adjourned(n) {
  return n === 0 ? 'not adjourned' : n === 1 ? 'adjourned once' : `adjourned ${n} times`;
}

function bytes(n) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`;
}

// A stored file: an image shown small (opens full size), a document as a download.
function fileItem(f, label) {
  if (f.content_type.startsWith('image/')) {
    return el('figure', { class: 'evidence-photo' },
      el('a', { href: f.url, target: '_blank', rel: 'noopener' },
        el('img', { src: f.url, alt: label, loading: 'lazy' })),
      el('figcaption', {}, `${label} · ${bytes(f.bytes)}`));
  }
  return el('p', { class: 'evidence-file' },
    el('a', { href: f.url, download: f.filename || '' }, label), ` · PDF · ${bytes(f.bytes)}`);
}

// The inspection as recorded: what the inspector found, said and measured, and what the
// operator contests.
function recordedSection(a) {
  const ins = a.inspection;
  const contested = new Set(a.contested_violations || []);
  const sec = el('section', { class: 'evidence', 'aria-labelledby': 'recorded-h', id: 'recorded' },
    el('h3', { id: 'recorded-h' }, 'The inspection as recorded'),
    el('p', {}, `${ins.type} inspection ${formatWhen(ins.started_at)}${ins.ended_at ? ` to ${formatWhen(ins.ended_at)}` : ''}; `,
      `score ${ins.score ?? '—'}, ${ins.grade?.label ? `grade ${ins.grade.label}` : 'no grade'}; revision ${ins.revision}.`));
  if (ins.amendment_reason) sec.append(el('p', { class: 'muted' }, `Amended: ${ins.amendment_reason}`));
  if (ins.violations.length) {
    const body = el('tbody');
    for (const v of ins.violations) {
      const isContested = contested.has(v.id);
      body.append(el('tr', { class: [isContested ? 'contested' : '', v.status === 'dismissed' ? 'dismissed' : ''].join(' ').trim() || false },
        el('td', {}, v.code),
        el('td', {}, el('div', {}, v.description), v.observed ? el('div', { class: 'observed' }, `Observed: ${v.observed}`) : null,
          v.corrected_on_site ? el('div', { class: 'muted' }, 'Corrected on site') : null,
          v.repeat ? el('div', { class: 'muted' }, 'Repeat finding') : null,
          v.status === 'dismissed' ? el('div', { class: 'muted' }, `Dismissed: ${v.dismissed_reason}`) : null),
        el('td', { class: 'num' }, String(v.points)),
        el('td', {}, isContested ? el('strong', { class: 'contested-mark' }, 'Contested') : '')));
    }
    sec.append(el('table', { class: 'violations', id: 'recorded-violations' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Code'), el('th', { scope: 'col' }, 'Finding'),
        el('th', { scope: 'col', class: 'num' }, 'Points'), el('th', { scope: 'col' }, 'Operator'))), body));
  } else {
    sec.append(el('p', {}, 'No violations were cited.'));
  }
  if (!contested.size) sec.append(el('p', { class: 'muted' }, 'The operator contests the result as a whole.'));
  sec.append(el('h4', {}, 'Inspector\'s observations'),
    a.observations ? el('blockquote', { id: 'observations' }, a.observations) : el('p', { class: 'muted' }, 'None written.'));
  if (ins.readings?.length) {
    const body = el('tbody');
    for (const r of ins.readings) {
      body.append(el('tr', {}, el('td', {}, r.item), el('td', {}, r.location || ''),
        el('td', { class: 'num' }, `${r.value} °${r.unit}`), el('td', {}, r.taken_at ? formatWhen(r.taken_at) : '')));
    }
    sec.append(el('h4', {}, 'Readings'), el('table', { class: 'readings', id: 'readings' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Item'), el('th', { scope: 'col' }, 'Where'),
        el('th', { scope: 'col', class: 'num' }, 'Value'), el('th', { scope: 'col' }, 'Taken'))), body));
  }
  if (ins.photos?.length) {
    sec.append(el('h4', {}, 'Inspector\'s photos'),
      el('div', { class: 'evidence-photos', id: 'inspection-photos' },
        ...ins.photos.map((p, i) => fileItem(p, `Photo ${i + 1}${p.code ? ` (${p.code})` : ''}`))));
  }
  return sec;
}

function operatorSection(a) {
  const files = a.attachments || [];
  return el('section', { class: 'evidence', 'aria-labelledby': 'operator-h', id: 'operator-case' },
    el('h3', { id: 'operator-h' }, 'The operator\'s case'),
    el('h4', {}, 'Grounds'), el('blockquote', { id: 'grounds' }, a.grounds),
    el('h4', {}, `Evidence attached (${files.length})`),
    files.length ? el('div', { class: 'evidence-photos', id: 'attachments' }, ...files.map((f) => fileItem(f, f.filename)))
      : el('p', { class: 'muted' }, 'The operator attached no files.'));
}

function historySection(a) {
  const prev = a.previous_inspections || [];
  const sec = el('section', { class: 'evidence', 'aria-labelledby': 'history-h', id: 'history' },
    el('h3', { id: 'history-h' }, 'Earlier inspections of this place'));
  if (!prev.length) {
    sec.append(el('p', { class: 'muted' }, 'None on record.'));
    return sec;
  }
  const body = el('tbody');
  for (const p of prev) {
    body.append(el('tr', {}, el('td', {}, formatWhen(p.started_at)), el('td', {}, p.type),
      el('td', { class: 'num' }, String(p.score ?? '—')), el('td', {}, p.grade_label || '—'),
      el('td', { class: 'num' }, String(p.violations)), el('td', {}, p.overturned ? 'Overturned on appeal' : '')));
  }
  sec.append(el('table', { class: 'history-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Date'), el('th', { scope: 'col' }, 'Type'),
      el('th', { scope: 'col', class: 'num' }, 'Score'), el('th', { scope: 'col' }, 'Grade'),
      el('th', { scope: 'col', class: 'num' }, 'Violations'), el('th', { scope: 'col' }, ''))), body));
  return sec;
}

let back = showQueue;

async function showAppeal(id, note = '') {
  const res = await api('GET', `/api/v1/staff/appeals/${id}`);
  if (res.status !== 200) {
    app.replaceChildren(nav(), el('p', { role: 'alert' }, res.data?.detail || 'The appeal could not be opened.'));
    return;
  }
  const a = res.data;
  const backBtn = el('button', { type: 'button', class: 'secondary' },
    back === showQueue ? 'Back to the queue' : back === showCalendar ? 'Back to the calendar' : 'Back to the decided appeals');
  const to = back;
  backBtn.addEventListener('click', () => to());
  const parts = [nav(), el('div', {}, backBtn),
    el('h2', { id: 'appeal-title', tabindex: -1 }, `Appeal ${a.id}: ${a.establishment.name}`),
    el('p', { class: 'status', role: 'status', id: 'appeal-note' }, note),
    el('p', { id: 'appeal-state' }, `State: ${a.state.replace('_', ' ')}`),
    el('p', {}, `Licence ${a.establishment.licence_number}, scheme ${a.scheme}. Filed ${formatWhen(a.filed_at)}.`),
    el('p', {}, 'Decision due ', el('strong', {}, formatWhen(a.decision_due)), ' ',
      a.open ? el('span', { class: 'countdown', 'data-deadline': a.decision_due }) : null),
    el('h3', {}, 'Result under appeal'),
    el('p', {}, `${a.before.grade_label || 'No grade'} (score ${a.before.score})`)];
  if (a.hearing_at) parts.push(el('p', { id: 'hearing-at' }, `Hearing ${formatWhen(a.hearing_at)}; ${adjourned(a.adjournments)}.`));
  const evidence = el('div', { class: 'evidence-columns' }, recordedSection(a),
    el('div', {}, operatorSection(a), historySection(a)));
  parts.push(evidence);
  if (a.state === 'filed') {
    parts.push(actionForm(a.id, 'review', 'Take under review', [], () => ({ action: 'accept' })));
    // Closing as late only fits an appeal filed after its deadline (the server refuses it
    // for a timely one), such as a paper appeal entered afterwards.
    if (a.filing_deadline && new Date(a.filed_at) > new Date(a.filing_deadline)) {
      const lateNote = el('input', { maxlength: 2000, 'data-pointer': '/note' });
      parts.push(actionForm(a.id, 'review', 'Reject as late', [field('late-note', 'Why it is late', lateNote)],
        (f) => ({ action: 'reject_late', note: f['late-note'].value.trim() }), 'secondary'));
    }
  }
  if (a.state === 'under_review') {
    const at = el('input', { type: 'datetime-local', 'data-pointer': '/hearing_at' });
    parts.push(actionForm(a.id, 'hearing', 'Schedule the hearing', [field('hearing-at-input', 'Hearing date and time', at)],
      (f) => ({ hearing_at: toTimestamp(f['hearing-at-input'].value) }), 'secondary', 'schedule'));
  }
  if (a.state === 'hearing_scheduled') {
    const at = el('input', { type: 'datetime-local', 'data-pointer': '/hearing_at' });
    const why = el('input', { maxlength: 2000, 'data-pointer': '/reason' });
    parts.push(actionForm(a.id, 'adjournments', 'Adjourn the hearing',
      [field('adjourn-at', 'New date and time', at), field('adjourn-reason', 'Reason', why)],
      (f) => ({ hearing_at: toTimestamp(f['adjourn-at'].value), reason: f['adjourn-reason'].value.trim() }), 'secondary', 'adjourn'));
  }
  if (a.state === 'under_review' || a.state === 'hearing_scheduled') {
    parts.push(el('h3', {}, 'Decision'), decisionForm(a));
  }
  if (a.outcome) {
    parts.push(el('h3', {}, 'Decision'), el('p', { id: 'decision-outcome' }, `Outcome: ${a.outcome}`),
      el('p', {}, `Decided ${formatWhen(a.decided_at)}.`),
      el('blockquote', { id: 'decision-reasons' }, a.reasons),
      el('p', {}, a.after?.counts ? `After: ${a.after.grade_label} (score ${a.after.score})` : 'After: the inspection no longer counts'));
    if (a.dismissed_violations?.length) {
      parts.push(el('ul', {}, ...a.dismissed_violations.map((d) => el('li', {}, `${d.code} dismissed: ${d.reason}`))));
    }
  }
  if (a.closing_note) parts.push(el('p', {}, `Closing note: ${a.closing_note}`));
  app.replaceChildren(...parts);
  startCountdowns();
  document.getElementById('appeal-title').focus?.();
}

// The page's own navigation between the three lists.
function nav() {
  const tabs = [['Queue', showQueue], ['Hearing calendar', showCalendar], ['Decided appeals', showDecided]];
  return el('nav', { class: 'hearing-tabs', 'aria-label': 'Appeals' }, ...tabs.map(([text, fn]) => {
    const b = el('button', { type: 'button', class: 'secondary', 'aria-current': back === fn ? 'page' : false }, text);
    b.addEventListener('click', () => fn());
    return b;
  }));
}

function appealItem(a, line) {
  const open = el('button', { type: 'button', class: 'primary', 'data-appeal': a.id }, `Open appeal ${a.id}`);
  open.addEventListener('click', () => showAppeal(a.id));
  return el('li', { class: a.overdue && a.open ? 'overdue' : '' },
    el('p', {}, el('strong', {}, a.establishment.name), ` · ${a.establishment.licence_number} · ${a.state.replace('_', ' ')}`),
    line, open);
}

async function showQueue() {
  back = showQueue;
  const res = await api('GET', '/api/v1/appeals');
  if (res.status !== 200) {
    app.replaceChildren(nav(), el('p', { role: 'alert' }, res.data?.detail || 'The queue could not be loaded.'));
    return;
  }
  const list = el('ul', { class: 'queue' });
  for (const a of res.data.appeals) {
    list.append(appealItem(a, el('p', {}, 'Decision due ', formatWhen(a.decision_due), ' ',
      el('span', { class: 'countdown', 'data-deadline': a.decision_due }), a.overdue ? ' (overdue)' : '')));
  }
  app.replaceChildren(nav(), el('h2', {}, `Open appeals (${res.data.appeals.length})`),
    res.data.appeals.length ? list : el('p', {}, 'No open appeals.'));
  startCountdowns();
}

function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

// The hearings scheduled between two days, grouped by day.
async function showCalendar(range = null) {
  back = showCalendar;
  const from = range?.from || isoDay(new Date());
  const to = range?.to || isoDay(new Date(Date.now() + 27 * 86400000));
  const fromIn = el('input', { type: 'date', value: from, 'data-pointer': 'from' });
  const toIn = el('input', { type: 'date', value: to, 'data-pointer': 'to' });
  const st = status();
  const form = el('form', { class: 'fields search', novalidate: true },
    field('calendar-from', 'From', fromIn), field('calendar-to', 'To', toIn),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, 'Show hearings')), st);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    showCalendar({ from: fromIn.value, to: toIn.value });
  });
  const out = el('div', { id: 'calendar' });
  app.replaceChildren(nav(), el('h2', {}, 'Hearing calendar'), form, out);
  const res = await api('GET', `/api/v1/appeals/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  if (res.status !== 200) {
    const beside = showFieldError(form, res.data);
    st.textContent = beside ? 'See the marked field.' : res.data?.detail || `Refused (${res.status}).`;
    return;
  }
  const days = new Map();
  for (const a of res.data.appeals) {
    const day = new Date(a.hearing_at).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(a);
  }
  if (!days.size) {
    out.append(el('p', {}, 'No hearings scheduled in these days.'));
    return;
  }
  for (const [day, list] of days) {
    out.append(el('h3', { class: 'calendar-day' }, day), el('ul', { class: 'queue' },
      ...list.map((a) => appealItem(a, el('p', {}, 'Hearing ',
        el('strong', {}, new Date(a.hearing_at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })),
        a.adjournments ? ` · ${adjourned(a.adjournments)}` : '', ` · decision due ${formatWhen(a.decision_due)}`)))));
  }
}

const OUTCOMES = { '': 'Any outcome', upheld: 'Upheld', modified: 'Modified', overturned: 'Overturned' };
let lastSearch = {};

// Decided appeals, found by establishment, date and outcome, and each read in full.
async function showDecided(q = lastSearch) {
  back = showDecided;
  lastSearch = q;
  const est = el('input', { type: 'search', value: q.establishment || '', maxlength: 200, 'data-pointer': 'establishment' });
  const fromIn = el('input', { type: 'date', value: q.from || '', 'data-pointer': 'from' });
  const toIn = el('input', { type: 'date', value: q.to || '', 'data-pointer': 'to' });
  const outcome = el('select', { 'data-pointer': 'outcome' },
    ...Object.entries(OUTCOMES).map(([v, t]) => el('option', { value: v, selected: (q.outcome || '') === v }, t)));
  const st = status();
  const form = el('form', { class: 'fields search', novalidate: true },
    field('decided-establishment', 'Establishment or licence', est), field('decided-from', 'Decided from', fromIn),
    field('decided-to', 'Decided to', toIn), field('decided-outcome', 'Outcome', outcome),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, 'Search')), st);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors();
    if (fromIn.value && toIn.value && toIn.value < fromIn.value) {
      // The server would answer an empty list; the dates are the wrong way round.
      showFieldError(form, { field: 'to', detail: '"Decided to" is a day before "Decided from".' });
      st.textContent = 'See the marked field.';
      return;
    }
    showDecided({ establishment: est.value.trim(), from: fromIn.value, to: toIn.value, outcome: outcome.value });
  });
  const out = el('div', { id: 'decided' });
  app.replaceChildren(nav(), el('h2', {}, 'Decided appeals'), form, out);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  const res = await api('GET', `/api/v1/appeals/decided?${params}`);
  if (res.status !== 200) {
    const beside = showFieldError(form, res.data);
    st.textContent = beside ? 'See the marked field.' : res.data?.detail || `Refused (${res.status}).`;
    return;
  }
  const list = res.data.appeals;
  out.append(el('p', { role: 'status', id: 'decided-count' }, `${list.length} decided appeal${list.length === 1 ? '' : 's'}`));
  if (list.length) {
    out.append(el('ul', { class: 'queue' }, ...list.map((a) => appealItem(a,
      el('p', {}, `Decided ${formatWhen(a.decided_at)}: `, el('strong', {}, a.outcome))))));
  }
}

async function start(session) {
  const who = document.getElementById('who');
  const out = el('button', { type: 'button', class: 'secondary' }, 'Sign out');
  out.addEventListener('click', async () => { await signOut(); who.replaceChildren(); mountSignIn(app, start); });
  who.replaceChildren(`${session.user.display_name} `, out);
  if (!['hearing_officer', 'supervisor'].includes(session.user.role)) {
    const registry = ['clerk', 'admin'].includes(session.user.role)
      ? [' Clerks keep the ', el('a', { href: '/registry/' }, 'licence registry'), '.'] : [];
    app.replaceChildren(el('p', { role: 'alert' }, 'This page is for hearing officers and supervisors.', ...registry));
    return;
  }
  await showQueue();
}

const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
