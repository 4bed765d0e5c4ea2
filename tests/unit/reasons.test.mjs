// The reasons the domain's rules give (src/domain/policy.c, src/domain/licence.c) are English
// sentences; the records layer says each as a message of the "records" catalogue
// (rec_refuse_why, src/records/duties.c). Every reason has its message there, and the English
// message gives the very sentence the rule wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatMessage } from '../../web/js/i18n.mjs';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');

// Adjacent C string literals, joined; comments left out.
function literals(src) {
  const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const out = [];
  for (const m of code.matchAll(/(?:"(?:[^"\\]|\\.)*"\s*)+/g)) {
    out.push([...m[0].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]).join('').replace(/\\"/g, '"'));
  }
  return out;
}

const sentence = (s) => /^[A-Z].{20,}\.$/.test(s);
const reasons = [...new Set([
  ...literals(read('src/domain/policy.c')).filter(sentence),
  ...literals(read('src/domain/licence.c')).filter(sentence),
])];

const table = new Map();
{
  const src = read('src/records/duties.c');
  const body = src.slice(src.indexOf('reasons[] = {'), src.indexOf('};', src.indexOf('reasons[] = {')));
  for (const m of body.matchAll(/\{\s*((?:"(?:[^"\\]|\\.)*"\s*)+),\s*"([a-z0-9_.]+)"\s*\}/g)) {
    table.set(literals(m[1]).join(''), m[2]);
  }
}
const en = JSON.parse(read('web/i18n/en/records.json'));

test('the domain gives reasons, and the table reads them', () => {
  assert.ok(reasons.length >= 40, `${reasons.length} reasons`);
  assert.ok(table.size >= 40, `${table.size} table rows`);
});

test('every reason of the domain has its message, which says it word for word', () => {
  const missing = reasons.filter((r) => !table.has(r));
  assert.deepEqual(missing, []);
  for (const [why, key] of table) {
    assert.ok(key in en, key);
    assert.equal(formatMessage(en[key], {}, 'en').join(''), why, key);
  }
});

test('the table names no reason the domain no longer gives', () => {
  assert.deepEqual([...table.keys()].filter((w) => !reasons.includes(w)), []);
});
