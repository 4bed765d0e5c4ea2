// deadline.mjs - deadlines that count down on the page: any element with data-deadline
// (an ISO timestamp) shows the time left, updated every second, and "passed" afterwards, in
// the page's language (the "deadline" catalogue, loaded by the pages that count down).
import { formatDateTime, t } from './i18n.mjs';

export function timeLeft(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return t('deadline.passed');
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d > 0) return t('deadline.left.days', { d, h });
  if (h > 0) return t('deadline.left.hours', { h, m });
  return t('deadline.left.minutes', { m, s: sec });
}

// A moment, date and time, in the page's language ("Dec 6, 2026, 2:05 PM", "2026年12月6日 14:05").
export function formatWhen(iso) {
  if (!iso) return '';
  return formatDateTime(iso, 'medium', 'short');
}

// formatWhen() in a <time> element: the moment already in the page's language, so kept from
// page translators (translate="no"), with its timestamp for machines.
export function whenElement(iso, text = formatWhen(iso)) {
  const e = document.createElement('time');
  e.dateTime = iso;
  e.setAttribute('translate', 'no');
  e.textContent = text;
  return e;
}

function tick() {
  for (const e of document.querySelectorAll('[data-deadline]')) {
    const left = timeLeft(e.dataset.deadline);
    if (e.textContent !== left) e.textContent = left;
    e.classList.toggle('overdue', new Date(e.dataset.deadline).getTime() <= Date.now());
  }
}

let timer = null;
export function startCountdowns() {
  tick();
  if (!timer) timer = setInterval(tick, 1000);
}
