// The inspection's place in the signed public record, checked in Chromium at phone size: a
// server with a log key, an inspection submitted through the API; the grade card shows the
// check, its QR code (decoded from the rendered image) carries the key's pin and leads to the
// establishment's page, which says the inspection is in the city's public record. Then
// forgeries, each of which must turn the page into a warning: the inspection's score changed
// in the database (the record says otherwise), its log entry rewritten with a recomputed hash
// (the entry is no longer in the signed tree), a tile of the tree changed (the proof no longer
// leads to the signed root), a checkpoint whose signature does not verify and an inclusion
// proof changed on the way, and a card printed under another key. Demonstration inspections,
// which have no entry of their own, say so without a warning. And the page's proof check
// agrees with the server's proofs (which tests/tlog/verify.go checks with Go's sumdb) at
// tree sizes across tile boundaries. Last, the public record page names the outside witness
// whose cosignature holds, and not one that is down or whose cosignature was changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'playwright-core';
import {
  bin, createDatabase, startServer, launchBrowser, newPage, screenshot, DEMO_PASSWORD, checkA11y, qrAddress,
} from './lib.mjs';

let server, browser, db, est, insp, vkey, keyFile, dir;

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

async function sealed() {
  for (let i = 0; i < 200; i++) {
    const h = await api('/api/v1/log/head');
    if (h.pending === 0) return h;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('events still pending after 10 s');
}

// Run @sql with @table's triggers (its append-only and immutability guards) off, and undo
// it with @undo after @body has run.
async function forged(table, sql, undo, body) {
  const off = (q) => db.sql(`BEGIN; ALTER TABLE ${table} DISABLE TRIGGER USER; ${q};`
    + ` ALTER TABLE ${table} ENABLE TRIGGER USER; COMMIT`);
  off(sql);
  try {
    await body();
  } finally {
    off(undo);
  }
}

// The check's outcome on the page: its state and text once it has one.
async function logCheck(page) {
  try {
    await page.waitForFunction(() => {
      const b = document.getElementById('log-check');
      return b && b.dataset.state && b.dataset.state !== 'checking';
    }, null, { timeout: 15000 });
  } catch (err) {
    const main = await page.locator('main').textContent();
    throw new Error(`no outcome of the check: ${main.trim()} ${page.placardErrors.join('; ')}`, { cause: err });
  }
  const box = page.locator('#log-check');
  return { state: await box.getAttribute('data-state'), text: (await box.textContent()).trim() };
}

async function openRecord(url, extra = null) {
  const page = await newPage(browser, 'phone');
  if (extra) await extra(page);
  await page.goto(url);
  return page;
}

const cardUrl = () => `${server.url}/establishment.html?id=${est}&card=${insp.public_code}`;

before(async () => {
  db = createDatabase('tlog', { demo: 20 });
  dir = mkdtempSync(join(tmpdir(), 'placard-tlog-'));
  keyFile = join(dir, 'log.key');
  vkey = execFileSync(bin, ['log', 'keygen', '--origin', 'test.example/log', keyFile], { encoding: 'utf8' }).split('\n')[0];
  server = await startServer(db, { PLACARD_LOG_KEY: keyFile });
  browser = await launchBrowser();
  const clerk = await staffContext('clerk');
  let res = await clerk.ctx.post('/api/v1/establishments', {
    headers: clerk.headers,
    data: { jurisdiction: 'sf-demo', licence_number: 'BR-TLOG-1', name: 'Café Merkle' },
  });
  assert.equal(res.status(), 201);
  est = (await res.json()).id;
  const inspector = await staffContext('inspector');
  const started = new Date(Date.now() - 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  res = await inspector.ctx.post('/api/v1/inspections', {
    headers: { ...inspector.headers, 'Idempotency-Key': `browser-tlog-${process.pid}` },
    data: {
      establishment_id: est, type: 'initial', started_at: started, submit: true,
      violations: [],
    },
  });
  assert.equal(res.status(), 201);
  insp = await api(`/api/v1/inspections/${(await res.json()).id}`);
  // A scheme that posts the grade at once: the card rests on this inspection.
  assert.equal((await api(`/api/v1/establishments/${est}`)).grade.inspection_id, insp.id);
  // More entries after it, so that its leaf has neighbours on both sides.
  db.sql(`SELECT event_append('test.entry', 'deployment', jsonb_build_object('after', g))
    FROM generate_series(1, 5) g`);
  await sealed();
  const e = await api(`/api/v1/log/entries?subject=inspection/${insp.id}`);
  assert.equal(e.vkey, vkey);
  assert.equal(e.entries.length, 1);
  assert.equal(e.entries[0].kind, 'inspection.submitted');
  // The checkpoint is signed once now; the page reads the same one.
  const cp = await fetch(`${server.url}/checkpoint`);
  assert.equal(cp.status, 200);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a grade card and its QR target show the inspection in the public record', async () => {
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/card.html?id=${est}`);
  await page.locator('.card h1').waitFor();
  let r = await logCheck(page);
  assert.equal(r.state, 'included', r.text);
  const url = await qrAddress(page);
  assert.equal(url.searchParams.get('card'), insp.public_code);
  // The pin is the first 12 bytes of the log's public key.
  const pk = Buffer.from(vkey.split('+').slice(2).join('+'), 'base64').subarray(1, 13).toString('base64url');
  assert.equal(url.searchParams.get('log'), pk);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#log-check').isVisible(), false, 'not on paper');
  await page.emulateMedia({ media: 'screen' });

  await page.goto(server.url + url.pathname + url.search);
  assert.match(await page.locator('#card-check').textContent(), /is current/);
  r = await logCheck(page);
  assert.equal(r.state, 'included', r.text);
  assert.match(r.text, /This inspection is in the city’s public record, checked on this device just now\./);
  assert.ok(await page.locator('#log-check').isVisible());
  assert.equal(await page.locator('#log-check').getAttribute('class'), 'notice log-check notice-good');
  await screenshot(page, 'tlog-included-phone');
  // The phone keeps the key it checked with.
  assert.equal(await page.evaluate(() => localStorage.getItem('placard.log.vkey')), vkey);
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('an inspection changed in the database gets a warning', async () => {
  await forged('inspection', `UPDATE inspection SET score = score + 7 WHERE id = ${insp.id}`,
    `UPDATE inspection SET score = score - 7 WHERE id = ${insp.id}`, async () => {
      const page = await openRecord(cardUrl());
      const r = await logCheck(page);
      assert.equal(r.state, 'failed', r.text);
      assert.match(r.text, /Warning: this inspection could not be confirmed in the city’s public record\./);
      assert.match(r.text, /does not say what this page shows/);
      assert.equal(await page.locator('#log-check [role=alert]').count(), 1);
      await screenshot(page, 'tlog-forged-score-phone');
      await page.context().close();
    });
});

test('a log entry rewritten with its hash recomputed is not in the signed tree', async () => {
  const seq = db.sql(`SELECT seq FROM event_log WHERE subject = 'inspection/${insp.id}'`);
  const payload = db.sql(`SELECT payload::text FROM event_log WHERE seq = ${seq}`);
  const hash = db.sql(`SELECT hash FROM event_log WHERE seq = ${seq}`);
  // The inspection's score changed, and its entry rewritten to match, hash and all.
  const rewrite = `UPDATE event_log SET payload = jsonb_set(payload, '{score}', to_jsonb((payload->>'score')::int + 7))
      WHERE seq = ${seq};
    UPDATE event_log SET hash = encode(digest(event_canonical(seq, prev_hash, occurred_at, kind, subject, payload), 'sha256'), 'hex')
      WHERE seq = ${seq}`;
  await forged('event_log', rewrite,
    `UPDATE event_log SET payload = '${payload.replace(/'/g, "''")}'::jsonb, hash = '${hash}' WHERE seq = ${seq}`, async () => {
      db.sql('BEGIN; ALTER TABLE inspection DISABLE TRIGGER USER;'
        + ` UPDATE inspection SET score = score + 7 WHERE id = ${insp.id}; ALTER TABLE inspection ENABLE TRIGGER USER; COMMIT`);
      try {
        const e = await api(`/api/v1/log/entries?subject=inspection/${insp.id}`);
        assert.notEqual(e.entries[0].hash, hash, 'the entry was rewritten');
        const page = await openRecord(cardUrl());
        const r = await logCheck(page);
        assert.equal(r.state, 'failed', r.text);
        assert.match(r.text, new RegExp(`entry ${Number(seq).toLocaleString('en')} is not in the signed record`, 'i'));
        await page.context().close();
      } finally {
        db.sql('BEGIN; ALTER TABLE inspection DISABLE TRIGGER USER;'
          + ` UPDATE inspection SET score = score - 7 WHERE id = ${insp.id}; ALTER TABLE inspection ENABLE TRIGGER USER; COMMIT`);
      }
    });
});

test('a changed tile of the tree gets a warning', async () => {
  const seq = Number(db.sql(`SELECT seq FROM event_log WHERE subject = 'inspection/${insp.id}'`));
  // The leaf next to the inspection's: the first hash of its proof.
  const sibling = (seq - 1) ^ 1;
  const tile = Math.floor(sibling / 256), at = (sibling % 256) * 32;
  const flip = `UPDATE tlog_tile SET hashes = set_byte(hashes, ${at}, get_byte(hashes, ${at}) # 1)
    WHERE level = 0 AND idx = ${tile}`;
  await forged('tlog_tile', flip, flip, async () => {
    const page = await openRecord(cardUrl());
    const r = await logCheck(page);
    assert.equal(r.state, 'failed', r.text);
    assert.match(r.text, /is not in the signed record: its proof does not lead to the signed root/);
    await page.context().close();
  });
  const page = await openRecord(cardUrl());
  assert.equal((await logCheck(page)).state, 'included', 'restored');
  await page.context().close();
});

test('a checkpoint that does not verify, or a changed proof, gets a warning', async () => {
  // The checkpoint's root changed on the way: its signature no longer holds.
  let page = await openRecord(cardUrl(), (p) => p.route('**/checkpoint', async (route) => {
    const res = await route.fetch();
    const lines = (await res.text()).split('\n');
    lines[2] = Buffer.from(Buffer.from(lines[2], 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64');
    await route.fulfill({ response: res, body: lines.join('\n') });
  }));
  let r = await logCheck(page);
  assert.equal(r.state, 'failed', r.text);
  assert.match(r.text, /checkpoint is not signed by the record’s key/);
  await screenshot(page, 'tlog-forged-checkpoint-phone');
  await page.context().close();

  // A proof with one hash changed.
  page = await openRecord(cardUrl(), (p) => p.route('**/api/v1/log/proof/inclusion?*', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.proof[0] = Buffer.alloc(32, 7).toString('base64');
    await route.fulfill({ response: res, json: body });
  }));
  r = await logCheck(page);
  assert.equal(r.state, 'failed', r.text);
  assert.match(r.text, /proof does not lead to the signed root/);
  await page.context().close();
});

test('a card printed under another key, or a key changed since, gets a warning', async () => {
  let page = await openRecord(`${cardUrl()}&log=AAAAAAAAAAAAAAAA`);
  let r = await logCheck(page);
  assert.equal(r.state, 'failed', r.text);
  assert.match(r.text, /not the one this card was printed under/);
  await page.context().close();

  page = await openRecord(cardUrl());
  await page.evaluate(() => localStorage.setItem('placard.log.vkey', 'other.example/log+00000000+AQ'));
  await page.reload();
  r = await logCheck(page);
  assert.equal(r.state, 'failed', r.text);
  assert.match(r.text, /not the one this browser saw before/);
  await page.context().close();
});

test('while the key changes, a card printed under the old key and a browser that kept it check through its signature', async () => {
  const newFile = join(dir, 'new.key');
  const newVkey = execFileSync(bin, ['log', 'keygen', '--origin', 'test.example/log', newFile], { encoding: 'utf8' }).split('\n')[0];
  const pinOf = (v) => Buffer.from(v.split('+').slice(2).join('+'), 'base64').subarray(1, 13).toString('base64url');
  const card = (srv, pin) => `${srv.url}/establishment.html?id=${est}&card=${insp.public_code}${pin ? `&log=${pin}` : ''}`;
  let rotating = await startServer(db, { PLACARD_LOG_KEY: newFile, PLACARD_LOG_KEY_PREVIOUS: keyFile });
  try {
    let page = await openRecord(card(rotating, pinOf(vkey)));
    let r = await logCheck(page);
    assert.equal(r.state, 'included', r.text);
    // Trusted through the old key's signature, the new key is the one kept from now on.
    assert.equal(await page.evaluate(() => localStorage.getItem('placard.log.vkey')), newVkey);
    await screenshot(page, 'tlog-rotation-old-card-phone');
    await page.context().close();

    page = await openRecord(card(rotating, null));
    await page.evaluate((v) => localStorage.setItem('placard.log.vkey', v), vkey);
    await page.reload();
    r = await logCheck(page);
    assert.equal(r.state, 'included', r.text);
    assert.equal(await page.evaluate(() => localStorage.getItem('placard.log.vkey')), newVkey);
    await page.context().close();
    await rotating.stop();

    // Once the old key no longer signs, a card printed under it warns.
    rotating = await startServer(db, { PLACARD_LOG_KEY: newFile });
    page = await openRecord(card(rotating, pinOf(vkey)));
    r = await logCheck(page);
    assert.equal(r.state, 'failed', r.text);
    assert.match(r.text, /not the one this card was printed under/);
    await page.context().close();
  } finally {
    await rotating.stop();
  }
  // The server with the old key signs the newest checkpoint again for the tests after this.
  await api('/api/v1/log/key');
  assert.equal((await fetch(`${server.url}/checkpoint`)).status, 200);
});

test('a demonstration inspection says it has no entry of its own, without a warning', async () => {
  const demo = db.sql(`SELECT e.id FROM establishment e JOIN posted_grade g ON g.establishment_id = e.id
    WHERE g.inspection_id IS NOT NULL ORDER BY e.id LIMIT 1`);
  const page = await openRecord(`${server.url}/establishment.html?id=${demo}`);
  const r = await logCheck(page);
  assert.equal(r.state, 'none', r.text);
  assert.match(r.text, /has no entry of its own/);
  assert.deepEqual(page.placardErrors, []);
  await page.context().close();
});

test('the page’s proof check agrees with the server’s proofs at many tree sizes', async () => {
  // Enough entries for a full tile and more: the proofs then read two levels of tiles.
  db.sql(`SELECT event_append('test.entry', 'deployment', jsonb_build_object('n', g))
    FROM generate_series(1, 300) g`);
  await sealed();
  const size = Number(db.sql('SELECT size FROM tlog_state'));
  assert.ok(size > 300, `tree of ${size}`);
  const page = await newPage(browser, 'phone');
  await page.goto(`${server.url}/establishment.html?id=${est}`);
  const out = await page.evaluate(async (total) => {
    const m = await import('/js/tlog.mjs');
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 255, 256, 257, 299, total];
    const bad = [];
    let checked = 0;
    for (const s of sizes) {
      const indexes = s <= 17 ? [...Array(s).keys()] : [0, 1, 127, 128, 254, 255, s - 2, s - 1].filter((i) => i >= 0 && i < s);
      for (const i of indexes) {
        const p = await (await fetch(`/api/v1/log/proof/inclusion?index=${i}&size=${s}`)).json();
        const entry = (await (await fetch(`/api/v1/log?after=${i}&limit=1`)).json()).entries[0];
        const leaf = await m.leafHash(m.hexdecode(entry.hash));
        const root = m.b64decode(p.root_hash);
        const proof = p.proof.map(m.b64decode);
        if (!(await m.inclusionHolds(leaf, i, s, root, proof))) bad.push(`${i}/${s}`);
        // The same proof for another leaf or index must not hold.
        const other = await m.leafHash(Uint8Array.of(1, 2, 3));
        if (await m.inclusionHolds(other, i, s, root, proof)) bad.push(`${i}/${s} other leaf`);
        if (s > 1 && await m.inclusionHolds(leaf, (i + 1) % s, s, root, proof)) bad.push(`${i}/${s} other index`);
        checked++;
      }
    }
    return { bad, checked };
  }, size);
  assert.deepEqual(out.bad, []);
  assert.ok(out.checked > 100, `${out.checked} proofs checked`);

  // Consistency proofs between every pair of sizes to 40, and across tile boundaries.
  const cons = await page.evaluate(async (total) => {
    const m = await import('/js/tlog.mjs');
    const pairs = [];
    for (let a = 1; a <= 40; a++) for (let b = a; b <= 40; b++) pairs.push([a, b]);
    for (const a of [1, 2, 128, 255, 256, 257]) for (const b of [256, 257, 299, total]) if (a <= b) pairs.push([a, b]);
    const bad = [];
    for (const [a, b] of pairs) {
      const p = await (await fetch(`/api/v1/log/proof/consistency?old=${a}&size=${b}`)).json();
      const ra = m.b64decode(p.old_root_hash), rb = m.b64decode(p.root_hash);
      const proof = p.proof.map(m.b64decode);
      if (!(await m.consistencyHolds(a, b, ra, rb, proof))) bad.push(`${a}->${b}`);
      // Another old root, or another new one, must not hold.
      const forged = Uint8Array.from(ra, (x, i) => (i === 0 ? x ^ 1 : x));
      if (await m.consistencyHolds(a, b, forged, rb, proof)) bad.push(`${a}->${b} forged old root`);
      if (a < b && await m.consistencyHolds(a, b, ra, forged, proof)) bad.push(`${a}->${b} forged new root`);
    }
    return { bad, checked: pairs.length };
  }, size);
  assert.deepEqual(cons.bad, []);
  assert.ok(cons.checked > 800, `${cons.checked} consistency proofs checked`);
  await page.context().close();
});

test('a record that does not extend the one this device checked before (a fork, a dropped tail) gets a warning', async () => {
  const page = await openRecord(cardUrl());
  let r = await logCheck(page);
  assert.equal(r.state, 'included', r.text);
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('placard.log.checkpoint')));
  assert.equal(kept.origin, 'test.example/log');
  assert.ok(kept.size >= 1);
  // The record grows: the next visit checks that it extends what was kept, and keeps it.
  db.sql(`SELECT event_append('test.entry', 'deployment', jsonb_build_object('grow', g))
    FROM generate_series(1, 3) g`);
  await sealed();
  await page.reload();
  r = await logCheck(page);
  assert.equal(r.state, 'included', r.text);
  const grown = await page.evaluate(() => JSON.parse(localStorage.getItem('placard.log.checkpoint')));
  assert.equal(grown.size, kept.size + 3);

  const seen = async (cp) => {
    await page.evaluate((v) => localStorage.setItem('placard.log.checkpoint', JSON.stringify(v)), cp);
    await page.reload();
    return logCheck(page);
  };
  const otherRoot = Buffer.alloc(32, 7).toString('base64');
  // This device was shown another history of the same size, or of a smaller one: a fork.
  r = await seen({ ...grown, root: otherRoot });
  assert.equal(r.state, 'failed', r.text);
  assert.match(r.text, /rewritten/);
  r = await seen({ ...kept, root: otherRoot });
  assert.equal(r.state, 'failed', r.text);
  assert.match(r.text, /rewritten/);
  await screenshot(page, 'tlog-fork-phone');
  // This device saw more entries than the record has now: a dropped tail.
  r = await seen({ ...grown, size: grown.size + 10 });
  assert.equal(r.state, 'failed', r.text);
  assert.match(r.text, /entries were removed/);
  // The honest history it kept still passes.
  r = await seen(kept);
  assert.equal(r.state, 'included', r.text);
  await page.context().close();
});

// A witness's cosignature key from the note verifier key keygen prints for its key file.
function cosigKey(printed) {
  const [name, , ...rest] = printed.split('+');
  const b64 = rest.join('+');
  const raw = Buffer.concat([Buffer.of(4), Buffer.from(b64, 'base64').subarray(1)]);
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

test('the public record names the witnesses whose cosignature holds', async () => {
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
    // The server asks its witnesses every second.
    let cp = '';
    for (let i = 0; i < 100 && !cp.includes('\u2014 witness.test/w1 '); i++) {
      await new Promise((r) => setTimeout(r, 100));
      cp = await (await fetch(`${srv.url}/checkpoint`)).text();
    }
    assert.ok(cp.includes('\u2014 witness.test/w1 '), cp);
    let page = await newPage(browser, 'phone');
    await page.goto(`${srv.url}/log.html`);
    const count = page.locator('#witness-count');
    await count.waitFor();
    assert.equal((await count.textContent()).trim(), 'Co-signed by 1 witness: witness.test/w1.');
    assert.match(await page.locator('#witnesses').textContent(), /Not \(yet\) co-signed by witness\.test\/w2\./);
    await screenshot(page, 'tlog-witnesses-phone');
    assert.deepEqual(page.placardErrors, []);
    await page.context().close();

    // A cosignature changed on the way does not count.
    page = await newPage(browser, 'phone');
    await page.route('**/checkpoint', async (route) => {
      const res = await route.fetch();
      const text = (await res.text()).replace(/(\u2014 witness\.test\/w1 \S{20})(\S)/, (_, a, c) => a + (c === 'A' ? 'B' : 'A'));
      await route.fulfill({ response: res, body: text });
    });
    await page.goto(`${srv.url}/log.html`);
    await page.locator('#witness-count').waitFor();
    assert.equal((await page.locator('#witness-count').textContent()).trim(), 'Not co-signed by any witness yet.');
    await checkA11y(page, 'the public record with a changed cosignature');
    await page.context().close();
  } finally {
    await srv?.stop();
    await witness.stop();
  }
});
