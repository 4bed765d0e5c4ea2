// methodology.mjs - a scoring scheme's method, generated from the published document the
// grading engine itself uses (GET /api/v1/schemes/{code}/versions/{n}): which version is in
// force and from when, the earlier versions (each readable: ?scheme=CODE&version=N), each
// band in words with a rating scale, the element scores, the rules in plain words and the
// whole violation catalogue with its points.
import { el, getJSON, param, showError } from './portal.mjs';
import { schemeBody } from './schemeview.mjs';

const out = document.getElementById('scheme');
const tabs = document.getElementById('schemes');

// A calendar date (YYYY-MM-DD) in words, read as a local day.
function day(d) {
  const t = new Date(`${d}T00:00:00`);
  return Number.isNaN(t.getTime()) ? d
    : t.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}

function fromText(v) {
  return v.applies_from ? `from ${day(v.applies_from)}` : 'from the beginning';
}

// The list of versions of @code, @shown being the one on the page.
function versionsList(code, versions, shown) {
  return el('section', { id: 'versions', 'aria-labelledby': 'versions-title' },
    el('h3', { id: 'versions-title' }, 'Versions'),
    el('ol', { reversed: true }, [...versions].reverse().map((v) => {
      const earlier = v.version < (versions.find((x) => x.in_force)?.version ?? 0);
      const words = v.in_force ? `Version ${v.version}, in force ${fromText(v)}`
        : earlier ? `Version ${v.version}, applied ${fromText(v)} (earlier)`
          : `Version ${v.version}, applies ${fromText(v)} (to come)`;
      return el('li', {}, v.version === shown ? el('strong', { 'aria-current': 'page' }, words)
        : el('a', { href: `?scheme=${encodeURIComponent(code)}&version=${v.version}` }, words));
    })));
}

function render(s, versions) {
  document.title = `${s.name}: how grades are worked out · Placard`;
  const v = versions.find((x) => x.version === s.version) || {};
  const current = versions.find((x) => x.in_force);
  const status = v.in_force
    ? el('p', { class: 'notice', id: 'in-force' }, `Version ${s.version} is in force, ${fromText(v)}.`)
    : el('p', { class: 'notice notice-warn', id: 'in-force' },
      `This is version ${s.version}, which applies to visits ${fromText(v)}`,
      current ? `; version ${current.version} is in force now. ` : '. ',
      current ? el('a', { href: `?scheme=${encodeURIComponent(s.code)}` }, 'Read the version in force') : '');
  out.replaceChildren(
    el('h2', {}, s.name),
    el('p', { class: 'muted' }, `${s.jurisdiction} · version ${s.version}`),
    status,
    ...schemeBody(s),
    versionsList(s.code, versions, s.version));
}

async function main() {
  try {
    const list = await getJSON('/api/v1/schemes');
    const code = param('scheme') || list.schemes[0].code;
    tabs.replaceChildren(...list.schemes.map((s) => el('li', {},
      el('a', { href: `?scheme=${encodeURIComponent(s.code)}`, 'aria-current': s.code === code ? 'page' : null }, s.name))));
    const { versions } = await getJSON(`/api/v1/schemes/${encodeURIComponent(code)}/versions`);
    const asked = Number.parseInt(param('version') || '', 10);
    const n = versions.some((v) => v.version === asked) ? asked
      : (versions.find((v) => v.in_force) || versions[versions.length - 1]).version;
    render(await getJSON(`/api/v1/schemes/${encodeURIComponent(code)}/versions/${n}`), versions);
  } catch (err) {
    showError(out, err);
  }
  document.getElementById('page').setAttribute('aria-busy', 'false');
}

main();
