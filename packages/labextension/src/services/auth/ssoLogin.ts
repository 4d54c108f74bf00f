import type { ISsoTokenMessage } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';

/** What `waitForSsoToken` needs. */
export interface ISsoLoginOptions {
  /** The gallery's single sign-on start URL from `GET /api/auth/config`, possibly relative to `serverUrl`. */
  ssoLoginUrl: string;
  /** The gallery server's base URL from the settings. */
  serverUrl: string;
  trans: TranslationBundle;
  /** The window that opens the popup and hears its message; `window` by default. */
  host?: ISsoHost;
}

/** The parts of `window` the single sign-on handshake uses, replaceable in tests. */
export interface ISsoHost {
  readonly location: { readonly origin: string };
  open(url: string, target: string, features: string): ISsoPopup | null;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  setInterval(handler: () => void, timeout: number): number;
  clearInterval(id: number): void;
}

/** The popup as the opener sees it. */
export interface ISsoPopup {
  readonly closed: boolean;
  close(): void;
}

/** Thrown when the single sign-on window closes, or answers, without a login JupyterLab can take. */
export class SsoLoginError extends Error {
  /** Create the error with the message the login form shows. */
  constructor(message: string) {
    super(message);
    this.name = 'SsoLoginError';
  }
}

/**
 * Open the gallery's single sign-on page in a popup and wait for the API token it posts back.
 * Only a `notebook-gallery:token` message from that popup, sent from the gallery's public origin
 * or its configured origin, is accepted: any other origin could post a token of an account the
 * user never logged in to. Such a message, or the popup closing without one, fails with a message
 * that says what to do instead of leaving the form waiting.
 *
 * @throws {SsoLoginError} when a URL is invalid, the browser blocks the popup, the popup closes
 *   first, or the token comes from an origin that is neither of the gallery's.
 */
export function waitForSsoToken(options: ISsoLoginOptions): Promise<ISsoTokenMessage> {
  const { trans } = options;
  const host = options.host ?? Private.windowHost();
  let start: URL;
  let origins: Set<string>;
  try {
    ({ start, origins } = Private.trustedOrigins(options));
  } catch (error) {
    return Promise.reject(error);
  }
  start.searchParams.set('origin', host.location.origin);
  const popup = host.open(start.href, 'notebook-gallery-sso', 'popup,width=520,height=700');
  if (!popup) {
    return Promise.reject(
      new SsoLoginError(trans.__('Your browser blocked the login window. Allow pop-ups for this page, then try again.'))
    );
  }

  return new Promise<ISsoTokenMessage>((resolve, reject) => {
    const finish = (): void => {
      host.removeEventListener('message', onMessage);
      host.clearInterval(closedTimer);
      popup.close();
    };
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== popup || !Private.isTokenMessage(event.data)) {
        return;
      }
      finish();
      if (origins.has(event.origin)) {
        resolve(event.data);
        return;
      }
      reject(
        new SsoLoginError(
          trans.__(
            'The login window answered from %1, which is not the gallery’s address (%2), so JupyterLab did not accept the login. Ask your administrator to set the gallery’s --public-url to the address users open.',
            event.origin,
            [...origins].join(trans.__(' or '))
          )
        )
      );
    };
    // There is no "closed" event for another window, so look every half second.
    const closedTimer = host.setInterval(() => {
      if (popup.closed) {
        finish();
        reject(
          new SsoLoginError(
            trans.__(
              'The login window closed without logging you in. Press the button to try again. If you had finished logging in, the gallery could not hand the login back to JupyterLab: ask your administrator to check the gallery’s --public-url and that --cors-origins lists this JupyterLab’s address.'
            )
          )
        );
      }
    }, 500);
    host.addEventListener('message', onMessage);
  });
}

namespace Private {
  /**
   * The origins a single sign-on token may come from: the server's public origin (where its
   * `ssoLoginUrl` points, which is where the popup page runs) and the configured server URL's.
   * They differ behind a proxy, or with 127.0.0.1 in the settings and localhost as public URL.
   *
   * @throws {SsoLoginError} when either URL is not a valid address.
   */
  export function trustedOrigins(options: Pick<ISsoLoginOptions, 'ssoLoginUrl' | 'serverUrl' | 'trans'>): {
    start: URL;
    origins: Set<string>;
  } {
    try {
      const server = new URL(`${options.serverUrl.replace(/\/+$/, '')}/`);
      const start = new URL(options.ssoLoginUrl, server);
      return { start, origins: new Set([start.origin, server.origin]) };
    } catch {
      throw new SsoLoginError(options.trans.__('The gallery server URL %1 is not a valid address.', options.serverUrl));
    }
  }

  /** The real window, seen through the narrow host interface. */
  export function windowHost(): ISsoHost {
    return {
      location: window.location,
      open: (url, target, features) => window.open(url, target, features),
      addEventListener: (type, listener) => window.addEventListener(type, listener),
      removeEventListener: (type, listener) => window.removeEventListener(type, listener),
      setInterval: (handler, timeout) => window.setInterval(handler, timeout),
      clearInterval: id => window.clearInterval(id)
    };
  }

  export function isTokenMessage(value: unknown): value is ISsoTokenMessage {
    const data = value as Partial<ISsoTokenMessage> | null;
    return (
      data?.type === 'notebook-gallery:token' &&
      typeof data.token === 'string' &&
      data.token !== '' &&
      typeof data.tokenId === 'string'
    );
  }
}
