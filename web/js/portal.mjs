// portal.mjs - what every page shares, the staff pages and the tablet app included: el(),
// which builds elements, and request(), which talks to the API (JSON in, JSON or a problem,
// application/problem+json, out); then what the public pages share: grade badges, dates, the
// page's parameters and showing an error. Plain ES module; no build step. Requests ask for
// the page's language (Accept-Language), so the server's sentences come in it (i18n.mjs).
import { acceptLanguage, formatDay, formatMessage, has, t, wording } from './i18n.mjs';

// @key from the page's catalogues, or @english when the page has not loaded them (these
// helpers serve every page, the staff pages and the tablet app included).
function say(key, args, english) {
  return has(key) ? t(key, args) : formatMessage(english, args).join('');
}

// el('p', { class: 'x' }, 'text', child...) - an element with attributes and children.
// An attribute that is false, null or undefined is left out, and true is set empty (so
// { disabled: locked } works); a function under an on... name (onclick, oninput) is added as
// that event's listener. Children may be nodes, strings, numbers or arrays of them; null,
// undefined and false are skipped (so cond ? el(...) : null works).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

// A refused request: the problem's detail as the message, its status, and the problem itself
// (field, errors...) or {} when the answer had none.
export class HttpError extends Error {
  constructor(status, problem) {
    super(problem?.detail || say('common.error.status', { status }, 'The server answered {status}.'));
    this.status = status;
    this.problem = problem || {};
  }
}

// Send a request to @path and resolve to { status, ok, data, etag }, data the parsed JSON
// answer (a problem for a refusal) or null. A network failure (no signal) rejects with
// fetch's TypeError. @options:
//   body     sent as JSON; a string is sent as it is (JSON made earlier and kept, so that a
//            retry sends the same bytes)
//   headers  more request headers (Idempotency-Key, If-Match)
//   csrf     the staff session's token: sent as X-CSRF-Token with every request but a GET
//   cache    fetch's cache mode: 'no-cache' asks the server again instead of reusing a kept
//            answer (public answers may be kept a minute); 'no-store' keeps nothing
//   strict   true: a status other than 2xx rejects with an HttpError instead of resolving
export async function request(method, path, options = {}) {
  const { body, headers = {}, csrf = null, cache, strict = false } = options;
  const h = { Accept: 'application/json', 'Accept-Language': acceptLanguage(), ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (csrf && method !== 'GET') h['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method, headers: h, credentials: 'same-origin', cache,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON: no data */ }
  if (strict && !res.ok) throw new HttpError(res.status, data);
  return { status: res.status, ok: res.ok, data, etag: res.headers.get('ETag') };
}

// GET @path for a page that shows either the answer or what went wrong: the parsed JSON, or
// rejects with an HttpError. @cache as for request().
export async function getJSON(path, cache = 'default') {
  return (await request('GET', path, { cache, strict: true })).data ?? {};
}

const badgeClasses = { A: 'grade-a', B: 'grade-b', C: 'grade-c', 5: 'grade-a', 4: 'grade-a',
  3: 'grade-b', 2: 'grade-c', 1: 'grade-c', 0: 'grade-c' };

// Bands named by a word (the Chinese faces, 100-point schemes): a face drawn in SVG, its mouth
// a smile, a straight line or a frown, on the band's colour; "action" is an exclamation mark.
const faces = {
  good: ['smile', 'grade-good'], average: ['straight', 'grade-average'],
  adequate: ['straight', 'grade-average'], 'needs-improvement': ['frown', 'grade-poor'],
  poor: ['frown', 'grade-poor'], action: [null, 'grade-poor'],
};
const mouths = { smile: 'M8 14.5q4 4 8 0', straight: 'M8 15.5h8', frown: 'M8 17q4-4 8 0' };

function face(mouth) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'face');
  svg.setAttribute('aria-hidden', 'true');
  const parts = [['circle', { cx: 12, cy: 12, r: 10 }], ['circle', { cx: 8.5, cy: 9.5, r: 1.3, class: 'eye' }],
    ['circle', { cx: 15.5, cy: 9.5, r: 1.3, class: 'eye' }], ['path', { d: mouths[mouth] }]];
  for (const [tag, attrs] of parts) {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    svg.append(e);
  }
  return svg;
}

// The band of @grade in scheme document @doc, or null.
function bandOf(grade, doc) {
  return grade && doc && Array.isArray(doc.bands) ? doc.bands.find((b) => b.code === grade.code) || null : null;
}

// A grade's label in the page's language: the scheme's wording (its band's local label when
// the scheme is written in this language), else the label as given.
export function gradeLabel(grade, doc = null) {
  if (!grade) return say('common.no_grade', {}, 'No grade');
  const label = grade.label || grade.code;
  const band = bandOf(grade, doc);
  return band && band.label === label ? wording(label, band.local_label, doc) : wording(label);
}

// A grade badge: the code large (a face for bands named by a word; an ellipsis for a state
// such as "Awaiting Inspection", never its first letter, which would read as a grade), the
// label for screen readers and as a tooltip (in the page's language; @doc the scheme
// document, when there is one, for its local wording).
export function gradeBadge(grade, big = false, doc = null) {
  const code = grade && grade.code ? grade.code : '–';
  const label = grade ? gradeLabel(grade, doc) : say('common.no_grade', {}, 'No grade');
  const [mouth, faceClass] = faces[code] || [];
  const shown = faceClass ? (mouth ? face(mouth) : '!') : code.length > 3 ? '…' : code;
  return el('span', {
    class: `badge ${faceClass || badgeClasses[code] || 'grade-other'}${big ? ' badge-big' : ''}`,
    title: label, role: 'img', 'aria-label': say('common.grade_aria', { label }, 'Grade: {label}'),
  }, shown);
}

// A day in the page's language, or "never".
export function formatDate(iso) {
  return iso ? formatDay(iso) : t('common.never');
}

// Whole months between @iso and now.
export function monthsSince(iso, now = new Date()) {
  const d = new Date(iso);
  return (now.getFullYear() - d.getFullYear()) * 12 + (now.getMonth() - d.getMonth()) -
    (now.getDate() < d.getDate() ? 1 : 0);
}

// The months after which the last inspection is called long ago.
export const STALE_MONTHS = 18;

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

// Show what went wrong in @container: the error's message (a problem's detail comes in the
// page's language), or that there is no connection when the request never reached the server.
export function showError(container, err) {
  const offline = err instanceof TypeError && /fetch|network|load/i.test(err.message);
  const message = offline ? say('common.error.network', {}, 'No connection: check the network and try again.') : err.message || String(err);
  container.replaceChildren(el('p', { class: 'notice notice-bad', role: 'alert' }, message));
}

// The scheme documents (GET /api/v1/schemes/{code}), fetched once a page; null when one
// could not be read (a grade is then shown by its label alone).
const schemeDocs = new Map();
export function schemeDoc(code) {
  if (!code) return Promise.resolve(null);
  if (!schemeDocs.has(code)) {
    schemeDocs.set(code, getJSON(`/api/v1/schemes/${encodeURIComponent(code)}`).catch(() => null));
  }
  return schemeDocs.get(code);
}

// A grade in words, never a bare code: its label and what its band means in the scheme
// ("2: improvement necessary", "A: 0-13 points"), or the label alone when the scheme gives no
// meaning (a pending state); "No grade" when there is none. In the page's language: the
// label and the meaning through the scheme's wording.
export function gradeMeaning(grade, doc) {
  if (!grade || !(grade.code || grade.label)) return say('common.no_grade', {}, 'No grade');
  const label = gradeLabel(grade, doc);
  const band = bandOf(grade, doc);
  const english = band && band.meaning ? band.meaning.trim() : '';
  if (!english || english.toLowerCase() === (grade.label || grade.code).toLowerCase()) return label;
  const meaning = wording(english, band.local_meaning, doc);
  return say('public.grade.meaning', { label, meaning: `${meaning.charAt(0).toLowerCase()}${meaning.slice(1)}` },
    '{label}: {meaning}');
}

// An address as it is written where it is: one written in Chinese from the largest place to
// the smallest with nothing between (上海南京东路100号), any other as "line, city, postcode".
// @parts chooses and orders the members ('line', 'city', 'postcode').
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
export function formatAddress(a, parts = ['line', 'city', 'postcode']) {
  if (!a) return '';
  const wanted = (k) => parts.includes(k) && a[k];
  if (CJK.test(`${a.line || ''}${a.city || ''}`)) {
    const place = `${wanted('city') ? a.city : ''}${wanted('line') ? a.line : ''}`;
    return wanted('postcode') ? `${place} ${a.postcode}`.trim() : place;
  }
  return parts.map((k) => a[k]).filter(Boolean).join(', ');
}
