// What the page says when it cannot show the account: each message says what to do, in the page's language.
import { session, isViewer } from './api.js';
import { t, nodes, timeEl, timeText } from './usage-text.js';

const $ = (id) => document.getElementById(id);

export function setState(name) {
  document.body.dataset.state = name;
  $('loading').hidden = name !== 'loading';
  $('main').setAttribute('aria-busy', String(name === 'loading'));
}

export function showMessage(title, text, retry) {
  $('message-title').textContent = title;
  $('message-text').replaceChildren(...(Array.isArray(text) ? text : [text]));
  $('message-retry').hidden = !retry;
  $('message').hidden = false;
}

export function expired() {
  $('content').hidden = true;
  showMessage(t('msg.expired.title'), nodes('msg.expired.text', { at: timeEl(session.tokenExpiresAt.toISOString()) }));
  setState('expired');
}

export function showSignin() {
  $('signin').hidden = false;
  if (session.account) $('signin-account').value = session.account;
}

export function explain(error) {
  if (error.kind === 'unauthenticated' && isViewer() && session.tokenExpiresAt <= new Date()) {
    expired();
    return;
  }
  $('content').hidden = true;
  setState('error');
  switch (error.kind) {
    case 'unauthenticated':
      if (isViewer()) {
        showMessage(t('msg.invalid.title'), t('msg.invalid.text'));
      } else {
        showMessage(t('msg.badKey.title'), t('msg.badKey.text'));
        showSignin();
      }
      return;
    case 'forbidden':
      showMessage(t('msg.forbidden.title'), t('msg.forbidden.text'));
      return;
    case 'unknown-account':
      showMessage(t('msg.unknown.title'), isViewer() ? t('msg.unknown.viewer')
        : t('msg.unknown.support', { account: session.account }));
      if (!isViewer()) showSignin();
      return;
    case 'unreachable':
    case 'server':
      showMessage(t('msg.offline.title'), (error.kind === 'unreachable' ? t('msg.offline.unreachable')
        : t('msg.offline.error', { status: String(error.status) })) + ' '
        + t('msg.offline.text', { time: timeText(new Date()) }), true);
      return;
    default:
      showMessage(t('msg.refused.title'), t('msg.refused.text', { status: String(error.status) }));
  }
}
