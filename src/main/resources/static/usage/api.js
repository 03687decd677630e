// The HTTP API as the page reads it: the bearer secret (a viewer token or an operator key) in a header, never a
// cookie; the API's decimals kept as the text it sent; problems sorted into what the page says about them.
export const session = { auth: null, account: null, tokenExpiresAt: null };

export class ApiError extends Error {
  constructor(kind, status) {
    super(kind);
    this.kind = kind; // unreachable, unauthenticated, forbidden, unknown-account, server, other
    this.status = status;
  }
}

export function isViewer() {
  return Boolean(session.auth && session.auth.startsWith('cpv_'));
}

function parseJson(text) {
  return JSON.parse(text, function (key, value, context) {
    if (typeof value === 'number' && context && typeof context.source === 'string' && /[.eE]/.test(context.source)) {
      return context.source; // exact, never through a binary double
    }
    return value;
  });
}

/** GET a path of the API: its body, and the next page's address when the answer has a Link rel="next". */
export async function page(path) {
  let response;
  try {
    response = await fetch(path, {
      headers: { Authorization: 'Bearer ' + session.auth, Accept: 'application/json' },
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'
    });
  } catch (e) {
    throw new ApiError('unreachable', 0);
  }
  const text = await response.text();
  let body = null;
  try { body = text ? parseJson(text) : null; } catch (e) { body = null; }
  if (response.ok) {
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('Link') || '');
    return { body, next: link ? link[1] : null };
  }
  const slug = body && typeof body.type === 'string' ? body.type.split('/').pop() : null;
  if (response.status === 401) throw new ApiError('unauthenticated', 401);
  if (response.status === 403) throw new ApiError('forbidden', 403);
  if (response.status === 404 && slug === 'unknown-account') throw new ApiError('unknown-account', 404);
  if (response.status >= 500) throw new ApiError('server', response.status);
  throw new ApiError('other', response.status);
}

export async function api(path) {
  return (await page(path)).body;
}

export function accountPath(suffix, params) {
  const q = new URLSearchParams();
  Object.entries(params || {}).forEach(([k, v]) => { if (v !== null && v !== undefined) q.set(k, v); });
  const qs = q.toString();
  return '/v1/accounts/' + encodeURIComponent(session.account) + suffix + (qs ? '?' + qs : '');
}

/** A viewer token: cpv_<base64url of "v1|account|expiry seconds">.<signature>; null when it is not one. */
export function decodeToken(token) {
  const m = /^cpv_([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(token);
  if (!m) return null;
  try {
    const b64 = m[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64 + '==='.slice((b64.length + 3) % 4)), (c) => c.charCodeAt(0));
    // v1|<account id>|<expiry>: the account id lies between the first and the last '|' (ViewerTokens)
    const text = new TextDecoder().decode(bytes);
    const first = text.indexOf('|');
    const last = text.lastIndexOf('|');
    if (first < 0 || last <= first || text.slice(0, first) !== 'v1') return null;
    return { account: text.slice(first + 1, last), expiresAt: new Date(Number(text.slice(last + 1)) * 1000) };
  } catch (e) {
    return null;
  }
}
