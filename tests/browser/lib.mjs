// lib.mjs - what every browser test shares: a fresh database and a real placard server,
// Debian's Chromium driven by playwright-core, phone and tablet viewports, screenshots, and
// answers checked against the OpenAPI document.
//
// Every page a test visits is checked with axe-core (checkA11y), at least where the test
// takes its screenshot: screenshot() checks the page first.
//
// Tests run under tests/integration/with-db (pg_virtualenv), which sets the PG* variables.
import jsQR from 'jsqr';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const bin = process.env.PLACARD_BIN || join(root, 'build', 'placard');
export const outDir = join(here, 'out');
export const DEMO_PASSWORD = 'placard-demo-password';

export const viewports = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  tablet: { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  tabletLandscape: {
    viewport: { width: 1180, height: 820 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  },
  desktop: { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 },
};

function psql(db, sql) {
  return execFileSync('psql', ['-XAtq', '-d', db, '-c', sql], { encoding: 'utf8' }).trim();
}

// A fresh database with the schema and (unless demo is 0) a small demo city.
export function createDatabase(name, { demo = 200 } = {}) {
  const db = `placard_browser_${name}_${process.pid}`.replace(/[^a-z0-9_]/g, '_');
  psql('postgres', `DROP DATABASE IF EXISTS ${db}`);
  psql('postgres', `CREATE DATABASE ${db}`);
  const env = { ...process.env, PLACARD_DATABASE_URL: `dbname=${db}` };
  execFileSync(bin, ['migrate'], { env, stdio: 'pipe' });
  if (demo > 0)
    execFileSync(bin, ['demo', '--establishments', String(demo)], { env, stdio: 'pipe' });
  return { name: db, url: `dbname=${db}`, sql: (q) => psql(db, q) };
}

// Start `placard serve` on a free port; resolves to { url, stop() }.
export function startServer(db, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve'], {
      env: {
        ...process.env,
        PLACARD_DATABASE_URL: db.url,
        PLACARD_LISTEN: '127.0.0.1:0',
        PLACARD_WEB_DIR: join(root, 'web'),
        PLACARD_QUIET_ACCESS_LOG: '1',
        // A development server: links (QR codes) point to where it listens.
        PLACARD_DEVELOPMENT: '1',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = '';
    const timer = setTimeout(() => reject(new Error('placard serve did not start')), 15000);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`placard serve exited ${code}`)));
  });
}

// Debian's Chromium, headless, no network of its own.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page at @size ('phone', 'tablet', 'desktop'); @locale sets the browser's language
// (navigator.languages and Accept-Language), as a reader's browser would: 'zh-CN' opens the
// site in Chinese without touching the switch.
export async function newPage(browser, size = 'phone', { locale } = {}) {
  const context = await browser.newContext({ ...viewports[size], ...(locale ? { locale } : {}) });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.placardErrors = errors;
  return page;
}

// axe-core's source (node_modules/axe-core), injected into pages by checkA11y().
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Check @page with axe-core (WCAG 2.x A and AA rules and best practices); fails on any
// violation axe rates serious or critical, naming the rule, its help text and the elements.
// @what names the page in the message. axe is evaluated in the page rather than added as a
// <script> tag (page.addScriptTag), which the pages' Content-Security-Policy refuses (no
// inline scripts), and which would log that refusal as a console error.
export async function checkA11y(page, what = page.url()) {
  if (!(await page.evaluate(() => typeof window.axe === 'object')))
    await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1).join(' ').trim()}`).join('\n'))
    .join('\n  ');
  assert.equal(bad.length, 0, `accessibility of ${what}:\n  ${text}`);
}

// Check the page (checkA11y), then save a full-page screenshot under tests/browser/out/.
export async function screenshot(page, name) {
  await checkA11y(page, name);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
}

// Text on @page that did not come from a catalogue, for a page opened with ?lang=en-XA (the
// pseudo-language puts every catalogue sentence inside ⟦ ⟧): each text node, and each
// placeholder, aria-label, title, alt and value of a button, with two Latin letters in a row
// outside the brackets, unless it is inside an element marked translate="no" (data: names,
// addresses, codes, typed notes), a <script>/<style>, or hidden. Resolves to a list of
// { text, where } (empty when all is translated).
export async function untranslated(page) {
  return page.evaluate(() => {
    const found = [];
    // Innermost brackets first: a scheme's wording (itself bracketed) may sit inside a sentence.
    const outside = (s) => {
      let x = s;
      for (let y = null; x !== y;) { y = x; x = x.replace(/⟦[^⟦⟧]*⟧/g, ' '); }
      return x;
    };
    const latin = /[A-Za-z]{2,}/;
    const skip = (e) => !e || e.closest('[translate="no"], script, style, noscript, template, svg title');
    const where = (e) => {
      const parts = [];
      for (let x = e; x && x !== document.body && parts.length < 4; x = x.parentElement) {
        parts.unshift(x.id ? `${x.localName}#${x.id}` : x.localName);
      }
      return parts.join(' > ');
    };
    const visible = (e) => e.getClientRects().length > 0 || e.closest('details:not([open])');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const e = n.parentElement;
      if (skip(e) || !visible(e)) continue;
      if (latin.test(outside(n.data))) found.push({ text: n.data.trim().slice(0, 80), where: where(e) });
    }
    for (const e of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt], input[type=submit], input[type=button]')) {
      if (skip(e)) continue;
      for (const a of ['placeholder', 'aria-label', 'title', 'alt', 'value']) {
        if (a === 'value' && e.localName !== 'input') continue;
        const v = e.getAttribute(a);
        if (v && latin.test(outside(v))) found.push({ text: `${a}="${v.slice(0, 80)}"`, where: where(e) });
      }
    }
    if (latin.test(outside(document.title))) found.push({ text: document.title, where: 'title' });
    return found;
  });
}

// Poll @fn every 250 ms until it gives something truthy (resolved to it), failing after @ms
// with "timed out waiting for @what".
export async function waitFor(fn, what, ms = 30000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The page's QR code (<img id="qr">), loaded and decoded from the rendered image: the
// address it holds, as a URL.
export async function qrAddress(page) {
  await page.waitForFunction(() => {
    const img = document.getElementById('qr');
    return img && img.complete && img.naturalWidth > 0;
  });
  const pixels = await page.evaluate(() => {
    const img = document.getElementById('qr');
    const c = document.createElement('canvas');
    c.width = 400;
    c.height = 400;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, 400, 400);
    g.drawImage(img, 0, 0, 400, 400);
    return Array.from(g.getImageData(0, 0, 400, 400).data);
  });
  const qr = jsQR(Uint8ClampedArray.from(pixels), 400, 400);
  assert.ok(qr, 'the QR code decodes');
  return new URL(qr.data);
}

// Sign in through the API in the page's context (sets the session cookie); the CSRF token.
export async function signIn(page, baseUrl, username, password = DEMO_PASSWORD) {
  const res = await page.request.post(`${baseUrl}/api/v1/session`, {
    data: { username, password },
  });
  if (res.status() !== 201) throw new Error(`sign-in as ${username}: ${res.status()}`);
  return (await res.json()).csrf_token;
}

// The OpenAPI document (web/openapi.json) and conform(method, path, response), which checks
// a real answer (a playwright APIResponse) against it: the status is one the operation
// documents, and so is the content type; a JSON body matches the documented schema. @path is
// the document's ("/api/v1/appeals/{id}"). Resolves to the parsed body (null when none).
export function openapi() {
  const doc = JSON.parse(readFileSync(join(root, 'web', 'openapi.json'), 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  const pointer = (parts) => parts
    .map((p) => encodeURIComponent(String(p).replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
  async function conform(method, path, res) {
    const m = method.toLowerCase(), status = String(res.status());
    const what = `${method} ${path} answered ${status}`;
    const op = doc.paths[path]?.[m];
    assert.ok(op, `${method} ${path} is documented`);
    let where = ['paths', path, m, 'responses', status];
    let response = op.responses[status];
    assert.ok(response, `${what}, which is not documented`);
    if (response.$ref) {
      where = response.$ref.replace(/^#\//, '').split('/');
      response = where.reduce((o, k) => o[k], doc);
    }
    const type = (res.headers()['content-type'] || '').split(';')[0].trim();
    if (!response.content) {
      assert.equal((await res.body()).length, 0, `${what} with a body`);
      return null;
    }
    assert.ok(response.content[type], `${what} with ${type || 'no type'}, not ${Object.keys(response.content)}`);
    if (!/[/+]json$/.test(type)) return res.body();
    const body = await res.json();
    const validate = ajv.getSchema(`openapi.json#/${pointer([...where, 'content', type, 'schema'])}`);
    assert.ok(validate(body), `${what}: ${ajv.errorsText(validate.errors)}`);
    return body;
  }
  return { doc, conform };
}
