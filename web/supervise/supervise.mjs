// supervise.mjs - the supervisors' screen: give establishments (and the visits due at
// them) to inspectors by area, risk and due date, and see each inspector's due list and
// what is overdue. Who may assign is policy_assign_check() (src/domain/policy.c); the
// server refuses anything else, and the refusal is shown on the row it concerns.
import { api, currentSession, mountSignIn, signOut } from '/js/signin.mjs';
import { el } from '/js/portal.mjs';
import { i18nInit, t, tParts, formatDay } from '/js/i18n.mjs';

const app = document.getElementById('app');
const ROLES = ['supervisor', 'admin'];
const ELSEWHERE = {
  inspector: ['/inspect/', 'supervise.elsewhere.inspect'],
  clerk: ['/registry/', 'supervise.elsewhere.registry'],
  hearing_officer: ['/hearings/', 'supervise.elsewhere.hearings'],
};
let inspectors = [];

function day(d) {
  return d ? formatDay(d, 'medium') : '—';
}

// The server's words for a refused request, else the sentence @fallback (a key whose
// message takes {status}).
function problemText(res, fallback) {
  if (res.status === 401) return t('supervise.session_ended');
  return res.data?.detail || t(fallback, { status: res.status });
}

function dueText(item) {
  if (!item.due_on) return t('supervise.due.not_by_cycle');
  if (item.overdue) return el('strong', { class: 'overdue' }, t('supervise.due.overdue', { n: item.days_overdue, date: day(item.due_on) }));
  return t('supervise.due.on', { date: day(item.due_on) });
}

// Why a visit is due: the cycle ("routine") or a re-inspection.
function reasonText(reason) {
  return reason === 'cycle' || reason === 'reinspection' ? t(`supervise.reason.${reason}`) : reason;
}

async function loadInspectors() {
  const res = await api('GET', '/api/v1/supervisor/inspectors');
  if (res.status !== 200) throw new Error(problemText(res, 'supervise.error.inspectors'));
  inspectors = res.data.inspectors;
  return res.data;
}

function inspectorTable(box, dueBox) {
  const rows = inspectors.map((i) => el('tr', { 'data-inspector': i.id },
    el('th', { scope: 'row', translate: 'no' }, i.display_name),
    el('td', {}, String(i.assigned)),
    el('td', {}, String(i.due_30_days)),
    el('td', {}, i.overdue ? el('strong', { class: 'overdue' }, String(i.overdue)) : '0'),
    el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => showDue(i, dueBox) },
      t('supervise.inspectors.due_list', { name: i.display_name })))));
  box.replaceChildren(
    el('h2', {}, t('supervise.inspectors.heading')),
    inspectors.length ? el('table', { class: 'inspectors' },
      el('thead', {}, el('tr', {}, ...['inspector', 'establishments', 'due_30', 'overdue', null]
        .map((h) => el('th', { scope: 'col' }, h ? t(`supervise.inspectors.col.${h}`) : '')))),
      el('tbody', {}, ...rows)) : el('p', {}, t('supervise.inspectors.none')));
}

// The due list shown (of which inspector), shown again after each assignment.
let dueShown = null;

async function showDue(inspector, box) {
  dueShown = inspector.id;
  box.replaceChildren(el('p', { class: 'status', role: 'status' }, t('common.loading')));
  const res = await api('GET', `/api/v1/inspector/due?inspector=${inspector.id}&days=30`);
  if (res.status !== 200) { box.replaceChildren(el('p', { class: 'status', role: 'alert' }, problemText(res, 'supervise.error.due'))); return; }
  const items = res.data.items;
  const overdue = items.filter((i) => i.overdue).length;
  box.replaceChildren(
    el('h2', { id: 'due-title' }, t('supervise.inspectors.due_list', { name: inspector.display_name })),
    el('p', {}, t('supervise.due.summary', { n: items.length, overdue })),
    ...(items.length ? [el('ol', { class: 'due-list', 'aria-labelledby': 'due-title' }, ...items.map((i) => el('li', { class: i.overdue ? 'due due-overdue' : 'due' },
      tParts('supervise.due.item', {
        name: el('strong', { translate: 'no' }, i.establishment.name),
        licence: el('span', { translate: 'no' }, i.establishment.licence_number),
        risk: i.establishment.risk_category || '—', reason: reasonText(i.reason), due: dueText(i),
      }))))] : []));
}

function worklistForm(onQuery) {
  const area = el('input', { id: 'area', maxlength: 64, placeholder: t('supervise.filter.area_placeholder') });
  const risks = ['A', 'B', 'C', 'D', 'E'].map((r) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'risk', value: r }), ` ${r}`));
  const days = el('input', { id: 'days', type: 'number', min: 0, max: 366, value: 60 });
  const unassigned = el('input', { id: 'unassigned', type: 'checkbox' });
  const form = el('form', { class: 'fields worklist-filters' },
    el('div', {}, el('label', { for: 'area' }, t('supervise.filter.area')), area),
    el('fieldset', {}, el('legend', {}, t('supervise.filter.risk')), ...risks),
    el('div', {}, el('label', { for: 'days' }, t('supervise.filter.days')), days),
    el('div', {}, el('label', { class: 'check' }, unassigned, ' ', t('supervise.filter.unassigned'))),
    el('div', {}, el('button', { type: 'submit', class: 'primary' }, t('supervise.filter.show'))));
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
  const pick = el('select', { 'aria-label': t('supervise.assign.pick', { name: e.name }) },
    el('option', { value: '' }, t('supervise.assign.choose')),
    ...inspectors.map((i) => el('option', { value: i.id, selected: item.inspector?.id === i.id, translate: 'no' }, i.display_name)));
  const status = el('p', { class: 'field-error', role: 'alert' });
  const assign = el('button', { type: 'button', class: 'secondary', onclick: async () => {
    status.textContent = '';
    if (!pick.value) { status.textContent = t('supervise.assign.choose_first'); return; }
    const res = await api('PUT', `/api/v1/establishments/${e.id}/inspector`, { inspector_id: Number(pick.value) });
    if (res.status !== 200) { status.textContent = problemText(res, 'supervise.error.assign'); return; }
    refresh();
  } }, t('supervise.assign.button', { name: e.name }));
  return el('tr', { 'data-establishment': e.id },
    el('th', { scope: 'row' }, el('span', { translate: 'no' }, e.name), el('br'),
      el('span', { class: 'muted' }, t('supervise.worklist.licence', { licence: e.licence_number }))),
    el('td', { translate: 'no' }, [e.address?.city, e.address?.postcode].filter(Boolean).join(' ') || '—'),
    el('td', {}, e.risk_category || '—'),
    el('td', {}, dueText(item)),
    el('td', { class: 'assignee' }, item.inspector ? el('span', { translate: 'no' }, item.inspector.display_name) : el('em', {}, t('supervise.worklist.nobody'))),
    el('td', {}, pick, assign, status));
}

async function start(session) {
  const me = session.user;
  document.getElementById('who').replaceChildren(el('span', { translate: 'no' }, me.display_name), ' · ',
    el('button', { type: 'button', class: 'secondary', onclick: async () => { await signOut(); location.reload(); } }, t('supervise.sign_out')));
  if (!ROLES.includes(me.role)) {
    const [href, what] = ELSEWHERE[me.role] || ['/', 'supervise.elsewhere.public'];
    app.replaceChildren(el('p', {}, tParts('supervise.refused', { link: el('a', { href }, t(what)) })));
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
    if (res.status !== 200) { listBox.replaceChildren(el('p', { class: 'field-error', role: 'alert' }, problemText(res, 'supervise.error.worklist'))); return; }
    const items = res.data.items;
    listBox.replaceChildren(
      el('h2', {}, t('supervise.worklist.heading')),
      el('p', {}, t('supervise.worklist.count', { n: items.length })),
      items.length ? el('table', { class: 'worklist-table' },
        el('thead', {}, el('tr', {}, ...['establishment', 'area', 'risk', 'due', 'inspector', 'assign'].map((h) => el('th', { scope: 'col' }, t(`supervise.worklist.col.${h}`))))),
        el('tbody', {}, ...items.map((i) => worklistRow(i, refresh)))) : el('p', {}, t('supervise.worklist.none')));
  };
  app.replaceChildren(inspectorsBox, dueBox,
    el('h2', {}, t('supervise.worklist.find')), worklistForm((q) => { last = q; refresh(); }), listBox);
  try { await refresh(); } catch (e) { app.prepend(el('p', { class: 'field-error', role: 'alert' }, e.message)); }
}

await i18nInit(['supervise', 'signin']);
const session = await currentSession();
if (session) start(session);
else mountSignIn(app, start);
