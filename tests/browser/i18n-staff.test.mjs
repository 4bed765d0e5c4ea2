// The staff pages in Simplified Chinese and in the pseudo-language, in Chromium at tablet
// size: a clerk finds an establishment in the licence registry, opens it, records the licence
// as issued and then suspends it with a public reason; an administrator reads the cn-faces
// scheme (its own Chinese labels and descriptions), is refused a document at the field it
// names, publishes a second version and compares the two, and is asked for a date to move a
// jurisdiction; a supervisor reads the inspectors' loads, a due list and the establishments
// to give out, and switches to English and back. On a phone, the three pages in Chinese (the
// record fits). Each page with ?lang=en-XA shows no text that did not come from a catalogue,
// but data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  root, createDatabase, startServer, launchBrowser, newPage, screenshot, signIn, untranslated,
} from './lib.mjs';

let server, browser, db;
// A demo establishment for the clerk: { id, licence, name }.
let place;

before(async () => {
  db = createDatabase('i18n_staff', { demo: 12 });
  const [id, licence, name] = db.sql(`SELECT id || '|' || licence_number || '|' || name FROM establishment
    WHERE status = 'active' AND name !~ '''' ORDER BY id LIMIT 1`).split('|');
  place = { id: Number(id), licence, name };
  server = await startServer(db);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Errors other than the refusals the pages expect and show, and catalogues a page asks for
// that another part of the site provides (the sign-in form's, the scheme wording's).
function scriptErrors(page) {
  return page.placardErrors.filter((e) => !/status of (401|403|404|409|422)\b/.test(e));
}

const ZH_DATE = /\d{4}年\d{1,2}月\d{1,2}日/;

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// The cn-faces document as shipped, to publish again changed by @change.
function cnFaces(change) {
  const doc = JSON.parse(readFileSync(join(root, 'schemes', 'cn-faces.json'), 'utf8'));
  delete doc.$schema;
  change(doc);
  return JSON.stringify(doc, null, 2);
}

async function staffPage(username, locale = 'zh-CN', size = 'tablet') {
  const page = await newPage(browser, size, { locale });
  await signIn(page, server.url, username);
  return page;
}

test('a clerk finds, opens and suspends a licence in Chinese (tablet)', async () => {
  const page = await staffPage('clerk');
  await page.goto(`${server.url}/registry/`);
  await page.getByRole('heading', { name: '查找经营场所' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.title(), '许可证登记 · Placard');
  assert.equal(await page.locator('h1').textContent(), '许可证登记');
  assert.equal(await page.locator('nav.lang-switch').count(), 1);
  assert.equal(await page.locator('#register-open').textContent(), '登记新的经营场所');

  // Nothing typed: said in Chinese.
  await page.getByRole('button', { name: '搜索' }).click();
  assert.equal(await page.locator('#find-status').textContent(), '请输入名称或许可证号。');
  // Found by its licence number, and opened.
  await page.getByLabel('名称或许可证号').fill(place.licence);
  await page.getByRole('button', { name: '搜索' }).click();
  await page.locator('#find-status', { hasText: '按许可证号找到' }).waitFor();
  assert.match(await page.locator('#find-status').textContent(), /^找到\d+家，其中\d+家按许可证号找到。$/);
  assert.equal(await page.locator('#results-h').textContent(), '找到的经营场所');
  await page.locator('#results a.result-name', { hasText: place.name }).first().click();
  await page.locator('#est-title', { hasText: place.name }).waitFor();
  assert.equal(await page.locator('#est-title').getAttribute('translate'), 'no');
  assert.equal(await page.locator('#est-status').textContent(), '有效');
  assert.equal(await page.locator('#licence-h').textContent(), '许可证');

  // Issued, with a term: dates in Chinese.
  await page.getByLabel('操作').selectOption('issued');
  assert.equal(await page.locator('#licence-action option:checked').textContent(), '发放');
  await page.getByLabel('生效日期').fill('2026-01-05');
  await page.getByLabel('到期日期').fill('2027-01-04');
  await page.getByRole('button', { name: '记录操作' }).click();
  await page.locator('#est-note', { hasText: '发放：已记入许可证历史记录。' }).waitFor();
  assert.equal(await page.locator('#licence-status').textContent(), '状态：有效；许可证有效期至2027年1月4日');

  // Suspended: the reason is required, and a public reason is offered.
  assert.equal(await page.getByLabel('公开原因').isVisible(), false);
  await page.getByLabel('操作').selectOption('suspended');
  assert.equal(await page.locator('#licence-reason-label').textContent(), '原因（必填）');
  assert.equal(await page.getByLabel('公开原因').isVisible(), true);
  assert.deepEqual(await page.locator('#licence-category option').allTextContents(), [
    '未说明', '对健康有紧迫危险', '有害生物', '无热水、无水或无电', '未满足许可条件', '无有效许可证经营', '应经营者申请', '其他原因']);
  await page.getByRole('button', { name: '记录操作' }).click();
  await page.locator('#licence-reason[aria-invalid="true"]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'licence-reason');
  assert.equal(await page.locator('#est-status').textContent(), '有效', 'nothing recorded');
  await page.getByLabel('原因（必填）').fill('洗手池没有热水。');
  await page.getByLabel('公开原因').selectOption('no-water-or-power');
  await page.getByRole('button', { name: '记录操作' }).click();
  await page.locator('#est-note', { hasText: '暂停：已记入许可证历史记录。' }).waitFor();
  assert.equal(await page.locator('#est-status').textContent(), '已暂停');
  assert.equal(await page.locator('#licence-status').textContent(), '状态：已暂停');
  const history = page.locator('#licence-history > li');
  assert.equal(await history.count(), 2);
  assert.match(await history.nth(0).textContent(), /^暂停，自\d{4}年\d{1,2}月\d{1,2}日起洗手池没有热水。记录于/);
  assert.match(await history.nth(1).textContent(), /^发放，自2026年1月5日起，至2027年1月4日/);
  assert.equal(db.sql(`SELECT reason_category FROM licence_action WHERE establishment_id = ${place.id}
    AND action = 'suspended'`), 'no-water-or-power');
  await screenshot(page, 'i18n-staff-zh-CN-registry-tablet');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('an administrator reads cn-faces, publishes a version and compares two in Chinese (tablet)', async () => {
  const page = await staffPage('admin');
  await page.goto(`${server.url}/schemes/`);
  await page.locator('#scheme-list').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.locator('h1').textContent(), '评分方案');
  assert.equal(await page.locator('#list-h').textContent(), '评分方案及其版本');
  assert.match(await page.locator('tr[data-scheme="cn-faces"]').textContent(), /第1版 自最初起适用（现行）/);

  // Version 1 of cn-faces, as people read it: the scheme's own Chinese words.
  await page.locator('tr[data-scheme="cn-faces"] a', { hasText: '第1版' }).click();
  await page.locator('#version-h', { hasText: '第1版' }).waitFor();
  const bands = await page.locator('#bands').textContent();
  for (const label of ['良好', '一般', '较差', '限期整改']) assert.ok(bands.includes(label), label);
  assert.ok(!bands.includes('Good'), 'the English label is not shown beside the Chinese');
  assert.equal(await page.locator('#bands caption').textContent(), '按得分划分的等级');
  assert.match(await page.locator('ul.rules').textContent(), /每个违规项都从100分中扣分：分数越高越好。/);
  assert.match(await page.locator('.band-words li').first().textContent(),
    /^良好：得分90至100分（满分100分，按违规项扣分）；4个等级中最好的。含义：/);
  assert.match(await page.locator('details.catalogue summary').first().textContent(), /^(关键项|重点项|一般项)（\d+项）$/);
  assert.match(await page.locator('details.catalogue').first().textContent(), /食品经营许可证未在醒目位置公示|[\u4e00-\u9fff]{6,}/);

  // Nothing to publish; then a document with a gap between bands, refused at its field.
  await page.getByRole('link', { name: '全部评分方案' }).click();
  await page.getByRole('button', { name: '发布' }).click();
  assert.equal(await page.locator('#publish-json-error').textContent(), '请选择评分方案文件（JSON文件）或粘贴内容。');
  await page.locator('#publish-json').fill(cnFaces((d) => { d.bands[1].max = 80; }));
  await page.getByRole('button', { name: '发布' }).click();
  await page.locator('#publish-json-error .pointer').waitFor();
  assert.match(await page.locator('#publish-json-error .pointer').textContent(), /^\/bands\//);
  assert.match(await page.locator('#publish-json-error').textContent(), /^\/bands\/\S+：.+（文件中为.+）$/);
  assert.equal(await page.locator('#publish-json').getAttribute('aria-invalid'), 'true');

  // Version 2, from a month ahead: Good from 88.
  await page.locator('#publish-json').fill(cnFaces((d) => { d.bands[0].min = 88; d.bands[1].max = 87; }));
  await page.locator('#publish-from').fill(isoDay(30));
  await page.getByRole('button', { name: '发布' }).click();
  await page.locator('#published', { hasText: '已发布：cn-faces第2版。' }).waitFor();
  await page.getByRole('link', { name: '与第1版比较' }).click();
  await page.locator('#diff-bands').waitFor();
  assert.match(await page.locator('#compare-h').textContent(), /：第1版与第2版比较$/);
  const diff = await page.locator('#diff-bands').textContent();
  assert.match(diff, /good：最低分：90 → 88/);
  assert.match(diff, /average：最高分：89 → 87/);
  assert.equal(await page.locator('#diff-rules').textContent(), '规则没有变化。');
  await screenshot(page, 'i18n-staff-zh-CN-schemes-tablet');

  // The list: version 2 from a day in Chinese; moving a jurisdiction asks for the date.
  await page.getByRole('link', { name: '全部评分方案' }).click();
  const row = page.locator('tr[data-scheme="cn-faces"]');
  await row.locator('a', { hasText: '第2版' }).waitFor();
  assert.match(await row.textContent(), new RegExp(`第2版 自${ZH_DATE.source}起适用`));
  await page.getByRole('button', { name: '变更' }).click();
  assert.equal(await page.locator('#assign-from-error').textContent(), '请选择按此方案评级的检查的第一天。');
  assert.match(await page.locator('#assign-history').textContent(), /今日适用：/);
  assert.deepEqual(page.placardErrors.filter((e) => !/status of (400|404|422)\b/.test(e)), []);
  await page.context().close();
});

test('a supervisor reads the loads and a due list in Chinese, and switches to English and back (tablet)', async () => {
  const page = await staffPage('supervisor');
  await page.goto(`${server.url}/supervise/`);
  await page.getByRole('heading', { name: '检查员' }).waitFor();
  await page.getByRole('heading', { name: '待分派的经营场所' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.title(), '任务分派 · Placard');
  assert.deepEqual(await page.locator('table.inspectors thead th').allTextContents(),
    ['检查员', '经营场所', '30天内到期', '已逾期', '']);
  assert.match(await page.locator('section.worklist > p').first().textContent(), /^\d+家经营场所，最先到期的在前。$/);
  assert.match(await page.locator('section.worklist').textContent(), ZH_DATE);
  assert.equal(await page.getByLabel('区域').getAttribute('placeholder'), '城市或邮政编码');

  const first = page.locator('table.inspectors tbody tr').first();
  const name = await first.locator('th').textContent();
  await first.getByRole('button', { name: `${name}的待检清单` }).click();
  await page.locator('#due-title', { hasText: `${name}的待检清单` }).waitFor();
  assert.match(await page.locator('.inspector-due > p').textContent(), /^30天内应检\d+次，已逾期\d+次。$/);
  // Assigning without choosing an inspector: said at the row.
  const row = page.locator('tr[data-establishment]').first();
  await row.locator('select').selectOption('');
  await row.getByRole('button', { name: /^分派/ }).click();
  assert.equal(await row.locator('.field-error').textContent(), '请选择检查员。');
  await screenshot(page, 'i18n-staff-zh-CN-supervise-tablet');

  // To English with the switch, remembered when the page is opened again without ?lang.
  await page.locator('nav.lang-switch a[hreflang="en"]').click();
  await page.getByRole('heading', { name: 'Inspectors' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.goto(`${server.url}/supervise/`);
  await page.getByRole('heading', { name: 'Establishments to give out' }).waitFor();
  assert.equal(await page.locator('h1').textContent(), 'Assignments');
  await page.reload();
  await page.getByRole('heading', { name: 'Inspectors' }).waitFor();
  // And back to Chinese.
  await page.locator('nav.lang-switch a[hreflang="zh-CN"]').click();
  await page.getByRole('heading', { name: '检查员' }).waitFor();
  await page.goto(`${server.url}/supervise/`);
  await page.getByRole('heading', { name: '待分派的经营场所' }).waitFor();
  assert.equal(await page.locator('h1').textContent(), '任务分派');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('the three pages in Chinese on a phone: a record, a scheme version, the assignments', async () => {
  const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
  let page = await staffPage('clerk', 'zh-CN', 'phone');
  await page.goto(`${server.url}/registry/?id=${place.id}`);
  await page.locator('#est-title', { hasText: place.name }).waitFor();
  assert.equal(await page.locator('#licence-h').textContent(), '许可证');
  assert.ok(await fits(page), 'the record fits the phone');
  await screenshot(page, 'i18n-staff-zh-CN-registry-phone');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();

  page = await staffPage('admin', 'zh-CN', 'phone');
  await page.goto(`${server.url}/schemes/?scheme=cn-faces&version=1`);
  await page.locator('#version-h', { hasText: '第1版' }).waitFor();
  assert.ok((await page.locator('#bands').textContent()).includes('良好'));
  await screenshot(page, 'i18n-staff-zh-CN-schemes-phone');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();

  page = await staffPage('supervisor', 'zh-CN', 'phone');
  await page.goto(`${server.url}/supervise/`);
  await page.getByRole('heading', { name: '待分派的经营场所' }).waitFor();
  await screenshot(page, 'i18n-staff-zh-CN-supervise-phone');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

// Nothing on the page but catalogue sentences and data marked translate="no".
async function allTranslated(page, what) {
  const found = await untranslated(page);
  assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
}

test('the pseudo-language: every sentence of the registry, the schemes and the supervisors\' pages comes from a catalogue', async () => {
  // The registry: the search, an empty search, results, a record, the registration form.
  let page = await staffPage('clerk', 'en-US');
  await page.goto(`${server.url}/registry/?lang=en-XA`);
  await page.locator('#find-h').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en-XA');
  assert.equal(await page.locator('#find-h').textContent(), '⟦Ƒíñð áñ éšţáƀļíšĥɱéñţ⟧');
  await allTranslated(page, 'the registry');
  await page.locator('form.search button[type=submit]').click();
  await page.locator('#find-status:not(:empty)').waitFor();
  await allTranslated(page, 'an empty search');
  await page.locator('#find-q').fill(place.licence);
  await page.locator('form.search button[type=submit]').click();
  await page.locator('#results a.result-name').first().waitFor();
  await page.locator('#find-status:not(:empty)').waitFor();
  await allTranslated(page, 'the results');
  await page.locator('#results a.result-name').first().click();
  await page.locator('#est-title').waitFor();
  await page.locator('#licence-history').waitFor();
  await allTranslated(page, 'a record');
  await page.locator('#licence-action').selectOption('suspended');
  await allTranslated(page, 'a suspension being recorded');
  await page.goto(`${server.url}/registry/?lang=en-XA`);
  await page.locator('#register-open').click();
  await page.locator('#register-form').waitFor();
  await allTranslated(page, 'the registration form');
  await page.context().close();

  // The schemes page: the list, versions of each kind, two versions compared, the forms'
  // own refusals.
  page = await staffPage('admin', 'en-US');
  await page.goto(`${server.url}/schemes/?lang=en-XA`);
  await page.locator('#scheme-list').waitFor();
  await allTranslated(page, 'the schemes');
  await page.locator('#publish button[type=submit]').click();
  await page.locator('#publish-json-error:not(:empty)').waitFor();
  await page.locator('#assign button[type=submit]').click();
  await page.locator('#assign-from-error:not(:empty)').waitFor();
  await allTranslated(page, 'the forms refusing');
  for (const code of ['cn-faces', 'nyc', 'fhrs', 'sf100']) {
    await page.goto(`${server.url}/schemes/?lang=en-XA&scheme=${code}&version=1`);
    await page.locator('#version-h').waitFor();
    await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    assert.match(await page.locator('#version-h').textContent(), /^⟦.*, ṽéŕšíóñ 1⟧$/);
    await allTranslated(page, `${code} version 1`);
  }
  // cn-faces has a second version (published above); compared both ways.
  for (const cmp of ['1..2', '2..1']) {
    await page.goto(`${server.url}/schemes/?lang=en-XA&scheme=cn-faces&compare=${cmp}`);
    await page.locator('#diff-rules').waitFor();
    await allTranslated(page, `cn-faces ${cmp} compared`);
  }
  await page.goto(`${server.url}/schemes/?lang=en-XA&scheme=nyc&compare=1..1`);
  await page.locator('#diff-same').waitFor();
  await allTranslated(page, 'a version compared with itself');
  await page.context().close();

  // The supervisors' page: the loads, a due list, a refusal at a row.
  page = await staffPage('supervisor', 'en-US');
  await page.goto(`${server.url}/supervise/?lang=en-XA`);
  await page.locator('table.worklist-table, section.worklist p').first().waitFor();
  assert.equal(await page.locator('h1').textContent(), '⟦Áššíĝñɱéñţš⟧');
  await allTranslated(page, 'the assignments');
  await page.locator('table.inspectors tbody button').first().click();
  await page.locator('#due-title').waitFor();
  await page.locator('tr[data-establishment] select').first().selectOption('');
  await page.locator('tr[data-establishment] button').first().click();
  await page.locator('tr[data-establishment] .field-error:not(:empty)').first().waitFor();
  await allTranslated(page, 'a due list and a refusal');
  await page.locator('#area').fill('nowhere at all');
  await page.locator('form.worklist-filters button[type=submit]').click();
  await page.locator('section.worklist table').waitFor({ state: 'detached' });
  await allTranslated(page, 'an empty list');
  await page.context().close();
});
