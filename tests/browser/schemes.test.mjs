// Scoring schemes as documents, in Chromium: an administrator publishes a made-up city's
// scheme (Gotham: four medals, 30 codes) on the schemes page (a refused document shows the
// field it names), publishes a later version and compares the two, and moves a jurisdiction
// to the scheme from today. On the tablet, with no signal, an inspection there is recorded
// with the live grade worked out from the document; when the signal returns it is stored
// with the same grade, explanation and wording. Another is recorded with a signal. The
// methodology page shows the version in force, its rating scale and each band in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  createDatabase, startServer, launchBrowser, viewports, screenshot, DEMO_PASSWORD,
  waitFor,
} from './lib.mjs';

let db, server, browser;
let estOffline, estOnline;

// Gotham's scheme: 100 minus points; Gold from @goldMin, Silver 80 to one below, Bronze
// 60-79 (or 60-78 with @gap), No medal 0-59; G01-G10 6 points, G11-G20 4, G21-G30 2.
function gotham({ goldMin = 95, gap = false, g05 = 'Gotham rule 5 was broken.' } = {}) {
  const violations = [];
  for (let i = 1; i <= 30; i++) {
    const pts = i <= 10 ? 6 : i <= 20 ? 4 : 2;
    violations.push({ code: `G${String(i).padStart(2, '0')}`,
      description: i === 5 ? g05 : `Gotham rule ${i} was broken.`,
      category: i <= 10 ? 'priority' : i <= 20 ? 'priority-foundation' : 'core', severity: 'none',
      default_points: pts, min_points: pts, max_points: pts * 2 });
  }
  return JSON.stringify({
    format: 1, code: 'gotham', name: 'Gotham medals', jurisdiction: 'Gotham City', kind: 'deduct-from-100',
    bands: [
      { label: 'Gold', code: 'gold', meaning: 'a gold medal', min: goldMin, max: 100 },
      { label: 'Silver', code: 'silver', meaning: 'a silver medal', min: 80, max: goldMin - 1 },
      { label: 'Bronze', code: 'bronze', meaning: 'a bronze medal', min: 60, max: gap ? 78 : 79 },
      { label: 'No medal', code: 'none', meaning: 'a visit within a month', min: 0, max: 59 },
    ],
    violations,
    rules: { graded_inspection_types: ['initial', 'reinspection', 'complaint'], appeal_window: 'within_days',
      appeal_window_days: 14, not_yet_graded_label: 'Not yet judged', not_yet_graded_code: 'N' },
  }, null, 2);
}

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

before(async () => {
  db = createDatabase('schemes', { demo: 10 });
  // Gotham City starts on the NYC scheme; the administrator moves it to Gotham's.
  db.sql(`INSERT INTO jurisdiction (code, name, scheme_code) VALUES ('gotham-city', 'Gotham City', 'nyc')`);
  const add = (licence, name) => Number(db.sql(
    `INSERT INTO establishment (jurisdiction_id, licence_number, name, address_line, city, risk_category)
     SELECT id, '${licence}', '${name}', '1 Wayne Street', 'Gotham', 'A' FROM jurisdiction
     WHERE code = 'gotham-city' RETURNING id`).split('\n')[0]);
  estOffline = add('GC-1', 'Offline Oyster Bar');
  estOnline = add('GC-2', 'Online Noodle House');
  for (const e of [estOffline, estOnline])
    db.sql(`INSERT INTO inspector_assignment (establishment_id, inspector_id, assigned_by)
            SELECT ${e}, u.id, s.id FROM staff_user u, staff_user s
            WHERE u.username = 'inspector' AND s.username = 'supervisor'`);
  server = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function tabletPage() {
  const context = await browser.newContext({ ...viewports.tablet });
  const page = await context.newPage();
  page.placardErrors = [];
  page.on('pageerror', (e) => page.placardErrors.push(String(e)));
  return { context, page };
}

test('an administrator publishes Gotham, compares versions and moves a jurisdiction to it', async () => {
  const { context, page } = await tabletPage();
  await page.goto(`${server.url}/schemes/`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#scheme-list').waitFor();
  assert.match(await page.locator('#scheme-list').textContent(), /nyc/);

  // Nothing chosen or pasted: said as such, not as a JSON parser's message.
  await page.getByRole('button', { name: 'Publish' }).click();
  assert.equal(await page.locator('#publish-json-error').textContent(), 'Choose a scheme document (a JSON file) or paste one.');

  // A gap between Silver and Bronze: refused, at the field the server names.
  await page.locator('#publish-json').fill(gotham({ gap: true }));
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.locator('#publish-json-error .pointer').waitFor();
  assert.equal(await page.locator('#publish-json-error .pointer').textContent(), '/bands/2/max');
  assert.equal(await page.locator('#publish-json').getAttribute('aria-invalid'), 'true');
  assert.equal(db.sql(`SELECT count(*) FROM scheme_version WHERE scheme_code = 'gotham'`), '0');
  await screenshot(page, 'schemes-refused-tablet');

  // Version 1, from the beginning.
  await page.locator('#publish-json').fill(gotham());
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.locator('#published').waitFor();
  assert.match(await page.locator('#version-h').textContent(), /Gotham medals, version 1/);
  assert.match(await page.locator('#bands').textContent(), /Silver/);
  assert.equal(await page.locator('.catalogue tbody tr').count(), 30);
  // The same document again publishes nothing, and the page does not claim otherwise.
  await page.getByRole('link', { name: 'All schemes' }).click();
  await page.locator('#publish-json').fill(gotham());
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.locator('#published').waitFor();
  assert.equal(await page.locator('#published').textContent(), 'Nothing published: version 1 of gotham already holds this document.');

  // Version 2, from a month ahead: Gold from 94, G05 reworded. Compared with version 1.
  await page.getByRole('link', { name: 'All schemes' }).click();
  // From a file this time.
  await page.locator('#publish-file').setInputFiles({ name: 'gotham-2.json', mimeType: 'application/json',
    buffer: Buffer.from(gotham({ goldMin: 94, g05: 'Hands were not washed.' })) });
  await waitFor(async () => (await page.locator('#publish-json').inputValue()).includes('Hands were not washed.'), 'the file read');
  await page.locator('#publish-from').fill(isoDay(30));
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.locator('#published').waitFor();
  await page.getByRole('link', { name: 'Compare with version 1' }).click();
  await page.locator('#diff-bands').waitFor();
  const bands = await page.locator('#diff-bands').textContent();
  assert.match(bands, /gold: min: 95 → 94/);
  assert.match(bands, /silver: max: 94 → 93/);
  assert.match(await page.locator('#diff-codes').textContent(), /G05: description: Gotham rule 5 was broken\. → Hands were not washed\./);
  assert.match(await page.locator('#diff-rules').textContent(), /No change/);
  await screenshot(page, 'schemes-compare-tablet');

  // Any two versions, from the list: the other way round.
  await page.getByRole('link', { name: 'All schemes' }).click();
  const cmp = page.locator('form.compare[data-scheme="gotham"]');
  await cmp.locator('#cmp-gotham-a').selectOption('2');
  await cmp.locator('#cmp-gotham-b').selectOption('1');
  await cmp.getByRole('button', { name: 'Compare' }).click();
  await page.locator('#compare-h', { hasText: 'version 2 and version 1 compared' }).waitFor();
  assert.match(await page.locator('#diff-bands').textContent(), /gold: min: 94 → 95/);

  // Gotham City moves to Gotham's scheme from today.
  await page.getByRole('link', { name: 'All schemes' }).click();
  await page.locator('#assign-jurisdiction').selectOption('gotham-city');
  await page.locator('#assign-scheme').selectOption('gotham');
  // No day chosen: asked for in words, at the date.
  await page.getByRole('button', { name: 'Move' }).click();
  assert.equal(await page.locator('#assign-from-error').textContent(), 'Choose the first day of the visits graded under this scheme.');
  assert.equal(await page.locator('#assign-from').getAttribute('aria-invalid'), 'true');
  await page.locator('#assign-from').fill(isoDay(0));
  await page.getByRole('button', { name: 'Move' }).click();
  await page.locator('#assign-status', { hasText: 'moves to gotham' }).waitFor();
  await page.locator('#assign-history', { hasText: 'In force today: gotham' }).waitFor();
  // A move never reaches back before the latest one: refused, at the date.
  await page.locator('#assign-from').fill('2000-01-01');
  await page.getByRole('button', { name: 'Move' }).click();
  await waitFor(async () => (await page.locator('#assign-from').getAttribute('aria-invalid')) === 'true', 'the date refused');
  assert.match(await page.locator('#assign-from-error').textContent(), /already moves to a scheme on/);
  assert.equal(db.sql('SELECT count(*) FROM jurisdiction_scheme'), '1');
  assert.equal(db.sql(`SELECT count(*) FROM event_log WHERE kind = 'jurisdiction.scheme_assigned'`), '1');
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});

async function signInTablet(page) {
  await page.goto(`${server.url}/inspect/`);
  await page.getByLabel('Username').fill('inspector');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
}

async function mark(page, code, value) {
  await page.locator(`fieldset[data-code="${code}"] label.mark`, { hasText: new RegExp(`^${value}$`) }).click();
}

// Mark every item In but @out, and sign.
async function fillAndSign(page, out) {
  const codes = await page.locator('fieldset.item').evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.equal(codes.length, 30);
  assert.deepEqual(codes.slice(0, 2), ['G01', 'G02']);
  for (const code of codes) await mark(page, code, out.includes(code) ? 'Out' : 'In');
  await page.getByLabel('Name of the person signing').fill('Oswald Operator');
  await page.getByLabel('Name of the person signing').blur();
  await page.locator('canvas.signature').scrollIntoViewIfNeeded();
  const box = await page.locator('canvas.signature').boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + 20 + i * 30, box.y + box.height / 2 + (i % 2 ? 20 : -20));
  await page.mouse.up();
}

async function finish(page) {
  await page.getByRole('button', { name: 'Finish and send' }).click();
  await page.getByRole('heading', { name: 'Inspection report' }).waitFor({ timeout: 5000 }).catch(async () => {
    await screenshot(page, 'schemes-not-finished');
    assert.fail(`not finished: ${(await page.locator('main, body').first().textContent()).slice(0, 2000)}`);
  });
}

async function api(path) {
  const res = await fetch(`${server.url}${path}`);
  assert.equal(res.status, 200, path);
  return res.json();
}

test('on the tablet, offline then online, the grade comes from Gotham\'s document', async () => {
  const { context, page } = await tabletPage();
  await signInTablet(page);
  await page.locator('li.due', { hasText: 'Offline Oyster Bar' }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
  // The tablet keeps the version in force today, and not the one to come.
  const kept = await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('placard-inspect');
    req.onsuccess = () => {
      const all = req.result.transaction('cache').objectStore('cache').getAllKeys();
      all.onsuccess = () => resolve(all.result.map(String));
    };
  }));
  assert.ok(kept.includes('scheme:gotham:1'), kept.join(' '));
  assert.ok(kept.includes('versions:gotham'), kept.join(' '));
  assert.ok(!kept.includes('scheme:gotham:2'), kept.join(' '));

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
  await page.locator('li.due', { hasText: 'Offline Oyster Bar' }).getByRole('button', { name: 'Start inspection' }).click();
  await page.getByRole('heading', { name: 'Offline Oyster Bar' }).waitFor();
  // G05 (6 points): 94, Silver in version 1 (Gold from 95).
  await fillAndSign(page, ['G05']);
  await waitFor(async () => (await page.locator('.preview').getAttribute('data-score')) === '94', 'preview 94');
  assert.equal(await page.locator('.preview').getAttribute('data-grade'), 'silver');
  assert.match(await page.locator('.preview').textContent(), /Grade Silver/);
  assert.match(await page.locator('.preview').textContent(), /band 80-94: Silver, a silver medal/);
  await finish(page);
  assert.match(await page.locator('.report-grade').textContent(), /Score 94 · Grade Silver/);
  assert.match(await page.locator('article.report').textContent(), /G05 Gotham rule 5 was broken\./);
  await screenshot(page, 'schemes-tablet-report-offline');
  await page.getByRole('button', { name: 'Done' }).click();
  assert.equal(db.sql(`SELECT count(*) FROM inspection WHERE establishment_id = ${estOffline}`), '0');

  await context.setOffline(false);
  await page.locator('li.local', { hasText: 'Offline Oyster Bar' }).getByText('Submitted').waitFor({ timeout: 30000 });
  assert.equal(db.sql(`SELECT scheme_code || ' ' || scheme_version || ' ' || score || ' ' || grade_code
                       FROM inspection WHERE establishment_id = ${estOffline}`), 'gotham 1 94 silver');
  const id = db.sql(`SELECT id FROM inspection WHERE establishment_id = ${estOffline}`);
  const seen = await api(`/api/v1/inspections/${id}`);
  assert.equal(seen.explanation.scheme.code, 'gotham');
  assert.equal(seen.explanation.scheme.version, 1);
  assert.equal(seen.explanation.rule, 'Initial inspection scored 94 (100 minus 6 points), band 80-94: Silver, a silver medal.');
  assert.equal(seen.violations[0].description, 'Gotham rule 5 was broken.');

  // With a signal: G01 and G11 (6 + 4): 90, Silver.
  await page.locator('li.due', { hasText: 'Online Noodle House' }).getByRole('button', { name: 'Start inspection' }).click();
  await page.getByRole('heading', { name: 'Online Noodle House' }).waitFor();
  await fillAndSign(page, ['G01', 'G11']);
  await waitFor(async () => (await page.locator('.preview').getAttribute('data-score')) === '90', 'preview 90');
  await finish(page);
  // The report stays when the inspection reaches the record, and says so.
  await page.locator('#report-state', { hasText: 'Sent to the record.' }).waitFor({ timeout: 30000 });
  assert.match(await page.locator('.report-grade').textContent(), /Score 90 · Grade Silver/);
  assert.match(await page.locator('#appeal-code').textContent(), /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.locator('li.local', { hasText: 'Online Noodle House' }).getByText('Submitted').waitFor({ timeout: 30000 });
  assert.equal(db.sql(`SELECT scheme_code || ' ' || scheme_version || ' ' || score || ' ' || grade_code
                       FROM inspection WHERE establishment_id = ${estOnline}`), 'gotham 1 90 silver');
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});

test('the establishment and the methodology page are built from the document', async () => {
  const { context, page } = await tabletPage();
  await page.goto(`${server.url}/establishment.html?id=${estOffline}`);
  await page.locator('#explanation').getByText('Gotham rule 5 was broken.').waitFor();
  await page.goto(`${server.url}/methodology.html?scheme=gotham`);
  await page.locator('#in-force').waitFor();
  assert.match(await page.locator('#in-force').textContent(), /Version 1 is in force, from the beginning/);
  const scale = page.locator('svg.rating-scale[role="img"]');
  assert.match(await scale.locator('title').textContent(), /Rating scale of Gotham medals/);
  assert.match(await scale.locator('desc').textContent(), /Silver: 80 to 94 points, a silver medal/);
  const words = await page.locator('.band-words li').allTextContents();
  assert.equal(words.length, 4);
  assert.match(words[0], /^Gold: a score of 95 to 100 out of 100 .*the best of 4 grades\. It means a gold medal\.$/);
  assert.match(words[3], /^No medal: .*the lowest of 4 grades/);
  assert.match(await page.locator('#versions').textContent(), /Version 2, applies from .* \(to come\)/);
  await screenshot(page, 'schemes-methodology-tablet');
  // The version to come is readable.
  await page.locator('#versions a', { hasText: 'Version 2' }).click();
  await page.locator('#in-force', { hasText: 'This is version 2' }).waitFor();
  assert.match(await page.locator('.band-words li').first().textContent(), /94 to 100/);
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});
