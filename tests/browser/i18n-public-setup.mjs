// What the browser suites of the public pages in two languages (i18n-public*.test.mjs) share:
// a database and server with a place that has a Chinese name and one with a long English
// name, each inspected, and checks of the grade card (its QR code, its print).
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { createDatabase, startServer, launchBrowser, DEMO_PASSWORD, qrAddress } from './lib.mjs';

export { qrAddress };

export const NAME_ZH = '金龙饺子馆';
export const NAME_EN = 'The Old Riverside Harbourmaster\'s Family Dumpling and Noodle Kitchen';

// A day as the Chinese pages write it: 2026年12月6日.
export const zhDay = /\d{4}年\d{1,2}月\d{1,2}日/;

async function staffContext(server, username) {
  const ctx = await request.newContext({ baseURL: server.url });
  const res = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
  assert.equal(res.status(), 201);
  return { ctx, headers: { 'X-CSRF-Token': (await res.json()).csrf_token } };
}

// Register @fields with the clerk and submit an inspection of it a week ago; its id and the
// inspection's public code (the card's code).
async function register(clerk, inspector, fields, violations, n) {
  let res = await clerk.ctx.post('/api/v1/establishments', { headers: clerk.headers, data: fields });
  assert.equal(res.status(), 201, await res.text());
  const id = (await res.json()).id;
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-i18n-public-${process.pid}-${n}` },
    data: {
      establishment_id: id, type: 'initial', submit: true, violations,
      started_at: new Date(Date.now() - 7 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  });
  assert.equal(res.status(), 201, await res.text());
  const est = await (await clerk.ctx.get(`/api/v1/establishments/${id}`)).json();
  const insp = await (await clerk.ctx.get(`/api/v1/inspections/${est.grade.inspection_id}`)).json();
  return { id, code: insp.public_code, name: fields.name };
}

// A database (@name) with a few demo places and the two places, a server and a browser:
// { db, server, browser, zh, en }.
export async function setUp(name) {
  const db = createDatabase(name, { demo: 40 });
  const server = await startServer(db);
  const browser = await launchBrowser();
  const clerk = await staffContext(server, 'clerk');
  const inspector = await staffContext(server, 'inspector');
  const zh = await register(clerk, inspector, {
    jurisdiction: 'cn-demo', licence_number: 'JY-I18N-1', name: NAME_ZH,
    address_line: '南京东路100号', city: '上海', cuisine: 'Chinese',
  }, [{ code: 'CN03', points: 10 }], 1);
  const en = await register(clerk, inspector, {
    jurisdiction: 'uk-demo', licence_number: 'BR-I18N-1', name: NAME_EN,
    address_line: '1 Long Riverside Embankment Road', city: 'London', postcode: 'SE1 1AA', cuisine: 'Chinese',
  }, [], 2);
  await clerk.ctx.dispose();
  await inspector.ctx.dispose();
  return { db, server, browser, zh, en };
}

export async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.lang);
}

// Pages in a printed PDF.
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

// The card, printed: one page, nothing of it cut off at its sides.
export async function assertCardPrints(page, what, { pdf: printed = true } = {}) {
  await page.emulateMedia({ media: 'print' });
  const overflow = await page.evaluate(() => [...document.querySelectorAll('.card *')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow === 'visible' && e.clientWidth > 0)
    .map((e) => e.className || e.localName));
  assert.deepEqual(overflow, [], `${what}: nothing wider than its box`);
  const card = await page.locator('.card').boundingBox();
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  assert.ok(card.x >= 0 && card.x + card.width <= width + 1, `${what}: the card within the page`);
  await page.emulateMedia({ media: 'screen' });
  if (!printed) return;
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.equal(pdfPages(pdf), 1, `${what} prints on one page`);
}

// No error on @page but the one of each of the @notFound pages (404) it opened.
export function assertNoErrors(page, notFound = 0) {
  const missing = page.placardErrors.filter((e) => /status of 404/.test(e));
  assert.deepEqual(page.placardErrors.filter((e) => !/status of 404/.test(e)), []);
  assert.equal(missing.length, notFound, `only the unknown pages are not found: ${missing.join('; ')}`);
}
