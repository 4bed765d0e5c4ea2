// The home page loads in Chromium at phone and tablet sizes with no script errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDatabase, startServer, launchBrowser, newPage, screenshot } from './lib.mjs';

let server, browser;
before(async () => {
  const db = createDatabase('smoke', { demo: 0 });
  server = await startServer(db);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const size of ['phone', 'tablet']) {
  test(`home page at ${size} size`, async () => {
    const page = await newPage(browser, size);
    const res = await page.goto(server.url + '/');
    assert.equal(res.status(), 200);
    assert.match(await page.title(), /Placard/);
    assert.ok(await page.locator('h1').isVisible());
    await screenshot(page, `smoke-home-${size}`);
    assert.deepEqual(page.placardErrors, []);
    await page.context().close();
  });
}
