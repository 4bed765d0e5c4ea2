// operator.mjs - the operator's page: open the inspection report with the licence number and
// appeal code, read what the inspector recorded, file or withdraw an appeal, attach photos and
// documents to it, and follow it with its deadlines counting down; publish a reply beside the
// grade, and ask for a re-rating visit where the scheme has them. The licence number and code
// are kept in this page's memory only, and sent with each request.
import { el, request } from '/js/portal.mjs';
import { formatWhen, startCountdowns } from '/js/deadline.mjs';

const STATES = {
  filed: 'Filed: waiting to be taken under review',
  under_review: 'Under review by a hearing officer',
  hearing_scheduled: 'Hearing scheduled',
  withdrawn: 'Withdrawn by you',
  rejected_late: 'Rejected: filed after the deadline',
  upheld: 'Decided: the result stands (upheld)',
  modified: 'Decided: violations dismissed, grade re-issued (modified)',
  overturned: 'Decided: the inspection no longer counts (overturned)',
};

let creds = null;

// POST @extra with the licence number and code; resolves to { status, data }.
function post(path, extra = {}) {
  return request('POST', path, { body: { licence_number: creds.licence, appeal_code: creds.code, ...extra } });
}

function problemText(r) {
  if (r.status === 429) return r.data?.detail || 'Too many tries; wait a little.';
  return r.data?.detail || `The request failed (${r.status}).`;
}

function deadlineLine(label, iso, id) {
  if (!iso) return null;
  return el('p', { class: 'deadline' }, `${label}: `, el('strong', {}, formatWhen(iso)), ' ',
    el('span', { class: 'countdown', 'data-deadline': iso, id }));
}

// A form with one textarea and a submit button; @onSubmit(value) returns a problem or null.
function textForm(id, label, help, max, button, onSubmit, extra = null) {
  const status = el('p', { class: 'status', role: 'status', id: `${id}-status` });
  const count = el('span', { class: 'muted', id: `${id}-count` }, `0 / ${max}`);
  const area = el('textarea', { id, name: id, maxlength: max, rows: 5, required: true,
    'aria-describedby': `${id}-help ${id}-count` });
  area.addEventListener('input', () => { count.textContent = `${area.value.length} / ${max}`; });
  const form = el('form', { class: 'fields', novalidate: true },
    el('div', {}, el('label', { for: id }, label), area,
      el('p', { class: 'muted', id: `${id}-help` }, help), count),
    extra, el('div', {}, el('button', { type: 'submit', class: 'primary' }, button)), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = 'Sending…';
    const problem = await onSubmit(area.value.trim(), form);
    status.textContent = problem || '';
  });
  return form;
}

// What the inspector recorded: the findings with their points, what was observed, the
// readings; the ones the operator contests are marked.
function recordedSection(r) {
  const ins = r.inspection;
  const contested = new Set(r.appeal?.contested_violations || []);
  const sec = el('section', { 'aria-labelledby': 'recorded-h', id: 'recorded' },
    el('h2', { id: 'recorded-h' }, 'What the inspector recorded'));
  if (!ins.violations.length) sec.append(el('p', {}, 'No violations were cited.'));
  const list = el('ul', { class: 'recorded' });
  for (const v of ins.violations) {
    list.append(el('li', { class: v.status === 'dismissed' ? 'violation dismissed' : 'violation' },
      el('p', {}, el('strong', {}, `${v.code}: ${v.description}`), ` (${v.points} points)`,
        contested.has(v.id) ? el('span', { class: 'contested-mark' }, ' · you contest this') : ''),
      v.observed ? el('p', { class: 'observed' }, `Observed: ${v.observed}`) : null,
      v.corrected_on_site ? el('p', { class: 'muted' }, 'Corrected on site') : null,
      v.correct_by ? el('p', { class: 'correct-by' }, `To be corrected by ${new Date(`${v.correct_by}T12:00:00Z`).toLocaleDateString(undefined, { dateStyle: 'long' })}`) : null,
      v.status === 'dismissed' ? el('p', { class: 'muted' }, `Dismissed on appeal: ${v.dismissed_reason}`) : null));
  }
  if (ins.violations.length) sec.append(list);
  if (ins.readings?.length) {
    sec.append(el('h3', {}, 'Readings'), el('ul', { class: 'recorded' },
      ...ins.readings.map((x) => el('li', {}, `${x.item}${x.location ? ` (${x.location})` : ''}: ${x.value} °${x.unit}`))));
  }
  return sec;
}

// base64 strings of at most 60000 characters (the server's JSON strings are limited).
async function base64Chunks(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const b64 = btoa(bin);
  const out = [];
  for (let i = 0; i < b64.length; i += 60000) out.push(b64.slice(i, i + 60000));
  return out;
}

const ATTACH_MAX_BYTES = 768000;
const ATTACH_MAX_COUNT = 10;

// Open an attached file: it is sent only with the licence number and code, so it is fetched
// here and shown from memory.
async function openAttachment(f, status) {
  const res = await fetch(f.url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin',
    body: JSON.stringify({ licence_number: creds.licence, appeal_code: creds.code }),
  });
  if (!res.ok) { status.textContent = `The file could not be opened (${res.status}).`; return; }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: f.filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function attachmentsPart(r) {
  const a = r.appeal;
  const files = a.attachments || [];
  const part = el('div', { id: 'attachments' }, el('h3', {}, `Evidence you attached (${files.length})`));
  const status = el('p', { class: 'status', role: 'status', id: 'attach-status' });
  if (files.length) {
    const ul = el('ul', { class: 'attachments' });
    for (const f of files) {
      const b = el('button', { type: 'button', class: 'secondary' }, `Open ${f.filename}`);
      b.addEventListener('click', () => openAttachment(f, status));
      ul.append(el('li', {}, `${f.filename} · ${f.content_type === 'application/pdf' ? 'PDF' : 'photo'} · ${Math.max(1, Math.round(f.bytes / 1024))} kB `, b));
    }
    part.append(ul);
  } else {
    part.append(el('p', { class: 'muted' }, 'None yet.'));
  }
  if (a.open && r.code_acts_in_appeal !== false && !r.code_replaced && files.length < ATTACH_MAX_COUNT) {
    const input = el('input', { type: 'file', id: 'attach-file', name: 'file', accept: 'image/jpeg,image/png,application/pdf',
      'aria-describedby': 'attach-help' });
    const form = el('form', { class: 'fields attach', novalidate: true },
      el('div', {}, el('label', { for: 'attach-file' }, 'Add a photo or document'), input,
        el('p', { class: 'muted', id: 'attach-help' },
          `JPEG or PNG photos, PDF documents; up to ${ATTACH_MAX_BYTES / 1000} kB each, ${ATTACH_MAX_COUNT} files and 5 MB in all. ` +
          'Seen by the hearing officer, not published.')),
      el('div', {}, el('button', { type: 'submit', class: 'primary' }, 'Attach the file')), status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const file = input.files[0];
      if (!file) { status.textContent = 'Choose a file first.'; return; }
      if (file.size > ATTACH_MAX_BYTES) { status.textContent = `${file.name} is larger than ${ATTACH_MAX_BYTES / 1000} kB.`; return; }
      status.textContent = 'Sending…';
      const res = await post('/api/v1/operator/appeals/attachments', { filename: file.name, data: await base64Chunks(file) });
      if (res.status !== 201) { status.textContent = problemText(res); return; }
      render(res.data);
      announce(`${file.name} was attached to your appeal.`);
    });
    part.append(form);
  } else {
    part.append(status);
  }
  return part;
}

function appealSection(r) {
  const sec = el('section', { 'aria-labelledby': 'appeal-h' }, el('h2', { id: 'appeal-h' }, 'Appeal'));
  const a = r.appeal;
  const w = r.appeal_window;
  if (!a) {
    if (!w.appealable) {
      sec.append(el('p', {}, 'Results under this scoring scheme cannot be appealed.'));
      return sec;
    }
    if (w.until_hearing) sec.append(el('p', {}, 'You may appeal until the hearing.'));
    else sec.append(deadlineLine('Appeal by', w.deadline, 'appeal-deadline'));
    const boxes = el('fieldset', { class: 'contested' }, el('legend', {}, 'Which findings do you contest? (optional)'));
    for (const v of r.inspection.violations) {
      const id = `contest-${v.id}`;
      boxes.append(el('div', { class: 'check' },
        el('input', { type: 'checkbox', id, value: v.id, name: 'contested' }),
        el('label', { for: id }, `${v.code}: ${v.description} (${v.points} points)`)));
    }
    sec.append(textForm('grounds', 'Why do you contest the result?',
      'Say what was wrong and what shows it. This is seen by the hearing officer, not published.',
      4000, 'File the appeal', async (grounds, form) => {
        const contested = [...form.querySelectorAll('input[name=contested]:checked')].map((c) => Number(c.value));
        const res = await post('/api/v1/operator/appeals', { grounds, contested_violations: contested });
        if (res.status !== 201) return problemText(res);
        render(res.data);
        announce('Your appeal was filed.');
        return null;
      }, r.inspection.violations.length ? boxes : null));
    return sec;
  }
  sec.append(el('p', { class: `appeal-state state-${a.state}`, id: 'appeal-state' }, STATES[a.state] || a.state));
  sec.append(el('p', { class: 'muted' }, `Filed ${formatWhen(a.filed_at)}`));
  sec.append(el('h3', {}, 'Your grounds'), el('blockquote', { id: 'your-grounds' }, a.grounds));
  const contested = r.inspection.violations.filter((v) => (a.contested_violations || []).includes(v.id));
  sec.append(el('p', { id: 'your-contested' }, contested.length
    ? `You contest: ${contested.map((v) => v.code).join(', ')}.` : 'You contest the result as a whole.'));
  sec.append(attachmentsPart(r));
  if (a.open) {
    sec.append(deadlineLine('Decision due', a.decision_due, 'decision-deadline'));
    if (a.hearing_at) sec.append(deadlineLine('Hearing', a.hearing_at, 'hearing-deadline'));
    if (a.adjournments) sec.append(el('p', {}, `Adjourned ${a.adjournments} time${a.adjournments === 1 ? '' : 's'}.`));
    const status = el('p', { class: 'status', role: 'status' });
    const btn = el('button', { type: 'button', class: 'secondary', id: 'withdraw' }, 'Withdraw the appeal');
    btn.addEventListener('click', async () => {
      if (!window.confirm('Withdraw the appeal? An inspection can be appealed only once.')) return;
      const res = await post('/api/v1/operator/appeals/withdraw');
      if (res.status !== 200) { status.textContent = problemText(res); return; }
      render(res.data);
      announce('Your appeal was withdrawn.');
    });
    sec.append(el('div', {}, btn), status);
  }
  if (a.outcome) {
    sec.append(el('h3', {}, 'Decision'), el('p', { id: 'decision-reasons' }, a.reasons));
    const before = a.before, after = a.after;
    const rows = el('tbody', {},
      el('tr', {}, el('th', { scope: 'row' }, 'Before'), el('td', {}, `${before.grade_label ?? ''} (score ${before.score ?? '—'})`)),
      el('tr', {}, el('th', { scope: 'row' }, 'After'),
        el('td', {}, after?.counts ? `${after.grade_label ?? ''} (score ${after.score ?? '—'})` : 'The inspection no longer counts')));
    sec.append(el('table', { class: 'before-after' }, rows));
    if (a.dismissed_violations.length) {
      const ul = el('ul', {});
      for (const d of a.dismissed_violations) ul.append(el('li', {}, `${d.code} dismissed: ${d.reason}`));
      sec.append(el('p', {}, 'Dismissed:'), ul);
    }
  }
  return sec;
}

function replySection(r) {
  const sec = el('section', { 'aria-labelledby': 'reply-h' }, el('h2', { id: 'reply-h' }, 'Your reply'));
  if (r.reply) {
    sec.append(el('p', { class: 'muted' }, `Published ${formatWhen(r.reply.posted_at)}:`),
      el('blockquote', { id: 'current-reply' }, r.reply.published_text ?? '(withdrawn from the public record)'));
    if (r.reply.moderated) sec.append(el('p', { class: 'muted' }, `Changed by the council: ${r.reply.moderation_reason}`));
  }
  sec.append(textForm('reply', r.reply ? 'Replace your reply' : 'Reply to the public',
    'Shown beside your grade on the public record. Offensive wording may be removed.', 2000,
    'Publish the reply', async (text) => {
      const res = await post('/api/v1/operator/replies', { text });
      if (res.status !== 201) return problemText(res);
      await refresh();
      announce('Your reply was published.');
      return null;
    }));
  return sec;
}

function reratingSection(r) {
  const sec = el('section', { 'aria-labelledby': 'rerating-h' }, el('h2', { id: 'rerating-h' }, 'Re-rating visit'));
  const q = r.rerating;
  if (!r.rerating_window?.available && !q) {
    sec.append(el('p', { id: 'rerating-none' }, 'This scoring scheme has no re-rating visits on request: the next inspection comes on the usual schedule.'));
    return sec;
  }
  if (q && q.state !== 'inspected') {
    sec.append(el('p', { id: 'rerating-state' }, `Requested ${formatWhen(q.requested_at)}: ${q.state}.`),
      el('p', {}, `The visit may happen from ${q.earliest_visit_on}${q.visit_on ? `; it is planned for ${q.visit_on}` : ''}.`));
    return sec;
  }
  sec.append(textForm('improvements', 'What have you improved?',
    'An inspector visits, unannounced, after the scheme\'s stand-still period.', 4000,
    'Ask for a re-rating visit', async (improvements) => {
      const res = await post('/api/v1/operator/rerating-requests', { improvements });
      if (res.status !== 201) return problemText(res);
      await refresh();
      announce('Your re-rating request was sent.');
      return null;
    }));
  return sec;
}

function announce(text) {
  const s = document.getElementById('report-status');
  if (s) s.textContent = text;
}

function render(r) {
  const box = document.getElementById('report');
  const g = r.establishment.grade;
  const head = el('section', { 'aria-labelledby': 'est-h' },
    el('h2', { id: 'est-h' }, r.establishment.name),
    el('p', {}, `Inspected ${formatWhen(r.inspection.started_at)}: score ${r.inspection.score}, grade ${r.inspection.grade_label || 'not issued'}.`),
    el('p', { id: 'public-grade' }, 'The public record shows: ', el('strong', {}, g ? g.label : '—'),
      g?.new_rating_pending ? ' (new rating pending)' : '', g?.under_appeal ? ' (under appeal)' : ''),
    el('p', { class: 'status', role: 'status', id: 'report-status' }));
  // Every new code issued for this report is shown, so that a code issued without the
  // operator asking for it is noticed; a later code reads an appeal but does not act in it.
  for (const x of r.code_reissues || [])
    head.append(el('p', { class: 'notice code-reissue' },
      `A new appeal code for this report was issued by the licensing office on ${formatWhen(x.issued_at)}. ` +
      'If you did not ask for it, tell the licensing office.'));
  if (r.code_replaced)
    head.append(el('p', { class: 'notice notice-warn', id: 'code-replaced' },
      'The licensing office has issued a new appeal code for this report, which replaces this one: it still shows the report, but can no longer appeal, reply or ask for a re-rating. If you did not ask for a new code, tell the licensing office.'));
  else if (r.appeal && r.code_acts_in_appeal === false)
    head.append(el('p', { class: 'notice', id: 'code-reads-only' },
      'This code was issued after the appeal was filed: it shows the case, but only the code that filed the appeal can withdraw it, reply or ask for a re-rating.'));
  box.replaceChildren(head, recordedSection(r), appealSection(r), replySection(r), reratingSection(r));
  box.hidden = false;
  startCountdowns();
}

async function refresh() {
  const res = await post('/api/v1/operator/report');
  if (res.status === 200) render(res.data);
  return res;
}

const form = document.getElementById('lookup');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const status = document.getElementById('lookup-status');
  creds = { licence: form.licence.value.trim(), code: form.code.value.trim() };
  if (!creds.licence || !creds.code) {
    status.textContent = 'Enter the licence number and the appeal code.';
    return;
  }
  status.textContent = 'Opening…';
  const res = await refresh();
  status.textContent = res.status === 200 ? '' : problemText(res);
});
