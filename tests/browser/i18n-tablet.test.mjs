// The inspector's tablet app in Simplified Chinese, at tablet and at phone size: a tablet
// whose language is Chinese signs in, loses its signal, records an inspection (a violation,
// a temperature reading, the operator's signature), finishes it and hands over the report in
// Chinese (the score, the grade, the last day to appeal as a Chinese date); with the signal
// back it is sent. Started with no signal after a first visit, the app still speaks Chinese
// (the catalogues come from the service worker's cache). The language switch is remembered.
// In the pseudo-language (?lang=en-XA) the due list, the form with a violation and the
// report show no text that did not come from a catalogue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  createDatabase, startServer, launchBrowser, newPage, screenshot, untranslated, DEMO_PASSWORD, root,
  waitFor,
} from './lib.mjs';

let db, server, browser;
const est = {};

before(async () => {
  db = createDatabase('i18n_tablet', { demo: 30 });
  // Establishments under the FHRS scheme (21 days to appeal, so the report gives a date),
  // given to the demo inspector.
  const add = (licence, name) => {
    const id = Number(db.sql(
      `INSERT INTO establishment (jurisdiction_id, licence_number, name, address_line, city, risk_category)
       SELECT id, '${licence}', '${name}', '8 Test Street', 'Leeds', 'A' FROM jurisdiction
       WHERE scheme_code = 'fhrs' ORDER BY id LIMIT 1 RETURNING id`).split('\n')[0]);
    db.sql(`INSERT INTO inspector_assignment (establishment_id, inspector_id, assigned_by)
            SELECT ${id}, u.id, s.id FROM staff_user u, staff_user s
            WHERE u.username = 'inspector' AND s.username = 'supervisor'
            ON CONFLICT (establishment_id) DO UPDATE SET inspector_id = EXCLUDED.inspector_id`);
    return id;
  };
  est.tablet = add('I18N-1', 'Tablet Dumpling House');
  est.phone = add('I18N-2', 'Phone Noodle Bar');
  est.pseudo = add('I18N-3', 'Pseudo Pie Shop');
  est.refused = add('I18N-4', 'Refused Rice Shop');
  est.english = add('I18N-5', 'English Pie Shop');
  server = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A day @days from today as the page shows it in Chinese (2026年12月6日).
function chineseDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

async function drawSignature(page) {
  await page.locator('canvas.signature').scrollIntoViewIfNeeded();
  const box = await page.locator('canvas.signature').boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + 20 + i * 25, box.y + box.height / 2 + (i % 2 ? 20 : -20));
  await page.mouse.up();
}

// What the page logged as errors, but the catalogues a language does not have (404).
function errors(page) {
  return page.placardErrors.filter((e) => !/Failed to load resource/.test(e));
}

for (const size of ['tablet', 'phone']) {
  test(`zh-CN at ${size} size: offline inspection, the report in Chinese, synced when the signal returns`, async () => {
    const name = size === 'tablet' ? 'Tablet Dumpling House' : 'Phone Noodle Bar';
    const id = est[size];
    const page = await newPage(browser, size, { locale: 'zh-CN' });
    const context = page.context();
    await page.goto(`${server.url}/inspect/`);
    await page.getByRole('heading', { name: '登录后开始检查' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.title(), 'Placard 现场检查');
    assert.equal(await page.locator('nav.lang-switch').count(), 1);
    await page.getByLabel('用户名').fill('inspector');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '待检查' }).waitFor();
    const due = page.locator('li.due', { hasText: name });
    await due.waitFor();
    assert.match(await due.textContent(), /首次检查，风险等级A/);
    assert.match(await due.textContent(), /\d{4}年\d{1,2}月\d{1,2}日到期|逾期\d+天/);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.getByRole('heading', { name: '待检查' }).waitFor();
    assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker controls the page');
    await screenshot(page, `i18n-tablet-zh-CN-due-${size}`);

    // No signal: started again, the app speaks Chinese from the cached catalogues.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: '待检查' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await page.getByText('离线：工作保存在本平板上').waitFor();
    assert.equal(await page.locator('nav.lang-switch a').count(), 2, 'the list of languages is cached too');
    await due.getByRole('button', { name: '开始检查' }).click();
    await page.getByRole('heading', { name }).waitFor();

    // The checklist: all in, then the first item out (a violation).
    await page.getByRole('button', { name: '其余项目全部标为符合' }).click();
    const items = await page.locator('fieldset.item').count();
    await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items, 'all marked in');
    const code = await page.locator('fieldset.item').first().getAttribute('data-code');
    await page.locator(`fieldset[data-code="${code}"] label.mark`, { hasText: /^不符合$/ }).click();
    await page.locator(`#note-${code}`).waitFor();
    assert.match(await page.locator(`fieldset[data-code="${code}"]`).textContent(), /分值（\d+–\d+）.*看到的情况/s);
    await page.locator(`#note-${code}`).fill('后厨洗手池没有热水。');
    await waitFor(async () => Number(await page.locator('.preview').getAttribute('data-score')) > 0, 'the preview counts it');
    const score = await page.locator('.preview').getAttribute('data-score');
    const grade = await page.locator('.preview').getAttribute('data-grade');
    assert.equal(await page.locator('.preview .preview-score').textContent(), `得分${score} · 等级${grade}`);

    // A temperature reading for that item.
    await page.getByLabel('食品或设备', { exact: true }).fill('鸡汤');
    await page.getByLabel('位置', { exact: true }).fill('灶台');
    await page.getByLabel('温度', { exact: true }).fill('70');
    await page.getByLabel('单位', { exact: true }).selectOption('C');
    await page.getByLabel('对应检查项', { exact: true }).selectOption(code);
    await page.getByRole('button', { name: '添加读数' }).click();
    await page.getByText('读数已保存。').waitFor();
    await page.getByText(`鸡汤（灶台）：70 °C · ${code}`).waitFor();

    // The operator signs.
    await page.getByLabel('签字人姓名').fill('王经理');
    await page.getByLabel('签字人姓名').blur();
    await drawSignature(page);
    await screenshot(page, `i18n-tablet-zh-CN-form-${size}`);
    await page.getByRole('button', { name: '完成并发送' }).click();
    await page.getByRole('heading', { name: '检查报告' }).waitFor({ timeout: 5000 }).catch(async () => {
      assert.fail(`not finished: ${await page.locator('.finish .status').textContent()}`);
    });

    // The report handed over, in Chinese: score, grade, the last day to appeal as a date.
    const report = page.locator('article.report');
    assert.equal(await report.locator('.report-grade').textContent(), `得分${score} · 等级${grade}`);
    assert.match(await report.textContent(), /许可证I18N-\d/);
    assert.match(await report.textContent(), /检查发现的问题/);
    assert.match(await report.locator(`li[data-code="${code}"]`).textContent(), /· \d+ 分|· \d+分/);
    assert.match(await report.textContent(), /测量的温度.*鸡汤（灶台）：70 °C/s);
    assert.equal(await report.locator('.report-code h2').textContent(), '申诉、回复或申请重新评级');
    // The code under the name the operator's page asks for, and points written as elsewhere.
    assert.equal(await report.locator('.report-code').getAttribute('aria-label'), '申诉码');
    assert.equal(await page.locator('#appeal-code').evaluate((e) => e.previousElementSibling.textContent), '申诉码');
    assert.match(await report.locator(`li[data-code="${code}"]`).textContent(), /· \d+分/);
    assert.equal(await page.locator('#appeal-deadline').textContent(), `申诉截止日期：${chineseDay(21)}`);
    assert.match(await report.textContent(), new RegExp(`请在${chineseDay(21)}前访问http`));
    assert.equal(await page.locator('#report-state').textContent(), '已保存在本平板上；有信号时发送。');
    await screenshot(page, `i18n-tablet-zh-CN-report-${size}`);
    // Printed: the report alone.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.site').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: '打印报告' }).isVisible(), false);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: '完成', exact: true }).click();
    await page.getByRole('heading', { name: '待检查' }).waitFor();
    const local = page.locator('li.local', { hasText: name });
    await local.getByText('已保存在平板上').waitFor();
    assert.equal(db.sql(`SELECT count(*) FROM inspection WHERE establishment_id = ${id}`), '0');

    // The signal returns: it is sent.
    await context.setOffline(false);
    await local.getByText('已提交').waitFor({ timeout: 30000 });
    assert.equal(db.sql(`SELECT status || ' ' || score FROM inspection WHERE establishment_id = ${id}`), `submitted ${score}`);
    assert.match(await local.textContent(), /首次检查 · \d{4}年\d{1,2}月\d{1,2}日开始 · 编号\d+/);
    await screenshot(page, `i18n-tablet-zh-CN-synced-${size}`);
    assert.deepEqual(errors(page), []);
    await context.close();
  });
}

// The same journey in English at phone size (the tablet suite walks it at tablet size), its
// words read from the English catalogue: a phone whose language is English, offline.
test('en at phone size: offline inspection, the report in English, synced when the signal returns', async () => {
  const en = JSON.parse(readFileSync(`${root}/web/i18n/en/inspect.json`, 'utf8'));
  const name = 'English Pie Shop';
  const page = await newPage(browser, 'phone', { locale: 'en-US' });
  const context = page.context();
  await page.goto(`${server.url}/inspect/`);
  await page.getByRole('heading', { name: en['inspect.signin.heading'] }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByLabel(en['inspect.signin.username']).fill('inspector');
  await page.getByLabel(en['inspect.signin.password']).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: en['inspect.signin.submit'] }).click();
  await page.getByRole('heading', { name: en['inspect.home.heading'] }).waitFor();
  const due = page.locator('li.due', { hasText: name });
  await due.waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.getByRole('heading', { name: en['inspect.home.heading'] }).waitFor();
  await context.setOffline(true);
  await page.reload();
  await page.getByText(en['inspect.net.offline']).waitFor();
  await due.getByRole('button', { name: en['inspect.due.start'] }).click();
  await page.getByRole('heading', { name }).waitFor();
  await page.getByRole('button', { name: en['inspect.form.mark_remaining'] }).click();
  const items = await page.locator('fieldset.item').count();
  await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items, 'all marked in');
  const code = await page.locator('fieldset.item').first().getAttribute('data-code');
  await page.locator(`fieldset[data-code="${code}"] label.mark`, { hasText: new RegExp(`^${en['inspect.mark.out']}$`) }).click();
  await page.locator(`#note-${code}`).fill('No hot water at the kitchen basin.');
  await waitFor(async () => Number(await page.locator('.preview').getAttribute('data-score')) > 0, 'the preview counts it');
  await page.getByLabel(en['inspect.form.signer']).fill('Pat Manager');
  await page.getByLabel(en['inspect.form.signer']).blur();
  await drawSignature(page);
  await page.getByRole('button', { name: en['inspect.form.finish'] }).click();
  await page.getByRole('heading', { name: en['inspect.report.heading'] }).waitFor({ timeout: 5000 });
  // The last day to appeal, as an English date.
  const d = new Date();
  d.setDate(d.getDate() + 21);
  const day = d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
  assert.equal(await page.locator('#appeal-deadline').textContent(), en['inspect.report.deadline'].replace('{date}', day));
  await screenshot(page, 'i18n-tablet-en-report-phone');
  await page.getByRole('button', { name: en['inspect.report.done'], exact: true }).click();
  const local = page.locator('li.local', { hasText: name });
  await local.getByText(en['inspect.state.saved']).waitFor();
  await context.setOffline(false);
  await local.getByText(en['inspect.state.submitted']).waitFor({ timeout: 30000 });
  assert.equal(db.sql(`SELECT status FROM inspection WHERE establishment_id = ${est.english}`), 'submitted');
  assert.deepEqual(errors(page), []);
  await context.close();
});

test('zh-CN: a value the server would refuse is said at the field in Chinese; a refusal needs attention in Chinese', async () => {
  const page = await newPage(browser, 'tablet', { locale: 'zh-CN' });
  const context = page.context();
  await page.goto(`${server.url}/inspect/`);
  await page.getByLabel('用户名').fill('inspector');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  const due = page.locator('li.due', { hasText: 'Refused Rice Shop' });
  await due.getByRole('button', { name: '开始检查' }).click();
  await page.getByRole('heading', { name: 'Refused Rice Shop' }).waitFor();
  await page.getByRole('button', { name: '其余项目全部标为符合' }).click();
  const items = await page.locator('fieldset.item').count();
  await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items, 'all marked in');
  const code = await page.locator('fieldset.item').first().getAttribute('data-code');
  await page.locator(`fieldset[data-code="${code}"] label.mark`, { hasText: /^不符合$/ }).click();
  const points = page.locator(`#pts-${code}`);
  const good = await points.inputValue();
  await points.fill('999');
  await points.blur();
  await waitFor(async () => (await points.getAttribute('aria-invalid')) === 'true', 'the error at the field');
  assert.match(await page.locator('.field-error').textContent(), new RegExp(`^${code}的分值为\\d+到\\d+，不能是999。$`));
  await page.getByLabel('签字人姓名').fill('李老板');
  await page.getByLabel('签字人姓名').blur();
  await drawSignature(page);
  await page.getByRole('button', { name: '完成并发送' }).click();
  await page.getByText(new RegExp(`^未完成：${code}的分值为`)).waitFor();

  // Corrected and finished with no signal; the points are then changed on the tablet as a
  // change of rules would leave them: the server refuses it, and the tablet says so.
  await points.fill(good);
  await points.blur();
  await waitFor(async () => (await points.getAttribute('aria-invalid')) === null, 'the error cleared');
  await context.setOffline(true);
  await page.getByRole('button', { name: '完成并发送' }).click();
  await page.getByRole('heading', { name: '检查报告' }).waitFor();
  await page.getByRole('button', { name: '完成', exact: true }).click();
  await page.evaluate((c) => new Promise((resolve) => {
    const req = indexedDB.open('placard-inspect');
    req.onsuccess = () => {
      const tx = req.result.transaction('inspections', 'readwrite');
      tx.objectStore('inspections').getAll().onsuccess = (e) => {
        for (const r of e.target.result)
          if (r.establishmentName === 'Refused Rice Shop')
            tx.objectStore('inspections').put({ ...r, marks: { ...r.marks, [c]: { ...r.marks[c], points: 999 } } });
      };
      tx.oncomplete = () => resolve();
    };
  }), code);
  await context.setOffline(false);
  const local = page.locator('li.local', { hasText: 'Refused Rice Shop' });
  await local.getByText(/^需要处理：服务器拒收：.+请打开、改正并再次完成后重新发送。$/).waitFor({ timeout: 30000 });
  assert.equal(db.sql(`SELECT count(*) FROM inspection WHERE establishment_id = ${est.refused}`), '0');
  await screenshot(page, 'i18n-tablet-zh-CN-attention-tablet');
  await local.getByRole('button', { name: '打开' }).click();
  await page.getByRole('heading', { name: 'Refused Rice Shop' }).waitFor();
  assert.match(await page.locator('#attention').textContent(), /^需要处理：服务器拒收：/);
  assert.equal(await points.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(errors(page), []);
  await context.close();
});

test('the language switch changes the app to English and back, remembered across a reload', async () => {
  const page = await newPage(browser, 'tablet', { locale: 'zh-CN' });
  await page.goto(`${server.url}/inspect/`);
  await page.getByRole('heading', { name: '登录后开始检查' }).waitFor();
  await page.locator('nav.lang-switch a', { hasText: 'English' }).click();
  await page.getByRole('heading', { name: 'Sign in to inspect' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.goto(`${server.url}/inspect/`);
  await page.getByRole('heading', { name: 'Sign in to inspect' }).waitFor();
  await page.locator('nav.lang-switch a', { hasText: '简体中文' }).click();
  await page.getByRole('heading', { name: '登录后开始检查' }).waitFor();
  await page.goto(`${server.url}/inspect/`);
  await page.getByRole('heading', { name: '登录后开始检查' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.deepEqual(errors(page), []);
  await page.context().close();
});

test('pseudo-language: the due list, the form with a violation and the report are all from catalogues', async () => {
  const page = await newPage(browser, 'tablet');
  const check = async (what) => {
    const found = await untranslated(page);
    if (found.length) console.log(what, JSON.stringify(found, null, 1));
    assert.deepEqual(found, [], what);
  };
  await page.goto(`${server.url}/inspect/?lang=en-XA`);
  await page.locator('#username').waitFor();
  await check('sign-in');
  await page.locator('#username').fill('inspector');
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('form.signin button[type="submit"]').click();
  const due = page.locator('li.due', { hasText: 'Pseudo Pie Shop' });
  await due.waitFor();
  await check('due list');
  await due.locator('button.primary').click();
  await page.locator('h1', { hasText: 'Pseudo Pie Shop' }).waitFor();
  await page.locator('#mark-remaining').click();
  const items = await page.locator('fieldset.item').count();
  await waitFor(async () => (await page.locator('fieldset.item input[value="in"]:checked').count()) === items, 'all marked in');
  const code = await page.locator('fieldset.item').first().getAttribute('data-code');
  await page.locator(`fieldset[data-code="${code}"] input[value="out"]`).click();
  await page.locator(`#note-${code}`).waitFor();
  await page.locator('#reading-item').fill('Soup');
  await page.locator('#reading-value').fill('70');
  await page.locator('#reading-unit').selectOption('C');
  await page.locator('.reading-form button').click();
  await page.locator('ul.readings li').waitFor();
  await waitFor(async () => Number(await page.locator('.preview').getAttribute('data-score')) > 0, 'the preview counts it');
  await check('inspection form');
  await page.locator('#sig-name').fill('Olga Operator');
  await page.locator('#sig-name').blur();
  await drawSignature(page);
  await page.locator('#finish').click();
  await page.locator('article.report').waitFor({ timeout: 5000 });
  await page.locator('#appeal-deadline').waitFor();
  await check('report');
  await page.locator('.finish button.secondary').click();
  await page.locator('li.local', { hasText: 'Pseudo Pie Shop' }).waitFor();
  await check('due list with the inspection on the tablet');
  assert.deepEqual(errors(page), []);
  await page.context().close();
});
