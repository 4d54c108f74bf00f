import type { ISsoTokenMessage } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';

/** A page of the login popup: its HTML and the Content-Security-Policy that allows exactly its one inline script. */
export interface ISsoPage {
  html: string;
  contentSecurityPolicy: string;
}

/** The header a same-origin script sets on `POST /api/auth/sso/session`; a cross-site form cannot set it. */
export const SSO_REQUEST_HEADER = 'x-requested-with';
/** The value of {@link SSO_REQUEST_HEADER}. */
export const SSO_REQUEST_HEADER_VALUE = 'notebook-gallery';

/**
 * The OpenID Connect popup's last page: hands a fresh session token to the JupyterLab window that opened the popup.
 * It posts `message` to `window.opener` for `origin` only (never `'*'`, so no other page can catch the token) and
 * closes.
 */
export function ssoTokenPage(message: ISsoTokenMessage, origin: string): ISsoPage {
  const script = `const d = ${scriptData({ message, origin })}; if (window.opener) { window.opener.postMessage(d.message, d.origin); window.close(); }`;
  return page(
    `Logged in to Notebook Gallery as ${escapeHtml(message.user.username)}. You can close this window.`,
    script,
    ''
  );
}

/**
 * The trusted-header popup's page. Loading it mints nothing: its script makes a same-origin POST to `sessionUrl`
 * (with a header no cross-site form can send), which mints the session token, and posts the reply to
 * `window.opener` for `origin` only, from this page's origin, the gallery's public one.
 */
export function ssoExchangePage(username: string, origin: string, sessionUrl: string): ISsoPage {
  const script =
    `const d = ${scriptData({ origin, url: sessionUrl, header: SSO_REQUEST_HEADER, value: SSO_REQUEST_HEADER_VALUE })};` +
    " const show = text => { document.getElementById('status').textContent = text; };" +
    " fetch(d.url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', [d.header]: d.value }, body: JSON.stringify({ origin: d.origin }) })" +
    '.then(reply => reply.json().then(body => { if (!reply.ok) { throw new Error(body.message); } return body; }))' +
    ".then(message => { if (window.opener) { window.opener.postMessage(message, d.origin); window.close(); } else { show('Logged in; open this page from JupyterLab to use it there.'); } })" +
    ".catch(error => show('Login failed: ' + error.message));";
  return page(`Logging in to Notebook Gallery as ${escapeHtml(username)}…`, script, " connect-src 'self';");
}

function page(text: string, script: string, extraPolicy: string): ISsoPage {
  const hash = crypto.createHash('sha256').update(script, 'utf8').digest('base64');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Notebook Gallery login</title></head>
<body>
<p id="status">${text}</p>
<script>${script}</script>
</body>
</html>
`;
  return {
    html,
    contentSecurityPolicy: `default-src 'none'; script-src 'sha256-${hash}';${extraPolicy} base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
  };
}

/** JSON inside <script>: escapes what could end the script element or break the line. */
function scriptData(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
}
