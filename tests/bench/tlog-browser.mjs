// tlog-browser.mjs - run by tests/bench/tlog: in Debian's Chromium at phone size, the public
// record page of PLACARD_BENCH_URL checks the bench's entry (subject inspection/bench) with
// web/js/tlog.mjs's checkSubject(): the entries' hashes, the signed checkpoint and the
// inclusion proof in the tree of PLACARD_BENCH_ENTRIES entries, all with WebCrypto. Then it
// fetches the three tiles on the last leaf's path, which a client building its own proofs
// reads. Prints one line per measurement: the median of 7 runs after one not counted.
import { createRequire } from 'node:module';

// playwright-core from tests/browser/node_modules (PLACARD_BENCH_MODULES).
const require = createRequire(`${process.env.PLACARD_BENCH_MODULES || '.'}/`);
const { chromium } = require('playwright-core');

const base = process.env.PLACARD_BENCH_URL;
const entries = Number(process.env.PLACARD_BENCH_ENTRIES);
if (!base || !Number.isInteger(entries)) {
  console.error('tlog-browser.mjs: PLACARD_BENCH_URL and PLACARD_BENCH_ENTRIES are set by tests/bench/tlog');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
try {
  // As tests/browser/lib.mjs's phone.
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  await page.goto(`${base}/log.html`);
  const runs = await page.evaluate(async (n) => {
    const m = await import('/js/tlog.mjs');
    const check = [], tiles = [];
    let last;
    // C2SP tlog-tiles paths: the index in groups of three digits, x before all but the last.
    const path = (i) => {
      const s = String(i).padStart(3, '0');
      const groups = [];
      for (let at = s.length; at > 0; at -= 3) groups.unshift(s.slice(Math.max(0, at - 3), at).padStart(3, '0'));
      return groups.map((g, k) => (k < groups.length - 1 ? `x${g}` : g)).join('/');
    };
    const leaf = n - 1;
    const tilePaths = [0, 1, 2].map((level) => {
      const width = Math.floor(n / 256 ** level); // hashes at that tree level
      const idx = Math.floor(leaf / 256 ** (level + 1));
      const inTile = width - idx * 256;
      return `/tile/${level}/${path(idx)}${inTile < 256 ? `.p/${inTile}` : ''}`;
    });
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      last = await m.checkSubject('inspection/bench');
      const t1 = performance.now();
      let bytes = 0;
      for (const p of tilePaths) {
        const res = await fetch(p, { cache: 'no-store' });
        if (!res.ok) throw new Error(`${p}: ${res.status}`);
        bytes += (await res.arrayBuffer()).byteLength;
      }
      const t2 = performance.now();
      if (i > 0) {
        check.push(t1 - t0);
        tiles.push({ ms: t2 - t1, bytes });
      }
    }
    return { check, tiles, state: last.state, size: last.size, tilePaths };
  }, entries);
  if (runs.state !== 'included' || runs.size !== entries) {
    console.error(`tlog-browser.mjs: the check said ${runs.state} at size ${runs.size}`);
    process.exit(1);
  }
  const line = (what, ms, more = '') => console.log(`${what.padEnd(70)} ${ms.toFixed(1).padStart(8)} ms${more}`);
  line(`checkSubject('inspection/bench') in a tree of ${entries} entries (phone, 390x844)`, median(runs.check),
    `  (goal: under 100 ms; runs ${runs.check.map((x) => x.toFixed(1)).join(' ')})`);
  line(`the tiles on the last leaf's path: ${runs.tilePaths.join(' ')}`, median(runs.tiles.map((t) => t.ms)),
    `  (${runs.tiles[0].bytes} bytes)`);
  await context.close();
} finally {
  await browser.close();
}
