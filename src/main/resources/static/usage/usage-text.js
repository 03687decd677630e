// Words, amounts and times as the customer reads them: every word from the message bundle of the page's language
// (i18n/<lang>.json), amounts as money (two decimals, the exact value kept beside), times in the browser's zone.
const BUNDLES = { en: null, 'zh-CN': null };
export const LANGUAGES = Object.keys(BUNDLES);
export const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

let lang = 'en';
let messages = {};

export function language() {
  return lang;
}

/** Reads the bundle of {@code next} (once) and rewrites every element that names a message. */
export async function useLanguage(next) {
  if (!BUNDLES[next]) {
    const r = await fetch('/usage/i18n/' + next + '.json', { cache: 'no-store' });
    if (!r.ok) throw new Error('bundle ' + next + ': ' + r.status);
    BUNDLES[next] = await r.json();
  }
  lang = next;
  messages = BUNDLES[next];
  document.documentElement.lang = next;
  document.title = t('page.title');
  document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
  document.querySelectorAll('[data-i18n-aria-label]').forEach((e) => {
    e.setAttribute('aria-label', t(e.dataset.i18nAriaLabel));
  });
}

/** The message {@code key} with its {name} placeholders filled in (as text). */
export function t(key, params) {
  return nodes(key, params).map((n) => (typeof n === 'string' ? n : n.textContent)).join('');
}

/** The message as nodes: placeholders may be elements (a <time>, a link), kept as such. */
export function nodes(key, params) {
  const message = messages[key];
  if (message === undefined) {
    console.error('no message ' + key + ' in ' + lang);
    return [key];
  }
  const out = [];
  message.split(/(\{[a-zA-Z]+\})/).forEach((part) => {
    const m = /^\{([a-zA-Z]+)\}$/.exec(part);
    if (m && params && m[1] in params) out.push(params[m[1]]); else if (part) out.push(part);
  });
  return out;
}

/** An enum's name for the customer: plan, product, feature, type, source, status, reason, kind, realm. */
export function named(kind, code) {
  return code === null || code === undefined ? '' : t(kind + '.' + code);
}

/** "IDE, JetBrains, and Mobile" / "IDE、JetBrains和移动端": the language's own list. */
export function list(names) {
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(names);
}

// ---- amounts: the API's exact decimals (kept as the text it sent), shown as money -------------------------------

/** "70.5000" -> 705000n (ten-thousandths). */
function units(value) {
  let text = typeof value === 'number' ? value.toFixed(4) : String(value);
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  const [whole, fraction = ''] = text.split('.');
  const n = BigInt(whole) * 10000n + BigInt((fraction + '0000').slice(0, 4));
  return negative ? -n : n;
}

export function sum(values) {
  const n = values.reduce((a, v) => a + units(v), 0n);
  const abs = n < 0n ? -n : n;
  return (n < 0n ? '-' : '') + (abs / 10000n) + '.' + String(abs % 10000n).padStart(4, '0');
}

export function isPositive(value) {
  return units(value) > 0n;
}

function grouped(whole, fraction, negative) {
  const decimal = new Intl.NumberFormat(lang).formatToParts(1.5).find((p) => p.type === 'decimal').value;
  return (negative ? '-' : '') + whole.toLocaleString(lang) + (fraction === null ? '' : decimal + fraction);
}

/** Two decimals, half up (away from zero): what a customer reads as money. */
export function money(value) {
  const n = units(value);
  const abs = n < 0n ? -n : n;
  const cents = (abs + 50n) / 100n;
  return grouped(cents / 100n, String(cents % 100n).padStart(2, '0'), n < 0n && cents > 0n);
}

/** All four decimals, as the API keeps them. */
export function exact(value) {
  const n = units(value);
  const abs = n < 0n ? -n : n;
  return grouped(abs / 10000n, String(abs % 10000n).padStart(4, '0'), n < 0n);
}

/** Money, with the exact value on hover and in data-amount. */
export function moneyEl(value, attrs) {
  return el('span', Object.assign({ className: 'amount', title: exact(value), 'data-amount': exactText(value) },
    attrs || {}), money(value));
}

function exactText(value) {
  return typeof value === 'number' ? value.toFixed(4) : String(value);
}

// ---- times: in the customer's zone, in their language ----------------------------------------------------------
const formats = {};

function format(kind) {
  const key = lang + kind;
  if (!formats[key]) {
    const options = kind === 'day' ? { month: 'short', day: 'numeric' }
      : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    formats[key] = new Intl.DateTimeFormat(lang, Object.assign({ timeZone: ZONE }, options));
  }
  return formats[key];
}

export function timeText(date) {
  return format('time').format(date);
}

export function dayText(date) {
  return format('day').format(date);
}

/** The zone's offset at {@code date}: "UTC+08:00". */
export function offsetOf(date) {
  const part = new Intl.DateTimeFormat('en', { timeZone: ZONE, timeZoneName: 'longOffset' }).formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  const name = part ? part.value : 'GMT';
  return name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
}

/** A <time>: the instant as the API sent it in datetime, the local time as text. */
export function timeEl(iso) {
  return el('time', { datetime: iso }, timeText(new Date(iso)));
}

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === null || v === undefined || v === false) return;
    if (k === 'text') e.textContent = v; else if (k === 'className') e.className = v; else e.setAttribute(k, v);
  });
  children.flat().forEach((c) => { if (c !== null && c !== undefined) e.append(c); });
  return e;
}
