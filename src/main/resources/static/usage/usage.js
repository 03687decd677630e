// The Usage page (issues 16 and 30). Reads one account through the HTTP API, with the viewer token of its link
// (/usage?token=cpv_...) or an operator key typed into the support form. The address keeps what the customer chose
// (lang, period or from/to, group) so a reload or a shared link shows the same. Nothing from another origin.
import { session, ApiError, api, page, accountPath, decodeToken, isViewer } from './api.js';
import { t, nodes, named, list, language, useLanguage, timeEl, offsetOf, ZONE } from './usage-text.js';
import { renderPlan, renderCard, renderLots, renderLog, moreLog, renderChanges } from './credits.js';
import { renderUsage, drawChart } from './details.js';
import { loadCharges, moreCharges } from './charges.js';
import { localDate, localDateTime, startOfLocalDay, dayAfter, writeAddress, readAddress } from './address.js';
import { setState, showMessage, showSignin, explain, expired } from './messages.js';

const $ = (id) => document.getElementById(id);
const DAY_MS = 86400000;
const REALM_LANGUAGE = { QODER_CN: 'zh-CN', QODER: 'en' };
/** Lots read at once: as many as an account may hold active (credits.limits.active-lots' default). */
const LOTS_READ = 1000;
/** Credits log entries read at a time ("Show more" reads the next ones). */
const LOG_PAGE = 100;

const state = {
  at: null,           // Date: the instant the card and lots are read at (support's "As of", or at= in the link)
  lang: null,         // the language chosen (lang= or the switch); null: the account's realm decides
  period: null,       // {from: Date, to: Date, preset: 'cycle' | '7' | '30' | null}
  settings: null,
  subscription: null,
  lots: []
};

// ---- periods -------------------------------------------------------------------------------------------------
function presetPeriod(preset) {
  const sub = state.subscription;
  if (preset === 'cycle' && sub && sub.cycle) {
    return { from: new Date(sub.cycle.start), to: new Date(sub.cycle.endsAt), preset };
  }
  const days = preset === '7' ? 7 : 30;
  const to = dayAfter(state.at || new Date());
  return { from: new Date(to.getFullYear(), to.getMonth(), to.getDate() - days), to, preset: String(days) };
}

async function loadUsage() {
  const p = state.period;
  $('period-from').value = localDate(p.from);
  $('period-to').value = localDate(new Date(p.to.getTime() - 1));
  const listed = state.settings.products;
  const range = { from: p.from.toISOString(), to: p.to.toISOString(), zone: ZONE };
  const [summary, everyProduct, byDay] = await Promise.all([
    api(accountPath('/usage', Object.assign({ groupBy: $('period-group').value, products: listed.join(',') }, range))),
    api(accountPath('/usage', Object.assign({ groupBy: 'product' }, range))),
    api(accountPath('/usage', Object.assign({ groupBy: 'day' }, range)))]);
  renderUsage(summary, everyProduct, listed, state.settings.otherProducts);
  const cycleLot = state.subscription.cycle && state.lots.find((l) => l.lotId === state.subscription.cycle.lotId);
  drawChart(byDay, p, cycleLot ? cycleLot.amount : null);
  $('usage-period').replaceChildren(...nodes('usage.period', { from: timeEl(p.from.toISOString()),
    to: timeEl(p.to.toISOString()) }));
  $('usage-period').dataset.from = p.from.toISOString();
  $('usage-period').dataset.to = p.to.toISOString();
  writeAddress(state);
  await loadCharges(p, state.lots);
}

// ---- loading -------------------------------------------------------------------------------------------------
async function run(work) {
  $('message').hidden = true;
  setState('loading');
  try {
    if (session.tokenExpiresAt && session.tokenExpiresAt <= new Date()) {
      expired();
      return;
    }
    await work();
    setState('ready');
  } catch (e) {
    if (!(e instanceof ApiError)) console.error(e);
    explain(e instanceof ApiError ? e : new ApiError('server', 0));
  }
}

async function readSettings() {
  try {
    const r = await fetch('/usage/settings', { cache: 'no-store' });
    if (r.ok) return r.json();
    throw new ApiError('server', r.status);
  } catch (e) {
    throw e instanceof ApiError ? e : new ApiError('unreachable', 0);
  }
}

async function load() {
  await run(async () => {
    const at = state.at ? state.at.toISOString() : null;
    const [settings, sub, balance, lots, logPage] = await Promise.all([readSettings(),
      api(accountPath('/subscription', { at })), api(accountPath('/balance', { at })),
      api(accountPath('/lots', { at, limit: LOTS_READ })), page(accountPath('/credits-log', { limit: LOG_PAGE }))]);
    Object.assign(state, { settings, subscription: sub, lots });
    const lang = state.lang || REALM_LANGUAGE[sub.realm] || 'en';
    if (lang !== language()) await useLanguage(lang);
    showLanguageSwitch();
    $('account-line').textContent = t('page.account', { account: sub.accountId }) + ' · ' + named('realm', sub.realm);
    $('usage-products').textContent = t('usage.products', { products: list(settings.products
      .map((p) => named('product', p))) });
    renderPlan(sub);
    renderCard(balance, sub);
    renderLots(lots, balance, state.at || new Date());
    renderLog(logPage, lots, sub);
    renderChanges(sub);
    $('card-empty').hidden = logPage.body.length > 0;
    $('preset-cycle').disabled = !sub.cycle;
    if (!state.period || state.period.preset) state.period = presetPeriod(state.period ? state.period.preset : 'cycle');
    $('asof').hidden = isViewer(); // support's time travel: an operator key only
    $('signin').hidden = true;
    $('content').hidden = false;
    await loadUsage();
  });
}

function showLanguageSwitch() {
  const other = language() === 'en' ? 'zh-CN' : 'en';
  const b = $('lang-switch');
  b.textContent = t('lang.switch');
  b.lang = other;
  b.setAttribute('aria-label', t('lang.switch.label'));
  b.dataset.to = other;
  b.hidden = false;
  $('zone-line').textContent = t('page.zone', { zone: ZONE, offset: offsetOf(new Date()) });
}

function wire() {
  $('message-retry').addEventListener('click', load);
  $('lang-switch').addEventListener('click', async () => {
    state.lang = $('lang-switch').dataset.to;
    await useLanguage(state.lang);
    writeAddress(state);
    load();
  });
  $('signin').addEventListener('submit', (e) => {
    e.preventDefault();
    session.auth = $('signin-key').value.trim();
    session.account = $('signin-account').value.trim();
    const url = new URL(location.href);
    url.searchParams.set('account', session.account);
    history.replaceState(null, '', url);
    load();
  });
  $('asof').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = $('asof-input').value;
    state.at = v ? new Date(v) : null;
    if (state.period && state.period.preset) state.period = { preset: state.period.preset };
    load();
  });
  $('asof-now').addEventListener('click', () => {
    state.at = null;
    $('asof-input').value = localDateTime(new Date());
    load();
  });
  $('period').addEventListener('submit', (e) => {
    e.preventDefault();
    const from = startOfLocalDay($('period-from').value);
    const to = startOfLocalDay($('period-to').value);
    if (!from || !to || from > to) {
      $('usage-period').textContent = t('usage.period.bad');
      return;
    }
    state.period = { from, to: dayAfter(to), preset: null };
    run(loadUsage);
  });
  document.querySelectorAll('[data-preset]').forEach((b) => b.addEventListener('click', () => {
    state.period = presetPeriod(b.dataset.preset);
    run(loadUsage);
  }));
  $('period-group').addEventListener('change', () => run(loadUsage));
  $('charges-more').addEventListener('click', () => run(moreCharges));
  $('log-more').addEventListener('click', () => run(moreLog));
}

async function start() {
  const params = new URLSearchParams(location.search);
  readAddress(state, params);
  const browser = (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  await useLanguage(state.lang || browser);
  wire();
  $('asof-input').value = localDateTime(state.at || new Date());
  const token = params.get('token');
  if (token) {
    const viewer = decodeToken(token);
    if (!viewer) {
      showMessage(t('msg.invalid.title'), t('msg.invalid.text'));
      setState('error');
      return;
    }
    Object.assign(session, { auth: token, account: viewer.account, tokenExpiresAt: viewer.expiresAt });
    load();
    return;
  }
  session.account = params.get('account');
  showSignin();
  showMessage(t('msg.signin.title'), t('msg.signin.text'));
  setState('signin');
}

start();
