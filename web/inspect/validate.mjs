// validate.mjs - the server's checks of an inspection document, on the tablet, so that an
// inspection the server would refuse is caught at the field before it is finished, and no
// report or appeal code is handed over for it.
//
// The same rules, in the same order, as the server's decoder and checks:
//   src/api/inspection_doc.c   inspection_doc_read()  (shapes and sizes)
//   src/api/tablet_doc.c       tablet_read_doc()      (checklist marks, readings)
//   src/records/inspections.c  inspection_doc_check() (against the scheme's catalogue)
//   src/records/tablet.c       tablet_check_doc()     (checklist against the citations)
// and, at submission, the grading engine (grade.mjs, as grade_problem() names its errors).
// Each problem names the field as the server's problem+json does ("/violations/0/points"),
// so the tablet shows it where the server would point. tests/vectors/inspection_docs.json
// holds bad documents with the field each is refused at; tests/browser/tablet.test.mjs
// sends each to the server and to check() and fails on any disagreement. A change to one
// side's rules must be made to the other.
//
// The details are sentences of the "inspect" catalogue (inspect.validate.*), in the page's
// language; outside a page (node, the tests) the key stands in for the sentence.
import { compute, MAX_VIOLATIONS } from './grade.mjs';
import { has, t, wording } from '../js/i18n.mjs';

export const NOTES_MAX = 20000;
export const OBSERVED_MAX = 4000;
export const SIGNATURE_MAX = 200000;
export const SIGNED_NAME_MAX = 200;
export const READINGS_MAX = 100;
export const READING_TEXT_MAX = 200;
const TYPES = ['initial', 'reinspection', 'complaint', 'pre-permit', 'reopening'];
const MARKS = ['in', 'out', 'not_observed', 'not_applicable'];
const utf8 = new TextEncoder();

function say(key, args = {}) {
  return has(key) ? t(key, args) : key;
}

// The scheme's name and an element's name, as the page's language words them.
const nameOf = (scheme) => wording(scheme.name, null, scheme);

function bytes(s) {
  return utf8.encode(s).length;
}

// json_timestamp_valid() of src/json/json.c.
export function timestampValid(s) {
  if (typeof s !== 'string' || s.length < 16 || s.length > 40) return false;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[0-9:.+\-Z]*$/.test(s)) return false;
  const month = Number(s.slice(5, 7)), day = Number(s.slice(8, 10));
  const hour = Number(s.slice(11, 13)), min = Number(s.slice(14, 16));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && min < 60;
}

// calendar_day() of src/api/inspection_doc.c: YYYY-MM-DD, a day of the calendar.
export function calendarDay(s) {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const year = Number(s.slice(0, 4)), month = Number(s.slice(5, 7)), day = Number(s.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function catalogue(scheme) {
  return new Map(scheme.violations.map((v) => [v.code, v]));
}

function elementOf(scheme, def) {
  if (!def.element) return null;
  return (scheme.elements || []).find((e) => e.name === def.element) || null;
}

// A string field as json_field_string() takes it: { field, detail } or null.
function str(obj, base, key, required, max) {
  const v = obj[key];
  const field = `${base}/${key}`;
  if (v === undefined || v === null) return required ? { field, detail: say('inspect.validate.required', { key }) } : null;
  if (typeof v !== 'string') return { field, detail: say('inspect.validate.string', { key }) };
  if (bytes(v) > max) return { field, detail: say('inspect.validate.too_long', { key, max }) };
  return null;
}

// The document's shape, as the decoders check it; the first problem found, or null.
function decode(doc) {
  let p;
  if ((p = str(doc, '', 'type', true, 32))) return p;
  if (!TYPES.includes(doc.type))
    return { field: '/type', detail: say('inspect.validate.type') };
  if ((p = str(doc, '', 'notes', false, NOTES_MAX))) return p;
  if (doc.started_at && !timestampValid(doc.started_at))
    return { field: '/started_at', detail: say('inspect.validate.timestamp', { example: '2026-05-01T09:30:00Z' }) };
  if (doc.ended_at && !timestampValid(doc.ended_at))
    return { field: '/ended_at', detail: say('inspect.validate.timestamp', { example: '2026-05-01T11:00:00Z' }) };
  const sig = doc.operator_signature;
  if (sig) {
    if ((p = str(sig, '/operator_signature', 'name', true, SIGNED_NAME_MAX))) return p;
    if ((p = str(sig, '/operator_signature', 'image', true, SIGNATURE_MAX))) return p;
    if (!sig.image.startsWith('data:image/'))
      return { field: '/operator_signature/image', detail: say('inspect.validate.signature_image') };
  }
  const viol = doc.violations || [];
  if (viol.length > MAX_VIOLATIONS)
    return { field: '/violations', detail: say('inspect.validate.too_many', { key: 'violations', max: MAX_VIOLATIONS }) };
  for (let i = 0; i < viol.length; i++) {
    const base = `/violations/${i}`, v = viol[i];
    if ((p = str(v, base, 'code', true, 16))) return p;
    if (v.points !== undefined && v.points !== null &&
        (!Number.isInteger(v.points) || v.points < 0 || v.points > 1000))
      return { field: `${base}/points`, detail: say('inspect.validate.points') };
    if ((p = str(v, base, 'observed', false, OBSERVED_MAX))) return p;
    if ((p = str(v, base, 'correct_by', false, 10))) return p;
    if (v.correct_by && !calendarDay(v.correct_by))
      return { field: `${base}/correct_by`, detail: say('inspect.validate.correct_by_day', { example: '2026-06-01' }) };
    if (v.correct_by && v.corrected_on_site)
      return { field: `${base}/correct_by`, detail: say('inspect.validate.correct_by_corrected') };
  }
  for (const [code, mark] of Object.entries(doc.checklist || {}))
    if (!MARKS.includes(mark))
      return { field: `/checklist/${code.slice(0, 40)}`, detail: say('inspect.validate.mark') };
  const readings = doc.readings || [];
  if (readings.length > READINGS_MAX)
    return { field: '/readings', detail: say('inspect.validate.too_many', { key: 'readings', max: READINGS_MAX }) };
  for (let i = 0; i < readings.length; i++) {
    const base = `/readings/${i}`, r = readings[i];
    if ((p = str(r, base, 'item', true, READING_TEXT_MAX))) return p;
    if ((p = str(r, base, 'location', false, READING_TEXT_MAX))) return p;
    if (typeof r.value !== 'number' || !Number.isFinite(r.value) || r.value < -100 || r.value > 1000)
      return { field: `${base}/value`, detail: say('inspect.validate.reading_number') };
    if ((p = str(r, base, 'unit', true, 1))) return p;
    if ((p = str(r, base, 'taken_at', false, 40))) return p;
    if ((p = str(r, base, 'code', false, 16))) return p;
    if (!r.item) return { field: `${base}/item`, detail: say('inspect.validate.reading_item') };
    const celsius = r.unit === 'C';
    if (!celsius && r.unit !== 'F') return { field: `${base}/unit`, detail: say('inspect.validate.reading_unit') };
    const [lo, hi] = celsius ? [-50, 300] : [-58, 572];
    if (r.value < lo || r.value > hi)
      return { field: `${base}/value`, detail: say('inspect.validate.reading_range', { unit: r.unit, lo, hi }) };
    if (r.taken_at && !timestampValid(r.taken_at))
      return { field: `${base}/taken_at`, detail: say('inspect.validate.timestamp', { example: '2026-05-01T09:30:00Z' }) };
  }
  return null;
}

// The document against the scheme, as inspection_doc_check() and tablet_check_doc().
function against(scheme, doc) {
  const cat = catalogue(scheme);
  const viol = doc.violations || [];
  for (let i = 0; i < viol.length; i++) {
    const v = viol[i], def = cat.get(v.code);
    if (!def)
      return { field: `/violations/${i}/code`, detail: say('inspect.validate.not_in_violations', { code: v.code, scheme: nameOf(scheme) }) };
    const points = v.points ?? def.default_points;
    if (points < def.min_points || points > def.max_points)
      return { field: `/violations/${i}/points`, detail: say('inspect.validate.points_range', { code: def.code, min: def.min_points, max: def.max_points, points }) };
    const e = elementOf(scheme, def);
    if (e && !e.allowed_scores.includes(points))
      return { field: `/violations/${i}/points`, detail: say('inspect.validate.element_scores', { code: def.code, element: wording(e.name, null, scheme), allowed: e.allowed_scores.join(', '), points }) };
  }
  const readings = doc.readings || [];
  for (let i = 0; i < readings.length; i++)
    if (readings[i].code && !cat.has(readings[i].code))
      return { field: `/readings/${i}/code`, detail: say('inspect.validate.not_in_catalogue', { code: readings[i].code, scheme: nameOf(scheme) }) };
  const checklist = doc.checklist || {};
  const cited = new Set(viol.map((v) => v.code));
  for (const [code, mark] of Object.entries(checklist)) {
    const field = `/checklist/${code.slice(0, 40)}`;
    if (!cat.has(code)) return { field, detail: say('inspect.validate.not_in_catalogue', { code, scheme: nameOf(scheme) }) };
    if (mark === 'out' && !cited.has(code))
      return { field, detail: say('inspect.validate.out_not_cited', { code }) };
  }
  for (let i = 0; i < viol.length; i++) {
    const m = checklist[viol[i].code];
    if (m && m !== 'out')
      return { field: `/violations/${i}/code`, detail: say('inspect.validate.cited_not_out', { code: viol[i].code, mark: m }) };
  }
  return null;
}

// Whether the submission grades, as grade_problem() of src/records/inspections.c names it.
function grades(scheme, doc, daysSincePrevious) {
  const r = compute(scheme, {
    type: doc.type, closed: !!doc.closed_establishment, daysSincePrevious, elements: null,
    violations: (doc.violations || []).map((v) => ({ code: v.code, points: v.points ?? 0, dismissed: false })),
  });
  if (!r.error) return null;
  if (r.field === 'days_since_previous') {
    if (r.error === 'ERANGE')
      return { field: '/started_at', detail: say('inspect.validate.too_soon', { scheme: nameOf(scheme), n: Math.max(scheme.rules.min_days_before_reinspection || 0, scheme.rules.rerating_standstill_days || 0) }) };
    return { field: '/type', detail: say('inspect.validate.no_earlier') };
  }
  if (r.index >= 0) return { field: `/violations/${r.index}/points`, detail: say('inspect.validate.violation_ungradable', { scheme: nameOf(scheme) }) };
  return { field: r.field || null, detail: say('inspect.validate.ungradable', { scheme: nameOf(scheme) }) };
}

/*
 * The first problem the server would refuse document @doc (as sync.mjs documentOf() makes
 * it) with under @scheme, or null. With @opts.submit, also whether it grades, given
 * @opts.daysSincePrevious (null when unknown: the server then knows better, and the
 * tablet does not guess). Returns { field, detail }.
 */
export function check(scheme, doc, opts = {}) {
  const p = decode(doc) || against(scheme, doc);
  if (p || !opts.submit) return p;
  if (doc.type === 'reinspection' && (opts.daysSincePrevious === null || opts.daysSincePrevious === undefined))
    return null;
  return grades(scheme, doc, opts.daysSincePrevious ?? null);
}
