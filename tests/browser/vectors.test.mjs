// The tablet's grade preview (web/inspect/grade.mjs) against the grading engine's shared test
// vectors (tests/vectors/grading.json, written by `test_grade --dump-vectors` from the same
// tables the C engine is tested on). The schemes come from a real server's
// GET /api/v1/schemes/{code}, as the tablet gets them. Any disagreement fails. The vectors of
// what the public sees during an appeal (op appeal_posting) are not the tablet's to compute:
// the database decides it, and tests/integration/test_vectors.c runs them against it.
// The same vectors run again on the built-in schemes' documents as shipped (schemes/*.json,
// docs/schemes.md), read from the files: the engine takes a scheme document as it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, createDatabase, startServer } from './lib.mjs';
import { compute, reinspectionWaitDays } from '../../web/inspect/grade.mjs';

const vectors = JSON.parse(readFileSync(join(root, 'tests', 'vectors', 'grading.json'), 'utf8'));
const schemes = {};
let server;

before(async () => {
  const db = createDatabase('vectors', { demo: 0 });
  server = await startServer(db);
  for (const code of new Set(vectors.map((v) => v.scheme))) {
    const res = await fetch(`${server.url}/api/v1/schemes/${code}`);
    assert.equal(res.status, 200, `GET /api/v1/schemes/${code}`);
    schemes[code] = await res.json();
  }
});
after(async () => {
  await server?.stop();
});

function input(scheme, v) {
  const els = v.elements ? (scheme.elements || []).map((e) => v.elements[e.name]) : null;
  // A scheme without elements still receives the explicit scores, to be refused.
  const elements = v.elements && els.length === 0 ? [] : els;
  return {
    type: v.inspection_type,
    closed: v.closed,
    daysSincePrevious: v.days_since_previous,
    elements,
    violations: v.violations,
  };
}

// A shipped document has no version: it is its scheme's version 1 until published again.
const documents = {};
for (const code of new Set(vectors.map((v) => v.scheme)))
  documents[code] = { version: 1, ...JSON.parse(readFileSync(join(root, 'schemes', `${code}.json`), 'utf8')) };

function check(v, from = schemes) {
  const scheme = from[v.scheme];
  assert.equal(scheme.version, v.scheme_version, 'scheme version');
  const e = v.expect;
  if (v.op === 'compute') {
    const r = compute(scheme, input(scheme, v.input));
    if (e.error) {
      assert.deepEqual({ error: r.error, field: r.field, index: r.index },
        { error: e.error, field: e.error_field, index: e.error_index });
      return;
    }
    assert.equal(r.error, undefined, `unexpected ${r.error} ${r.field}`);
    assert.deepEqual({
      score: r.score, deductions: r.deductions, band: r.band.code, rated_band: r.ratedBand.code,
      outcome: r.outcome, grade_code: r.code, grade_label: r.label,
      sets_posted_grade: r.setsPostedGrade, reinspection_required: r.reinspectionRequired,
      reinspection_min_days: r.reinspectionMinDays, counted: r.counted.length,
      dismissed: r.dismissed.length, rule: r.rule,
    }, {
      score: e.score, deductions: e.deductions, band: e.band, rated_band: e.rated_band,
      outcome: e.outcome, grade_code: e.grade_code, grade_label: e.grade_label,
      sets_posted_grade: e.sets_posted_grade, reinspection_required: e.reinspection_required,
      reinspection_min_days: e.reinspection_min_days, counted: e.counted, dismissed: e.dismissed,
      rule: e.rule,
    });
  } else if (v.op === 'reinspection_wait') {
    const r = reinspectionWaitDays(scheme, v.input.days_since_previous);
    if (e.error) assert.equal(r.error, e.error);
    else assert.equal(r.days, e.days);
  } else {
    assert.fail(`unknown vector op ${v.op}`);
  }
}

test('the vectors cover every band edge of every scheme', () => {
  // Each band's min and (when closed) max appear as a computed score in some vector.
  for (const [code, scheme] of Object.entries(schemes)) {
    const scores = new Set(vectors.filter((v) => v.scheme === code && v.op === 'compute' && !v.expect.error)
      .map((v) => v.expect.score));
    for (const b of scheme.bands) {
      if (scheme.kind === 'element-scores') continue; // totals come in steps of 5
      assert.ok(scores.has(b.min), `${code}: no vector scores ${b.min}`);
      if (b.max !== null) assert.ok(scores.has(b.max), `${code}: no vector scores ${b.max}`);
    }
  }
});

for (const v of vectors.filter((v) => v.op !== 'appeal_posting')) {
  test(`vector ${v.id}`, () => check(v));
}

for (const v of vectors.filter((v) => v.op !== 'appeal_posting')) {
  test(`vector ${v.id}, on the shipped document`, () => check(v, documents));
}
