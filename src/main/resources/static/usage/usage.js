// The Usage page (issue 16). Reads one account through the HTTP API, with the viewer token of its link
// (/usage?token=cpv_...) or an operator key typed into the support form, and draws the Credits card, usage details
// (table and SVG bar chart) and the Credits log. No framework, nothing from another origin.
'use strict';

(function () {
  const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const DAY_MS = 86400000;
  const NAMES = {
    PLAN: 'Plan credits', ADDON: 'Add-on credits',
    PLAN_CREDITS: 'Plan credits', CREDIT_PURCHASE: 'Credit pack', PROMOTION: 'Promotion',
    PERSONAL_COMMUNITY: 'Personal Community', PERSONAL_PRO: 'Personal Pro',
    ENTERPRISE_TEAMS: 'Enterprise Teams', ENTERPRISE_VPC: 'Enterprise VPC',
    IDE: 'IDE', JETBRAINS: 'JetBrains', QODERWORK: 'QoderWork', CLI: 'CLI', MOBILE: 'Mobile',
    UPGRADE: 'Upgrade', DOWNGRADE: 'Downgrade'
  };
  const GROUP_HEADS = { product: 'Product', feature: 'Feature', model: 'Model', day: 'Day' };

  const state = {
    auth: null,        // the bearer secret: a viewer token or an operator key
    account: null,
    tokenExpiresAt: null,
    at: null,          // Date: the instant the card and log are read at; null = now
    products: [],
    subscription: null,
    period: null,      // {from: Date, to: Date, preset}
    summary: null      // the usage details last read
  };

  const $ = (id) => document.getElementById(id);

  // ---- numbers: the API's amounts are exact decimals with 4 places; keep them as the text the API sent -------------
  function parseJson(text) {
    return JSON.parse(text, function (key, value, context) {
      if (typeof value === 'number' && context && typeof context.source === 'string' && /[.eE]/.test(context.source)) {
        return context.source; // exact, never through a binary double
      }
      return value;
    });
  }

  const DECIMAL = (1.5).toLocaleString(undefined).charAt(1);

  /** "79.5000" -> "79.5000" in the browser's grouping: always 4 decimals, the API's rule. */
  function amount(value) {
    let text = typeof value === 'number' ? value.toFixed(4) : String(value);
    const negative = text.startsWith('-');
    if (negative) text = text.slice(1);
    let [whole, fraction = ''] = text.split('.');
    fraction = (fraction + '0000').slice(0, 4);
    const grouped = BigInt(whole).toLocaleString(undefined);
    return (negative ? '-' : '') + grouped + DECIMAL + fraction;
  }

  function amountNumber(value) {
    return Number(value);
  }

  // ---- times: in the browser's zone, with the offset shown -----------------------------------------------------
  const TIME_FORMAT = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23', timeZoneName: 'longOffset'
  });

  function offsetOf(date) {
    const part = TIME_FORMAT.formatToParts(date).find((p) => p.type === 'timeZoneName');
    const name = part ? part.value : 'GMT';
    return name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
  }

  function timeText(date) {
    const p = {};
    TIME_FORMAT.formatToParts(date).forEach((x) => { p[x.type] = x.value; });
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ' ' + offsetOf(date);
  }

  /** A <time> element: the instant as the API sent it in datetime, local time with its offset as text. */
  function timeElement(iso) {
    const t = document.createElement('time');
    t.dateTime = iso;
    t.textContent = timeText(new Date(iso));
    return t;
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  function localDate(date) {
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
  }

  function localDateTime(date) {
    return localDate(date) + 'T' + pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  }

  function startOfLocalDay(text) {
    const [y, m, d] = text.split('-').map(Number);
    return new Date(y, m - 1, d);
  }

  function name(code) {
    return NAMES[code] || String(code).toLowerCase().split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined) return;
      if (k === 'text') e.textContent = v; else if (k === 'className') e.className = v; else e.setAttribute(k, v);
    });
    children.forEach((c) => { if (c !== null && c !== undefined) e.append(c); });
    return e;
  }

  // ---- the API --------------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(kind, status, problem) {
      super(kind);
      this.kind = kind;       // unreachable, unauthenticated, forbidden, unknown-account, server, other
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(path) {
    let response;
    try {
      response = await fetch(path, {
        headers: { Authorization: 'Bearer ' + state.auth, Accept: 'application/json' },
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'
      });
    } catch (e) {
      throw new ApiError('unreachable', 0, null);
    }
    const text = await response.text();
    let body = null;
    try { body = text ? parseJson(text) : null; } catch (e) { body = null; }
    if (response.ok) return body;
    const slug = body && typeof body.type === 'string' ? body.type.split('/').pop() : null;
    if (response.status === 401) throw new ApiError('unauthenticated', 401, body);
    if (response.status === 403) throw new ApiError('forbidden', 403, body);
    if (response.status === 404 && slug === 'unknown-account') throw new ApiError('unknown-account', 404, body);
    if (response.status >= 500) throw new ApiError('server', response.status, body);
    throw new ApiError('other', response.status, body);
  }

  function accountPath(suffix, params) {
    const q = new URLSearchParams();
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== null && v !== undefined) q.set(k, v); });
    const qs = q.toString();
    return '/v1/accounts/' + encodeURIComponent(state.account) + suffix + (qs ? '?' + qs : '');
  }

  // ---- viewer tokens: cpv_<base64url of "v1|account|expiry seconds">.<signature> -------------------------------
  function decodeToken(token) {
    const m = /^cpv_([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(token);
    if (!m) return null;
    try {
      const b64 = m[1].replace(/-/g, '+').replace(/_/g, '/');
      const bytes = Uint8Array.from(atob(b64 + '==='.slice((b64.length + 3) % 4)), (c) => c.charCodeAt(0));
      const parts = new TextDecoder().decode(bytes).split('|');
      if (parts.length !== 3 || parts[0] !== 'v1') return null;
      return { account: parts[1], expiresAt: new Date(Number(parts[2]) * 1000) };
    } catch (e) {
      return null;
    }
  }

  // ---- messages: each says what to do --------------------------------------------------------------------------
  function showMessage(title, text, retry) {
    $('message-title').textContent = title;
    $('message-text').replaceChildren(...(Array.isArray(text) ? text : [text]));
    $('message-retry').hidden = !retry;
    $('message').hidden = false;
    $('message').dataset.kind = retry ? 'retry' : 'final';
  }

  function hideMessage() {
    $('message').hidden = true;
  }

  function explain(error) {
    const viewer = state.auth && state.auth.startsWith('cpv_');
    if (error.kind === 'unauthenticated' && viewer && state.tokenExpiresAt && state.tokenExpiresAt <= new Date()) {
      return expired();
    }
    $('content').hidden = true;
    switch (error.kind) {
      case 'unauthenticated':
        if (viewer) {
          showMessage('This link is not valid',
            'The link may have been cut short when it was copied. Open Usage again from the website to get a new link.');
        } else {
          showMessage('The key was refused',
            'Check the operator key (it starts with cpk_ and is not revoked) and enter it again.');
          showSignin();
        }
        return;
      case 'forbidden':
        showMessage('This link does not open this account',
          'Open Usage again from the website while signed in to the account you want to see.');
        return;
      case 'unknown-account':
        showMessage('No such account',
          viewer ? 'This account could not be found. Sign in on the website again and reopen Usage; if it '
            + 'persists, contact support.'
            : 'No account "' + state.account + '" in this key\'s realms. Check the account id and try again.');
        if (!viewer) showSignin();
        return;
      case 'unreachable':
      case 'server':
        showMessage('The credits service could not answer',
          (error.kind === 'unreachable' ? 'The service did not answer.'
            : 'The service answered with an error (' + error.status + ').')
          + ' Your credits are not affected. Try again in a minute; if it keeps happening, contact support and '
          + 'mention the time ' + timeText(new Date()) + '.', true);
        return;
      default:
        showMessage('The request was refused',
          ((error.problem && error.problem.detail) || ('status ' + error.status)) + '. Correct it and try again.');
    }
  }

  function expired() {
    $('content').hidden = true;
    const when = timeElement(state.tokenExpiresAt.toISOString());
    showMessage('This link has expired', ['This link was valid until ', when, '. For your security it lasts only a '
      + 'short while. Go back to the website and open Usage again to get a new link.']);
  }

  function showSignin() {
    $('signin').hidden = false;
    if (state.account) $('signin-account').value = state.account;
  }

  // ---- rendering -----------------------------------------------------------------------------------------------
  function renderPlan(sub) {
    $('plan-name').textContent = name(sub.plan);
    $('plan-name').dataset.plan = sub.plan;
    const cycle = $('plan-cycle');
    if (!sub.cycle) {
      cycle.replaceChildren('No cycle in force at this time.');
      return;
    }
    const parts = [timeElement(sub.cycle.start), ' to ', timeElement(sub.cycle.end)];
    if (sub.cycle.endsAt !== sub.cycle.end && new Date(sub.cycle.endsAt) < new Date(sub.cycle.end)) {
      parts.push(el('span', { className: 'changed' }, ' (ends early, at ', timeElement(sub.cycle.endsAt), ')'));
    }
    cycle.replaceChildren(...parts);
    cycle.dataset.start = sub.cycle.start;
    cycle.dataset.end = sub.cycle.end;
  }

  function renderCard(balance, sub) {
    $('card-total').textContent = amount(balance.total);
    $('card-total').dataset.amount = balance.total;
    const rows = ['PLAN', 'ADDON'].map((type) => {
      const soonest = sub.soonestExpiry && sub.soonestExpiry[type];
      const expiry = soonest
        ? el('td', { 'data-expires': soonest.expiresAt }, timeElement(soonest.expiresAt),
          el('span', { className: 'muted small' }, ' (' + amount(soonest.amount) + ' expire then)'))
        : el('td', { className: 'muted' }, '—');
      return el('tr', { 'data-type': type },
        el('th', { scope: 'row', text: name(type) }),
        el('td', { className: 'num amount', 'data-amount': balance.byType[type], text: amount(balance.byType[type]) }),
        expiry);
    });
    $('card-types').tBodies[0].replaceChildren(...rows);
    const held = Number(balance.held) > 0;
    $('card-held').hidden = !held;
    $('card-held-amount').textContent = amount(balance.held);
    $('card-held-amount').dataset.amount = balance.held;
    $('card-at').replaceChildren('As of ', timeElement(balance.at), '. The balance counts credits for every product.');
  }

  function expiryReason(lotId, sub) {
    const changes = (sub.expiryChanges || []).filter((c) => c.lotId === lotId);
    if (!changes.length) return null;
    const c = changes[changes.length - 1];
    const change = (sub.planChanges || []).find((p) => p.id === c.planChangeId);
    if (change) {
      const link = el('a', { href: '#plan-change-' + change.id },
        name(change.kind).toLowerCase() + ' from ' + name(change.fromPlan) + ' to ' + name(change.toPlan));
      return el('span', { className: 'why' }, 'Shortened by the ', link, ' at ', timeElement(change.at),
        el('span', { className: 'muted small' }, ' (rule: ' + c.rule + ')'));
    }
    // a void's cause is 'VOID: <reason>' (no plan change behind it)
    return el('span', { className: 'why' }, c.cause.startsWith('VOID: ') ? 'Voided: ' + c.cause.slice(6) : c.cause);
  }

  function renderLog(log, lots, sub) {
    const byId = new Map(lots.map((l) => [l.lotId, l]));
    $('log-empty').hidden = log.length > 0;
    const items = log.map((entry) => {
      const lot = byId.get(entry.lotId);
      const fields = [
        ['Reason', entry.reason, null],
        ['Amount', amount(entry.amount), { 'data-field': 'amount', 'data-amount': entry.amount, className: 'amount' }],
        ['Effective', timeElement(entry.effectiveAt), { 'data-field': 'effective' }],
        ['Expires (first estimate)', timeElement(entry.initialExpiresAt), { 'data-field': 'initial-expiry' }]
      ];
      const actual = lot && lot.expiresAt;
      const differs = actual && new Date(actual).getTime() !== new Date(entry.initialExpiresAt).getTime();
      if (differs) {
        const why = expiryReason(entry.lotId, sub) || 'Changed after it was acquired.';
        fields.push(['Actual expiry', el('span', {}, timeElement(actual), el('br'), why),
          { 'data-field': 'actual-expiry', 'data-expires': actual, className: 'changed' }]);
      }
      const dl = el('dl', { className: 'pairs' });
      fields.forEach(([label, value, attrs]) => {
        dl.append(el('dt', { text: label }), el('dd', attrs || { 'data-field': label.toLowerCase() }, value));
      });
      return el('li', { 'data-lot': entry.lotId, 'data-type': entry.type },
        el('h3', { text: name(entry.type) }, el('span', { className: 'muted small', text: ' ' + entry.lotId })), dl);
    });
    $('log-list').replaceChildren(...items);
  }

  function renderChanges(sub) {
    const changes = sub.planChanges || [];
    $('changes').hidden = changes.length === 0;
    $('changes-list').replaceChildren(...changes.map((c) => {
      const lots = (sub.expiryChanges || []).filter((e) => e.planChangeId === c.id);
      const li = el('li', { id: 'plan-change-' + c.id, tabindex: '-1' },
        el('strong', { text: name(c.kind) }), ' from ' + name(c.fromPlan) + ' to ' + name(c.toPlan) + ' at ',
        timeElement(c.at));
      if (lots.length) {
        li.append(el('ul', {}, ...lots.map((e) => el('li', {}, 'Lot ' + e.lotId + ': expiry moved from ',
          timeElement(e.oldExpiresAt), ' to ', timeElement(e.newExpiresAt)))));
      } else {
        li.append(el('p', { className: 'muted small', text: 'No lot expiry changed.' }));
      }
      return li;
    }));
  }

  function renderUsage(summary) {
    const by = summary.groupBy;
    $('usage-key-head').textContent = GROUP_HEADS[by] || by;
    const groups = summary.groups || [];
    $('usage-empty').hidden = groups.length > 0;
    $('usage-table').hidden = groups.length === 0;
    const label = labelFor(by);
    $('usage-table').tBodies[0].replaceChildren(...groups.map((g) => el('tr', { 'data-key': g.key },
      el('th', { scope: 'row', text: label(g.key) }),
      el('td', { className: 'num', 'data-field': 'calls', 'data-label': 'Calls', text: String(g.calls) }),
      el('td', { className: 'num', 'data-field': 'charged', 'data-label': 'Charged', text: String(g.charged) }),
      el('td', { className: 'num', 'data-field': 'exempt', 'data-label': 'Exempt', text: String(g.exempt) }),
      el('td', { className: 'num', 'data-field': 'insufficient', 'data-label': 'Insufficient',
        text: String(g.insufficient) }),
      el('td', { className: 'num amount', 'data-field': 'credits', 'data-label': 'Credits used',
        'data-amount': g.creditsCharged, text: amount(g.creditsCharged) }))));
    drawChart(groups, label);
  }

  /** Products and features by their names; models and days as they are. */
  function labelFor(by) {
    return (key) => (by === 'product' || by === 'feature' ? name(key) : key);
  }

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** Horizontal bars of credits used per group, sized to the container so text stays readable on a phone. */
  function drawChart(groups, label) {
    const box = $('usage-chart');
    box.replaceChildren();
    if (!groups.length) return;
    const width = Math.max(200, Math.floor(box.clientWidth || 300));
    const row = 28;
    const labelWidth = Math.min(150, Math.floor(width * 0.32));
    const valueWidth = Math.min(110, Math.floor(width * 0.3));
    const barSpace = width - labelWidth - valueWidth - 8;
    const max = Math.max(...groups.map((g) => amountNumber(g.creditsCharged)), 0);
    const height = groups.length * row + 4;
    const chart = svg('svg', { width: String(width), height: String(height), viewBox: '0 0 ' + width + ' ' + height,
      role: 'img', 'aria-labelledby': 'usage-chart-title' });
    chart.append(svg('title', { id: 'usage-chart-title' }, 'Credits used per ' + $('usage-key-head').textContent
      .toLowerCase() + ': ' + groups.map((g) => label(g.key) + ' ' + amount(g.creditsCharged)).join(', ')));
    groups.forEach((g, i) => {
      const y = i * row + 4;
      const value = amountNumber(g.creditsCharged);
      const w = max > 0 ? Math.max(value > 0 ? 2 : 0, Math.round(barSpace * value / max)) : 0;
      const text = label(g.key);
      chart.append(svg('text', { x: String(labelWidth - 6), y: String(y + 15), 'text-anchor': 'end',
        class: 'chart-label' }, text.length > 18 ? text.slice(0, 17) + '…' : text));
      chart.append(svg('rect', { x: String(labelWidth), y: String(y + 2), width: String(w), height: String(row - 10),
        rx: '3', class: 'chart-bar', 'data-key': g.key }));
      chart.append(svg('text', { x: String(labelWidth + w + 6), y: String(y + 15), class: 'chart-value' },
        amount(g.creditsCharged)));
    });
    box.append(chart);
  }

  // ---- periods -------------------------------------------------------------------------------------------------
  function now() {
    return state.at || new Date();
  }

  function presetPeriod(preset) {
    const sub = state.subscription;
    if (preset === 'cycle' && sub && sub.cycle) {
      return { from: new Date(sub.cycle.start), to: new Date(sub.cycle.endsAt), preset };
    }
    const days = preset === '7' ? 7 : 30;
    const end = new Date(now().getTime());
    const to = new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1);
    return { from: new Date(to.getTime() - days * DAY_MS), to, preset: String(days) };
  }

  function showPeriodInputs(period) {
    $('period-from').value = localDate(period.from);
    $('period-to').value = localDate(new Date(period.to.getTime() - 1));
  }

  async function loadUsage() {
    const p = state.period;
    const summary = await api(accountPath('/usage', {
      from: p.from.toISOString(), to: p.to.toISOString(), groupBy: $('period-group').value, zone: ZONE,
      products: state.products.join(',')
    }));
    state.summary = summary;
    renderUsage(summary);
    $('usage-period').replaceChildren('From ', timeElement(p.from.toISOString()), ' to ',
      timeElement(p.to.toISOString()), ' (end excluded).');
    $('usage-period').dataset.from = p.from.toISOString();
    $('usage-period').dataset.to = p.to.toISOString();
  }

  // ---- loading -------------------------------------------------------------------------------------------------
  async function load() {
    hideMessage();
    document.body.setAttribute('aria-busy', 'true');
    document.body.dataset.state = 'loading';
    try {
      if (state.tokenExpiresAt && state.tokenExpiresAt <= new Date()) {
        expired();
        document.body.dataset.state = 'expired';
        return;
      }
      const at = state.at ? state.at.toISOString() : null;
      const settings = await fetch('/usage/settings', { cache: 'no-store' }).then((r) => {
        if (!r.ok) throw new ApiError('server', r.status, null);
        return r.json();
      }).catch((e) => { throw e instanceof ApiError ? e : new ApiError('unreachable', 0, null); });
      state.products = settings.products;
      const [sub, balance, lots, log] = await Promise.all([
        api(accountPath('/subscription', { at })), api(accountPath('/balance', { at })),
        api(accountPath('/lots', { at })), api(accountPath('/credits-log'))]);
      state.subscription = sub;
      $('account-line').textContent = 'Account ' + sub.accountId + ' · realm ' + sub.realm;
      $('usage-products').textContent = 'Lists calls from ' + state.products.map(name).join(' and ')
        + '; other products show their usage inside the product.';
      renderPlan(sub);
      renderCard(balance, sub);
      renderLog(log, lots, sub);
      renderChanges(sub);
      $('card-empty').hidden = log.length > 0;
      $('preset-cycle').disabled = !sub.cycle;
      if (!state.period || state.period.preset) {
        state.period = presetPeriod(state.period ? state.period.preset : 'cycle');
      }
      showPeriodInputs(state.period);
      $('signin').hidden = true;
      $('content').hidden = false;
      await loadUsage();
      document.body.dataset.state = 'ready';
    } catch (e) {
      if (!(e instanceof ApiError)) {
        console.error(e);
        e = new ApiError('server', 0, null);
      }
      explain(e);
      document.body.dataset.state = $('message').hidden ? 'ready' : 'error';
    } finally {
      document.body.removeAttribute('aria-busy');
    }
  }

  async function reloadUsage() {
    document.body.dataset.state = 'loading';
    try {
      hideMessage();
      await loadUsage();
      document.body.dataset.state = 'ready';
    } catch (e) {
      explain(e instanceof ApiError ? e : new ApiError('server', 0, null));
      document.body.dataset.state = 'error';
    }
  }

  function wire() {
    $('zone-label').textContent = '(' + ZONE + ', ' + offsetOf(new Date()) + ')';
    $('message-retry').addEventListener('click', load);
    $('signin').addEventListener('submit', (e) => {
      e.preventDefault();
      state.auth = $('signin-key').value.trim();
      state.account = $('signin-account').value.trim();
      const url = new URL(location.href);
      url.searchParams.set('account', state.account);
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
      const toDay = startOfLocalDay($('period-to').value);
      const to = new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate() + 1);
      if (!(from < to)) {
        $('usage-period').textContent = '"From" must be on or before "To".';
        return;
      }
      state.period = { from, to, preset: null };
      reloadUsage();
    });
    document.querySelectorAll('[data-preset]').forEach((b) => b.addEventListener('click', () => {
      state.period = presetPeriod(b.dataset.preset);
      showPeriodInputs(state.period);
      reloadUsage();
    }));
    $('period-group').addEventListener('change', reloadUsage);
    let resized = null;
    window.addEventListener('resize', () => {
      clearTimeout(resized);
      // the chart is drawn to the container's width: redraw it, nothing is read again
      resized = setTimeout(() => { if (state.summary && !$('content').hidden) drawChart(state.summary.groups || [], labelFor(state.summary.groupBy)); }, 200);
    });
  }

  function start() {
    wire();
    const params = new URLSearchParams(location.search);
    const at = params.get('at');
    if (at && !Number.isNaN(new Date(at).getTime())) state.at = new Date(at);
    $('asof-input').value = localDateTime(state.at || new Date());
    const token = params.get('token');
    if (token) {
      const viewer = decodeToken(token);
      if (!viewer) {
        showMessage('This link is not valid',
          'The link may have been cut short when it was copied. Open Usage again from the website to get a new link.');
        document.body.dataset.state = 'error';
        return;
      }
      state.auth = token;
      state.account = viewer.account;
      state.tokenExpiresAt = viewer.expiresAt;
      load();
      return;
    }
    state.account = params.get('account');
    showSignin();
    showMessage('Open Usage from the website',
      'Customers: use the Usage link on the website, which opens this page for your account. Support agents: '
      + 'enter an operator key and the account id below.');
    document.body.dataset.state = 'signin';
  }

  document.addEventListener('DOMContentLoaded', start);
}());
