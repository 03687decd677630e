// The account's credits: plan, the Credits card, each lot with what is left, the Credits log and the plan changes.
import { page } from './api.js';
import { t, nodes, named, money, moneyEl, sum, isPositive, timeEl, el } from './usage-text.js';

const $ = (id) => document.getElementById(id);
const TYPES = ['PLAN', 'ADDON'];
/** Expired lots stay listed this long after their expiry (then the Credits log alone tells of them). */
const EXPIRED_SHOWN_MS = 31 * 86400000;

export function renderPlan(sub) {
  $('plan-name').textContent = named('plan', sub.plan);
  $('plan-name').dataset.plan = sub.plan;
  const cycle = $('plan-cycle');
  if (!sub.cycle) {
    cycle.replaceChildren(t('plan.noCycle'));
    return;
  }
  const parts = nodes('plan.cycle.range', { start: timeEl(sub.cycle.start), end: timeEl(sub.cycle.end) });
  if (new Date(sub.cycle.endsAt) < new Date(sub.cycle.end)) {
    parts.push(' ', el('span', { className: 'changed' }, nodes('plan.cycle.early', { at: timeEl(sub.cycle.endsAt) })));
  }
  cycle.replaceChildren(...parts);
}

export function renderCard(balance, sub) {
  $('card-total').replaceChildren(moneyEl(balance.total));
  $('card-types').tBodies[0].replaceChildren(...TYPES.map((type) => {
    const soonest = sub.soonestExpiry && sub.soonestExpiry[type];
    const expiry = soonest
      ? el('td', { 'data-expires': soonest.expiresAt }, timeEl(soonest.expiresAt), ' ',
        el('span', { className: 'muted small' }, t('card.expireThen', { amount: money(soonest.amount) })))
      : el('td', { className: 'muted' }, '—');
    return el('tr', { 'data-type': type }, el('th', { scope: 'row', text: named('type', type) }),
      el('td', { className: 'num' }, moneyEl(balance.byType[type])), expiry);
  }));
  $('card-held').hidden = !isPositive(balance.held);
  $('card-held-amount').replaceChildren(moneyEl(balance.held));
  $('card-at').replaceChildren(...nodes('card.at', { at: timeEl(balance.at) }));
  renderRunway(balance.runway);
}

/**
 * The runway line (issue 28 adds {@code runway} to the balance read: {burnPerDay, depletesAt, expiringUnused:
 * [{lotId, expiresAt, amount}]}, null when nothing was charged over the last 7 days): when credits run out at that
 * rate, and how many would expire unused. Without it the line stays hidden.
 */
function renderRunway(runway) {
  const line = $('card-runway');
  line.hidden = !runway;
  if (!runway) return;
  const parts = runway.depletesAt ? nodes('card.runway', { at: timeEl(runway.depletesAt) }) : [t('card.runway.none')];
  const unused = sum((runway.expiringUnused || []).map((e) => e.amount));
  if (isPositive(unused)) parts.push(' ', t('card.runway.expiring', { amount: money(unused) }));
  line.replaceChildren(...parts);
}

function lotStatus(lot, at) {
  if (new Date(lot.expiresAt) <= at) return 'EXPIRED';
  if (new Date(lot.effectiveAt) > at) return 'UPCOMING';
  return isPositive(lot.remaining) ? 'ACTIVE' : 'USED_UP';
}

function lotName(lot) {
  const what = lot.plan ? named('plan', lot.plan) : lot.reason;
  return named('source', lot.source) + (what ? ' · ' + what : '');
}

/** The lot's line in the Credits log (its entry's id). */
export function logAnchor(lotId) {
  return 'log-' + lotId;
}

/**
 * Each lot with what it granted, what was used, what is left and its actual expiry (linked to its Credits log entry),
 * plan lots then add-on lots (the usage split by credit type), each type's subtotal and the total. Left is the lot's
 * remaining (open holds' part included, as the note under the table says); an expired lot has nothing left.
 */
export function renderLots(lots, balance, at) {
  const shown = lots.filter((l) => at - new Date(l.expiresAt) < EXPIRED_SHOWN_MS)
    .map((l) => Object.assign({ status: lotStatus(l, at) }, l));
  $('lots-empty').hidden = shown.length > 0;
  $('lots-table').hidden = shown.length === 0;
  const rows = [];
  const subtotals = [];
  TYPES.forEach((type) => {
    const ofType = shown.filter((l) => l.type === type)
      .sort((a, b) => new Date(a.expiresAt) - new Date(b.expiresAt) || a.lotId.localeCompare(b.lotId));
    if (!ofType.length) return;
    ofType.forEach((l) => rows.push(lotRow(l)));
    const total = totals(ofType);
    subtotals.push(total);
    rows.push(totalRow(t('lots.subtotal', { type: named('type', type) }), total, { 'data-subtotal': type }));
  });
  $('lots-table').tBodies[0].replaceChildren(...rows);
  const all = { granted: sum(subtotals.map((s) => s.granted)), used: sum(subtotals.map((s) => s.used)),
    left: sum(subtotals.map((s) => s.left)) };
  $('lots-table').tFoot.replaceChildren(totalRow(t('lots.total'), all, { 'data-total': 'all' }));
  $('lots-held').hidden = !isPositive(balance.held);
  $('lots-held').replaceChildren(t('lots.heldNote', { held: money(balance.held), available: money(balance.total) }));
}

function used(l) {
  return sum([l.amount, '-' + l.remaining, '-' + (l.voided || '0')]);
}

function totals(lots) {
  return { granted: sum(lots.map((l) => l.amount)), used: sum(lots.map(used)),
    left: sum(lots.map((l) => (l.status === 'EXPIRED' ? '0' : l.remaining))) };
}

function lotRow(l) {
  const expired = l.status === 'EXPIRED';
  const notes = [t('lots.status.' + l.status)];
  if (expired && isPositive(l.remaining)) notes.push(t('lots.expiredUnused', { amount: money(l.remaining) }));
  if (l.voided && isPositive(l.voided)) notes.push(t('lots.voided', { amount: money(l.voided) }));
  const link = el('a', { href: '#' + logAnchor(l.lotId), title: t('lots.logLink') }, timeEl(l.expiresAt));
  return el('tr', { 'data-lot': l.lotId, 'data-type': l.type, 'data-status': l.status },
    el('th', { scope: 'row' }, lotName(l), el('br'), el('span', { className: 'muted small' }, notes.join(' · '))),
    el('td', { className: 'num', 'data-label': t('lots.granted'), 'data-field': 'granted' }, moneyEl(l.amount)),
    el('td', { className: 'num', 'data-label': t('lots.used'), 'data-field': 'used' }, moneyEl(used(l))),
    el('td', { className: 'num', 'data-label': t('lots.left'), 'data-field': 'left' },
      moneyEl(expired ? '0' : l.remaining)),
    el('td', { 'data-label': t('lots.expires'), 'data-field': 'expires', 'data-expires': l.expiresAt }, link));
}

function totalRow(label, total, attrs) {
  return el('tr', Object.assign({ className: 'sum' }, attrs), el('th', { scope: 'row', text: label }),
    el('td', { className: 'num', 'data-label': t('lots.granted'), 'data-field': 'granted' }, moneyEl(total.granted)),
    el('td', { className: 'num', 'data-label': t('lots.used'), 'data-field': 'used' }, moneyEl(total.used)),
    el('td', { className: 'num', 'data-label': t('lots.left'), 'data-field': 'left' }, moneyEl(total.left)),
    el('td', { className: 'empty-cell' }));
}

function expiryReason(lotId, sub) {
  const changes = (sub.expiryChanges || []).filter((c) => c.lotId === lotId);
  if (!changes.length) return t('log.changed');
  const c = changes[changes.length - 1];
  const change = (sub.planChanges || []).find((p) => p.id === c.planChangeId);
  if (change) {
    const link = el('a', { href: '#plan-change-' + change.id }, changeName(change));
    return el('span', { className: 'why' }, nodes('log.shortened', { change: link, at: timeEl(change.at) }));
  }
  // a void's cause is 'VOID: <reason>' (no plan change behind it); the reason is the operator's text
  return c.cause.startsWith('VOID: ') ? t('log.voided', { reason: c.cause.slice(6) }) : t('log.changed');
}

function changeName(change) {
  return t('log.changeName', { kind: named('kind', change.kind), from: named('plan', change.fromPlan),
    to: named('plan', change.toPlan) });
}

let logNext = null;
let logContext = null;

/** The first page of the Credits log (an answer of page(): body and next). */
export function renderLog(answer, lots, sub) {
  logContext = { byId: new Map(lots.map((l) => [l.lotId, l])), sub };
  $('log-list').replaceChildren();
  showLog(answer);
}

export async function moreLog() {
  if (logNext) showLog(await page(logNext));
}

function showLog(answer) {
  logNext = answer.next;
  $('log-list').append(...answer.body.map(logEntry));
  $('log-empty').hidden = $('log-list').children.length > 0;
  $('log-more').hidden = !logNext;
}

function logEntry(entry) {
  const lot = logContext.byId.get(entry.lotId);
  const reason = lot && lot.plan ? t('log.planReason', { plan: named('plan', lot.plan) }) : entry.reason;
  const fields = [
    ['reason', t('log.reason'), reason],
    ['amount', t('log.amount'), moneyEl(entry.amount)],
    ['effective', t('log.effective'), timeEl(entry.effectiveAt)],
    ['initial-expiry', t('log.firstExpiry'), timeEl(entry.initialExpiresAt)]
  ];
  const actual = lot && lot.expiresAt;
  if (actual && new Date(actual).getTime() !== new Date(entry.initialExpiresAt).getTime()) {
    fields.push(['actual-expiry', t('log.actualExpiry'),
      el('span', { className: 'changed' }, timeEl(actual), el('br'), expiryReason(entry.lotId, logContext.sub))]);
  }
  const dl = el('dl', { className: 'pairs' });
  fields.forEach(([field, label, value]) => {
    dl.append(el('dt', { text: label }), el('dd', { 'data-field': field,
      'data-expires': field === 'actual-expiry' ? actual : null }, value));
  });
  return el('li', { id: logAnchor(entry.lotId), tabindex: '-1', 'data-lot': entry.lotId, 'data-type': entry.type },
    el('h3', { text: named('source', entry.type) }), dl);
}

export function renderChanges(sub) {
  const changes = sub.planChanges || [];
  $('changes').hidden = changes.length === 0;
  $('changes-list').replaceChildren(...changes.map((c) => {
    const moved = (sub.expiryChanges || []).filter((e) => e.planChangeId === c.id);
    const li = el('li', { id: 'plan-change-' + c.id, tabindex: '-1' }, el('p', {}, nodes('changes.item', {
      kind: named('kind', c.kind), from: named('plan', c.fromPlan), to: named('plan', c.toPlan), at: timeEl(c.at) })));
    li.append(moved.length
      ? el('ul', {}, moved.map((e) => el('li', {}, nodes('changes.moved', { lot: e.lotId,
        from: timeEl(e.oldExpiresAt), to: timeEl(e.newExpiresAt) }))))
      : el('p', { className: 'muted small', text: t('changes.none') }));
    return li;
  }));
}
