// portal.mjs - what the public pages share: fetching the API, building elements, grade
// badges, dates. Plain ES module; no build step.

// GET an API path; the parsed JSON, or throws an Error with the problem's detail. @cache is
// fetch's cache mode: 'no-cache' asks the server again instead of reusing a kept answer.
export async function api(path, cache = 'default') {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, cache });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.detail || `The server answered ${res.status}.`);
  return body;
}

// el('p', {class: 'x'}, 'text', child...) - an element with attributes and children.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
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

// A grade badge: the code large (a face for bands named by a word; an ellipsis for a state
// such as "Awaiting Inspection", never its first letter, which would read as a grade), the
// label for screen readers and as a tooltip.
export function gradeBadge(grade, big = false) {
  const code = grade && grade.code ? grade.code : '–';
  const label = grade ? grade.label : 'No grade';
  const [mouth, faceClass] = faces[code] || [];
  const shown = faceClass ? (mouth ? face(mouth) : '!') : code.length > 3 ? '…' : code;
  return el('span', {
    class: `badge ${faceClass || badgeClasses[code] || 'grade-other'}${big ? ' badge-big' : ''}`,
    title: label, role: 'img', 'aria-label': `Grade: ${label}`,
  }, shown);
}

export function formatDate(iso) {
  if (!iso) return 'never';
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
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

export function showError(container, err) {
  container.replaceChildren(el('p', { class: 'notice notice-bad', role: 'alert' }, err.message || String(err)));
}
