// log.mjs - the public record checked in the browser: the head and the newest entries, each
// entry's hash recomputed (SHA-256 of seq, prev_hash, occurred_at, kind, subject and
// payload_text joined by newlines, as docs/api.md and src/domain/eventlog.c define it) and its
// link to the entry before; the whole chain walked from entry 1; and a kept head (entry
// number and hash, remembered by this browser or pasted) checked to be still in the record
// with everything after it holding; and the outside witnesses whose cosignature of the signed
// checkpoint holds (tlog.mjs).
import { el, getJSON } from './portal.mjs';
import { cosigners, openNote, parseVkey } from './tlog.mjs';
import { formatDateTime, formatNumber, has, i18nInit, t, tParts } from './i18n.mjs';

export const GENESIS = '0'.repeat(64);
const PAGE = 1000;
const RECENT = 20;
const STORE_KEY = 'placard.log.head';
// A check always asks the server again (the log is served no-cache; a browser's own copy
// must not answer either).
const api = (path) => getJSON(path, 'no-cache');

// An entry's kind in words ("log.kind.<kind>" in the catalogue); a kind without words is
// shown as it is written, as data.
function kindWords(kind) {
  return has(`log.kind.${kind}`) ? t(`log.kind.${kind}`) : el('span', { translate: 'no' }, kind);
}

// The three ways an entry fails to hold (eventlog_fault_text in src/domain/eventlog.c), and
// two more the walk can find: an entry missing, and a head that is not the last entry.
// Each in the page's language: faultText.hash is t('log.fault.hash').
export const faultText = Object.freeze(Object.defineProperties({}, Object.fromEntries(
  ['seq', 'link', 'hash', 'missing', 'head'].map((k) => [k, { enumerable: true, get: () => t(`log.fault.${k}`) }]))));

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

const n = (x) => formatNumber(Number(x));

// A field of a payload in words ("log.field.<name>"), or its name as written, as data.
function fieldName(k) {
  return has(`log.field.${k}`) ? t(`log.field.${k}`) : el('span', { translate: 'no' }, k.replace(/_/g, ' '));
}

// A recorded value in words: none for JSON null, yes/no, lists and records spelt out; what
// was recorded (numbers, codes, names) is data.
function valueWords(v) {
  if (v === null || v === undefined || v === '') return [t('log.value.none')];
  if (typeof v === 'boolean') return [t(v ? 'log.value.yes' : 'log.value.no')];
  if (Array.isArray(v)) {
    return v.length ? v.flatMap((x, i) => (i ? [t('log.value.list_sep'), ...valueWords(x)] : valueWords(x))) : [t('log.value.none')];
  }
  if (typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x], i) => [...(i ? [t('log.value.field_sep')] : []),
      ...tParts('log.value.field', { name: fieldName(k), value: el('span', {}, valueWords(x)) })]);
  }
  return [el('span', { translate: 'no' }, String(v))];
}

// The payload in words, then a button that shows it exactly as recorded (the text the hash
// covers, JSON).
let exactIds = 0;
function exactText(e) {
  const id = `exact-${++exactIds}`;
  const pre = el('pre', { class: 'log-payload', id, hidden: true, translate: 'no' }, e.payload_text);
  const button = el('button', { type: 'button', class: 'secondary log-exact', 'aria-expanded': 'false', 'aria-controls': id },
    t('log.entry.show_exact'));
  button.addEventListener('click', () => {
    pre.hidden = !pre.hidden;
    button.setAttribute('aria-expanded', String(!pre.hidden));
    button.textContent = pre.hidden ? t('log.entry.show_exact') : t('log.entry.hide_exact');
  });
  return [payloadFields(e.payload_text), button, pre];
}

// An entry's payload as a list of its fields, in words; the exact text follows it.
function payloadFields(text) {
  let o;
  try { o = JSON.parse(text); } catch { return null; }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  return el('dl', { class: 'log-fields' }, Object.entries(o).flatMap(([k, v]) => [
    el('dt', {}, fieldName(k)), el('dd', {}, valueWords(v))]));
}

function when(iso) {
  const d = new Date(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(d.getTime()) ? iso : formatDateTime(d.toISOString(), 'medium', 'short');
}

// "establishment/12" in words ("Establishment 12"); a subject of another form as written.
function subjectOf(subject) {
  const m = /^([a-z_-]+)\/(\d+)$/.exec(subject);
  if (!m) return el('span', { translate: 'no' }, subject);
  const type = m[1].replace(/-/g, '_');
  const words = has(`log.subject.${type}`) ? t(`log.subject.${type}`, { id: m[2] })
    : el('span', { translate: 'no' }, `${m[1][0].toUpperCase()}${m[1].slice(1).replace(/[_-]/g, ' ')} ${m[2]}`);
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
 * now, kept }: entry @at and what is wrong with it (@what: 'changed', 'gone', 'missing' or
 * a fault of faultText; @end: where the record now ends; @now: the hash it has instead of
 * the kept one), and @kept, the kept head at or after it (the record changed since that head
 * was seen) or null.
 */
async function verify(keeps, whole, progress) {
  const head = await api('/api/v1/log/head');
  keeps = keeps.filter(Boolean).sort((a, b) => a.seq - b.seq);
  const fail = (at, what, now, end) => ({ ok: false, at, what, now, end, kept: keeps.find((k) => k.seq >= at) || null });
  const changed = (e) => fail(e.seq, 'changed', e.hash);
  const gone = keeps.find((k) => k.seq > head.seq);
  if (gone) return fail(gone.seq, 'gone', null, head.seq);
  let prevSeq = 0;
  let prevHash = GENESIS;
  let redacted = 0;
  if (!whole && keeps.length) {
    const k = keeps[0];
    const e = await entryAt(k.seq);
    if (!e) return fail(k.seq, 'missing');
    if (e.hash !== k.hash) return changed(e);
    if (e.redacted !== true && await sha256hex(canonical(e)) !== e.hash) return fail(k.seq, 'hash');
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
      if (f) return fail(prevSeq + 1, f);
      if (keeps.some((k) => k.seq === e.seq && k.hash !== e.hash)) return changed(e);
      if (e.redacted === true) redacted++;
      prevSeq = e.seq;
      prevHash = e.hash;
    }
    progress(prevSeq - from, head.seq - from);
  }
  if (prevSeq < head.seq) return fail(prevSeq + 1, 'missing');
  if (head.seq > 0 && prevHash !== head.hash) return fail(head.seq, 'head');
  return { ok: true, head, redacted };
}

// The sentence for @r.redacted entries whose content was withheld, or none.
const withheld = (r) => (r.redacted ? [el('p', { id: 'log-redacted' }, t('log.verdict.redacted', { n: r.redacted }))] : []);

const hash = (h) => el('code', { class: 'hash', translate: 'no' }, h);

// What is wrong with entry @r.at, in a clause ("entry 12 does not hold: ...").
function failedClause(r) {
  const seq = n(r.at);
  if (r.what === 'changed') return t('log.fail.changed', { seq });
  if (r.what === 'gone') return t('log.fail.gone', { seq, end: n(r.end) });
  if (r.what === 'missing') return t('log.fail.missing', { seq });
  return t('log.fail.fault', { seq, fault: faultText[r.what] });
}

const capital = (s) => `${s[0].toUpperCase()}${s.slice(1)}`;

// A failed check in words: { verdict, more, bad }.
function failure(r) {
  const what = failedClause(r);
  const more = [];
  if (r.now) more.push(el('p', {}, tParts('log.verdict.now_hash', { hash: hash(r.now) })));
  if (r.kept) {
    more.push(el('p', {}, tParts('log.verdict.you_kept', { seq: n(r.kept.seq), hash: hash(r.kept.hash) })));
    return { bad: true, verdict: [t('log.verdict.changed_since', { what })], more };
  }
  more.push(el('p', {}, t('log.verdict.tell_office')));
  return { bad: true, verdict: [capital(t('log.verdict.fault', { what }))], more };
}

const secure = Boolean(globalThis.crypto && crypto.subtle && typeof crypto.subtle.digest === 'function');
const $ = (id) => document.getElementById(id);

function setBusy(on) {
  for (const b of [$('check-all'), $('paste-submit')]) b.disabled = on || !secure;
}

function showHead(h) {
  $('head').replaceChildren(
    el('dt', {}, t('log.head.entry')), el('dd', { id: 'head-seq' }, h.seq ? n(h.seq) : t('log.head.none_yet')),
    el('dt', {}, t('log.head.hash')), el('dd', {}, el('code', { id: 'head-hash', class: 'hash', translate: 'no' }, h.hash)),
    el('dt', {}, t('log.head.pending')),
    el('dd', { id: 'head-pending' }, h.pending ? t('log.head.pending_n', { n: h.pending }) : t('log.value.none')));
}

function showKept(k) {
  const box = $('kept');
  if (!k) {
    box.replaceChildren(el('p', { class: 'muted' }, t('log.kept.none')));
    return;
  }
  const value = `${k.seq}:${k.hash}`;
  const input = el('input', { id: 'kept-head', readonly: true, value, class: 'hash', translate: 'no' });
  const copy = el('button', { type: 'button', id: 'copy', class: 'secondary' }, t('log.kept.copy'));
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(value);
      $('copy-status').textContent = t('log.kept.copied');
    } catch {
      $('copy-status').textContent = t('log.kept.selected');
    }
  });
  box.replaceChildren(
    el('label', { for: 'kept-head' }, k.checked_at
      ? tParts('log.kept.label_on', { when: el('span', { translate: 'no' }, when(k.checked_at)) })
      : t('log.kept.label')),
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
  status.textContent = t('log.check.checking');
  try {
    const r = await verify(keeps, whole, (done, total) => {
      status.textContent = t('log.check.progress', { done: n(done), total: n(total) });
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
    status.textContent = t('log.check.unfinished', { reason: err.message });
  } finally {
    if (bar) bar.hidden = true;
    setBusy(false);
  }
}

function checkAll() {
  return runCheck('check', [loadKept()], true, (r) => (r.head.seq ? {
    verdict: tParts('log.verdict.all_hold', { n: r.head.seq, hash: hash(r.head.hash) }),
    more: [el('p', {}, t('log.verdict.kept_now')), ...withheld(r)],
  } : { verdict: [t('log.empty')], more: [] }));
}

// @source: 'given' (pasted) or 'kept' (by this browser).
function checkKept(k, source) {
  return runCheck('kept', [k, loadKept()], false, (r) => {
    const added = r.head.seq - k.seq;
    return {
      verdict: tParts('log.verdict.still_extends', { source, seq: n(k.seq), hash: hash(k.hash) }),
      more: [el('p', {}, added ? t('log.verdict.added_hold', { n: added, newest: n(r.head.seq) })
        : t('log.verdict.none_added')), ...withheld(r)],
    };
  });
}

// The newest entries, newest first, each checked against the one before it.
let oldestShown = null;
async function showRecent(upTo) {
  const status = $('recent-status');
  if (upTo < 1) {
    status.textContent = t('log.empty');
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
    if (!secure) mark = el('span', { class: 'log-mark' }, t('log.entry.not_checked'));
    else {
      const f = e.seq === 1 ? await entryFault(e, 0, GENESIS)
        : before ? await entryFault(e, before.seq, before.hash) : 'seq';
      mark = f ? el('span', { class: 'log-mark log-bad' }, t('log.entry.fails', { fault: faultText[f] }))
        : el('span', { class: 'log-mark log-good' }, t('log.entry.holds'));
    }
    const code = (x, cls) => el('code', { class: cls, translate: 'no' }, x);
    items.push(el('li', { class: 'log-entry', 'data-seq': e.seq },
      el('h3', {}, kindWords(e.kind)),
      el('p', { class: 'log-meta' }, tParts('log.entry.meta', { seq: n(e.seq), subject: subjectOf(e.subject),
        time: el('time', { datetime: e.occurred_at, translate: 'no' }, when(e.occurred_at)) })),
      mark,
      el('details', {}, el('summary', {}, t('log.entry.recorded')),
        e.redacted === true
          ? el('p', { class: 'log-payload' }, t('log.entry.withheld'))
          : exactText(e),
        el('dl', { class: 'log-hashes' },
          el('dt', {}, t('log.entry.kind')), el('dd', {}, code(e.kind)),
          el('dt', {}, t('log.entry.subject')), el('dd', {}, code(e.subject)),
          el('dt', {}, t('log.entry.time_utc')), el('dd', {}, code(e.occurred_at)),
          el('dt', {}, t('log.head.hash')), el('dd', {}, code(e.hash, 'hash')),
          el('dt', {}, t('log.entry.prev_hash')), el('dd', {}, code(e.prev_hash, 'hash'))))));
  }
  $('recent').append(...items);
  oldestShown = shown.length ? shown[0].seq : first;
  $('older').hidden = oldestShown <= 1;
  const top = $('recent').firstElementChild;
  status.textContent = top ? t('log.recent.showing', { from: n(oldestShown), to: n(top.dataset.seq) })
    : t('log.recent.none_up_to', { seq: n(upTo) });
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
    const names = (list) => el('span', { translate: 'no' }, list.map((x) => x.name).join(', '));
    const missing = w.witnesses.filter((x) => !found.some((f) => f.name === x.name));
    out.className = found.length ? 'notice notice-good' : 'notice';
    out.replaceChildren(
      el('strong', { id: 'witness-count' }, found.length
        ? tParts('log.witness.cosigned', { n: found.length, names: names(found) })
        : t('log.witness.none')),
      ...(missing.length ? tParts('log.witness.missing', { names: names(missing) }) : []));
  } catch (err) {
    out.className = 'notice notice-bad';
    out.textContent = t('log.witness.unchecked', { reason: err.message });
  }
}

async function main() {
  await i18nInit(['log']);
  $('kept-intro').replaceChildren(...tParts('log.kept.intro', { example: el('code', { translate: 'no' }, '1234:9f86d08…') }));
  showWitnesses().catch(() => {});
  if (!secure) {
    const url = `https://${location.host}${location.pathname}`;
    const box = $('secure');
    box.className = 'notice notice-warn';
    box.replaceChildren(el('p', { class: 'log-verdict' }, tParts('log.insecure.needs', { url: el('a', { href: url, translate: 'no' }, url) })),
      el('p', {}, t('log.insecure.why')));
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
      $('recent-status').textContent = t('log.recent.unloaded', { reason: err.message });
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
      error.textContent = field.value.trim() ? t('log.paste.not_a_head') : t('log.paste.empty');
      field.focus();
      return;
    }
    if (secure) checkKept(k, 'given');
  });

  const kept = loadKept();
  showKept(kept);
  let head;
  try {
    head = await api('/api/v1/log/head');
  } catch (err) {
    $('recent-status').textContent = t('log.record_unloaded', { reason: err.message });
    return;
  }
  showHead(head);
  const recent = showRecent(head.seq).catch((err) => {
    $('recent-status').textContent = t('log.recent.unloaded', { reason: err.message });
  });
  if (kept && secure) await checkKept(kept, 'kept');
  await recent;
}

main();
