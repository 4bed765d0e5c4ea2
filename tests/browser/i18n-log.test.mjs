// The public record page (/log.html), the in-browser record check (tlog.mjs) and the
// methodology page (/methodology.html) in Simplified Chinese at phone and tablet sizes: the
// page in zh-CN (<html lang>, the sentences in Chinese, dates in Chinese form, the language
// switch, the choice remembered across a reload), the whole record checked and passing in
// Chinese, the Chinese faces scheme's grades shown by their own Chinese labels; then every
// one of these pages in the pseudo-language en-XA, where no text may be left that did not
// come from a catalogue (or is marked as data).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bin, createDatabase, startServer, launchBrowser, newPage, screenshot, untranslated,
} from './lib.mjs';

let server, browser, db, schemes, dir, keyFile, vkey;

async function api(path) {
  const res = await fetch(server.url + path);
  assert.equal(res.status, 200, path);
  return res.json();
}

// The server's sealer has moved every pending event into the log.
async function sealed() {
  for (let i = 0; i < 200; i++) {
    const h = await api('/api/v1/log/head');
    if (h.pending === 0) return h;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('events still pending after 10 s');
}

before(async () => {
  db = createDatabase('i18n_log', { demo: 20 });
  // The record is signed, so that the in-browser check of an inspection has a key to check.
  dir = mkdtempSync(join(tmpdir(), 'placard-i18n-log-'));
  keyFile = join(dir, 'log.key');
  vkey = execFileSync(bin, ['log', 'keygen', '--origin', 'test.example/log', keyFile], { encoding: 'utf8' }).split('\n')[0];
  server = await startServer(db, { PLACARD_LOG_KEY: keyFile });
  browser = await launchBrowser();
  schemes = (await api('/api/v1/schemes')).schemes.map((s) => s.code);
  await sealed();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A page in @locale whose errors are checked by errorsOf(): a missing catalogue of the scheme
// wording (web/i18n/<lang>/wording.json, kept apart from these pages' catalogues) is no error
// of these pages; any other missing file is.
async function openPage(size, options = {}) {
  const page = await newPage(browser, size, options);
  page.missing = [];
  page.on('response', (r) => { if (r.status() === 404) page.missing.push(new URL(r.url()).pathname); });
  return page;
}

function errorsOf(page) {
  const elsewhere = page.missing.filter((p) => !/^\/i18n\/[A-Za-z-]+\/wording\.json$/.test(p));
  const quiet = page.missing.length - elsewhere.length;
  let skipped = 0;
  return [...elsewhere, ...page.placardErrors.filter((e) => !(/status of 404/.test(e) && skipped++ < quiet))];
}

// Text on the page that is not Chinese where a sentence should be: Latin words outside data.
async function latinOutsideData(page) {
  return page.evaluate(() => {
    const found = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const e = n.parentElement;
      if (e.closest('[translate="no"], [lang]:not(html), script, style, code, pre, svg, .lang-switch')) continue;
      if (e.closest('details:not([open])') || !e.getClientRects().length) continue;
      // SHA-256, JSON, UTC, https and the like are names, not words.
      const words = (n.data.match(/[A-Za-z]{3,}/g) || []).filter((w) => !/^(SHA|JSON|UTC|https|Ed|ID)$/.test(w));
      if (words.length) found.push(n.data.trim());
    }
    return found;
  });
}

// The English texts of the scheme documents (names, jurisdictions, band meanings, element
// names, violation descriptions): shown through wording(), whose catalogue of them is kept
// apart; until it has a text, the text is shown as the document writes it.
async function schemeTexts() {
  const out = new Set();
  const list = (await api('/api/v1/schemes')).schemes;
  for (const s of list) {
    out.add(s.name);
    const { versions } = await api(`/api/v1/schemes/${s.code}/versions`);
    for (const v of versions) {
      const d = await api(`/api/v1/schemes/${s.code}/versions/${v.version}`);
      for (const x of [d.name, d.jurisdiction, d.rules?.pending_label_during_appeal, d.rules?.reopening_label,
        ...d.bands.flatMap((b) => [b.label, b.meaning]),
        ...(d.elements || []).flatMap((e) => [e.name, e.description]),
        ...d.violations.map((x) => x.description)]) if (x) out.add(x);
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

// Latin text on a methodology page that is neither data nor a scheme document's own text.
async function latinBesidesScheme(page) {
  const texts = await schemeTexts();
  return (await latinOutsideData(page)).filter((x) => {
    let rest = x;
    for (const t of texts) rest = rest.split(t).join(' ');
    return /[A-Za-z]{3,}/.test(rest.replace(/\b(SHA|JSON|UTC|https|Ed|ID)\b/g, ''));
  });
}

// The switch: English, then back to Chinese, each remembered across a reload.
async function switchAndBack(page) {
  const sw = page.locator('nav.lang-switch');
  await sw.waitFor();
  assert.equal(await sw.locator('a[aria-current="true"]').textContent(), '简体中文');
  await sw.getByText('English').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.locator('h1', { hasText: /^[A-Za-z]/ }).waitFor();
  await page.locator('nav.lang-switch').getByText('简体中文').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
}

for (const size of ['phone', 'tablet']) {
  test(`the public record in Chinese, checked in the browser, at ${size} size`, async () => {
    const head = await sealed();
    const page = await openPage(size, { locale: 'zh-CN' });
    await page.goto(`${server.url}/log.html`);
    await page.locator('#recent li.log-entry').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.title(), '公开记录 · Placard');
    assert.equal((await page.locator('h1').textContent()).trim(), '公开记录');
    assert.equal(await page.locator('header.site nav a[href="/"]').textContent(), '搜索', 'the same word as on the search page');
    assert.equal((await page.locator('#head-title').textContent()).trim(), '最新一条记录');
    assert.equal((await page.locator('#head-pending').textContent()).trim(), '无');
    assert.deepEqual([...new Set(await page.locator('#recent .log-mark').allTextContents())], ['✓ 核验无误']);
    const kinds = await page.locator('#recent li.log-entry h3').allTextContents();
    assert.ok(kinds.includes('已载入演示数据') || kinds.includes('演示检查已记录'), kinds.join(', '));
    // The entry's time in Chinese form: 2026年12月6日 14:05.
    assert.match(await page.locator('#recent li.log-entry time').first().textContent(), /^\d{4}年\d{1,2}月\d{1,2}日/);
    assert.match((await page.locator('#recent-status').textContent()).trim(), /^显示第[\d,]+至[\d,]+条记录，最新的在前。$/);
    assert.equal(await page.getByLabel('您在别处保存的链头（记录编号:哈希值）').count(), 1);

    // The whole record, checked in the browser: it holds, said in Chinese.
    await page.getByRole('button', { name: '核验全部记录' }).click();
    await page.locator('#check-status.log-verdict').waitFor();
    const n = head.seq.toLocaleString('zh-CN');
    assert.equal((await page.locator('#check-status').textContent()).trim(),
      `全部${n}条记录核验无误；最新一条是第${n}条，哈希值${head.hash}。`);
    assert.ok(await page.locator('#check-result.notice-good').isVisible());
    assert.equal((await page.locator('#check-more').textContent()).trim(), '本浏览器现已保存该链头，见下方。');
    assert.match(await page.locator('#kept label').textContent(), /^本浏览器于\d{4}年\d{1,2}月\d{1,2}日.*保存的链头$/);
    // An entry's fields, in words.
    const first = page.locator('#recent li.log-entry').first();
    await first.locator('summary').click();
    assert.equal((await first.locator('summary').textContent()).trim(), '记录的内容');
    assert.equal(await first.locator('.log-hashes dt').first().textContent(), '类型');
    assert.deepEqual(await latinOutsideData(page), []);
    await screenshot(page, `i18n-log-zh-CN-log-${size}`);

    // The next visit checks the kept head at once, in Chinese.
    await page.reload();
    await page.locator('#kept-status.log-verdict').waitFor();
    assert.match((await page.locator('#kept-status').textContent()).trim(),
      new RegExp(`^公开记录仍在本浏览器保存的链头之后延续：第${n}条记录的哈希值仍是${head.hash}。$`));
    await switchAndBack(page);
    assert.deepEqual(errorsOf(page), []);
    await page.context().close();
  });

  test(`the methodology pages in Chinese at ${size} size`, async () => {
    const page = await openPage(size, { locale: 'zh-CN' });
    // The Chinese faces: the grades by their own Chinese names.
    await page.goto(`${server.url}/methodology.html?scheme=cn-faces`);
    await page.locator('#bands').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal((await page.locator('h1').textContent()).trim(), '评级是如何得出的');
    assert.equal(await page.locator('header.site nav a[href="/"]').textContent(), '搜索', 'the same word as on the search page');
    // Each row: the badge (a face, or "!" for the last), then the label.
    const labels = await page.locator('#bands tbody tr td:first-child').allTextContents();
    assert.deepEqual(labels.map((x) => x.replace(/^!/, '').trim()), ['良好', '一般', '较差', '限期整改']);
    assert.equal(await page.locator('#bands .badge').first().getAttribute('aria-label'), '评级：良好');
    // (The scheme as people read it, schemeview.mjs, is shared with the administrators' schemes
    // page: its sentences are checked here by their substance, not their exact words.)
    assert.match((await page.locator('#bands caption').textContent()).trim(), /^[^A-Za-z]*等级$/);
    const words = await page.locator('.band-words li').allTextContents();
    assert.match(words[0], /^良好：.*90至100分.*；4个等级中最好的.*。含义：/);
    assert.match(words[3], /^限期整改：.*0至59分.*；4个等级中最(低|差)的/);
    const scale = page.locator('svg.rating-scale[role="img"]');
    assert.match(await scale.locator('title').textContent(), /最好的等级在左$/);
    assert.match(await scale.locator('desc').textContent(), /^良好：90至100分，/);
    assert.deepEqual(await page.locator('svg.rating-scale text').evaluateAll((ts) => ts.filter((_, i) => i % 2 === 0)
      .map((x) => x.textContent)), ['良好', '一般', '较差', '限期整改']);
    assert.equal((await page.locator('.scale-direction').textContent()).trim(), '最好的在左：分数越高越好。');
    // The violations in the scheme's own Chinese wording.
    assert.ok(await page.locator('.catalogue td', { hasText: '从业人员未取得有效健康证明' }).count() >= 1);
    assert.match(await page.locator('#in-force').textContent(), /^第\d+版现行有效，/);
    assert.match(await page.locator('#recompute-text').textContent(), /^每次公布的检查都在检查数据集中/);
    assert.deepEqual(await latinBesidesScheme(page), []);
    await screenshot(page, `i18n-log-zh-CN-methodology-cn-faces-${size}`);

    // New York's letter grades.
    await page.goto(`${server.url}/methodology.html?scheme=nyc`);
    await page.locator('#bands').waitFor();
    const text = await page.locator('#bands').textContent();
    assert.match(text, /0–13/);
    assert.match(text, /28及以上/);
    assert.equal((await page.locator('#versions-title').textContent()).trim(), '版本');
    assert.match(await page.locator('#versions li').first().textContent(), /^第\d+版，/);
    const rules = await page.locator('ul.rules li').allTextContents();
    assert.match(rules[0], /^每个违规项都.*分数越低越好。$/);
    assert.ok(rules.some((r) => /^决定评级的检查：.*首次检查/.test(r)), rules.join(' | '));
    assert.ok(rules.some((r) => /违规项仍保留在记录中并加以标注，但不再计入(分数|得分)。$/.test(r)), rules.join(' | '));
    assert.match(await page.locator('.catalogue summary').first().textContent(), /^[^A-Za-z]+项（\d+项?）$/);
    assert.deepEqual(await latinBesidesScheme(page), []);
    await screenshot(page, `i18n-log-zh-CN-methodology-nyc-${size}`);

    // The Food Hygiene Rating Scheme: its elements described in Chinese.
    await page.goto(`${server.url}/methodology.html?scheme=fhrs`);
    await page.locator('#bands').waitFor();
    const described = await page.locator('main').textContent();
    assert.match(described, /卫生：食品处理、贮存和烹饪的卫生状况。/);
    assert.match(described, /管理：保障食品安全的管理制度、记录和培训是否可信。/);
    // A band's score said once, not "the elements' total ... (over the elements)".
    assert.match((await page.locator('.band-words li').first().textContent()), /^5：得分0至15分（各要素合计），且任何单项要素得分不超过5；/);
    assert.ok(!/How hygienically|Condition of the building|Confidence in management/.test(described),
      'no element is described in English');
    await switchAndBack(page);
    assert.deepEqual(errorsOf(page), []);
    await page.context().close();
  });
}

test('the record check of an inspection speaks Chinese: in the record, or a key that is not the card\'s', async () => {
  const id = db.sql('SELECT id FROM inspection ORDER BY id LIMIT 1');
  const page = await openPage('phone', { locale: 'zh-CN' });
  await page.goto(`${server.url}/log.html`);
  await page.locator('#recent li.log-entry').first().waitFor();
  // A demo inspection has no entry of its own; a card printed under another key does not hold.
  const out = await page.evaluate(async (inspId) => {
    const { recordCheck } = await import('/js/tlog.mjs');
    const outcome = async (box) => {
      document.querySelector('main').prepend(box);
      for (let i = 0; i < 300 && box.dataset.state === 'checking'; i++) await new Promise((r) => setTimeout(r, 50));
      const r = { state: box.dataset.state, text: box.textContent.trim() };
      box.remove();
      return r;
    };
    const insp = { id: inspId, public_code: 'X', establishment_id: 0, score: 0 };
    return [await outcome(recordCheck(insp)), await outcome(recordCheck(insp, 'AAAAAAAAAAAAAAAA'))];
  }, id);
  assert.equal(out[0].state, 'none', out[0].text);
  assert.match(out[0].text, /^公开记录中没有这次检查的单独记录。批量载入的检查不是逐条提交的/);
  assert.equal(out[1].state, 'failed', out[1].text);
  assert.equal(out[1].text, '警告：无法在本市公开记录中确认这次检查。为公开记录签名的密钥不是印制本卡时所用的密钥。'
    + '本页显示的内容可能已被改动。请勿仅凭本页，并告知档案管理部门。');
  assert.deepEqual(errorsOf(page), []);
  await page.context().close();
});

// A witness's cosignature key from the note verifier key keygen prints for its key file.
function cosigKey(printed) {
  const [name, , ...rest] = printed.split('+');
  const raw = Buffer.concat([Buffer.of(4), Buffer.from(rest.join('+'), 'base64').subarray(1)]);
  const hash = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), raw])).digest().subarray(0, 4);
  return `${name}+${hash.toString('hex')}+${raw.toString('base64')}`;
}

// placard witness on a free port: { url, stop() }.
function startWitness(key, state) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['witness', '--key', key, '--log', vkey, '--state', state], {
      env: { ...process.env, PLACARD_LISTEN: '127.0.0.1:0', PLACARD_QUIET_ACCESS_LOG: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}/`, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`placard witness exited ${code}`)));
  });
}

test('the outside witnesses in Chinese and in the pseudo-language', async () => {
  const keys = ['w1', 'w2'].map((w) => {
    const file = join(dir, `${w}.key`);
    return { file, vkey: cosigKey(execFileSync(bin, ['log', 'keygen', '--origin', `witness.test/${w}`, file], { encoding: 'utf8' }).split('\n')[0]) };
  });
  const witness = await startWitness(keys[0].file, join(dir, 'w1.state'));
  let srv = null;
  try {
    srv = await startServer(db, {
      PLACARD_LOG_KEY: keyFile,
      PLACARD_WITNESSES: `${keys[0].vkey} ${witness.url}; ${keys[1].vkey} http://127.0.0.1:1/`,
    });
    let cp = '';
    for (let i = 0; i < 100 && !cp.includes('\u2014 witness.test/w1 '); i++) {
      await new Promise((r) => setTimeout(r, 100));
      cp = await (await fetch(`${srv.url}/checkpoint`)).text();
    }
    assert.ok(cp.includes('\u2014 witness.test/w1 '), cp);
    const page = await openPage('phone', { locale: 'zh-CN' });
    await page.goto(`${srv.url}/log.html`);
    await page.locator('#witness-count').waitFor();
    assert.equal((await page.locator('#witness-title').textContent()).trim(), '外部见证方');
    assert.equal((await page.locator('#witnesses').textContent()).trim(),
      '已有1个见证方联署：witness.test/w1。（尚）未联署的见证方：witness.test/w2。');
    await page.goto(`${srv.url}/log.html?lang=en-XA`);
    await page.locator('#witness-count').waitFor();
    const found = await untranslated(page);
    assert.deepEqual(found, [], JSON.stringify(found, null, 1));
    assert.deepEqual(errorsOf(page), []);
    await page.context().close();
  } finally {
    await srv?.stop();
    await witness.stop();
  }
});

test('an empty record and one that cannot be loaded, in Chinese and in the pseudo-language', async () => {
  const empty = createDatabase('i18n_log_empty', { demo: 0 });
  const srv = await startServer(empty);
  try {
    const page = await openPage('phone', { locale: 'zh-CN' });
    await page.goto(`${srv.url}/log.html`);
    await page.locator('#recent-status', { hasText: '公开记录中还没有任何记录。' }).waitFor();
    assert.equal((await page.locator('#head-seq').textContent()).trim(), '暂无');
    assert.equal((await page.locator('#kept').textContent()).trim(), '本浏览器尚未保存链头：核验全部记录后即会保存。');
    await page.locator('#check-all').click();
    await page.locator('#check-status.log-verdict').waitFor();
    assert.equal((await page.locator('#check-status').textContent()).trim(), '公开记录中还没有任何记录。');
    await page.goto(`${srv.url}/log.html?lang=en-XA`);
    await page.locator('#recent-status', { hasText: '⟦' }).waitFor();
    await page.locator('#head-seq').waitFor();
    let found = await untranslated(page);
    assert.deepEqual(found, [], JSON.stringify(found, null, 1));
    // The server cannot be reached for the head: the page says so.
    await page.route('**/api/v1/log/head', (route) => route.fulfill({ status: 503, contentType: 'application/problem+json',
      body: JSON.stringify({ status: 503, title: 'Service Unavailable' }) }));
    await page.reload();
    await page.locator('#recent-status', { hasText: '503' }).waitFor();
    found = await untranslated(page);
    assert.deepEqual(found, [], JSON.stringify(found, null, 1));
    await page.context().close();
  } finally {
    await srv.stop();
  }
});

test('the pseudo-language: every sentence on the record and methodology pages comes from a catalogue', async () => {
  const page = await openPage('tablet');
  // @server: a sentence the server wrote (a problem's detail), which the server translates.
  const report = async (what, server = null) => {
    const found = (await untranslated(page)).filter((f) => f.text !== server);
    assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
  };
  await page.goto(`${server.url}/log.html?lang=en-XA`);
  await page.locator('#recent li.log-entry').first().waitFor();
  await report('the record');
  // Every entry open, its fields and exact text shown; then the whole record checked.
  await page.locator('#recent details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  await page.locator('#recent .log-exact').first().click();
  await report('the record, its entries open');
  await page.locator('#check-all').click();
  await page.locator('#check-status.log-verdict').waitFor();
  await report('the record, checked');
  await page.reload();
  await page.locator('#kept-status.log-verdict').waitFor();
  await report('the record, a kept head checked');
  // A pasted head: refused at the field, then one that is no longer the record's.
  await page.locator('#paste-head').fill('not a head');
  await page.locator('#paste-submit').click();
  await page.locator('#paste-error').waitFor();
  await report('the record, a malformed head');
  const head = await api('/api/v1/log/head');
  await page.locator('#paste-head').fill(`${head.seq + 5}:${head.hash}`);
  await page.locator('#paste-submit').click();
  await page.locator('#kept-result.notice-bad').waitFor();
  await report('the record, a head no longer in it');
  // The check of an inspection in the record.
  const id = db.sql('SELECT id FROM inspection ORDER BY id LIMIT 1');
  await page.evaluate(async (inspId) => {
    const { recordCheck } = await import('/js/tlog.mjs');
    document.querySelector('main').prepend(recordCheck({ id: inspId, public_code: 'X', establishment_id: 0, score: 0 }, 'AAAAAAAAAAAAAAAA'));
  }, id);
  await page.locator('#log-check[data-state="failed"]').waitFor();
  await report('an inspection\'s record check');

  assert.ok(schemes.includes('cn-faces') && schemes.includes('nyc'), schemes.join(', '));
  for (const code of schemes) {
    await page.goto(`${server.url}/methodology.html?scheme=${code}&lang=en-XA`);
    await page.locator('#bands').waitFor();
    await page.locator('details.catalogue').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    await report(`the methodology of ${code}`);
    assert.match(await page.title(), /^⟦/);
  }
  // An error: a scheme that is not there. Its detail is the server's sentence, in the page's
  // language: the pseudo-language's brackets too.
  const problem = await (await fetch(`${server.url}/api/v1/schemes/no-such-scheme/versions?lang=en-XA`)).json();
  assert.match(problem.detail, /^⟦.*⟧$/);
  await page.goto(`${server.url}/methodology.html?scheme=no-such-scheme&lang=en-XA`);
  await page.locator('#scheme [role=alert]').waitFor();
  assert.equal((await page.locator('#scheme [role=alert]').textContent()).trim(), problem.detail);
  await report('the methodology of an unknown scheme');
  assert.deepEqual(errorsOf(page).filter((e) => e !== '/api/v1/schemes/no-such-scheme/versions' && !/status of 404/.test(e)), []);
  await page.context().close();
});
