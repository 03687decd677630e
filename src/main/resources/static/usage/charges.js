// Charges: the account's decisions (SPEC 9, usage-decisions), newest first, a page at a time; each opens to the lots
// it drew from and its price breakdown. A reversed charge says so.
import { page, accountPath } from './api.js';
import { t, nodes, named, money, moneyEl, exact, isPositive, timeEl, el } from './usage-text.js';
import { logAnchor } from './credits.js';

const $ = (id) => document.getElementById(id);
/** Charges read per page. */
const PAGE = 20;
let next = null;
let lotsById = new Map();

/** The first page of the period's charges (every product). */
export async function loadCharges(period, lots) {
  lotsById = new Map(lots.map((l) => [l.lotId, l]));
  const first = await page(accountPath('/usage-decisions', { from: period.from.toISOString(),
    to: period.to.toISOString(), limit: PAGE }));
  $('charges-list').replaceChildren();
  show(first);
  $('charges').hidden = false;
}

export async function moreCharges() {
  if (next) show(await page(next));
}

function show(answer) {
  next = answer.next;
  $('charges-list').append(...answer.body.map(item));
  $('charges-empty').hidden = $('charges-list').children.length > 0;
  $('charges-more').hidden = !next;
}

function outcome(d) {
  if (d.status === 'CHARGED') return moneyEl(d.charged);
  return el('span', { className: 'muted' }, named('reason', d.reason));
}

function item(d) {
  const reversed = Boolean(d.reversal);
  const summary = el('summary', {},
    el('span', { className: 'when' }, timeEl(d.occurredAt)),
    el('span', { className: 'what' }, [named('product', d.product), named('feature', d.feature), d.model]
      .filter(Boolean).join(' · ')),
    el('span', { className: 'cost', 'data-field': 'outcome' }, outcome(d),
      reversed ? el('span', { className: 'badge', 'data-field': 'reversed' }, t('charges.reversed')) : null));
  const body = [el('p', { className: 'small' }, t('charges.exact', { amount: exact(d.charged) }))];
  if (isPositive(d.shortfall || '0')) body.push(el('p', { className: 'small' },
    t('charges.shortfall', { amount: money(d.shortfall) })));
  body.push(el('h4', {}, t('charges.drewFrom')), allocations(d.allocations || []));
  body.push(el('h4', {}, t('charges.price')), price(d.price));
  if (reversed) {
    body.push(el('p', { className: 'changed', 'data-field': 'reversal' }, nodes('charges.reversedAt', {
      at: timeEl(d.reversal.at), amount: money(d.reversal.reversed) })));
  }
  return el('li', { 'data-request': d.requestId, 'data-status': d.status, className: reversed ? 'reversed' : null },
    el('details', {}, summary, el('div', { className: 'detail' }, body)));
}

function allocations(list) {
  if (!list.length) return el('p', { className: 'muted small' }, t('charges.noLots'));
  return el('ul', { className: 'allocations' }, list.map((a) => {
    const lot = lotsById.get(a.lotId);
    const what = named('type', a.type) + (lot && lot.plan ? ' · ' + named('plan', lot.plan)
      : lot && lot.reason ? ' · ' + lot.reason : '');
    return el('li', { 'data-lot': a.lotId }, el('a', { href: '#' + logAnchor(a.lotId) }, what), ': ',
      moneyEl(a.amount, { 'data-field': 'allocation' }), ' ', el('span', { className: 'muted small' },
        '(' + exact(a.amount) + ')'));
  }));
}

function price(p) {
  if (!p) return el('p', { className: 'muted small' }, t('charges.price.none'));
  const parts = [t('charges.price.tokens', { input: p.inputTokens.toLocaleString(),
    cached: p.cachedInputTokens.toLocaleString(), output: p.outputTokens.toLocaleString() }),
  t('charges.price.rates', { input: String(p.inputRate), cached: String(p.cachedInputRate),
    output: String(p.outputRate) })];
  if (String(p.multiplier) !== '1') parts.push(t('charges.price.multiplier', { multiplier: String(p.multiplier) }));
  if (p.minimumApplied) parts.push(t('charges.price.minimum', { minimum: exact(p.minimum) }));
  return el('p', { className: 'small', 'data-field': 'price' }, parts.join(', ') + ' = ' + exact(p.credits));
}
