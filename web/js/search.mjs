// search.mjs - the search page: name (typo-tolerant), address, postcode, cuisine, grade and
// "near me", with results as a list of grade badges and a "Show more" that follows the
// API's cursor (shown only when there is more; a page that could not be loaded leaves the
// results shown and says so beside the button). Each result names its grade in words (the
// band's meaning from the scheme) and where it is: the city and the authority that inspects
// it, so that places of two jurisdictions are told apart. The results can be seen on a map
// (Leaflet, served by this site from the system's copy under /vendor/; tiles from the
// address GET /api/v1/map gives) and downloaded as the open data they are (JSON). The form's fields are mirrored in the address bar, so a search can be
// shared and the back button works.
import { el, getJSON, gradeBadge, gradeMeaning, schemeDoc, formatDate, monthsSince, STALE_MONTHS, showError } from './portal.mjs';
import { i18nInit, t, withLang } from './i18n.mjs';

// The page's language first: every sentence below comes from its catalogues.
await i18nInit(['public', 'wording']);

const form = document.getElementById('search');
const status = document.getElementById('status');
const list = document.getElementById('results');
const more = document.getElementById('more-results');
const fields = ['q', 'address', 'postcode', 'cuisine', 'grade', 'inspected_since', 'lat', 'lon', 'radius'];

// "Last inspected": each option's date, that many months before today (YYYY-MM-DD); a date
// from a shared address that is none of them is added as an option of its own.
const since = document.getElementById('inspected_since');
for (const o of since.options) {
  if (!o.dataset.months) continue;
  const d = new Date();
  d.setMonth(d.getMonth() - Number(o.dataset.months));
  o.value = d.toISOString().slice(0, 10);
}
function sinceOption(value) {
  if (!value || [...since.options].some((o) => o.value === value)) return;
  since.append(el('option', { value }, t('public.search.since', { date: formatDate(value) })));
}
let next = null;
let query = null;
// The results shown, for the map.
let shown = [];

function formQuery() {
  const p = new URLSearchParams();
  for (const f of fields) {
    const v = form.elements[f].value.trim();
    if (v && !(f === 'radius' && !form.elements.lat.value)) p.set(f, v);
  }
  return p;
}

// The jurisdictions' names by code (GET /api/v1/jurisdictions), read once.
let jurisdictions = null;
function jurisdictionNames() {
  if (!jurisdictions) {
    jurisdictions = getJSON('/api/v1/jurisdictions')
      .then((d) => new Map((d.jurisdictions || []).map((j) => [j.code, j.name])))
      .catch(() => new Map());
  }
  return jurisdictions;
}

const statusWords = { suspended: () => t('public.status.suspended'), closed: () => t('public.status.closed') };

function item(e, doc, names) {
  const when = e.last_inspected_at;
  const stale = when && monthsSince(when) > STALE_MONTHS;
  const a = e.address || {};
  const facts = [a.line, a.postcode, e.cuisine].filter(Boolean).join(' · ');
  const where = [a.city, names.get(e.jurisdiction) || e.jurisdiction].filter(Boolean).join(' · ');
  return el('li', { class: 'result', 'data-jurisdiction': e.jurisdiction || '' },
    gradeBadge(e.grade, false, doc),
    el('div', { class: 'result-body' },
      el('a', { href: `/establishment.html?id=${e.id}`, class: 'result-name', translate: 'no' }, e.name),
      el('p', { class: 'grade-meaning' }, gradeMeaning(e.grade, doc)),
      e.status && e.status !== 'active'
        ? el('p', { class: 'status-flag' }, statusWords[e.status] ? statusWords[e.status]() : e.status) : null,
      facts ? el('p', { class: 'muted', translate: 'no' }, facts) : null,
      where ? el('p', { class: 'muted where', translate: 'no' }, where) : null,
      el('p', { class: stale ? 'muted stale' : 'muted' },
        when ? t('public.result.last_inspected', { date: formatDate(when) }) : t('public.result.not_inspected'),
        e.distance_m !== null && e.distance_m !== undefined
          ? ` · ${t('public.result.away', { n: Math.round(e.distance_m) })}` : '')));
}

async function load(params, append) {
  status.textContent = t('public.search.searching');
  try {
    const page = await getJSON(`/api/v1/establishments?${params}`);
    const codes = [...new Set(page.items.map((e) => e.scheme))];
    const docs = new Map(await Promise.all(codes.map(async (c) => [c, await schemeDoc(c)])));
    const names = await jurisdictionNames();
    if (!append) {
      list.replaceChildren();
      shown = [];
    }
    shown.push(...page.items);
    list.append(...page.items.map((e) => item(e, docs.get(e.scheme), names)));
    showSwitch(params);
    if (mapShown) drawMap();
    next = page.next_cursor;
    more.hidden = !next;
    const n = page.total;
    const nearest = Boolean(params.get('lat'));
    const found = page.total_is_lower_bound
      ? t(nearest ? 'public.search.found_more_near' : 'public.search.found_more', { n })
      : t(nearest ? 'public.search.found_near' : 'public.search.found', { n });
    status.textContent = n === 0 ? t('public.search.none') : found;
  } catch (err) {
    if (append) {
      // The results shown stay; the button stays for another try.
      status.textContent = t('public.search.more_failed', { message: err.message });
      return;
    }
    showError(list, err);
    status.textContent = '';
    more.hidden = true;
  }
}

// The map: Leaflet loaded the first time the map is asked for.
const mapBox = document.getElementById('map');
const viewSwitch = document.getElementById('view-switch');
const listButton = document.getElementById('view-list');
const mapButton = document.getElementById('view-map');
const download = document.getElementById('download');
let mapShown = false;
let leaflet = null;
let map = null;
let markers = null;

function showSwitch(params) {
  viewSwitch.hidden = shown.length === 0;
  const p = new URLSearchParams(params);
  p.delete('cursor');
  p.set('limit', '100');
  download.href = `/api/v1/establishments?${p}`;
}

async function drawMap() {
  if (!leaflet) {
    const css = el('link', { rel: 'stylesheet', href: '/vendor/leaflet/leaflet.css' });
    document.head.append(css);
    const [L, settings] = await Promise.all([import('/vendor/leaflet/leaflet.esm.js'), getJSON('/api/v1/map')]);
    leaflet = L;
    map = L.map(mapBox, { scrollWheelZoom: false });
    L.tileLayer(settings.tiles, { attribution: settings.attribution, maxZoom: 19 }).addTo(map);
    markers = L.layerGroup().addTo(map);
  }
  markers.clearLayers();
  const placed = shown.filter((e) => e.location && e.location.latitude !== null && e.location.longitude !== null);
  for (const e of placed) {
    const m = leaflet.circleMarker([e.location.latitude, e.location.longitude],
      { radius: 9, weight: 2, color: '#0b5394', fillColor: '#ffffff', fillOpacity: 0.9, className: 'map-marker' });
    const a = document.createElement('a');
    a.href = `/establishment.html?id=${e.id}`;
    a.textContent = e.name;
    a.setAttribute('translate', 'no');
    m.bindPopup(a);
    m.addTo(markers);
  }
  mapBox.dataset.markers = String(placed.length);
  if (placed.length) {
    map.fitBounds(leaflet.latLngBounds(placed.map((e) => [e.location.latitude, e.location.longitude])), { padding: [24, 24], maxZoom: 16 });
  } else {
    map.setView([0, 0], 1);
  }
  map.invalidateSize();
}

async function setView(asMap) {
  mapShown = asMap;
  mapBox.hidden = !asMap;
  list.hidden = asMap;
  listButton.setAttribute('aria-pressed', String(!asMap));
  mapButton.setAttribute('aria-pressed', String(asMap));
  if (!asMap) return;
  try {
    await drawMap();
  } catch (err) {
    mapBox.replaceChildren(el('p', { class: 'notice notice-bad', role: 'alert' }, t('public.search.map_failed', { message: err.message })));
  }
}
listButton.addEventListener('click', () => setView(false));
mapButton.addEventListener('click', () => setView(true));

function search(push) {
  query = formQuery();
  if (push) {
    // The address keeps the language it was opened in, so that a shared search opens in it.
    const url = query.toString() ? `/?${query}` : '/';
    history.pushState(null, '', new URLSearchParams(location.search).get('lang') !== null ? withLang(url) : url);
  }
  if (![...query.keys()].some((k) => k !== 'radius')) {
    list.replaceChildren();
    shown = [];
    viewSwitch.hidden = true;
    status.textContent = '';
    more.hidden = true;
    return;
  }
  load(query, false);
}

function fromAddress() {
  const p = new URLSearchParams(location.search);
  sinceOption(p.get('inspected_since'));
  for (const f of fields) form.elements[f].value = p.get(f) || (f === 'radius' ? '1000' : '');
  if (['address', 'postcode', 'cuisine', 'grade', 'inspected_since'].some((f) => p.get(f))) document.getElementById('more').open = true;
  showNear();
  search(false);
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  search(true);
});
more.addEventListener('click', async () => {
  if (!next || more.disabled) return;
  const p = new URLSearchParams(query);
  p.set('cursor', next);
  more.disabled = true;
  await load(p, true);
  more.disabled = false;
});
const near = document.getElementById('near');
function showNear() {
  near.setAttribute('aria-pressed', form.elements.lat.value ? 'true' : 'false');
}
near.addEventListener('click', () => {
  if (form.elements.lat.value) {
    // Pressed again: search everywhere.
    form.elements.lat.value = '';
    form.elements.lon.value = '';
    showNear();
    search(true);
    return;
  }
  if (!navigator.geolocation) {
    status.textContent = t('public.search.no_geolocation');
    return;
  }
  status.textContent = t('public.search.locating');
  navigator.geolocation.getCurrentPosition((pos) => {
    form.elements.lat.value = pos.coords.latitude.toFixed(6);
    form.elements.lon.value = pos.coords.longitude.toFixed(6);
    showNear();
    search(true);
  }, () => {
    status.textContent = t('public.search.no_location');
  }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 });
});
window.addEventListener('popstate', fromAddress);
fromAddress();
