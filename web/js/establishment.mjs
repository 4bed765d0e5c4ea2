// establishment.mjs - one establishment's public record: the grade it posts and why, any
// appeal and the operator's reply, when it was last inspected (with a warning when that was
// long ago), the history with every violation in plain language (dismissed ones marked),
// and, when opened from a grade card's QR code (?card=CODE), whether that card is current;
// and whether the inspection the grade (or the card) rests on is in the signed public record,
// checked in the browser (tlog.mjs), against the key pin the card carries (?log=PIN).
// A grade is always named with its band's meaning (from the scheme document); a suspended or
// closed establishment says so first, with the date and the reason's category; the history
// marks superseded revisions and says why an inspection gave no grade.
import { el, getJSON, gradeBadge, gradeLabel, gradeMeaning, schemeDoc, formatDate, formatAddress, monthsSince, STALE_MONTHS, param, showError } from './portal.mjs';
import { i18nInit, t, tParts, wording } from './i18n.mjs';
import { recordCheck } from './tlog.mjs';

const page = document.getElementById('page');

// Text ended as a sentence: a full stop added unless it already ends in one (。 too).
function sentence(text) {
  return /[.!?。！？]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

// A violation's category (the FDA Food Code's), in words.
const categoryWords = {
  priority: () => t('public.violation.category.priority'),
  'priority-foundation': () => t('public.violation.category.priority_foundation'),
  core: () => t('public.violation.category.core'),
};

// Data people typed (a note, a reason): shown as written, never translated.
const typed = (text) => el('span', { translate: 'no' }, text);

function violationItem(v) {
  const dismissed = v.status === 'dismissed';
  const dismissedWord = el('strong', {}, t('public.violation.dismissed'));
  return el('li', { class: dismissed ? 'violation dismissed' : 'violation' },
    el('span', { class: `tag tag-${v.category}` },
      categoryWords[v.category] ? categoryWords[v.category]() : wording(v.category.replace('-', ' '))),
    ' ',
    dismissed ? el('del', {}, wording(v.description)) : el('span', {}, wording(v.description)),
    v.points ? el('span', { class: 'muted' }, t('public.violation.points', { n: v.points })) : '',
    v.observed ? el('p', { class: 'observed' }, tParts('public.violation.note', { note: typed(v.observed) })) : '',
    v.corrected_on_site ? el('p', { class: 'muted' }, t('public.violation.corrected')) : '',
    v.repeat ? el('p', { class: 'muted' }, t('public.violation.repeat')) : '',
    dismissed ? el('p', { class: 'dismissed-note' }, v.dismissed_reason
      ? tParts('public.violation.dismissed_reason', { dismissed: dismissedWord, reason: typed(sentence(v.dismissed_reason)) })
      : tParts('public.violation.dismissed_plain', { dismissed: dismissedWord })) : '');
}

function explanation(insp, doc) {
  const x = insp.explanation;
  if (!x) return null;
  let score = null;
  if (x.score !== null && x.score !== undefined) {
    const label = x.band ? wording(x.band.label) : null;
    score = !x.band ? t('public.why.score', { score: x.score })
      : x.band.max === null ? t('public.why.score_band_open', { score: x.score, label, min: x.band.min })
        : t('public.why.score_band', { score: x.score, label, min: x.band.min, max: x.band.max });
  }
  return el('section', { id: 'explanation', 'aria-labelledby': 'why' },
    el('h2', { id: 'why' }, t('public.why.heading')),
    el('p', {}, x.rule),
    score ? el('p', {}, score) : null,
    x.capped_to ? el('p', {}, t('public.why.capped', {
      label: gradeLabel({ code: x.capped_to.code, label: x.capped_to.label }, doc), element: wording(x.capped_to.by_element),
    })) : '',
    insp.violations.length
      ? el('ul', { class: 'violations' }, insp.violations.map(violationItem))
      : el('p', {}, t('public.why.no_violations')));
}

// An appeal's state in words.
const appealStates = {
  filed: () => t('public.appeal.state.filed'),
  under_review: () => t('public.appeal.state.under_review'),
  hearing_scheduled: () => t('public.appeal.state.hearing_scheduled'),
  upheld: () => t('public.appeal.state.upheld'),
  modified: () => t('public.appeal.state.modified'),
  overturned: () => t('public.appeal.state.overturned'),
  withdrawn: () => t('public.appeal.state.withdrawn'),
};

function appealAndReply(e) {
  const parts = [];
  if (e.appeal) {
    const a = e.appeal;
    const grade = (x) => (x && x.grade_label
      ? (x.score !== null && x.score !== undefined
        ? t('public.appeal.grade_score', { label: wording(x.grade_label), score: x.score }) : wording(x.grade_label))
      : t('public.appeal.no_grade'));
    parts.push(el('section', { class: a.open ? 'notice notice-warn' : 'notice', id: 'appeal', 'aria-labelledby': 'appeal-h' },
      el('h2', { id: 'appeal-h' }, a.open ? t('public.appeal.heading_open') : t('public.appeal.heading')),
      el('p', {}, appealStates[a.state] ? appealStates[a.state]()
        : t('public.appeal.state.other', { state: String(a.state || '').replace(/_/g, ' ') })),
      a.filed_at ? el('p', {}, t('public.appeal.lodged', { date: formatDate(a.filed_at) })) : '',
      a.open && a.hearing_at ? el('p', {}, t('public.appeal.hearing', { date: formatDate(a.hearing_at) })) : '',
      a.open && a.decision_due
        ? el('p', {}, t(a.overdue ? 'public.appeal.due_overdue' : 'public.appeal.due', { date: formatDate(a.decision_due) })) : '',
      a.decided_at ? el('p', {}, t('public.appeal.decided', { date: formatDate(a.decided_at) })) : '',
      a.after && a.before ? el('p', {}, t('public.appeal.before_after', {
        before: grade(a.before), after: a.after.counts ? grade(a.after) : t('public.appeal.not_counted'),
      })) : '',
      a.reasons ? el('p', {}, tParts('public.appeal.reasons', { reasons: typed(a.reasons) })) : ''));
  }
  if (e.reply && (e.reply.text || e.reply.body)) {
    const posted = e.reply.published_at || e.reply.posted_at;
    parts.push(el('section', { class: 'reply', id: 'reply', 'aria-labelledby': 'reply-h' },
      el('h2', { id: 'reply-h' }, t('public.reply.heading')),
      el('blockquote', { translate: 'no' }, e.reply.text || e.reply.body),
      posted ? el('p', { class: 'muted' }, t('public.reply.posted', { date: formatDate(posted) })) : ''));
  }
  return parts;
}

function lastInspected(e) {
  const last = e.inspections[0];
  if (!last) return el('p', { class: 'notice', id: 'last-inspected' }, t('public.record.not_inspected'));
  const months = monthsSince(last.started_at);
  if (months > STALE_MONTHS) {
    return el('p', { class: 'notice notice-warn', id: 'last-inspected', role: 'note' },
      el('strong', {}, t('public.record.stale', { date: formatDate(last.started_at), months: STALE_MONTHS })),
      ' ', t('public.record.stale_more'));
  }
  return el('p', { id: 'last-inspected' }, t('public.record.last_inspected', { date: formatDate(last.started_at) }));
}

// The card's notice, and the card when it could be read.
async function cardCheck(e, code) {
  try {
    const card = await getJSON(`/api/v1/cards/${encodeURIComponent(code)}`);
    if (card.establishment_id !== e.id) throw new Error(t('public.card_check.other_establishment'));
    return [cardNotice(card), card];
  } catch (err) {
    return [el('p', { class: 'notice notice-bad', id: 'card-check', role: 'alert' },
      el('strong', {}, t('public.card_check.failed')), ' ', err.message), null];
  }
}

function cardNotice(card) {
  if (card.current) {
    return el('p', { class: 'notice notice-good', id: 'card-check', role: 'status' },
      el('strong', {}, t('public.card_check.current')), ' ',
      t('public.card_check.current_more', { label: wording(card.grade.label), date: formatDate(card.inspected_at) }));
  }
  return el('p', { class: 'notice notice-bad', id: 'card-check', role: 'alert' },
    el('strong', {}, t('public.card_check.superseded')), ' ',
    t('public.card_check.superseded_more', {
      label: wording(card.grade.label), date: formatDate(card.inspected_at),
      posted: card.posted ? wording(card.posted.label) : t('public.card_check.no_grade'),
    }));
}

// Why an inspection gave no grade, in words (its outcome).
const noGradeWords = {
  'no-grade': () => t('public.history.no_grade.no_grade'),
  'not-yet-graded': () => t('public.history.no_grade.not_yet_graded'),
  pending: () => t('public.history.no_grade.pending'),
  unchanged: () => t('public.history.no_grade.unchanged'),
};

// An inspection's type in words ("initial inspection").
const typeWords = {
  initial: () => t('public.history.type.initial'),
  reinspection: () => t('public.history.type.reinspection'),
  complaint: () => t('public.history.type.complaint'),
  'pre-permit': () => t('public.history.type.pre_permit'),
  reopening: () => t('public.history.type.reopening'),
};

function gradeOf(d) {
  return d.grade && d.grade.code ? d.grade : null;
}

function noGradeNote(d) {
  if (gradeOf(d) && d.grade.outcome !== 'unchanged') return null;
  const outcome = d.grade ? d.grade.outcome : null;
  return el('p', { class: 'no-grade-note' },
    el('strong', {}, t('public.history.no_grade_lead')),
    noGradeWords[outcome] ? noGradeWords[outcome]() : t('public.history.no_grade.other'));
}

function historyItem(d, doc) {
  const dismissed = d.violations.filter((v) => v.status === 'dismissed').length;
  const superseded = Boolean(d.amended_by_inspection_id);
  const type = String(d.type || 'inspection');
  const inspection = typeWords[type] ? typeWords[type]() : t('public.history.type.other', { type: type.replace(/-/g, ' ') });
  const date = formatDate(d.started_at);
  const hasScore = d.score !== null && d.score !== undefined;
  const grade = gradeOf(d);
  const n = d.violations.length;
  return el('li', { class: superseded ? 'inspection superseded' : 'inspection', 'data-id': d.id },
    el('details', {},
      el('summary', {},
        gradeBadge(grade, false, doc), ' ',
        el('span', {}, hasScore ? t('public.history.summary_score', { date, inspection, score: d.score })
          : t('public.history.summary', { date, inspection })),
        el('span', { class: 'muted' }, ` · ${grade ? gradeMeaning(grade, doc) : t('public.history.no_grade')}`),
        el('span', { class: 'muted' }, ` · ${dismissed ? t('public.history.violations_dismissed', { n, dismissed })
          : t('public.history.violations', { n })}`),
        superseded ? el('span', { class: 'tag tag-superseded' }, t('public.history.superseded')) : null),
      superseded ? el('p', { class: 'superseded-note' },
        el('strong', {}, t('public.history.superseded_lead')), t('public.history.superseded_note')) : null,
      d.amends_inspection_id && d.revision > 1
        ? el('p', { class: 'muted' }, t('public.history.revision', { n: d.revision })) : null,
      noGradeNote(d),
      d.explanation ? el('p', {}, d.explanation.rule) : '',
      d.violations.length ? el('ul', { class: 'violations' }, d.violations.map(violationItem))
        : el('p', {}, t('public.history.no_violations'))));
}

// The record lists the latest inspections; older ones come a page at a time.
const RECORD_INSPECTIONS = 5;
const OLDER_PAGE = 10;

async function history(e, current, doc) {
  const section = el('section', { 'aria-labelledby': 'history-h' }, el('h2', { id: 'history-h' }, t('public.history.heading')));
  if (!e.inspections.length) return section;
  const details = await Promise.all(e.inspections.map((i) => (current && i.id === current.id ? current : getJSON(`/api/v1/inspections/${i.id}`))));
  const ol = el('ol', { class: 'history', id: 'history' });
  ol.append(...details.map((d) => historyItem(d, doc)));
  section.append(ol);
  if (e.inspections.length < RECORD_INSPECTIONS) return section;
  let before = e.inspections[e.inspections.length - 1].id;
  const status = el('p', { class: 'muted', role: 'status', id: 'older-status' });
  const more = el('button', { type: 'button', class: 'button secondary', id: 'older' }, t('public.history.show_older'));
  more.addEventListener('click', async () => {
    more.disabled = true;
    status.textContent = t('public.history.loading_older');
    try {
      const page = await getJSON(`/api/v1/establishments/${e.id}/inspections?before=${before}&limit=${OLDER_PAGE}`);
      const older = await Promise.all(page.inspections.map((i) => getJSON(`/api/v1/inspections/${i.id}`)));
      const items = older.map((d) => historyItem(d, doc));
      ol.append(...items);
      status.textContent = older.length ? t('public.history.older_shown', { n: older.length }) : t('public.history.no_older');
      if (page.next_before) {
        before = page.next_before;
        more.disabled = false;
      } else {
        more.remove();
      }
      if (items.length) items[0].querySelector('summary').focus();
    } catch (err) {
      status.textContent = t('public.history.older_failed', { message: err.message });
      more.disabled = false;
    }
  });
  section.append(more, status);
  return section;
}

// The public reasons for a suspension or a revocation (licence_action.reason_category).
const reasonWords = {
  'imminent-health-risk': () => t('public.status.reason.imminent_health_risk'),
  pests: () => t('public.status.reason.pests'),
  'no-water-or-power': () => t('public.status.reason.no_water_or_power'),
  'licence-conditions': () => t('public.status.reason.licence_conditions'),
  unlicensed: () => t('public.status.reason.unlicensed'),
  'owner-request': () => t('public.status.reason.owner_request'),
  other: () => t('public.status.reason.other'),
};

// A suspended or closed establishment says so before anything else.
function statusNotice(e) {
  if (!e.status || e.status === 'active') return null;
  const since = e.status_since || {};
  const suspended = e.status === 'suspended';
  const title = suspended ? t('public.status.suspended') : t('public.status.revoked');
  const date = since.effective_on ? formatDate(since.effective_on) : null;
  const what = suspended
    ? (date ? t('public.status.suspended_since', { date }) : t('public.status.suspended_text'))
    : (date ? t('public.status.revoked_since', { date }) : t('public.status.revoked_text'));
  const reason = !since.reason_category ? t('public.status.reason.not_given')
    : reasonWords[since.reason_category] ? reasonWords[since.reason_category]() : t('public.status.reason.other');
  return el('section', { class: 'notice notice-bad status-notice', id: 'status-notice', role: 'alert', 'aria-labelledby': 'status-h' },
    el('h2', { id: 'status-h' }, title),
    el('p', {}, what),
    el('p', {}, t('public.status.reason', { reason })));
}

async function main() {
  await i18nInit(['public', 'wording', 'log']);
  const id = param('id');
  if (!/^[1-9][0-9]{0,18}$/.test(id || '')) {
    showError(page, new Error(t('public.record.no_id')));
    page.setAttribute('aria-busy', 'false');
    return;
  }
  try {
    const e = await getJSON(`/api/v1/establishments/${id}`);
    document.title = t('public.record.title_name', { name: e.name });
    const g = e.grade;
    const current = g && g.inspection_id ? await getJSON(`/api/v1/inspections/${g.inspection_id}`) : null;
    const code = param('card');
    const [cardNode, card] = code ? await cardCheck(e, code) : [null, null];
    // The inspection to check in the public record: the card's when opened from one, else
    // the one the posted grade rests on.
    const checked = card && (!current || card.inspection_id !== current.id)
      ? await getJSON(`/api/v1/inspections/${card.inspection_id}`) : current;
    const check = checked ? recordCheck(checked, code ? param('log') : null) : null;
    const doc = await schemeDoc(e.scheme);
    const a = e.address || {};
    const parts = [
      statusNotice(e),
      cardNode,
      code ? check : null,
      el('h1', { translate: 'no' }, e.name),
      el('p', { class: 'muted', translate: 'no' }, formatAddress(a),
        e.cuisine ? ` · ${e.cuisine}` : ''),
      e.jurisdiction_name ? el('p', { class: 'muted where' },
        tParts('public.record.inspected_by', { authority: typed(e.jurisdiction_name) })) : null,
      el('section', { class: 'grade-now', 'aria-labelledby': 'grade-h' },
        gradeBadge(g, true, doc),
        el('div', {},
          el('h2', { id: 'grade-h' }, gradeMeaning(g, doc)),
          g && g.under_appeal ? el('p', {}, t('public.record.under_appeal')) : '',
          g && g.new_rating_pending ? el('p', {}, t('public.record.rating_pending')) : '',
          current ? el('p', {}, t('public.record.from_inspection', {
        kind: String(current.type).replace(/-/g, '_'), type: current.type, date: formatDate(current.started_at),
      })) : '',
          el('p', {}, el('a', { href: `/methodology.html?scheme=${encodeURIComponent(e.scheme)}` }, t('public.record.how_worked_out'))))),
      code ? null : check,
      ...appealAndReply(e),
      lastInspected(e),
      current ? explanation(current, doc) : null,
      await history(e, current, doc),
      el('p', { class: 'actions' }, el('a', { href: `/card.html?id=${e.id}`, class: 'button secondary', id: 'card-link' }, t('public.record.card_link'))),
    ];
    page.replaceChildren(...parts.filter(Boolean));
  } catch (err) {
    showError(page, err);
  }
  page.setAttribute('aria-busy', 'false');
}

main();
