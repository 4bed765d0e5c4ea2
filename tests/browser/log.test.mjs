// The public record page (/log.html) in Chromium at phone and tablet sizes: the head and the
// newest entries, each recomputed in the page and holding; the hash the page computes for
// every entry is the one the database computed; "Check the whole record" walks the chain in
// pages of 1000; the head it verified is kept and, on the next visit, found still extended.
// Then, as the database superuser going around the append-only trigger: a changed payload is
// named at exactly that entry, by the whole check, by the newest-entries marks and by a head
// kept at that entry; a rewrite with every later hash recomputed passes the whole check in a
// browser that kept nothing, and is reported by the one that kept the old head. A wrong
// pasted head does not match, a malformed one is refused at the field, and a page without
// SHA-256 (http on a host that is not this machine) says it needs the https address. An
// empty record says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request, chromium } from 'playwright-core';
import {
  createDatabase, startServer, launchBrowser, newPage, screenshot, DEMO_PASSWORD, checkA11y,
} from './lib.mjs';

let server, browser, db;
const n = (x) => Number(x).toLocaleString('en');

// Staff work through the API, as the appeals test does.
async function staffContext(username) {
  const ctx = await request.newContext({ baseURL: server.url });
  const res = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
  assert.equal(res.status(), 201);
  return { ctx, headers: { 'X-CSRF-Token': (await res.json()).csrf_token } };
}

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

// The whole published log, as the API gives it.
async function published() {
  const all = [];
  for (let after = 0; ;) {
    const { entries } = await api(`/api/v1/log?after=${after}&limit=1000`);
    if (!entries.length) return all;
    all.push(...entries);
    after = entries[entries.length - 1].seq;
  }
}

// Run @sql with event_log's append-only triggers off, in one transaction.
function tamper(sql) {
  db.sql(`BEGIN; ALTER TABLE event_log DISABLE TRIGGER USER; ${sql};`
    + ' ALTER TABLE event_log ENABLE TRIGGER USER; COMMIT');
}
const restore = () => tamper('DELETE FROM event_log; INSERT INTO event_log SELECT * FROM log_copy');

const headOf = () => {
  const [seq, hash] = db.sql('SELECT seq || \' \' || hash FROM event_log ORDER BY seq DESC LIMIT 1').split(' ');
  return { seq: Number(seq), hash };
};

// Nothing sticks out sideways: long hashes wrap at any size.
async function fitsWidth(page) {
  const width = page.viewportSize().width;
  const [page_, wide] = await page.evaluate(() => [document.documentElement.scrollWidth,
    [...document.querySelectorAll('main *:not(input)')].filter((e) => e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`)]);
  assert.ok(page_ <= width, `the page is ${page_} px wide in a ${width} px window (${wide.join(', ')})`);
}

// The verdict of the check @name ('check': the whole record, 'kept': a kept head) once it
// is given, or why the check could not finish.
async function verdict(page, name) {
  await page.waitForFunction((id) => {
    const s = document.getElementById(id);
    return s.className === 'log-verdict' || /could not finish/.test(s.textContent);
  }, `${name}-status`);
  return (await page.locator(`#${name}-status`).textContent()).trim();
}

async function checkWhole(page) {
  await page.getByRole('button', { name: 'Check the whole record' }).click();
  return verdict(page, 'check');
}

async function checkPasted(page, text) {
  await page.getByLabel('A head you kept elsewhere').fill(text);
  await page.getByRole('button', { name: 'Check this head' }).click();
  return verdict(page, 'kept');
}

// The page reached by a fresh browser (nothing kept), its head and newest entries shown.
async function openFresh(size) {
  const page = await newPage(browser, size);
  await page.goto(server.url + '/log.html');
  await page.locator('#recent li.log-entry').first().waitFor();
  return page;
}

before(async () => {
  db = createDatabase('log', { demo: 20 });
  server = await startServer(db);
  browser = await launchBrowser();
  // The demo load is one entry. Then 1,100 more (so the whole check takes two pages of 1000)
  // whose payloads hold what a careless hash gets wrong: non-ASCII letters, an emoji, an
  // escaped newline, quotes and a backslash, a number with a trailing zero, a big integer.
  db.sql(`SELECT event_append('test.entry', 'establishment/' || (g % 20 + 1),
    jsonb_build_object('n', g, 'note', E'Caf\\u00e9 \\u00abd\\u00e9j\\u00e0 vu\\u00bb \\u2713 \\U0001F35C\\nline "two" \\\\ end',
      'amount', 1.50, 'big', 12345678901234567890, 'nested', jsonb_build_object('b', true, 'a', '[]'::jsonb)))
    FROM generate_series(1, 1100) g`);
  // Then real events through the API: a place registered under a name with accents, an
  // inspection submitted there.
  const clerk = await staffContext('clerk');
  let res = await clerk.ctx.post('/api/v1/establishments', {
    headers: clerk.headers,
    data: { jurisdiction: 'uk-demo', licence_number: 'BR-LOG-1', name: 'Crêperie Zoë “Le Nid”' },
  });
  assert.equal(res.status(), 201);
  const est = (await res.json()).id;
  const inspector = await staffContext('inspector');
  const started = new Date(Date.now() - 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-log-${process.pid}` },
    data: {
      establishment_id: est, type: 'initial', started_at: started, submit: true,
      violations: [{ code: 'H03', points: 10 }],
    },
  });
  assert.equal(res.status(), 201);
  // A few more after it, so the inspection is not the newest entry.
  db.sql(`SELECT event_append('test.entry', 'deployment', jsonb_build_object('after', g))
    FROM generate_series(1, 3) g`);
  const head = await sealed();
  assert.ok(head.seq > 1100, `head ${head.seq}`);
  assert.equal(db.sql("SELECT count(*) FROM event_log WHERE kind = 'inspection.submitted'"), '1');
  db.sql('DROP TABLE IF EXISTS log_copy; CREATE TABLE log_copy AS SELECT * FROM event_log');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the hashes the page computes are the ones the database computed', async () => {
  const entries = await published();
  const head = headOf();
  assert.equal(entries.length, head.seq);
  // Node's SHA-256 over the documented text agrees with the database for every entry...
  const canonical = (e) => `${e.seq}\n${e.prev_hash}\n${e.occurred_at}\n${e.kind}\n${e.subject}\n${e.payload_text}`;
  for (const e of entries)
    assert.equal(createHash('sha256').update(canonical(e), 'utf8').digest('hex'), e.hash, `entry ${e.seq}`);
  // eslint-disable-next-line no-control-regex -- any byte outside ASCII
  assert.ok(entries.some((e) => /[^\x00-\x7f]/.test(e.payload_text)), 'some payloads are not ASCII');
  // ...and so does the page's own code, which also tells a changed entry from the original.
  const page = await openFresh('phone');
  const out = await page.evaluate(async (all) => {
    const m = await import('/js/log.mjs');
    const wrong = [];
    let prev = { seq: 0, hash: m.GENESIS };
    for (const e of all) {
      const f = await m.entryFault(e, prev.seq, prev.hash);
      if (f || (await m.sha256hex(m.canonical(e))) !== e.hash) wrong.push([e.seq, f]);
      prev = e;
    }
    const e = all[all.length - 2];
    return {
      wrong,
      changed: await m.entryFault({ ...e, payload_text: e.payload_text.replace(/}$/, ', "x": 1}') }, e.seq - 1, e.prev_hash),
      relinked: await m.entryFault({ ...e, prev_hash: m.GENESIS }, e.seq - 1, e.prev_hash),
      renumbered: await m.entryFault({ ...e, seq: e.seq + 1 }, e.seq - 1, e.prev_hash),
    };
  }, entries);
  assert.deepEqual(out.wrong, []);
  assert.equal(out.changed, 'hash');
  assert.equal(out.relinked, 'link');
  assert.equal(out.renumbered, 'seq');
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

for (const size of ['phone', 'tablet']) {
  test(`the head, the newest entries, the whole check and the kept head at ${size} size`, async () => {
    const head = headOf();
    const page = await openFresh(size);
    assert.equal((await page.locator('#head-seq').textContent()).trim(), n(head.seq));
    assert.equal((await page.locator('#head-hash').textContent()).trim(), head.hash);
    assert.equal((await page.locator('#head-pending').textContent()).trim(), 'none');

    // The newest 20, newest first, each holding, the kinds in words, unknown kinds as they are.
    const items = page.locator('#recent li.log-entry');
    assert.equal(await items.count(), 20);
    const seqs = (await items.evaluateAll((li) => li.map((x) => Number(x.dataset.seq))));
    assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => head.seq - i));
    const marks = await page.locator('#recent .log-mark').allTextContents();
    assert.deepEqual(marks, Array(20).fill('✓ Holds'));
    const kinds = await page.locator('#recent li.log-entry h3').allTextContents();
    assert.ok(kinds.includes('Inspection submitted'), kinds.join(', '));
    assert.ok(kinds.includes('Establishment registered'), kinds.join(', '));
    assert.ok(kinds.includes('test.entry'), 'an unknown kind is shown as it is');
    // The payload, exactly as hashed, in a disclosure opened from the keyboard.
    const insp = page.locator('#recent li.log-entry', { hasText: 'Inspection submitted' });
    const seq = Number(await insp.getAttribute('data-seq'));
    await insp.locator('summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await insp.locator('pre').textContent(), db.sql(`SELECT payload::text FROM event_log WHERE seq = ${seq}`));
    assert.match(await page.locator('#kept').textContent(), /keeps no head yet/);
    // Twenty older ones, from the keyboard; focus on the first of them.
    await page.getByRole('button', { name: 'Show older entries' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#recent li.log-entry').length === 40);
    assert.equal(await page.evaluate(() => document.activeElement.closest('li').dataset.seq), String(head.seq - 20));
    assert.deepEqual(await page.locator('#recent .log-mark').allTextContents(), Array(40).fill('✓ Holds'));
    assert.equal((await page.locator('#recent-status').textContent()).trim(),
      `Showing entries ${n(head.seq - 39)} to ${n(head.seq)}, newest first.`);
    await fitsWidth(page);
    await screenshot(page, `log-entries-${size}`);

    // The whole record, from the keyboard.
    await page.getByRole('button', { name: 'Check the whole record' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await verdict(page, 'check'),
      `All ${n(head.seq)} entries hold; the newest is entry ${n(head.seq)}, hash ${head.hash}.`);
    assert.ok(head.seq > 1000, 'more than one page walked');
    assert.equal(await page.locator('#kept-head').inputValue(), `${head.seq}:${head.hash}`);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.locator('#copy-status', { hasText: 'Copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${head.seq}:${head.hash}`);
    await fitsWidth(page);
    await screenshot(page, `log-checked-${size}`);

    // The next visit checks the kept head at once; then again after three more entries.
    await page.reload();
    assert.equal(await verdict(page, 'kept'),
      `The record still extends the head this browser kept: entry ${n(head.seq)} still has hash ${head.hash}.`);
    assert.equal((await page.locator('#kept-more').textContent()).trim(), 'No entries have been added since.');
    db.sql(`SELECT event_append('test.entry', 'deployment', jsonb_build_object('visit', '${size}', 'g', g))
      FROM generate_series(1, 3) g`);
    const now = await sealed();
    assert.equal(now.seq, head.seq + 3);
    await page.reload();
    assert.match(await verdict(page, 'kept'), /^The record still extends the head this browser kept/);
    assert.equal((await page.locator('#kept-more').textContent()).trim(),
      `The 3 entries added since then hold; the newest is entry ${n(now.seq)}.`);
    assert.equal(await page.locator('#kept-head').inputValue(), `${now.seq}:${now.hash}`, 'the newer head is kept');
    await screenshot(page, `log-kept-${size}`);
    assert.deepEqual(page.placardErrors, []);
    await page.context().close();
    db.sql('DROP TABLE log_copy; CREATE TABLE log_copy AS SELECT * FROM event_log');
  });

  test(`a changed payload is named at its entry at ${size} size`, async () => {
    const head = headOf();
    const target = Number(db.sql("SELECT seq FROM event_log WHERE kind = 'inspection.submitted'"));
    assert.ok(target > 1000 && target < head.seq - 3, `target ${target} in the second page, not the newest`);
    const targetHash = db.sql(`SELECT hash FROM event_log WHERE seq = ${target}`);
    // A browser that checked the whole record before the change keeps the head.
    const kept = await openFresh(size);
    assert.match(await checkWhole(kept), /^All .* entries hold/);

    tamper(`UPDATE event_log SET payload = jsonb_set(payload, '{score}', to_jsonb((payload->>'score')::int + 1))
      WHERE seq = ${target}`);
    try {
      assert.equal(db.sql(`SELECT hash FROM event_log WHERE seq = ${target}`), targetHash, 'only the payload changed');
      const fault = 'does not hold: its content does not match its hash.';

      // A browser that kept nothing: the whole check names the entry and the fault.
      const fresh = await openFresh(size);
      const bad = fresh.locator(`#recent li[data-seq="${target}"] .log-mark`);
      assert.equal((await bad.textContent()).trim(), '✗ Does not hold: its content does not match its hash');
      assert.equal(await fresh.locator('#recent .log-mark', { hasText: '✓ Holds' }).count(), 19);
      assert.equal(await checkWhole(fresh), `Entry ${n(target)} ${fault}`);
      assert.ok(await fresh.locator('#check-result.notice-bad').isVisible());
      await fitsWidth(fresh);
      await screenshot(fresh, `log-tampered-${size}`);
      // A head kept at that very entry (its hash unchanged) no longer holds...
      assert.equal(await checkPasted(fresh, `${target}:${targetHash}`),
        `The record has changed since you saw it: entry ${n(target)} ${fault}`);
      // ...and one kept just before it leads to a chain broken at it.
      const before = db.sql(`SELECT hash FROM event_log WHERE seq = ${target - 1}`);
      assert.equal(await checkPasted(fresh, `${target - 1}:${before}`), `Entry ${n(target)} ${fault}`);
      assert.deepEqual(fresh.placardErrors, []);
      await fresh.context().close();

      // The browser that kept the newest head: the change is before it.
      assert.equal(await checkWhole(kept), `The record has changed since you saw it: entry ${n(target)} ${fault}`);
      assert.match(await kept.locator('#check-result').textContent(), new RegExp(`You kept entry ${n(head.seq)} with hash ${head.hash}`));
      await screenshot(kept, `log-changed-${size}`);
      assert.equal(await kept.locator('#kept-head').inputValue(), `${head.seq}:${head.hash}`, 'the old head is still kept');
      assert.deepEqual(kept.placardErrors, []);
      await kept.context().close();
    } finally {
      restore();
    }
  });

  test(`a rewrite with the hashes recomputed is caught by the kept head at ${size} size`, async () => {
    const head = headOf();
    const target = Number(db.sql("SELECT seq FROM event_log WHERE kind = 'inspection.submitted'"));
    const kept = await openFresh(size);
    assert.match(await checkWhole(kept), /^All .* entries hold/);
    // A consistent forgery: the score changed and every hash from there on recomputed.
    tamper(`UPDATE event_log SET payload = jsonb_set(payload, '{score}', to_jsonb((payload->>'score')::int + 1))
      WHERE seq = ${target};
      DO $$ DECLARE prev text; r record; BEGIN
        SELECT hash INTO prev FROM event_log WHERE seq = ${target - 1};
        FOR r IN SELECT seq FROM event_log WHERE seq >= ${target} ORDER BY seq LOOP
          UPDATE event_log SET prev_hash = prev, hash = encode(digest(event_canonical(seq, prev,
            occurred_at, kind, subject, payload), 'sha256'), 'hex') WHERE seq = r.seq RETURNING hash INTO prev;
        END LOOP;
      END $$`);
    try {
      const forged = headOf();
      assert.equal(forged.seq, head.seq);
      assert.notEqual(forged.hash, head.hash);
      // Without a kept head the rewritten chain holds: that is what a kept head is for.
      const fresh = await openFresh(size);
      assert.equal(await checkWhole(fresh), `All ${n(head.seq)} entries hold; the newest is entry ${n(head.seq)}, hash ${forged.hash}.`);
      await fresh.context().close();
      // The browser that kept the old head says so on its next visit, and keeps the old head.
      await kept.reload();
      const changed = `The record has changed since you saw it: entry ${n(head.seq)} now has a different hash.`;
      assert.equal(await verdict(kept, 'kept'), changed);
      assert.ok(await kept.locator('#kept-result.notice-bad').isVisible());
      assert.equal((await kept.locator('#kept-more').textContent()).trim(), `It now has hash ${forged.hash}.`
        + `You kept entry ${n(head.seq)} with hash ${head.hash}. The published record no longer leads to it:`
        + ' keep your copy, and tell the records office.');
      assert.equal(await kept.locator('#kept-head').inputValue(), `${head.seq}:${head.hash}`);
      await fitsWidth(kept);
      await screenshot(kept, `log-rewritten-${size}`);
      assert.equal(await checkWhole(kept), changed);
      assert.deepEqual(kept.placardErrors, []);
      await kept.context().close();
    } finally {
      restore();
    }
  });
}

// An entry written before free text was kept out of the log, redacted as docs/operations.md
// says: the page withholds its payload, checks its link, counts it, and still catches a
// change to its hash.
test('a redacted entry is withheld, still linked, and counted; a changed hash is caught', async () => {
  const target = Number(db.sql("SELECT min(seq) FROM event_log WHERE kind = 'test.entry' AND payload->>'n' = '600'"));
  const targetHash = db.sql(`SELECT hash FROM event_log WHERE seq = ${target}`);
  db.sql(`SELECT log_redaction_request(${target}, 'admin', 'Erasure request in a test')`);
  db.sql(`SELECT event_log_redact_apply(${target})`);
  await sealed();
  try {
    const entry = (await api(`/api/v1/log?after=${target - 1}&limit=1`)).entries[0];
    assert.equal(entry.redacted, true);
    assert.equal(entry.payload, null);
    assert.equal(entry.hash, targetHash);
    const page = await openFresh('phone');
    assert.match(await checkWhole(page), /^All .* entries hold/);
    assert.equal((await page.locator('#log-redacted').textContent()).trim().split(':')[0],
      '1 entry was redacted (content withheld)');
    await page.context().close();

    tamper(`UPDATE event_log SET hash = left(hash, 63) || CASE right(hash, 1) WHEN '0' THEN '1' ELSE '0' END
      WHERE seq = ${target}`);
    const fresh = await openFresh('phone');
    assert.equal(await checkWhole(fresh),
      `Entry ${n(target + 1)} does not hold: it does not link to the entry before (its previous hash is not that entry’s hash).`);
    assert.deepEqual(fresh.placardErrors, []);
    await fresh.context().close();
  } finally {
    db.sql('DELETE FROM log_redaction');
    restore();
  }
});

test('a pasted head: wrong ones do not match, malformed ones are refused at the field', async () => {
  const head = headOf();
  const page = await openFresh('phone');
  const field = page.getByLabel('A head you kept elsewhere');
  const error = page.locator('#paste-error');
  for (const text of ['', '1234', `12:${'g'.repeat(64)}`, `0:${head.hash}`, `${head.seq}:${head.hash.slice(1)}`]) {
    await field.fill(text);
    await page.getByRole('button', { name: 'Check this head' }).click();
    await error.waitFor();
    assert.match(await error.textContent(), text ? /^That is not a head/ : /^Paste or type a head first/, text);
    assert.equal(await field.getAttribute('aria-invalid'), 'true', text);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'paste-head');
    assert.equal((await page.locator('#kept-status').textContent()).trim(), '', 'nothing checked');
  }
  await screenshot(page, 'log-paste-malformed-phone');
  // Well formed but not the record's: a wrong hash, an entry past the end.
  const wrong = head.hash.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  assert.equal(await checkPasted(page, ` ${head.seq} : ${wrong.toUpperCase()} `),
    `The record has changed since you saw it: entry ${n(head.seq)} now has a different hash.`);
  assert.match(await page.locator('#kept-more').textContent(),
    new RegExp(`^It now has hash ${head.hash}\\.You kept entry ${n(head.seq)} with hash ${wrong}\\.`));
  assert.equal(await error.isVisible(), false);
  assert.equal(await field.getAttribute('aria-invalid'), null);
  await screenshot(page, 'log-paste-wrong-phone');
  assert.equal(await checkPasted(page, `${head.seq + 5}:${head.hash}`),
    `The record has changed since you saw it: entry ${n(head.seq + 5)} is no longer in it: the record now ends at entry ${n(head.seq)}.`);
  // And a right one, in capitals with spaces: still extended.
  assert.equal(await checkPasted(page, `${head.seq - 100} : ${db.sql(`SELECT upper(hash) FROM event_log WHERE seq = ${head.seq - 100}`)}`),
    `The record still extends the head you gave: entry ${n(head.seq - 100)} still has hash ${db.sql(`SELECT hash FROM event_log WHERE seq = ${head.seq - 100}`)}.`);
  assert.match(await page.locator('#kept-more').textContent(), /^The 100 entries added since then hold/);
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('without SHA-256 (http on another host) the page asks for the https address', async () => {
  // Chromium gives crypto.subtle only to secure pages: http://127.0.0.1 is one, the same
  // server under another name is not.
  const port = new URL(server.url).port;
  const insecure = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--host-resolver-rules=MAP placard-log.test 127.0.0.1'],
  });
  try {
    const page = await (await insecure.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://placard-log.test:${port}/log.html`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    const notice = page.locator('#secure');
    await notice.waitFor();
    assert.match(await notice.textContent(), new RegExp(`needs the secure address of this page: https://placard-log\\.test:${port}/log\\.html`));
    assert.equal(await page.getByRole('button', { name: 'Check the whole record' }).isDisabled(), true);
    await page.locator('#recent li.log-entry').first().waitFor();
    assert.deepEqual(await page.locator('#recent .log-mark').allTextContents(), Array(20).fill('Not checked'));
    await fitsWidth(page);
    await screenshot(page, 'log-insecure-phone');
    assert.deepEqual(errors, []);
  } finally {
    await insecure.close();
  }
});

test('an empty record says so', async () => {
  const empty = createDatabase('log_empty', { demo: 0 });
  const srv = await startServer(empty);
  try {
    const page = await newPage(browser, 'phone');
    await page.goto(srv.url + '/log.html');
    await page.locator('#recent-status', { hasText: 'The record has no entries yet.' }).waitFor();
    assert.equal((await page.locator('#head-seq').textContent()).trim(), 'none yet');
    assert.equal(await page.locator('#recent li').count(), 0);
    assert.equal(await checkWhole(page), 'The record has no entries yet.');
    await checkA11y(page, 'an empty public record');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'no head kept');
    assert.deepEqual(page.placardErrors, []);
    await page.context().close();
  } finally {
    await srv.stop();
  }
});

test('the page weighs under 100 KB before images', async () => {
  const page = await newPage(browser, 'phone');
  await page.setExtraHTTPHeaders({ 'Cache-Control': 'no-cache' });
  await page.goto(server.url + '/log.html', { waitUntil: 'networkidle' });
  const sizes = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource')
      .filter((r) => /\.(css|m?js)(\?|$)/.test(new URL(r.name).pathname));
    return {
      decoded: nav.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0),
      files: res.map((r) => new URL(r.name).pathname).sort(),
    };
  });
  assert.deepEqual(sizes.files, ['/js/i18n.mjs', '/js/log.mjs', '/js/portal.mjs', '/js/tlog.mjs', '/style.css']);
  assert.ok(sizes.decoded < 100 * 1024, `uncompressed ${sizes.decoded} B`);
  await page.context().close();
});
