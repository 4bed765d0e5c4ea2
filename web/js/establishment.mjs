// establishment.mjs - one establishment's public record: the grade it posts and why, any
// appeal and the operator's reply, when it was last inspected (with a warning when that was
// long ago), the history with every violation in plain language (dismissed ones marked),
// and, when opened from a grade card's QR code (?card=CODE), whether that card is current;
// and whether the inspection the grade (or the card) rests on is in the signed public record,
// checked in the browser (tlog.mjs), against the key pin the card carries (?log=PIN).
// A grade is always named with its band's meaning (from the scheme document); a suspended or
// closed establishment says so first, with the date and the reason's category; the history
// marks superseded revisions and says why an inspection gave no grade.
import { el, getJSON, gradeBadge, gradeMeaning, schemeDoc, formatDate, monthsSince, STALE_MONTHS, param, showError } from './portal.mjs';
import { recordCheck } from './tlog.mjs';

const page = document.getElementById('page');

// Text ended as a sentence: a full stop added unless it already ends in one.
function sentence(t) {
  return /[.!?]$/.test(t.trim()) ? t.trim() : `${t.trim()}.`;
}

function violationItem(v) {
  const dismissed = v.status === 'dismissed';
  return el('li', { class: dismissed ? 'violation dismissed' : 'violation' },
    el('span', { class: `tag tag-${v.category}` }, v.category.replace('-', ' ')),
    ' ',
    dismissed ? el('del', {}, v.description) : el('span', {}, v.description),
    v.points ? el('span', { class: 'muted' }, ` (${v.points} ${v.points === 1 ? 'point' : 'points'})`) : '',
    v.observed ? el('p', { class: 'observed' }, `Inspector's note: ${v.observed}`) : '',
    v.corrected_on_site ? el('p', { class: 'muted' }, 'Corrected during the inspection.') : '',
    v.repeat ? el('p', { class: 'muted' }, 'Also found at the previous inspection.') : '',
    dismissed ? el('p', { class: 'dismissed-note' },
      el('strong', {}, 'Dismissed'), v.dismissed_reason ? `: ${sentence(v.dismissed_reason)}` : '.',
      ' It no longer counts toward the score.') : '');
}

function explanation(insp) {
  const x = insp.explanation;
  if (!x) return null;
  const band = x.band ? `${x.band.min}${x.band.max === null ? ' or more' : `–${x.band.max}`}` : '';
  return el('section', { id: 'explanation', 'aria-labelledby': 'why' },
    el('h2', { id: 'why' }, 'Why this grade'),
    el('p', {}, x.rule),
    x.score !== null && x.score !== undefined
      ? el('p', {}, `Score: ${x.score}`, band ? ` (the band for ${x.band.label} is ${band})` : '', '.') : null,
    x.capped_to ? el('p', {}, `Capped to ${x.capped_to.label} by the ${x.capped_to.by_element} score.`) : '',
    insp.violations.length
      ? el('ul', { class: 'violations' }, insp.violations.map(violationItem))
      : el('p', {}, 'No violations were found.'));
}

function appealAndReply(e) {
  const parts = [];
  if (e.appeal) {
    const a = e.appeal;
    const states = {
      filed: 'An appeal has been lodged and awaits review.',
      under_review: 'An appeal is under review.',
      hearing_scheduled: 'An appeal hearing is scheduled.',
      upheld: 'The appeal was decided: the grade stands.',
      modified: 'The appeal was decided: the grade was changed.',
      overturned: 'The appeal was decided: the inspection no longer counts.',
      withdrawn: 'The appeal was withdrawn.',
    };
    const grade = (x) => (x && x.grade_label ? `${x.grade_label}${x.score !== null && x.score !== undefined ? ` (score ${x.score})` : ''}` : 'no grade');
    parts.push(el('section', { class: a.open ? 'notice notice-warn' : 'notice', id: 'appeal', 'aria-labelledby': 'appeal-h' },
      el('h2', { id: 'appeal-h' }, a.open ? 'Under appeal' : 'Appeal'),
      el('p', {}, states[a.state] || `Appeal: ${String(a.state || '').replace(/_/g, ' ')}.`),
      a.filed_at ? el('p', {}, `Lodged ${formatDate(a.filed_at)}.`) : '',
      a.open && a.hearing_at ? el('p', {}, `Hearing on ${formatDate(a.hearing_at)}.`) : '',
      a.open && a.decision_due ? el('p', {}, `Decision due by ${formatDate(a.decision_due)}${a.overdue ? ' (overdue)' : ''}.`) : '',
      a.decided_at ? el('p', {}, `Decided ${formatDate(a.decided_at)}.`) : '',
      a.after && a.before ? el('p', {}, `Before the appeal: ${grade(a.before)}. After: ${a.after.counts ? grade(a.after) : 'the inspection does not count'}.`) : '',
      a.reasons ? el('p', {}, `Reasons: ${a.reasons}`) : ''));
  }
  if (e.reply && (e.reply.text || e.reply.body)) {
    parts.push(el('section', { class: 'reply', id: 'reply', 'aria-labelledby': 'reply-h' },
      el('h2', { id: 'reply-h' }, 'The business replies'),
      el('blockquote', {}, e.reply.text || e.reply.body),
      e.reply.published_at || e.reply.posted_at ? el('p', { class: 'muted' }, `Posted ${formatDate(e.reply.published_at || e.reply.posted_at)}`) : ''));
  }
  return parts;
}

function lastInspected(e) {
  const last = e.inspections[0];
  if (!last) return el('p', { class: 'notice', id: 'last-inspected' }, 'Not inspected yet.');
  const months = monthsSince(last.started_at);
  if (months > STALE_MONTHS) {
    return el('p', { class: 'notice notice-warn', id: 'last-inspected', role: 'note' },
      el('strong', {}, `Last inspected ${formatDate(last.started_at)}: over ${STALE_MONTHS} months ago.`),
      ' Conditions may have changed since.');
  }
  return el('p', { id: 'last-inspected' }, `Last inspected ${formatDate(last.started_at)}.`);
}

// The card's notice, and the card when it could be read.
async function cardCheck(e, code) {
  try {
    const card = await getJSON(`/api/v1/cards/${encodeURIComponent(code)}`);
    if (card.establishment_id !== e.id) throw new Error('That card belongs to another establishment.');
    return [cardNotice(card), card];
  } catch (err) {
    return [el('p', { class: 'notice notice-bad', id: 'card-check', role: 'alert' },
      el('strong', {}, 'This grade card could not be checked. '), err.message), null];
  }
}

function cardNotice(card) {
  if (card.current) {
    return el('p', { class: 'notice notice-good', id: 'card-check', role: 'status' },
      el('strong', {}, 'This grade card is current. '),
      `It shows grade ${card.grade.label} from the inspection on ${formatDate(card.inspected_at)}.`);
  }
  return el('p', { class: 'notice notice-bad', id: 'card-check', role: 'alert' },
    el('strong', {}, 'This grade card has been superseded. '),
    `It shows ${card.grade.label} from ${formatDate(card.inspected_at)}; the establishment now posts ` +
    `${card.posted ? card.posted.label : 'no grade'}.`);
}

// Why an inspection gave no grade, in words (its outcome).
const noGradeWords = {
  'no-grade': 'this inspection did not give a grade; a re-inspection decides it',
  'not-yet-graded': 'a first inspection before the business opened does not give a grade',
  pending: 'the grade is pending until the re-inspection',
  unchanged: 'this type of inspection does not change the grade',
};

function gradeOf(d) {
  return d.grade && d.grade.code ? d.grade : null;
}

function noGradeNote(d) {
  if (gradeOf(d) && d.grade.outcome !== 'unchanged') return null;
  const outcome = d.grade ? d.grade.outcome : null;
  return el('p', { class: 'no-grade-note' },
    el('strong', {}, 'No grade: '), noGradeWords[outcome] || 'this inspection does not set a grade', '.');
}

function historyItem(d, doc) {
  const dismissed = d.violations.filter((v) => v.status === 'dismissed').length;
  const superseded = Boolean(d.amended_by_inspection_id);
  const type = String(d.type || 'inspection').replace(/-/g, ' ');
  const score = d.score !== null && d.score !== undefined ? `, score ${d.score}` : '';
  const grade = gradeOf(d);
  return el('li', { class: superseded ? 'inspection superseded' : 'inspection', 'data-id': d.id },
    el('details', {},
      el('summary', {},
        gradeBadge(grade), ' ',
        el('span', {}, `${formatDate(d.started_at)}: ${type} inspection${score}`),
        el('span', { class: 'muted' }, ` · ${grade ? gradeMeaning(grade, doc) : 'no grade'}`),
        el('span', { class: 'muted' }, ` · ${d.violations.length} ${d.violations.length === 1 ? 'violation' : 'violations'}${dismissed ? `, ${dismissed} dismissed` : ''}`),
        superseded ? el('span', { class: 'tag tag-superseded' }, 'Superseded') : null),
      superseded ? el('p', { class: 'superseded-note' },
        el('strong', {}, 'Superseded: '),
        'this record was corrected by a later revision, which replaces it. It is kept here so that the change can be seen; it no longer counts.') : null,
      d.amends_inspection_id && d.revision > 1
        ? el('p', { class: 'muted' }, `Revision ${d.revision}: corrects an earlier record of this inspection.`) : null,
      noGradeNote(d),
      d.explanation ? el('p', {}, d.explanation.rule) : '',
      d.violations.length ? el('ul', { class: 'violations' }, d.violations.map(violationItem)) : el('p', {}, 'No violations.')));
}

// The record lists the latest inspections; older ones come a page at a time.
const RECORD_INSPECTIONS = 5;
const OLDER_PAGE = 10;

async function history(e, current, doc) {
  const section = el('section', { 'aria-labelledby': 'history-h' }, el('h2', { id: 'history-h' }, 'Inspection history'));
  if (!e.inspections.length) return section;
  const details = await Promise.all(e.inspections.map((i) => (current && i.id === current.id ? current : getJSON(`/api/v1/inspections/${i.id}`))));
  const ol = el('ol', { class: 'history', id: 'history' });
  ol.append(...details.map((d) => historyItem(d, doc)));
  section.append(ol);
  if (e.inspections.length < RECORD_INSPECTIONS) return section;
  let before = e.inspections[e.inspections.length - 1].id;
  const status = el('p', { class: 'muted', role: 'status', id: 'older-status' });
  const more = el('button', { type: 'button', class: 'button secondary', id: 'older' }, 'Show older inspections');
  more.addEventListener('click', async () => {
    more.disabled = true;
    status.textContent = 'Loading older inspections…';
    try {
      const page = await getJSON(`/api/v1/establishments/${e.id}/inspections?before=${before}&limit=${OLDER_PAGE}`);
      const older = await Promise.all(page.inspections.map((i) => getJSON(`/api/v1/inspections/${i.id}`)));
      const items = older.map((d) => historyItem(d, doc));
      ol.append(...items);
      status.textContent = older.length ? `${older.length} older ${older.length === 1 ? 'inspection' : 'inspections'} shown.` : 'There are no older inspections.';
      if (page.next_before) {
        before = page.next_before;
        more.disabled = false;
      } else {
        more.remove();
      }
      if (items.length) items[0].querySelector('summary').focus();
    } catch (err) {
      status.textContent = `Older inspections could not be loaded: ${err.message}`;
      more.disabled = false;
    }
  });
  section.append(more, status);
  return section;
}

// The public reasons for a suspension or a revocation (licence_action.reason_category).
const reasonWords = {
  'imminent-health-risk': 'an imminent risk to health',
  pests: 'pests',
  'no-water-or-power': 'no hot water, water or power',
  'licence-conditions': 'licence conditions not met',
  unlicensed: 'trading without a valid licence',
  'owner-request': "the operator's request",
  other: 'another reason',
};

// A suspended or closed establishment says so before anything else.
function statusNotice(e) {
  if (!e.status || e.status === 'active') return null;
  const since = e.status_since || {};
  const suspended = e.status === 'suspended';
  const title = suspended ? 'Licence suspended' : 'Closed: licence revoked';
  const what = suspended ? 'This establishment may not trade while its licence is suspended'
    : 'This establishment may not trade: its licence was revoked';
  return el('section', { class: 'notice notice-bad status-notice', id: 'status-notice', role: 'alert', 'aria-labelledby': 'status-h' },
    el('h2', { id: 'status-h' }, title),
    el('p', {}, since.effective_on ? `${what}, since ${formatDate(since.effective_on)}.` : `${what}.`),
    el('p', {}, 'Reason: ', since.reason_category ? reasonWords[since.reason_category] || 'another reason' : 'not given', '.'));
}

async function main() {
  const id = param('id');
  if (!/^[1-9][0-9]{0,18}$/.test(id || '')) {
    showError(page, new Error('No establishment was given. Search for one instead.'));
    return;
  }
  try {
    const e = await getJSON(`/api/v1/establishments/${id}`);
    document.title = `${e.name} · Placard`;
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
      el('h1', {}, e.name),
      el('p', { class: 'muted' }, [a.line, a.city, a.postcode].filter(Boolean).join(', '),
        e.cuisine ? ` · ${e.cuisine}` : ''),
      e.jurisdiction_name ? el('p', { class: 'muted where' }, `Inspected by ${e.jurisdiction_name}`) : null,
      el('section', { class: 'grade-now', 'aria-labelledby': 'grade-h' },
        gradeBadge(g, true),
        el('div', {},
          el('h2', { id: 'grade-h' }, gradeMeaning(g, doc)),
          g && g.under_appeal ? el('p', {}, 'This grade is under appeal.') : '',
          g && g.new_rating_pending ? el('p', {}, 'A new rating is pending: it is published once the appeal period is over.') : '',
          current ? el('p', {}, `From the ${current.type} inspection on ${formatDate(current.started_at)}.`) : '',
          el('p', {}, el('a', { href: `/methodology.html?scheme=${encodeURIComponent(e.scheme)}` }, 'How this grade is worked out')))),
      code ? null : check,
      ...appealAndReply(e),
      lastInspected(e),
      current ? explanation(current) : null,
      await history(e, current, doc),
      el('p', { class: 'actions' }, el('a', { href: `/card.html?id=${e.id}`, class: 'button secondary', id: 'card-link' }, 'Printable grade card')),
    ];
    page.replaceChildren(...parts.filter(Boolean));
  } catch (err) {
    showError(page, err);
  }
  page.setAttribute('aria-busy', 'false');
}

main();
