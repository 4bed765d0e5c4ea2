// notfound.mjs - the page for an address that has none (web/404.html), in the reader's
// language. The search form sends ?lang= along when the page was opened with one, so the
// results open in the same language.
import { i18nInit } from './i18n.mjs';

await i18nInit(['public']);
const form = document.querySelector('form.search');
const chosen = new URLSearchParams(location.search).get('lang');
if (form && chosen) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'lang', value: chosen }));
