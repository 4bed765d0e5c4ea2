// schemeview.mjs - a scoring scheme's version as people read it, from its published document
// (GET /api/v1/schemes/{code}/versions/{n}): each band in words, a rating scale of the bands
// (an SVG with a text equivalent), the element scores, the rules in plain words and the
// whole violation catalogue with its points. Used by the methodology page and the
// administrators' schemes page.
import { el, gradeBadge } from './portal.mjs';

const SVG = 'http://www.w3.org/2000/svg';

const typeNames = { initial: 'initial', reinspection: 're-inspection', complaint: 'complaint',
  'pre-permit': 'pre-permit', reopening: 're-opening' };

// The scores band @b covers, in words.
export function rangeText(s, b) {
  const unit = s.kind === 'element-scores' ? 'points over the elements' : 'points';
  if (b.max === null || b.max === undefined) return `${b.min} ${unit} or more`;
  if (b.min === b.max) return `exactly ${b.min} ${unit}`;
  return `${b.min} to ${b.max} ${unit}`;
}

// Band @b explained in a sentence: "A: a score of 0 to 13 points, the best of 4 grades: ...".
export function bandWords(s, b, i) {
  const n = s.bands.length;
  const rank = i === 0 ? `the best of ${n} grades` : i === n - 1 ? `the lowest of ${n} grades`
    : `grade ${i + 1} of ${n}`;
  const score = s.kind === 'deduct-from-100'
    ? `a score of ${b.min} to ${b.max} out of 100 (points for violations are taken off 100)`
    : s.kind === 'element-scores'
      ? `element scores adding up to ${rangeText(s, b)}`
      : `${rangeText(s, b)} for violations found`;
  const cap = b.max_element !== undefined && b.max_element !== null
    ? `, and no single element scoring over ${b.max_element}` : '';
  return `${b.label}: ${score}${cap}; ${rank}. It means ${b.meaning}.`;
}

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(c);
  return e;
}

// A colour from best (green) to worst (red), for band @i of @n.
function bandColour(i, n) {
  const colours = ['#1d6b35', '#3f6f1c', '#7a5900', '#a3460a', '#a4161a', '#6b0f12'];
  if (n <= 1) return colours[0];
  return colours[Math.round((i / (n - 1)) * (colours.length - 1))];
}

// The rating scale: the bands side by side, best first, each with its label and scores, as
// an SVG image named and described for screen readers, and the same as a list under it.
export function ratingScale(s, idPrefix = 'scale') {
  const n = s.bands.length;
  const w = 640, h = 78, gap = 4, cell = (w - gap * (n - 1)) / n;
  const titleId = `${idPrefix}-title`, descId = `${idPrefix}-desc`;
  const pic = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-labelledby': titleId,
    'aria-describedby': descId, class: 'rating-scale', width: '100%', preserveAspectRatio: 'xMidYMid meet' });
  const title = svg('title', { id: titleId });
  title.textContent = `Rating scale of ${s.name}, best grade on the left`;
  const desc = svg('desc', { id: descId });
  desc.textContent = s.bands.map((b) => `${b.label}: ${rangeText(s, b)}, ${b.meaning}`).join('; ');
  pic.append(title, desc);
  s.bands.forEach((b, i) => {
    const x = i * (cell + gap);
    const g = svg('g', { 'aria-hidden': 'true' });
    g.append(svg('rect', { x, y: 0, width: cell, height: 44, rx: 6, fill: bandColour(i, n) }));
    const label = svg('text', { x: x + cell / 2, y: 28, 'text-anchor': 'middle', fill: '#fff',
      'font-size': '18', 'font-weight': '700' });
    label.textContent = b.label.length > 14 ? `${b.label.slice(0, 13)}…` : b.label;
    const range = svg('text', { x: x + cell / 2, y: 64, 'text-anchor': 'middle', fill: '#1a1a1a', 'font-size': '13' });
    range.textContent = b.max === null || b.max === undefined ? `${b.min}+` : `${b.min}–${b.max}`;
    g.append(label, range);
    pic.append(g);
  });
  const arrow = el('p', { class: 'muted scale-direction' },
    s.score_direction === 'higher_is_better' ? 'Best on the left: the higher the score, the better.'
      : 'Best on the left: the fewer points, the better.');
  return el('figure', { class: 'rating-scale' }, pic, arrow,
    el('figcaption', {}, el('ol', { class: 'band-words' },
      s.bands.map((b, i) => el('li', {}, bandWords(s, b, i))))));
}

export function rulesList(s) {
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
  return el('ul', { class: 'rules' }, items.map((t) => el('li', {}, t)));
}

export function bandsTable(s) {
  return el('table', { id: 'bands' },
    el('caption', {}, 'Grades by score'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Grade'), el('th', { scope: 'col' }, 'Score'), el('th', { scope: 'col' }, 'Meaning'))),
    el('tbody', {}, s.bands.map((b) => el('tr', {},
      el('td', {}, gradeBadge({ code: b.code, label: b.label }), ' ', b.label,
        b.local_label ? [' ', el('span', { lang: s.local_language }, b.local_label)] : ''),
      el('td', {}, b.max === null ? `${b.min} or more` : `${b.min}–${b.max}`, b.max_element !== undefined ? ` (no element over ${b.max_element})` : ''),
      el('td', {}, b.meaning)))));
}

export function catalogue(s, open = false) {
  const cats = ['priority', 'priority-foundation', 'core'];
  return cats.map((c) => {
    const rows = s.violations.filter((v) => v.category === c);
    if (!rows.length) return '';
    return el('details', { class: 'catalogue', open: open || null },
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
}

// How many items' points are still to be confirmed by the city, in a sentence (or '').
function unconfirmed(s) {
  const n = s.violations.filter((v) => v.confirmed === false).length;
  return n ? el('p', {}, `The points of ${n} of the ${s.violations.length} items are read from the jurisdiction's published data and rules, to be confirmed by the city.`) : '';
}

// The whole version @s as people read it (without its title).
export function schemeBody(s, idPrefix = 'scale') {
  const elements = s.elements ? el('section', {},
    el('h3', {}, 'Element scores'),
    el('ul', {}, s.elements.map((e) => el('li', {}, el('strong', {}, e.name), `: ${e.description} (scores ${e.allowed_scores.join(', ')})`)))) : '';
  return [
    el('h3', {}, 'The grades'), ratingScale(s, idPrefix), bandsTable(s), elements,
    el('h3', {}, 'The rules'), rulesList(s),
    el('h3', {}, 'What inspectors cite'),
    el('p', {}, 'Priority items are those most likely to make someone ill; core items are general upkeep.'),
    unconfirmed(s),
    ...catalogue(s),
  ];
}
