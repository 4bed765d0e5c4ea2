// The inspector's tablet app in Chromium at tablet size: signed in once, it works with no
// signal; an inspection completed offline (checklist, a violation, a temperature reading, a
// photo, the operator's signature) gives the operator a report with an appeal code made on
// the tablet, survives a reload and is stored exactly once when the signal returns, with the
// photo's hash checked and the report's code working; replaying the queue stores nothing new. A
// draft edited on two tablets is flagged as a conflict on both, and nothing is overwritten.
// A re-rating visit the operator asked for is on the due list, labelled, in its place. The
// tablet's routes (assignment, due list, form, photos, conflicts) answer as the OpenAPI
// document says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { request } from 'playwright-core';
import {
  createDatabase, startServer, launchBrowser, viewports, screenshot, openapi, DEMO_PASSWORD,
  waitFor,
} from './lib.mjs';
import { check as checkDoc } from '../../web/inspect/validate.mjs';

let db, server, browser;
let estOffline, estConflict, estRerating, estValidate, estComplaint, estDeadline, estFollowup;

before(async () => {
  db = createDatabase('tablet', { demo: 30 });
  const add = (licence, name) => Number(db.sql(
    `INSERT INTO establishment (jurisdiction_id, licence_number, name, address_line, city, risk_category)
     SELECT id, '${licence}', '${name}', '1 Test Street', 'New York', 'A' FROM jurisdiction
     WHERE scheme_code = 'nyc' ORDER BY id LIMIT 1 RETURNING id`).split('\n')[0]);
  estOffline = add('TAB-1', 'Tablet Test Diner');
  estConflict = add('TAB-2', 'Two Tablets Cafe');
  // An FHRS establishment of the demo, inspected, whose operator asked for a re-rating
  // visit: the stand-still ended 4 days ago.
  estRerating = Number(db.sql(
    `UPDATE establishment SET name = 'Rerating Tearoom', risk_category = 'E' WHERE id = (
       SELECT e.id FROM establishment e JOIN jurisdiction j ON j.id = e.jurisdiction_id
       WHERE j.scheme_code = 'fhrs' AND e.status = 'active' AND EXISTS (SELECT 1 FROM inspection i
         WHERE i.establishment_id = e.id AND i.status = 'submitted')
       ORDER BY e.id LIMIT 1) RETURNING id`).split('\n')[0]);
  db.sql(`INSERT INTO rerating_request (establishment_id, inspection_id, improvements, earliest_visit_on)
          SELECT ${estRerating}, max(id), 'New wash-hand basin in the kitchen', current_date - 4
          FROM inspection WHERE establishment_id = ${estRerating} AND status = 'submitted'`);
  estValidate = add('TAB-3', 'Validation Bistro');
  estComplaint = add('TAB-4', 'Complaint Corner Kitchen');
  estFollowup = add('TAB-7', 'Followup Fryer');
  estDeadline = Number(db.sql(
    `INSERT INTO establishment (jurisdiction_id, licence_number, name, address_line, city, risk_category)
     SELECT id, 'TAB-5', 'Deadline Deli', '5 Test Street', 'Leeds', 'A' FROM jurisdiction
     WHERE scheme_code = 'fhrs' ORDER BY id LIMIT 1 RETURNING id`).split('\n')[0]);
  for (const e of [estOffline, estConflict, estRerating, estValidate, estDeadline, estFollowup])
    db.sql(`INSERT INTO inspector_assignment (establishment_id, inspector_id, assigned_by)
            SELECT ${e}, u.id, s.id FROM staff_user u, staff_user s
            WHERE u.username = 'inspector' AND s.username = 'supervisor'
            ON CONFLICT (establishment_id) DO UPDATE SET inspector_id = EXCLUDED.inspector_id`);
  server = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A real PNG (a colour gradient), as a tablet camera might hand over.
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 255) / width; raw[o + 1] = (y * 255) / height; raw[o + 2] = 128;
    }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function tablet() {
  const context = await browser.newContext({ ...viewports.tablet });
  const page = await context.newPage();
  page.placardErrors = [];
  page.on('pageerror', (e) => page.placardErrors.push(String(e)));
  return { context, page };
}

async function signIn(page) {
  await page.goto(`${server.url}/inspect/`);
  await page.getByLabel('Username').fill('inspector');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
}

function dueItem(page, name) {
  return page.locator('li.due', { hasText: name });
}

function localItem(page, name) {
  return page.locator('li.local', { hasText: name });
}

async function mark(page, code, value) {
  await page.locator(`fieldset[data-code="${code}"] label.mark`, { hasText: new RegExp(`^${value}$`) }).click();
}

const count = (sql) => Number(db.sql(sql));

test('an inspection done with no signal is stored once, photo hash checked, and a replay adds nothing', async () => {
  const { context, page } = await tablet();
  await signIn(page);
  await dueItem(page, 'Tablet Test Diner').waitFor();
  // The app shell is cached by the service worker before the signal goes.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
  assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker controls the page');

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
  await assert.doesNotReject(page.getByText('Offline: work is saved on this tablet').waitFor());
  await dueItem(page, 'Tablet Test Diner').getByRole('button', { name: 'Start inspection' }).click();
  await page.getByRole('heading', { name: 'Tablet Test Diner' }).waitFor();

  // The checklist: everything in, but cold holding (7 points) and a floor in poor repair.
  const codes = await page.locator('fieldset.item').evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.ok(codes.length >= 10);
  for (const code of codes) if (code !== '02G' && code !== '10F') await mark(page, code, 'In');
  // Two taps in the same instant (a gloved hand, a slow tablet): neither is lost.
  await page.evaluate(() => {
    for (const code of ['02G', '10F'])
      document.querySelector(`fieldset[data-code="${code}"] input[value="out"]`).click();
  });
  await page.locator('#note-02G').fill('Milk in the walk-in at 48 F.');
  // The form says plainly who will read each field: what was seen and the readings are
  // published word for word; the notes and the signer's name are not.
  const audience = async (sel) => {
    const id = await page.locator(sel).getAttribute('aria-describedby');
    assert.ok(id, `${sel} says who reads it`);
    const who = page.locator(`#${id}`);
    assert.ok(await who.isVisible(), `${sel}: the label is visible`);
    return who.textContent();
  };
  assert.match(await audience('#note-02G'), /^Published on the public record/);
  assert.match(await audience('#notes'), /^Not published/);
  assert.match(await audience('#sig-name'), /^Not published/);
  assert.match(await page.locator('#readings-who').textContent(), /^Published on the public record/);
  await page.locator('fieldset[data-code="02G"] label.check', { hasText: 'Corrected on site' }).click();
  // The live preview agrees with the grading rules: 9 points, grade A.
  await waitFor(async () => (await page.locator('.preview').getAttribute('data-score')) === '9', 'preview 9');
  assert.equal(await page.locator('.preview').getAttribute('data-grade'), 'A');
  assert.match(await page.locator('.preview').textContent(), /Grade A/);
  // A third citation takes it past the A band: no grade on an initial inspection.
  await mark(page, '04L', 'Out');
  await waitFor(async () => (await page.locator('.preview').getAttribute('data-score')) === '14', 'preview 14');
  assert.match(await page.locator('.preview').textContent(), /No grade issued/);
  await mark(page, '04L', 'In');

  // A temperature reading.
  await page.getByLabel('Food or equipment').fill('Milk');
  await page.getByLabel('Where').fill('Walk-in cooler');
  await page.getByLabel('Temperature').fill('48');
  await page.getByLabel('Unit').selectOption('F');
  await page.getByLabel('Supports item').selectOption('02G');
  await page.getByRole('button', { name: 'Add reading' }).click();
  await page.getByText('Milk (Walk-in cooler): 48 °F').waitFor();

  // A photo from the camera, downscaled and hashed on the tablet.
  await page.getByLabel('Photo shows item').selectOption('02G');
  await page.locator('#photo-input').setInputFiles({ name: 'cooler.png', mimeType: 'image/png', buffer: png(2400, 1800) });
  await page.getByText(/Photo saved/).waitFor();

  // The operator signs on the screen.
  await page.getByLabel('Name of the person signing').fill('Olga Operator');
  await page.getByLabel('Name of the person signing').blur();
  await page.locator('canvas.signature').scrollIntoViewIfNeeded();
  const box = await page.locator('canvas.signature').boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 30, box.y + box.height / 2 + (i % 2 ? 20 : -20));
  await page.mouse.up();
  await screenshot(page, 'tablet-form-offline');
  await page.getByRole('button', { name: 'Finish and send' }).click();
  // The report for the operator, with no signal: the grade and the appeal code, made here.
  await page.getByRole('heading', { name: 'Inspection report' }).waitFor({ timeout: 5000 }).catch(async () => {
    assert.fail(`not finished: ${await page.locator('.finish .status').textContent()}`);
  });
  const report = page.locator('article.report');
  assert.match(await report.textContent(), /Licence TAB-1/);
  assert.match(await report.locator('.report-grade').textContent(), /Score 9 · Grade A/);
  assert.match(await report.textContent(), /02G/);
  const printed = (await page.locator('#appeal-code').textContent()).trim();
  assert.match(printed, /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  await screenshot(page, 'tablet-report-offline');
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
  await localItem(page, 'Tablet Test Diner').getByText('Saved on tablet').waitFor();

  // Reload with no signal: the work is intact.
  await page.reload();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();
  await localItem(page, 'Tablet Test Diner').getByText('Saved on tablet').waitFor();
  await localItem(page, 'Tablet Test Diner').getByRole('button', { name: 'Open' }).click();
  await page.getByText('Milk (Walk-in cooler): 48 °F').waitFor();
  assert.equal(await page.locator('ul.photos img').count(), 1);
  assert.equal(await page.locator('#note-02G').inputValue(), 'Milk in the walk-in at 48 F.');
  assert.ok(await page.locator('fieldset[data-code="10F"] input[value="out"]').isChecked());
  assert.equal(count(`SELECT count(*) FROM inspection WHERE establishment_id = ${estOffline}`), 0);
  const local = await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('placard-inspect');
    req.onsuccess = () => {
      const tx = req.result.transaction(['inspections', 'photos']);
      const out = {};
      tx.objectStore('inspections').getAll().onsuccess = (e) => { out.inspections = e.target.result.map((r) => ({ id: r.id })); };
      tx.objectStore('photos').getAll().onsuccess = (e) => { out.photos = e.target.result.map((p) => ({ sha256: p.sha256, size: p.blob.size })); };
      tx.oncomplete = () => resolve(out);
    };
  }));
  assert.equal(local.photos.length, 1);
  assert.ok(local.photos[0].size < 750 * 1024, 'the photo was downscaled on the tablet');

  // The signal returns: it goes, once.
  await page.getByRole('button', { name: '← Due visits' }).click();
  await context.setOffline(false);
  await localItem(page, 'Tablet Test Diner').getByText('Submitted').waitFor({ timeout: 30000 });
  const where = `establishment_id = ${estOffline}`;
  assert.equal(count(`SELECT count(*) FROM inspection WHERE ${where}`), 1);
  assert.equal(db.sql(`SELECT status || ' ' || grade_code || ' ' || score FROM inspection WHERE ${where}`), 'submitted A 9');
  assert.equal(db.sql(`SELECT string_agg(code || ':' || corrected_on_site, ',' ORDER BY code) FROM violation v
                       JOIN inspection i ON i.id = v.inspection_id WHERE i.${where}`), '02G:true,10F:false');
  assert.equal(db.sql(`SELECT item || ' ' || value || ' ' || unit || ' ' || code FROM inspection_reading r
                       JOIN inspection i ON i.id = r.inspection_id WHERE i.${where}`), 'Milk 48.0 F 02G');
  assert.equal(db.sql(`SELECT operator_signed_name || ' ' || (operator_signature LIKE 'data:image/png;base64,%')
                       FROM inspection WHERE ${where}`), 'Olga Operator true');
  assert.equal(db.sql(`SELECT p.sha256 || ' ' || (p.sha256 = encode(sha256(p.data), 'hex')) || ' ' || p.content_type
                       FROM inspection_photo p JOIN inspection i ON i.id = p.inspection_id WHERE i.${where}`),
  `${local.photos[0].sha256} true image/jpeg`);
  assert.equal(db.sql(`SELECT count(*) FROM idempotency_key WHERE key = '${local.inspections[0].id}'`), '1');
  // The code on the report is the inspection's: the operator can use it.
  const operatorReport = async (code) => fetch(`${server.url}/api/v1/operator/report`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ licence_number: 'TAB-1', appeal_code: code }),
  });
  const opened = await operatorReport(printed.toLowerCase());
  assert.equal(opened.status, 200);
  assert.equal((await opened.json()).inspection.id,
    Number(db.sql(`SELECT id FROM inspection WHERE ${where}`)));
  // Reopened from the inspection, the report shows the same code.
  await localItem(page, 'Tablet Test Diner').getByRole('button', { name: 'View' }).click();
  await page.getByRole('button', { name: "Operator's report" }).click();
  assert.equal((await page.locator('#appeal-code').textContent()).trim(), printed);
  await page.getByText('Sent to the record.').waitFor();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('heading', { name: 'Due visits' }).waitFor();

  // Replay the whole queue, as a tablet that never heard the answers would: nothing new.
  await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('placard-inspect');
    req.onsuccess = () => {
      const tx = req.result.transaction(['inspections', 'photos'], 'readwrite', { durability: 'strict' });
      tx.objectStore('inspections').getAll().onsuccess = (e) => {
        for (const r of e.target.result)
          tx.objectStore('inspections').put({ ...r, serverId: null, version: null, syncedRev: null, submitted: false, syncState: 'saved' });
      };
      tx.objectStore('photos').getAll().onsuccess = (e) => {
        for (const p of e.target.result) tx.objectStore('photos').put({ ...p, uploaded: false, serverPhotoId: null });
      };
      tx.oncomplete = () => resolve();
    };
  }));
  const before = count('SELECT count(*) FROM inspection') + ' ' + count('SELECT count(*) FROM inspection_photo');
  await page.reload();
  await localItem(page, 'Tablet Test Diner').getByText('Submitted').waitFor({ timeout: 30000 });
  assert.equal(count('SELECT count(*) FROM inspection') + ' ' + count('SELECT count(*) FROM inspection_photo'), before);
  assert.equal(count(`SELECT count(*) FROM inspection WHERE ${where}`), 1);
  await screenshot(page, 'tablet-home-synced');
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});

test('a re-rating visit is on the due list, labelled, overdue first', async () => {
  const { context, page } = await tablet();
  await signIn(page);
  const item = page.locator('li.due.due-rerating', { hasText: 'Rerating Tearoom' });
  await item.waitFor();
  await item.locator('.tag', { hasText: 'Re-rating visit' }).waitFor();
  await item.getByText('Improvements: New wash-hand basin in the kitchen').waitFor();
  await item.getByText(/Asked for by the operator, not before/).waitFor();
  await item.getByText('Overdue 4 days').waitFor();
  // Overdue, so before the never-inspected cafe due today; only one item is labelled.
  const names = await page.locator('li.due .due-name').allTextContents();
  const at = names.findIndex((n) => n.includes('Rerating Tearoom'));
  assert.ok(at >= 0 && at < names.findIndex((n) => n.includes('Two Tablets Cafe')), names.join(' | '));
  assert.equal(await page.locator('li.due-rerating').count(), 1);
  // Started from the list, it is a re-inspection.
  await item.getByRole('button', { name: 'Start inspection' }).click();
  await page.getByRole('heading', { name: 'Rerating Tearoom' }).waitFor();
  const type = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('placard-inspect');
    open.onsuccess = () => {
      const all = open.result.transaction('inspections').objectStore('inspections').getAll();
      all.onsuccess = () => resolve(all.result.find((r) => r.establishmentName === 'Rerating Tearoom')?.type);
    };
  }));
  assert.equal(type, 'reinspection');
  await screenshot(page, 'tablet-due-rerating');
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});

test('a draft edited on two tablets is flagged as a conflict on both', async () => {
  const a = await tablet();
  const b = await tablet();
  await signIn(a.page);
  await dueItem(a.page, 'Two Tablets Cafe').getByRole('button', { name: 'Start inspection' }).click();
  await mark(a.page, '10F', 'Out');
  const where = `establishment_id = ${estConflict}`;
  await waitFor(() => count(`SELECT count(*) FROM inspection WHERE ${where}`) === 1, 'the draft on the server');
  const id = count(`SELECT id FROM inspection WHERE ${where}`);

  // Tablet B opens the same draft.
  await signIn(b.page);
  await dueItem(b.page, 'Two Tablets Cafe').getByRole('button', { name: `Open draft ${id} from another device` }).click();
  await b.page.getByRole('heading', { name: 'Two Tablets Cafe' }).waitFor();
  assert.ok(await b.page.locator('fieldset[data-code="10F"] input[value="out"]').isChecked());

  // A changes it first; then B, from the version it had.
  await mark(a.page, '04L', 'Out');
  await waitFor(() => count(`SELECT count(*) FROM violation WHERE inspection_id = ${id}`) === 2, "A's edit on the server");
  await mark(b.page, '08A', 'Out');
  await b.page.getByText(/changed on another device/).first().waitFor({ timeout: 30000 });
  assert.equal(count(`SELECT count(*) FROM inspection_conflict WHERE inspection_id = ${id} AND resolved_at IS NULL`), 1);
  // Nothing was overwritten: A's version stands, B's is kept with the conflict.
  assert.equal(db.sql(`SELECT string_agg(code, ',' ORDER BY code) FROM violation WHERE inspection_id = ${id}`), '04L,10F');
  assert.match(db.sql(`SELECT refused_document::text FROM inspection_conflict WHERE inspection_id = ${id}`), /08A/);

  // Tablet A shows it too.
  await a.page.reload();
  await localItem(a.page, 'Two Tablets Cafe').getByText(/changed on another device/).waitFor({ timeout: 30000 });
  await screenshot(a.page, 'tablet-conflict-a');
  await screenshot(b.page, 'tablet-conflict-b');

  // B keeps its version; the conflict is resolved and logged.
  await b.page.getByRole('button', { name: "Keep this tablet's version" }).first().click();
  await waitFor(() => count(`SELECT count(*) FROM inspection_conflict WHERE inspection_id = ${id} AND resolved_at IS NULL`) === 0, 'resolution');
  assert.equal(db.sql(`SELECT string_agg(code, ',' ORDER BY code) FROM violation WHERE inspection_id = ${id}`), '08A,10F');
  assert.deepEqual(a.page.placardErrors, []);
  assert.deepEqual(b.page.placardErrors, []);
  await a.context.close();
  await b.context.close();
});

test('the app is installable: manifest, icons, service worker', async () => {
  const { context, page } = await tablet();
  await signIn(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const manifest = await (await fetch(`${server.url}/inspect/manifest.webmanifest`)).json();
  assert.equal(manifest.start_url, '/inspect/');
  assert.equal(manifest.display, 'standalone');
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
    assert.ok(icon, `a ${size} PNG icon`);
    const res = await fetch(server.url + icon.src);
    assert.equal(res.status, 200);
    const png = Buffer.from(await res.arrayBuffer());
    assert.equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, size, `${icon.src} is ${size}`);
  }
  // Chromium's own verdict on installing the app; a test browser's context is always
  // incognito-like, which is not the app's doing.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), []);
  await context.close();
});

test('the app is usable in landscape with large targets', async () => {
  const context = await browser.newContext({ ...viewports.tabletLandscape });
  const page = await context.newPage();
  await signIn(page);
  const small = await page.locator('button:visible, .mark span:visible, .button:visible').evaluateAll((els) =>
    els.filter((e) => e.getBoundingClientRect().height < 48).map((e) => e.textContent));
  assert.deepEqual(small, []);
  await screenshot(page, 'tablet-home-landscape');
  await context.close();
});

test('the tablet\'s routes answer as the OpenAPI document says', async () => {
  const { conform } = openapi();
  const staff = async (username) => {
    const ctx = await request.newContext({ baseURL: server.url });
    const res = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
    assert.equal(res.status(), 201);
    const { user, csrf_token: csrf } = await res.json();
    return { ctx, id: user.id, headers: { 'X-CSRF-Token': csrf } };
  };
  const inspector = await staff('inspector'), supervisor = await staff('supervisor');
  const est = Number(db.sql(
    `INSERT INTO establishment (jurisdiction_id, licence_number, name, risk_category)
     SELECT id, 'TAB-API-1', 'Documented Deli', 'B' FROM jurisdiction
     WHERE scheme_code = 'nyc' ORDER BY id LIMIT 1 RETURNING id`).split('\n')[0]);

  // A supervisor assigns it; only an active inspector can be assigned.
  const assign = async (id) => conform('PUT', '/api/v1/establishments/{id}/inspector',
    await supervisor.ctx.put(`/api/v1/establishments/${est}/inspector`,
      { headers: supervisor.headers, data: { inspector_id: id } }));
  assert.equal((await assign(supervisor.id)).field, '/inspector_id');
  assert.equal((await assign(inspector.id)).inspector_id, inspector.id);

  // The due list, as the inspector and as a supervisor sees it; the offline form.
  const due = async (who, query) => conform('GET', '/api/v1/inspector/due',
    await who.ctx.get(`/api/v1/inspector/due${query}`));
  const list = await due(inspector, '?days=30');
  assert.ok(list.items.some((i) => i.establishment.id === est && i.reason === 'cycle'));
  assert.equal((await due(supervisor, `?inspector=${inspector.id}`)).inspector_id, inspector.id);
  assert.equal((await due(inspector, `?inspector=${supervisor.id}`)).status, 403);
  assert.equal((await due(inspector, '?days=400')).field, 'days');
  const form = async (id) => conform('GET', '/api/v1/inspector/establishments/{id}',
    await inspector.ctx.get(`/api/v1/inspector/establishments/${id}`));
  assert.equal((await form(est)).establishment.licence_number, 'TAB-API-1');
  assert.equal((await form(99999999)).status, 404);

  // Photos of a draft: stored once, replayed, refused; served to staff; removed.
  const started = new Date(Date.now() - 3600000).toISOString().replace(/\.\d+Z$/, 'Z');
  const doc = { type: 'initial', started_at: started, violations: [{ code: '10F' }] };
  let res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `tablet-api-${process.pid}` },
    data: { establishment_id: est, ...doc },
  });
  assert.equal(res.status(), 201);
  const draft = await res.json();
  const image = png(8, 6);
  const sha256 = createHash('sha256').update(image).digest('hex');
  const photo = async (key, data) => conform('POST', '/api/v1/inspections/{id}/photos',
    await inspector.ctx.post(`/api/v1/inspections/${draft.id}/photos`, {
      headers: { ...inspector.headers, ...(key ? { 'Idempotency-Key': key } : {}) },
      data: { content_type: 'image/png', sha256, data: [image.toString('base64')], code: '10F', ...data },
    }));
  const stored = await photo('tablet-api-photo-1', { width: 8, height: 6 });
  assert.deepEqual([stored.sha256, stored.bytes, stored.code], [sha256, image.length, '10F']);
  assert.equal((await photo('tablet-api-photo-1')).id, stored.id, 'a retry answers the photo stored');
  assert.equal((await photo('tablet-api-photo-1', { sha256: '0'.repeat(64) })).field, '/sha256');
  assert.equal((await photo(null)).status, 428);
  assert.equal((await photo('short')).field, 'Idempotency-Key');
  const second = await photo('tablet-api-photo-2');
  assert.equal(second.width, null);
  const bytes = await conform('GET', '/api/v1/staff/inspections/{id}/photos/{photo}',
    await supervisor.ctx.get(stored.url));
  assert.ok(Buffer.from(bytes).equals(image));
  assert.equal((await conform('GET', '/api/v1/staff/inspections/{id}/photos/{photo}',
    await supervisor.ctx.get(`/api/v1/staff/inspections/${draft.id}/photos/99999999`))).status, 404);
  const remove = async (id) => conform('DELETE', '/api/v1/inspections/{id}/photos/{photo}',
    await inspector.ctx.delete(`/api/v1/inspections/${draft.id}/photos/${id}`, { headers: inspector.headers }));
  assert.equal(await remove(second.id), null);
  assert.equal((await remove(second.id)).status, 404);

  // An edit from a stale version is kept as a conflict, then resolved.
  const patch = (version) => inspector.ctx.patch(`/api/v1/inspections/${draft.id}`,
    { headers: { ...inspector.headers, 'If-Match': `"${version}"` }, data: { ...doc, notes: `v${version}` } });
  assert.equal((await patch(draft.version ?? 1)).status(), 200);
  assert.equal((await patch(draft.version ?? 1)).status(), 412);
  const view = await (await inspector.ctx.get(`/api/v1/staff/inspections/${draft.id}`)).json();
  const conflict = view.conflicts.find((c) => !c.resolved_at)?.id ?? view.conflicts[0].id;
  const resolve = async (resolution) => conform('POST', '/api/v1/inspections/{id}/conflicts/{conflict}/resolve',
    await inspector.ctx.post(`/api/v1/inspections/${draft.id}/conflicts/${conflict}/resolve`,
      { headers: inspector.headers, data: { resolution } }));
  assert.equal((await resolve('kept_both')).field, '/resolution');
  assert.equal((await resolve('kept_server')).resolution, 'kept_server');
  assert.equal((await resolve('kept_server')).status, 404);

  // Submitted, its photos are evidence: none added, none removed.
  res = await inspector.ctx.post(`/api/v1/inspections/${draft.id}/submit`, { headers: inspector.headers, data: {} });
  assert.equal(res.status(), 200);
  assert.equal((await remove(stored.id)).status, 409);
  assert.equal((await photo('tablet-api-photo-3')).status, 409);
  assert.equal((await photo('tablet-api-photo-1')).id, stored.id, 'a retry still answers the photo stored');
  await inspector.ctx.dispose();
  await supervisor.ctx.dispose();
});

async function staffSession(username) {
  const ctx = await request.newContext({ baseURL: server.url });
  const res = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
  assert.equal(res.status(), 201);
  const { user, csrf_token: csrf } = await res.json();
  return { ctx, id: user.id, headers: { 'X-CSRF-Token': csrf } };
}

test('the tablet refuses before Finish exactly what the server refuses, at the same field', async () => {
  const vectors = JSON.parse(readFileSync(new URL('../vectors/inspection_docs.json', import.meta.url)));
  const inspector = await staffSession('inspector');
  const scheme = await (await inspector.ctx.get(`/api/v1/schemes/${vectors.scheme}`)).json();
  const send = async (doc, key) => {
    const res = await inspector.ctx.post('/api/v1/inspections', {
      headers: { ...inspector.headers, 'Idempotency-Key': key }, data: { establishment_id: estOffline, ...doc },
    });
    return { status: res.status(), body: await res.json() };
  };
  // The base document is accepted by both.
  assert.equal(checkDoc(scheme, vectors.base, { submit: true }), null);
  const ok = await send(vectors.base, `vectors-base-${process.pid}`);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  let n = 0;
  for (const c of vectors.cases) {
    const doc = { ...vectors.base, ...c.set };
    for (const [k, v] of Object.entries(c.set)) if (v === null) delete doc[k];
    const server = await send(doc, `vectors-${process.pid}-${n++}`);
    assert.equal(server.status, 422, `${c.name}: the server answers ${server.status} ${JSON.stringify(server.body)}`);
    assert.equal(server.body.field, c.field, `${c.name}: the server names ${server.body.field}`);
    const tablet = checkDoc(scheme, doc, { submit: true });
    assert.ok(tablet, `${c.name}: the tablet lets it through`);
    assert.equal(tablet.field, c.field, `${c.name}: the tablet names ${tablet.field}`);
  }
  await inspector.ctx.dispose();
});

async function sign(page, name = 'Olga Operator') {
  await page.getByLabel('Name of the person signing').fill(name);
  await page.getByLabel('Name of the person signing').blur();
  await page.locator('canvas.signature').scrollIntoViewIfNeeded();
  const box = await page.locator('canvas.signature').boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 30, box.y + box.height / 2 + (i % 2 ? 20 : -20));
  await page.mouse.up();
}

function localRecord(page, name) {
  return page.evaluate((n) => new Promise((resolve) => {
    const req = indexedDB.open('placard-inspect');
    req.onsuccess = () => {
      req.result.transaction('inspections').objectStore('inspections').getAll().onsuccess = (e) =>
        resolve(e.target.result.find((r) => r.establishmentName === n) || null);
    };
  }), name);
}

test('a value the server would refuse is caught at the field; a refused inspection is corrected and resent', async () => {
  const { context, page } = await tablet();
  await signIn(page);
  await dueItem(page, 'Validation Bistro').getByRole('button', { name: 'Start inspection' }).click();
  await page.getByRole('heading', { name: 'Validation Bistro' }).waitFor();
  await mark(page, '10F', 'Out');
  await mark(page, '02G', 'Not observed');
  await page.getByRole('button', { name: 'Mark the remaining items in compliance' }).click();
  const items = await page.locator('fieldset.item').count();
  await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items - 2, 'the rest marked in');
  assert.ok(await page.locator('fieldset[data-code="02G"] input[value="not_observed"]').isChecked(), 'a mark given by hand stays');
  assert.ok(await page.locator('fieldset[data-code="10F"] input[value="out"]').isChecked());

  // Points outside the item's range: said at the field, as the server would say it.
  await page.locator('#pts-10F').fill('9');
  await page.locator('#pts-10F').blur();
  await waitFor(async () => (await page.locator('#pts-10F').getAttribute('aria-invalid')) === 'true', 'the error at the field');
  assert.match(await page.locator('.field-error').textContent(), /10F carries 2 to 5 points, not 9/);
  await sign(page);
  // No report and no appeal code for an inspection the server would refuse.
  await page.getByRole('button', { name: 'Finish and send' }).click();
  await page.getByText(/^Not finished: 10F carries 2 to 5 points/).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Inspection report' }).count(), 0);
  let rec = await localRecord(page, 'Validation Bistro');
  assert.equal(rec.finished, false);
  assert.equal(rec.appealCode, undefined);

  // Corrected, finished with no signal; then the rules change before it is sent (here the
  // points stored on the tablet are no longer allowed): the server refuses it.
  await page.locator('#pts-10F').fill('3');
  await page.locator('#pts-10F').blur();
  await waitFor(async () => (await page.locator('#pts-10F').getAttribute('aria-invalid')) === null, 'the error cleared');
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Finish and send' }).click();
  await page.getByRole('heading', { name: 'Inspection report' }).waitFor();
  const printed = (await page.locator('#appeal-code').textContent()).trim();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('placard-inspect');
    req.onsuccess = () => {
      const tx = req.result.transaction('inspections', 'readwrite');
      tx.objectStore('inspections').getAll().onsuccess = (e) => {
        for (const r of e.target.result)
          if (r.establishmentName === 'Validation Bistro')
            tx.objectStore('inspections').put({ ...r, marks: { ...r.marks, '10F': { ...r.marks['10F'], points: 9 } } });
      };
      tx.oncomplete = () => resolve();
    };
  }));
  await context.setOffline(false);
  const item = localItem(page, 'Validation Bistro');
  await item.getByText(/Needs attention: the server refused it: .*10F carries 2 to 5 points/).waitFor({ timeout: 30000 });
  assert.equal(count(`SELECT count(*) FROM inspection WHERE establishment_id = ${estValidate}`), 0);

  // The inspector opens it: not stuck, the field at fault is shown, it is corrected and goes.
  await item.getByRole('button', { name: 'Open' }).click();
  await page.getByRole('heading', { name: 'Validation Bistro' }).waitFor();
  assert.equal(await page.locator('#pts-10F').isDisabled(), false);
  assert.equal(await page.locator('#pts-10F').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#attention').textContent(), /10F carries 2 to 5 points/);
  await page.locator('#pts-10F').fill('4');
  await page.locator('#pts-10F').blur();
  await page.getByRole('button', { name: 'Finish and send' }).click();
  await page.getByRole('heading', { name: 'Inspection report' }).waitFor({ timeout: 5000 }).catch(async () => {
    assert.fail(`not finished: ${await page.locator('.finish .status').textContent()}`);
  });
  assert.equal((await page.locator('#appeal-code').textContent()).trim(), printed, 'the code handed over stays');
  await page.getByRole('button', { name: 'Done' }).click();
  await localItem(page, 'Validation Bistro').getByText('Submitted').waitFor({ timeout: 30000 });
  assert.equal(db.sql(`SELECT status || ' ' || score || ' ' || grade_code FROM inspection WHERE establishment_id = ${estValidate}`),
    'submitted 4 A');
  const opened = await fetch(`${server.url}/api/v1/operator/report`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ licence_number: 'TAB-3', appeal_code: printed }),
  });
  assert.equal(opened.status, 200);
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});

test('an unscheduled visit is found and started, offline too once seen; signing out keeps unsent work and says so', async () => {
  const { context, page } = await tablet();
  await signIn(page);
  const me = db.sql("SELECT display_name FROM staff_user WHERE username = 'inspector'");
  await page.getByRole('button', { name: 'Unscheduled visit' }).click();
  await page.getByLabel('Name or licence number').fill('Complaint Corner');
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByRole('button', { name: 'Start inspection of Complaint Corner Kitchen' }).waitFor();
  // What was found is kept for a start with no signal.
  await waitFor(() => page.evaluate((id) => new Promise((resolve) => {
    const req = indexedDB.open('placard-inspect');
    req.onsuccess = () => {
      req.result.transaction('cache').objectStore('cache').get(`form:${id}`).onsuccess = (e) => resolve(!!e.target.result?.value);
    };
  }), estComplaint), 'the form kept');

  await context.setOffline(true);
  await page.getByRole('button', { name: '← Due visits' }).click();
  await page.getByRole('button', { name: 'Unscheduled visit' }).click();
  await page.getByLabel('Name or licence number').fill('corner kitchen');
  await page.getByLabel('Inspection type').selectOption('complaint');
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByRole('button', { name: 'Start inspection of Complaint Corner Kitchen' }).click();
  await page.getByRole('heading', { name: 'Complaint Corner Kitchen' }).waitFor();
  assert.equal(await page.locator('#type').inputValue(), 'complaint');
  // Parts of the form not shown leave no "null" behind.
  assert.doesNotMatch(await page.locator('main').innerText(), /\bnull\b/);
  await page.getByRole('button', { name: 'Mark the remaining items in compliance' }).click();
  const items = await page.locator('fieldset.item').count();
  await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items, 'all marked in');
  await sign(page, 'Carl Complainee');
  await page.getByRole('button', { name: 'Finish and send' }).click();
  await page.getByRole('heading', { name: 'Inspection report' }).waitFor({ timeout: 5000 }).catch(async () => {
    assert.fail(`not finished: ${await page.locator('.finish .status').textContent()}`);
  });
  assert.match(await page.locator('#report-inspector').textContent(), new RegExp(`Inspector: ${me}`));
  assert.equal(await page.locator('.report-signature img').count(), 1);
  assert.match(await page.locator('.report-signature').textContent(), /Carl Complainee/);
  // New York City's scheme has appeals but no re-rating visits on request: none is offered.
  assert.equal(await page.locator('.report-code h2').textContent(), 'To appeal or reply');
  await page.getByRole('button', { name: 'Done' }).click();

  // Signing out with unsent work: the inspector is told, and the work stays.
  let said = null;
  page.once('dialog', (d) => { said = d.message(); d.accept(); });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText(/Signed out\. 1 unsent inspection kept on this tablet/).waitFor();
  assert.match(said, /1 inspection is not sent yet \(Complaint Corner Kitchen\)/);
  assert.ok(await localRecord(page, 'Complaint Corner Kitchen'), 'the unsent work is on the tablet');

  // Signed in again with a signal, it goes, as this inspector's.
  await context.setOffline(false);
  await page.getByLabel('Username').fill('inspector');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await localItem(page, 'Complaint Corner Kitchen').getByText('Submitted').waitFor({ timeout: 30000 });
  assert.equal(db.sql(`SELECT i.inspection_type || ' ' || u.username FROM inspection i JOIN staff_user u ON u.id = i.inspector_id
                       WHERE i.establishment_id = ${estComplaint}`), 'complaint inspector');

  // Everything sent: signing out asks nothing, ends the session and clears the sent work.
  let asked = false;
  page.once('dialog', (d) => { asked = true; d.dismiss(); });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to inspect' }).waitFor();
  assert.equal(asked, false);
  assert.equal(await localRecord(page, 'Complaint Corner Kitchen'), null);
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/session')).status), 401);
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in to inspect' }).waitFor();
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});

test('the report shows the evidence and the appeal deadline as a date, and prints', async () => {
  const { context, page } = await tablet();
  await signIn(page);
  await dueItem(page, 'Deadline Deli').getByRole('button', { name: 'Start inspection' }).click();
  await page.getByRole('heading', { name: 'Deadline Deli' }).waitFor();
  await page.getByRole('button', { name: 'Mark the remaining items in compliance' }).click();
  const items = await page.locator('fieldset.item').count();
  await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items, 'all marked in');
  await page.getByLabel('Food or equipment').fill('Soup');
  await page.getByLabel('Temperature').fill('70');
  await page.getByLabel('Unit').selectOption('C');
  await page.getByRole('button', { name: 'Add reading' }).click();
  await page.locator('#photo-input').setInputFiles({ name: 'kitchen.png', mimeType: 'image/png', buffer: png(400, 300) });
  await page.getByText(/Photo saved/).waitFor();
  await sign(page);
  await page.getByRole('button', { name: 'Finish and send' }).click();
  await page.getByRole('heading', { name: 'Inspection report' }).waitFor({ timeout: 5000 }).catch(async () => {
    assert.fail(`not finished: ${await page.locator('.finish .status').textContent()}`);
  });
  const report = page.locator('article.report');
  assert.match(await report.textContent(), /Temperatures taken.*Soup: 70 °C/s);
  assert.match(await report.textContent(), /Photos taken \(1\)/);
  assert.equal(await report.locator('.report-photos img').count(), 1);
  // FHRS: 21 days to appeal, said as the date.
  const due = new Date();
  due.setDate(due.getDate() + 21);
  const ymd = `${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, '0')}-${String(due.getDate()).padStart(2, '0')}`;
  assert.equal(await page.locator('#appeal-deadline time').getAttribute('datetime'), ymd);
  // Printed: the report alone, with its code.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.site').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Print report' }).isVisible(), false);
  assert.ok(await page.locator('#appeal-code').isVisible());
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await page.emulateMedia({ media: 'screen' });
  await screenshot(page, 'tablet-report-evidence');
  await page.getByRole('button', { name: 'Done' }).click();
  await localItem(page, 'Deadline Deli').getByText('Submitted').waitFor({ timeout: 30000 });
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});

test('a supervisor gives out work by area, risk and due date; an inspector neither takes nor moves work', async () => {
  // The demo gives work to both demo inspectors: their due lists are not empty at first.
  const supervisor = await staffSession('supervisor'), inspector = await staffSession('inspector');
  const inspector2 = await staffSession('inspector2'), clerk = await staffSession('clerk');
  for (const who of [inspector, inspector2]) {
    const due = await (await supervisor.ctx.get(`/api/v1/inspector/due?inspector=${who.id}&days=366`)).json();
    assert.ok(due.items.length > 0, `inspector ${who.id} has work`);
  }
  const est = Number(db.sql(
    `INSERT INTO establishment (jurisdiction_id, licence_number, name, address_line, city, postcode, risk_category)
     SELECT id, 'TAB-6', 'Unassigned Noodle Bar', '6 Test Street', 'Gotham', '10099', 'B' FROM jurisdiction
     WHERE scheme_code = 'nyc' ORDER BY id LIMIT 1 RETURNING id`).split('\n')[0]);

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/supervise/`);
  await page.getByLabel('Username').fill('supervisor');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inspectors' }).waitFor();
  await page.getByRole('heading', { name: 'Establishments to give out' }).waitFor();
  const ivan = page.locator('tr', { hasText: 'Ivan Inspector' }).first();
  assert.ok(Number(await ivan.locator('td').first().textContent()) > 0, 'Ivan holds establishments');

  // By area, risk and due date, assigned to nobody: the new establishment, due at once.
  await page.getByLabel('Area').fill('gotham');
  await page.locator('input[name="risk"][value="B"]').check();
  await page.getByLabel('Due within (days)').fill('30');
  await page.getByLabel('Assigned to nobody only').check();
  await page.getByRole('button', { name: 'Show establishments' }).click();
  await page.getByText('1 establishment, soonest due first.').waitFor();
  const row = page.locator('tr[data-establishment]', { hasText: 'Unassigned Noodle Bar' });
  assert.equal(await page.locator('tr[data-establishment]').count(), 1);
  assert.match(await row.textContent(), /nobody/);
  // Ivan's due list, open while he is given the work, is brought up to date.
  await page.getByRole('button', { name: 'Due list of Ivan Inspector' }).click();
  await page.locator('#due-title').waitFor();
  assert.equal(await page.locator('.inspector-due li', { hasText: 'Unassigned Noodle Bar' }).count(), 0);
  await row.getByLabel('Inspector for Unassigned Noodle Bar').selectOption({ label: 'Ivan Inspector' });
  await row.getByRole('button', { name: 'Assign Unassigned Noodle Bar' }).click();
  await page.getByText('0 establishments, soonest due first.').waitFor();
  await page.locator('.inspector-due li', { hasText: 'Unassigned Noodle Bar' }).waitFor({ timeout: 5000 });
  // An empty list says so, in words.
  assert.doesNotMatch(await page.locator('section.worklist').innerText(), /\bnull\b/);
  assert.match(await page.locator('section.worklist').innerText(), /None matches/);
  assert.equal(db.sql(`SELECT u.username FROM inspector_assignment a JOIN staff_user u ON u.id = a.inspector_id
                       WHERE a.establishment_id = ${est}`), 'inspector2');
  await page.getByLabel('Assigned to nobody only').uncheck();
  await page.getByRole('button', { name: 'Show establishments' }).click();
  await page.locator('tr[data-establishment] td.assignee', { hasText: 'Ivan Inspector' }).waitFor();
  // Ivan's due list has it.
  await page.getByRole('button', { name: 'Due list of Ivan Inspector' }).click();
  await page.locator('.inspector-due li', { hasText: 'Unassigned Noodle Bar' }).waitFor();
  await screenshot(page, 'supervise-assignments');
  assert.deepEqual(errors, []);
  await context.close();

  // The rule of who assigns, over HTTP.
  const { conform } = openapi();
  const assign = async (who, to) => conform('PUT', '/api/v1/establishments/{id}/inspector',
    await who.ctx.put(`/api/v1/establishments/${est}/inspector`, { headers: who.headers, data: { inspector_id: to } }));
  let res = await assign(inspector, inspector.id);
  assert.equal(res.status, 403, 'an inspector does not take work for themselves');
  res = await assign(inspector, inspector2.id);
  assert.equal(res.status, 403, "an inspector does not move another inspector's work");
  assert.match(res.detail, /not assigned to you/);
  assert.equal((await assign(inspector2, inspector.id)).inspector_id, inspector.id, 'an inspector hands their own over');
  assert.equal((await assign(inspector, inspector.id)).status, 403);
  assert.equal((await assign(clerk, inspector.id)).status, 403);
  assert.equal((await assign(supervisor, clerk.id)).field, '/inspector_id');
  const list = await conform('GET', '/api/v1/supervisor/worklist',
    await supervisor.ctx.get('/api/v1/supervisor/worklist?area=10099&risk=B,A'));
  assert.equal(list.items[0].inspector.id, inspector.id);
  assert.equal((await conform('GET', '/api/v1/supervisor/worklist',
    await supervisor.ctx.get('/api/v1/supervisor/worklist?risk=F'))).field, 'risk');
  assert.equal((await conform('GET', '/api/v1/supervisor/worklist',
    await inspector.ctx.get('/api/v1/supervisor/worklist'))).status, 403);
  const loads = await conform('GET', '/api/v1/supervisor/inspectors',
    await supervisor.ctx.get('/api/v1/supervisor/inspectors'));
  assert.ok(loads.inspectors.some((i) => i.id === inspector.id && i.assigned > 0));
  for (const who of [supervisor, inspector, inspector2, clerk]) await who.ctx.dispose();
});

test('a cited item carries a day to correct by: on the report, in the staff view, a follow-up on the due list, not public', async () => {
  const { context, page } = await tablet();
  await signIn(page);
  await dueItem(page, 'Followup Fryer').getByRole('button', { name: 'Start inspection' }).click();
  await page.getByRole('heading', { name: 'Followup Fryer' }).waitFor();
  await mark(page, '10F', 'Out');
  await page.getByRole('button', { name: 'Mark the remaining items in compliance' }).click();
  const items = await page.locator('fieldset.item').count();
  await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items - 1, 'the rest marked in');
  const by = new Date(Date.now() + 14 * 86400000);
  const ymd = `${by.getFullYear()}-${String(by.getMonth() + 1).padStart(2, '0')}-${String(by.getDate()).padStart(2, '0')}`;
  assert.match(await page.locator(`#${await page.locator('#fix-10F').getAttribute('aria-describedby')}`).textContent(), /^Not published/);
  await page.locator('#fix-10F').fill(ymd);
  await page.locator('#fix-10F').blur();
  await sign(page);
  await page.getByRole('button', { name: 'Finish and send' }).click();
  await page.getByRole('heading', { name: 'Inspection report' }).waitFor({ timeout: 5000 }).catch(async () => {
    assert.fail(`not finished: ${await page.locator('.finish .status').textContent()}`);
  });
  assert.equal(await page.locator('li[data-code="10F"] .correct-by').getAttribute('data-date'), ymd);
  await page.getByRole('button', { name: 'Done' }).click();
  await localItem(page, 'Followup Fryer').getByText('Submitted').waitFor({ timeout: 30000 });
  const id = Number(db.sql(`SELECT id FROM inspection WHERE establishment_id = ${estFollowup}`));
  assert.equal(db.sql(`SELECT code || ' ' || correct_by FROM violation WHERE inspection_id = ${id}`), `10F ${ymd}`);

  const inspector = await staffSession('inspector');
  const staffView = await (await inspector.ctx.get(`/api/v1/staff/inspections/${id}`)).json();
  assert.deepEqual(staffView.corrective_actions.map((c) => [c.code, c.correct_by]), [['10F', ymd]]);
  const publicView = await (await fetch(`${server.url}/api/v1/inspections/${id}`)).text();
  assert.ok(!publicView.includes('correct_by') && !publicView.includes(ymd), 'the day to correct by is not public');
  const { conform } = openapi();
  const due = await conform('GET', '/api/v1/inspector/due', await inspector.ctx.get('/api/v1/inspector/due?days=30'));
  const followup = due.items.find((i) => i.establishment.id === estFollowup && i.reason === 'followup');
  assert.ok(followup, 'the follow-up is on the due list');
  assert.equal(followup.due_on, ymd);
  await page.getByRole('button', { name: 'Refresh due list' }).click();
  await dueItem(page, 'Followup Fryer').getByText(/Follow-up/).waitFor();
  // The establishment's staff view lists it; the public cannot ask.
  const clerk = await staffSession('clerk');
  const fixes = await conform('GET', '/api/v1/establishments/{id}/corrective-actions',
    await clerk.ctx.get(`/api/v1/establishments/${estFollowup}/corrective-actions`));
  assert.deepEqual(fixes.corrective_actions.map((c) => [c.code, c.correct_by, c.overdue]), [['10F', ymd, false]]);
  assert.equal((await fetch(`${server.url}/api/v1/establishments/${estFollowup}/corrective-actions`)).status, 401);
  await clerk.ctx.dispose();
  const desk = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const registry = await desk.newPage();
  await registry.goto(`${server.url}/registry/?id=${estFollowup}`);
  await registry.getByLabel('Username').fill('clerk');
  await registry.getByLabel('Password').fill(DEMO_PASSWORD);
  await registry.getByRole('button', { name: 'Sign in' }).click();
  await registry.locator('.corrective-actions li[data-code="10F"]').waitFor();
  assert.match(await registry.locator('.corrective-actions').textContent(), /not on the public record/);
  await desk.close();
  // The supervisors see it due that day too.
  const supervisor = await staffSession('supervisor');
  const work = await (await supervisor.ctx.get('/api/v1/supervisor/worklist?risk=A&limit=500')).json();
  assert.equal(work.items.find((i) => i.establishment.id === estFollowup)?.due_on, ymd);
  await supervisor.ctx.dispose();
  await inspector.ctx.dispose();
  assert.deepEqual(page.placardErrors, []);
  await context.close();
});
