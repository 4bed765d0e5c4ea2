// versions.mjs - which published version of a scoring scheme a visit is graded under, from
// the scheme's list of versions (GET /api/v1/schemes/{code}/versions): the latest whose
// applies_from is on or before the visit's day, or the first version for days before every
// version (docs/schemes.md, "Versions"). The tablet keeps each version it may need offline:
// those in force on the days of its due visits and of its drafts.

// The calendar day (YYYY-MM-DD) of timestamp @iso on this tablet's clock.
export function localDay(iso = new Date().toISOString()) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// The version number in force on @day among @versions ([{ version, applies_from }], null
// applies_from: from the beginning), or null when there is none.
export function versionOn(versions, day) {
  if (!versions?.length) return null;
  let best = null;
  for (const v of versions)
    if ((v.applies_from === null || v.applies_from <= day) && (best === null || v.version > best.version)) best = v;
  return (best || versions.reduce((a, b) => (a.version < b.version ? a : b))).version;
}

// The versions needed for visits on @days, without repeats, in increasing order.
export function versionsFor(versions, days) {
  const out = new Set();
  for (const d of days) {
    const n = versionOn(versions, d);
    if (n !== null) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}
