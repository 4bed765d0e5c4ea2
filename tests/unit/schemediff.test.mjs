// The scheme comparison (web/js/schemediff.mjs) over made-up versions and the shipped
// documents: each kind of change found, nothing found between a version and itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { diffSchemes, changeText } from '../../web/js/schemediff.mjs';
import { useCatalogue } from '../../web/js/i18n.mjs';

const root = new URL('../../', import.meta.url);
const load = (name) => JSON.parse(readFileSync(new URL(`schemes/${name}`, root), 'utf8'));
// The sentences of a change come from the English catalogue, as the page loads it.
useCatalogue('en', 'schemes', JSON.parse(readFileSync(new URL('web/i18n/en/schemes.json', root), 'utf8')));
const copy = (x) => JSON.parse(JSON.stringify(x));

function city() {
  const violations = [];
  for (let i = 1; i <= 30; i++)
    violations.push({ code: `G${String(i).padStart(2, '0')}`, description: `Gotham rule ${i} was broken.`,
      category: i <= 10 ? 'priority' : i <= 20 ? 'priority-foundation' : 'core', severity: 'none',
      default_points: 2, min_points: 2, max_points: 4 });
  return {
    code: 'gotham', version: 1, name: 'Gotham medals', jurisdiction: 'Gotham City',
    kind: 'deduct-from-100', score_direction: 'higher_is_better',
    bands: [
      { label: 'Gold', code: 'gold', meaning: 'a gold medal', min: 95, max: 100 },
      { label: 'Silver', code: 'silver', meaning: 'a silver medal', min: 80, max: 94 },
      { label: 'No medal', code: 'none', meaning: 'a visit within a month', min: 0, max: 79 },
    ],
    violations,
    rules: { appeal_window: 'within_days', appeal_window_days: 14, withhold_until_appeal_decided: false,
      graded_inspection_types: ['initial', 'reinspection'] },
  };
}

test('a version compared with itself: nothing changed', () => {
  for (const s of [city(), load('nyc.json'), load('fhrs.json'), load('sf100.json'), load('cn-faces.json')]) {
    const d = diffSchemes(s, copy(s));
    assert.equal(d.same, true, s.code);
    assert.deepEqual(d.violations, { added: [], removed: [], changed: [] });
    assert.deepEqual(d.rules, []);
  }
});

test('only the version number differs: the same', () => {
  const b = city();
  b.version = 2;
  const d = diffSchemes(city(), b);
  assert.equal(d.same, true);
  assert.equal(d.from, 1);
  assert.equal(d.to, 2);
});

test('a band moved, a band added, a band removed', () => {
  const a = city();
  const b = city();
  b.bands[0].min = 94;
  b.bands[1].max = 93;
  b.bands[2] = { label: 'Bronze', code: 'bronze', meaning: 'a bronze medal', min: 0, max: 79 };
  const d = diffSchemes(a, b);
  assert.equal(d.same, false);
  assert.deepEqual(d.bands.added.map((x) => x.code), ['bronze']);
  assert.deepEqual(d.bands.removed.map((x) => x.code), ['none']);
  assert.deepEqual(d.bands.changed.map((x) => x.key), ['gold', 'silver']);
  assert.deepEqual(d.bands.changed[0].changes, [{ field: 'min', from: 95, to: 94 }]);
  assert.equal(changeText(d.bands.changed[1].changes[0]), 'max: 94 → 93');
  assert.equal(d.bands.reordered, false);
});

test('bands in another order', () => {
  const b = city();
  b.bands = [b.bands[1], b.bands[0], b.bands[2]];
  const d = diffSchemes(city(), b);
  assert.equal(d.bands.reordered, true);
  assert.equal(d.same, false);
});

test('codes added, removed, and changed in points, words, category and severity', () => {
  const a = city();
  const b = city();
  b.violations = b.violations.filter((v) => v.code !== 'G07');
  b.violations.push({ code: 'G31', description: 'New rule.', category: 'core', severity: 'none',
    default_points: 2, min_points: 2, max_points: 2 });
  b.violations[0].max_points = 12;
  b.violations[1].description = 'Reworded.';
  b.violations[2].category = 'core';
  b.violations[3].severity = 'critical';
  const d = diffSchemes(a, b);
  assert.deepEqual(d.violations.added.map((v) => v.code), ['G31']);
  assert.deepEqual(d.violations.removed.map((v) => v.code), ['G07']);
  assert.deepEqual(d.violations.changed.map((v) => [v.key, v.changes.map((c) => c.field)]),
    [['G01', ['max_points']], ['G02', ['description']], ['G03', ['category']], ['G04', ['severity']]]);
  assert.deepEqual(d.violations.changed[0].changes[0], { field: 'max_points', from: 4, to: 12 });
});

test('rules changed, added and removed', () => {
  const a = city();
  const b = city();
  b.rules.appeal_window_days = 21;
  b.rules.graded_inspection_types = ['initial'];
  delete b.rules.withhold_until_appeal_decided;
  b.rules.rerating_standstill_days = 90;
  const d = diffSchemes(a, b);
  assert.deepEqual(d.rules, [
    { field: 'appeal_window_days', from: 14, to: 21 },
    { field: 'graded_inspection_types', from: ['initial', 'reinspection'], to: ['initial'] },
    { field: 'rerating_standstill_days', from: null, to: 90 },
    { field: 'withhold_until_appeal_decided', from: false, to: null },
  ]);
  assert.equal(changeText(d.rules[1]), 'graded inspection types: initial, reinspection → initial');
});

test('elements: allowed scores and descriptions', () => {
  const a = load('fhrs.json');
  const b = copy(a);
  b.elements[0].allowed_scores = [0, 5, 10];
  b.elements[1].description = 'Other words.';
  b.violations[0].element = b.elements[2].name;
  const d = diffSchemes(a, b);
  assert.deepEqual(d.elements.changed.map((e) => [e.key, e.changes.map((c) => c.field)]),
    [[a.elements[0].name, ['allowed_scores']], [a.elements[1].name, ['description']]]);
  assert.equal(d.violations.changed[0].changes[0].field, 'element');
});

test('the scheme\'s own fields', () => {
  const b = city();
  b.name = 'Gotham stars';
  const d = diffSchemes(city(), b);
  assert.deepEqual(d.scheme, [{ field: 'name', from: 'Gotham medals', to: 'Gotham stars' }]);
});

// The tablet's choice of the version a visit is graded under (web/inspect/versions.mjs).
test('the version in force on a day', async () => {
  const { versionOn, versionsFor, localDay } = await import('../../web/inspect/versions.mjs');
  const versions = [
    { version: 1, applies_from: null },
    { version: 2, applies_from: '2026-03-01' },
    { version: 3, applies_from: '2026-06-15' },
  ];
  assert.equal(versionOn(versions, '2020-01-01'), 1);
  assert.equal(versionOn(versions, '2026-02-28'), 1);
  assert.equal(versionOn(versions, '2026-03-01'), 2);
  assert.equal(versionOn(versions, '2026-06-14'), 2);
  assert.equal(versionOn(versions, '2026-06-15'), 3);
  assert.equal(versionOn(versions, '2030-01-01'), 3);
  assert.equal(versionOn([], '2026-01-01'), null);
  // A first version with a date still covers the days before it.
  assert.equal(versionOn([{ version: 1, applies_from: '2026-05-01' }], '2026-01-01'), 1);
  assert.deepEqual(versionsFor(versions, ['2026-07-01', '2025-01-01', '2026-07-02', '2026-04-01']), [1, 2, 3]);
  assert.deepEqual(versionsFor(versions, ['2026-07-01']), [3]);
  assert.match(localDay(), /^\d{4}-\d{2}-\d{2}$/);
});
