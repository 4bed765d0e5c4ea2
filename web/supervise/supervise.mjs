// supervise.mjs - the supervisors' screen: give establishments (and the visits due at
// them) to inspectors by area, risk and due date, and see each inspector's due list and
// what is overdue. Who may assign is policy_assign_check() (src/domain/policy.c); the
// server refuses anything else, and the refusal is shown on the row it concerns.
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { el } from '/js/portal.mjs';

const app = document.getElementById('app');
const ROLES = ['supervisor', 'admin'];
const ELSEWHERE = {
  inspector: ['/inspect/', 'the inspection app'],
  clerk: ['/registry/', 'the licence registry'],
  hearing_officer: ['/hearings/', 'the appeals queue'],
};
let inspectors = [];

function day(d) {
  if (!d) return '—';
  const t = new Date(`${d}T00:00:00`);
  return Number.isNaN(t.getTime()) ? d : t.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function problemText(res, fallback) {
  if (res.status === 401) return 'Your session has ended: sign in again.';
  return res.data?.detail || `${fallback} (the server answered ${res.status}).`;
}

function dueText(item) {
  if (!item.due_on) return 'Not due by the cycle';
  if (item.overdue) return el('strong', { class: 'overdue' }, `Overdue ${item.days_overdue} day${item.days_overdue === 1 ? '' : 's'} (${day(item.due_on)})`);
  return `Due ${day(item.due_on)}`;
}

async function loadInspectors() {
  const res = await api('GET', '/api/v1/supervisor/inspectors');
  if (res.status !== 200) throw new Error(problemText(res, 'The inspectors could not be loaded'));
  inspectors = res.data.inspectors;
  return res.data;
}

function inspectorTable(box, dueBox) {
  const rows = inspectors.map((i) => el('tr', { 'data-inspector': i.id },
    el('th', { scope: 'row' }, i.display_name),
    el('td', {}, String(i.assigned)),
    el('td', {}, String(i.due_30_days)),
    el('td', {}, i.overdue ? el('strong', { class: 'overdue' }, String(i.overdue)) : '0'),
    el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => showDue(i, dueBox) },
      `Due list of ${i.display_name}`))));
  box.replaceChildren(
    el('h2', {}, 'Inspectors'),
    inspectors.length ? el('table', { class: 'inspectors' },
      el('thead', {}, el('tr', {}, ...['Inspector', 'Establishments', 'Due in 30 days', 'Overdue', ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows)) : el('p', {}, 'No active inspector.'));
}

// The due list shown (of which inspector), shown again after each assignment.
let dueShown = null;

async function showDue(inspector, box) {
  dueShown = inspector.id;
  box.replaceChildren(el('p', { class: 'status', role: 'status' }, 'Loading…'));
  const res = await api('GET', `/api/v1/inspector/due?inspector=${inspector.id}&days=30`);
  if (res.status !== 200) { box.replaceChildren(el('p', { class: 'status', role: 'alert' }, problemText(res, 'The due list could not be loaded'))); return; }
  const items = res.data.items;
  const overdue = items.filter((i) => i.overdue).length;
  box.replaceChildren(
    el('h2', { id: 'due-title' }, `Due list of ${inspector.display_name}`),
    el('p', {}, `${items.length} visit${items.length === 1 ? '' : 's'} due within 30 days, ${overdue} overdue.`),
    ...(items.length ? [el('ol', { class: 'due-list', 'aria-labelledby': 'due-title' }, ...items.map((i) => el('li', { class: i.overdue ? 'due due-overdue' : 'due' },
      el('strong', {}, i.establishment.name), ` · licence ${i.establishment.licence_number} · risk ${i.establishment.risk_category || '—'} · `,
      i.reason === 'cycle' ? 'routine' : i.reason, ' · ', dueText(i))))] : []));
}

function worklistForm(onQuery) {
  const area = el('input', { id: 'area', maxlength: 64, placeholder: 'City or postcode' });
  const risks = ['A', 'B', 'C', 'D', 'E'].map((r) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'risk', value: r }), ` ${r}`));
  const days = el('input', { id: 'days', type: 'number', min: 0, max: 366, value: 60 });
  const unassigned = el('input', { id: 'unassigned', type: 'checkbox' });
  const form = el('form', { class: 'fields worklist-filters' },
    el('div', {}, el('label', { for: 'area' }, 'Area'), area),
    el('fieldset', {}, el('legend', {}, 'Risk category'), ...risks),
    el('div', {}, el('label', { for: 'days' }, 'Due within (days)'), days),
    el('div', {}, el('label', { class: 'check' }, unassigned, ' Assigned to nobody only')),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, 'Show establishments')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (area.value.trim()) q.set('area', area.value.trim());
    const rs = risks.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    if (rs.length) q.set('risk', rs.join(','));
    if (days.value !== '') q.set('days', days.value);
    if (unassigned.checked) q.set('unassigned', 'true');
    onQuery(q);
  });
  return form;
}

function worklistRow(item, refresh) {
  const e = item.establishment;
  const pick = el('select', { 'aria-label': `Inspector for ${e.name}` },
    el('option', { value: '' }, '— choose —'),
    ...inspectors.map((i) => el('option', { value: i.id, selected: item.inspector?.id === i.id }, i.display_name)));
  const status = el('p', { class: 'field-error', role: 'alert' });
  const assign = el('button', { type: 'button', class: 'secondary', onclick: async () => {
    status.textContent = '';
    if (!pick.value) { status.textContent = 'Choose an inspector.'; return; }
    const res = await api('PUT', `/api/v1/establishments/${e.id}/inspector`, { inspector_id: Number(pick.value) });
    if (res.status !== 200) { status.textContent = problemText(res, 'Not assigned'); return; }
    refresh();
  } }, `Assign ${e.name}`);
  return el('tr', { 'data-establishment': e.id },
    el('th', { scope: 'row' }, e.name, el('br'), el('span', { class: 'muted' }, `Licence ${e.licence_number}`)),
    el('td', {}, [e.address?.city, e.address?.postcode].filter(Boolean).join(' ') || '—'),
    el('td', {}, e.risk_category || '—'),
    el('td', {}, dueText(item)),
    el('td', { class: 'assignee' }, item.inspector ? item.inspector.display_name : el('em', {}, 'nobody')),
    el('td', {}, pick, assign, status));
}

async function start(session) {
  const me = session.user;
  document.getElementById('who').replaceChildren(`${me.display_name} · `,
    el('button', { type: 'button', class: 'secondary', onclick: async () => { await signOut(); location.reload(); } }, 'Sign out'));
  if (!ROLES.includes(me.role)) {
    const [href, what] = ELSEWHERE[me.role] || ['/', 'the public pages'];
    app.replaceChildren(el('p', {}, 'This screen is for supervisors. You work in ', el('a', { href }, what), '.'));
    return;
  }
  const inspectorsBox = el('section', { class: 'inspector-loads' });
  const dueBox = el('section', { class: 'inspector-due', 'aria-live': 'polite' });
  const listBox = el('section', { class: 'worklist', 'aria-live': 'polite' });
  let last = new URLSearchParams({ days: '60' });
  const refresh = async () => {
    await loadInspectors();
    inspectorTable(inspectorsBox, dueBox);
    const shown = inspectors.find((i) => i.id === dueShown);
    if (shown) showDue(shown, dueBox);
    const res = await api('GET', `/api/v1/supervisor/worklist?${last}`);
    if (res.status !== 200) { listBox.replaceChildren(el('p', { class: 'field-error', role: 'alert' }, problemText(res, 'The list could not be loaded'))); return; }
    const items = res.data.items;
    listBox.replaceChildren(
      el('h2', {}, 'Establishments to give out'),
      el('p', {}, `${items.length} establishment${items.length === 1 ? '' : 's'}, soonest due first.`),
      items.length ? el('table', { class: 'worklist-table' },
        el('thead', {}, el('tr', {}, ...['Establishment', 'Area', 'Risk', 'Due', 'Inspector', 'Assign to'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...items.map((i) => worklistRow(i, refresh)))) : el('p', {}, 'None matches: widen the area, the risk categories or the days.'));
  };
  app.replaceChildren(inspectorsBox, dueBox,
    el('h2', {}, 'Find establishments'), worklistForm((q) => { last = q; refresh(); }), listBox);
  try { await refresh(); } catch (e) { app.prepend(el('p', { class: 'field-error', role: 'alert' }, e.message)); }
}

const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
