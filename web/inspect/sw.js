// sw.js - the tablet app's service worker (scope /inspect/): keeps the app shell in the
// Cache Storage so the app opens with no signal once it has been opened with one.
//
// The shell is served from the cache and refreshed from the network in the background when
// there is one (the server's ETags make the refresh cheap). API requests are never touched
// here: the page sends them itself, so they fail plainly when offline and the page keeps
// the work in IndexedDB until they can go.
//
// The app speaks the tablet's language offline too: the list of languages
// (/i18n/languages.json) and, in every language it lists, the catalogues the app reads
// (CATALOGUES) are kept with the shell and refreshed the same way, so a changed catalogue
// is picked up as the app's other files are. A catalogue a language does not have (the
// scheme wording has no English file) is simply not kept; the page then falls back as it
// does online.
//
// The app's modules are .mjs; this file is not a module but a classic worker script, and its
// address is what the tablets registered it under: a new version must keep this address, so
// that an installed tablet finds it at its next update check and caches the new shell
// before it is needed offline. Bump CACHE whenever SHELL or CATALOGUES change.
const CACHE = 'placard-inspect-v5';
const SHELL = [
  '/inspect/',
  '/inspect/app.mjs',
  '/inspect/grade.mjs',
  '/inspect/store.mjs',
  '/inspect/sync.mjs',
  '/inspect/versions.mjs',
  '/inspect/validate.mjs',
  '/js/portal.mjs',
  '/js/i18n.mjs',
  '/inspect/manifest.webmanifest',
  '/style.css',
  '/favicon.svg',
];
const LANGUAGES = '/i18n/languages.json';
const CATALOGUES = ['common', 'inspect', 'grade', 'wording', 'api', 'records'];

// /i18n/<language>/<domain>.json for a domain the app reads, or the list of languages.
function isCatalogue(path) {
  if (path === LANGUAGES) return true;
  const m = /^\/i18n\/([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\/([a-z]+)\.json$/.exec(path);
  return !!m && CATALOGUES.includes(m[2]);
}

// Keep the list of languages and every catalogue the app reads in each of them; one that
// cannot be had now is fetched again when the page asks for it.
async function cacheCatalogues(cache) {
  let codes = ['en'];
  try {
    const res = await fetch(LANGUAGES, { cache: 'no-cache' });
    if (res.ok) {
      const doc = await res.clone().json();
      await cache.put(LANGUAGES, res);
      if (Array.isArray(doc.languages)) codes = doc.languages.map((l) => l.code);
    }
  } catch { /* no signal: the page's own requests fill the cache later */ }
  // One at a time, and an answer not kept is read to its end: the connection it holds is
  // free for the next (a refusal left unread keeps it).
  for (const code of codes) {
    for (const domain of CATALOGUES) {
      const path = `/i18n/${code}/${domain}.json`;
      try {
        const res = await fetch(path, { cache: 'no-cache' });
        if (res.ok) await cache.put(path, res);
        else await res.arrayBuffer();
      } catch { /* as above */ }
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    await cacheCatalogues(cache);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  const key = req.mode === 'navigate' && url.pathname.startsWith('/inspect/') ? '/inspect/' : url.pathname;
  if (!SHELL.includes(key) && !isCatalogue(key)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(key);
    const fresh = fetch(req).then((res) => {
      if (res.ok) cache.put(key, res.clone());
      return res;
    });
    if (cached) {
      // The fresh answer, not returned, is read to its end so it holds no connection.
      event.waitUntil(fresh.then((res) => res.arrayBuffer()).catch(() => undefined));
      return cached;
    }
    return fresh;
  })());
});
