// The public's journey on a phone, and what the demo city shows: "Show more" only when there
// is more, and a failed page never replaces the results; no "null" on any public page; an
// HTML page for an unknown address (problem+json for the API); a grade always with its band's
// meaning (results, record, card); a suspended or closed establishment says so, with the date
// and the reason's category; the history marks superseded revisions and explains "no grade";
// results say which city and authority a place belongs to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDatabase, startServer, launchBrowser, newPage, screenshot, checkA11y, signIn } from './lib.mjs';

let server, browser, db;

before(async () => {
  db = createDatabase('public', { demo: 120 });
  server = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The words of a page with no "null", "undefined" or "NaN" in them.
async function assertNoNull(page, what) {
  const text = await page.evaluate(() => document.body.innerText);
  const bad = text.match(/.{0,40}\b(null|undefined|NaN)\b.{0,40}/);
  assert.equal(bad, null, `${what} shows ${bad && bad[0]}`);
}

test('Show more appears only when there is more, and a failed page keeps the results', async () => {
  const page = await newPage(browser, 'phone');
  // One place: nothing more to show.
  const one = db.sql(`SELECT name FROM establishment WHERE name !~ '''' ORDER BY id LIMIT 1`);
  await page.goto(`${server.url}/?q=${encodeURIComponent(one)}`);
  await page.locator('.results li').first().waitFor();
  const n = await page.locator('.results li').count();
  const total = await page.locator('#status').textContent();
  if (/^\d+ place/.test(total) && Number(total.match(/^\d+/)[0]) === n)
    assert.equal(await page.locator('#more-results').isVisible(), false, 'no "Show more" when all are shown');
  await checkA11y(page, 'search, one page');

  // Many places: "Show more" shows, and appends.
  await page.goto(`${server.url}/?grade=A`);
  await page.locator('.results li').first().waitFor();
  const first = await page.locator('.results li').count();
  assert.ok(await page.locator('#more-results').isVisible(), '"Show more" when there is more');
  // The next page fails (the server is unreachable for it): the results stay.
  await page.route('**/api/v1/establishments?*cursor=*', (route) => route.fulfill({
    status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ status: 503, title: 'Service Unavailable', detail: 'The server is busy.' }),
  }));
  await page.locator('#more-results').click();
  await page.locator('#status', { hasText: 'could not be loaded' }).waitFor();
  assert.equal(await page.locator('.results li').count(), first, 'the results are still there');
  assert.equal(await page.locator('.results [role=alert]').count(), 0);
  assert.ok(await page.locator('#more-results').isVisible(), 'the button stays for another try');
  await page.unroute('**/api/v1/establishments?*cursor=*');
  await page.locator('#more-results').click();
  await page.waitForFunction((k) => document.querySelectorAll('.results li').length > k, first);
  await screenshot(page, 'public-show-more-phone');
  assert.deepEqual(page.placardErrors.filter((e) => !/503/.test(e)), []);
  await page.context().close();
});

test('an unknown page is an HTML page; an unknown API path is a problem', async () => {
  const page = await newPage(browser, 'phone');
  const res = await page.goto(`${server.url}/no-such-page.html`);
  assert.equal(res.status(), 404);
  assert.match(res.headers()['content-type'], /^text\/html/);
  assert.match(await page.locator('h1').textContent(), /not found/i);
  assert.ok(await page.locator('a[href="/"]').first().isVisible());
  await screenshot(page, 'public-404-phone');
  const folder = await page.request.get(`${server.url}/no/such/folder/`);
  assert.equal(folder.status(), 404);
  assert.match(folder.headers()['content-type'], /^text\/html/);
  const api = await page.request.get(`${server.url}/api/v1/no-such-thing`);
  assert.equal(api.status(), 404);
  assert.equal(api.headers()['content-type'], 'application/problem+json');
  await page.context().close();
});

test('a grade is never a bare code: results, record and card name the band', async () => {
  const id = db.sql(`SELECT e.id FROM establishment e JOIN posted_grade g ON g.establishment_id = e.id
    JOIN jurisdiction j ON j.id = e.jurisdiction_id
    WHERE j.scheme_code = 'fhrs' AND g.state = 'graded' AND g.grade_code IS NOT NULL ORDER BY e.id LIMIT 1`);
  const scheme = await (await fetch(`${server.url}/api/v1/schemes/fhrs`)).json();
  const est = await (await fetch(`${server.url}/api/v1/establishments/${id}`)).json();
  const band = scheme.bands.find((b) => b.code === est.grade.code);
  const words = `${band.label}: ${band.meaning.charAt(0).toLowerCase()}${band.meaning.slice(1)}`;
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/?q=${encodeURIComponent(est.name)}`);
  const item = page.locator('.results li', { has: page.locator(`a[href="/establishment.html?id=${id}"]`) });
  await item.waitFor();
  assert.equal((await item.locator('.grade-meaning').textContent()).trim(), words);
  await assertNoNull(page, 'the results');
  await page.goto(`${server.url}/establishment.html?id=${id}`);
  await page.locator('#grade-h').waitFor();
  assert.equal((await page.locator('#grade-h').textContent()).trim(), words);
  await assertNoNull(page, 'the record');
  await checkA11y(page, 'the record');
  await page.goto(`${server.url}/card.html?id=${id}`);
  await page.locator('#card-label').waitFor();
  assert.equal((await page.locator('#card-label').textContent()).trim(), words);
  await assertNoNull(page, 'the card');
  await screenshot(page, 'public-card-meaning-phone');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('results tell the jurisdictions apart', async () => {
  // A cuisine found in most jurisdictions.
  const cuisine = db.sql(`SELECT cuisine FROM establishment GROUP BY cuisine
    ORDER BY count(DISTINCT jurisdiction_id) DESC, count(*) DESC LIMIT 1`);
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/?cuisine=${encodeURIComponent(cuisine)}`);
  await page.locator('.results li').first().waitFor();
  const names = JSON.parse(db.sql(`SELECT json_object_agg(code, name) FROM jurisdiction`));
  const items = await page.locator('.results li').evaluateAll((lis) => lis.map((li) => ({
    j: li.dataset.jurisdiction, where: li.querySelector('.where')?.textContent || '' })));
  assert.ok(new Set(items.map((i) => i.j)).size >= 2, 'places of two jurisdictions');
  for (const i of items) assert.ok(i.where.includes(names[i.j]), `"${i.where}" names ${names[i.j]}`);
  await assertNoNull(page, 'the results');
  await screenshot(page, 'public-results-jurisdictions-phone');
  await page.context().close();
});

test('a suspended and a closed establishment say so, with the date and the reason', async () => {
  const [a, b] = db.sql(`SELECT id FROM establishment ORDER BY id DESC LIMIT 2`).split('\n');
  const page = await newPage(browser, 'phone');
  const csrf = await signIn(page, server.url, 'clerk');
  const act = async (id, body) => {
    const res = await page.request.post(`${server.url}/api/v1/establishments/${id}/licence-actions`,
      { data: body, headers: { 'X-CSRF-Token': csrf } });
    assert.equal(res.status(), 201, await res.text());
  };
  await act(a, { action: 'suspended', effective_on: '2026-03-02', reason: 'Mice seen in the store room', reason_category: 'pests' });
  await act(b, { action: 'revoked', effective_on: '2026-02-10', reason: 'Repeated failures' });
  const bad = await page.request.post(`${server.url}/api/v1/establishments/${b}/licence-actions`,
    { data: { action: 'issued', reason_category: 'pests' }, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(bad.status(), 422);
  assert.equal((await bad.json()).field, '/reason_category');

  await page.goto(`${server.url}/establishment.html?id=${a}`);
  const notice = page.locator('#status-notice');
  await notice.waitFor();
  const text = await notice.textContent();
  assert.match(text, /Licence suspended/);
  assert.match(text, /2 March 2026|March 2, 2026/);
  assert.match(text, /pests/);
  assert.doesNotMatch(text, /Mice/, 'the free-text reason stays internal');
  const box = await notice.boundingBox();
  assert.ok(box.y < 200, 'the notice is at the top');
  await assertNoNull(page, 'a suspended record');
  await screenshot(page, 'public-suspended-phone');
  await page.goto(`${server.url}/establishment.html?id=${b}`);
  await notice.waitFor();
  assert.match(await notice.textContent(), /Closed/);
  assert.match(await notice.textContent(), /Reason: not given/);
  await screenshot(page, 'public-closed-phone');
  // In the results too.
  const name = db.sql(`SELECT name FROM establishment WHERE id = ${a}`);
  await page.goto(`${server.url}/?q=${encodeURIComponent(name)}`);
  const item = page.locator('.results li', { has: page.locator(`a[href="/establishment.html?id=${a}"]`) });
  await item.waitFor();
  assert.match(await item.locator('.status-flag').textContent(), /suspended/i);
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('the history marks superseded revisions and explains "no grade"', async () => {
  // An NYC establishment's latest inspection, amended by the supervisor.
  const [est, insp] = db.sql(`SELECT e.id || '|' || g.inspection_id FROM establishment e
    JOIN posted_grade g ON g.establishment_id = e.id JOIN jurisdiction j ON j.id = e.jurisdiction_id
    WHERE j.scheme_code = 'nyc' AND g.inspection_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM appeal a WHERE a.establishment_id = e.id)
    ORDER BY e.id LIMIT 1`).split('|');
  const page = await newPage(browser, 'phone');
  const csrf = await signIn(page, server.url, 'supervisor');
  const res = await page.request.post(`${server.url}/api/v1/inspections/${insp}/amendments`, {
    data: { type: 'initial', violations: [{ code: '04L', points: 12 }, { code: '08A', points: 4 }],
      reason: 'A violation was missed from the record' },
    headers: { 'X-CSRF-Token': csrf },
  });
  assert.equal(res.status(), 201, await res.text());
  const revision = await res.json();
  assert.ok(!revision.grade.code, 'an initial inspection outside the A band gives no grade');
  await page.goto(`${server.url}/establishment.html?id=${est}`);
  const old = page.locator(`.history .inspection[data-id="${insp}"]`);
  await old.waitFor();
  assert.match(await old.locator('summary').textContent(), /Superseded/);
  await old.locator('summary').click();
  assert.match(await old.textContent(), /corrected by a later revision/);
  await assertNoNull(page, 'the history');
  await screenshot(page, 'public-history-superseded-phone');

  // The correction, an initial inspection outside the A band, gave no grade: it says why.
  const item = page.locator(`.history .inspection[data-id="${revision.id}"]`);
  await item.waitFor();
  assert.match(await item.locator('summary').textContent(), /no grade/);
  await item.locator('summary').click();
  assert.match(await item.locator('.no-grade-note').textContent(), /No grade: \w+/);
  await assertNoNull(page, 'the history');
  await screenshot(page, 'public-history-no-grade-phone');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('the demo city is in the log entry by entry', async () => {
  // Every demo establishment and every demo inspection, named as demo data, then the load.
  const count = (kind) => Number(db.sql(`SELECT (SELECT count(*) FROM event_log WHERE kind = '${kind}')
    + (SELECT count(*) FROM event_pending WHERE kind = '${kind}')`));
  const submitted = Number(db.sql(`SELECT count(*) FROM inspection WHERE revision = 1`));
  assert.equal(count('demo.inspection'), submitted);
  assert.ok(submitted > 100);
  assert.equal(count('demo.establishment'), 120);
  assert.equal(count('demo.loaded'), 1);
  const page = await newPage(browser, 'phone');
  const first = await page.request.get(`${server.url}/api/v1/log?after=0&limit=3`);
  const { entries } = await first.json();
  assert.equal(entries[0].kind, 'demo.establishment');
  await page.goto(`${server.url}/log.html`);
  await page.locator('#recent li.log-entry').first().waitFor();
  assert.ok((await page.locator('#recent li.log-entry h3').allTextContents()).includes('Demo inspection recorded'));
  await screenshot(page, 'public-log-demo-phone');
  await page.context().close();
});

test('no public page shows "null"', async () => {
  const page = await newPage(browser, 'phone');
  const ids = db.sql(`SELECT id FROM establishment ORDER BY random() LIMIT 12`).split('\n');
  for (const id of ids) {
    await page.goto(`${server.url}/establishment.html?id=${id}`);
    await page.locator('main[aria-busy="false"]').waitFor();
    await page.locator('.history details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    await assertNoNull(page, `establishment ${id}`);
  }
  await checkA11y(page, 'an establishment, its history open');
  // A licence renewed without a reason: its entry records no reason (JSON null).
  const id = ids[0];
  const csrf = await signIn(page, server.url, 'clerk');
  const res = await page.request.post(`${server.url}/api/v1/establishments/${id}/licence-actions`,
    { data: { action: 'renewed' }, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(res.status(), 201, await res.text());
  await page.goto(`${server.url}/log.html`);
  const entry = page.locator('#recent li.log-entry', { hasText: 'licence' }).first();
  await entry.waitFor();
  await page.locator('#recent details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  assert.match(await entry.locator('.log-fields').textContent(), /reason\s*none/);
  await assertNoNull(page, 'the public record, every entry open');
  await screenshot(page, 'public-log-phone');
  await page.context().close();
});

test('the results on a map, from this site, with the open data a tap away', async () => {
  const cuisine = db.sql(`SELECT cuisine FROM establishment WHERE latitude IS NOT NULL
    GROUP BY cuisine ORDER BY count(*) DESC LIMIT 1`);
  const page = await newPage(browser, 'phone');
  // No network: the tiles are refused; everything else must come from this server.
  const elsewhere = [];
  await page.route((url) => !url.href.startsWith(server.url), (route) => {
    elsewhere.push(route.request().url());
    return route.abort();
  });
  const res = await page.goto(`${server.url}/?cuisine=${encodeURIComponent(cuisine)}`);
  const csp = res.headers()['content-security-policy'];
  assert.match(csp, /img-src 'self' data: blob: https:\/\/tile\.openstreetmap\.org;/);
  await page.locator('.results li').first().waitFor();
  await page.getByRole('button', { name: 'Map' }).click();
  await page.locator('#map .map-marker').first().waitFor();
  const shown = await page.locator('.results li').count();
  const api = await (await page.request.get(`${server.url}/api/v1/establishments?cuisine=${encodeURIComponent(cuisine)}`)).json();
  const placed = api.items.slice(0, shown).filter((e) => e.location).length;
  assert.ok(placed > 0);
  assert.equal(await page.locator('#map .map-marker').count(), placed, 'a marker for each place shown');
  assert.equal(await page.getByRole('button', { name: 'Map' }).getAttribute('aria-pressed'), 'true');
  assert.ok(await page.locator('#results').isHidden());
  assert.match(await page.locator('#map .leaflet-control-attribution').textContent(), /OpenStreetMap/);
  assert.ok(elsewhere.every((u) => u.startsWith('https://tile.openstreetmap.org/')), `only tiles elsewhere: ${elsewhere.slice(0, 3)}`);
  await screenshot(page, 'public-map-phone');
  // A marker opens the place's name, a link to its record.
  await page.locator('#map .map-marker').first().click({ force: true });
  assert.match(await page.locator('.leaflet-popup-content a').getAttribute('href'), /^\/establishment\.html\?id=\d+$/);

  // The open data: a visible link to the same search in the API.
  const link = page.locator('#download');
  assert.ok(await link.isVisible());
  const data = await page.request.get(new URL(await link.getAttribute('href'), server.url).href);
  assert.equal(data.status(), 200);
  const body = await data.json();
  assert.ok(body.items.length >= shown && body.items.every((e) => e.cuisine === cuisine));

  // Leaflet is this site's (the system's copy), with its images.
  for (const path of ['/vendor/leaflet/leaflet.esm.js', '/vendor/leaflet/leaflet.css', '/vendor/leaflet/images/layers.png']) {
    const r = await page.request.get(server.url + path);
    assert.equal(r.status(), 200, path);
  }
  const missing = await page.request.get(`${server.url}/vendor/leaflet/../../../etc/passwd`);
  assert.equal(missing.status(), 404);
  // Back to the list.
  await page.getByRole('button', { name: 'List' }).click();
  assert.ok(await page.locator('#results').isVisible());
  assert.deepEqual(page.placardErrors.filter((e) => !/ERR_FAILED|net::/.test(e)), []);
  await page.context().close();
});

test('a search for a cuisine or a kind of place finds them, near me too', async () => {
  // Places whose cuisine is Pizza, most without "pizza" in their names.
  const pizza = db.sql(`SELECT id FROM establishment WHERE lower(cuisine) = 'pizza' ORDER BY id`).split('\n').map(Number);
  assert.ok(pizza.length >= 2, 'demo pizza places');
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/?q=pizza`);
  await page.locator('.results li').first().waitFor();
  const ids = await page.locator('.results a.result-name').evaluateAll((as) => as.map((a) => Number(new URL(a.href).searchParams.get('id'))));
  for (const id of pizza.slice(0, 10)) assert.ok(ids.includes(id), `pizza place ${id} found`);
  // A kind of place, in capitals.
  const bakeries = Number(db.sql(`SELECT count(*) FROM establishment WHERE lower(establishment_type) = 'bakery' OR lower(cuisine) = 'bakery'`));
  const kind = await (await page.request.get(`${server.url}/api/v1/establishments?q=BAKERY&limit=100`)).json();
  assert.ok(kind.total >= bakeries && bakeries > 0, `${kind.total} of ${bakeries} bakeries`);
  // Near me: the pizza places within reach of the first one.
  const [lat, lon] = db.sql(`SELECT latitude || '|' || longitude FROM establishment WHERE id = ${pizza[0]}`).split('|').map(Number);
  await page.context().grantPermissions(['geolocation'], { origin: server.url });
  await page.context().setGeolocation({ latitude: lat, longitude: lon });
  await page.getByRole('button', { name: 'Near me' }).click();
  await page.locator('#status', { hasText: 'nearest first' }).waitFor();
  const near = await page.locator('.results a.result-name').evaluateAll((as) => as.map((a) => Number(new URL(a.href).searchParams.get('id'))));
  assert.equal(near[0], pizza[0], 'the nearest pizza place first');
  await screenshot(page, 'public-pizza-near-me-phone');
  // A word that names nothing is still refused as before, not matched with everything.
  const none = await page.request.get(`${server.url}/api/v1/establishments?q=zzzzqqq`);
  assert.equal((await none.json()).total ?? 0, 0);
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('the results filtered by when places were last inspected, on the map too', async () => {
  // A day that splits the demo city: places inspected since, and places not.
  const day = db.sql(`SELECT (percentile_disc(0.5) WITHIN GROUP (ORDER BY last))::date FROM
    (SELECT max(started_at) AS last FROM inspection WHERE status = 'submitted' GROUP BY establishment_id) x`);
  const recent = Number(db.sql(`SELECT count(DISTINCT establishment_id) FROM inspection
    WHERE status = 'submitted' AND started_at >= '${day}'::date`));
  const all = Number(db.sql('SELECT count(*) FROM establishment'));
  assert.ok(recent > 0 && recent < all);
  const page = await newPage(browser, 'phone');
  await page.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
  await page.goto(`${server.url}/?inspected_since=${day}`);
  await page.locator('.results li').first().waitFor();
  assert.match(await page.locator('#status').textContent(), new RegExp(`^${recent} places found`));
  assert.equal(await page.locator('#inspected_since').inputValue(), day, 'the filter shows the date');
  assert.ok(await page.locator('#more').evaluate((d) => d.open));
  await page.getByRole('button', { name: 'Map' }).click();
  await page.locator('#map .map-marker').first().waitFor();
  assert.equal(await page.locator('#map .map-marker').count(), await page.locator('.results li').count());
  await screenshot(page, 'public-map-since-phone');
  const bad = await page.request.get(`${server.url}/api/v1/establishments?inspected_since=2026-13-01`);
  assert.equal(bad.status(), 400);
  assert.equal((await bad.json()).field, 'inspected_since');
  await page.context().close();
});
