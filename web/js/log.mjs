// log.mjs - the public record checked in the browser: the head and the newest entries, each
// entry's hash recomputed (SHA-256 of seq, prev_hash, occurred_at, kind, subject and
// payload_text joined by newlines, as docs/api.md and src/domain/eventlog.c define it) and its
// link to the entry before; the whole chain walked from entry 1; and a kept head (entry
// number and hash, remembered by this browser or pasted) checked to be still in the record
// with everything after it holding; and the outside witnesses whose cosignature of the signed
// checkpoint holds (tlog.mjs).
import { el, getJSON } from './portal.mjs';
import { cosigners, openNote, parseVkey } from './tlog.mjs';

export const GENESIS = '0'.repeat(64);
const PAGE = 1000;
const RECENT = 20;
const STORE_KEY = 'placard.log.head';
// A check always asks the server again (the log is served no-cache; a browser's own copy
// must not answer either).
const api = (path) => getJSON(path, 'no-cache');

const kindWords = {
  'jurisdiction.created': 'Jurisdiction created',
  'scheme.published': 'Scoring scheme published',
  'establishment.registered': 'Establishment registered',
  'establishment.updated': 'Establishment details changed',
  'establishment.assigned': 'Inspector assigned',
  'licence.action': 'Licence action',
  'inspection.submitted': 'Inspection submitted',
  'demo.establishment': 'Demo establishment registered',
  'demo.inspection': 'Demo inspection recorded',
  'inspection.amended': 'Inspection amended',
  'inspection.appeal_code_reissued': 'Appeal code reissued',
  'inspection.overturned': 'Inspection overturned on appeal',
  'inspection.photo_added': 'Photo added to an inspection',
  'inspection.photo_removed': 'Photo removed from an inspection',
  'inspection.conflict_flagged': 'Conflicting changes flagged',
  'inspection.conflict_resolved': 'Conflicting changes resolved',
  'grade.issued': 'Grade issued',
  'appeal.filed': 'Appeal filed',
  'appeal.withdrawn': 'Appeal withdrawn',
  'appeal.under_review': 'Appeal accepted for review',
  'appeal.rejected_late': 'Appeal refused as late',
  'appeal.hearing_scheduled': 'Appeal hearing scheduled',
  'appeal.adjourned': 'Appeal hearing adjourned',
  'appeal.decided': 'Appeal decided',
  'reply.published': 'Business reply published',
  'reply.moderated': 'Business reply moderated',
  'reply.removed': 'Business reply removed',
  'rerating.requested': 'Re-rating visit requested',
  'rerating.scheduled': 'Re-rating visit scheduled',
  'rerating.inspected': 'Re-rating visit made',
  'opendata.imported': 'Open data imported',
  'demo.loaded': 'Demo data loaded',
  'text.erased': 'Personal text erased',
  'log.redacted': 'Log entry redacted',
};

// The three ways an entry fails to hold (eventlog_fault_text in src/domain/eventlog.c), and
// two more the walk can find: an entry missing, and a head that is not the last entry.
export const faultText = {
  seq: 'its entry number does not follow the entry before',
  link: 'it does not link to the entry before (its previous hash is not that entry’s hash)',
  hash: 'its content does not match its hash',
  missing: 'is missing from the published record',
  head: 'its hash is not the newest hash the server gives',
};

export function canonical(e) {
  return `${e.seq}\n${e.prev_hash}\n${e.occurred_at}\n${e.kind}\n${e.subject}\n${e.payload_text}`;
}

export async function sha256hex(text) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

// What is wrong with entry @e following entry @prevSeq of hash @prevHash, or null. A redacted
// entry (its payload withheld because it held personal text) cannot have its content
// recomputed: its sequence and link are checked, and the next entry's link pins its hash.
export async function entryFault(e, prevSeq, prevHash) {
  if (e.seq !== prevSeq + 1) return 'seq';
  if (e.prev_hash !== prevHash) return 'link';
  if (e.redacted === true) return null;
  if (await sha256hex(canonical(e)) !== e.hash) return 'hash';
  return null;
}

const n = (x) => Number(x).toLocaleString('en');

// A recorded value in words: none for JSON null, yes/no, lists and records spelt out.
function valueWords(v) {
  if (v === null || v === undefined || v === '') return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.map(valueWords).join('; ') : 'none';
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k.replace(/_/g, ' ')} ${valueWords(x)}`).join(', ');
  return String(v);
}

// The payload in words, then a button that shows it exactly as recorded (the text the hash
// covers, JSON).
let exactIds = 0;
function exactText(e) {
  const id = `exact-${++exactIds}`;
  const pre = el('pre', { class: 'log-payload', id, hidden: true }, e.payload_text);
  const button = el('button', { type: 'button', class: 'secondary log-exact', 'aria-expanded': 'false', 'aria-controls': id },
    'Show the exact text');
  button.addEventListener('click', () => {
    pre.hidden = !pre.hidden;
    button.setAttribute('aria-expanded', String(!pre.hidden));
    button.textContent = pre.hidden ? 'Show the exact text' : 'Hide the exact text';
  });
  return [payloadFields(e.payload_text), button, pre];
}

// An entry's payload as a list of its fields, in words; the exact text follows it.
function payloadFields(text) {
  let o;
  try { o = JSON.parse(text); } catch { return null; }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  return el('dl', { class: 'log-fields' }, Object.entries(o).flatMap(([k, v]) => [
    el('dt', {}, k.replace(/_/g, ' ')), el('dd', {}, valueWords(v))]));
}

function when(iso) {
  const d = new Date(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(d.getTime()) ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function subjectOf(subject) {
  const m = /^([a-z_-]+)\/(\d+)$/.exec(subject);
  if (!m) return subject;
  const words = `${m[1][0].toUpperCase()}${m[1].slice(1).replace(/[_-]/g, ' ')} ${m[2]}`;
  return m[1] === 'establishment' ? el('a', { href: `/establishment.html?id=${m[2]}` }, words) : words;
}

// "1234:abcd…" -> { seq, hash }, or null when it is not an entry number and a 64-digit hash.
export function parseHead(text) {
  const m = /^\s*(\d{1,16})\s*:\s*([0-9a-fA-F]{64})\s*$/.exec(text);
  if (!m || !(Number(m[1]) >= 1 && Number.isSafeInteger(Number(m[1])))) return null;
  return { seq: Number(m[1]), hash: m[2].toLowerCase() };
}

function loadKept() {
  try {
    const k = JSON.parse(localStorage.getItem(STORE_KEY));
    return k && Number.isSafeInteger(k.seq) && /^[0-9a-f]{64}$/.test(k.hash) ? k : null;
  } catch {
    return null;
  }
}

function saveKept(head) {
  const k = { seq: head.seq, hash: head.hash, checked_at: new Date().toISOString() };
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(k));
  } catch {
    return null;
  }
  return k;
}

const entryAt = async (seq) => (await api(`/api/v1/log?after=${seq - 1}&limit=1`)).entries.find((e) => e.seq === seq);

/*
 * Verify the chain up to the current head: from entry 1 when @whole, otherwise from the
 * earliest of @keeps (still there, same hash, content matching it); every kept head on the
 * way must still have its hash. Resolves to { ok: true, head } or { ok: false, at, what,
 * now, kept }: entry @at and what is wrong with it (@now: the hash it has instead of the
 * kept one), and @kept, the kept head at or after it (the record changed since that head
 * was seen) or null.
 */
async function verify(keeps, whole, progress) {
  const head = await api('/api/v1/log/head');
  keeps = keeps.filter(Boolean).sort((a, b) => a.seq - b.seq);
  const fail = (at, what, now) => ({ ok: false, at, what, now, kept: keeps.find((k) => k.seq >= at) || null });
  const changed = (e) => fail(e.seq, 'now has a different hash', e.hash);
  const gone = keeps.find((k) => k.seq > head.seq);
  if (gone) return fail(gone.seq, `is no longer in it: the record now ends at entry ${n(head.seq)}`);
  let prevSeq = 0;
  let prevHash = GENESIS;
  let redacted = 0;
  if (!whole && keeps.length) {
    const k = keeps[0];
    const e = await entryAt(k.seq);
    if (!e) return fail(k.seq, faultText.missing);
    if (e.hash !== k.hash) return changed(e);
    if (e.redacted !== true && await sha256hex(canonical(e)) !== e.hash) return fail(k.seq, `does not hold: ${faultText.hash}`);
    prevSeq = e.seq;
    prevHash = e.hash;
  }
  const from = prevSeq;
  progress(0, head.seq - from);
  while (prevSeq < head.seq) {
    const { entries } = await api(`/api/v1/log?after=${prevSeq}&limit=${PAGE}`);
    if (!entries.length) break;
    for (const e of entries) {
      if (prevSeq >= head.seq) break;
      const f = await entryFault(e, prevSeq, prevHash);
      if (f) return fail(prevSeq + 1, `does not hold: ${faultText[f]}`);
      if (keeps.some((k) => k.seq === e.seq && k.hash !== e.hash)) return changed(e);
      if (e.redacted === true) redacted++;
      prevSeq = e.seq;
      prevHash = e.hash;
    }
    progress(prevSeq - from, head.seq - from);
  }
  if (prevSeq < head.seq) return fail(prevSeq + 1, faultText.missing);
  if (head.seq > 0 && prevHash !== head.hash) return fail(head.seq, `does not hold: ${faultText.head}`);
  return { ok: true, head, redacted };
}

// The sentence for @r.redacted entries whose content was withheld, or none.
const withheld = (r) => (r.redacted ? [el('p', { id: 'log-redacted' },
  `${n(r.redacted)} ${r.redacted === 1 ? 'entry was' : 'entries were'} redacted (content withheld): `
  + 'their content held personal text and cannot be recomputed, but each is still linked into the chain.')] : []);

const hash = (h) => el('code', { class: 'hash' }, h);

// A failed check in words: { verdict, more, bad }.
function failure(r) {
  const what = `entry ${n(r.at)} ${r.what}.`;
  const more = [];
  if (r.now) more.push(el('p', {}, 'It now has hash ', hash(r.now), '.'));
  if (r.kept) {
    more.push(el('p', {}, `You kept entry ${n(r.kept.seq)} with hash `, hash(r.kept.hash),
      '. The published record no longer leads to it: keep your copy, and tell the records office.'));
    return { bad: true, verdict: [`The record has changed since you saw it: ${what}`], more };
  }
  more.push(el('p', {}, 'The entries before it hold. Please tell the records office.'));
  return { bad: true, verdict: [`${what[0].toUpperCase()}${what.slice(1)}`], more };
}

const secure = Boolean(globalThis.crypto && crypto.subtle && typeof crypto.subtle.digest === 'function');
const $ = (id) => document.getElementById(id);

function setBusy(on) {
  for (const b of [$('check-all'), $('paste-submit')]) b.disabled = on || !secure;
}

function showHead(h) {
  $('head').replaceChildren(
    el('dt', {}, 'Entry'), el('dd', { id: 'head-seq' }, h.seq ? n(h.seq) : 'none yet'),
    el('dt', {}, 'Hash'), el('dd', {}, el('code', { id: 'head-hash', class: 'hash' }, h.hash)),
    el('dt', {}, 'Waiting to be added'),
    el('dd', { id: 'head-pending' }, h.pending ? `${n(h.pending)} ${h.pending === 1 ? 'change' : 'changes'} (added within a second)` : 'none'));
}

function showKept(k) {
  const box = $('kept');
  if (!k) {
    box.replaceChildren(el('p', { class: 'muted' }, 'This browser keeps no head yet: check the whole record to keep one.'));
    return;
  }
  const value = `${k.seq}:${k.hash}`;
  const input = el('input', { id: 'kept-head', readonly: true, value, class: 'hash' });
  const copy = el('button', { type: 'button', id: 'copy', class: 'secondary' }, 'Copy');
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(value);
      $('copy-status').textContent = 'Copied.';
    } catch {
      $('copy-status').textContent = 'Selected: copy it with your device’s copy command.';
    }
  });
  box.replaceChildren(
    el('label', { for: 'kept-head' }, 'The head this browser kept', k.checked_at ? ` on ${when(k.checked_at)}` : ''),
    el('div', { class: 'log-copy' }, input, copy),
    el('p', { id: 'copy-status', class: 'status', role: 'status', 'aria-live': 'polite' }));
}

// Run one check: its progress, then its verdict, in the live region #@name-status inside
// #@name-result (which becomes a notice), more about it in #@name-more. On success the
// verified head is kept.
async function runCheck(name, keeps, whole, passed) {
  const box = $(`${name}-result`);
  const status = $(`${name}-status`);
  const more = $(`${name}-more`);
  const bar = $(`${name}-progress`);
  setBusy(true);
  box.className = 'log-result';
  status.className = 'status';
  more.replaceChildren();
  status.textContent = 'Checking…';
  try {
    const r = await verify(keeps, whole, (done, total) => {
      status.textContent = `Checked ${n(done)} of ${n(total)} entries…`;
      if (bar) {
        bar.hidden = false;
        bar.max = Math.max(total, 1);
        bar.value = done;
      }
    });
    if (r.ok) {
      showHead(r.head);
      showKept((r.head.seq > 0 && saveKept(r.head)) || loadKept());
    }
    const v = r.ok ? passed(r) : failure(r);
    box.className = `log-result notice ${v.bad ? 'notice-bad' : 'notice-good'}`;
    status.className = 'log-verdict';
    status.replaceChildren(...v.verdict);
    more.replaceChildren(...v.more);
  } catch (err) {
    status.textContent = `The check could not finish: ${err.message}`;
  } finally {
    if (bar) bar.hidden = true;
    setBusy(false);
  }
}

function checkAll() {
  return runCheck('check', [loadKept()], true, (r) => (r.head.seq ? {
    verdict: [`All ${n(r.head.seq)} entries hold; the newest is entry ${n(r.head.seq)}, hash `, hash(r.head.hash), '.'],
    more: [el('p', {}, 'This browser now keeps that head, below.'), ...withheld(r)],
  } : { verdict: ['The record has no entries yet.'], more: [] }));
}

function checkKept(k, source) {
  return runCheck('kept', [k, loadKept()], false, (r) => {
    const added = r.head.seq - k.seq;
    return {
      verdict: [`The record still extends the head ${source}: entry ${n(k.seq)} still has hash `, hash(k.hash), '.'],
      more: [el('p', {}, added ? `The ${n(added)} ${added === 1 ? 'entry' : 'entries'} added since then hold; the newest is entry ${n(r.head.seq)}.`
        : 'No entries have been added since.'), ...withheld(r)],
    };
  });
}

// The newest entries, newest first, each checked against the one before it.
let oldestShown = null;
async function showRecent(upTo) {
  const status = $('recent-status');
  if (upTo < 1) {
    status.textContent = 'The record has no entries yet.';
    return;
  }
  const first = Math.max(1, upTo - RECENT + 1);
  const { entries } = await api(`/api/v1/log?after=${Math.max(0, first - 2)}&limit=${upTo - first + 2}`);
  const shown = entries.filter((e) => e.seq >= first && e.seq <= upTo);
  const items = [];
  for (let i = shown.length - 1; i >= 0; i--) {
    const e = shown[i];
    const before = entries[entries.indexOf(e) - 1];
    let mark;
    if (!secure) mark = el('span', { class: 'log-mark' }, 'Not checked');
    else {
      const f = e.seq === 1 ? await entryFault(e, 0, GENESIS)
        : before ? await entryFault(e, before.seq, before.hash) : 'seq';
      mark = f ? el('span', { class: 'log-mark log-bad' }, `✗ Does not hold: ${faultText[f]}`)
        : el('span', { class: 'log-mark log-good' }, '✓ Holds');
    }
    items.push(el('li', { class: 'log-entry', 'data-seq': e.seq },
      el('h3', {}, kindWords[e.kind] || e.kind),
      el('p', { class: 'log-meta' }, `Entry ${n(e.seq)} · `, subjectOf(e.subject), ` · ${when(e.occurred_at)}`),
      mark,
      el('details', {}, el('summary', {}, 'What was recorded'),
        e.redacted === true
          ? el('p', { class: 'log-payload' }, 'Withheld: this entry held personal text and was redacted. Its hash still links the chain.')
          : exactText(e),
        el('dl', { class: 'log-hashes' },
          el('dt', {}, 'Kind'), el('dd', {}, el('code', {}, e.kind)),
          el('dt', {}, 'Subject'), el('dd', {}, el('code', {}, e.subject)),
          el('dt', {}, 'Time (UTC)'), el('dd', {}, el('code', {}, e.occurred_at)),
          el('dt', {}, 'Hash'), el('dd', {}, el('code', { class: 'hash' }, e.hash)),
          el('dt', {}, 'Previous hash'), el('dd', {}, el('code', { class: 'hash' }, e.prev_hash))))));
  }
  $('recent').append(...items);
  oldestShown = shown.length ? shown[0].seq : first;
  $('older').hidden = oldestShown <= 1;
  const top = $('recent').firstElementChild;
  status.textContent = top ? `Showing entries ${n(oldestShown)} to ${n(top.dataset.seq)}, newest first.`
    : `No entries were found up to entry ${n(upTo)}.`;
}

// "Co-signed by N witnesses", with their names, when the server signs checkpoints and names
// witnesses; the section stays hidden otherwise.
async function showWitnesses() {
  const w = await api('/api/v1/log/witnesses');
  if (!w.signed || !w.witnesses.length || !secure) return;
  $('witnesses-section').hidden = false;
  const out = $('witnesses');
  try {
    const [key, note] = await Promise.all([api('/api/v1/log/key'),
      fetch('/checkpoint', { cache: 'no-cache' }).then((r) => r.text())]);
    await openNote(note, await parseVkey(key.vkey));
    const found = await cosigners(note, w.witnesses);
    const names = (list) => list.map((x) => x.name).join(', ');
    const missing = w.witnesses.filter((x) => !found.some((f) => f.name === x.name));
    out.className = found.length ? 'notice notice-good' : 'notice';
    out.replaceChildren(
      el('strong', { id: 'witness-count' }, found.length
        ? `Co-signed by ${found.length} ${found.length === 1 ? 'witness' : 'witnesses'}: ${names(found)}.`
        : 'Not co-signed by any witness yet.'),
      missing.length ? ` Not (yet) co-signed by ${names(missing)}.` : '');
  } catch (err) {
    out.className = 'notice notice-bad';
    out.textContent = `The signed checkpoint could not be checked: ${err.message}.`;
  }
}

async function main() {
  showWitnesses().catch(() => {});
  if (!secure) {
    const url = `https://${location.host}${location.pathname}`;
    const box = $('secure');
    box.className = 'notice notice-warn';
    box.replaceChildren(el('p', { class: 'log-verdict' }, 'Checking the record needs the secure address of this page: ',
      el('a', { href: url }, url), '.'),
    el('p', {}, 'Browsers compute SHA-256 hashes only on https pages. The entries below are shown but not checked.'));
    box.hidden = false;
  }
  setBusy(false);
  $('check-all').addEventListener('click', checkAll);
  // Older entries: focus moves to the first of them, the one after the list's old end.
  $('older').addEventListener('click', async () => {
    const next = oldestShown - 1;
    $('older').disabled = true;
    try {
      await showRecent(next);
      const h = $('recent').querySelector(`li[data-seq="${next}"] h3`);
      h.tabIndex = -1;
      h.focus();
    } catch (err) {
      $('recent-status').textContent = `The entries could not be loaded: ${err.message}`;
    }
    $('older').disabled = false;
  });
  const field = $('paste-head');
  const error = $('paste-error');
  $('paste').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const k = parseHead(field.value);
    error.hidden = Boolean(k);
    if (k) field.removeAttribute('aria-invalid');
    else field.setAttribute('aria-invalid', 'true');
    if (!k) {
      error.textContent = field.value.trim()
        ? 'That is not a head: write the entry number, a colon, then the 64 characters (0–9 and a–f) of its hash.'
        : 'Paste or type a head first: the entry number, a colon, then its hash.';
      field.focus();
      return;
    }
    if (secure) checkKept(k, 'you gave');
  });

  const kept = loadKept();
  showKept(kept);
  let head;
  try {
    head = await api('/api/v1/log/head');
  } catch (err) {
    $('recent-status').textContent = `The record could not be loaded: ${err.message}`;
    return;
  }
  showHead(head);
  const recent = showRecent(head.seq).catch((err) => {
    $('recent-status').textContent = `The entries could not be loaded: ${err.message}`;
  });
  if (kept && secure) await checkKept(kept, 'this browser kept');
  await recent;
}

main();
