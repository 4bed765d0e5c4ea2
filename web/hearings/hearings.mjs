// hearings.mjs - the hearing officers' page: sign in, work the queue of open appeals (most
// urgent first, overdue ones marked), and for one appeal: take it under review or reject it
// as late, schedule or adjourn the hearing, and record the decision with written reasons
// (naming the violations a modified decision dismisses).
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

// A form posting to the appeal's @what; @body(form) builds the request.
function actionForm(appealId, what, button, fields, body, cls = 'primary') {
  const st = status();
  const form = el('form', { class: 'fields', novalidate: true }, ...fields,
    el('div', {}, el('button', { type: 'submit', class: cls }, button)), st);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    st.textContent = 'Saving…';
    const res = await api('POST', `/api/v1/appeals/${appealId}/${what}`, body(form));
    if (res.status !== 200) {
      st.textContent = res.data?.detail || `Refused (${res.status}).`;
      const bad = res.data?.field && form.querySelector(`[data-pointer="${res.data.field}"]`);
      if (bad) bad.focus();
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
  const outcomes = el('fieldset', { class: 'outcomes' }, el('legend', {}, 'Outcome'));
  for (const [value, text] of [['upheld', 'Upheld: the result stands'],
    ['modified', 'Modified: dismiss violations and re-grade'],
    ['overturned', 'Overturned: the inspection no longer counts']]) {
    outcomes.append(el('div', { class: 'check' },
      el('input', { type: 'radio', name: 'outcome', id: `outcome-${value}`, value, required: true }),
      el('label', { for: `outcome-${value}` }, text)));
  }
  const dismiss = el('fieldset', { class: 'dismiss' }, el('legend', {}, 'Violations to dismiss (modified)'));
  a.inspection.violations.forEach((v, i) => {
    if (v.status === 'dismissed') return;
    const box = el('input', { type: 'checkbox', id: `dismiss-${v.id}`, value: v.id, name: 'dismiss' });
    const why = el('input', { id: `dismiss-reason-${v.id}`, maxlength: 2000, 'data-pointer': `/dismissed/${i}/reason` });
    dismiss.append(el('div', { class: 'dismiss-row' },
      el('div', { class: 'check' }, box, el('label', { for: box.id }, `${v.code}: ${v.description} (${v.points} points)`)),
      el('div', {}, el('label', { for: why.id }, `Why ${v.code} is dismissed`), why)));
  });
  return actionForm(a.id, 'decision', 'Record the decision',
    [outcomes, dismiss, field('reasons', 'Reasons (published)', reasons)], (form) => {
      const outcome = form.querySelector('input[name=outcome]:checked')?.value || '';
      const body = { outcome, reasons: form.reasons.value.trim() };
      if (outcome === 'modified') {
        body.dismissed = [...form.querySelectorAll('input[name=dismiss]:checked')].map((b) => ({
          violation_id: Number(b.value),
          reason: form.querySelector(`#dismiss-reason-${b.value}`).value.trim(),
        }));
      }
      return body;
    });
}

async function showAppeal(id, note = '') {
  const res = await api('GET', `/api/v1/staff/appeals/${id}`);
  if (res.status !== 200) {
    app.replaceChildren(el('p', { role: 'alert' }, res.data?.detail || 'The appeal could not be opened.'));
    return;
  }
  const a = res.data;
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to the queue');
  back.addEventListener('click', showQueue);
  const parts = [el('div', {}, back),
    el('h2', { id: 'appeal-title' }, `Appeal ${a.id}: ${a.establishment.name}`),
    el('p', { class: 'status', role: 'status', id: 'appeal-note' }, note),
    el('p', { id: 'appeal-state' }, `State: ${a.state.replace('_', ' ')}`),
    el('p', {}, `Licence ${a.establishment.licence_number}, scheme ${a.scheme}. Filed ${formatWhen(a.filed_at)}.`),
    el('p', {}, 'Decision due ', el('strong', {}, formatWhen(a.decision_due)), ' ',
      el('span', { class: 'countdown', 'data-deadline': a.decision_due })),
    el('h3', {}, 'Grounds'), el('blockquote', {}, a.grounds),
    el('h3', {}, 'Result under appeal'),
    el('p', {}, `${a.before.grade_label || 'No grade'} (score ${a.before.score})`)];
  if (a.hearing_at) parts.push(el('p', {}, `Hearing ${formatWhen(a.hearing_at)}; adjourned ${a.adjournments} time(s).`));
  if (a.state === 'filed') {
    parts.push(actionForm(a.id, 'review', 'Take under review', [], () => ({ action: 'accept' })));
    const note = el('input', { maxlength: 2000, 'data-pointer': '/note' });
    parts.push(actionForm(a.id, 'review', 'Reject as late', [field('late-note', 'Why it is late', note)],
      (f) => ({ action: 'reject_late', note: f['late-note'].value.trim() }), 'secondary'));
  }
  if (a.state === 'under_review') {
    const at = el('input', { type: 'datetime-local', 'data-pointer': '/hearing_at' });
    parts.push(actionForm(a.id, 'hearing', 'Schedule the hearing', [field('hearing-at', 'Hearing date and time', at)],
      (f) => ({ hearing_at: toTimestamp(f['hearing-at'].value) }), 'secondary'));
  }
  if (a.state === 'hearing_scheduled') {
    const at = el('input', { type: 'datetime-local', 'data-pointer': '/hearing_at' });
    const why = el('input', { maxlength: 2000, 'data-pointer': '/reason' });
    parts.push(actionForm(a.id, 'adjournments', 'Adjourn the hearing',
      [field('adjourn-at', 'New date and time', at), field('adjourn-reason', 'Reason', why)],
      (f) => ({ hearing_at: toTimestamp(f['adjourn-at'].value), reason: f['adjourn-reason'].value.trim() }), 'secondary'));
  }
  if (a.state === 'under_review' || a.state === 'hearing_scheduled') {
    parts.push(el('h3', {}, 'Decision'), decisionForm(a));
  }
  if (a.outcome) {
    parts.push(el('h3', {}, 'Decision'), el('p', { id: 'decision-outcome' }, `Outcome: ${a.outcome}`),
      el('p', {}, a.reasons),
      el('p', {}, a.after?.counts ? `After: ${a.after.grade_label} (score ${a.after.score})` : 'After: the inspection no longer counts'));
  }
  app.replaceChildren(...parts);
  startCountdowns();
  document.getElementById('appeal-title').focus?.();
}

async function showQueue() {
  const res = await api('GET', '/api/v1/appeals');
  if (res.status !== 200) {
    app.replaceChildren(el('p', { role: 'alert' }, res.data?.detail || 'The queue could not be loaded.'));
    return;
  }
  const list = el('ul', { class: 'queue' });
  for (const a of res.data.appeals) {
    const open = el('button', { type: 'button', class: 'primary', 'data-appeal': a.id }, `Open appeal ${a.id}`);
    open.addEventListener('click', () => showAppeal(a.id));
    list.append(el('li', { class: a.overdue ? 'overdue' : '' },
      el('p', {}, el('strong', {}, a.establishment.name), ` · ${a.state.replace('_', ' ')}`),
      el('p', {}, 'Decision due ', formatWhen(a.decision_due), ' ',
        el('span', { class: 'countdown', 'data-deadline': a.decision_due }), a.overdue ? ' (overdue)' : ''),
      open));
  }
  app.replaceChildren(el('h2', {}, `Open appeals (${res.data.appeals.length})`),
    res.data.appeals.length ? list : el('p', {}, 'No open appeals.'));
  startCountdowns();
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
