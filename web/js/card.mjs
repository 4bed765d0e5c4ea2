// card.mjs - the printable grade card: the grade, a QR code to the live record (made by the
// server) and the short code of the inspection the grade rests on, so that anyone scanning
// the card can see whether it is still the current one; on screen (not on paper), whether the
// inspection is in the signed public record, checked in the browser (tlog.mjs). The grade is
// named with its band's meaning from the scheme ("2: improvement necessary"). The card is in
// the page's language, and so is the record its QR code opens (?lang= in the code's address).
import { el, getJSON, gradeBadge, gradeMeaning, schemeDoc, formatDate, formatAddress, param, showError } from './portal.mjs';
import { recordCheck } from './tlog.mjs';
import { i18nInit, lang, t, tParts } from './i18n.mjs';

const page = document.getElementById('page');

async function main() {
  await i18nInit(['public', 'wording', 'log']);
  const id = param('id');
  if (!/^[1-9][0-9]{0,18}$/.test(id || '')) {
    showError(page, new Error(t('public.card.no_id')));
    page.setAttribute('aria-busy', 'false');
    return;
  }
  try {
    const e = await getJSON(`/api/v1/establishments/${id}`);
    const g = e.grade;
    const insp = g && g.inspection_id ? await getJSON(`/api/v1/inspections/${g.inspection_id}`) : null;
    const doc = await schemeDoc(e.scheme);
    document.title = t('public.card.title_name', { name: e.name });
    const print = el('button', { type: 'button', class: 'primary no-print', id: 'print' }, t('public.card.print'));
    print.addEventListener('click', () => window.print());
    page.replaceChildren(
      el('article', { class: 'card', 'aria-labelledby': 'card-name' },
        el('p', { class: 'card-kicker' }, t('public.card.kicker')),
        el('h1', { id: 'card-name', translate: 'no' }, e.name),
        el('p', { class: 'card-address', translate: 'no' }, formatAddress(e.address)),
        gradeBadge(g, true, doc),
        el('p', { class: 'card-label', id: 'card-label' }, gradeMeaning(g, doc)),
        e.status && e.status !== 'active'
          ? el('p', { class: 'card-status' }, e.status === 'suspended' ? t('public.status.suspended') : t('public.status.closed')) : null,
        insp ? el('p', { class: 'card-date' }, t('public.card.inspected', { date: formatDate(insp.started_at) })) : '',
        el('img', { class: 'qr', id: 'qr', src: `/api/v1/establishments/${e.id}/qr.svg?lang=${encodeURIComponent(lang())}`, width: '200', height: '200',
          alt: t('public.card.qr_alt') }),
        el('p', { class: 'card-code' }, tParts('public.card.code', {
          code: el('strong', { id: 'card-code', translate: 'no' }, insp ? insp.public_code : '—') })),
        el('p', { class: 'muted card-scan' }, t('public.card.scan'))),
      insp ? el('div', { class: 'no-print' }, recordCheck(insp)) : '',
      el('p', { class: 'no-print actions' }, print, ' ',
        el('a', { href: `/establishment.html?id=${e.id}`, class: 'button secondary' }, t('public.card.back'))));
  } catch (err) {
    showError(page, err);
  }
  page.setAttribute('aria-busy', 'false');
}

main();
