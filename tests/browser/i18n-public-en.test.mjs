// The public pages in two languages, the English side and the switch: the same journey in
// English; the longest card (a long English name) prints on one page in both languages; the
// language switch is remembered across pages, reloads and tabs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage } from './lib.mjs';
import { NAME_ZH, NAME_EN, setUp, htmlLang, assertCardPrints, qrAddress, assertNoErrors } from './i18n-public-setup.mjs';

let server, browser, zh, en;

before(async () => {
  ({ server, browser, zh, en } = await setUp('i18npublicen'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const size of ['phone', 'tablet']) test(`in English at ${size} size: the same journey`, async () => {
  const page = await newPage(browser, size, { locale: 'en-GB' });
  await page.goto(`${server.url}/`);
  await page.locator('h1', { hasText: 'Food safety inspection results' }).waitFor();
  assert.equal(await htmlLang(page), 'en');
  assert.equal(new URL(page.url()).searchParams.get('lang'), null, 'English needs no ?lang=');
  await page.getByLabel('Name').fill('金龙');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const link = page.locator(`.results a[href="/establishment.html?id=${zh.id}"]`);
  await link.waitFor();
  assert.match(await page.locator('#status').textContent(), /^\d+ places? found\.$/);
  await link.click();
  await page.locator('h1', { hasText: NAME_ZH }).waitFor();
  assert.equal(await page.locator('#why').textContent(), 'Why this grade');
  assert.equal(await page.locator('#explanation .tag').first().textContent(), 'priority');
  assert.match(await page.locator('#last-inspected').textContent(), /^Last inspected \d{1,2} [A-Z][a-z]+ \d{4}\.$|^Last inspected [A-Z][a-z]+ \d{1,2}, \d{4}\.$/);
  await page.locator('#card-link').click();
  await page.locator('.card h1').waitFor();
  assert.equal(await page.locator('.card-kicker').textContent(), 'Food safety inspection grade');
  assert.equal(new URL(await page.locator('#qr').getAttribute('src'), server.url).searchParams.get('lang'), 'en');
  await qrAddress(page);
  await assertCardPrints(page, `the English card at ${size} size`, { pdf: false });

  // The longest English the card meets: a long name, address and meaning.
  await page.goto(`${server.url}/card.html?id=${en.id}`);
  await page.locator('.card h1', { hasText: NAME_EN }).waitFor();
  await qrAddress(page);
  await assertCardPrints(page, `a card with a long English name at ${size} size`);

  const res = await page.goto(`${server.url}/no-such-page.html`);
  assert.equal(res.status(), 404);
  await page.locator('h1', { hasText: 'Page not found' }).waitFor();
  assertNoErrors(page, 1);
  await page.context().close();
});

test('a card with a long English name prints on one page in Chinese too', async () => {
  const page = await newPage(browser, 'desktop', { locale: 'zh-CN' });
  await page.goto(`${server.url}/card.html?id=${en.id}`);
  await page.locator('.card h1', { hasText: NAME_EN }).waitFor();
  assert.equal(await page.locator('.card-kicker').textContent(), '食品安全检查评级');
  await qrAddress(page);
  await assertCardPrints(page, 'a Chinese card with a long name');
  await page.context().close();
});

test('the language switch is remembered across pages and reloads', async () => {
  const page = await newPage(browser, 'phone', { locale: 'en-US' });
  await page.goto(`${server.url}/`);
  await page.locator('nav.lang-switch').waitFor();
  assert.equal(await htmlLang(page), 'en');
  await page.locator('nav.lang-switch a[hreflang="zh-CN"]').click();
  await page.locator('h1', { hasText: '食品安全检查结果' }).waitFor();
  assert.equal(await htmlLang(page), 'zh-CN');
  await page.reload();
  await page.locator('h1', { hasText: '食品安全检查结果' }).waitFor();
  // Other pages, opened without ?lang=, and a new tab of the same browser.
  await page.goto(`${server.url}/establishment.html?id=${zh.id}`);
  await page.locator('#history-h', { hasText: '检查记录' }).waitFor();
  await page.goto(`${server.url}/card.html?id=${zh.id}`);
  await page.locator('.card-kicker', { hasText: '食品安全检查评级' }).waitFor();
  const tab = await page.context().newPage();
  await tab.goto(`${server.url}/establishment.html?id=${zh.id}`);
  await tab.locator('#history-h', { hasText: '检查记录' }).waitFor();
  assert.equal(await htmlLang(tab), 'zh-CN');
  await tab.close();
  await page.goto(`${server.url}/no-such-page.html`);
  await page.locator('h1', { hasText: '页面不存在' }).waitFor();

  // And back to English.
  await page.goto(`${server.url}/establishment.html?id=${zh.id}`);
  await page.locator('nav.lang-switch a[hreflang="en"]').click();
  await page.locator('#history-h', { hasText: 'Inspection history' }).waitFor();
  assert.equal(await htmlLang(page), 'en');
  await page.reload();
  await page.locator('#history-h', { hasText: 'Inspection history' }).waitFor();
  await page.goto(`${server.url}/`);
  await page.locator('h1', { hasText: 'Food safety inspection results' }).waitFor();
  const again = await page.context().newPage();
  await again.goto(`${server.url}/card.html?id=${zh.id}`);
  await again.locator('.card-kicker', { hasText: 'Food safety inspection grade' }).waitFor();
  assertNoErrors(page, 1);
  await page.context().close();
});
