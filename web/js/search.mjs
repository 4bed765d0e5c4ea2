// search.mjs - the search page: name (typo-tolerant), address, postcode, cuisine, grade and
// "near me", with results as a list of grade badges and a "Show more" that follows the
// API's cursor. The form's fields are mirrored in the address bar, so a search can be
// shared and the back button works.
import { el, getJSON, gradeBadge, formatDate, monthsSince, STALE_MONTHS, showError } from './portal.mjs';

const form = document.getElementById('search');
const status = document.getElementById('status');
const list = document.getElementById('results');
const more = document.getElementById('more-results');
const fields = ['q', 'address', 'postcode', 'cuisine', 'grade', 'lat', 'lon', 'radius'];
let next = null;
let query = null;

function formQuery() {
  const p = new URLSearchParams();
  for (const f of fields) {
    const v = form.elements[f].value.trim();
    if (v && !(f === 'radius' && !form.elements.lat.value)) p.set(f, v);
  }
  return p;
}

function item(e) {
  const when = e.last_inspected_at;
  const stale = when && monthsSince(when) > STALE_MONTHS;
  const facts = [e.address.line, e.address.postcode, e.cuisine].filter(Boolean).join(' · ');
  return el('li', { class: 'result' },
    gradeBadge(e.grade),
    el('div', { class: 'result-body' },
      el('a', { href: `/establishment.html?id=${e.id}`, class: 'result-name' }, e.name),
      el('p', { class: 'muted' }, facts),
      el('p', { class: stale ? 'muted stale' : 'muted' },
        when ? `Last inspected ${formatDate(when)}` : 'Not inspected yet',
        e.distance_m !== null && e.distance_m !== undefined ? ` · ${Math.round(e.distance_m)} m away` : '',
        e.status !== 'active' ? ` · ${e.status}` : '')));
}

async function load(params, append) {
  status.textContent = 'Searching…';
  try {
    const page = await getJSON(`/api/v1/establishments?${params}`);
    if (!append) list.replaceChildren();
    list.append(...page.items.map(item));
    next = page.next_cursor;
    more.hidden = !next;
    const n = page.total;
    const count = page.total_is_lower_bound ? `More than ${n.toLocaleString('en')} places`
      : `${n} ${n === 1 ? 'place' : 'places'}`;
    status.textContent = n === 0 ? 'No places found. Check the spelling or try fewer filters.'
      : `${count} found${params.get('lat') ? ', nearest first' : ''}.`;
  } catch (err) {
    showError(list, err);
    status.textContent = '';
    more.hidden = true;
  }
}

function search(push) {
  query = formQuery();
  if (push) history.pushState(null, '', query.toString() ? `/?${query}` : '/');
  if (![...query.keys()].some((k) => k !== 'radius')) {
    list.replaceChildren();
    status.textContent = '';
    more.hidden = true;
    return;
  }
  load(query, false);
}

function fromAddress() {
  const p = new URLSearchParams(location.search);
  for (const f of fields) form.elements[f].value = p.get(f) || (f === 'radius' ? '1000' : '');
  if (['address', 'postcode', 'cuisine', 'grade'].some((f) => p.get(f))) document.getElementById('more').open = true;
  showNear();
  search(false);
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  search(true);
});
more.addEventListener('click', () => {
  const p = new URLSearchParams(query);
  p.set('cursor', next);
  load(p, true);
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
    status.textContent = 'This browser cannot tell where you are.';
    return;
  }
  status.textContent = 'Finding where you are…';
  navigator.geolocation.getCurrentPosition((pos) => {
    form.elements.lat.value = pos.coords.latitude.toFixed(6);
    form.elements.lon.value = pos.coords.longitude.toFixed(6);
    showNear();
    search(true);
  }, () => {
    status.textContent = 'Your location is not available; search by name or address instead.';
  }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 });
});
window.addEventListener('popstate', fromAddress);
fromAddress();
