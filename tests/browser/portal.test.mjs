// The public portal in Chromium at phone and tablet sizes: a misspelt name finds the place,
// its page shows the grade and why, the printable card's QR code (decoded from the rendered
// image) leads back to the page, which says the card is current; "near me" with a granted
// location; the methodology page; the weight of a public page; and the OpenAPI document,
// checked by an independent validator, with real responses checked against its schemas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { root, createDatabase, startServer, launchBrowser, newPage, screenshot, checkA11y, qrAddress } from './lib.mjs';

let server, browser, db, target;

// A name with one letter dropped from its longest word: "Golden Bistro" -> "Goldn Bistro".
function misspell(name) {
  const words = name.split(' ');
  let i = 0;
  words.forEach((w, j) => { if (w.length > words[i].length) i = j; });
  const w = words[i];
  words[i] = w.slice(0, 3) + w.slice(4);
  return words.join(' ');
}

before(async () => {
  db = createDatabase('portal', { demo: 200 });
  // A graded establishment whose name has a word of six letters or more.
  const row = db.sql(`SELECT e.id || '|' || e.name || '|' || e.latitude || '|' || e.longitude
    FROM establishment e JOIN posted_grade g ON g.establishment_id = e.id
    WHERE g.state = 'graded' AND e.name ~ '[A-Za-z]{6,}' AND e.name !~ '''' ORDER BY e.id LIMIT 1`);
  const [id, name, lat, lon] = row.split('|');
  target = { id: Number(id), name, lat: Number(lat), lon: Number(lon) };
  server = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const size of ['phone', 'tablet']) {
  test(`search with a typo, the record, the card and its QR code at ${size} size`, async () => {
    const page = await newPage(browser, size);
    await page.goto(server.url + '/');
    const typed = misspell(target.name);
    assert.notEqual(typed, target.name);
    await page.getByLabel('Name').fill(typed);
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.locator('.results a.result-name', { hasText: target.name }).first();
    await link.waitFor();
    assert.match(await page.locator('#status').textContent(), /found/);
    assert.ok(await page.locator('.results .badge').first().isVisible());
    assert.ok(new URL(page.url()).searchParams.get('q') === typed, 'the search is in the address');
    await screenshot(page, `portal-search-${size}`);

    // The record: the grade, why, and the history.
    await page.locator(`.results a[href="/establishment.html?id=${target.id}"]`).first().click();
    await page.locator('h1', { hasText: target.name }).waitFor();
    const badge = page.locator('.grade-now .badge');
    assert.ok(await badge.isVisible());
    const expl = page.locator('#explanation');
    await expl.waitFor();
    assert.match(await expl.textContent(), /Score: \d+/);
    assert.ok((await expl.locator('p').first().textContent()).length > 10, 'the rule in words');
    assert.match(await page.locator('#last-inspected').textContent(), /inspected/i);
    assert.ok(await page.locator('.history .inspection').count() >= 1);
    await screenshot(page, `portal-establishment-${size}`);

    // The card: grade, code and a QR code that decodes to this page with the card's code.
    await page.locator('#card-link').click();
    await page.locator('.card h1').waitFor();
    const code = (await page.locator('#card-code').textContent()).trim();
    assert.match(code, /^[A-Z0-9]{6,}$/);
    const url = await qrAddress(page);
    assert.equal(url.pathname, '/establishment.html');
    assert.equal(url.searchParams.get('id'), String(target.id));
    assert.equal(url.searchParams.get('card'), code);
    await screenshot(page, `portal-card-${size}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#print').isVisible(), false, 'no buttons on paper');
    await screenshot(page, `portal-card-print-${size}`);
    await page.emulateMedia({ media: 'screen' });

    // Following the QR code: the page says the card is current.
    await page.goto(server.url + url.pathname + url.search);
    const check = page.locator('#card-check');
    await check.waitFor();
    assert.match(await check.textContent(), /is current/);
    await screenshot(page, `portal-card-check-${size}`);
    assert.deepEqual(page.placardErrors, []);
    await page.context().close();
  });
}

test('a superseded card says so', async () => {
  // The card of an inspection the posted grade no longer rests on.
  const old = db.sql(`SELECT i.public_code || '|' || i.establishment_id FROM inspection i
    JOIN posted_grade g ON g.establishment_id = i.establishment_id
    WHERE g.inspection_id IS NOT NULL AND i.id <> g.inspection_id AND i.status = 'submitted'
    ORDER BY i.id LIMIT 1`);
  const [code, est] = old.split('|');
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/establishment.html?id=${est}&card=${code}`);
  const check = page.locator('#card-check');
  await check.waitFor();
  assert.match(await check.textContent(), /superseded/);
  await screenshot(page, 'portal-card-superseded-phone');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('near me lists the closest places first, with distances', async () => {
  const page = await newPage(browser, 'phone');
  await page.context().grantPermissions(['geolocation'], { origin: server.url });
  await page.context().setGeolocation({ latitude: target.lat, longitude: target.lon });
  await page.goto(server.url + '/');
  await page.getByRole('button', { name: 'Near me' }).click();
  const first = page.locator('.results li').first();
  await first.waitFor();
  assert.match(await first.textContent(), /\d+ m away/);
  assert.match(await page.locator('#status').textContent(), /nearest first/);
  assert.equal(await page.getByRole('button', { name: 'Near me' }).getAttribute('aria-pressed'), 'true');
  const distances = (await page.locator('.results li').allTextContents())
    .map((t) => Number((t.match(/(\d+) m away/) || [])[1]));
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
  assert.ok(distances.every((d) => d <= 1000));
  await screenshot(page, 'portal-near-me-phone');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('the whole inspection history, older inspections a page at a time', async () => {
  const [id, total] = db.sql(`SELECT establishment_id || '|' || count(*) FROM inspection
    WHERE status = 'submitted' GROUP BY establishment_id HAVING count(*) > 5
    ORDER BY count(*) DESC, establishment_id LIMIT 1`).split('|').map(Number);
  assert.ok(id > 0, 'the demo city has an establishment inspected more than five times');
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/establishment.html?id=${id}`);
  const items = page.locator('#history > li');
  await items.first().waitFor();
  assert.equal(await items.count(), 5);
  await page.getByRole('button', { name: 'Show older inspections' }).click();
  await page.locator('#older-status', { hasText: 'shown' }).waitFor();
  assert.equal(await items.count(), total);
  // Every one once, newest first, as the database orders them.
  const shown = await items.evaluateAll((li) => li.map((x) => x.dataset.id).join(','));
  assert.equal(shown, db.sql(`SELECT string_agg(id::text, ',' ORDER BY started_at DESC, id DESC)
    FROM inspection WHERE establishment_id = ${id} AND status = 'submitted'`));
  assert.equal(await page.locator('#older').count(), 0);
  await screenshot(page, 'portal-history-phone');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('the methodology page is built from the scheme', async () => {
  const page = await newPage(browser, 'tablet');
  await page.goto(server.url + '/methodology.html?scheme=nyc');
  const bands = page.locator('#bands');
  await bands.waitFor();
  const text = await bands.textContent();
  assert.match(text, /0–13/);
  assert.match(text, /28 or more/);
  assert.ok(await page.locator('.catalogue').count() >= 2);
  await screenshot(page, 'portal-methodology-tablet');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('grade badges: faces for the bands named by a word, never the first letter of a state', async () => {
  const page = await newPage(browser, 'phone');
  await page.goto(server.url + '/methodology.html?scheme=cn-faces');
  const badges = page.locator('#bands .badge');
  await badges.first().waitFor();
  assert.equal(await badges.count(), 4);
  // Good, Average, Poor: a face each, smiling, straight, frowning; "Requires action": "!".
  assert.equal(await page.locator('#bands .badge svg.face').count(), 3);
  const mouths = await page.locator('#bands .badge svg.face path').evaluateAll(
    (paths) => paths.map((p) => p.getAttribute('d')));
  assert.equal(new Set(mouths).size, 3);
  assert.equal((await badges.nth(3).textContent()).trim(), '!');
  assert.equal(await badges.first().getAttribute('aria-label'), 'Grade: Good');
  await screenshot(page, 'portal-faces-phone');
  const shown = await page.evaluate(async () => {
    const { gradeBadge } = await import('/js/portal.mjs');
    return ['AwaitingInspection', 'AwaitingPublication', 'A', 'Z', '5', 'good', 'adequate']
      .map((code) => {
        const b = gradeBadge({ code, label: code });
        return [b.textContent, b.className, !!b.querySelector('svg')];
      });
  });
  assert.deepEqual(shown, [
    ['…', 'badge grade-other', false], ['…', 'badge grade-other', false],
    ['A', 'badge grade-a', false], ['Z', 'badge grade-other', false],
    ['5', 'badge grade-a', false], ['', 'badge grade-good', true],
    ['', 'badge grade-average', true],
  ]);
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('a public page weighs under 100 KB before images', async () => {
  for (const path of ['/', `/establishment.html?id=${target.id}`]) {
    const page = await newPage(browser, 'phone');
    await page.setExtraHTTPHeaders({ 'Cache-Control': 'no-cache' });
    await page.goto(server.url + path, { waitUntil: 'networkidle' });
    await checkA11y(page, path);
    const sizes = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource')
        .filter((r) => /\.(css|m?js)(\?|$)/.test(new URL(r.name).pathname));
      return {
        transfer: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
        decoded: nav.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0),
        files: res.length + 1,
      };
    });
    assert.ok(sizes.files >= 3, `HTML, CSS and scripts counted (${sizes.files})`);
    assert.ok(sizes.transfer > 0 && sizes.transfer < 100 * 1024, `transfer ${sizes.transfer} B`);
    assert.ok(sizes.decoded < 100 * 1024, `uncompressed ${sizes.decoded} B`);
    // gzip is at work: what travels is smaller than what it decodes to.
    assert.ok(sizes.transfer < sizes.decoded, `transfer ${sizes.transfer} < decoded ${sizes.decoded}`);
    await page.context().close();
  }
});

test('the OpenAPI document is valid and real responses match its schemas', async () => {
  const res = await fetch(server.url + '/api/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const doc = await res.json();
  assert.deepEqual(doc, JSON.parse(readFileSync(join(root, 'web', 'openapi.json'), 'utf8')));
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.ok(result.valid, JSON.stringify(result.errors, null, 1));
  assert.equal(validator.version, '3.1');
  // The validator can fail: a document without its info.version is refused.
  assert.equal((await new Validator().validate({ ...doc, info: { title: 'x' } })).valid, false);

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  const check = async (path, schema, status = 200) => {
    const r = await fetch(server.url + path);
    assert.equal(r.status, status, path);
    const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`);
    const body = await r.json();
    assert.ok(validate(body), `${path} against ${schema}: ${ajv.errorsText(validate.errors)}`);
    return body;
  };
  const page = await check('/api/v1/establishments?limit=5', 'SearchPage');
  await check(`/api/v1/establishments?limit=5&cursor=${page.next_cursor}`, 'SearchPage');
  await check(`/api/v1/establishments?lat=${target.lat}&lon=${target.lon}&radius=2000`, 'SearchPage');
  const est = await check(`/api/v1/establishments/${target.id}`, 'Establishment');
  const older = await check(`/api/v1/establishments/${target.id}/inspections?limit=1`, 'InspectionHistoryPage');
  if (older.next_before)
    await check(`/api/v1/establishments/${target.id}/inspections?limit=1&before=${older.next_before}`, 'InspectionHistoryPage');
  await check(`/api/v1/establishments/${target.id}/inspections?before=0`, 'Problem', 400);
  const insp = await check(`/api/v1/inspections/${est.grade.inspection_id}`, 'Inspection');
  await check(`/api/v1/cards/${insp.public_code}`, 'Card');
  const summary = ajv.getSchema('openapi.json#/components/schemas/SchemeSummary');
  for (const s of (await (await fetch(server.url + '/api/v1/schemes')).json()).schemes)
    assert.ok(summary(s), ajv.errorsText(summary.errors));
  for (const code of ['nyc', 'fhrs', 'cn-faces', 'sf100']) await check(`/api/v1/schemes/${code}`, 'Scheme');
  await check('/api/v1/jurisdictions', 'Jurisdictions');
  await check('/api/v1/log?limit=3', 'LogPage');
  await check('/api/v1/log/head', 'LogHead');
  await check('/api/v1/establishments?limit=1000', 'Problem', 400);
  await check('/api/v1/establishments/99999999', 'Problem', 404);
  // That the document lists every route of the server, and no other, is tests/unit/test_openapi.c.
});
