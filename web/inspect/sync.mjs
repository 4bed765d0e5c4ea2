// sync.mjs - sending the tablet's work to the server once and only once.
//
// Each inspection carries the id the tablet made for it (crypto.randomUUID()), sent as the
// Idempotency-Key of its creation, and the exact creation body is kept until the server
// has answered, so a retry after a lost reply gets the first answer back and never makes a
// second inspection. Later edits are PATCHes with If-Match: the version the tablet last
// saw; if the draft changed elsewhere meanwhile the server refuses (412), keeps this
// tablet's document, and flags a conflict that both tablets show until it is resolved.
// Photos go up one at a time with their own id as Idempotency-Key and the SHA-256 taken
// at capture, which the server checks. The inspection is submitted only after all of its
// photos are stored, since a submitted inspection's evidence can no longer change.
//
// States shown for each inspection: saved (on the tablet, waiting), sending, synced,
// attention (a person must act: a conflict, a refused field, signing in again).
import { HttpError, request } from '/js/portal.mjs';
import { t } from '/js/i18n.mjs';
import * as store from './store.mjs';

const MAX_BACKOFF_MS = 60000;
const CHUNK_BYTES = 36864; // base64 strings of 48 KiB, under the server's string limit
let session = null; // { csrf, user }
let running = null;
let again = false;
let backoff = 1000;
let timer = null;
let listeners = [];

export function onChange(fn) {
  listeners.push(fn);
}

function changed() {
  for (const fn of listeners) fn();
}

export function setSession(s) {
  session = s;
}

// A JSON request as the signed-in inspector, never answered from a cache: resolves to
// { status, data, etag }; a refusal rejects with an HttpError, no signal with a TypeError
// (the work stays on the tablet and is sent again later).
export function api(method, path, body, headers = {}) {
  return request(method, path, { body, headers, csrf: session?.csrf, cache: 'no-store', strict: true });
}

// The inspection document the API takes, from the tablet's record.
export function documentOf(rec) {
  const violations = [];
  const checklist = {};
  for (const [code, m] of Object.entries(rec.marks || {})) {
    checklist[code] = m.mark;
    if (m.mark === 'out')
      violations.push({
        code, points: m.points, observed: m.note || '',
        corrected_on_site: !!m.corrected, repeat: !!m.repeat,
        ...(m.correctBy ? { correct_by: m.correctBy } : {}),
      });
  }
  const doc = {
    type: rec.type,
    started_at: rec.startedAt,
    closed_establishment: !!rec.closed,
    notes: rec.notes || '',
    violations,
    checklist,
    readings: (rec.readings || []).map((r) => {
      const out = { item: r.item, value: Number(r.value), unit: r.unit, taken_at: r.takenAt };
      if (r.location) out.location = r.location;
      if (r.code) out.code = r.code;
      return out;
    }),
  };
  if (rec.finishedAt) doc.ended_at = rec.finishedAt;
  if (rec.signature?.image && rec.signature?.name)
    doc.operator_signature = { name: rec.signature.name, image: rec.signature.image };
  return doc;
}

function base64Chunks(bytes) {
  const chunks = [];
  for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
    let s = '';
    const part = bytes.subarray(off, off + CHUNK_BYTES);
    for (let i = 0; i < part.length; i++) s += String.fromCharCode(part[i]);
    chunks.push(btoa(s));
  }
  return chunks;
}

function setFields(id, fields) {
  return store.update('inspections', id, (r) => Object.assign(r, fields));
}

function attention(rec, reason, detail, extra = {}) {
  return setFields(rec.id, { syncState: 'attention', attention: { reason, detail, ...extra } });
}

// Send one inspection as far as it can go. Throws on network failure (retry later). @rec is
// a snapshot; every write goes through setFields, so edits made meanwhile are kept.
async function syncOne(rec) {
  await setFields(rec.id, { syncState: 'sending' });
  changed();

  if (!rec.serverId) {
    // The creation body is fixed at the first attempt, so every retry is the same request.
    if (!rec.createBody) {
      const createBody = JSON.stringify({ establishment_id: rec.establishmentId, ...documentOf(rec) });
      rec = await setFields(rec.id, { createBody, createdRev: rec.rev });
    }
    let r;
    try {
      r = await api('POST', '/api/v1/inspections', rec.createBody, { 'Idempotency-Key': rec.id });
    } catch (e) {
      // Refused, nothing was stored: the corrected document goes next time, under the
      // same key (a refusal does not keep the key).
      if (e.status === 400 || e.status === 422) await setFields(rec.id, { createBody: null });
      throw e;
    }
    rec = await setFields(rec.id, { serverId: r.data.id, version: r.data.version, syncedRev: rec.createdRev });
  }

  if (rec.syncedRev !== rec.rev && !rec.submitted) {
    const rev = rec.rev;
    try {
      const r = await api('PATCH', `/api/v1/inspections/${rec.serverId}`, documentOf(rec),
        { 'If-Match': `"${rec.version}"` });
      rec = await setFields(rec.id, { version: r.data.version, syncedRev: rev });
    } catch (e) {
      if (e.status === 412) return attention(rec, 'conflict', e.message);
      if (e.status !== 409) throw e;
      // Submitted already (a retry after a lost reply, or elsewhere): see what stands.
      const s = await api('GET', `/api/v1/staff/inspections/${rec.serverId}`);
      if (s.data.status !== 'submitted') throw e;
      rec = await setFields(rec.id, { submitted: true, syncedRev: rec.rev, server: s.data });
    }
  }

  for (const p of await store.photosOf(rec.id)) {
    if (p.uploaded || rec.submitted) continue;
    const bytes = new Uint8Array(await p.blob.arrayBuffer());
    const body = {
      content_type: p.type, sha256: p.sha256, taken_at: p.takenAt, data: base64Chunks(bytes),
      width: p.width, height: p.height,
    };
    if (p.code) body.code = p.code;
    try {
      const r = await api('POST', `/api/v1/inspections/${rec.serverId}/photos`, body, { 'Idempotency-Key': p.id });
      await store.update('photos', p.id, (q) => Object.assign(q, { uploaded: true, serverPhotoId: r.data.id }));
    } catch (e) {
      if (e.status === 409 && rec.finished) break; // submitted meanwhile: checked below
      if (e.status && e.status !== 401 && e.status !== 408 && e.status !== 429 && e.status < 500)
        return attention(rec, 'photo', e.message, { photo: p.id });
      throw e;
    }
  }

  if (rec.finished && !rec.submitted) {
    try {
      // The appeal code printed on the report goes with it; a retry sends the same one.
      const r = await api('POST', `/api/v1/inspections/${rec.serverId}/submit`,
        rec.appealCode ? { appeal_code: rec.appealCode } : undefined);
      rec = await setFields(rec.id, { submitted: true, server: r.data, version: r.data.version });
    } catch (e) {
      if (e.status !== 409) throw e;
      const s = await api('GET', `/api/v1/staff/inspections/${rec.serverId}`);
      if (s.data.status === 'submitted') rec = await setFields(rec.id, { submitted: true, server: s.data });
      else if (s.data.conflicts?.length) return attention(rec, 'conflict', e.message, { conflicts: s.data.conflicts });
      else return attention(rec, 'refused', e.message);
    }
  } else if (!rec.submitted) {
    // A draft kept open: has another tablet's edit been refused against it?
    const s = await api('GET', `/api/v1/staff/inspections/${rec.serverId}`);
    if (s.data.conflicts?.length)
      return attention(rec, 'conflict', t('inspect.attention.conflict_detail'), { conflicts: s.data.conflicts });
  }
  await setFields(rec.id, { syncState: 'synced', attention: null, checkConflicts: false });
}

// One pass over every inspection that is not done. Resolves when the pass is over.
export function syncAll() {
  if (running) { again = true; return running; }
  running = (async () => {
    let failed = false;
    try {
      do {
        again = false;
        for (const rec of await store.all('inspections')) {
          const done = rec.syncState === 'synced' && (rec.submitted || rec.syncedRev === rec.rev) && !rec.checkConflicts;
          if (done || (rec.syncState === 'attention' && rec.attention?.reason !== 'offline')) continue;
          // A shared tablet sends each inspector's work as that inspector only.
          if (rec.inspectorId && rec.inspectorId !== session?.user?.id) continue;
          if (!navigator.onLine) { failed = true; break; }
          try {
            await syncOne(rec);
          } catch (e) {
            failed = true;
            if (e instanceof HttpError && e.status === 401) {
              await attention(rec, 'signin', t('inspect.attention.signin_detail'));
              changed();
              break;
            }
            if (e instanceof HttpError && e.status < 500 && e.status !== 408 && e.status !== 429) {
              await attention(rec, 'refused', e.message, { field: e.problem.field });
            } else {
              await setFields(rec.id, { syncState: 'saved' }); // offline or busy: later
            }
          }
          changed();
        }
      } while (again);
    } finally {
      running = null;
      changed();
      schedule(failed);
    }
  })();
  return running;
}

function schedule(failed) {
  clearTimeout(timer);
  if (!failed) { backoff = 1000; return; }
  timer = setTimeout(() => { syncAll(); }, backoff);
  backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
}

export function start() {
  addEventListener('online', () => { backoff = 1000; syncAll(); });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) syncAll(); });
  // Drafts kept open are checked for conflicts at start and now and then.
  const check = async () => {
    for (const rec of await store.all('inspections'))
      if (rec.serverId && !rec.submitted && rec.syncState === 'synced')
        await setFields(rec.id, { checkConflicts: true });
    return syncAll();
  };
  setInterval(check, 15000);
  return check();
}

// Resolve a conflict: 'kept_device' sends this tablet's version over the current one;
// 'kept_server' replaces this tablet's version with the server's.
export async function resolve(rec, how) {
  const s = await api('GET', `/api/v1/staff/inspections/${rec.serverId}`);
  if (how === 'kept_device') {
    const r = await api('PATCH', `/api/v1/inspections/${rec.serverId}`, documentOf(rec), { 'If-Match': s.etag });
    Object.assign(rec, { version: r.data.version, syncedRev: rec.rev });
  } else {
    fromServer(rec, s.data);
  }
  for (const c of s.data.conflicts || [])
    await api('POST', `/api/v1/inspections/${rec.serverId}/conflicts/${c.id}/resolve`, { resolution: how });
  const now = await api('GET', `/api/v1/staff/inspections/${rec.serverId}`);
  Object.assign(rec, { version: now.data.version, syncState: 'synced', attention: null, checkConflicts: false });
  await store.put('inspections', rec);
  changed();
}

// Fill a tablet record from the server's staff view of a draft.
export function fromServer(rec, s) {
  const marks = {};
  const fixBy = new Map((s.corrective_actions || []).map((c) => [c.code, c.correct_by]));
  for (const [code, mark] of Object.entries(s.checklist || {})) marks[code] = { mark };
  for (const v of s.violations || [])
    marks[v.code] = {
      mark: 'out', points: v.points, note: v.observed, corrected: v.corrected_on_site, repeat: v.repeat,
      ...(fixBy.get(v.code) ? { correctBy: fixBy.get(v.code) } : {}),
    };
  Object.assign(rec, {
    serverId: s.id, version: s.version, type: s.type, startedAt: s.started_at,
    closed: s.closed_establishment, notes: s.notes || '', marks,
    readings: (s.readings || []).map((r) => ({
      item: r.item, location: r.location, value: r.value, unit: r.unit, takenAt: r.taken_at, code: r.code,
    })),
    signature: s.operator_signature ? { name: s.operator_signed_name, image: s.operator_signature } : null,
    submitted: s.status === 'submitted',
  });
  rec.rev = (rec.rev || 0) + 1;
  rec.syncedRev = rec.rev;
  return rec;
}
