import type { ISsoTokenMessage } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';

/** The popup's last page: its HTML and the Content-Security-Policy that allows exactly its one inline script. */
export interface ISsoPage {
  html: string;
  contentSecurityPolicy: string;
}

/**
 * The page that hands a fresh API token to the JupyterLab window that opened the login popup: it posts
 * `message` to `window.opener` for `origin` only (never `'*'`, so no other page can catch the token) and closes.
 */
export function ssoTokenPage(message: ISsoTokenMessage, origin: string): ISsoPage {
  // JSON inside <script>: escape what could end the script element or break the line.
  const data = JSON.stringify({ message, origin })
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const script = `const d = ${data}; if (window.opener) { window.opener.postMessage(d.message, d.origin); window.close(); }`;
  const hash = crypto.createHash('sha256').update(script, 'utf8').digest('base64');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Notebook Gallery login</title></head>
<body>
<p>Logged in to Notebook Gallery as ${escapeHtml(message.user.username)}. You can close this window.</p>
<script>${script}</script>
</body>
</html>
`;
  return {
    html,
    contentSecurityPolicy: `default-src 'none'; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
}
