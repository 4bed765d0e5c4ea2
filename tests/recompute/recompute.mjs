#!/usr/bin/env node
// recompute.mjs - recompute every grade of a Placard open-data feed from the feed and the
// published scheme versions alone, without Placard's C code or database.
//
//   node tests/recompute/recompute.mjs --feed FILE|URL --schemes BASE [--json] [--show N]
//
// --feed: the feed (docs/opendata.md) as a file, "-" for standard input, or an http(s) URL
// (GET /api/v1/opendata/inspections.ndjson). --schemes: where the scheme versions are
// published: a server's base URL (documents fetched from BASE/api/v1/schemes/CODE/versions/N)
// or a folder holding CODE-N.json files. The feed is read a line at a time; each scheme
// version is fetched once.
//
// Each inspection is graded again by web/inspect/grade.mjs (the grading engine as it runs on
// the tablet, written in JavaScript from the documented method) under the scheme version it
// names, from its type, whether it closed the establishment, its element scores and its
// violations (points, dismissed or not). The score, the grade's code and label, the outcome
// and whether it sets the posted grade must be what the feed says was issued. Inspections
// marked as_published (imported: their source graded them under its own rules) are counted,
// not recomputed. The interval since the previous inspection only decides whether a
// re-inspection was allowed to take place, never its grade, so it is taken as the scheme's
// minimum.
//
// Prints the counts (inspections, recomputable, matched, mismatched, as-published) and the
// first --show mismatches (default 10); exits 0 when nothing mismatched, 1 when something
// did, 2 when the feed or a scheme cannot be read.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { compute } = await import(join(here, '..', '..', 'web', 'inspect', 'grade.mjs'));

function usage(msg) {
  if (msg) console.error(`recompute: ${msg}`);
  console.error('usage: recompute.mjs --feed FILE|URL|- --schemes URL|FOLDER [--json] [--show N]');
  process.exit(2);
}

const opts = { show: 10, json: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--feed') opts.feed = argv[++i];
  else if (a === '--schemes') opts.schemes = argv[++i];
  else if (a === '--show') opts.show = Number(argv[++i]);
  else if (a === '--json') opts.json = true;
  else usage(`unknown argument ${a}`);
}
if (!opts.feed || !opts.schemes) usage();
if (!Number.isInteger(opts.show) || opts.show < 0) usage('--show takes a number');

const isUrl = (s) => /^https?:\/\//.test(s);

async function openFeed(src) {
  if (src === '-') return process.stdin;
  if (isUrl(src)) {
    const res = await fetch(src);
    if (res.status !== 200) throw new Error(`${src}: HTTP ${res.status}`);
    return Readable.fromWeb(res.body);
  }
  return createReadStream(src);
}

const schemeCache = new Map();
async function schemeVersion(code, version) {
  const key = `${code}/${version}`;
  if (schemeCache.has(key)) return schemeCache.get(key);
  let doc;
  if (isUrl(opts.schemes)) {
    const url = `${opts.schemes.replace(/\/$/, '')}/api/v1/schemes/${encodeURIComponent(code)}/versions/${version}`;
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    doc = await res.json();
  } else {
    doc = JSON.parse(readFileSync(join(opts.schemes, `${code}-${version}.json`), 'utf8'));
  }
  if (doc.code !== code || doc.version !== version)
    throw new Error(`scheme ${key}: the document says ${doc.code} version ${doc.version}`);
  schemeCache.set(key, doc);
  return doc;
}

function minimumWait(scheme) {
  const r = scheme.rules || {};
  return Math.max(r.min_days_before_reinspection || 0, r.rerating_standstill_days || 0);
}

// The grade as issued and as recomputed, in the same shape, for comparison.
function issued(ins) {
  return {
    score: ins.score, code: ins.grade.code, label: ins.grade.label,
    outcome: ins.grade.outcome, sets_grade: ins.grade.sets_grade,
  };
}

export function regrade(scheme, ins) {
  let elements = null;
  if (ins.elements) {
    elements = (scheme.elements || []).map((e) => ins.elements[e.name]);
    if (elements.length === 0) elements = [];
  }
  const r = compute(scheme, {
    type: ins.type,
    closed: ins.closed,
    daysSincePrevious: ins.type === 'reinspection' ? minimumWait(scheme) : null,
    elements,
    violations: ins.violations.map((v) => ({ code: v.code, points: v.points, dismissed: v.dismissed })),
  });
  if (r.error) return { error: `${r.error} ${r.field}${r.index >= 0 ? `[${r.index}]` : ''}` };
  return { score: r.score, code: r.code, label: r.label, outcome: r.outcome, sets_grade: r.setsPostedGrade };
}

const counts = { inspections: 0, recomputable: 0, matched: 0, mismatched: 0, as_published: 0 };
const mismatches = [];
let header = null;
let lineNo = 0;

try {
  const lines = createInterface({ input: await openFeed(opts.feed), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let obj;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new Error(`line ${lineNo}: not JSON (${e.message})`);
    }
    if (lineNo === 1) {
      if (obj.feed !== 'placard-inspections' || obj.format !== 1)
        throw new Error('line 1: not a Placard inspections feed of format 1');
      header = obj;
      continue;
    }
    counts.inspections++;
    if (obj.as_published) {
      counts.as_published++;
      continue;
    }
    counts.recomputable++;
    const scheme = await schemeVersion(obj.scheme.code, obj.scheme.version);
    const want = issued(obj);
    const got = regrade(scheme, obj);
    const same = !got.error && Object.keys(want).every((k) => want[k] === got[k]);
    if (same) {
      counts.matched++;
    } else {
      counts.mismatched++;
      if (mismatches.length < opts.show) mismatches.push({ inspection: obj.inspection, line: lineNo, issued: want, recomputed: got });
    }
  }
  if (!header) throw new Error('the feed is empty');
} catch (e) {
  console.error(`recompute: ${e.message}`);
  process.exit(2);
}

if (opts.json) {
  console.log(JSON.stringify({ data_version: header.data_version, ...counts, mismatches }));
} else {
  console.log(`feed data version ${header.data_version}`);
  for (const [k, v] of Object.entries(counts)) console.log(`${k.replace('_', '-')} ${v}`);
  for (const m of mismatches)
    console.log(`MISMATCH inspection ${m.inspection} (line ${m.line}): issued ${JSON.stringify(m.issued)}, recomputed ${JSON.stringify(m.recomputed)}`);
}
process.exit(counts.mismatched ? 1 : 0);
