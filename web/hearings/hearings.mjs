// hearings.mjs - the hearing officers' page (a desktop page first): sign in, work the queue
// of open appeals (most urgent first, overdue ones marked), see the hearing calendar, search
// the decided appeals, and for one appeal: read the evidence (the inspection as recorded, what
// the operator contests and why, the files they attached, the place's earlier inspections),
// take it under review or reject it as late, schedule or adjourn the hearing, and record the
// decision with written reasons (naming the violations a modified decision dismisses).
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { formatWhen, startCountdowns, whenElement } from '/js/deadline.mjs';
import { el } from '/js/portal.mjs';
import { PSEUDO, formatDay, formatNumber, has, i18nInit, lang, t, tParts, wording } from '/js/i18n.mjs';

await i18nInit(['hearings', 'signin', 'deadline', 'wording']);

const app = document.getElementById('app');

// Data in a sentence (a name, a code, text someone typed): kept as written.
function data(text) {
  return el('span', { translate: 'no' }, text);
}

// A word the server sends by its name (an appeal's state, an outcome, an inspection's type),
// in the page's language; a name the page does not know, as sent.
function named(kind, name) {
  if (name === null || name === undefined || name === '') return '';
  const key = `hearings.${kind}.${name}`;
  return has(key) ? t(key) : data(name);
}

// The server's detail of a problem, or @key with the status.
function refused(res) {
  return res.data?.detail || t('hearings.error.refused', { status: res.status });
}

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
  const msg = el('p', { class: 'field-error', id }, p.detail || t('hearings.error.check_field'));
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
    st.textContent = t('hearings.saving');
    const res = await api('POST', `/api/v1/appeals/${appealId}/${what}`, body(form));
    if (res.status !== 200) {
      // Said once: beside the field at fault, or here when no field is named.
      const beside = showFieldError(form, res.data);
      st.textContent = beside ? t('hearings.error.not_saved') : refused(res);
      return;
    }
    showAppeal(appealId, t('hearings.saved'));
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
  const outcomes = el('fieldset', { class: 'outcomes', 'data-pointer': '/outcome', tabindex: -1 }, el('legend', {}, t('hearings.decide.outcome')));
  for (const [value, text] of [['upheld', t('hearings.decide.upheld')],
    ['modified', t('hearings.decide.modified')],
    ['overturned', t('hearings.decide.overturned')]]) {
    outcomes.append(el('div', { class: 'check' },
      el('input', { type: 'radio', name: 'outcome', id: `outcome-${value}`, value, required: true }),
      el('label', { for: `outcome-${value}` }, text)));
  }
  const dismiss = el('fieldset', { class: 'dismiss', 'data-pointer': '/dismissed', tabindex: -1 },
    el('legend', {}, t('hearings.decide.dismiss')));
  for (const v of a.inspection.violations) {
    if (v.status === 'dismissed') continue;
    const box = el('input', { type: 'checkbox', id: `dismiss-${v.id}`, value: v.id, name: 'dismiss' });
    const why = el('input', { id: `dismiss-reason-${v.id}`, maxlength: 2000 });
    dismiss.append(el('div', { class: 'dismiss-row' },
      el('div', { class: 'check' }, box, el('label', { for: box.id },
        tParts('hearings.decide.violation', { name: data(`${v.code}: ${v.description}`), points: v.points }))),
      el('div', {}, el('label', { for: why.id }, tParts('hearings.decide.why', { code: data(v.code) })), why)));
  }
  return actionForm(a.id, 'decision', t('hearings.decide.submit'),
    [outcomes, dismiss, field('reasons', t('hearings.decide.reasons'), reasons)], (form) => {
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
  return t('hearings.adjourned', { n });
}

function bytes(n) {
  return n >= 1024 * 1024 ? t('hearings.file.mb', { n: formatNumber(n / 1024 / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })
    : t('hearings.file.kb', { n: Math.max(1, Math.round(n / 1024)) });
}

// A stored file: an image shown small (opens full size), a document as a download.
function fileItem(f, label) {
  if (f.content_type.startsWith('image/')) {
    return el('figure', { class: 'evidence-photo' },
      el('a', { href: f.url, target: '_blank', rel: 'noopener' },
        el('img', { src: f.url, alt: label.textContent, loading: 'lazy', translate: label.getAttribute('translate') || false })),
      el('figcaption', {}, tParts('hearings.file.photo', { name: label, size: bytes(f.bytes) })));
  }
  return el('p', { class: 'evidence-file' }, tParts('hearings.file.pdf', {
    link: el('a', { href: f.url, download: f.filename || '' }, label), size: bytes(f.bytes),
  }));
}

// The inspection as recorded: what the inspector found, said and measured, and what the
// operator contests.
function recordedSection(a) {
  const ins = a.inspection;
  const contested = new Set(a.contested_violations || []);
  const sec = el('section', { class: 'evidence', 'aria-labelledby': 'recorded-h', id: 'recorded' },
    el('h3', { id: 'recorded-h' }, t('hearings.recorded.heading')),
    el('p', {}, tParts(`hearings.recorded.summary${ins.ended_at ? '_span' : ''}${ins.grade?.label ? '' : '_no_grade'}`, {
      type: named('type', ins.type), from: whenElement(ins.started_at), to: ins.ended_at ? whenElement(ins.ended_at) : '',
      score: ins.score ?? '—', grade: wording(ins.grade?.label), revision: ins.revision,
    })));
  if (ins.amendment_reason) sec.append(el('p', { class: 'muted' }, tParts('hearings.recorded.amended', { reason: data(ins.amendment_reason) })));
  if (ins.violations.length) {
    const body = el('tbody');
    for (const v of ins.violations) {
      const isContested = contested.has(v.id);
      body.append(el('tr', { class: [isContested ? 'contested' : '', v.status === 'dismissed' ? 'dismissed' : ''].join(' ').trim() || false },
        el('td', { translate: 'no' }, v.code),
        el('td', {}, el('div', { translate: 'no' }, v.description),
          v.observed ? el('div', { class: 'observed' }, tParts('hearings.recorded.observed', { text: data(v.observed) })) : null,
          v.corrected_on_site ? el('div', { class: 'muted' }, t('hearings.recorded.corrected_on_site')) : null,
          v.repeat ? el('div', { class: 'muted' }, t('hearings.recorded.repeat')) : null,
          v.status === 'dismissed' ? el('div', { class: 'muted' }, tParts('hearings.recorded.dismissed', { reason: data(v.dismissed_reason) })) : null),
        el('td', { class: 'num' }, formatNumber(v.points)),
        el('td', {}, isContested ? el('strong', { class: 'contested-mark' }, t('hearings.recorded.contested')) : '')));
    }
    sec.append(el('table', { class: 'violations', id: 'recorded-violations' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('hearings.recorded.col_code')), el('th', { scope: 'col' }, t('hearings.recorded.col_finding')),
        el('th', { scope: 'col', class: 'num' }, t('hearings.recorded.col_points')), el('th', { scope: 'col' }, t('hearings.recorded.col_operator')))), body));
  } else {
    sec.append(el('p', {}, t('hearings.recorded.none')));
  }
  if (!contested.size) sec.append(el('p', { class: 'muted' }, t('hearings.recorded.contests_all')));
  sec.append(el('h4', {}, t('hearings.recorded.observations')),
    a.observations ? el('blockquote', { id: 'observations', translate: 'no' }, a.observations) : el('p', { class: 'muted' }, t('hearings.recorded.none_written')));
  if (ins.readings?.length) {
    const body = el('tbody');
    for (const r of ins.readings) {
      body.append(el('tr', {}, el('td', { translate: 'no' }, r.item), el('td', { translate: 'no' }, r.location || ''),
        el('td', { class: 'num', translate: 'no' }, `${formatNumber(r.value)} °${r.unit}`), el('td', {}, r.taken_at ? whenElement(r.taken_at) : '')));
    }
    sec.append(el('h4', {}, t('hearings.recorded.readings')), el('table', { class: 'readings', id: 'readings' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('hearings.recorded.col_item')), el('th', { scope: 'col' }, t('hearings.recorded.col_where')),
        el('th', { scope: 'col', class: 'num' }, t('hearings.recorded.col_value')), el('th', { scope: 'col' }, t('hearings.recorded.col_taken')))), body));
  }
  if (ins.photos?.length) {
    sec.append(el('h4', {}, t('hearings.recorded.photos')),
      el('div', { class: 'evidence-photos', id: 'inspection-photos' },
        ...ins.photos.map((p, i) => fileItem(p, el('span', {}, p.code ? t('hearings.recorded.photo_code', { n: i + 1, code: p.code })
          : t('hearings.recorded.photo', { n: i + 1 }))))));
  }
  return sec;
}

function operatorSection(a) {
  const files = a.attachments || [];
  return el('section', { class: 'evidence', 'aria-labelledby': 'operator-h', id: 'operator-case' },
    el('h3', { id: 'operator-h' }, t('hearings.case.heading')),
    el('h4', {}, t('hearings.case.grounds')), el('blockquote', { id: 'grounds', translate: 'no' }, a.grounds),
    el('h4', {}, t('hearings.case.attached', { n: files.length })),
    files.length ? el('div', { class: 'evidence-photos', id: 'attachments' }, ...files.map((f) => fileItem(f, data(f.filename))))
      : el('p', { class: 'muted' }, t('hearings.case.no_files')));
}

function historySection(a) {
  const prev = a.previous_inspections || [];
  const sec = el('section', { class: 'evidence', 'aria-labelledby': 'history-h', id: 'history' },
    el('h3', { id: 'history-h' }, t('hearings.history.heading')));
  if (!prev.length) {
    sec.append(el('p', { class: 'muted' }, t('hearings.history.none')));
    return sec;
  }
  const body = el('tbody');
  for (const p of prev) {
    body.append(el('tr', {}, el('td', {}, whenElement(p.started_at)), el('td', {}, named('type', p.type)),
      el('td', { class: 'num' }, String(p.score ?? '—')), el('td', {}, p.grade_label ? wording(p.grade_label) : '—'),
      el('td', { class: 'num' }, String(p.violations)), el('td', {}, p.overturned ? t('hearings.history.overturned') : '')));
  }
  sec.append(el('table', { class: 'history-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('hearings.history.col_date')), el('th', { scope: 'col' }, t('hearings.history.col_type')),
      el('th', { scope: 'col', class: 'num' }, t('hearings.history.col_score')), el('th', { scope: 'col' }, t('hearings.history.col_grade')),
      el('th', { scope: 'col', class: 'num' }, t('hearings.history.col_violations')), el('th', { scope: 'col' }, ''))), body));
  return sec;
}

let back = showQueue;

async function showAppeal(id, note = '') {
  const res = await api('GET', `/api/v1/staff/appeals/${id}`);
  if (res.status !== 200) {
    app.replaceChildren(nav(), el('p', { role: 'alert' }, res.data?.detail || t('hearings.error.appeal')));
    return;
  }
  const a = res.data;
  const backBtn = el('button', { type: 'button', class: 'secondary' },
    t(back === showQueue ? 'hearings.back.queue' : back === showCalendar ? 'hearings.back.calendar' : 'hearings.back.decided'));
  const to = back;
  backBtn.addEventListener('click', () => to());
  const parts = [nav(), el('div', {}, backBtn),
    el('h2', { id: 'appeal-title', tabindex: -1 }, tParts('hearings.appeal.title', { id: a.id, name: data(a.establishment.name) })),
    el('p', { class: 'status', role: 'status', id: 'appeal-note' }, note),
    el('p', { id: 'appeal-state' }, tParts('hearings.appeal.state', { state: named('state', a.state) })),
    el('p', {}, tParts('hearings.appeal.filed', {
      licence: data(a.establishment.licence_number), scheme: data(a.scheme), when: whenElement(a.filed_at),
    })),
    el('p', {}, tParts('hearings.appeal.decision_due', {
      when: el('strong', {}, whenElement(a.decision_due)),
      left: a.open ? el('span', { class: 'countdown', 'data-deadline': a.decision_due }) : '',
    })),
    el('h3', {}, t('hearings.appeal.under_appeal')),
    el('p', {}, t('hearings.appeal.result', { grade: a.before.grade_label ? wording(a.before.grade_label) : t('hearings.no_grade'), score: a.before.score }))];
  if (a.hearing_at) {
    parts.push(el('p', { id: 'hearing-at' }, t('hearings.appeal.hearing', { when: formatWhen(a.hearing_at), adjourned: adjourned(a.adjournments) })));
  }
  const evidence = el('div', { class: 'evidence-columns' }, recordedSection(a),
    el('div', {}, operatorSection(a), historySection(a)));
  parts.push(evidence);
  if (a.state === 'filed') {
    parts.push(actionForm(a.id, 'review', t('hearings.appeal.accept'), [], () => ({ action: 'accept' })));
    // Closing as late only fits an appeal filed after its deadline (the server refuses it
    // for a timely one), such as a paper appeal entered afterwards.
    if (a.filing_deadline && new Date(a.filed_at) > new Date(a.filing_deadline)) {
      const lateNote = el('input', { maxlength: 2000, 'data-pointer': '/note' });
      parts.push(actionForm(a.id, 'review', t('hearings.appeal.reject_late'), [field('late-note', t('hearings.appeal.late_note'), lateNote)],
        (f) => ({ action: 'reject_late', note: f['late-note'].value.trim() }), 'secondary'));
    }
  }
  if (a.state === 'under_review') {
    const at = el('input', { type: 'datetime-local', 'data-pointer': '/hearing_at' });
    parts.push(actionForm(a.id, 'hearing', t('hearings.appeal.schedule'), [field('hearing-at-input', t('hearings.appeal.hearing_at'), at)],
      (f) => ({ hearing_at: toTimestamp(f['hearing-at-input'].value) }), 'secondary', 'schedule'));
  }
  if (a.state === 'hearing_scheduled') {
    const at = el('input', { type: 'datetime-local', 'data-pointer': '/hearing_at' });
    const why = el('input', { maxlength: 2000, 'data-pointer': '/reason' });
    parts.push(actionForm(a.id, 'adjournments', t('hearings.appeal.adjourn'),
      [field('adjourn-at', t('hearings.appeal.adjourn_at'), at), field('adjourn-reason', t('hearings.appeal.adjourn_reason'), why)],
      (f) => ({ hearing_at: toTimestamp(f['adjourn-at'].value), reason: f['adjourn-reason'].value.trim() }), 'secondary', 'adjourn'));
  }
  if (a.state === 'under_review' || a.state === 'hearing_scheduled') {
    parts.push(el('h3', {}, t('hearings.decision.heading')), decisionForm(a));
  }
  if (a.outcome) {
    parts.push(el('h3', {}, t('hearings.decision.heading')),
      el('p', { id: 'decision-outcome' }, tParts('hearings.decision.outcome', { outcome: named('outcome', a.outcome) })),
      el('p', {}, t('hearings.decision.decided', { when: formatWhen(a.decided_at) })),
      el('blockquote', { id: 'decision-reasons', translate: 'no' }, a.reasons),
      el('p', {}, a.after?.counts ? t('hearings.decision.after', { grade: wording(a.after.grade_label) ?? '', score: a.after.score })
        : t('hearings.decision.after_none')));
    if (a.dismissed_violations?.length) {
      parts.push(el('ul', {}, ...a.dismissed_violations.map((d) => el('li', {},
        tParts('hearings.decision.dismissed_item', { code: data(d.code), reason: data(d.reason) })))));
    }
  }
  if (a.closing_note) parts.push(el('p', {}, tParts('hearings.appeal.closing_note', { note: data(a.closing_note) })));
  app.replaceChildren(...parts);
  startCountdowns();
  document.getElementById('appeal-title').focus?.();
}

// The page's own navigation between the three lists.
function nav() {
  const tabs = [[t('hearings.tabs.queue'), showQueue], [t('hearings.tabs.calendar'), showCalendar], [t('hearings.tabs.decided'), showDecided]];
  return el('nav', { class: 'hearing-tabs', 'aria-label': t('hearings.tabs.label') }, ...tabs.map(([text, fn]) => {
    const b = el('button', { type: 'button', class: 'secondary', 'aria-current': back === fn ? 'page' : false }, text);
    b.addEventListener('click', () => fn());
    return b;
  }));
}

function appealItem(a, line) {
  const open = el('button', { type: 'button', class: 'primary', 'data-appeal': a.id }, t('hearings.queue.open', { id: a.id }));
  open.addEventListener('click', () => showAppeal(a.id));
  return el('li', { class: a.overdue && a.open ? 'overdue' : '' },
    el('p', {}, el('strong', { translate: 'no' }, a.establishment.name), ' · ', data(a.establishment.licence_number),
      ' · ', named('state', a.state)),
    line, open);
}

async function showQueue() {
  back = showQueue;
  const res = await api('GET', '/api/v1/appeals');
  if (res.status !== 200) {
    app.replaceChildren(nav(), el('p', { role: 'alert' }, res.data?.detail || t('hearings.error.queue')));
    return;
  }
  const list = el('ul', { class: 'queue' });
  for (const a of res.data.appeals) {
    list.append(appealItem(a, el('p', {}, tParts(a.overdue ? 'hearings.queue.due_overdue' : 'hearings.queue.due', {
      when: whenElement(a.decision_due), left: el('span', { class: 'countdown', 'data-deadline': a.decision_due }),
    }))));
  }
  app.replaceChildren(nav(), el('h2', {}, t('hearings.queue.heading', { n: res.data.appeals.length })),
    res.data.appeals.length ? list : el('p', {}, t('hearings.queue.none')));
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
    field('calendar-from', t('hearings.calendar.from'), fromIn), field('calendar-to', t('hearings.calendar.to'), toIn),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, t('hearings.calendar.submit'))), st);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    showCalendar({ from: fromIn.value, to: toIn.value });
  });
  const out = el('div', { id: 'calendar' });
  app.replaceChildren(nav(), el('h2', {}, t('hearings.calendar.heading')), form, out);
  const res = await api('GET', `/api/v1/appeals/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  if (res.status !== 200) {
    const beside = showFieldError(form, res.data);
    st.textContent = beside ? t('hearings.error.see_field') : refused(res);
    return;
  }
  const days = new Map();
  for (const a of res.data.appeals) {
    const day = formatDay(a.hearing_at, 'full');
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(a);
  }
  if (!days.size) {
    out.append(el('p', {}, t('hearings.calendar.none')));
    return;
  }
  for (const [day, list] of days) {
    out.append(el('h3', { class: 'calendar-day', translate: 'no' }, day), el('ul', { class: 'queue' },
      ...list.map((a) => appealItem(a, el('p', {}, tParts(a.adjournments ? 'hearings.calendar.item_adjourned' : 'hearings.calendar.item', {
        time: el('strong', {}, whenElement(a.hearing_at, hearingTime(a.hearing_at))),
        adjourned: adjourned(a.adjournments), due: whenElement(a.decision_due),
      }))))));
  }
}

// The time of day of @iso, as the page's language writes it.
function hearingTime(iso) {
  return new Intl.DateTimeFormat(lang() === PSEUDO ? 'en' : lang(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

const OUTCOMES = ['', 'upheld', 'modified', 'overturned'];
let lastSearch = {};

// Decided appeals, found by establishment, date and outcome, and each read in full.
async function showDecided(q = lastSearch) {
  back = showDecided;
  lastSearch = q;
  const est = el('input', { type: 'search', value: q.establishment || '', maxlength: 200, 'data-pointer': 'establishment' });
  const fromIn = el('input', { type: 'date', value: q.from || '', 'data-pointer': 'from' });
  const toIn = el('input', { type: 'date', value: q.to || '', 'data-pointer': 'to' });
  const outcome = el('select', { 'data-pointer': 'outcome' },
    ...OUTCOMES.map((v) => el('option', { value: v, selected: (q.outcome || '') === v }, t(v ? `hearings.decided.outcome.${v}` : 'hearings.decided.outcome.any'))));
  const st = status();
  const form = el('form', { class: 'fields search', novalidate: true },
    field('decided-establishment', t('hearings.decided.establishment'), est), field('decided-from', t('hearings.decided.from'), fromIn),
    field('decided-to', t('hearings.decided.to'), toIn), field('decided-outcome', t('hearings.decided.outcome_label'), outcome),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, t('hearings.decided.submit'))), st);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors();
    if (fromIn.value && toIn.value && toIn.value < fromIn.value) {
      // The server would answer an empty list; the dates are the wrong way round.
      showFieldError(form, { field: 'to', detail: t('hearings.decided.backwards') });
      st.textContent = t('hearings.error.see_field');
      return;
    }
    showDecided({ establishment: est.value.trim(), from: fromIn.value, to: toIn.value, outcome: outcome.value });
  });
  const out = el('div', { id: 'decided' });
  app.replaceChildren(nav(), el('h2', {}, t('hearings.decided.heading')), form, out);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  const res = await api('GET', `/api/v1/appeals/decided?${params}`);
  if (res.status !== 200) {
    const beside = showFieldError(form, res.data);
    st.textContent = beside ? t('hearings.error.see_field') : refused(res);
    return;
  }
  const list = res.data.appeals;
  out.append(el('p', { role: 'status', id: 'decided-count' }, t('hearings.decided.count', { n: list.length })));
  if (list.length) {
    out.append(el('ul', { class: 'queue' }, ...list.map((a) => appealItem(a,
      el('p', {}, tParts('hearings.decided.item', { when: whenElement(a.decided_at), outcome: el('strong', {}, named('outcome', a.outcome)) }))))));
  }
}

async function start(session) {
  const who = document.getElementById('who');
  const out = el('button', { type: 'button', class: 'secondary' }, t('hearings.sign_out'));
  out.addEventListener('click', async () => { await signOut(); who.replaceChildren(); mountSignIn(app, start); });
  who.replaceChildren(data(session.user.display_name), ' ', out);
  if (!['hearing_officer', 'supervisor'].includes(session.user.role)) {
    const registry = ['clerk', 'admin'].includes(session.user.role)
      ? [' ', ...tParts('hearings.clerks', { link: el('a', { href: '/registry/' }, t('hearings.clerks_link')) })] : [];
    app.replaceChildren(el('p', { role: 'alert' }, t('hearings.not_for_you'), ...registry));
    return;
  }
  await showQueue();
}

const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
