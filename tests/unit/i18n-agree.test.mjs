// The server's formatter (src/core/i18n.c) and the browser's (web/js/i18n.mjs) give the same
// text for the same message and arguments, and refuse the same messages: 20000 patterns made
// at random of the pieces of the syntax (tests/unit/i18n_agree.c prints them with the C
// formatter's answers), in English and Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { formatMessage } from '../../web/js/i18n.mjs';

test('the C formatter agrees with the browser on random patterns', (t) => {
  const bin = process.env.PLACARD_I18N_AGREE;
  if (!bin) {
    t.skip('PLACARD_I18N_AGREE (the i18n_agree program) is not set');
    return;
  }
  const lines = execFileSync(bin, { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter(Boolean);
  assert.equal(lines.length, 20000);
  let parsed = 0;
  const differ = [];
  for (const line of lines) {
    const [pattern, lang, n, s, c] = line.split('\t');
    let js;
    try {
      js = formatMessage(pattern, { n: Number(n), s, d: undefined }, lang).join('');
      parsed++;
    } catch {
      js = '\u0001ERR';
    }
    if (js !== c) differ.push({ pattern, lang, n, s, c, js });
  }
  assert.deepEqual(differ.slice(0, 10), []);
  assert.ok(parsed > 1000, `only ${parsed} patterns parsed`);
});
