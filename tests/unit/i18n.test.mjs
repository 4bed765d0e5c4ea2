// The browser's message formatter and language choice (web/js/i18n.mjs), without a browser:
// ICU MessageFormat as the catalogues use it, checked against intl-messageformat (FormatJS, an
// independent implementation) for every message of every catalogue with made-up arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseMessage, formatMessage, negotiate, MessageSyntaxError } from '../../web/js/i18n.mjs';

const f = (m, args, lang = 'en') => formatMessage(m, args, lang).join('');

test('plain text, arguments and apostrophes', () => {
  assert.equal(f('Hello'), 'Hello');
  assert.equal(f('Hello {name}!', { name: 'Ann' }), 'Hello Ann!');
  assert.equal(f("The inspector's note"), "The inspector's note");
  assert.equal(f("It''s"), "It's");
  assert.equal(f("'{name}' is literal"), '{name} is literal');
  assert.equal(f("'{'{name}'}'", { name: 'x' }), '{x}');
  assert.equal(f('missing {gone}'), 'missing {gone}');
});

test('numbers, plurals and selects', () => {
  const m = '{n, plural, =0 {no points} one {# point} other {# points}}';
  assert.equal(f(m, { n: 0 }), 'no points');
  assert.equal(f(m, { n: 1 }), '1 point');
  assert.equal(f(m, { n: 2 }), '2 points');
  assert.equal(f(m, { n: 1234 }), '1,234 points');
  assert.equal(f('{n, plural, other {# 分}}', { n: 3 }, 'zh-CN'), '3 分');
  assert.equal(f('{n, number}', { n: 12345.5 }), '12,345.5');
  assert.equal(f('{n, number, integer}', { n: 12345.5 }), '12,346');
  assert.equal(f('{n, plural, offset:1 =0 {nobody} one {you} other {you and # others}}', { n: 3 }), 'you and 2 others');
  const s = '{state, select, open {Open} closed {Closed} other {Unknown}}';
  assert.equal(f(s, { state: 'open' }), 'Open');
  assert.equal(f(s, { state: 'odd' }), 'Unknown');
  assert.equal(f('{n, plural, one {# day {what}} other {# days {what}}}', { n: 1, what: 'left' }), '1 day left');
});

test('dates in the language\'s conventions', () => {
  const d = new Date(2026, 11, 6, 14, 5);
  assert.equal(f('{d, date}', { d }, 'zh-CN'), '2026年12月6日');
  assert.equal(f('{d, date, long}', { d }, 'en'), 'December 6, 2026');
  assert.equal(f('{d, date}', { d }, 'en'), 'Dec 6, 2026');
  assert.match(f('{d, time, short}', { d }, 'zh-CN'), /14:05/);
});

test('elements pass through as arguments', () => {
  const link = { tag: 'a' };
  assert.deepEqual(formatMessage('See {link}.', { link }, 'en'), ['See ', link, '.']);
});

test('what does not parse is refused', () => {
  for (const bad of ['{', '}', '{n, plural, one {x}}', '{n, plural, lots {x} other {y}}', '{n, frob}',
    '{n, number, money}', '{n, select, a {x} other {y}', 'a } b']) {
    assert.throws(() => parseMessage(bad), MessageSyntaxError, bad);
  }
});

test('language choice as the server makes it', () => {
  const av = ['en', 'zh-CN'];
  assert.equal(negotiate(['zh-CN'], av), 'zh-CN');
  assert.equal(negotiate(['zh-cn'], av), 'zh-CN');
  assert.equal(negotiate(['zh'], av), 'zh-CN');
  assert.equal(negotiate(['zh-Hans-CN'], av), 'zh-CN');
  assert.equal(negotiate(['zh-TW', 'en'], av), 'zh-CN');
  assert.equal(negotiate(['en-GB'], av), 'en');
  assert.equal(negotiate(['fr', 'de'], av), 'en');
  assert.equal(negotiate(['fr', 'zh'], av), 'zh-CN');
  assert.equal(negotiate([], av), 'en');
  assert.equal(negotiate(['*'], av), 'en');
});

// Every message of every catalogue, formatted here and by intl-messageformat, with every
// argument given a value that exercises it (numbers for plurals and numbers).
function argsOf(nodes, out = {}) {
  for (const n of nodes) {
    if (typeof n === 'string' || n.type === 'pound') continue;
    if (n.type === 'plural' || n.type === 'selectordinal' || n.type === 'number') out[n.name] = 3;
    else if (n.type === 'date' || n.type === 'time') out[n.name] = new Date(2026, 4, 1, 9, 30);
    else if (n.type === 'select') out[n.name] ??= Object.keys(n.options)[0];
    else out[n.name] ??= `«${n.name}»`;
    if (n.options) for (const o of Object.values(n.options)) argsOf(o, out);
  }
  return out;
}

test('every catalogue message formats as intl-messageformat formats it', (t) => {
  let IntlMessageFormat;
  try {
    const require = createRequire(new URL('../browser/package.json', import.meta.url));
    ({ IntlMessageFormat } = require('intl-messageformat'));
  } catch {
    t.skip('intl-messageformat is not installed (npm ci in tests/browser)');
    return;
  }
  const root = new URL('../../web/i18n/', import.meta.url);
  let n = 0;
  for (const code of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const file of readdirSync(new URL(`${code}/`, root)).filter((x) => x.endsWith('.json'))) {
      const cat = JSON.parse(readFileSync(new URL(`${code}/${file}`, root), 'utf8'));
      for (const [key, msg] of Object.entries(cat)) {
        const args = argsOf(parseMessage(msg));
        const ours = formatMessage(msg, args, code).join('');
        const theirs = String(new IntlMessageFormat(msg, code, undefined, { ignoreTag: true }).format(args));
        assert.equal(ours, theirs, `${code}/${file} ${key}`);
        n++;
      }
    }
  }
  assert.ok(n > 0);
});
