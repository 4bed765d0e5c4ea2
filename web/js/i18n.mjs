// i18n.mjs - the language a page speaks: its catalogues, the sentences made from them, dates
// and numbers in its conventions, and the switch that changes it.
//
// Every sentence a person reads is a message in a catalogue, ICU MessageFormat in JSON:
// /i18n/<language>/<domain>.json, one flat object of key -> message (docs/i18n.md). A page
// calls `await i18nInit(['public'])` before it draws anything; "common" is always loaded.
// Then t('key', { name: value }) gives a sentence, tParts() the same with elements among the
// arguments (a link inside a sentence), and localize() fills the page's static HTML, whose
// translatable elements carry data-i18n="key" (their text) and data-i18n-attr="attr:key;..."
// (placeholder, aria-label, title, alt, content).
//
// The language: ?lang= in the address (shared links and a card's QR code carry it), then the
// one chosen with the switch (remembered), then the browser's languages (navigator.languages),
// then the default. languages.json lists what there is; a new language is a directory of
// catalogues. The pseudo-language en-XA (only by ?lang=en-XA) shows every catalogue sentence
// as ⟦Ŝéñţéñçé⟧, so text that did not come from a catalogue stands out (tests/browser).
//
// Text that is data, not a sentence (names, addresses, codes, notes people typed), is marked
// translate="no" where it is drawn.

const DEFAULT = 'en';
export const PSEUDO = 'en-XA';
const STORE_KEY = 'placard.lang';
const SESSION_KEY = 'placard.lang.session';

let languages = [{ code: DEFAULT, name: 'English' }];
let current = DEFAULT;
const catalogues = new Map(); // lang -> Map(domain -> object)
const compiled = new Map(); // `${lang}\u0000${key}` -> parsed message

// ---------------------------------------------------------------------------------------
// ICU MessageFormat: the subset Placard's catalogues use (the same the server's C formatter
// reads): {name}, {name, number[, integer|percent]}, {name, date|time[, short|medium|long|full]},
// {name, plural, [offset:n] =n {...} zero|one|two|few|many|other {...}}
// with #, {name, select, word {...} other {...}}; apostrophes quote as in ICU ('' is one
// apostrophe, '{' a literal brace; an apostrophe before other text is itself).

export class MessageSyntaxError extends Error {}

export function parseMessage(src) {
  let i = 0;
  function text(inPlural, depth) {
    const out = [];
    let buf = '';
    while (i < src.length) {
      const c = src[i];
      if (c === "'") {
        const n = src[i + 1];
        if (n === "'") { buf += "'"; i += 2; continue; }
        if (n === '{' || n === '}' || (inPlural && n === '#') || n === '|') {
          // quoted literal up to the next single apostrophe
          i += 1;
          while (i < src.length) {
            if (src[i] === "'") {
              if (src[i + 1] === "'") { buf += "'"; i += 2; continue; }
              i += 1;
              break;
            }
            buf += src[i++];
          }
          continue;
        }
        buf += "'"; i += 1; continue;
      }
      if (c === '{') {
        if (buf) { out.push(buf); buf = ''; }
        i += 1;
        out.push(argument(depth));
        continue;
      }
      if (c === '}') {
        if (depth === 0) throw new MessageSyntaxError(`unmatched } at ${i}`);
        break;
      }
      if (c === '#' && inPlural) {
        if (buf) { out.push(buf); buf = ''; }
        out.push({ type: 'pound' });
        i += 1;
        continue;
      }
      buf += c;
      i += 1;
    }
    if (buf) out.push(buf);
    return out;
  }
  function ws() { while (i < src.length && /\s/.test(src[i])) i += 1; }
  function word() {
    ws();
    const m = /^[^\s{},#']+/.exec(src.slice(i));
    if (!m) throw new MessageSyntaxError(`a name was expected at ${i}`);
    i += m[0].length;
    ws();
    return m[0];
  }
  function expect(c) {
    ws();
    if (src[i] !== c) throw new MessageSyntaxError(`"${c}" was expected at ${i}`);
    i += 1;
  }
  function argument(depth) {
    const name = word();
    if (src[i] === '}') { i += 1; return { type: 'arg', name }; }
    expect(',');
    const kind = word();
    if (kind === 'number' || kind === 'date' || kind === 'time') {
      let style = null;
      if (src[i] === ',') { i += 1; style = word(); }
      expect('}');
      if (kind === 'number' && style && !['integer', 'percent'].includes(style)) {
        throw new MessageSyntaxError(`unknown number style "${style}"`);
      }
      if (kind !== 'number' && style && !['short', 'medium', 'long', 'full'].includes(style)) {
        throw new MessageSyntaxError(`unknown ${kind} style "${style}"`);
      }
      return { type: kind, name, style };
    }
    if (kind !== 'plural' && kind !== 'select' && kind !== 'selectordinal') {
      throw new MessageSyntaxError(`unknown argument type "${kind}"`);
    }
    expect(',');
    let offset = 0;
    const options = {};
    ws();
    while (i < src.length && src[i] !== '}') {
      let sel = word();
      if (sel.startsWith('offset:') && kind !== 'select') {
        offset = Number(sel.slice(7));
        if (!Number.isInteger(offset)) throw new MessageSyntaxError('bad offset');
        continue;
      }
      if (kind !== 'select' && !/^(=\d+|zero|one|two|few|many|other)$/.test(sel)) {
        throw new MessageSyntaxError(`unknown plural category "${sel}"`);
      }
      if (kind === 'select') sel = String(sel);
      expect('{');
      options[sel] = text(kind !== 'select', depth + 1);
      if (src[i] !== '}') throw new MessageSyntaxError(`unclosed option "${sel}"`);
      i += 1;
      ws();
    }
    if (!options.other) throw new MessageSyntaxError(`{${name}, ${kind}} has no "other"`);
    expect('}');
    return { type: kind, name, offset, options };
  }
  const ast = text(false, 0);
  if (i < src.length) throw new MessageSyntaxError(`unexpected "${src[i]}" at ${i}`);
  return ast;
}

// ICU's date and time styles, as ICU and intl-messageformat spell them out.
const STYLES = {
  date: {
    short: { month: 'numeric', day: 'numeric', year: '2-digit' },
    medium: { month: 'short', day: 'numeric', year: 'numeric' },
    long: { month: 'long', day: 'numeric', year: 'numeric' },
    full: { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' },
  },
  time: {
    short: { hour: 'numeric', minute: 'numeric' },
    medium: { hour: 'numeric', minute: 'numeric', second: 'numeric' },
    long: { hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short' },
    full: { hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short' },
  },
};

function formatNodes(nodes, args, lang, pound, out) {
  for (const n of nodes) {
    if (typeof n === 'string') { out.push(n); continue; }
    const v = args ? args[n.name] : undefined;
    switch (n.type) {
      case 'pound':
        out.push(new Intl.NumberFormat(lang).format(pound));
        break;
      case 'arg':
        out.push(v === undefined || v === null ? `{${n.name}}` : typeof v === 'object' ? v : String(v));
        break;
      case 'number': {
        const opts = n.style === 'integer' ? { maximumFractionDigits: 0 }
          : n.style === 'percent' ? { style: 'percent' } : {};
        out.push(new Intl.NumberFormat(lang, opts).format(Number(v)));
        break;
      }
      case 'date':
      case 'time': {
        const d = v instanceof Date ? v : new Date(v);
        if (Number.isNaN(d.getTime())) { out.push(String(v ?? '')); break; }
        out.push(new Intl.DateTimeFormat(lang, STYLES[n.type][n.style || 'medium']).format(d));
        break;
      }
      case 'plural':
      case 'selectordinal': {
        const num = Number(v);
        const exact = n.options[`=${num}`];
        const rules = new Intl.PluralRules(lang, { type: n.type === 'plural' ? 'cardinal' : 'ordinal' });
        const chosen = exact || n.options[rules.select(num - n.offset)] || n.options.other;
        formatNodes(chosen, args, lang, num - n.offset, out);
        break;
      }
      case 'select':
        formatNodes(n.options[String(v)] || n.options.other, args, lang, pound, out);
        break;
      default:
        break;
    }
  }
  return out;
}

// Format @message (a pattern, not a key) in @lang: an array of strings and whatever objects
// (elements) were given as plain {name} arguments.
export function formatMessage(message, args = {}, lang = current) {
  return formatNodes(parseMessage(message), args, lang, 0, []);
}

// ---------------------------------------------------------------------------------------
// The pseudo-language: letters accented, every sentence in ⟦ ⟧, placeholders untouched.

const ACCENTS = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ó', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ú', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ó', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Ú', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

function pseudoNodes(nodes) {
  return nodes.map((n) => {
    if (typeof n === 'string') return n.replace(/[A-Za-z]/g, (c) => ACCENTS[c] || c);
    if (n.options) {
      const options = {};
      for (const [k, v] of Object.entries(n.options)) options[k] = pseudoNodes(v);
      return { ...n, options };
    }
    return n;
  });
}

// ---------------------------------------------------------------------------------------
// Choosing the language.

function canonical(code) {
  if (code === PSEUDO || code?.toLowerCase() === PSEUDO.toLowerCase()) return PSEUDO;
  const found = languages.find((l) => l.code.toLowerCase() === String(code || '').toLowerCase());
  return found ? found.code : null;
}

// The best of @available for the ranges @wanted (most wanted first), as the server's
// i18n_negotiate_among() chooses: exact, then the range cut back a subtag at a time
// (zh-Hans-CN, zh-Hans, zh), then any language with the same first subtag; else the first.
export function negotiate(wanted, available) {
  const lower = available.map((a) => a.toLowerCase());
  for (const w of wanted) {
    const parts = String(w).toLowerCase().split('-');
    for (let k = parts.length; k > 0; k--) {
      const at = lower.indexOf(parts.slice(0, k).join('-'));
      if (at >= 0) return available[at];
    }
    const at = lower.findIndex((a) => a.split('-')[0] === parts[0]);
    if (at >= 0 && parts[0] !== '*') return available[at];
  }
  return available[0];
}

function stored(storage, key) {
  try { return storage.getItem(key); } catch { return null; }
}

function remember(storage, key, value) {
  try { storage.setItem(key, value); } catch { /* private mode: not remembered */ }
}

function chooseLanguage() {
  const fromUrl = canonical(new URLSearchParams(location.search).get('lang'));
  if (fromUrl) {
    remember(sessionStorage, SESSION_KEY, fromUrl);
    return fromUrl;
  }
  const chosen = canonical(stored(sessionStorage, SESSION_KEY)) || canonical(stored(localStorage, STORE_KEY));
  if (chosen) return chosen;
  return negotiate(navigator.languages?.length ? navigator.languages : [navigator.language || DEFAULT],
    languages.map((l) => l.code));
}

export function lang() {
  return current;
}

// The language to ask the server for (Accept-Language): the pseudo-language as itself.
export function acceptLanguage() {
  return current;
}

// @url (a path or address on this site) with ?lang= set to the page's language, for links
// that are shared (a card's QR code, a copied address).
export function withLang(url, code = current) {
  const u = new URL(url, location.href);
  u.searchParams.set('lang', code);
  return u.origin === location.origin ? `${u.pathname}${u.search}${u.hash}` : u.href;
}

// ---------------------------------------------------------------------------------------
// Catalogues.

async function fetchCatalogue(code, domain) {
  try {
    const res = await fetch(`/i18n/${code}/${domain}.json`, { credentials: 'same-origin' });
    if (!res.ok) return {};
    return await res.json();
  } catch {
    return {};
  }
}

async function loadDomains(code, domains) {
  if (!catalogues.has(code)) catalogues.set(code, new Map());
  const m = catalogues.get(code);
  await Promise.all(domains.filter((d) => !m.has(d)).map(async (d) => { m.set(d, await fetchCatalogue(code, d)); }));
}

// Use @object as the catalogue of @domain in language @lang, without fetching it: for tests
// under node, and for pages that carry a catalogue of their own (offline).
export function useCatalogue(code, domain, object) {
  if (!catalogues.has(code)) catalogues.set(code, new Map());
  catalogues.get(code).set(domain, object);
  compiled.clear();
}

function lookup(code, key) {
  const m = catalogues.get(code);
  if (!m) return undefined;
  for (const cat of m.values()) if (Object.prototype.hasOwnProperty.call(cat, key)) return cat[key];
  return undefined;
}

function compiledMessage(key) {
  const id = `${current}\u0000${key}`;
  let ast = compiled.get(id);
  if (ast) return ast;
  const source = current === PSEUDO ? DEFAULT : current;
  let msg = lookup(source, key);
  if (msg === undefined && source !== DEFAULT) msg = lookup(DEFAULT, key);
  if (msg === undefined) {
    console.warn(`i18n: no message "${key}"`);
    return [key];
  }
  try {
    ast = parseMessage(msg);
  } catch (err) {
    console.warn(`i18n: message "${key}" does not parse: ${err.message}`);
    ast = [msg];
  }
  if (current === PSEUDO) ast = ['⟦', ...pseudoNodes(ast), '⟧'];
  compiled.set(id, ast);
  return ast;
}

// True if @key is in the page's catalogues (its language's or the default's).
export function has(key) {
  return lookup(current === PSEUDO ? DEFAULT : current, key) !== undefined || lookup(DEFAULT, key) !== undefined;
}

// The sentence @key with @args, as text.
export function t(key, args = {}) {
  return formatNodes(compiledMessage(key), args, current === PSEUDO ? DEFAULT : current, 0, []).join('');
}

// The sentence @key with @args, as an array of strings and the elements given as arguments
// (for el(): el('p', {}, tParts('appeal.read', { link: el('a', ...) }))).
export function tParts(key, args = {}) {
  return formatNodes(compiledMessage(key), args, current === PSEUDO ? DEFAULT : current, 0, []);
}

// A scheme document's text (a band's label or meaning, an element's name, a violation's
// description) in the page's language: the "wording" catalogue (keyed by the English text),
// then the document's own local wording when it is in this language, else as written.
export function wording(text, local = null, scheme = null) {
  if (text === null || text === undefined || text === '') return text;
  if (current === PSEUDO) return `⟦${text}⟧`;
  if (current === DEFAULT) return text;
  const own = catalogues.get(current)?.get('wording')?.[text];
  if (own !== undefined) return own;
  if (local && scheme && scheme.local_language && canonical(scheme.local_language) === current) return local;
  return text;
}

// ---------------------------------------------------------------------------------------
// Dates and numbers in the page's conventions.

function intlLang() {
  return current === PSEUDO ? DEFAULT : current;
}

export function formatNumber(n, options = {}) {
  return new Intl.NumberFormat(intlLang(), options).format(n);
}

// A calendar date ("6 December 2026", "2026年12月6日"); @iso a timestamp or YYYY-MM-DD (read
// as that day, not as midnight UTC).
export function formatDay(iso, style = 'long') {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(intlLang(), { dateStyle: style }).format(d);
}

// A moment, date and time ("6 December 2026 at 14:05", "2026年12月6日 14:05").
export function formatDateTime(iso, dateStyle = 'long', timeStyle = 'short') {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(intlLang(), { dateStyle, timeStyle }).format(d);
}

// ---------------------------------------------------------------------------------------
// The page.

// Fill @root's static HTML from the catalogues: data-i18n="key" sets an element's text,
// data-i18n-attr="placeholder:key;aria-label:key" its attributes.
export function localize(root = document) {
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of e.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) e.setAttribute(attr, t(key));
    }
  }
}

// The switch: a link per language, each named in its own language, the current one marked.
// Following one remembers the choice and reopens the page in that language.
export function languageSwitch() {
  const nav = document.createElement('nav');
  nav.className = 'lang-switch';
  nav.setAttribute('aria-label', t('common.language'));
  for (const l of languages) {
    const a = document.createElement('a');
    a.href = withLang(location.href, l.code);
    a.textContent = l.name;
    a.lang = l.code;
    a.hreflang = l.code;
    a.setAttribute('translate', 'no');
    if (l.code === current) a.setAttribute('aria-current', 'true');
    a.addEventListener('click', () => {
      remember(localStorage, STORE_KEY, l.code);
      remember(sessionStorage, SESSION_KEY, l.code);
    });
    nav.append(a);
  }
  return nav;
}

let ready = null;

// Load the languages, choose one, load "common" and @domains in it (and in the default, for
// keys a translation lacks), set <html lang>, fill the static HTML and put the switch in the
// page's header (or @switchParent). Resolves to the language. Call once a page; later calls
// load further domains.
export async function i18nInit(domains = [], { switchParent = null } = {}) {
  const all = ['common', ...domains.filter((d) => d !== 'common')];
  if (!ready) {
    ready = (async () => {
      try {
        const res = await fetch('/i18n/languages.json', { credentials: 'same-origin' });
        if (res.ok) {
          const doc = await res.json();
          if (Array.isArray(doc.languages) && doc.languages.length) languages = doc.languages;
        }
      } catch { /* offline without a cached copy: the default alone */ }
      current = chooseLanguage();
    })();
  }
  await ready;
  const codes = current === PSEUDO || current === DEFAULT ? [DEFAULT] : [current, DEFAULT];
  // The scheme wording is keyed by its English text: there is no English file to fetch.
  await Promise.all(codes.map((c) => loadDomains(c, c === DEFAULT ? all.filter((d) => d !== 'wording') : all)));
  document.documentElement.lang = current;
  if (current !== DEFAULT && !new URLSearchParams(location.search).has('lang')) {
    history.replaceState(history.state, '', withLang(location.href)); // the address, shared, keeps it
  }
  localize();
  const parent = switchParent || document.querySelector('header.site, header');
  if (parent && !parent.querySelector('.lang-switch')) parent.append(languageSwitch());
  return current;
}
