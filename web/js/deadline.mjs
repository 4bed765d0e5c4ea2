// deadline.mjs - deadlines that count down on the page: any element with data-deadline
// (an ISO timestamp) shows the time left, updated every second, and "passed" afterwards.

export function timeLeft(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return 'passed';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d > 0) return `${d} day${d === 1 ? '' : 's'} ${h} h left`;
  if (h > 0) return `${h} h ${m} min left`;
  return `${m} min ${sec} s left`;
}

export function formatWhen(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function tick() {
  for (const e of document.querySelectorAll('[data-deadline]')) {
    const left = timeLeft(e.dataset.deadline);
    if (e.textContent !== left) e.textContent = left;
    e.classList.toggle('overdue', left === 'passed');
  }
}

let timer = null;
export function startCountdowns() {
  tick();
  if (!timer) timer = setInterval(tick, 1000);
}
