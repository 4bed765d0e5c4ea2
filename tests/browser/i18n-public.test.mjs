// The public pages in Simplified Chinese, in Chromium at phone and tablet sizes: a search
// typed in Chinese finds a place by a part of its name, its record and its grade card
// (printed on one page, its QR code asking for the record in the card's language), and the
// page for an unknown address, all in Chinese with dates in Chinese form; a record opened
// from a Chinese card's QR code is in Chinese on a phone set to English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, screenshot } from './lib.mjs';
import { NAME_ZH, zhDay, setUp, htmlLang, assertCardPrints, qrAddress, assertNoErrors } from './i18n-public-setup.mjs';

let server, browser, zh, en;

before(async () => {
  ({ server, browser, zh, en } = await setUp('i18npublic'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const size of ['phone', 'tablet']) {
  test(`in Chinese at ${size} size: a search typed in Chinese, the record, the card and an unknown page`, async () => {
    const page = await newPage(browser, size, { locale: 'zh-CN' });
    await page.goto(`${server.url}/`);
    await page.locator('h1', { hasText: '食品安全检查结果' }).waitFor();
    assert.equal(await htmlLang(page), 'zh-CN');
    assert.equal(await page.title(), 'Placard：食品安全检查结果');
    assert.ok(await page.locator('nav.lang-switch').isVisible(), 'the switch');
    assert.equal(await page.locator('nav.lang-switch a[aria-current="true"]').textContent(), '简体中文');
    assert.equal(await page.locator('label[for=q]').textContent(), '名称');
    assert.equal(await page.locator('#q').getAttribute('placeholder'), '例如：金龙饺子馆');
    assert.equal(await page.locator('#more summary').textContent(), '更多筛选');

    // A part of the name, typed in Chinese.
    await page.getByLabel('名称').fill('饺子');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    const link = page.locator(`.results a[href="/establishment.html?id=${zh.id}"]`);
    await link.waitFor();
    assert.equal(await link.textContent(), NAME_ZH);
    assert.match(await page.locator('#status').textContent(), /^找到\d+家。$/);
    const item = page.locator('.results li', { has: page.locator(`a[href="/establishment.html?id=${zh.id}"]`) });
    assert.match(await item.locator('.grade-meaning').textContent(), /^(良好|一般|较差|限期整改)/);
    assert.match(await item.locator('.stale, .muted').last().textContent(), new RegExp(`^最近检查：${zhDay.source}$`));
    assert.equal(new URL(page.url()).searchParams.get('lang'), 'zh-CN', 'the address keeps the language');
    await screenshot(page, `i18n-public-zh-CN-search-${size}`);

    // No result.
    await page.getByLabel('名称').fill('没有这家店铺名称');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.locator('#status', { hasText: '没有找到。请检查拼写，或减少筛选条件。' }).waitFor();

    // The record.
    await page.goBack();
    await link.click();
    await page.locator('h1', { hasText: NAME_ZH }).waitFor();
    assert.equal(await htmlLang(page), 'zh-CN');
    assert.equal(await page.title(), `${NAME_ZH} · Placard`);
    assert.match(await page.locator('#grade-h').textContent(), /^(良好|一般|较差|限期整改)/);
    assert.equal(await page.locator('#why').textContent(), '评级依据');
    assert.equal(await page.locator('#history-h').textContent(), '检查记录');
    assert.match(await page.locator('#last-inspected').textContent(), new RegExp(`^最近检查：${zhDay.source}。$`));
    assert.match(await page.locator('.grade-now').textContent(), new RegExp(`依据${zhDay.source}的首次检查。`));
    assert.equal(await page.locator('#explanation .tag').first().textContent(), '优先项');
    // The violation in the scheme's Chinese wording, not its English description.
    assert.match(await page.locator('#explanation li.violation').first().textContent(), /^优先项 生熟食品未分开存放、加工（10分）$/);
    assert.equal(await page.locator('#your-business').textContent(), '这是您的店吗？');
    // A Chinese address as it is written: from the city down, with nothing between.
    assert.ok(await page.getByText(/^上海南京东路100号/).first().isVisible());
    assert.equal(await page.locator('#card-link').textContent(), '可打印的评级牌');
    await screenshot(page, `i18n-public-zh-CN-establishment-${size}`);

    // The card, in Chinese; its QR code asks for the record in Chinese.
    await page.locator('#card-link').click();
    await page.locator('.card h1').waitFor();
    assert.equal(await htmlLang(page), 'zh-CN');
    assert.equal(await page.locator('.card-kicker').textContent(), '食品安全检查评级');
    assert.match(await page.locator('.card-date').textContent(), new RegExp(`^检查日期：${zhDay.source}$`));
    assert.equal((await page.locator('.card-code').textContent()).trim(), `评级牌编码 ${zh.code}`);
    assert.equal(await page.locator('#print').textContent(), '打印此评级牌');
    assert.match(await page.locator('.card-address').textContent(), /^上海南京东路100号/);
    assert.equal(new URL(await page.locator('#qr').getAttribute('src'), server.url).searchParams.get('lang'), 'zh-CN');
    const qr = await qrAddress(page);
    assert.equal(qr.searchParams.get('id'), String(zh.id));
    assert.equal(qr.searchParams.get('card'), zh.code);
    if (qr.searchParams.has('lang')) assert.equal(qr.searchParams.get('lang'), 'zh-CN', 'the QR code opens the record in Chinese');
    // The card's words in a CJK font, not in boxes.
    const font = await page.evaluate(() => getComputedStyle(document.querySelector('.card-kicker')).fontFamily);
    assert.match(font, /Noto Sans CJK SC/);
    await screenshot(page, `i18n-public-zh-CN-card-${size}`);
    await assertCardPrints(page, `the Chinese card at ${size} size`);

    // An unknown address.
    const res = await page.goto(`${server.url}/no-such-page.html`);
    assert.equal(res.status(), 404);
    await page.locator('h1', { hasText: '页面不存在' }).waitFor();
    assert.equal(await htmlLang(page), 'zh-CN');
    assert.equal(await page.title(), '页面不存在 · Placard');
    assert.equal(await page.locator('label[for=q]').textContent(), '按名称搜索餐馆');
    await screenshot(page, `i18n-public-zh-CN-404-${size}`);
    assertNoErrors(page, 1);
    await page.context().close();
  });

}

test('a grade waiting for its appeal period to end is said in Chinese (phone)', async () => {
  const page = await newPage(browser, 'phone', { locale: 'zh-CN' });
  await page.goto(`${server.url}/establishment.html?id=${en.id}`);
  await page.locator('#grade-h').waitFor();
  assert.equal((await page.locator('#grade-h').textContent()).trim(), '评级待公布');
  assert.equal(await page.locator('.grade-now .badge, .badge').first().getAttribute('aria-label'), '评级：评级待公布');
  assert.ok(!(await page.locator('main').textContent()).includes('Awaiting Publication'));
  assertNoErrors(page);
  await page.context().close();
});

test('a record opened from a Chinese card is in Chinese on a phone set to English', async () => {
  const page = await newPage(browser, 'phone', { locale: 'en-US' });
  await page.goto(`${server.url}/establishment.html?id=${zh.id}&card=${zh.code}&lang=zh-CN`);
  const check = page.locator('#card-check');
  await check.waitFor();
  assert.equal(await htmlLang(page), 'zh-CN');
  assert.match(await check.textContent(), new RegExp(`^此评级牌为当前有效。 牌上显示的是${zhDay.source}检查得出的评级`));
  assert.equal(await page.locator('#history-h').textContent(), '检查记录');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});
