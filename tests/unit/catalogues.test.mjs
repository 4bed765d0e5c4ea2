// The message catalogues (web/i18n/): every language has every key of English and no other,
// every message parses, a translation uses only arguments the English message has, and every
// key the pages (web/) and the server (src/) name is in the English catalogues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { parseMessage } from '../../web/js/i18n.mjs';

const root = new URL('../../', import.meta.url);
const i18n = new URL('web/i18n/', root);
const read = (u) => JSON.parse(readFileSync(u, 'utf8'));
const languages = read(new URL('languages.json', i18n)).languages.map((l) => l.code);
const DEFAULT = languages[0];
// The scheme documents' wording is keyed by its English text and has no English file.
const WORDING = 'wording.json';

function domains(code) {
  try {
    return readdirSync(new URL(`${code}/`, i18n)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

function argNames(nodes, out = new Set()) {
  for (const n of nodes) {
    if (typeof n === 'string' || n.type === 'pound') continue;
    out.add(n.name);
    if (n.options) for (const o of Object.values(n.options)) argNames(o, out);
  }
  return out;
}

test('languages.json names a directory of catalogues for each language', () => {
  assert.ok(languages.length >= 2);
  for (const code of languages) {
    assert.match(code, /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$/, code);
    assert.ok(statSync(new URL(`${code}/`, i18n)).isDirectory(), code);
  }
});

for (const code of languages.slice(1)) {
  test(`${code} has every key of ${DEFAULT}, and no other`, () => {
    const en = domains(DEFAULT).filter((d) => d !== WORDING);
    assert.deepEqual(domains(code).filter((d) => d !== WORDING), en, 'the same domain files');
    for (const d of en) {
      const a = read(new URL(`${DEFAULT}/${d}`, i18n));
      const b = read(new URL(`${code}/${d}`, i18n));
      const missing = Object.keys(a).filter((k) => !(k in b));
      const extra = Object.keys(b).filter((k) => !(k in a));
      assert.deepEqual(missing, [], `${code}/${d} lacks keys`);
      assert.deepEqual(extra, [], `${code}/${d} has keys ${DEFAULT} has not`);
      for (const [k, msg] of Object.entries(b)) {
        assert.equal(typeof msg, 'string', `${code}/${d} ${k}`);
        assert.ok(msg.trim(), `${code}/${d} ${k} is empty`);
        const theirs = argNames(parseMessage(msg));
        const ours = argNames(parseMessage(a[k]));
        for (const n of theirs) assert.ok(ours.has(n), `${code}/${d} ${k} uses {${n}}, which ${DEFAULT} has not`);
      }
    }
  });
}

test('every message parses', () => {
  for (const code of languages) {
    for (const d of domains(code)) {
      for (const [k, msg] of Object.entries(read(new URL(`${code}/${d}`, i18n)))) {
        assert.doesNotThrow(() => parseMessage(msg), `${code}/${d} ${k}`);
      }
    }
  }
});

function walk(dir, exts, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const u = new URL(`${e.name}${e.isDirectory() ? '/' : ''}`, dir);
    if (e.isDirectory()) {
      if (e.name !== 'vendor' && e.name !== 'i18n') walk(u, exts, out);
    } else if (exts.some((x) => e.name.endsWith(x))) out.push(u);
  }
  return out;
}

test('every key the pages and the server name is in the English catalogues', () => {
  const known = new Set();
  for (const d of domains(DEFAULT)) for (const k of Object.keys(read(new URL(`${DEFAULT}/${d}`, i18n)))) known.add(k);
  const missing = [];
  const web = walk(new URL('web/', root), ['.mjs', '.js', '.html']);
  for (const u of web.filter((x) => !x.pathname.endsWith('/js/i18n.mjs'))) {
    const text = readFileSync(u, 'utf8');
    const keys = [
      ...[...text.matchAll(/\b(?:t|tParts|has)\(\s*'([a-z][A-Za-z0-9_.-]*)'/g)].map((m) => m[1]),
      ...[...text.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]),
      ...[...text.matchAll(/data-i18n-attr="([^"]+)"/g)].flatMap((m) => m[1].split(';').map((p) => p.split(':')[1]?.trim())),
    ];
    for (const k of keys) if (k && !known.has(k)) missing.push(`${u.pathname.replace(root.pathname, '')}: ${k}`);
  }
  // The server names its messages by keys of its domains ("api.", "records.", "grade.").
  for (const u of walk(new URL('src/', root), ['.c', '.h'])) {
    const text = readFileSync(u, 'utf8');
    for (const m of text.matchAll(/"((?:api|records|grade)\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)"/g)) {
      if (!known.has(m[1])) missing.push(`${u.pathname.replace(root.pathname, '')}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

// The wording of the shipped scheme documents: each text a reader sees (name, jurisdiction,
// bands' labels and meanings, elements, violations' descriptions, the rules' labels) has a
// translation in every other language, keyed by its English text. Codes of one or two
// characters (A, 5) are the same in every language.
test('every text of the shipped schemes has its wording in every language', () => {
  const dir = new URL('schemes/', root);
  const texts = new Set(['No grade issued']);
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'scheme.schema.json')) {
    const d = read(new URL(f, dir));
    const add = (s) => { if (typeof s === 'string' && s.trim().length > 2) texts.add(s); };
    add(d.name); add(d.jurisdiction);
    for (const b of d.bands || []) { add(b.label); add(b.meaning); }
    for (const e of d.elements || []) add(typeof e === 'string' ? e : e.name);
    for (const v of d.violations || []) add(v.description);
    for (const [k, v] of Object.entries(d.rules || {})) if (k.endsWith('label')) add(v);
  }
  for (const code of languages.slice(1)) {
    let w = {};
    try { w = read(new URL(`${code}/${WORDING}`, i18n)); } catch { /* none: every text missing */ }
    const missing = [...texts].filter((s) => !(s in w));
    assert.deepEqual(missing, [], `${code}/${WORDING} lacks the wording of these texts`);
  }
});
