// methodology.mjs - a scoring scheme's method, generated from the published document the
// grading engine itself uses (GET /api/v1/schemes/{code}/versions/{n}): which version is in
// force and from when, the earlier versions (each readable: ?scheme=CODE&version=N), each
// band in words with a rating scale, the element scores, the rules in plain words and the
// whole violation catalogue with its points.
import { el, getJSON, param, showError } from './portal.mjs';
import { schemeBody } from './schemeview.mjs';
import { formatDay, i18nInit, t, tParts, wording } from './i18n.mjs';

const out = document.getElementById('scheme');
const tabs = document.getElementById('schemes');

// From when version @v applies, in words ("from 1 July 2026", "from the beginning").
function fromText(v) {
  return v.applies_from ? t('methodology.from.date', { date: formatDay(v.applies_from) }) : t('methodology.from.beginning');
}

// The list of versions of @code, @shown being the one on the page.
function versionsList(code, versions, shown) {
  return el('section', { id: 'versions', 'aria-labelledby': 'versions-title' },
    el('h3', { id: 'versions-title' }, t('methodology.versions.title')),
    el('ol', { reversed: true }, [...versions].reverse().map((v) => {
      const earlier = v.version < (versions.find((x) => x.in_force)?.version ?? 0);
      const when = v.in_force ? 'in_force' : earlier ? 'earlier' : 'to_come';
      const words = t('methodology.versions.item', { v: v.version, when, from: fromText(v) });
      return el('li', {}, v.version === shown ? el('strong', { 'aria-current': 'page' }, words)
        : el('a', { href: `?scheme=${encodeURIComponent(code)}&version=${v.version}` }, words));
    })));
}

function render(s, versions) {
  const name = wording(s.name, null, s);
  document.title = t('methodology.doc_title', { name });
  const v = versions.find((x) => x.version === s.version) || {};
  const current = versions.find((x) => x.in_force);
  const status = v.in_force
    ? el('p', { class: 'notice', id: 'in-force' }, t('methodology.status.in_force', { v: s.version, from: fromText(v) }))
    : el('p', { class: 'notice notice-warn', id: 'in-force' },
      current ? t('methodology.status.other', { v: s.version, from: fromText(v), current: current.version })
        : t('methodology.status.other_none', { v: s.version, from: fromText(v) }),
      current ? [' ', el('a', { href: `?scheme=${encodeURIComponent(s.code)}` }, t('methodology.status.read_in_force'))] : '');
  out.replaceChildren(
    el('h2', {}, name),
    el('p', { class: 'muted' }, t('methodology.scheme_meta', { jurisdiction: wording(s.jurisdiction, null, s), v: s.version })),
    status,
    ...schemeBody(s),
    versionsList(s.code, versions, s.version));
}

async function main() {
  await i18nInit(['methodology', 'wording']);
  const mono = (x) => el('code', { translate: 'no' }, x);
  document.getElementById('recompute-text').replaceChildren(...tParts('methodology.recompute.text', {
    feed: el('a', { href: '/api/v1/opendata/inspections.ndjson', download: true }, t('methodology.recompute.feed')),
    schemes: el('a', { href: '/api/v1/schemes' }, t('methodology.recompute.schemes')),
    path: mono('/api/v1/schemes/CODE/versions/N'),
    as_published: mono('as_published'),
  }));
  try {
    const list = await getJSON('/api/v1/schemes');
    const code = param('scheme') || list.schemes[0].code;
    tabs.replaceChildren(...list.schemes.map((s) => el('li', {},
      el('a', { href: `?scheme=${encodeURIComponent(s.code)}`, 'aria-current': s.code === code ? 'page' : null }, wording(s.name, null, s)))));
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
