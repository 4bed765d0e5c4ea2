// schemeview.mjs - a scoring scheme's version as people read it, from its published document
// (GET /api/v1/schemes/{code}/versions/{n}): each band in words, a rating scale of the bands
// (an SVG with a text equivalent), the element scores, the rules in plain words and the
// whole violation catalogue with its points. Used by the methodology page and the
// administrators' schemes page. The sentences are the "schemes" catalogue's; the scheme's
// own words (labels, meanings, names, descriptions) go through wording().
import { el, gradeBadge } from './portal.mjs';
import { i18nInit, t, tParts, wording } from './i18n.mjs';

// Whichever page shows a scheme has this module's sentences.
await i18nInit(['schemes']);

const SVG = 'http://www.w3.org/2000/svg';

const TYPES = ['initial', 'reinspection', 'complaint', 'pre-permit', 'reopening'];

function typeName(type) {
  return TYPES.includes(type) ? t(`schemes.view.type.${type.replace('-', '_')}`) : type;
}

// A band's label and meaning, and a violation's description, in the page's language.
function label(s, b) {
  return wording(b.label, b.local_label, s);
}

function meaning(b) {
  return wording(b.meaning);
}

// A grade's badge, named in the page's language.
export function badge(grade, s = null) {
  const b = gradeBadge(grade);
  const name = grade?.label ? wording(grade.label, grade.local_label, s) : t('common.no_grade');
  b.setAttribute('title', name);
  b.setAttribute('aria-label', t('common.grade_aria', { label: name }));
  return b;
}

// The scores band @b covers, in words.
export function rangeText(s, b) {
  const unit = s.kind === 'element-scores' ? 'elements' : 'points';
  if (b.max === null || b.max === undefined) return t('schemes.view.range.open', { min: b.min, unit });
  if (b.min === b.max) return t('schemes.view.range.exact', { min: b.min, unit });
  return t('schemes.view.range.between', { min: b.min, max: b.max, unit });
}

// Band @b explained in a sentence: "A: a score of 0 to 13 points, the best of 4 grades: ...".
export function bandWords(s, b, i) {
  const n = s.bands.length;
  const rank = t('schemes.view.rank', { rank: i === 0 ? 'best' : i === n - 1 ? 'lowest' : 'other', i: i + 1, n });
  const score = s.kind === 'deduct-from-100'
    ? t('schemes.view.score.deduct', { min: b.min, max: b.max })
    : s.kind === 'element-scores'
      ? t('schemes.view.score.elements', { range: rangeText(s, b) })
      : t('schemes.view.score.points', { range: rangeText(s, b) });
  const capped = b.max_element !== undefined && b.max_element !== null;
  return t('schemes.view.band_words', {
    label: label(s, b), score, capped: capped ? 'yes' : 'no', cap: capped ? b.max_element : '', rank, meaning: meaning(b),
  });
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
  title.textContent = t('schemes.view.scale_title', { name: wording(s.name) });
  const desc = svg('desc', { id: descId });
  desc.textContent = s.bands.map((b) => t('schemes.view.scale_band', { label: label(s, b), range: rangeText(s, b), meaning: meaning(b) }))
    .join(t('schemes.view.separator'));
  pic.append(title, desc);
  s.bands.forEach((b, i) => {
    const x = i * (cell + gap);
    const g = svg('g', { 'aria-hidden': 'true' });
    g.append(svg('rect', { x, y: 0, width: cell, height: 44, rx: 6, fill: bandColour(i, n) }));
    const text = svg('text', { x: x + cell / 2, y: 28, 'text-anchor': 'middle', fill: '#fff',
      'font-size': '18', 'font-weight': '700' });
    const shown = label(s, b);
    // A long label is cut short (a pseudo-language label keeps its closing bracket).
    text.textContent = shown.length > 14 ? `${shown.slice(0, 13)}…${shown.endsWith('⟧') ? '⟧' : ''}` : shown;
    const range = svg('text', { x: x + cell / 2, y: 64, 'text-anchor': 'middle', fill: '#1a1a1a', 'font-size': '13' });
    range.textContent = b.max === null || b.max === undefined ? `${b.min}+` : `${b.min}–${b.max}`;
    g.append(text, range);
    pic.append(g);
  });
  const arrow = el('p', { class: 'muted scale-direction' },
    s.score_direction === 'higher_is_better' ? t('schemes.view.direction.higher') : t('schemes.view.direction.lower'));
  return el('figure', { class: 'rating-scale' }, pic, arrow,
    el('figcaption', {}, el('ol', { class: 'band-words' },
      s.bands.map((b, i) => el('li', {}, bandWords(s, b, i))))));
}

export function rulesList(s) {
  const r = s.rules;
  const lower = s.score_direction === 'lower_is_better';
  const items = [
    lower ? t('schemes.view.rule.adds') : t('schemes.view.rule.takes_off'),
    t('schemes.view.rule.graded_types', { types: r.graded_inspection_types.map(typeName).join(t('schemes.value.separator')) }),
  ];
  if (r.initial_graded_only_in_top_band) items.push(t('schemes.view.rule.initial_top_band'));
  if (r.min_days_before_reinspection)
    items.push(t('schemes.view.rule.min_days', { n: r.min_days_before_reinspection }));
  if (r.appeal_window === 'within_days')
    items.push(t('schemes.view.rule.appeal_within', { n: r.appeal_window_days }));
  else if (r.appeal_window === 'until_hearing')
    items.push(t('schemes.view.rule.appeal_hearing'));
  if (r.pending_label_during_appeal)
    items.push(t('schemes.view.rule.pending', { label: wording(r.pending_label_during_appeal) }));
  if (r.withhold_until_appeal_decided) items.push(t('schemes.view.rule.withhold'));
  if (r.rerating_standstill_days)
    items.push(t('schemes.view.rule.rerating', { n: r.rerating_standstill_days }));
  if (r.closure_issues_no_grade) {
    items.push(t('schemes.view.rule.closure', {
      reopening: r.reopening_label ? 'yes' : 'no', label: r.reopening_label ? wording(r.reopening_label) : '',
    }));
  }
  items.push(t('schemes.view.rule.dismissed'));
  return el('ul', { class: 'rules' }, items.map((x) => el('li', {}, x)));
}

// The scheme's own local wording beside the page's, when it says something else.
function local(s, shown, text) {
  return text && text !== shown ? el('span', { lang: s.local_language, translate: 'no' }, text) : null;
}

export function bandsTable(s) {
  return el('table', { id: 'bands' },
    el('caption', {}, t('schemes.view.bands.caption')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('schemes.view.bands.grade')),
      el('th', { scope: 'col' }, t('schemes.view.bands.score')), el('th', { scope: 'col' }, t('schemes.view.bands.meaning')))),
    el('tbody', {}, s.bands.map((b) => {
      const shown = label(s, b);
      const other = local(s, shown, b.local_label);
      return el('tr', {},
        el('td', {}, badge({ code: b.code, label: b.label, local_label: b.local_label }, s), ' ', shown,
          other ? [' ', other] : ''),
        el('td', {}, b.max === null ? t('schemes.view.bands.or_more', { min: b.min }) : `${b.min}–${b.max}`,
          b.max_element !== undefined ? t('schemes.view.bands.cap', { cap: b.max_element }) : ''),
        el('td', {}, meaning(b)));
    })));
}

export function catalogue(s, open = false) {
  const cats = ['priority', 'priority-foundation', 'core'];
  return cats.map((c) => {
    const rows = s.violations.filter((v) => v.category === c);
    if (!rows.length) return '';
    return el('details', { class: 'catalogue', open: open || null },
      el('summary', {}, t('schemes.view.catalogue.summary', { category: c.replace('-', '_'), n: rows.length })),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('schemes.view.catalogue.code')),
          el('th', { scope: 'col' }, t('schemes.view.catalogue.means')), el('th', { scope: 'col' }, t('schemes.view.catalogue.points')))),
        el('tbody', {}, rows.map((v) => {
          const shown = wording(v.description, v.local_description, s);
          const other = local(s, shown, v.local_description);
          return el('tr', {},
            el('td', { translate: 'no' }, v.code),
            el('td', {}, shown, other ? [el('br'), other] : ''),
            el('td', {}, v.min_points === v.max_points ? String(v.min_points) : `${v.min_points}–${v.max_points}`,
              v.confirmed === false ? el('span', { class: 'muted' }, t('schemes.view.catalogue.unconfirmed')) : ''));
        }))));
  });
}

// How many items' points are still to be confirmed by the city, in a sentence (or '').
function unconfirmed(s) {
  const n = s.violations.filter((v) => v.confirmed === false).length;
  return n ? el('p', {}, t('schemes.view.unconfirmed', { n, total: s.violations.length })) : '';
}

// The whole version @s as people read it (without its title).
export function schemeBody(s, idPrefix = 'scale') {
  const elements = s.elements ? el('section', {},
    el('h3', {}, t('schemes.view.elements')),
    el('ul', {}, s.elements.map((e) => el('li', {}, tParts('schemes.view.element', {
      name: el('strong', {}, wording(e.name)), description: wording(e.description),
      scores: e.allowed_scores.join(t('schemes.value.separator')),
    }))))) : '';
  return [
    el('h3', {}, t('schemes.view.grades')), ratingScale(s, idPrefix), bandsTable(s), elements,
    el('h3', {}, t('schemes.view.rules')), rulesList(s),
    el('h3', {}, t('schemes.view.cite')),
    el('p', {}, t('schemes.view.cite_intro')),
    unconfirmed(s),
    ...catalogue(s),
  ];
}
