// The clerks' licence registry (/registry/) in Chromium at phone and tablet sizes: a clerk
// signs in, registers an establishment (and sees a duplicate licence number refused at its
// field), finds it by licence number, edits it (a bad latitude refused at its field),
// records the licence as issued and then suspends it (refused without a reason, at the
// reason), and sees the history newest first; replaces the lost appeal code of a demo
// inspection (the old code stops working, the new one opens the operator's report, and
// printing prints the code alone); moderates the operator's reply, then withdraws it. An
// inspector is refused with a pointer to the tablet app, a clerk signing in to the appeals
// queue or the tablet app is pointed to the registry; a clerk whose session has ended signs
// in again and is back on the record; the page fits 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'playwright-core';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  root, createDatabase, startServer, launchBrowser, newPage, screenshot, DEMO_PASSWORD, checkA11y,
} from './lib.mjs';

let server, browser, db;
// Per size: a demo inspection whose appeal code is known ({ id, est, licence, name }).
const demo = {};
const OLD_CODES = { phone: 'ABCDEFGH23', tablet: 'HJKMNPQR45', narrow: 'STUVWXYZ67' };

before(async () => {
  db = createDatabase('registry', { demo: 12 });
  // The latest submitted original report of three demo establishments, each given a known
  // appeal code (only its hash is kept), as if printed on the report handed over.
  const rows = db.sql(`SELECT DISTINCT ON (i.establishment_id) i.id || '|' || e.id || '|' ||
      e.licence_number || '|' || e.name
    FROM inspection i JOIN establishment e ON e.id = i.establishment_id
    WHERE i.status = 'submitted' AND i.revision = 1 AND i.source IS NULL
      AND NOT EXISTS (SELECT 1 FROM inspection l WHERE l.establishment_id = i.establishment_id
        AND l.status = 'submitted' AND l.started_at > i.started_at)
    ORDER BY i.establishment_id, i.started_at DESC LIMIT 3`).split('\n');
  assert.equal(rows.length, 3, 'three demo establishments with an inspection');
  ['phone', 'tablet', 'narrow'].forEach((size, k) => {
    const [id, est, licence, name] = rows[k].split('|');
    demo[size] = { id: Number(id), est: Number(est), licence, name };
    db.sql(`UPDATE inspection SET appeal_code_hash = encode(sha256('${OLD_CODES[size]}'::bytea), 'hex')
      WHERE id = ${id}`);
    // Codes last the appeal window and a margin; the demo's inspections are older, so the
    // code is recorded as issued at the counter today.
    db.sql(`INSERT INTO appeal_code_reissue (inspection_id, revision_id, code_hash, issued_by, reason)
      VALUES (${id}, ${id}, encode(sha256('${OLD_CODES[size]}'::bytea), 'hex'),
        (SELECT id FROM staff_user WHERE username = 'clerk'), 'Issued at the counter')`);
  });
  server = await startServer(db);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Errors other than the refusals the page expects and shows.
function scriptErrors(page) {
  return page.placardErrors.filter((e) => !/status of (401|403|404|409|422)\b/.test(e));
}

const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);

// What the operator sees with a licence number and an appeal code: the HTTP status.
async function operator(path, licence, code, extra = {}) {
  const ctx = await request.newContext({ baseURL: server.url });
  const res = await ctx.post(path, { data: { licence_number: licence, appeal_code: code, ...extra } });
  const status = res.status();
  await ctx.dispose();
  return status;
}

async function signInOnPage(page, username) {
  await page.goto(server.url + '/registry/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id || '');
}

async function findByLicence(page, licence, name) {
  await page.getByLabel('Name or licence number').fill(licence);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#find-status', { hasText: 'by licence number' }).waitFor();
  assert.equal(await focusedId(page), 'results-h', 'focus moves to the results');
  await page.locator('#results a.result-name', { hasText: name }).first().click();
  await page.locator('#est-title', { hasText: name }).waitFor();
}

for (const size of ['phone', 'tablet']) {
  test(`a clerk registers, edits, suspends, replaces an appeal code and moderates a reply (${size})`, async () => {
    const page = await newPage(browser, size);
    const licence = `REG-${size.toUpperCase()}-1`;
    const name = `Registry Test Kitchen ${size}`;
    await signInOnPage(page, 'clerk');
    await page.getByRole('heading', { name: 'Find an establishment' }).waitFor();
    assert.ok(await fits(page), 'the search fits');

    // Register. Sent empty, the form names the field by its label, not as the API's "name".
    await page.getByRole('button', { name: 'Register a new establishment' }).click();
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.locator('#register-form [role=alert]', { hasText: 'required' }).waitFor();
    assert.match(await page.locator('#register-form [role=alert]').textContent(), /^(Name|Licence number) is required\.$/);
    await page.getByLabel('Jurisdiction').selectOption('uk-demo');
    await page.getByLabel('Licence number').fill(licence);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Street address').fill('7 Mill Lane');
    await page.getByLabel('City').fill('London');
    await page.getByLabel('Postcode').fill('SE1 1AA');
    await page.getByLabel('Latitude').fill('51.5');
    await page.getByLabel('Longitude').fill('-0.12');
    await page.getByLabel('Cuisine').fill('Cafe');
    await page.getByLabel('Risk category').selectOption('C');
    assert.ok(await fits(page), 'the registration form fits');
    await screenshot(page, `registry-register-${size}`);
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.locator('#est-title', { hasText: name }).waitFor();
    await page.locator('#est-note', { hasText: 'Registered' }).waitFor();
    assert.equal(await page.locator('#est-licence').textContent(), licence);
    assert.equal(await page.locator('#est-status').textContent(), 'Active');
    assert.equal(await page.locator('#edit-risk').inputValue(), 'C');

    // The same licence number again: refused at the licence number field.
    await page.getByRole('button', { name: 'Back to search' }).click();
    await page.getByRole('button', { name: 'Register a new establishment' }).click();
    await page.getByLabel('Jurisdiction').selectOption('uk-demo');
    await page.getByLabel('Licence number').fill(licence);
    await page.getByLabel('Name', { exact: true }).fill('Another Kitchen');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    const dup = page.locator('#new-licence-error');
    await dup.filter({ hasText: 'already registered' }).waitFor();
    assert.equal(await page.locator('#new-licence').getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'new-licence', 'focus moves to the field at fault');
    assert.match(await page.locator('#register-form [role=alert]').textContent(), /already registered/);
    assert.equal(db.sql(`SELECT count(*) FROM establishment WHERE name = 'Another Kitchen'`), '0');
    assert.ok(await fits(page), 'the refused form fits');
    await screenshot(page, `registry-duplicate-${size}`);

    // Found again by its licence number, typed in small letters.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await findByLicence(page, licence.toLowerCase(), name);

    // Edit: a latitude out of range is refused at its field; then a new name and city.
    await page.locator('#edit-latitude').fill('95');
    await page.getByRole('button', { name: 'Save the details' }).click();
    await page.locator('#edit-latitude-error', { hasText: 'latitude' }).waitFor();
    assert.equal(await focusedId(page), 'edit-latitude');
    await page.locator('#edit-latitude').fill('51.51');
    await page.locator('#edit-name').fill(`${name} Renamed`);
    await page.locator('#edit-city').fill('Southwark');
    await page.getByRole('button', { name: 'Save the details' }).click();
    await page.locator('#est-note', { hasText: 'saved' }).waitFor();
    await page.locator('#est-title', { hasText: `${name} Renamed` }).waitFor();
    assert.equal(await page.locator('#edit-city').inputValue(), 'Southwark');
    assert.equal(await page.locator('#edit-latitude').inputValue(), '51.51');

    // The licence: issued, then suspended, which needs a reason.
    await page.getByLabel('Action').selectOption('issued');
    await page.getByLabel('Takes effect on').fill('2026-01-05');
    await page.getByLabel('Expires on').fill('2027-01-04');
    await page.getByRole('button', { name: 'Record the action' }).click();
    await page.locator('#est-note', { hasText: 'Issued: recorded' }).waitFor();
    assert.match(await page.locator('#licence-status').textContent(), /Active; the licence runs until January 4, 2027/);
    assert.equal(await page.getByLabel('Public reason').isVisible(), false, 'no public reason to issue');
    await page.getByLabel('Action').selectOption('suspended');
    assert.equal(await page.getByLabel('Public reason').isVisible(), true);
    assert.equal(await page.locator('#licence-reason-label').textContent(), 'Reason (required)');
    assert.match(await page.locator('#licence-reason-help').textContent(), /Required to suspend or revoke/);
    await page.getByRole('button', { name: 'Record the action' }).click();
    await page.locator('#licence-reason-error', { hasText: 'needs a reason' }).waitFor();
    assert.equal(await focusedId(page), 'licence-reason');
    assert.equal(await page.locator('#est-status').textContent(), 'Active', 'nothing recorded');
    await screenshot(page, `registry-suspend-refused-${size}`);
    await page.getByLabel('Reason (required)').fill('No hot water at the hand basins.');
    // The public reason: offered only for a suspension or revocation, and what the public
    // record shows in place of the typed reason.
    await page.getByLabel('Public reason').selectOption('no-water-or-power');
    await page.getByRole('button', { name: 'Record the action' }).click();
    await page.locator('#est-note', { hasText: 'Suspended: recorded' }).waitFor();
    const record = await (await page.request.get(`${server.url}/api/v1/establishments/${
      db.sql(`SELECT id FROM establishment WHERE licence_number = '${licence}'`)}`)).json();
    assert.equal(record.status_since.reason_category, 'no-water-or-power');
    assert.ok(!JSON.stringify(record).includes('No hot water at the hand basins'), 'the typed reason stays internal');
    assert.equal(await page.locator('#est-status').textContent(), 'Suspended');
    assert.equal(await page.locator('#licence-status').textContent(), 'Status: Suspended', 'no term while suspended');
    const history = page.locator('#licence-history > li');
    assert.equal(await history.count(), 2);
    assert.match(await history.nth(0).textContent(), /^Suspended from .*No hot water at the hand basins\./);
    assert.match(await history.nth(1).textContent(), /^Issued from .*January.*2026.*until .*January.*2027/);
    assert.ok(await fits(page), 'the establishment fits');
    await screenshot(page, `registry-history-${size}`);

    // The history as the API gives it matches the published schema.
    const res = await page.request.get(`${server.url}/api/v1/establishments/${
      db.sql(`SELECT id FROM establishment WHERE licence_number = '${licence}'`)}/licence-actions`);
    assert.equal(res.status(), 200);
    const doc = JSON.parse(readFileSync(join(root, 'web', 'openapi.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: 'openapi.json' });
    const validate = ajv.getSchema('openapi.json#/components/schemas/LicenceActions');
    const body = await res.json();
    assert.ok(validate(body), ajv.errorsText(validate.errors));
    assert.deepEqual(body.licence_actions.map((a) => a.action), ['suspended', 'issued']);

    // A lost report: a new appeal code for a demo inspection, shown once.
    const d = demo[size];
    assert.equal(await operator('/api/v1/operator/report', d.licence, OLD_CODES[size]), 200, 'the old code works');
    await page.getByRole('button', { name: 'Back to search' }).click();
    await findByLicence(page, d.licence, d.name);
    const row = page.locator(`#inspection-${d.id}`);
    await row.getByRole('button', { name: /Replace lost appeal code/ }).click();
    await row.getByText('will stop working').waitFor();
    await row.getByRole('button', { name: 'Issue a new code' }).click();
    assert.match(await row.locator('.form-alert').textContent(), /Say why/, 'a reason is required');
    await row.getByLabel(/Reason, and how the operator proved/).fill('Report lost; licence certificate seen at the counter');
    await row.getByRole('button', { name: 'Issue a new code' }).click();
    const code = (await page.locator('#new-appeal-code').textContent()).trim();
    assert.match(code, /^[2-9A-HJKMNP-Z]{10}$/);
    assert.equal(await focusedId(page), 'code-slip', 'focus moves to the new code');
    assert.match(await page.locator('#code-slip [role=alert]').textContent(), /old code no longer acts/);
    assert.ok(await page.getByRole('button', { name: 'Print the new code' }).isVisible());
    const big = await page.locator('#new-appeal-code').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(big >= 32, `the code is large (${big} px)`);
    assert.ok(await fits(page), 'the new code fits');
    await screenshot(page, `registry-new-code-${size}`);
    assert.equal(await operator('/api/v1/operator/report', d.licence, OLD_CODES[size]), 200, 'the old code still shows the report');
    assert.equal(await operator('/api/v1/operator/replies', d.licence, OLD_CODES[size], { text: 'Not us' }), 403, 'the old code no longer acts');
    assert.equal(await operator('/api/v1/operator/report', d.licence, code), 200, 'the new code works');
    // On paper: the code alone, on one page.
    assert.equal(await page.locator('#print-slip').isVisible(), false, 'the copy for paper is not on screen');
    await page.emulateMedia({ media: 'print' });
    assert.equal((await page.locator('#print-slip .slip-code').textContent()).trim(), code);
    assert.ok(await page.locator('#print-slip .slip-code').isVisible());
    assert.equal(await page.locator('#licence-form').isVisible(), false);
    assert.equal(await page.locator('#app').isVisible(), false);
    assert.equal(await page.locator('#print-slip button').first().isVisible(), false, 'no buttons on paper');
    const tall = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(tall < 1200, `one page, not the whole record (${tall} px)`);
    await screenshot(page, `registry-new-code-print-${size}`);
    await page.emulateMedia({ media: 'screen' });

    // The operator replies with the new code; the clerk edits the wording, then withdraws it.
    assert.equal(await operator('/api/v1/operator/replies', d.licence, code,
      { text: 'The inspector was rude. Call our manager Jo on 07700 900123.' }), 201);
    await page.reload();
    await page.locator('#est-title', { hasText: d.name }).waitFor();
    assert.match(await page.locator('#reply-text').textContent(), /07700 900123/);
    // A jump to the reply stays on the record.
    await page.getByRole('navigation', { name: 'Parts of this record' }).getByRole('link', { name: 'Reply' }).click();
    await page.waitForFunction(() => document.getElementById('reply-h').getBoundingClientRect().top < innerHeight);
    assert.ok(await page.locator('#reply-text').isVisible());
    await page.getByLabel('Wording to publish instead').fill('We disagree with the inspection.');
    await page.getByRole('button', { name: 'Publish the edited wording' }).click();
    await page.locator('#moderation-reason-error', { hasText: 'Say why' }).waitFor();
    assert.equal(await focusedId(page), 'moderation-reason');
    await page.getByLabel(/Reason for the change/).fill('A private telephone number removed.');
    await page.getByRole('button', { name: 'Publish the edited wording' }).click();
    await page.locator('#est-note', { hasText: 'edited wording is published' }).waitFor();
    assert.equal(await page.locator('#reply-text').textContent(), 'We disagree with the inspection.');
    assert.match(await page.locator('#reply-moderated').textContent(), /telephone number removed/);
    let pub = await (await page.request.get(`${server.url}/api/v1/establishments/${d.est}`,
      { headers: { 'Cache-Control': 'no-cache' } })).json();
    assert.equal(pub.reply.text, 'We disagree with the inspection.');
    await screenshot(page, `registry-reply-moderated-${size}`);
    await page.getByLabel(/Reason for the change/).fill('Withdrawn at the operator\'s request.');
    await page.getByRole('button', { name: 'Withdraw the reply' }).click();
    await page.locator('#est-note', { hasText: 'withdrawn' }).waitFor();
    await page.locator('#reply-none').waitFor();
    pub = await (await page.request.get(`${server.url}/api/v1/establishments/${d.est}`,
      { headers: { 'Cache-Control': 'no-cache' } })).json();
    assert.equal(pub.reply, null);
    assert.ok(await fits(page), 'the establishment fits after moderation');
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  });
}

test('an inspector is refused, with the way to the tablet app; a clerk at the appeals queue or the tablet app is shown the registry', async () => {
  const page = await newPage(browser, 'phone');
  await signInOnPage(page, 'inspector');
  const refused = page.locator('#refused');
  await refused.waitFor();
  assert.match(await refused.textContent(), /for clerks and administrators/);
  assert.equal(await refused.getAttribute('role'), 'alert');
  assert.equal(await refused.locator('a').getAttribute('href'), '/inspect/');
  assert.equal(await page.getByLabel('Name or licence number').count(), 0, 'no search for an inspector');
  await screenshot(page, 'registry-refused-phone');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').waitFor();

  await page.goto(server.url + '/hearings/');
  await page.getByLabel('Username').fill('clerk');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const link = page.getByRole('link', { name: 'licence registry' });
  await link.waitFor();
  await link.click();
  await page.getByRole('heading', { name: 'Find an establishment' }).waitFor();
  await checkA11y(page, 'the registry reached from the hearings page');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();

  // The tablet app too points a clerk to the registry, and keeps no session for one.
  const tablet = await newPage(browser, 'tablet');
  await tablet.goto(server.url + '/inspect/');
  await tablet.getByLabel('Username').fill('clerk');
  await tablet.getByLabel('Password').fill(DEMO_PASSWORD);
  await tablet.getByRole('button', { name: 'Sign in' }).click();
  await tablet.getByRole('link', { name: 'licence registry' }).waitFor();
  assert.equal(await tablet.getByRole('heading', { name: 'Sign in to inspect' }).count(), 1);
  await checkA11y(tablet, 'the tablet app refusing a clerk');
  assert.deepEqual(scriptErrors(tablet), []);
  await tablet.context().close();
});

test('a session that has ended asks to sign in again, then opens the record where it was', async () => {
  const page = await newPage(browser, 'phone');
  await signInOnPage(page, 'clerk');
  await findByLicence(page, demo.narrow.licence, demo.narrow.name);
  db.sql(`UPDATE staff_session SET revoked_at = now() WHERE revoked_at IS NULL`);
  await page.locator('#edit-cuisine').fill('Noodles');
  await page.getByRole('button', { name: 'Save the details' }).click();
  await page.locator('#session-ended').waitFor();
  assert.notEqual(db.sql(`SELECT cuisine FROM establishment WHERE id = ${demo.narrow.est}`), 'Noodles', 'nothing saved');
  await page.getByLabel('Username').fill('clerk');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#est-title', { hasText: demo.narrow.name }).waitFor();
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('the registry stays usable 360 px wide: no sideways scrolling, the code large', async () => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signInOnPage(page, 'clerk');
  await page.getByRole('heading', { name: 'Find an establishment' }).waitFor();
  assert.ok(await fits(page), 'the search fits 360 px');
  const d = demo.narrow;
  await page.getByLabel('Name or licence number').fill(d.licence);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#results a.result-name').first().waitFor();
  assert.ok(await fits(page), 'the results fit 360 px');
  await page.locator('#results a.result-name', { hasText: d.name }).first().click();
  await page.locator('#est-title', { hasText: d.name }).waitFor();
  assert.ok(await fits(page), 'the establishment fits 360 px');
  const row = page.locator(`#inspection-${d.id}`);
  await row.getByRole('button', { name: /Replace lost appeal code/ }).click();
  await row.getByLabel(/Reason, and how the operator proved/).fill('Report lost; licence seen');
  await row.getByRole('button', { name: 'Issue a new code' }).click();
  await page.locator('#new-appeal-code').waitFor();
  assert.ok(await fits(page), 'the new code fits 360 px');
  await screenshot(page, 'registry-narrow-360');
  // The browser's back button returns to the results.
  await page.goBack();
  await page.locator('#results a.result-name', { hasText: d.name }).first().waitFor();
  await page.getByRole('button', { name: 'Register a new establishment' }).click();
  await page.getByLabel('Licence number').waitFor();
  assert.ok(await fits(page), 'the registration form fits 360 px');
  // Every control can be reached with the keyboard and is at least 44 px high.
  const small = await page.evaluate(() => [...document.querySelectorAll('#register-form input, #register-form select, #register-form button')]
    .filter((c) => c.getBoundingClientRect().height < 44).map((c) => c.id || c.textContent));
  assert.deepEqual(small, []);
  assert.deepEqual(errors, []);
  await context.close();
});
