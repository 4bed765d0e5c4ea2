// Appeals through the pages, in Chromium at phone, tablet and desktop sizes: an operator finds
// their page from the public record, opens the report with the licence number and appeal
// code, files an appeal and sees the deadlines count down, reads the report as recorded,
// attaches photos and documents, publishes a reply and asks for a re-rating visit (offered
// only where the scheme has one); a hearing officer at a desk reads the evidence, sees the
// hearing calendar, decides with the errors of each try cleared, and finds the decision again
// among the decided appeals; a hearing officer signs in, works the queue and records a
// modified decision; the operator then sees the decision. The
// public record shows the open appeal and the reply, then the decision with the dismissed
// violation and its reason; a place inspected long ago carries a warning. Every route of the
// operator, the hearing officers, reply moderation and re-rating visits answers as the
// OpenAPI document says (status, content type, schema).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  createDatabase, startServer, launchBrowser, newPage, screenshot, openapi, DEMO_PASSWORD,
} from './lib.mjs';

let server, browser, report, staleEst;

// Staff work through the API: a clerk registers a place, an inspector inspects it.
async function staffContext(username) {
  const ctx = await request.newContext({ baseURL: server.url });
  const res = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
  assert.equal(res.status(), 201);
  const csrf = (await res.json()).csrf_token;
  return { ctx, headers: { 'X-CSRF-Token': csrf } };
}

before(async () => {
  const db = createDatabase('appeals', { demo: 5 });
  server = await startServer(db);
  browser = await launchBrowser();
  const clerk = await staffContext('clerk');
  let res = await clerk.ctx.post('/api/v1/establishments', {
    headers: clerk.headers,
    data: { jurisdiction: 'uk-demo', licence_number: 'BR-APPEAL-1', name: 'The Appeal Cafe' },
  });
  assert.equal(res.status(), 201);
  const est = (await res.json()).id;
  const inspector = await staffContext('inspector');
  const started = new Date(Date.now() - 2 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-appeals-${process.pid}` },
    data: {
      establishment_id: est, type: 'initial', started_at: started, submit: true,
      violations: [{ code: 'H03', points: 10, correct_by: '2031-03-14' }, { code: 'S02', points: 15 }],
    },
  });
  assert.equal(res.status(), 201);
  const body = await res.json();
  report = { est, code: body.appeal_code, violations: body.violations.map((v) => v.id) };
  // A place last inspected three years ago, for the public record's warning.
  res = await clerk.ctx.post('/api/v1/establishments', {
    headers: clerk.headers,
    data: { jurisdiction: 'uk-demo', licence_number: 'BR-OLD-1', name: 'The Old Mill Tearoom' },
  });
  assert.equal(res.status(), 201);
  staleEst = (await res.json()).id;
  const long = new Date(Date.now() - 3 * 365 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-appeals-old-${process.pid}` },
    data: { establishment_id: staleEst, type: 'initial', started_at: long, submit: true, violations: [] },
  });
  assert.equal(res.status(), 201);
  await clerk.ctx.dispose();
  await inspector.ctx.dispose();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Errors other than the answers the pages expect and show (not signed in, refused input).
function scriptErrors(page) {
  return page.placardErrors.filter((e) => !/status of (401|403|422)\b/.test(e));
}

async function openReport(page, code = report.code) {
  await page.goto(server.url + '/operator/');
  await page.getByLabel('Licence number').fill('BR-APPEAL-1');
  await page.getByLabel('Appeal code').fill(code);
  await page.getByRole('button', { name: 'Open my report' }).click();
}

test('a wrong code is refused on the page', async () => {
  const page = await newPage(browser, 'phone');
  await openReport(page, 'WRONGCODE9');
  await page.locator('#lookup-status', { hasText: 'do not match' }).waitFor();
  assert.ok(await page.locator('#report').isHidden());
  await page.context().close();
});

test('the operator files an appeal, replies and asks for a re-rating (phone)', async () => {
  const page = await newPage(browser, 'phone');
  await openReport(page);
  await page.getByRole('heading', { name: 'The Appeal Cafe' }).waitFor();
  // FHRS: the new rating is pending publication while the window is open.
  assert.match(await page.locator('#public-grade').textContent(), /new rating pending/);
  const countdown = page.locator('#appeal-deadline');
  await countdown.waitFor();
  assert.match(await countdown.textContent(), /days? \d+ h left/);
  await page.getByLabel(/^S02:/).check();
  await page.getByLabel('Why do you contest the result?').fill('Our pest contractor found no activity.');
  await page.getByRole('button', { name: 'File the appeal' }).click();
  await page.locator('#appeal-state', { hasText: 'Filed' }).waitFor();
  assert.match(await page.locator('#decision-deadline').textContent(), /left/);
  assert.match(await page.locator('#public-grade').textContent(), /under appeal/);
  await screenshot(page, 'appeals-operator-filed-phone');

  await page.getByLabel('Reply to the public').fill('We have fitted a new hand basin and retrained staff.');
  await page.getByRole('button', { name: 'Publish the reply' }).click();
  await page.locator('#current-reply', { hasText: 'new hand basin' }).waitFor();

  await page.getByLabel('What have you improved?').fill('New hand basin by the bins.');
  await page.getByRole('button', { name: 'Ask for a re-rating visit' }).click();
  await page.locator('#rerating-state', { hasText: 'requested' }).waitFor();
  await screenshot(page, 'appeals-operator-reply-phone');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

// The public record of the place, as anyone sees it.
async function publicRecord(size, id = report.est) {
  const page = await newPage(browser, size);
  await page.goto(`${server.url}/establishment.html?id=${id}`);
  await page.locator('h1').waitFor();
  await page.locator('#last-inspected').waitFor();
  return page;
}

test('the public record shows the open appeal and the reply (phone and tablet)', async () => {
  for (const size of ['phone', 'tablet']) {
    const page = await publicRecord(size);
    assert.match(await page.locator('h1').textContent(), /The Appeal Cafe/);
    const appeal = page.locator('#appeal');
    await appeal.waitFor();
    assert.match(await appeal.textContent(), /Under appeal/);
    assert.match(await page.locator('#reply blockquote').textContent(), /new hand basin/);
    // Recent: no warning about the date.
    assert.doesNotMatch(await page.locator('#last-inspected').textContent(), /months ago/);
    await screenshot(page, `appeals-public-open-${size}`);
    assert.deepEqual(page.placardErrors, []);
    await page.context().close();
  }
});

// A real 1x1 PNG, so that the page can be seen to show it.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1500, 32)]);

test('the public record links the operator to their page (phone)', async () => {
  const page = await publicRecord('phone');
  const link = page.getByRole('link', { name: 'Is this your business?' });
  await link.click();
  await page.getByLabel('Appeal code').waitFor();
  assert.equal(new URL(page.url()).pathname, '/operator/');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('after filing, the operator reads the report as recorded and attaches evidence (phone)', async () => {
  const page = await newPage(browser, 'phone');
  await openReport(page);
  await page.locator('#appeal-state', { hasText: 'Filed' }).waitFor();
  const recorded = await page.locator('#recorded').textContent();
  assert.match(recorded, /H03:.*\(10 points\)/);
  // The day the inspector set to correct it by: the operator is the other party.
  assert.match(recorded, /To be corrected by .*2031/);
  assert.match(recorded, /S02:.*\(15 points\).*you contest this/);
  assert.match(await page.locator('#your-grounds').textContent(), /pest contractor found no activity/);
  assert.match(await page.locator('#your-contested').textContent(), /S02/);
  // The type is told by the content: a web page named .pdf is refused, naming why.
  await page.getByLabel('Add a photo or document').setInputFiles(
    { name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script>') });
  await page.getByRole('button', { name: 'Attach the file' }).click();
  await page.locator('#attach-status', { hasText: 'not a JPEG or PNG photo or a PDF' }).waitFor();
  await page.getByLabel('Add a photo or document').setInputFiles({ name: 'basin.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Attach the file' }).click();
  await page.getByRole('heading', { name: 'Evidence you attached (1)' }).waitFor();
  await page.getByLabel('Add a photo or document').setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Attach the file' }).click();
  await page.getByRole('heading', { name: 'Evidence you attached (2)' }).waitFor();
  assert.match(await page.locator('#attachments').textContent(), /basin\.png · photo.*contract\.pdf · PDF/);
  // The operator opens their own file again (sent with the code, not by a public address).
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Open contract.pdf' }).click();
  assert.equal((await download).suggestedFilename(), 'contract.pdf');
  await screenshot(page, 'appeals-operator-evidence-phone');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('no re-rating request is offered under a scheme without one (phone)', async () => {
  const clerk = await staffContext('clerk');
  const inspector = await staffContext('inspector');
  let res = await clerk.ctx.post('/api/v1/establishments', {
    headers: clerk.headers, data: { jurisdiction: 'nyc', licence_number: 'BR-NYC-1', name: 'Deli on Fifth' },
  });
  assert.equal(res.status(), 201);
  const est = (await res.json()).id;
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-appeals-nyc-${process.pid}` },
    data: {
      establishment_id: est, type: 'initial', submit: true,
      started_at: new Date(Date.now() - 86400000).toISOString().replace(/\.\d+Z$/, 'Z'),
      violations: [{ code: '10F', points: 2 }],
    },
  });
  assert.equal(res.status(), 201);
  const code = (await res.json()).appeal_code;
  await clerk.ctx.dispose();
  await inspector.ctx.dispose();
  const page = await newPage(browser, 'phone');
  await page.goto(server.url + '/operator/');
  await page.getByLabel('Licence number').fill('BR-NYC-1');
  await page.getByLabel('Appeal code').fill(code);
  await page.getByRole('button', { name: 'Open my report' }).click();
  await page.getByRole('heading', { name: 'Re-rating visit' }).waitFor();
  assert.match(await page.locator('#rerating-none').textContent(), /no re-rating visits/);
  assert.equal(await page.getByRole('button', { name: 'Ask for a re-rating visit' }).count(), 0);
  assert.equal(await page.getByLabel('What have you improved?').count(), 0);
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('a hearing officer at a desk reads the evidence, schedules, decides and finds the decision again (desktop)', async () => {
  const { conform } = openapi();
  // A second case, with evidence, worked and decided here so that the queue is as it was.
  const clerk = await staffContext('clerk');
  const inspector = await staffContext('inspector');
  let res = await clerk.ctx.post('/api/v1/establishments', {
    headers: clerk.headers, data: { jurisdiction: 'uk-demo', licence_number: 'BR-DESK-1', name: 'The Desk Diner' },
  });
  assert.equal(res.status(), 201);
  const est = (await res.json()).id;
  const earlier = new Date(Date.now() - 400 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-appeals-desk0-${process.pid}` },
    data: { establishment_id: est, type: 'initial', started_at: earlier, submit: true, violations: [{ code: 'H03', points: 5 }] },
  });
  assert.equal(res.status(), 201);
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-appeals-desk-${process.pid}` },
    data: {
      establishment_id: est, type: 'initial', submit: true,
      started_at: new Date(Date.now() - 86400000).toISOString().replace(/\.\d+Z$/, 'Z'),
      notes: 'Kitchen busy; the manager was helpful throughout.',
      readings: [{ item: 'walk-in fridge', value: 9, unit: 'C' }],
      violations: [{ code: 'H03', points: 10, observed: 'No soap at the hand basin by the pass' },
        { code: 'S02', points: 15, observed: 'Droppings behind the dry store shelving, several days old' }],
    },
  });
  assert.equal(res.status(), 201);
  const inspection = await res.json();
  const anon = await request.newContext({ baseURL: server.url });
  const creds = { licence_number: 'BR-DESK-1', appeal_code: inspection.appeal_code };
  res = await anon.post('/api/v1/operator/appeals', {
    data: { ...creds, grounds: 'The droppings were from before our deep clean; see the contractor\'s report.',
      contested_violations: [inspection.violations[1].id] },
  });
  assert.equal(res.status(), 201);
  const appeal = (await res.json()).appeal.id;
  res = await anon.post('/api/v1/operator/appeals/attachments',
    { data: { ...creds, filename: 'shelving.png', data: [PNG.toString('base64')] } });
  let view = await conform('POST', '/api/v1/operator/appeals/attachments', res);
  assert.equal(res.status(), 201);
  assert.equal(view.appeal.attachments.length, 1);
  res = await anon.post('/api/v1/operator/appeals/attachments',
    { data: { ...creds, filename: 'contractor-report.pdf', data: [PDF.toString('base64')] } });
  assert.equal(res.status(), 201);
  res = await anon.post('/api/v1/operator/appeals/attachments',
    { data: { ...creds, filename: 'page.png', data: [Buffer.from('<svg onload=alert(1)>').toString('base64')] } });
  assert.equal((await conform('POST', '/api/v1/operator/appeals/attachments', res)).field, '/data');
  await clerk.ctx.dispose();
  await inspector.ctx.dispose();
  await anon.dispose();

  const page = await newPage(browser, 'desktop');
  await page.goto(server.url + '/hearings/');
  await page.getByLabel('Username').fill('hearing');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(`[data-appeal="${appeal}"]`).click();
  await page.locator('#appeal-state', { hasText: 'filed' }).waitFor();

  // The evidence: the inspection as recorded, what is contested and why, the files, history.
  const recorded = page.locator('#recorded-violations');
  // The grade is named as one beside the score ("score 25, grade 2", not "score 25, 2").
  assert.match(await page.locator('#recorded').textContent(), /score \d+, grade \w/);
  assert.match(await recorded.textContent(), /H03.*No soap at the hand basin.*10/);
  assert.match(await recorded.locator('tr.contested').textContent(), /S02.*Droppings behind the dry store.*15.*Contested/);
  assert.equal(await recorded.locator('tr.contested').count(), 1);
  assert.match(await page.locator('#observations').textContent(), /manager was helpful/);
  assert.match(await page.locator('#readings').textContent(), /walk-in fridge.*9 °C/);
  assert.match(await page.locator('#grounds').textContent(), /before our deep clean/);
  const files = page.locator('#attachments');
  assert.match(await files.textContent(), /shelving\.png.*contractor-report\.pdf/);
  const img = files.locator('img');
  await img.waitFor();
  await page.waitForFunction(() => document.querySelector('#attachments img')?.complete);
  assert.equal(await img.evaluate((i) => i.naturalWidth), 1, 'the attached photo is shown');
  assert.match(await page.locator('#history').textContent(), /initial.*5/);
  await screenshot(page, 'appeals-evidence-desktop');

  await page.getByRole('button', { name: 'Take under review' }).click();
  await page.locator('#appeal-state', { hasText: 'under review' }).waitFor();

  // At a desk the decision form is one column: the violations' text is not crushed.
  const label = page.getByText(/^S02: .*\(15 points\)$/);
  const width = (await label.boundingBox()).width;
  assert.ok(width >= 300, `the S02 label is ${width}px wide`);
  const formWidth = (await page.locator('form.decision').boundingBox()).width;
  const reasonsWidth = (await page.getByLabel('Reasons (published)').boundingBox()).width;
  assert.ok(reasonsWidth >= formWidth * 0.8, `reasons ${reasonsWidth}px of ${formWidth}px`);

  // Each try clears the errors of the one before.
  await page.getByRole('button', { name: 'Schedule the hearing' }).click();
  await page.getByText('Use a timestamp like').waitFor();
  await page.getByLabel('Upheld: the result stands').check();
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByText('A decision needs written reasons').waitFor();
  assert.equal(await page.getByText('Use a timestamp like').count(), 0, 'the schedule error is gone');
  assert.equal(await page.locator('#appeal-note').textContent(), '', 'the earlier "Saved." is gone');
  assert.equal(await page.locator('[aria-invalid=true]').count(), 1);
  await page.getByLabel('Modified: dismiss violations and re-grade').check();
  await page.getByLabel('Reasons (published)').fill('Reasons given.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByText('A modified decision names the violations it dismisses').waitFor();
  assert.equal(await page.getByText('A decision needs written reasons').count(), 0, 'the reasons error is gone');
  assert.equal(await page.locator('[aria-invalid=true]').count(), 1);
  await screenshot(page, 'appeals-decision-errors-desktop');

  // The hearing, on the calendar.
  const when = new Date(Date.now() + 5 * 86400000);
  when.setHours(10, 30, 0, 0);
  const local = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}T10:30`;
  await page.getByLabel('Hearing date and time').fill(local);
  await page.getByRole('button', { name: 'Schedule the hearing' }).click();
  await page.locator('#appeal-state', { hasText: 'hearing scheduled' }).waitFor();
  assert.match(await page.locator('#hearing-at').textContent(), /; not adjourned\.$/);
  await page.getByRole('button', { name: 'Hearing calendar' }).click();
  await page.getByRole('heading', { name: 'Hearing calendar' }).waitFor();
  const cal = page.locator('#calendar');
  await cal.locator(`[data-appeal="${appeal}"]`).waitFor();
  assert.match(await cal.textContent(), /The Desk Diner/);
  await screenshot(page, 'appeals-calendar-desktop');
  await cal.locator(`[data-appeal="${appeal}"]`).click();
  await page.locator('#appeal-state', { hasText: 'hearing scheduled' }).waitFor();

  await page.getByLabel('Upheld: the result stands').check();
  await page.getByLabel('Reasons (published)').fill('The contractor\'s report is dated after the visit.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.locator('#decision-outcome', { hasText: 'upheld' }).waitFor();

  // Found again among the decided appeals, by establishment and outcome, and read in full.
  await page.getByRole('button', { name: 'Decided appeals' }).click();
  await page.getByLabel('Establishment or licence').fill('desk diner');
  await page.getByLabel('Outcome').selectOption('modified');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#decided-count', { hasText: '0 decided appeals' }).waitFor();
  // Dates the wrong way round are pointed out, not answered with an empty list.
  await page.getByLabel('Decided from').fill('2030-01-02');
  await page.getByLabel('Decided to').fill('2030-01-01');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#decided-to-error', { hasText: 'before' }).waitFor({ timeout: 5000 });
  assert.equal(await page.getByLabel('Decided to').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Decided from').fill('');
  await page.getByLabel('Decided to').fill('');
  await page.getByLabel('Outcome').selectOption('upheld');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#decided-count', { hasText: '1 decided appeal' }).waitFor();
  await screenshot(page, 'appeals-decided-search-desktop');
  await page.locator(`#decided [data-appeal="${appeal}"]`).click();
  await page.locator('#decision-reasons', { hasText: 'dated after the visit' }).waitFor();
  assert.match(await page.locator('#attachments').textContent(), /shelving\.png/);
  assert.deepEqual(scriptErrors(page), []);

  // The lists' answers as the OpenAPI document says.
  const hearing = await staffContext('hearing');
  const cal2 = await conform('GET', '/api/v1/appeals/calendar', await hearing.ctx.get('/api/v1/appeals/calendar?from=2030-01-01&to=2030-01-02'));
  assert.deepEqual(cal2.appeals, []);
  const decided = await conform('GET', '/api/v1/appeals/decided', await hearing.ctx.get('/api/v1/appeals/decided?establishment=BR-DESK'));
  assert.equal(decided.appeals[0].id, appeal);
  assert.equal((await conform('GET', '/api/v1/appeals/decided', await hearing.ctx.get('/api/v1/appeals/decided?outcome=won'))).field, 'outcome');
  await hearing.ctx.dispose();
  await page.context().close();
});

test('a hearing officer decides the appeal through the queue (tablet)', async () => {
  const page = await newPage(browser, 'tablet');
  await page.goto(server.url + '/hearings/');
  await page.getByLabel('Username').fill('hearing');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Open appeals \(1\)/ }).waitFor();
  await screenshot(page, 'appeals-queue-tablet');
  await page.getByRole('button', { name: /Open appeal/ }).click();
  await page.locator('#appeal-state', { hasText: 'filed' }).waitFor();
  await page.getByRole('button', { name: 'Take under review' }).click();
  await page.locator('#appeal-state', { hasText: 'under review' }).waitFor();

  // Reasons are required: the page says so and nothing is decided.
  await page.getByLabel('Upheld: the result stands').check();
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByText('A decision needs written reasons').waitFor();

  await page.getByLabel('Modified: dismiss violations and re-grade').check();
  await page.getByLabel(/^S02:/).check();
  await page.getByLabel('Why S02 is dismissed').fill('Contractor report shows no activity');
  await page.getByLabel('Reasons (published)').fill('The pest finding is not supported by the evidence.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.locator('#decision-outcome', { hasText: 'modified' }).waitFor();
  await screenshot(page, 'appeals-decided-tablet');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('the operator sees the decision, before and after (phone)', async () => {
  const page = await newPage(browser, 'phone');
  await openReport(page);
  await page.locator('#appeal-state', { hasText: 'modified' }).waitFor();
  assert.match(await page.locator('#decision-reasons').textContent(), /not supported/);
  const table = await page.locator('table.before-after').textContent();
  assert.match(table, /Before.*score 25/);
  assert.match(table, /After.*score 10/);
  assert.doesNotMatch(await page.locator('#public-grade').textContent(), /pending/);
  await screenshot(page, 'appeals-operator-decided-phone');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('the public record shows the decision and the dismissed violation with its reason (phone and tablet)', async () => {
  for (const size of ['phone', 'tablet']) {
    const page = await publicRecord(size);
    const appeal = page.locator('#appeal');
    await appeal.waitFor();
    assert.match(await appeal.textContent(), /grade was changed/);
    assert.match(await appeal.textContent(), /Before the appeal/);
    await page.locator('.history .inspection summary', { hasText: '1 dismissed' }).first().click();
    const dismissed = page.locator('.history li.violation.dismissed');
    await dismissed.first().waitFor();
    assert.equal(await dismissed.count(), 1);
    assert.match(await dismissed.textContent(), /Signs of pests/);
    assert.match(await dismissed.locator('.dismissed-note').textContent(), /Dismissed: Contractor report shows no activity\. It no longer counts/);
    await screenshot(page, `appeals-public-decided-${size}`);
    assert.deepEqual(page.placardErrors, []);
    await page.context().close();
  }
});

test('a place inspected long ago carries a warning on its public record', async () => {
  const page = await publicRecord('phone', staleEst);
  const last = page.locator('#last-inspected');
  assert.match(await last.getAttribute('class'), /notice-warn/);
  assert.match(await last.textContent(), /over 18 months ago/);
  await screenshot(page, 'portal-stale-phone');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('the operator page and the hearing queue fit phone and tablet widths', async () => {
  for (const size of ['phone', 'tablet']) {
    const page = await newPage(browser, size);
    await openReport(page);
    await page.locator('#appeal-state', { hasText: 'modified' }).waitFor();
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
    assert.ok(await fits(), `/operator/ fits a ${size}`);
    await page.goto(server.url + '/hearings/');
    await page.getByLabel('Username').fill('hearing');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Open appeals \(0\)/ }).waitFor();
    assert.ok(await fits(), `/hearings/ fits a ${size}`);
    await screenshot(page, `appeals-queue-${size}`);
    assert.deepEqual(scriptErrors(page), []);
    await page.context().close();
  }
});

test('the routes of operators, hearing officers, reply moderation and re-rating answer as the OpenAPI document says', async () => {
  const { conform } = openapi();
  const [clerk, inspector, hearing, supervisor] = await Promise.all(
    ['clerk', 'inspector', 'hearing', 'supervisor'].map(staffContext));
  const post = (who, path, data) => who.ctx.post(path, { headers: who.headers, data });
  let res = await post(clerk, '/api/v1/establishments',
    { jurisdiction: 'uk-demo', licence_number: 'BR-API-1', name: 'The Documented Cafe' });
  assert.equal(res.status(), 201);
  const est = (await res.json()).id;
  const started = new Date(Date.now() - 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-appeals-api-${process.pid}` },
    data: {
      establishment_id: est, type: 'initial', started_at: started, submit: true,
      violations: [{ code: 'H03', points: 10 }, { code: 'S02', points: 15 }],
    },
  });
  assert.equal(res.status(), 201);
  const inspection = await res.json();
  const anon = await request.newContext({ baseURL: server.url });
  const operator = async (path, extra = {}, code = inspection.appeal_code) => conform('POST', path,
    await anon.post(path, { data: { licence_number: 'BR-API-1', appeal_code: code, ...extra } }));

  // The operator: the report, an appeal (once), a reply, a re-rating request (once).
  let view = await operator('/api/v1/operator/report');
  assert.equal(view.inspection.id, inspection.id);
  assert.equal(view.appeal, null);
  assert.equal((await operator('/api/v1/operator/report', {}, 'WRONGCODE9')).status, 403);
  assert.equal((await operator('/api/v1/operator/appeals/withdraw')).status, 404);
  res = await anon.post('/api/v1/operator/appeals', {
    data: {
      licence_number: 'BR-API-1', appeal_code: inspection.appeal_code,
      grounds: 'The basin was out of use for a repair that morning.',
      contested_violations: [inspection.violations[0].id],
    },
  });
  view = await conform('POST', '/api/v1/operator/appeals', res);
  assert.equal(res.status(), 201);
  const appeal = view.appeal.id;
  assert.equal(res.headers().location, `/api/v1/appeals/${appeal}`);
  assert.deepEqual(view.appeal.contested_violations, [inspection.violations[0].id]);
  assert.equal((await operator('/api/v1/operator/appeals', { grounds: 'Again.' })).status, 409);
  assert.equal((await operator('/api/v1/operator/appeals', { grounds: '' })).field, '/grounds');
  const reply = await operator('/api/v1/operator/replies', { text: 'We have retrained our staff.' });
  assert.equal(reply.text, 'We have retrained our staff.');
  assert.equal((await operator('/api/v1/operator/replies', { text: ' ' })).field, '/text');
  const rerating = await operator('/api/v1/operator/rerating-requests', { improvements: 'A second hand basin.' });
  assert.equal(rerating.state, 'requested');
  assert.equal((await operator('/api/v1/operator/rerating-requests', { improvements: 'More.' })).status, 409);

  // Hearing officers and supervisors: the queues, the staff view, each step to a decision.
  const queue = await conform('GET', '/api/v1/appeals', await hearing.ctx.get('/api/v1/appeals'));
  assert.ok(queue.appeals.some((a) => a.id === appeal));
  await conform('GET', '/api/v1/appeals/overdue', await supervisor.ctx.get('/api/v1/appeals/overdue'));
  assert.equal((await conform('GET', '/api/v1/appeals', await inspector.ctx.get('/api/v1/appeals'))).status, 403);
  let staff = await conform('GET', '/api/v1/staff/appeals/{id}', await hearing.ctx.get(`/api/v1/staff/appeals/${appeal}`));
  assert.equal(staff.grounds, 'The basin was out of use for a repair that morning.');
  const step = async (path, data) => conform('POST', `/api/v1/appeals/{id}/${path}`,
    await post(hearing, `/api/v1/appeals/${appeal}/${path}`, data));
  assert.equal((await step('hearing', { hearing_at: '2030-01-01T10:00:00Z' })).status, 409);
  assert.equal((await step('review', { action: 'reject_late' })).field, '/note');
  assert.equal((await step('review', { action: 'accept' })).state, 'under_review');
  const at = new Date(Date.now() + 7 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  assert.equal((await step('hearing', { hearing_at: at })).state, 'hearing_scheduled');
  assert.equal((await step('adjournments', { hearing_at: at, reason: 'The operator is ill.' })).adjournments, 1);
  assert.equal((await step('decision', {
    outcome: 'upheld', reasons: 'x', dismissed: [{ violation_id: inspection.violations[0].id, reason: 'x' }],
  })).field, '/dismissed');
  staff = await step('decision', { outcome: 'upheld', reasons: 'The inspector saw the basin blocked.' });
  assert.equal(staff.outcome, 'upheld');
  assert.equal(staff.inspection.id, inspection.id);
  const record = await conform('GET', '/api/v1/appeals/{id}', await anon.get(`/api/v1/appeals/${appeal}`));
  assert.equal(record.reasons, 'The inspector saw the basin blocked.');
  assert.equal(record.grounds, undefined, 'the grounds are not public');
  assert.equal((await conform('GET', '/api/v1/appeals/{id}', await anon.get('/api/v1/appeals/99999999'))).status, 404);

  // Clerks: the reply edited, then withdrawn; a reply that is not current is not found.
  const moderate = async (id, data) => conform('POST', '/api/v1/replies/{id}/moderation',
    await post(clerk, `/api/v1/replies/${id}/moderation`, data));
  assert.equal((await moderate(reply.id, { text: 'Edited.' })).field, '/reason');
  let moderated = await moderate(reply.id, { text: 'We have trained our staff.', reason: 'Wording.' });
  assert.deepEqual([moderated.removed, moderated.published_text], [false, 'We have trained our staff.']);
  moderated = await moderate(reply.id, { reason: 'Withdrawn at the operator\'s request.' });
  assert.deepEqual([moderated.removed, moderated.published_text], [true, null]);
  assert.equal((await moderate(99999999, { reason: 'None.' })).status, 404);

  // Inspectors: the re-rating request on the list, scheduled, then its visit recorded.
  const due = await conform('GET', '/api/v1/rerating-requests/due', await inspector.ctx.get('/api/v1/rerating-requests/due'));
  assert.ok(due.upcoming.some((r) => r.id === rerating.id));
  const rr = async (path, data) => conform('POST', `/api/v1/rerating-requests/{id}/${path}`,
    await post(inspector, `/api/v1/rerating-requests/${rerating.id}/${path}`, data));
  assert.equal((await rr('schedule', { visit_on: '2020-01-01' })).field, '/visit_on');
  assert.equal((await rr('schedule', { visit_on: rerating.earliest_visit_on })).state, 'scheduled');
  assert.equal((await rr('inspected', { inspection_id: 99999999 })).field, '/inspection_id');
  // The rated inspection is not the visit: the visit comes after the request.
  assert.equal((await rr('inspected', { inspection_id: inspection.id })).field, '/inspection_id');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-appeals-visit-${process.pid}` },
    data: {
      establishment_id: est, type: 'complaint', submit: true,
      started_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), violations: [],
    },
  });
  assert.equal(res.status(), 201);
  const visit = await res.json();
  assert.equal((await rr('inspected', { inspection_id: visit.id })).state, 'inspected');
  assert.equal((await rr('inspected', { inspection_id: visit.id })).status, 409);

  // The operator's view after it all.
  view = await operator('/api/v1/operator/report');
  assert.deepEqual([view.appeal.state, view.reply.published_text, view.rerating.state], ['upheld', null, 'inspected']);
  assert.equal((await operator('/api/v1/operator/appeals/withdraw')).status, 409);
  for (const who of [clerk, inspector, hearing, supervisor]) await who.ctx.dispose();
  await anon.dispose();
});
