// card.mjs - the printable grade card: the grade, a QR code to the live record (made by the
// server) and the short code of the inspection the grade rests on, so that anyone scanning
// the card can see whether it is still the current one; on screen (not on paper), whether the
// inspection is in the signed public record, checked in the browser (tlog.mjs). The grade is
// named with its band's meaning from the scheme ("2: improvement necessary").
import { el, getJSON, gradeBadge, gradeMeaning, schemeDoc, formatDate, param, showError } from './portal.mjs';
import { recordCheck } from './tlog.mjs';

const page = document.getElementById('page');

async function main() {
  const id = param('id');
  if (!/^[1-9][0-9]{0,18}$/.test(id || '')) {
    showError(page, new Error('No establishment was given.'));
    return;
  }
  try {
    const e = await getJSON(`/api/v1/establishments/${id}`);
    const g = e.grade;
    const insp = g && g.inspection_id ? await getJSON(`/api/v1/inspections/${g.inspection_id}`) : null;
    const doc = await schemeDoc(e.scheme);
    document.title = `Grade card: ${e.name} · Placard`;
    const print = el('button', { type: 'button', class: 'primary no-print', id: 'print' }, 'Print this card');
    print.addEventListener('click', () => window.print());
    page.replaceChildren(
      el('article', { class: 'card', 'aria-labelledby': 'card-name' },
        el('p', { class: 'card-kicker' }, 'Food safety inspection grade'),
        el('h1', { id: 'card-name' }, e.name),
        el('p', { class: 'card-address' }, [e.address?.line, e.address?.city, e.address?.postcode].filter(Boolean).join(', ')),
        gradeBadge(g, true),
        el('p', { class: 'card-label', id: 'card-label' }, gradeMeaning(g, doc)),
        e.status && e.status !== 'active'
          ? el('p', { class: 'card-status' }, e.status === 'suspended' ? 'Licence suspended' : 'Closed') : null,
        insp ? el('p', {}, `Inspected ${formatDate(insp.started_at)}`) : '',
        el('img', { class: 'qr', id: 'qr', src: `/api/v1/establishments/${e.id}/qr.svg`, width: '200', height: '200',
          alt: 'QR code: scan it to see the live inspection record and check this card is current' }),
        el('p', { class: 'card-code' }, 'Card code ', el('strong', { id: 'card-code' }, insp ? insp.public_code : '—')),
        el('p', { class: 'muted' }, 'Scan to see what inspectors found and whether this card is current.')),
      insp ? el('div', { class: 'no-print' }, recordCheck(insp)) : '',
      el('p', { class: 'no-print actions' }, print, ' ',
        el('a', { href: `/establishment.html?id=${e.id}`, class: 'button secondary' }, 'Back to the record')));
  } catch (err) {
    showError(page, err);
  }
  page.setAttribute('aria-busy', 'false');
}

main();
