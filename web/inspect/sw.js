// sw.js - the tablet app's service worker (scope /inspect/): keeps the app shell in the
// Cache Storage so the app opens with no signal once it has been opened with one.
//
// The shell is served from the cache and refreshed from the network in the background when
// there is one (the server's ETags make the refresh cheap). API requests are never touched
// here: the page sends them itself, so they fail plainly when offline and the page keeps
// the work in IndexedDB until they can go.
//
// The app's modules are .mjs; this file is not a module but a classic worker script, and its
// address is what the tablets registered it under: a new version must keep this address, so
// that an installed tablet finds it at its next update check and caches the new shell
// before it is needed offline. Bump CACHE whenever SHELL changes.
const CACHE = 'placard-inspect-v4';
const SHELL = [
  '/inspect/',
  '/inspect/app.mjs',
  '/inspect/grade.mjs',
  '/inspect/store.mjs',
  '/inspect/sync.mjs',
  '/inspect/versions.mjs',
  '/inspect/validate.mjs',
  '/js/portal.mjs',
  '/inspect/manifest.webmanifest',
  '/style.css',
  '/favicon.svg',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
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
  if (!SHELL.includes(key)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(key);
    const fresh = fetch(req).then((res) => {
      if (res.ok) cache.put(key, res.clone());
      return res;
    });
    if (cached) {
      event.waitUntil(fresh.catch(() => undefined));
      return cached;
    }
    return fresh;
  })());
});
