// The appeal journey in Simplified Chinese, in Chromium: an operator whose browser reads
// Chinese opens the report with the licence number and appeal code on a phone, reads what was
// recorded, files an appeal and sees its deadlines as Chinese dates; a hearing officer on a
// tablet signs in, works the queue and decides it, all in Chinese; the operator then reads the
// decision. The language switch is on every page and the choice is remembered. The same
// journey in English still passes, and with the pseudo-language (?lang=en-XA) the operator's
// and the hearing officers' pages show no sentence that did not come from a catalogue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  createDatabase, startServer, launchBrowser, newPage, screenshot, untranslated, DEMO_PASSWORD,
} from './lib.mjs';

let server, browser;
const reports = {};

// Staff work through the API: a clerk registers a place, an inspector inspects it.
async function staffContext(username) {
  const ctx = await request.newContext({ baseURL: server.url });
  const res = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
  assert.equal(res.status(), 201);
  const csrf = (await res.json()).csrf_token;
  return { ctx, headers: { 'X-CSRF-Token': csrf } };
}

// A place inspected two days ago with two violations; its licence number and appeal code.
async function inspected(clerk, inspector, licence, name) {
  let res = await clerk.ctx.post('/api/v1/establishments', {
    headers: clerk.headers, data: { jurisdiction: 'uk-demo', licence_number: licence, name },
  });
  assert.equal(res.status(), 201);
  const est = (await res.json()).id;
  const started = new Date(Date.now() - 2 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-i18n-appeal-${licence}-${process.pid}` },
    data: {
      establishment_id: est, type: 'initial', started_at: started, submit: true,
      readings: [{ item: 'walk-in fridge', value: 9, unit: 'C' }],
      violations: [{ code: 'H03', points: 10, correct_by: '2031-03-14', observed: 'No soap at the hand basin' },
        { code: 'S02', points: 15 }],
    },
  });
  assert.equal(res.status(), 201);
  return { est, licence, name, code: (await res.json()).appeal_code };
}

before(async () => {
  const db = createDatabase('i18n-appeal', { demo: 5 });
  server = await startServer(db);
  browser = await launchBrowser();
  const clerk = await staffContext('clerk');
  const inspector = await staffContext('inspector');
  reports.zh = await inspected(clerk, inspector, 'BR-ZH-1', '老街面馆');
  reports.en = await inspected(clerk, inspector, 'BR-EN-1', 'The Noodle House');
  reports.pseudo = await inspected(clerk, inspector, 'BR-XA-1', 'The Pseudo Diner');
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

// A Chinese date: 2026年12月6日.
const ZH_DATE = /\d{4}年\d{1,2}月\d{1,2}日/;

async function openReport(page, r, labels, query = '') {
  await page.goto(`${server.url}/operator/${query}`);
  await page.getByLabel(labels.licence).fill(r.licence);
  await page.getByLabel(labels.code).fill(r.code);
  await page.getByRole('button', { name: labels.open }).click();
  await page.getByRole('heading', { name: r.name }).waitFor();
}

const ZH = { licence: '许可证号', code: '申诉码', open: '打开我的报告' };
const EN = { licence: 'Licence number', code: 'Appeal code', open: 'Open my report' };

test('the operator reads the report and files an appeal in Chinese (phone)', async () => {
  const page = await newPage(browser, 'phone', { locale: 'zh-CN' });
  await page.goto(server.url + '/operator/');
  await page.locator('h1', { hasText: '您的检查报告' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.title(), '您的检查：申诉、回复、重新评级 · Placard');
  assert.equal(await page.locator('nav.lang-switch').count(), 1);
  assert.equal(await page.locator('#code-help').textContent(), '10位字母和数字，见报告上的“申诉码”一栏。');
  // Nothing typed: said in Chinese.
  await page.getByRole('button', { name: '打开我的报告' }).click();
  await page.locator('#lookup-status', { hasText: '请输入许可证号和申诉码。' }).waitFor();
  await screenshot(page, 'i18n-appeal-zh-CN-operator-code-phone');

  await openReport(page, reports.zh, ZH);
  const recorded = await page.locator('#recorded').textContent();
  assert.match(recorded, /^检查员记录的内容/);
  assert.match(recorded, /H03:.*（10分）/);
  // The violation in the scheme's Chinese wording, not its English description.
  assert.match(recorded, /H03: 员工在应当洗手时未洗手。（10分）/);
  assert.match(recorded, /现场情况：No soap at the hand basin/);
  assert.match(recorded, /整改期限：2031年3月14日/);
  assert.match(recorded, /walk-in fridge：9 °C/);
  assert.match(await page.locator('#report').textContent(), new RegExp(`检查时间：${ZH_DATE.source}`));
  const deadline = page.locator('p.deadline', { has: page.locator('#appeal-deadline') });
  assert.match(await deadline.textContent(), new RegExp(`^申诉截止：${ZH_DATE.source} \\d{1,2}:\\d{2} 剩余\\d+天\\d+小时$`));
  assert.match(await page.locator('#public-grade').textContent(), /^公开记录显示：.*（新评级待公布）/);
  await screenshot(page, 'i18n-appeal-zh-CN-operator-report-phone');

  await page.getByLabel(/^S02:/).check();
  await page.getByLabel('您为什么对检查结果有异议？').fill('我们的除虫公司未发现任何虫害迹象。');
  assert.equal(await page.locator('#grounds-count').textContent(), '17 / 4000');
  await screenshot(page, 'i18n-appeal-zh-CN-operator-appeal-phone');
  await page.getByRole('button', { name: '提交申诉' }).click();
  await page.locator('#appeal-state', { hasText: '已提交：等待受理审查' }).waitFor();
  assert.equal(await page.locator('#report-status').textContent(), '您的申诉已提交。');
  assert.match(await page.locator('#appeal-state + p').textContent(), new RegExp(`^提交于${ZH_DATE.source}`));
  const due = page.locator('p.deadline', { has: page.locator('#decision-deadline') });
  assert.match(await due.textContent(), new RegExp(`^决定期限：${ZH_DATE.source} \\d{1,2}:\\d{2} 剩余\\d+天\\d+小时$`));
  assert.equal(await page.locator('#your-contested').textContent(), '您有异议的违规项：S02。');
  assert.match(await page.locator('#public-grade').textContent(), /（申诉中）/);
  assert.equal(await page.getByRole('heading', { name: '您提交的证据（0）' }).count(), 1);
  await screenshot(page, 'i18n-appeal-zh-CN-operator-filed-phone');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('the switch changes the operator page to English and back, remembered across a reload (phone)', async () => {
  const page = await newPage(browser, 'phone', { locale: 'zh-CN' });
  await page.goto(server.url + '/operator/');
  await page.locator('h1', { hasText: '您的检查报告' }).waitFor();
  await page.locator('nav.lang-switch a[hreflang="en"]').click();
  await page.locator('h1', { hasText: 'Your inspection report' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // Opened again without ?lang=, in a browser that reads Chinese: still English.
  await page.goto(server.url + '/operator/');
  await page.locator('h1', { hasText: 'Your inspection report' }).waitFor();
  await page.reload();
  await page.locator('h1', { hasText: 'Your inspection report' }).waitFor();
  await page.locator('nav.lang-switch a[hreflang="zh-CN"]').click();
  await page.locator('h1', { hasText: '您的检查报告' }).waitFor();
  await page.goto(server.url + '/operator/');
  await page.locator('h1', { hasText: '您的检查报告' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

async function signInOn(page, labels) {
  await page.goto(server.url + '/hearings/');
  await page.getByLabel(labels.username).fill('hearing');
  await page.getByLabel(labels.password).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: labels.signIn }).click();
}

test('a hearing officer decides the appeal in Chinese (tablet)', async () => {
  const page = await newPage(browser, 'tablet', { locale: 'zh-CN' });
  await page.goto(server.url + '/hearings/');
  await page.getByRole('heading', { name: '登录' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.title(), '申诉 · Placard');
  assert.equal(await page.locator('nav.lang-switch').count(), 1);
  await signInOn(page, { username: '用户名', password: '密码', signIn: '登录' });
  await page.getByRole('heading', { name: /^未结申诉（\d+）$/ }).waitFor();
  const item = page.locator('ul.queue li', { hasText: reports.zh.name });
  assert.match(await item.textContent(), new RegExp(`BR-ZH-1 · 已提交.*决定期限：${ZH_DATE.source}.*剩余\\d+天`));
  assert.equal(await page.getByRole('button', { name: '待办' }).getAttribute('aria-current'), 'page');
  await screenshot(page, 'i18n-appeal-zh-CN-hearing-queue-tablet');

  await item.getByRole('button', { name: /^打开申诉\d+$/ }).click();
  await page.locator('#appeal-state', { hasText: '状态：已提交' }).waitFor();
  assert.match(await page.locator('#appeal-title').textContent(), new RegExp(`^申诉\\d+：${reports.zh.name}$`));
  const recorded = page.locator('#recorded');
  assert.match(await recorded.textContent(), new RegExp(`首次检查，${ZH_DATE.source}.*；得分\\d+，评级`));
  // The record's revision, not to be read as a scheme's version.
  assert.match(await recorded.textContent(), /；记录第1版。/);
  assert.match(await recorded.locator('tr.contested').textContent(), /S02.*15.*有异议/);
  assert.match(await recorded.locator('tr.contested').textContent(), /^S02发现虫鼠（小鼠、大鼠或昆虫）迹象。/);
  assert.equal(await page.locator('#recorded-violations th').first().textContent(), '代码');
  assert.match(await page.locator('#grounds').textContent(), /除虫公司/);
  assert.equal(await page.locator('#operator-case .muted').textContent(), '经营者未提交文件。');
  await screenshot(page, 'i18n-appeal-zh-CN-hearing-appeal-tablet');

  await page.getByRole('button', { name: '受理审查' }).click();
  await page.locator('#appeal-state', { hasText: '状态：审查中' }).waitFor();
  assert.equal(await page.locator('#appeal-note').textContent(), '已保存。');

  // The hearing, and the calendar with its days in Chinese.
  const when = new Date(Date.now() + 5 * 86400000);
  when.setHours(10, 30, 0, 0);
  const local = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}T10:30`;
  await page.getByLabel('听证日期和时间').fill(local);
  await page.getByRole('button', { name: '安排听证' }).click();
  await page.locator('#appeal-state', { hasText: '状态：已安排听证' }).waitFor();
  const day = `${when.getFullYear()}年${when.getMonth() + 1}月${when.getDate()}日`;
  assert.equal(await page.locator('#hearing-at').textContent(), `听证：${day} 10:30；未延期。`);
  await page.getByRole('button', { name: '听证日程' }).click();
  await page.getByRole('heading', { name: '听证日程' }).waitFor();
  const cal = page.locator('#calendar');
  await cal.locator('li', { hasText: reports.zh.name }).waitFor();
  assert.match(await cal.locator('h3.calendar-day').first().textContent(), new RegExp(`^${day}星期[一二三四五六日]$`));
  assert.match(await cal.locator('li', { hasText: reports.zh.name }).textContent(), /听证：10:30 · 决定期限：/);
  await screenshot(page, 'i18n-appeal-zh-CN-hearing-calendar-tablet');
  await cal.locator('li', { hasText: reports.zh.name }).getByRole('button').click();
  await page.locator('#appeal-state', { hasText: '状态：已安排听证' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '返回听证日程' }).count(), 1);

  await page.getByLabel('变更：撤销违规项并重新评级').check();
  assert.equal(await page.getByLabel('S02: 发现虫鼠（小鼠、大鼠或昆虫）迹象。（15分）').count(), 1);
  await page.getByLabel(/^S02:/).check();
  await page.getByLabel('撤销S02的理由').fill('除虫公司报告显示无虫害');
  await page.getByLabel('理由（将公开）').fill('虫害违规项证据不足。');
  await screenshot(page, 'i18n-appeal-zh-CN-hearing-decision-tablet');
  await page.getByRole('button', { name: '记录决定' }).click();
  await page.locator('#decision-outcome', { hasText: '结果：变更' }).waitFor();
  assert.equal(await page.locator('#appeal-state').textContent(), '状态：变更');
  assert.match(await page.locator('#decision-outcome + p').textContent(), new RegExp(`^决定于${ZH_DATE.source}`));
  assert.match(await page.locator('main').textContent(), /S02已撤销：除虫公司报告显示无虫害/);
  await screenshot(page, 'i18n-appeal-zh-CN-hearing-decided-tablet');

  await page.getByRole('button', { name: '已决定的申诉' }).click();
  await page.getByLabel('结果').selectOption('modified');
  await page.getByRole('button', { name: '搜索' }).click();
  await page.locator('#decided-count', { hasText: /^\d+件已决定的申诉$/ }).waitFor();
  assert.match(await page.locator('#decided').textContent(), new RegExp(`${ZH_DATE.source}.*决定：变更`));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('the operator reads the decision in Chinese (phone)', async () => {
  const page = await newPage(browser, 'phone', { locale: 'zh-CN' });
  await openReport(page, reports.zh, ZH);
  await page.locator('#appeal-state', { hasText: '已决定：撤销部分违规项，重新评级（变更）' }).waitFor();
  assert.equal(await page.locator('#decision-reasons').textContent(), '虫害违规项证据不足。');
  assert.match(await page.locator('table.before-after').textContent(), /^申诉前.*（\d+分）申诉后.*（\d+分）$/);
  assert.match(await page.locator('#recorded').textContent(), /经申诉撤销：除虫公司报告显示无虫害/);
  await screenshot(page, 'i18n-appeal-zh-CN-operator-decided-phone');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('the same journey in English (phone and tablet)', async () => {
  let page = await newPage(browser, 'phone', { locale: 'en-GB' });
  await openReport(page, reports.en, EN);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.locator('#recorded').textContent(), /H03:.*\(10 points\).*To be corrected by 14 March 2031|H03:.*\(10 points\).*To be corrected by March 14, 2031/);
  assert.match(await page.locator('#appeal-deadline').textContent(), /^\d+ days? \d+ h left$/);
  await page.getByLabel(/^S02:/).check();
  await page.getByLabel('Why do you contest the result?').fill('Our pest contractor found no activity.');
  await page.getByRole('button', { name: 'File the appeal' }).click();
  await page.locator('#appeal-state', { hasText: 'Filed: waiting to be taken under review' }).waitFor();
  assert.equal(await page.locator('#report-status').textContent(), 'Your appeal was filed.');
  assert.equal(await page.locator('#your-contested').textContent(), 'You contest: S02.');
  assert.match(await page.locator('#public-grade').textContent(), /\(under appeal\)/);
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();

  page = await newPage(browser, 'tablet', { locale: 'en-GB' });
  await signInOn(page, { username: 'Username', password: 'Password', signIn: 'Sign in' });
  await page.getByRole('heading', { name: /^Open appeals \(\d+\)$/ }).waitFor();
  const item = page.locator('ul.queue li', { hasText: reports.en.name });
  assert.match(await item.textContent(), /BR-EN-1 · filed.*Decision due .* left/);
  await item.getByRole('button', { name: /^Open appeal \d+$/ }).click();
  await page.locator('#appeal-state', { hasText: 'State: filed' }).waitFor();
  assert.match(await page.locator('#recorded').textContent(), /initial inspection .*; score \d+, grade /);
  await page.getByRole('button', { name: 'Take under review' }).click();
  await page.locator('#appeal-state', { hasText: 'State: under review' }).waitFor();
  await page.getByLabel('Upheld: the result stands').check();
  await page.getByLabel('Reasons (published)').fill('The finding is supported by the record.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.locator('#decision-outcome', { hasText: 'Outcome: upheld' }).waitFor();
  assert.equal(await page.locator('#appeal-state').textContent(), 'State: upheld');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

// untranslated() must be empty; print what it found when not.
async function allTranslated(page, what) {
  const found = await untranslated(page);
  assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
}

test('with the pseudo-language every sentence of the operator page comes from a catalogue (phone)', async () => {
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/operator/?lang=en-XA`);
  await page.locator('h1', { hasText: '⟦' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en-XA');
  await allTranslated(page, 'code entry');
  await page.locator('#lookup button[type=submit]').click();
  await page.locator('#lookup-status', { hasText: '⟦' }).waitFor();
  await allTranslated(page, 'code entry, nothing typed');
  await page.locator('#licence').fill(reports.pseudo.licence);
  await page.locator('#code').fill(reports.pseudo.code);
  await page.locator('#lookup button[type=submit]').click();
  await page.getByRole('heading', { name: reports.pseudo.name }).waitFor();
  await page.locator('#appeal-deadline', { hasText: '⟦' }).waitFor();
  await allTranslated(page, 'report and appeal form');
  await page.locator('#grounds').fill('Pseudo grounds typed by the operator.');
  await page.locator('#grounds').evaluate((e) => e.form.requestSubmit());
  await page.locator('#appeal-state').waitFor();
  await page.locator('#decision-deadline', { hasText: '⟦' }).waitFor();
  await allTranslated(page, 'report with the appeal filed');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});

test('with the pseudo-language every sentence of the hearing officers\' pages comes from a catalogue (tablet)', async () => {
  const page = await newPage(browser, 'tablet');
  await page.goto(`${server.url}/hearings/?lang=en-XA`);
  await page.locator('#signin-username').waitFor();
  await allTranslated(page, 'sign-in');
  await page.locator('#signin-username').fill('hearing');
  await page.locator('#signin-password').fill(DEMO_PASSWORD);
  await page.locator('form.signin button[type=submit]').click();
  const item = page.locator('ul.queue li', { hasText: reports.pseudo.name });
  await item.waitFor();
  await page.locator('.countdown', { hasText: '⟦' }).first().waitFor();
  await allTranslated(page, 'queue');
  await item.locator('button[data-appeal]').click();
  await page.locator('#appeal-title').waitFor();
  await page.locator('#appeal-state', { hasText: '⟦' }).waitFor();
  await allTranslated(page, 'appeal, filed');
  await page.locator('main form button[type=submit]').first().click();
  await page.locator('form.decision').waitFor();
  await allTranslated(page, 'appeal under review, with the decision form');
  await page.locator('.hearing-tabs button').nth(1).click();
  await page.locator('#calendar').waitFor();
  await page.locator('#calendar p, #calendar h3').first().waitFor();
  await allTranslated(page, 'calendar');
  await page.locator('.hearing-tabs button').nth(2).click();
  await page.locator('#decided-count').waitFor();
  await allTranslated(page, 'decided appeals');
  assert.deepEqual(scriptErrors(page), []);
  await page.context().close();
});
