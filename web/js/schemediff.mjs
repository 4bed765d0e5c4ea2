// schemediff.mjs - what changed between two versions of a scoring scheme's document (as
// GET /api/v1/schemes/{code}/versions/{n} publishes it): the scheme's own fields, the bands
// (matched by code), the elements (by name), the catalogue (by violation code: added,
// removed, and changed points, words, category, severity or element) and the rules.
// Pure: no DOM, no network; tests/unit/schemediff.test.mjs checks it. The sentences come from
// the "schemes" catalogue (i18n.mjs), loaded by the page (or given by the test).
import { has, t, wording } from './i18n.mjs';

const SCHEME_FIELDS = ['name', 'jurisdiction', 'kind', 'score_direction'];
const BAND_FIELDS = ['label', 'meaning', 'min', 'max', 'max_element'];
const ELEMENT_FIELDS = ['description', 'allowed_scores'];
const VIOLATION_FIELDS = ['description', 'category', 'severity', 'default_points', 'min_points',
  'max_points', 'element'];

// Values compare by their JSON text (arrays such as allowed_scores too); absent is null.
function same(x, y) {
  return JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
}

// The fields of @fields that differ between @a and @b: [{ field, from, to }].
function fieldChanges(a, b, fields) {
  const out = [];
  for (const f of fields)
    if (!same(a?.[f], b?.[f])) out.push({ field: f, from: a?.[f] ?? null, to: b?.[f] ?? null });
  return out;
}

// Items of @from and @to matched by @key: { added, removed, changed: [{ key, from, to,
// changes }] }, each in the order of the version they come from.
function listChanges(from = [], to = [], key, fields) {
  const before = new Map(from.map((x) => [x[key], x]));
  const after = new Map(to.map((x) => [x[key], x]));
  const added = to.filter((x) => !before.has(x[key]));
  const removed = from.filter((x) => !after.has(x[key]));
  const changed = [];
  for (const x of to) {
    const old = before.get(x[key]);
    if (!old) continue;
    const changes = fieldChanges(old, x, fields);
    if (changes.length) changed.push({ key: x[key], from: old, to: x, changes });
  }
  return { added, removed, changed };
}

function ruleNames(a, b) {
  return [...new Set([...Object.keys(a || {}), ...Object.keys(b || {})])].sort();
}

// Whether the bands' order (best first, by code) changed.
function reordered(a = [], b = []) {
  const common = (xs, other) => xs.map((x) => x.code).filter((c) => other.some((y) => y.code === c));
  return !same(common(a, b), common(b, a));
}

/**
 * The differences from scheme version @a to version @b:
 * { from, to, scheme: [{ field, from, to }], bands: { added, removed, changed, reordered },
 *   elements: { added, removed, changed }, violations: { added, removed, changed },
 *   rules: [{ field, from, to }], same }
 * ("changed" items: { key, from, to, changes: [{ field, from, to }] }). The version numbers
 * themselves are not a difference.
 */
export function diffSchemes(a, b) {
  const bands = listChanges(a.bands, b.bands, 'code', BAND_FIELDS);
  bands.reordered = reordered(a.bands, b.bands);
  const elements = listChanges(a.elements, b.elements, 'name', ELEMENT_FIELDS);
  const violations = listChanges(a.violations, b.violations, 'code', VIOLATION_FIELDS);
  const rules = fieldChanges(a.rules, b.rules, ruleNames(a.rules, b.rules));
  const scheme = fieldChanges(a, b, SCHEME_FIELDS);
  const lists = [bands, elements, violations];
  const none = !scheme.length && !rules.length && !bands.reordered
    && lists.every((l) => !l.added.length && !l.removed.length && !l.changed.length);
  return { from: a.version ?? null, to: b.version ?? null, scheme, bands, elements, violations,
    rules, same: none };
}

// Fields whose values are words of the scheme (read through the wording catalogue), and
// fields whose values are codes from a fixed list (each named in the catalogue).
const WORDING_FIELDS = ['name', 'label', 'meaning', 'description', 'pending_label_during_appeal',
  'reopening_label', 'not_yet_graded_label'];
const CODE_FIELDS = ['kind', 'score_direction', 'category', 'severity', 'appeal_window',
  'graded_inspection_types'];

// A code of a fixed list ("deduct-from-100", "priority", "initial") in words.
export function codeName(code) {
  const key = `schemes.code.${String(code).replaceAll('-', '_')}`;
  return has(key) ? t(key) : String(code);
}

// A field of a scheme document ("min_points") in words ("min points").
export function fieldName(field) {
  const key = `schemes.field.${field}`;
  return has(key) ? t(key) : field.replaceAll('_', ' ');
}

// A value as people read it in a list of changes; @field, when given, says what it is.
export function showValue(v, field = null) {
  if (v === null || v === undefined) return t('schemes.value.none');
  if (Array.isArray(v)) return v.map((x) => showValue(x, field)).join(t('schemes.value.separator'));
  if (typeof v === 'boolean') return v ? t('schemes.value.yes') : t('schemes.value.no');
  if (field && CODE_FIELDS.includes(field)) return codeName(v);
  if (field && WORDING_FIELDS.includes(field) && typeof v === 'string') return wording(v);
  return String(v);
}

// One change in words: "min points: 4 → 6".
export function changeText(c) {
  return t('schemes.diff.change', { field: fieldName(c.field), from: showValue(c.from, c.field), to: showValue(c.to, c.field) });
}
