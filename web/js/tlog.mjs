// tlog.mjs - checks, in the browser, that the log entries about one thing (an inspection) are
// in the city's public record: each entry's hash is recomputed from its content, the signed
// checkpoint (C2SP signed note, Ed25519) is verified with the log's key, and each entry's
// inclusion proof (RFC 9162 2.1.3) is checked against the checkpoint's root hash. Nothing but
// WebCrypto: SHA-256 with crypto.subtle.digest, Ed25519 with crypto.subtle.verify. The formats
// are docs/api.md's ("The Merkle tree: checkpoints, proofs and tiles").
//
// What it trusts: the log's verifier key. The key the server gives is compared with the pin a
// printed grade card carries (its QR code's "log" parameter: the first 16 base64url characters
// of the public key) and with the key this browser saw on an earlier check; docs/operations.md
// publishes the key for a person to compare by hand. The browser also keeps the last
// checkpoint it verified and checks that the record it is shown now only extends it (RFC 9162
// 2.1.4 consistency proof): a server that shows this device one history and later another (a
// fork) is caught even when both are signed with the real key.

import { el } from './portal.mjs';
import { formatNumber, has, i18nInit, t, tParts } from './i18n.mjs';

const enc = new TextEncoder();
const KEY_STORE = 'placard.log.vkey';
const CHECKPOINT_STORE = 'placard.log.checkpoint';

// A check that did not pass: its message says, in plain words in the page's language, what
// does not hold (the message "log.tlog.<what>" of the "log" catalogue; @key and @args name it).
export class LogCheckError extends Error {
  constructor(key, args = {}) {
    super(t(key, args));
    this.key = key;
    this.args = args;
  }
}
const fail = (what, args = {}) => { throw new LogCheckError(`log.tlog.${what}`, args); };

export function b64decode(s) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4) fail('not_base64');
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function hexdecode(h) {
  if (!/^[0-9a-f]{64}$/.test(h)) fail('hash_not_hex');
  return Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// RFC 6962 hashes: a leaf SHA-256(0x00 || data), a node SHA-256(0x01 || left || right).
export const leafHash = (data) => sha256(concat(Uint8Array.of(0), data));
const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

// The text an entry's chain hash covers (docs/api.md; web/js/log.mjs computes the same).
export const canonical = (e) => `${e.seq}\n${e.prev_hash}\n${e.occurred_at}\n${e.kind}\n${e.subject}\n${e.payload_text}`;

// RFC 9162 2.1.3.2: whether @proof shows leaf hash @leaf at @index in the tree of @size
// leaves whose root is @root.
export async function inclusionHolds(leaf, index, size, root, proof) {
  if (!(index >= 0 && index < size)) return false;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

// RFC 9162 2.1.4.2: whether @proof shows that the tree of @first leaves with root
// @firstRoot is a prefix of the tree of @second leaves with root @secondRoot.
export async function consistencyHolds(first, second, firstRoot, secondRoot, proof) {
  if (!(first >= 1 && first <= second)) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (!proof.length) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : proof;
  let fn = first - 1, sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
}

// A verifier key "<name>+<8 hex key hash>+<base64(0x01 || public key)>": { name, id, pk },
// its key hash checked (the first 4 bytes of SHA-256(name || "\n" || 0x01 || key)).
export async function parseVkey(vkey) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey || '');
  if (!m) fail('key_not_key');
  const raw = b64decode(m[3]);
  if (raw.length !== 33 || raw[0] !== 1) fail('key_not_ed25519');
  const pk = raw.slice(1);
  const h = await sha256(concat(enc.encode(`${m[1]}\n`), raw));
  if (hex(h.slice(0, 4)) !== m[2]) fail('key_hash');
  return { name: m[1], id: m[2], pk, pin: b64url(pk.slice(0, 12)) };
}

// A witness's cosignature key "<name>+<8 hex>+<base64(0x04 || public key)>" (C2SP
// tlog-cosignature): { name, id, pk }, its key hash checked.
export async function parseCosigVkey(vkey) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey || '');
  if (!m) fail('witness_not_key');
  const raw = b64decode(m[3]);
  if (raw.length !== 33 || raw[0] !== 4) fail('witness_not_cosig');
  const h = await sha256(concat(enc.encode(`${m[1]}\n`), raw));
  if (hex(h.slice(0, 4)) !== m[2]) fail('witness_key_hash');
  return { name: m[1], id: m[2], pk: raw.slice(1) };
}

// The names of the @witnesses ([{ name, vkey }]) whose cosignature/v1 of signed note @text
// holds: a signature line of the witness's key over "cosignature/v1\ntime <t>\n" and the
// note's body, the 8 bytes after the key hash being t.
export async function cosigners(text, witnesses) {
  const split = text.lastIndexOf('\n\n');
  if (split < 0) return [];
  const body = text.slice(0, split + 1);
  const lines = text.slice(split + 2).split('\n');
  const found = [];
  for (const w of witnesses) {
    const key = await parseCosigVkey(w.vkey);
    const ed = await crypto.subtle.importKey('raw', key.pk, { name: 'Ed25519' }, false, ['verify']);
    for (const line of lines) {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!m || m[1] !== key.name) continue;
      const sig = b64decode(m[2]);
      if (sig.length !== 76 || hex(sig.slice(0, 4)) !== key.id) continue;
      let t = 0n;
      for (const b of sig.slice(4, 12)) t = (t << 8n) | BigInt(b);
      const msg = enc.encode(`cosignature/v1\ntime ${t}\n${body}`);
      if (await crypto.subtle.verify({ name: 'Ed25519' }, ed, sig.slice(12), msg)) {
        found.push({ name: key.name, time: new Date(Number(t) * 1000) });
        break;
      }
    }
  }
  return found;
}

// The body of signed note @text if it carries a signature of @key that holds; fails otherwise.
export async function openNote(text, key) {
  const split = text.lastIndexOf('\n\n');
  if (split < 0 || !text.endsWith('\n')) fail('not_signed_note');
  const body = text.slice(0, split + 1);
  const lines = text.slice(split + 2, -1).split('\n');
  const ed = await crypto.subtle.importKey('raw', key.pk, { name: 'Ed25519' }, false, ['verify']);
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== key.name) continue;
    const sig = b64decode(m[2]);
    if (sig.length !== 68 || hex(sig.slice(0, 4)) !== key.id) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, ed, sig.slice(4), enc.encode(body))) return body;
  }
  return fail('not_signed_by_key');
}

// A checkpoint body: { origin, size, root }.
export function parseCheckpoint(body) {
  const lines = body.split('\n');
  if (lines.length < 4 || !/^[0-9]{1,16}$/.test(lines[1])) fail('checkpoint_malformed');
  const root = b64decode(lines[2]);
  if (root.length !== 32) fail('checkpoint_malformed');
  return { origin: lines[0], size: Number(lines[1]), root };
}

// The last checkpoint this browser verified: { origin, size, root (base64) }, or null.
function keptCheckpoint() {
  try { return JSON.parse(localStorage.getItem(CHECKPOINT_STORE) || 'null'); } catch { return null; }
}
function keepCheckpoint(cp) {
  const root = btoa(String.fromCharCode(...cp.root));
  try { localStorage.setItem(CHECKPOINT_STORE, JSON.stringify({ origin: cp.origin, size: cp.size, root })); } catch { /* nothing kept */ }
}

// The record @cp (verified) must extend the one this browser verified before, if any.
async function extendsKept(cp) {
  const kept = keptCheckpoint();
  if (!kept || kept.origin !== cp.origin || !(kept.size >= 1)) return;
  if (kept.size > cp.size) {
    fail('removed', { was: String(kept.size), now: String(cp.size) });
  }
  const keptRoot = b64decode(String(kept.root));
  let proof = [];
  if (kept.size < cp.size) {
    const p = await fetchOk(`/api/v1/log/proof/consistency?old=${kept.size}&size=${cp.size}`);
    proof = (p.proof || []).map(b64decode);
  }
  if (!(await consistencyHolds(kept.size, cp.size, keptRoot, cp.root, proof))) {
    fail('rewritten');
  }
}

function keptKey() {
  try { return localStorage.getItem(KEY_STORE); } catch { return null; }
}
function keepKey(vkey) {
  try { localStorage.setItem(KEY_STORE, vkey); } catch { /* a browser that keeps nothing */ }
}

async function fetchOk(path, as) {
  const res = await fetch(path, { cache: 'no-cache', headers: { Accept: as === 'text' ? 'text/plain' : 'application/json' } });
  if (!res.ok) fail('not_given', { path: path.split('?')[0], status: String(res.status) });
  return as === 'text' ? res.text() : res.json();
}

/*
 * Check the entries whose subject is @subject. @pin: the key pin a grade card carries (or
 * null); @expect(entries): throws a LogCheckError when the entries do not say what the page
 * shows. Resolves to
 *   { state: 'included', entries, size, key }   every entry is in the signed tree of @size
 *   { state: 'unsigned' }                       the server signs no checkpoints
 *   { state: 'none' }                           the record has no entry about @subject
 * and rejects with a LogCheckError when anything does not hold (any other error: the check
 * could not be made, e.g. no network).
 */
export async function checkSubject(subject, { pin = null, expect = null } = {}) {
  const found = await fetchOk(`/api/v1/log/entries?subject=${encodeURIComponent(subject)}`);
  if (!found.vkey) return { state: 'unsigned' };
  const key = await parseVkey(found.vkey);
  // While the log's key changes, the key being replaced signs every checkpoint too: a card
  // printed under it, or a browser that kept it, trusts the new key through that signature.
  const previous = found.previous_vkey ? await parseVkey(found.previous_vkey) : null;
  let through = null;
  if (pin && pin !== key.pin) {
    if (!previous || pin !== previous.pin) fail('pin_card');
    through = previous;
  }
  const kept = keptKey();
  if (kept && kept !== found.vkey) {
    if (!previous || kept !== found.previous_vkey) fail('pin_browser');
    through = previous;
  }
  const entries = found.entries || [];
  if (!entries.length) return { state: 'none' };
  for (const e of entries) {
    if (e.subject !== subject) fail('other_subject', { seq: String(e.seq) });
    if (e.redacted !== true && hex(await sha256(enc.encode(canonical(e)))) !== e.hash) {
      fail('content_hash', { seq: String(e.seq) });
    }
  }
  if (expect) expect(entries);
  const note = await fetchOk('/checkpoint', 'text');
  const cp = parseCheckpoint(await openNote(note, key));
  if (through) await openNote(note, through);
  if (found.origin && cp.origin !== found.origin) fail('other_log');
  await extendsKept(cp);
  for (const e of entries) {
    if (e.seq > cp.size) fail('not_yet_signed', { seq: String(e.seq) });
    const p = await fetchOk(`/api/v1/log/proof/inclusion?index=${e.seq - 1}&size=${cp.size}`);
    const proof = (p.proof || []).map(b64decode);
    if (!(await inclusionHolds(await leafHash(hexdecode(e.hash)), e.seq - 1, cp.size, cp.root, proof))) {
      fail('not_included', { seq: String(e.seq) });
    }
  }
  keepKey(found.vkey);
  keepCheckpoint(cp);
  return { state: 'included', entries, size: cp.size, key };
}

// Whether this browser can check at all (WebCrypto needs a secure page: https or this machine).
export const canCheck = () => Boolean(globalThis.crypto && crypto.subtle && typeof crypto.subtle.verify === 'function');

// The inspection's entries must say what the page shows: a submission or amendment of this
// establishment with this card code, score and grade.
function sameAsShown(insp) {
  return (entries) => {
    const said = entries.filter((e) => e.kind === 'inspection.submitted' || e.kind === 'inspection.amended');
    if (!said.length) fail('no_submission');
    const p = said[said.length - 1].payload || {};
    if (p.public_code !== insp.public_code || String(p.establishment) !== String(insp.establishment_id)
      || p.score !== insp.score || (insp.grade && p.grade_code !== insp.grade.code)) {
      fail('not_as_shown');
    }
  };
}

const n = (x) => formatNumber(Number(x));

/*
 * A notice (#log-check) that checks inspection @insp in the public record and then says so:
 * class notice-good when it is in the signed record, notice-bad (role alert) when anything
 * does not hold, a plain notice when it cannot be checked. @pin: a grade card's key pin.
 * Its sentences are the "log" catalogue's: a page that shows it loads that domain
 * (i18nInit([..., 'log'])); one that has not is given it before the check starts.
 */
export function recordCheck(insp, pin = null) {
  const head = el('p', { id: 'log-check-h', role: 'status' });
  const box = el('section', { class: 'notice log-check', id: 'log-check', 'aria-labelledby': 'log-check-h', 'data-state': 'checking' },
    head);
  const say = (state, cls, text, ...more) => {
    box.className = `notice log-check ${cls}`;
    box.dataset.state = state;
    box.replaceChildren(el('p', { id: 'log-check-h', role: state === 'failed' ? 'alert' : 'status' }, el('strong', {}, text)), ...more);
  };
  const start = () => {
    head.textContent = t('log.record.checking');
    if (!canCheck()) {
      const url = `https://${location.host}${location.pathname}${location.search}`;
      say('unavailable', 'notice-warn', t('log.record.unavailable'),
        el('p', {}, tParts('log.record.needs_secure', { url: el('a', { href: url, translate: 'no' }, url) })));
      return;
    }
    checkSubject(`inspection/${insp.id}`, { pin, expect: sameAsShown(insp) }).then((r) => {
      if (r.state === 'unsigned') {
        say('unsigned', '', t('log.record.unsigned'), el('p', {}, t('log.record.unsigned_why')));
      } else if (r.state === 'none') {
        say('none', '', t('log.record.none'), el('p', {}, t('log.record.none_why')));
      } else {
        const seqs = r.entries.map((e) => n(e.seq)).join(t('log.record.seq_sep'));
        say('included', 'notice-good', t('log.record.included'),
          el('p', { class: 'muted' },
            tParts('log.record.included_where', { count: r.entries.length, seqs, size: n(r.size),
              key: el('span', { translate: 'no' }, `${r.key.name} ${r.key.id}`) }),
            ' ', el('a', { href: '/log.html' }, t('log.record.about'))));
      }
    }).catch((err) => {
      if (err instanceof LogCheckError) {
        say('failed', 'notice-bad', t('log.record.failed'),
          el('p', {}, t('log.record.failed_what', { what: `${err.message[0].toUpperCase()}${err.message.slice(1)}` })),
          el('p', {}, t('log.record.failed_advice')));
      } else {
        say('error', 'notice-warn', t('log.record.error'), el('p', {}, err.message || String(err)));
      }
    });
  };
  if (has('log.record.checking')) start();
  else i18nInit(['log']).then(start, start);
  return box;
}
