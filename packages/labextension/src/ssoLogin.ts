import type { ISsoTokenMessage } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';

/** What `waitForSsoToken` needs. */
export interface ISsoLoginOptions {
  /** The gallery's single sign-on start URL, possibly relative to `serverUrl`. */
  ssoLoginUrl: string;
  /** The gallery server's base URL; only messages from its origin are accepted. */
  serverUrl: string;
  trans: TranslationBundle;
}

/** Thrown when the user closes the single sign-on window before it sends a token. */
export class SsoCancelledError extends Error {
  /** Create the error with the message the login form shows. */
  constructor(message: string) {
    super(message);
    this.name = 'SsoCancelledError';
  }
}

/**
 * Open the gallery's single sign-on page in a popup and wait for the API token it posts back.
 * Only a `notebook-gallery:token` message from that popup, sent from the gallery's own origin,
 * is accepted: any other window could post a token of an account the user never logged in to.
 *
 * @throws {SsoCancelledError} when the popup is closed first.
 * @throws {Error} when the URL is invalid or the browser blocks the popup.
 */
export function waitForSsoToken(options: ISsoLoginOptions): Promise<ISsoTokenMessage> {
  const { trans } = options;
  let url: URL;
  let serverOrigin: string;
  try {
    url = new URL(options.ssoLoginUrl, `${options.serverUrl}/`);
    serverOrigin = new URL(options.serverUrl).origin;
  } catch {
    return Promise.reject(new Error(trans.__('The gallery server URL %1 is not a valid address.', options.serverUrl)));
  }
  url.searchParams.set('origin', window.location.origin);
  const popup = window.open(url.href, 'notebook-gallery-sso', 'popup,width=520,height=700');
  if (!popup) {
    return Promise.reject(
      new Error(trans.__('Your browser blocked the login window. Allow pop-ups for this page, then try again.'))
    );
  }

  return new Promise<ISsoTokenMessage>((resolve, reject) => {
    const finish = (): void => {
      window.removeEventListener('message', onMessage);
      window.clearInterval(closedTimer);
    };
    const onMessage = (event: MessageEvent): void => {
      if (event.origin !== serverOrigin || event.source !== popup) {
        return;
      }
      const data = event.data as Partial<ISsoTokenMessage> | null;
      if (
        data?.type !== 'notebook-gallery:token' ||
        typeof data.token !== 'string' ||
        !data.token ||
        typeof data.tokenId !== 'string'
      ) {
        return;
      }
      finish();
      popup.close();
      resolve(data as ISsoTokenMessage);
    };
    // There is no "closed" event for another window, so look every half second.
    const closedTimer = window.setInterval(() => {
      if (popup.closed) {
        finish();
        reject(new SsoCancelledError(trans.__('The login window was closed before you finished logging in.')));
      }
    }, 500);
    window.addEventListener('message', onMessage);
  });
}
