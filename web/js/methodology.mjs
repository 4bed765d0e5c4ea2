// methodology.mjs - a scoring scheme's method, generated from the scheme the grading engine
// itself uses (GET /api/v1/schemes/{code}): the bands, the element scores, the rules in
// plain words and the whole violation catalogue with its points.
import { el, getJSON, gradeBadge, param, showError } from './portal.mjs';

const out = document.getElementById('scheme');
const tabs = document.getElementById('schemes');

const typeNames = { initial: 'initial', reinspection: 're-inspection', complaint: 'complaint',
  'pre-permit': 'pre-permit', reopening: 're-opening' };

function rules(s) {
  const r = s.rules;
  const lower = s.score_direction === 'lower_is_better';
  const items = [
    lower ? 'Each violation adds points: the lower the score, the better.'
      : 'Each violation takes points off 100: the higher the score, the better.',
    `Inspections that set the grade: ${r.graded_inspection_types.map((t) => typeNames[t] || t).join(', ')}.`,
  ];
  if (r.initial_graded_only_in_top_band)
    items.push('An initial inspection gives a grade at once only when it scores in the top band; otherwise a re-inspection follows and its score sets the grade.');
  if (r.min_days_before_reinspection)
    items.push(`A re-inspection comes no sooner than ${r.min_days_before_reinspection} days after the initial inspection.`);
  if (r.appeal_window === 'within_days')
    items.push(`The business may appeal within ${r.appeal_window_days} days.`);
  else if (r.appeal_window === 'until_hearing')
    items.push('The business may contest the grade at a hearing.');
  if (r.pending_label_during_appeal)
    items.push(`While an appeal is open the business may post "${r.pending_label_during_appeal}".`);
  if (r.withhold_until_appeal_decided)
    items.push('A new rating is published only after the appeal window closes or the appeal is decided.');
  if (r.rerating_standstill_days)
    items.push(`A re-rating visit can be asked for ${r.rerating_standstill_days} days after the inspection at the earliest.`);
  if (r.closure_issues_no_grade)
    items.push(`An inspection that closes the establishment gives no grade${r.reopening_label ? `; after re-opening it posts "${r.reopening_label}"` : ''}.`);
  items.push('Violations dismissed on appeal stay in the record, marked, and no longer count toward the score.');
  return el('ul', {}, items.map((t) => el('li', {}, t)));
}

function render(s) {
  document.title = `${s.name}: how grades are worked out · Placard`;
  const bands = el('table', { id: 'bands' },
    el('caption', {}, 'Grades by score'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Grade'), el('th', { scope: 'col' }, 'Score'), el('th', { scope: 'col' }, 'Meaning'))),
    el('tbody', {}, s.bands.map((b) => el('tr', {},
      el('td', {}, gradeBadge({ code: b.code, label: b.label }), ' ', b.label,
        b.local_label ? [' ', el('span', { lang: s.local_language }, b.local_label)] : ''),
      el('td', {}, b.max === null ? `${b.min} or more` : `${b.min}–${b.max}`, b.max_element !== undefined ? ` (no element over ${b.max_element})` : ''),
      el('td', {}, b.meaning)))));
  const elements = s.elements ? el('section', {},
    el('h3', {}, 'Element scores'),
    el('ul', {}, s.elements.map((e) => el('li', {}, el('strong', {}, e.name), `: ${e.description} (scores ${e.allowed_scores.join(', ')})`)))) : '';
  const cats = ['priority', 'priority-foundation', 'core'];
  const catalogue = cats.map((c) => {
    const rows = s.violations.filter((v) => v.category === c);
    if (!rows.length) return '';
    return el('details', { class: 'catalogue' },
      el('summary', {}, `${c.replace('-', ' ')} items (${rows.length})`),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Code'), el('th', { scope: 'col' }, 'What it means'), el('th', { scope: 'col' }, 'Points'))),
        el('tbody', {}, rows.map((v) => el('tr', {},
          el('td', {}, v.code),
          el('td', {}, v.description,
            v.local_description ? [el('br'), el('span', { lang: s.local_language }, v.local_description)] : ''),
          el('td', {}, v.min_points === v.max_points ? String(v.min_points) : `${v.min_points}–${v.max_points}`,
            v.confirmed === false ? el('span', { class: 'muted' }, ' (to be confirmed by the city)') : ''))))));
  });
  const unconfirmed = s.violations.filter((v) => v.confirmed === false).length;
  out.replaceChildren(
    el('h2', {}, s.name),
    el('p', { class: 'muted' }, `${s.jurisdiction} · version ${s.version}`),
    bands, elements,
    el('h3', {}, 'The rules'), rules(s),
    el('h3', {}, 'What inspectors cite'),
    el('p', {}, 'Priority items are those most likely to make someone ill; core items are general upkeep.'),
    unconfirmed ? el('p', {}, `The points of ${unconfirmed} of the ${s.violations.length} items are read from the jurisdiction's published data and rules, to be confirmed by the city.`) : '',
    ...catalogue);
}

async function main() {
  try {
    const list = await getJSON('/api/v1/schemes');
    const code = param('scheme') || list.schemes[0].code;
    tabs.replaceChildren(...list.schemes.map((s) => el('li', {},
      el('a', { href: `?scheme=${encodeURIComponent(s.code)}`, 'aria-current': s.code === code ? 'page' : null }, s.name))));
    render(await getJSON(`/api/v1/schemes/${encodeURIComponent(code)}`));
  } catch (err) {
    showError(out, err);
  }
  document.getElementById('page').setAttribute('aria-busy', 'false');
}

main();
