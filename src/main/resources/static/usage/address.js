// The page's address keeps what the customer chose (lang, period or from/to, group), so a reload or a copied link
// shows the same; the dates are calendar days in the browser's zone.
const $ = (id) => document.getElementById(id);
const GROUPS = ['product', 'feature', 'model', 'day'];

function pad(n) {
  return String(n).padStart(2, '0');
}

export function localDate(date) {
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
}

export function localDateTime(date) {
  return localDate(date) + 'T' + pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
}

export function startOfLocalDay(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

export function dayAfter(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1);
}

export function writeAddress(state) {
  const url = new URL(location.href);
  const p = url.searchParams;
  ['lang', 'period', 'from', 'to', 'group'].forEach((k) => p.delete(k));
  if (state.lang) p.set('lang', state.lang);
  if (state.period && state.period.preset) p.set('period', state.period.preset);
  else if (state.period) {
    p.set('from', localDate(state.period.from));
    p.set('to', localDate(new Date(state.period.to.getTime() - 1)));
  }
  p.set('group', $('period-group').value);
  history.replaceState(null, '', url);
}

export function readAddress(state, params) {
  const at = params.get('at');
  if (at && !Number.isNaN(new Date(at).getTime())) state.at = new Date(at);
  const lang = params.get('lang');
  if (lang && ['en', 'zh-CN'].includes(lang)) state.lang = lang;
  const group = params.get('group');
  if (GROUPS.includes(group)) $('period-group').value = group;
  const from = startOfLocalDay(params.get('from'));
  const to = startOfLocalDay(params.get('to'));
  if (from && to && from <= to) state.period = { from, to: dayAfter(to), preset: null };
  else if (['cycle', '7', '30'].includes(params.get('period'))) state.period = { preset: params.get('period') };
}
