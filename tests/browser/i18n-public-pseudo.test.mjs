// The public pages in the pseudo-language en-XA: the search page (empty, with results, with
// none), records, cards, their errors and the page for an unknown address show no sentence
// that did not come from a catalogue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, untranslated, signIn } from './lib.mjs';
import { setUp } from './i18n-public-setup.mjs';

let server, browser, db, zh, en;

before(async () => {
  ({ server, browser, db, zh, en } = await setUp('i18npublicxa'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The server's own sentences in @page's answers (a grade's rule, violations' descriptions, a
// problem's detail) that it does not yet give in en-XA: the server translates those
// (Accept-Language), not the page; each is listed so it is left out of the page's check.
async function serverTexts(ids) {
  const texts = new Set();
  const ask = async (path) => {
    const res = await fetch(`${server.url}${path}`, { headers: { 'Accept-Language': 'en-XA' } });
    return res.json();
  };
  for (const id of ids) {
    const e = await ask(`/api/v1/establishments/${id}`);
    for (const i of e.inspections || []) {
      const insp = await ask(`/api/v1/inspections/${i.id}`);
      if (insp.explanation?.rule) texts.add(insp.explanation.rule);
      for (const v of insp.violations || []) texts.add(v.description);
    }
  }
  for (const path of ['/api/v1/establishments/999999999', '/api/v1/cards/NOSUCHCODE']) texts.add((await ask(path)).detail);
  return [...texts].filter((t) => t && !t.includes('⟦'));
}

// @page's text that did not come from a catalogue, but for @serverSaid (the server's
// sentences), and the public record's check (#log-check, drawn by tlog.mjs) while the public
// record's catalogue ("log") is not there to speak for it.
async function assertTranslated(page, what, serverSaid = []) {
  const logSpeaks = (await fetch(`${server.url}/i18n/en/log.json`)).ok;
  const found = (await untranslated(page)).filter((f) => !serverSaid.some((s) => f.text.includes(s.trim().slice(0, 60)))
    && (logSpeaks || !f.where.includes('section#log-check')));
  if (found.length) console.log(what, found);
  assert.deepEqual(found, [], `${what}: text that did not come from a catalogue`);
}

test('in the pseudo-language every sentence of the public pages comes from a catalogue', async () => {
  const graded = db.sql(`SELECT e.id FROM establishment e JOIN posted_grade g ON g.establishment_id = e.id
    WHERE g.state = 'graded' AND e.id NOT IN (${zh.id}, ${en.id}) ORDER BY e.id LIMIT 1`);
  // A suspended place and a closed one.
  const [suspended, closed] = db.sql(`SELECT id FROM establishment WHERE id NOT IN (${zh.id}, ${en.id}, ${graded})
    ORDER BY id DESC LIMIT 2`).split('\n');
  const staff = await newPage(browser, 'desktop');
  const csrf = await signIn(staff, server.url, 'clerk');
  for (const [id, body] of [[suspended, { action: 'suspended', effective_on: '2026-03-02', reason: 'Mice', reason_category: 'pests' }],
    [closed, { action: 'revoked', effective_on: '2026-02-10', reason: 'Repeated failures' }]]) {
    const res = await staff.request.post(`${server.url}/api/v1/establishments/${id}/licence-actions`,
      { data: body, headers: { 'X-CSRF-Token': csrf } });
    assert.equal(res.status(), 201, await res.text());
  }
  await staff.context().close();
  const page = await newPage(browser, 'phone');
  const server_ = await serverTexts([zh.id, en.id, graded, suspended, closed]);
  const open = async (path, ready) => {
    await page.goto(`${server.url}${path}${path.includes('?') ? '&' : '?'}lang=en-XA`);
    await page.locator(ready).first().waitFor();
    await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') !== 'true');
  };
  await open('/', 'h1');
  await assertTranslated(page, 'the search page');
  await open(`/?q=${encodeURIComponent('饺子')}`, '.results li');
  await assertTranslated(page, 'the results', server_);
  await page.locator('#more').evaluate((d) => { d.open = true; });
  await assertTranslated(page, 'the results with the filters open', server_);
  await open('/?grade=A', '.results li');
  await assertTranslated(page, 'many results', server_);
  const name = db.sql(`SELECT name FROM establishment WHERE id = ${suspended}`);
  await open(`/?q=${encodeURIComponent(name)}`, `.results a[href="/establishment.html?id=${suspended}"]`);
  assert.match(await page.locator('.results .status-flag').first().textContent(), /⟦/);
  await assertTranslated(page, 'a suspended place in the results', server_);
  await open(`/?q=${encodeURIComponent('zzqxv wwkjy')}`, '#status:not(:empty)');
  assert.match(await page.locator('#status').textContent(), /⟦/);
  await assertTranslated(page, 'no results');
  for (const id of [zh.id, en.id, graded, suspended, closed]) {
    await open(`/establishment.html?id=${id}`, '#history-h');
    await page.locator('details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    if (id === suspended || id === closed) assert.match(await page.locator('#status-notice').textContent(), /⟦/);
    await assertTranslated(page, `the record ${id}`, server_);
    await open(`/card.html?id=${id}`, '.card h1');
    await assertTranslated(page, `the card ${id}`, server_);
  }
  await open(`/establishment.html?id=${zh.id}&card=${zh.code}`, '#card-check');
  await assertTranslated(page, 'a record opened from its card', server_);
  await open(`/establishment.html?id=${zh.id}&card=NOSUCHCODE`, '#card-check');
  await assertTranslated(page, 'a card that cannot be checked', server_);
  await open('/establishment.html', '[role=alert]');
  await assertTranslated(page, 'a record with no id');
  await open('/establishment.html?id=999999999', '[role=alert]');
  await assertTranslated(page, 'a record that does not exist', server_);
  await open('/card.html', '[role=alert]');
  await assertTranslated(page, 'a card with no id');
  await page.goto(`${server.url}/no-such-page.html?lang=en-XA`);
  await page.locator('h1').waitFor();
  await page.waitForFunction(() => document.documentElement.lang === 'en-XA');
  await assertTranslated(page, 'the page for an unknown address');
  await page.context().close();
});
