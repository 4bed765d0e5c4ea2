// The tablet's grade rule in the tablet's language: web/inspect/grade.mjs, in a page that speaks
// Simplified Chinese, writes the same sentence as the server writes for a reader of that
// language (the C engine's parts formatted by core/i18n.c, printed by
// `test_grade_rule --dump-rules zh-CN`), for every vector of tests/vectors/grading.json, with
// the built-in schemes' documents as shipped (schemes/*.json). The page's modules run here
// without a browser: the little of a page they touch is stood in for below.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const root = new URL('../../', import.meta.url);
const read = (path) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const bin = process.env.TEST_GRADE_RULE;

const storage = () => {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)) };
};
globalThis.location = new URL('http://tablet.test/inspect/?lang=zh-CN');
globalThis.navigator = { languages: ['zh-CN'], language: 'zh-CN' };
globalThis.localStorage = storage();
globalThis.sessionStorage = storage();
globalThis.history = { state: null, replaceState() {} };
globalThis.document = {
  documentElement: {},
  querySelectorAll: () => [],
  querySelector: () => null,
};
// The page's requests for /i18n/... answered from web/i18n/.
globalThis.fetch = async (url) => {
  const path = String(url).replace(/^\//, 'web/');
  try {
    const text = readFileSync(new URL(path, root), 'utf8');
    return { ok: true, status: 200, json: async () => JSON.parse(text) };
  } catch {
    return { ok: false, status: 404, json: async () => ({}) };
  }
};

const { i18nInit, lang } = await import('../../web/js/i18n.mjs');
const { compute } = await import('../../web/inspect/grade.mjs');

const vectors = read('tests/vectors/grading.json');
const documents = {};
for (const code of new Set(vectors.map((v) => v.scheme)))
  documents[code] = { version: 1, ...read(`schemes/${code}.json`) };

let server = null;

before(async () => {
  assert.ok(bin, 'TEST_GRADE_RULE names the test_grade_rule binary');
  assert.equal(await i18nInit(['grade', 'wording']), 'zh-CN');
  server = new Map(JSON.parse(execFileSync(bin, ['--dump-rules', 'zh-CN'], { encoding: 'utf8' }))
    .map((x) => [x.id, x]));
});

function input(scheme, v) {
  const els = v.elements ? (scheme.elements || []).map((e) => v.elements[e.name]) : null;
  return {
    type: v.inspection_type,
    closed: v.closed,
    daysSincePrevious: v.days_since_previous,
    elements: v.elements && els.length === 0 ? [] : els,
    violations: v.violations,
  };
}

test('the page speaks Simplified Chinese', () => {
  assert.equal(lang(), 'zh-CN');
});

test('grade.mjs gives the server\'s parts and writes its Chinese rule, for every vector', () => {
  let n = 0;
  for (const v of vectors) {
    if (v.op !== 'compute' || v.expect.error) continue;
    const r = compute(documents[v.scheme], input(documents[v.scheme], v.input));
    assert.equal(r.error, undefined, v.id);
    assert.ok(server.has(v.id), `the server wrote no rule for ${v.id}`);
    assert.deepEqual(r.ruleParts, server.get(v.id).rule_parts, `${v.id}: the parts`);
    assert.equal(r.rule, server.get(v.id).rule, v.id);
    assert.notEqual(r.rule, v.expect.rule, `${v.id} is still in English`);
    n++;
  }
  assert.ok(n > 50, `${n} vectors`);
});

test('a few sentences, as a market-supervision bureau writes them', () => {
  const nyc = documents.nyc;
  assert.equal(compute(nyc, {
    type: 'initial', closed: false, daysSincePrevious: null, elements: null,
    violations: [{ code: '02B', points: 7 }, { code: '06C', points: 6 }],
  }).rule, '首次检查得分0–13分：当即评为A级。');
  assert.equal(compute(nyc, {
    type: 'complaint', closed: false, daysSincePrevious: null, elements: null,
    violations: [{ code: '02B', points: 14 }],
  }).rule, '投诉检查得分14–27分：予以记录；此类检查不改变公示的等级。');
  assert.equal(compute(nyc, {
    type: 'initial', closed: true, daysSincePrevious: null, elements: null, violations: [],
  }).rule, '首次检查时责令该单位停业：不评定等级；整改到位后进行恢复营业检查。');
});
