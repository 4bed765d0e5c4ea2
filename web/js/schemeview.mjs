// schemeview.mjs - a scoring scheme's version as people read it, from its published document
// (GET /api/v1/schemes/{code}/versions/{n}): each band in words, a rating scale of the bands
// (an SVG with a text equivalent), the element scores, the rules in plain words and the
// whole violation catalogue with its points. Used by the methodology page and the
// administrators' schemes page.
// Its sentences are the "methodology" catalogue's (loaded here, for whichever page shows a
// scheme); the scheme's own texts (band labels and meanings, element names, violation
// descriptions) come through wording(), so a page that shows a scheme loads "wording" too.
import { el, gradeBadge } from './portal.mjs';
import { i18nInit, t, tParts, wording } from './i18n.mjs';

await i18nInit(['methodology']);

const SVG = 'http://www.w3.org/2000/svg';

// An inspection type in words ("methodology.type.<type>"), as written when unknown.
const typeWords = (type) => {
  const key = `methodology.type.${type.replace(/-/g, '_')}`;
  const known = ['initial', 'reinspection', 'complaint', 'pre_permit', 'reopening'];
  return known.includes(type.replace(/-/g, '_')) ? t(key) : type;
};

// A band's label, meaning and local label in the page's language.
const label = (s, b) => wording(b.label, b.local_label, s);
const meaning = (s, b) => wording(b.meaning, null, s);

// The scores band @b covers, in words.
export function rangeText(s, b) {
  const elements = s.kind === 'element-scores' ? 'yes' : 'no';
  if (b.max === null || b.max === undefined) return t('methodology.range.or_more', { elements, min: String(b.min) });
  if (b.min === b.max) return t('methodology.range.exactly', { elements, min: String(b.min) });
  return t('methodology.range.between', { elements, min: String(b.min), max: String(b.max) });
}

// Band @b explained in a sentence: "A: a score of 0 to 13 points, the best of 4 grades: ...".
export function bandWords(s, b, i) {
  const n = s.bands.length;
  const rank = i === 0 ? t('methodology.band.best', { n }) : i === n - 1 ? t('methodology.band.lowest', { n })
    : t('methodology.band.nth', { i: i + 1, n });
  const score = s.kind === 'deduct-from-100'
    ? t('methodology.band.score_100', { min: String(b.min), max: String(b.max) })
    : s.kind === 'element-scores'
      ? t('methodology.band.score_elements', { range: rangeText(s, b) })
      : t('methodology.band.score_points', { range: rangeText(s, b) });
  const cap = b.max_element !== undefined && b.max_element !== null
    ? t('methodology.band.cap', { max: String(b.max_element) }) : '';
  return t('methodology.band.words', { label: label(s, b), score, cap, rank, meaning: meaning(s, b) });
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

// A label cut to fit its cell ("Requires acti…"); a pseudo-language label keeps its brackets.
function short(x) {
  const cut = (y) => (y.length > 14 ? `${y.slice(0, 13)}…` : y);
  return x.startsWith('⟦') && x.endsWith('⟧') ? `⟦${cut(x.slice(1, -1))}⟧` : cut(x);
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
  title.textContent = t('methodology.scale.title', { name: wording(s.name, null, s) });
  const desc = svg('desc', { id: descId });
  desc.textContent = s.bands.map((b) => t('methodology.scale.band', { label: label(s, b), range: rangeText(s, b), meaning: meaning(s, b) }))
    .join(t('methodology.scale.sep'));
  pic.append(title, desc);
  s.bands.forEach((b, i) => {
    const x = i * (cell + gap);
    const g = svg('g', { 'aria-hidden': 'true' });
    g.append(svg('rect', { x, y: 0, width: cell, height: 44, rx: 6, fill: bandColour(i, n) }));
    const text = svg('text', { x: x + cell / 2, y: 28, 'text-anchor': 'middle', fill: '#fff',
      'font-size': '18', 'font-weight': '700' });
    text.textContent = short(label(s, b));
    const range = svg('text', { x: x + cell / 2, y: 64, 'text-anchor': 'middle', fill: '#1a1a1a', 'font-size': '13' });
    range.textContent = b.max === null || b.max === undefined ? `${b.min}+` : `${b.min}–${b.max}`;
    g.append(text, range);
    pic.append(g);
  });
  const arrow = el('p', { class: 'muted scale-direction' },
    s.score_direction === 'higher_is_better' ? t('methodology.scale.higher_better')
      : t('methodology.scale.fewer_better'));
  return el('figure', { class: 'rating-scale' }, pic, arrow,
    el('figcaption', {}, el('ol', { class: 'band-words' },
      s.bands.map((b, i) => el('li', {}, bandWords(s, b, i))))));
}

export function rulesList(s) {
  const r = s.rules;
  const lower = s.score_direction === 'lower_is_better';
  const items = [
    lower ? t('methodology.rules.lower') : t('methodology.rules.higher'),
    t('methodology.rules.graded_types', { types: r.graded_inspection_types.map(typeWords).join(t('methodology.list_sep')) }),
  ];
  if (r.initial_graded_only_in_top_band) items.push(t('methodology.rules.initial_top_band'));
  if (r.min_days_before_reinspection)
    items.push(t('methodology.rules.min_days', { days: r.min_days_before_reinspection }));
  if (r.appeal_window === 'within_days')
    items.push(t('methodology.rules.appeal_days', { days: r.appeal_window_days }));
  else if (r.appeal_window === 'until_hearing')
    items.push(t('methodology.rules.appeal_hearing'));
  if (r.pending_label_during_appeal)
    items.push(t('methodology.rules.pending_label', { label: wording(r.pending_label_during_appeal, null, s) }));
  if (r.withhold_until_appeal_decided) items.push(t('methodology.rules.withhold'));
  if (r.rerating_standstill_days)
    items.push(t('methodology.rules.rerating', { days: r.rerating_standstill_days }));
  if (r.closure_issues_no_grade) {
    items.push(r.reopening_label ? t('methodology.rules.closure_reopening', { label: wording(r.reopening_label, null, s) })
      : t('methodology.rules.closure'));
  }
  items.push(t('methodology.rules.dismissed'));
  return el('ul', { class: 'rules' }, items.map((x) => el('li', {}, x)));
}

export function bandsTable(s) {
  return el('table', { id: 'bands' },
    el('caption', {}, t('methodology.bands.caption')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('methodology.bands.grade')),
      el('th', { scope: 'col' }, t('methodology.bands.score')), el('th', { scope: 'col' }, t('methodology.bands.meaning')))),
    el('tbody', {}, s.bands.map((b) => {
      const shown = label(s, b);
      const badge = gradeBadge({ code: b.code, label: shown });
      badge.setAttribute('aria-label', t('common.grade_aria', { label: shown }));
      return el('tr', {},
        el('td', {}, badge, ' ', shown,
          b.local_label && b.local_label !== shown ? [' ', el('span', { lang: s.local_language }, b.local_label)] : ''),
        el('td', {}, b.max === null ? t('methodology.bands.or_more', { min: String(b.min) }) : `${b.min}–${b.max}`,
          b.max_element !== undefined ? t('methodology.bands.no_element_over', { max: String(b.max_element) }) : ''),
        el('td', {}, meaning(s, b)));
    })));
}

export function catalogue(s, open = false) {
  const cats = ['priority', 'priority-foundation', 'core'];
  return cats.map((c) => {
    const rows = s.violations.filter((v) => v.category === c);
    if (!rows.length) return '';
    return el('details', { class: 'catalogue', open: open || null },
      el('summary', {}, t('methodology.catalogue.summary', { category: c.replace(/-/g, '_'), n: String(rows.length) })),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('methodology.catalogue.code')),
          el('th', { scope: 'col' }, t('methodology.catalogue.meaning')), el('th', { scope: 'col' }, t('methodology.catalogue.points')))),
        el('tbody', {}, rows.map((v) => {
          const shown = wording(v.description, v.local_description, s);
          return el('tr', {},
            el('td', { translate: 'no' }, v.code),
            el('td', {}, shown,
              v.local_description && v.local_description !== shown ? [el('br'), el('span', { lang: s.local_language }, v.local_description)] : ''),
            el('td', {}, v.min_points === v.max_points ? String(v.min_points) : `${v.min_points}–${v.max_points}`,
              v.confirmed === false ? el('span', { class: 'muted' }, t('methodology.catalogue.unconfirmed')) : ''));
        }))));
  });
}

// How many items' points are still to be confirmed by the city, in a sentence (or '').
function unconfirmed(s) {
  const n = s.violations.filter((v) => v.confirmed === false).length;
  return n ? el('p', {}, t('methodology.catalogue.unconfirmed_count', { n, total: s.violations.length })) : '';
}

// The whole version @s as people read it (without its title).
export function schemeBody(s, idPrefix = 'scale') {
  const elements = s.elements ? el('section', {},
    el('h3', {}, t('methodology.elements.title')),
    el('ul', {}, s.elements.map((e) => el('li', {}, tParts('methodology.elements.item', {
      name: el('strong', {}, wording(e.name, null, s)),
      description: wording(e.description, null, s),
      scores: e.allowed_scores.join(t('methodology.list_sep')),
    }))))) : '';
  return [
    el('h3', {}, t('methodology.grades.title')), ratingScale(s, idPrefix), bandsTable(s), elements,
    el('h3', {}, t('methodology.rules.title')), rulesList(s),
    el('h3', {}, t('methodology.catalogue.title')),
    el('p', {}, t('methodology.catalogue.intro')),
    unconfirmed(s),
    ...catalogue(s),
  ];
}
