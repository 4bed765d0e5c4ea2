// store.mjs - the tablet's own storage: IndexedDB, so that work survives reloads, restarts
// and days without signal. Three object stores:
//   inspections  one record per inspection made or opened on this tablet (key: the id made
//                on the tablet, crypto.randomUUID(), which is also its Idempotency-Key)
//   photos       the photos, as downscaled blobs with the SHA-256 taken at capture
//   cache        what the app needs offline: the signed-in user, the due list, each
//                establishment's form and scheme
// Writes of work use {durability: "strict"}: "saved on tablet" means on disk, not in a
// buffer a crash can lose.

const DB_NAME = 'placard-inspect';
const DB_VERSION = 1;
let opening = null;

export function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('inspections', { keyPath: 'id' });
        const photos = db.createObjectStore('photos', { keyPath: 'id' });
        photos.createIndex('inspection', 'inspectionId');
        db.createObjectStore('cache', { keyPath: 'key' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opening;
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// Put @records into @storeName in one strict transaction; resolves once on disk.
export async function put(storeName, ...records) {
  const db = await open();
  const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
  for (const r of records) tx.objectStore(storeName).put(r);
  return done(tx);
}

export async function get(storeName, key) {
  const db = await open();
  return request(db.transaction(storeName).objectStore(storeName).get(key));
}

export async function all(storeName) {
  const db = await open();
  return request(db.transaction(storeName).objectStore(storeName).getAll());
}

export async function remove(storeName, key) {
  const db = await open();
  const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
  tx.objectStore(storeName).delete(key);
  return done(tx);
}

export async function photosOf(inspectionId) {
  const db = await open();
  const idx = db.transaction('photos').objectStore('photos').index('inspection');
  return request(idx.getAll(inspectionId));
}

// The inspection and its photos in one strict transaction: both or neither.
export async function saveInspection(record, photos = []) {
  const db = await open();
  const tx = db.transaction(['inspections', 'photos'], 'readwrite', { durability: 'strict' });
  tx.objectStore('inspections').put(record);
  for (const p of photos) tx.objectStore('photos').put(p);
  return done(tx);
}

export async function cacheGet(key) {
  const r = await get('cache', key);
  return r ? r.value : undefined;
}

export function cachePut(key, value) {
  return put('cache', { key, value });
}

// Read, change and write one record in a single strict transaction, so that the tablet's
// edits and the sync's bookkeeping never overwrite each other. Resolves to the record.
export async function update(storeName, key, fn) {
  const db = await open();
  const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
  const os = tx.objectStore(storeName);
  let result;
  const req = os.get(key);
  req.onsuccess = () => {
    if (!req.result) return;
    result = fn(req.result) || req.result;
    os.put(result);
  };
  await done(tx);
  return result;
}
