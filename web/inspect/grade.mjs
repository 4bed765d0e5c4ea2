// grade.mjs - the grading engine of src/domain/grade.c, ported to the browser so the tablet
// can show the score and grade live while the inspector marks items, with no signal.
//
// It knows only the three scheme kinds; every jurisdiction's numbers come from the scheme's
// document (docs/schemes.md) as GET /api/v1/schemes/{code} publishes it, the document the
// server grades with. tests/browser/vectors.test.mjs runs it on tests/vectors/grading.json,
// the vectors the C engine is tested on, with the published schemes and with the shipped
// documents (schemes/*.json), and fails on any disagreement.
//
// Errors are returned, not thrown: { error: 'EINVAL' | 'ENOENT' | 'ERANGE' | 'E2BIG',
// field, index }, as grade_compute() names them.
//
// The rule is also given as parts (ruleParts), the messages of the "grade" catalogue
// (web/i18n/<lang>/grade.json) with their arguments, exactly as the server stores them beside
// an explanation's rule ("rule_parts"). In a page whose language is not English and that loaded
// the "grade" catalogue, the rule is those parts in the page's language, as the server writes
// them for a reader of that language; otherwise it is the English sentence, as the server
// stores it.

import { t, has, lang, wording } from '../js/i18n.mjs';

export const MAX_VIOLATIONS = 64;
const RULE_MAX = 320; // the C engine's buffer, NUL included
const NO_GRADE_LABEL = 'No grade issued';
const TYPES = ['initial', 'reinspection', 'complaint', 'pre-permit', 'reopening'];
const TYPE_PHRASES = {
  initial: 'Initial inspection',
  reinspection: 'Re-inspection',
  complaint: 'Complaint inspection',
  'pre-permit': 'Pre-permit inspection',
  reopening: 'Re-opening inspection',
};

// The type as the messages choose their wording by ({type, select, ...}).
const TYPE_SELECTORS = {
  initial: 'initial',
  reinspection: 'reinspection',
  complaint: 'complaint',
  'pre-permit': 'pre_permit',
  reopening: 'reopening',
};
// The arguments that carry the scheme's wording (grade_arg_is_wording() in the engine).
const WORDING_ARGS = new Set(['label', 'meaning', 'element', 'contested', 'e0', 'e1', 'e2']);

function fail(error, field, index = -1) {
  return { error, field, index };
}

function requiredWaitDays(scheme) {
  const r = scheme.rules;
  return Math.max(r.min_days_before_reinspection || 0, r.rerating_standstill_days || 0);
}

function bandMax(b) {
  return b.max === null || b.max === undefined ? Infinity : b.max;
}

function bandMaxElement(b) {
  return b.max_element === undefined || b.max_element === null ? Infinity : b.max_element;
}

function bandForScore(scheme, score) {
  return scheme.bands.find((b) => score >= b.min && score <= bandMax(b)) || null;
}

// "0-13", "28 or more", "59 or less": the band as the public reads it.
function rangeText(scheme, b) {
  if (bandMax(b) === Infinity) return `${b.min} or more`;
  if (b.min === 0 && b !== scheme.bands[0]) return `${b.max} or less`;
  return `${b.min}-${b.max}`;
}

// The band's range as a part's arguments, as the engine gives them.
function rangeArgs(scheme, b) {
  const range = bandMax(b) === Infinity ? 'open' : b.min === 0 && b !== scheme.bands[0] ? 'below' : 'between';
  return { range, min: String(b.min), max: String(bandMax(b) === Infinity ? b.min : b.max) };
}

// The rule's @parts ([{ key, args }]) in the page's language, the scheme's wording through
// the "wording" catalogue.
export function ruleText(parts) {
  return parts.map((p) => t(p.key, Object.fromEntries(Object.entries(p.args)
    .map(([k, v]) => [k, WORDING_ARGS.has(k) ? wording(v) : v])))).join('');
}

function elementIndex(scheme, def) {
  if (!def.element) return -1;
  return (scheme.elements || []).findIndex((e) => e.name === def.element);
}

export function lookup(scheme, code) {
  return scheme.violations.find((v) => v.code === code) || null;
}

function validate(scheme, input) {
  if (!TYPES.includes(input.type)) return fail('EINVAL', 'type');
  const viol = input.violations || [];
  if (viol.length > MAX_VIOLATIONS) return fail('E2BIG', 'violations');
  const elements = scheme.elements || [];
  for (let i = 0; i < viol.length; i++) {
    const v = viol[i];
    if (typeof v.code !== 'string') return fail('EINVAL', 'violations[].code', i);
    const def = lookup(scheme, v.code);
    if (!def) return fail('ENOENT', 'violations[].code', i);
    if (!Number.isInteger(v.points) || v.points < 0) return fail('EINVAL', 'violations[].points', i);
    if (v.points < def.min_points || v.points > def.max_points)
      return fail('ERANGE', 'violations[].points', i);
    const el = elementIndex(scheme, def);
    if (el >= 0 && !elements[el].allowed_scores.includes(v.points))
      return fail('EINVAL', 'violations[].points', i);
  }
  if (input.elements) {
    if (elements.length === 0) return fail('EINVAL', 'elements');
    for (let i = 0; i < elements.length; i++)
      if (!elements[i].allowed_scores.includes(input.elements[i])) return fail('EINVAL', 'elements[]', i);
  }
  const days = input.daysSincePrevious;
  if (days !== null && days !== undefined && days < 0) return fail('EINVAL', 'days_since_previous');
  if (input.type === 'reinspection' && requiredWaitDays(scheme) > 0) {
    if (days === null || days === undefined) return fail('EINVAL', 'days_since_previous');
    if (days < requiredWaitDays(scheme)) return fail('ERANGE', 'days_since_previous');
  }
  return null;
}

/*
 * Grade one inspection. @input: { type, closed, daysSincePrevious (null when unknown),
 * elements (array in the scheme's element order, or null), violations: [{ code, points,
 * dismissed }] }. Returns { score, deductions, elements, band, ratedBand, cappingElement,
 * outcome, label, code, setsPostedGrade, reinspectionRequired, reinspectionMinDays,
 * counted, dismissed, rule } or an error object (see the top of the file).
 */
export function compute(scheme, input) {
  const err = validate(scheme, input);
  if (err) return err;
  const nEl = (scheme.elements || []).length;
  const r = {
    score: 0, deductions: 0, elements: new Array(nEl).fill(0), band: null, ratedBand: null,
    cappingElement: -1, outcome: null, label: null, code: null, setsPostedGrade: false,
    reinspectionRequired: false, reinspectionMinDays: 0, counted: [], dismissed: [], rule: '',
    ruleParts: [],
  };
  // Tally.
  for (const v of input.violations || []) {
    const def = lookup(scheme, v.code);
    const el = elementIndex(scheme, def);
    const line = { code: def.code, description: def.description, category: def.category, points: v.points, element: el };
    if (v.dismissed) { r.dismissed.push(line); continue; }
    r.counted.push(line);
    r.deductions += v.points;
    if (!input.elements && el >= 0 && v.points > r.elements[el]) r.elements[el] = v.points;
  }
  if (input.elements) for (let i = 0; i < nEl; i++) r.elements[i] = input.elements[i];
  // Rate.
  switch (scheme.kind) {
    case 'points-lower-is-better': r.score = r.deductions; break;
    case 'deduct-from-100': r.score = r.deductions >= 100 ? 0 : 100 - r.deductions; break;
    case 'element-scores': r.score = r.elements.reduce((a, b) => a + b, 0); break;
    default: return fail('EINVAL', 'scheme.kind');
  }
  r.band = bandForScore(scheme, r.score);
  if (!r.band) return fail('EINVAL', 'scheme.bands');
  let worst = 0;
  for (let i = 0; i < nEl; i++) if (r.elements[i] > worst) { worst = r.elements[i]; r.cappingElement = i; }
  let bi = scheme.bands.indexOf(r.band);
  while (worst > bandMaxElement(scheme.bands[bi]) && bi + 1 < scheme.bands.length) bi++;
  r.ratedBand = scheme.bands[bi];
  if (r.ratedBand === r.band) r.cappingElement = -1;

  // Issue.
  const rules = scheme.rules;
  const what = TYPE_PHRASES[input.type];
  const graded = rules.graded_inspection_types.includes(input.type);
  let text;
  const parts = r.ruleParts;
  const part = (key, args = {}) => { parts.push({ key, args }); };
  const type = TYPE_SELECTORS[input.type];
  const issue = (outcome, label, code, sets) => {
    r.outcome = outcome; r.label = label; r.code = code; r.setsPostedGrade = sets;
  };
  const explainScore = () => {
    switch (scheme.kind) {
      case 'points-lower-is-better':
        part('grade.score.points', { type, ...rangeArgs(scheme, r.band) });
        return `${what} scored ${rangeText(scheme, r.band)}`;
      case 'deduct-from-100':
        part('grade.score.deduct', {
          type, score: String(r.score), deductions: String(r.deductions),
          floor: r.deductions > 100 ? 'yes' : 'no', ...rangeArgs(scheme, r.band),
        });
        return `${what} scored ${r.score} (100 minus ${r.deductions} points${r.deductions > 100 ? ', never below 0' : ''}), band ${rangeText(scheme, r.band)}`;
      default: {
        const args = { type, score: String(r.score), count: String(scheme.elements.length) };
        scheme.elements.slice(0, 3).forEach((e, i) => { args[`e${i}`] = e.name; args[`v${i}`] = String(r.elements[i]); });
        part('grade.score.elements', args);
        return `${what} total ${r.score} (${scheme.elements.map((e, i) => `${e.name} ${r.elements[i]}`).join(', ')})`;
      }
    }
  };
  if (input.type === 'pre-permit') {
    issue('not-yet-graded', rules.not_yet_graded_label, rules.not_yet_graded_code, true);
    text = `Pre-permit inspection: not graded; the establishment posts ${r.label} (${r.code}).`;
    part('grade.rule.pre_permit', { label: r.label ?? '', code: r.code ?? '' });
  } else if (input.closed && rules.closure_issues_no_grade) {
    issue('no-grade', NO_GRADE_LABEL, '', false);
    text = `${what} closed the establishment: no grade issued; a re-opening inspection follows once the conditions are corrected.`;
    part('grade.rule.closed', { type });
  } else if (input.type === 'reopening' && rules.reopening_label) {
    issue('pending', rules.reopening_label, rules.reopening_code, true);
    text = `Re-opening inspection: the establishment posts ${r.label} (${r.code}) until its next graded inspection.`;
    part('grade.rule.reopening', { label: r.label ?? '', code: r.code ?? '' });
  } else if (!graded) {
    issue('unchanged', NO_GRADE_LABEL, '', false);
    text = `${explainScore()}: recorded; this type of inspection does not change the posted grade.`;
    part('grade.rule.unchanged');
  } else if (input.type === 'initial' && rules.initial_graded_only_in_top_band && r.ratedBand !== scheme.bands[0]) {
    issue('no-grade', NO_GRADE_LABEL, '', false);
    r.reinspectionRequired = true;
    r.reinspectionMinDays = rules.min_days_before_reinspection;
    text = `${explainScore()}: no grade issued; a re-inspection at least ${rules.min_days_before_reinspection} days later sets the grade.`;
    part('grade.rule.reinspection_required', { days: String(rules.min_days_before_reinspection) });
  } else {
    const b = r.ratedBand;
    issue('graded', b.label, b.code, true);
    text = explainScore();
    switch (scheme.kind) {
      case 'points-lower-is-better':
        text += `: grade ${b.label} issued${input.type === 'initial' ? ' at once' : ''}.`;
        part('grade.rule.graded_points', { label: b.label, once: input.type === 'initial' ? 'yes' : 'no' });
        break;
      case 'deduct-from-100':
        text += `: ${b.label}, ${b.meaning}.`;
        part('grade.rule.graded_deduct', { label: b.label, meaning: b.meaning });
        break;
      default:
        text += ` gives ${r.band.label} (${r.band.meaning}).`;
        part('grade.rule.graded_elements', { label: r.band.label, meaning: r.band.meaning });
        if (r.cappingElement >= 0) {
          text += ` The worst element, ${scheme.elements[r.cappingElement].name} ${r.elements[r.cappingElement]}, caps it at ${b.label} (${b.meaning}).`;
          part('grade.rule.capped', {
            element: scheme.elements[r.cappingElement].name, value: String(r.elements[r.cappingElement]),
            label: b.label, meaning: b.meaning,
          });
        }
    }
    if (rules.pending_label_during_appeal && b !== scheme.bands[0] && rules.appeal_window === 'until_hearing') {
      text += ` It may be contested at a hearing; until then the establishment may post ${rules.pending_label_during_appeal} (${rules.pending_code_during_appeal}).`;
      part('grade.rule.hearing', { label: rules.pending_label_during_appeal, code: rules.pending_code_during_appeal });
    }
    if (rules.withhold_until_appeal_decided && rules.appeal_window === 'within_days') {
      text += ` Published once the ${rules.appeal_window_days}-day appeal window closes or an appeal is decided.`;
      part('grade.rule.withheld', { days: String(rules.appeal_window_days) });
    }
  }
  r.rule = lang() !== 'en' && parts.every((p) => has(p.key)) ? ruleText(parts) : text.slice(0, RULE_MAX - 1);
  return r;
}

// Days still to wait before a grading re-inspection or a re-rating visit may happen.
export function reinspectionWaitDays(scheme, daysSincePrevious) {
  if (!Number.isInteger(daysSincePrevious) || daysSincePrevious < 0) return fail('EINVAL', 'days_since_previous');
  return { days: Math.max(requiredWaitDays(scheme) - daysSincePrevious, 0) };
}
