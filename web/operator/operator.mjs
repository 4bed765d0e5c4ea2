// operator.mjs - the operator's page: open the inspection report with the licence number and
// appeal code, read what the inspector recorded, file or withdraw an appeal, attach photos and
// documents to it, and follow it with its deadlines counting down; publish a reply beside the
// grade, and ask for a re-rating visit where the scheme has them. The licence number and code
// are kept in this page's memory only, and sent with each request.
import { el, request } from '/js/portal.mjs';
import { formatWhen, startCountdowns, whenElement } from '/js/deadline.mjs';
import { formatDay, formatNumber, has, i18nInit, t, tParts, wording } from '/js/i18n.mjs';

await i18nInit(['operator', 'deadline', 'wording']);

// An appeal's state as the operator reads it; a state the page does not know, as sent.
function stateText(state) {
  return has(`operator.state.${state}`) ? t(`operator.state.${state}`) : el('span', { translate: 'no' }, state);
}

// A violation named by its code and the scheme's description (data, or the server's text).
function violationName(v) {
  return el('span', { translate: 'no' }, `${v.code}: ${v.description}`);
}

let creds = null;

// POST @extra with the licence number and code; resolves to { status, data }.
function post(path, extra = {}) {
  return request('POST', path, { body: { licence_number: creds.licence, appeal_code: creds.code, ...extra } });
}

function problemText(r) {
  if (r.status === 429) return r.data?.detail || t('operator.error.too_many');
  return r.data?.detail || t('operator.error.failed', { status: r.status });
}

function deadlineLine(label, iso, id) {
  if (!iso) return null;
  return el('p', { class: 'deadline' }, tParts(label, {
    when: el('strong', {}, whenElement(iso)),
    left: el('span', { class: 'countdown', 'data-deadline': iso, id }),
  }));
}

// A form with one textarea and a submit button; @onSubmit(value) returns a problem or null.
function textForm(id, label, help, max, button, onSubmit, extra = null) {
  const status = el('p', { class: 'status', role: 'status', id: `${id}-status` });
  const counted = (n) => t('operator.form.count', { n, max });
  const count = el('span', { class: 'muted', id: `${id}-count` }, counted(0));
  const area = el('textarea', { id, name: id, maxlength: max, rows: 5, required: true,
    'aria-describedby': `${id}-help ${id}-count` });
  area.addEventListener('input', () => { count.textContent = counted(area.value.length); });
  const form = el('form', { class: 'fields', novalidate: true },
    el('div', {}, el('label', { for: id }, label), area,
      el('p', { class: 'muted', id: `${id}-help` }, help), count),
    extra, el('div', {}, el('button', { type: 'submit', class: 'primary' }, button)), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = t('operator.sending');
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
    el('h2', { id: 'recorded-h' }, t('operator.recorded.heading')));
  if (!ins.violations.length) sec.append(el('p', {}, t('operator.recorded.none')));
  const list = el('ul', { class: 'recorded' });
  for (const v of ins.violations) {
    list.append(el('li', { class: v.status === 'dismissed' ? 'violation dismissed' : 'violation' },
      el('p', {}, tParts('operator.recorded.violation', { name: el('strong', {}, violationName(v)), points: v.points }),
        contested.has(v.id) ? el('span', { class: 'contested-mark' }, t('operator.recorded.contested')) : ''),
      v.observed ? el('p', { class: 'observed' }, tParts('operator.recorded.observed', { text: el('span', { translate: 'no' }, v.observed) })) : null,
      v.corrected_on_site ? el('p', { class: 'muted' }, t('operator.recorded.corrected_on_site')) : null,
      v.correct_by ? el('p', { class: 'correct-by' }, t('operator.recorded.correct_by', { day: formatDay(v.correct_by) })) : null,
      v.status === 'dismissed' ? el('p', { class: 'muted' }, tParts('operator.recorded.dismissed', { reason: el('span', { translate: 'no' }, v.dismissed_reason) })) : null));
  }
  if (ins.violations.length) sec.append(list);
  if (ins.readings?.length) {
    sec.append(el('h3', {}, t('operator.recorded.readings')), el('ul', { class: 'recorded' },
      ...ins.readings.map((x) => el('li', {}, tParts(x.location ? 'operator.recorded.reading_at' : 'operator.recorded.reading', {
        item: el('span', { translate: 'no' }, x.item), location: el('span', { translate: 'no' }, x.location || ''),
        value: `${formatNumber(x.value)} °${x.unit}`,
      })))));
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
  if (!res.ok) { status.textContent = t('operator.attach.open_failed', { status: res.status }); return; }
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
  const part = el('div', { id: 'attachments' }, el('h3', {}, t('operator.attach.heading', { n: files.length })));
  const status = el('p', { class: 'status', role: 'status', id: 'attach-status' });
  if (files.length) {
    const ul = el('ul', { class: 'attachments' });
    for (const f of files) {
      const b = el('button', { type: 'button', class: 'secondary' },
        tParts('operator.attach.open', { name: el('span', { translate: 'no' }, f.filename) }));
      b.addEventListener('click', () => openAttachment(f, status));
      ul.append(el('li', {}, tParts(f.content_type === 'application/pdf' ? 'operator.attach.item_pdf' : 'operator.attach.item_photo', {
        name: el('span', { translate: 'no' }, f.filename), kb: Math.max(1, Math.round(f.bytes / 1024)),
      }), ' ', b));
    }
    part.append(ul);
  } else {
    part.append(el('p', { class: 'muted' }, t('operator.attach.none')));
  }
  if (a.open && r.code_acts_in_appeal !== false && !r.code_replaced && files.length < ATTACH_MAX_COUNT) {
    const input = el('input', { type: 'file', id: 'attach-file', name: 'file', accept: 'image/jpeg,image/png,application/pdf',
      'aria-describedby': 'attach-help' });
    const form = el('form', { class: 'fields attach', novalidate: true },
      el('div', {}, el('label', { for: 'attach-file' }, t('operator.attach.label')), input,
        el('p', { class: 'muted', id: 'attach-help' },
          t('operator.attach.help', { kb: ATTACH_MAX_BYTES / 1000, count: ATTACH_MAX_COUNT, mb: 5 }))),
      el('div', {}, el('button', { type: 'submit', class: 'primary' }, t('operator.attach.submit'))), status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const file = input.files[0];
      if (!file) { status.textContent = t('operator.attach.choose'); return; }
      if (file.size > ATTACH_MAX_BYTES) {
        status.replaceChildren(...tParts('operator.attach.too_large', { name: el('span', { translate: 'no' }, file.name), kb: ATTACH_MAX_BYTES / 1000 }));
        return;
      }
      status.textContent = t('operator.sending');
      const res = await post('/api/v1/operator/appeals/attachments', { filename: file.name, data: await base64Chunks(file) });
      if (res.status !== 201) { status.textContent = problemText(res); return; }
      render(res.data);
      announce(tParts('operator.attach.done', { name: el('span', { translate: 'no' }, file.name) }));
    });
    part.append(form);
  } else {
    part.append(status);
  }
  return part;
}

function appealSection(r) {
  const sec = el('section', { 'aria-labelledby': 'appeal-h' }, el('h2', { id: 'appeal-h' }, t('operator.appeal.heading')));
  const a = r.appeal;
  const w = r.appeal_window;
  if (!a) {
    if (!w.appealable) {
      sec.append(el('p', {}, t('operator.appeal.not_appealable')));
      return sec;
    }
    if (w.until_hearing) sec.append(el('p', {}, t('operator.appeal.until_hearing')));
    else sec.append(deadlineLine('operator.appeal.deadline', w.deadline, 'appeal-deadline'));
    const boxes = el('fieldset', { class: 'contested' }, el('legend', {}, t('operator.appeal.which')));
    for (const v of r.inspection.violations) {
      const id = `contest-${v.id}`;
      boxes.append(el('div', { class: 'check' },
        el('input', { type: 'checkbox', id, value: v.id, name: 'contested' }),
        el('label', { for: id }, tParts('operator.appeal.violation', { name: violationName(v), points: v.points }))));
    }
    sec.append(textForm('grounds', t('operator.appeal.grounds'), t('operator.appeal.grounds_help'),
      4000, t('operator.appeal.submit'), async (grounds, form) => {
        const contested = [...form.querySelectorAll('input[name=contested]:checked')].map((c) => Number(c.value));
        const res = await post('/api/v1/operator/appeals', { grounds, contested_violations: contested });
        if (res.status !== 201) return problemText(res);
        render(res.data);
        announce(t('operator.appeal.filed'));
        return null;
      }, r.inspection.violations.length ? boxes : null));
    return sec;
  }
  sec.append(el('p', { class: `appeal-state state-${a.state}`, id: 'appeal-state' }, stateText(a.state)));
  sec.append(el('p', { class: 'muted' }, t('operator.appeal.filed_at', { when: formatWhen(a.filed_at) })));
  sec.append(el('h3', {}, t('operator.appeal.your_grounds')), el('blockquote', { id: 'your-grounds', translate: 'no' }, a.grounds));
  const contested = r.inspection.violations.filter((v) => (a.contested_violations || []).includes(v.id));
  sec.append(el('p', { id: 'your-contested' }, contested.length
    ? tParts('operator.appeal.you_contest', { codes: el('span', { translate: 'no' }, contested.map((v) => v.code).join(', ')) })
    : t('operator.appeal.you_contest_all')));
  sec.append(attachmentsPart(r));
  if (a.open) {
    sec.append(deadlineLine('operator.appeal.decision_due', a.decision_due, 'decision-deadline'));
    if (a.hearing_at) sec.append(deadlineLine('operator.appeal.hearing', a.hearing_at, 'hearing-deadline'));
    if (a.adjournments) sec.append(el('p', {}, t('operator.appeal.adjourned', { n: a.adjournments })));
    const status = el('p', { class: 'status', role: 'status' });
    const btn = el('button', { type: 'button', class: 'secondary', id: 'withdraw' }, t('operator.appeal.withdraw'));
    btn.addEventListener('click', async () => {
      if (!window.confirm(t('operator.appeal.withdraw_confirm'))) return;
      const res = await post('/api/v1/operator/appeals/withdraw');
      if (res.status !== 200) { status.textContent = problemText(res); return; }
      render(res.data);
      announce(t('operator.appeal.withdrawn'));
    });
    sec.append(el('div', {}, btn), status);
  }
  if (a.outcome) {
    sec.append(el('h3', {}, t('operator.decision.heading')), el('p', { id: 'decision-reasons', translate: 'no' }, a.reasons));
    const before = a.before, after = a.after;
    const result = (x) => t('operator.decision.result', { grade: wording(x.grade_label) ?? '', score: x.score ?? '—' });
    const rows = el('tbody', {},
      el('tr', {}, el('th', { scope: 'row' }, t('operator.decision.before')), el('td', {}, result(before))),
      el('tr', {}, el('th', { scope: 'row' }, t('operator.decision.after')),
        el('td', {}, after?.counts ? result(after) : t('operator.decision.no_longer_counts'))));
    sec.append(el('table', { class: 'before-after' }, rows));
    if (a.dismissed_violations.length) {
      const ul = el('ul', {});
      for (const d of a.dismissed_violations) {
        ul.append(el('li', {}, tParts('operator.decision.dismissed_item', {
          code: el('span', { translate: 'no' }, d.code), reason: el('span', { translate: 'no' }, d.reason),
        })));
      }
      sec.append(el('p', {}, t('operator.decision.dismissed')), ul);
    }
  }
  return sec;
}

function replySection(r) {
  const sec = el('section', { 'aria-labelledby': 'reply-h' }, el('h2', { id: 'reply-h' }, t('operator.reply.heading')));
  if (r.reply) {
    sec.append(el('p', { class: 'muted' }, t('operator.reply.published_at', { when: formatWhen(r.reply.posted_at) })),
      r.reply.published_text === null || r.reply.published_text === undefined
        ? el('blockquote', { id: 'current-reply' }, t('operator.reply.withdrawn'))
        : el('blockquote', { id: 'current-reply', translate: 'no' }, r.reply.published_text));
    if (r.reply.moderated) {
      sec.append(el('p', { class: 'muted' }, tParts('operator.reply.moderated', {
        reason: el('span', { translate: 'no' }, r.reply.moderation_reason),
      })));
    }
  }
  sec.append(textForm('reply', r.reply ? t('operator.reply.replace') : t('operator.reply.label'),
    t('operator.reply.help'), 2000,
    t('operator.reply.submit'), async (text) => {
      const res = await post('/api/v1/operator/replies', { text });
      if (res.status !== 201) return problemText(res);
      await refresh();
      announce(t('operator.reply.done'));
      return null;
    }));
  return sec;
}

function reratingSection(r) {
  const sec = el('section', { 'aria-labelledby': 'rerating-h' }, el('h2', { id: 'rerating-h' }, t('operator.rerating.heading')));
  const q = r.rerating;
  if (!r.rerating_window?.available && !q) {
    sec.append(el('p', { id: 'rerating-none' }, t('operator.rerating.none')));
    return sec;
  }
  if (q && q.state !== 'inspected') {
    const state = has(`operator.rerating.state.${q.state}`) ? t(`operator.rerating.state.${q.state}`) : q.state;
    sec.append(el('p', { id: 'rerating-state' }, t('operator.rerating.requested', { when: formatWhen(q.requested_at), state })),
      el('p', {}, q.visit_on
        ? t('operator.rerating.window_planned', { from: formatDay(q.earliest_visit_on), on: formatDay(q.visit_on) })
        : t('operator.rerating.window', { from: formatDay(q.earliest_visit_on) })));
    return sec;
  }
  sec.append(textForm('improvements', t('operator.rerating.label'),
    t('operator.rerating.help'), 4000,
    t('operator.rerating.submit'), async (improvements) => {
      const res = await post('/api/v1/operator/rerating-requests', { improvements });
      if (res.status !== 201) return problemText(res);
      await refresh();
      announce(t('operator.rerating.done'));
      return null;
    }));
  return sec;
}

// @text: a string, or the parts of a sentence (tParts).
function announce(text) {
  const s = document.getElementById('report-status');
  if (s) s.replaceChildren(...[text].flat());
}

function render(r) {
  const box = document.getElementById('report');
  const g = r.establishment.grade;
  const head = el('section', { 'aria-labelledby': 'est-h' },
    el('h2', { id: 'est-h', translate: 'no' }, r.establishment.name),
    el('p', {}, r.inspection.grade_label
      ? t('operator.report.inspected', { when: formatWhen(r.inspection.started_at), score: r.inspection.score, grade: wording(r.inspection.grade_label) })
      : t('operator.report.inspected_no_grade', { when: formatWhen(r.inspection.started_at), score: r.inspection.score })),
    el('p', { id: 'public-grade' }, tParts('operator.report.public_grade', { grade: el('strong', {}, g ? wording(g.label) : '—') }),
      g?.new_rating_pending ? t('operator.report.pending') : '', g?.under_appeal ? t('operator.report.under_appeal') : ''),
    el('p', { class: 'status', role: 'status', id: 'report-status' }));
  // Every new code issued for this report is shown, so that a code issued without the
  // operator asking for it is noticed; a later code reads an appeal but does not act in it.
  for (const x of r.code_reissues || [])
    head.append(el('p', { class: 'notice code-reissue' },
      t('operator.report.code_reissued', { when: formatWhen(x.issued_at) })));
  if (r.code_replaced)
    head.append(el('p', { class: 'notice notice-warn', id: 'code-replaced' },
      t('operator.report.code_replaced')));
  else if (r.appeal && r.code_acts_in_appeal === false)
    head.append(el('p', { class: 'notice', id: 'code-reads-only' },
      t('operator.report.code_reads_only')));
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
    status.textContent = t('operator.lookup.missing');
    return;
  }
  status.textContent = t('operator.lookup.opening');
  const res = await refresh();
  status.textContent = res.status === 200 ? '' : problemText(res);
});
