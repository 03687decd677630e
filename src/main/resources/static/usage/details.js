// Usage details of a period: the listed products' groups with their total, the other products in one line, all
// products' total, and the chart: every day of the period (zeros included), the running total and the plan's allowance.
import { t, named, list, language, money, moneyEl, sum, dayText, el } from './usage-text.js';
import { localDate } from './address.js';

const $ = (id) => document.getElementById(id);
const COUNTS = ['calls', 'charged', 'exempt', 'insufficient'];

function label(by, key) {
  return by === 'product' || by === 'feature' ? named(by, key) : key;
}

/** The listed products' groups, a total row, then the line of the other products and the line of all products. */
export function renderUsage(summary, everyProduct, listed, others) {
  const by = summary.groupBy;
  $('usage-key-head').textContent = t('usage.group.' + by);
  const groups = summary.groups || [];
  $('usage-empty').hidden = groups.length > 0;
  $('usage-table').hidden = groups.length === 0;
  $('usage-table').tBodies[0].replaceChildren(...groups.map((g) => row(label(by, g.key), g, { 'data-key': g.key })));
  const total = { creditsCharged: sum(groups.map((g) => g.creditsCharged)) };
  COUNTS.forEach((c) => { total[c] = groups.reduce((a, g) => a + g[c], 0); });
  $('usage-table').tFoot.replaceChildren(row(t('usage.total'), total, { className: 'sum', 'data-total': 'listed' }));

  const rest = (everyProduct.groups || []).filter((g) => !listed.includes(g.key));
  const restCredits = sum(rest.map((g) => g.creditsCharged));
  const restCalls = rest.reduce((a, g) => a + g.calls, 0);
  const names = list(others.map((p) => named('product', p)));
  $('usage-other').hidden = others.length === 0;
  $('usage-other').dataset.amount = restCredits;
  const calls = t('usage.calls.' + new Intl.PluralRules(language()).select(restCalls), { n: String(restCalls) });
  $('usage-other').textContent = restCalls ? t('usage.other', { products: names, calls, credits: money(restCredits) })
    : t('usage.other.none', { products: names });
  const all = sum([total.creditsCharged, restCredits]);
  $('usage-all').dataset.amount = all;
  $('usage-all').textContent = t('usage.all', { credits: money(all) });
}

function row(name, g, attrs) {
  return el('tr', attrs, el('th', { scope: 'row', text: name }),
    COUNTS.map((c) => el('td', { className: 'num', 'data-field': c, 'data-label': t('usage.' + c),
      text: g[c].toLocaleString() })),
    el('td', { className: 'num', 'data-field': 'credits', 'data-label': t('usage.credits') },
      moneyEl(g.creditsCharged)));
}

/** Every calendar day (in the browser's zone) from {@code from} up to {@code to}, excluded: [{key, date}]. */
export function daysOf(from, to) {
  const days = [];
  for (let d = new Date(from.getFullYear(), from.getMonth(), from.getDate()); d < to;
    d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1)) {
    days.push({ key: localDate(d), date: d });
  }
  return days;
}

let chart = null;

/** Bars per day (zero where nothing was used), the running total, and the allowance of the plan's cycle if any. */
export function drawChart(byDay, period, allowance) {
  const days = daysOf(period.from, period.to);
  const used = new Map((byDay.groups || []).map((g) => [g.key, g.creditsCharged]));
  const daily = days.map((d) => used.get(d.key) || '0');
  let running = '0';
  const cumulative = daily.map((v) => { running = sum([running, v]); return running; });
  const canvas = $('usage-chart');
  canvas.setAttribute('aria-label', t('chart.label', { from: dayText(days[0].date),
    to: dayText(days[days.length - 1].date), days: String(days.length), total: money(running) }));
  canvas.dataset.days = days.map((d) => d.key).join(',');
  const datasets = [
    { type: 'bar', label: t('chart.used'), data: daily.map(Number), backgroundColor: '#2456c7', order: 2 },
    { type: 'line', label: t('chart.cumulative'), data: cumulative.map(Number), borderColor: '#8a4b00',
      backgroundColor: '#8a4b00', pointRadius: 2, borderWidth: 2, order: 1 }];
  if (allowance) {
    datasets.push({ type: 'line', label: t('chart.allowance', { amount: money(allowance) }),
      data: days.map(() => Number(allowance)), borderColor: '#1a7f37', backgroundColor: '#1a7f37',
      borderDash: [6, 4], pointRadius: 0, borderWidth: 2, order: 0 });
  }
  if (chart) chart.destroy();
  chart = new window.Chart(canvas, {
    data: { labels: days.map((d) => dayText(d.date)), datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: { ticks: { maxRotation: 0, autoSkip: true } }, y: { beginAtZero: true } },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + money(c.raw) } }
      }
    }
  });
}
