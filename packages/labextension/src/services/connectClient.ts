import type { TranslationBundle } from '@jupyterlab/translation';
import type { IGallerySettings } from '../tokens';
import { HubTokenAuth } from './auth/hubTokenAuth';
import { PasswordAuth } from './auth/passwordAuth';
import { GalleryClient } from './client';
import type { IHubEnvironment } from './hubEnvironment';

/** What `connectClient` needs. */
export interface IConnectClientOptions {
  settings: IGallerySettings;
  /** The hub this JupyterLab runs in, or null. */
  hub: IHubEnvironment | null;
  trans: TranslationBundle;
  /** `window.fetch` by default. */
  fetch?: GalleryClient.FetchFunction;
  /** Where password logins are kept; `window.localStorage` by default. */
  storage?: Storage;
}

/**
 * Create the gallery client the settings describe and keep it there as they change: the hub's
 * own service gets the page's hub token, any other server the gallery's own login. The hub token
 * goes only to the service found through the hub, never to a URL typed into the settings, which
 * could be anyone's.
 */
export function connectClient(options: IConnectClientOptions): GalleryClient {
  const { settings, hub } = options;
  const password = new PasswordAuth({ storage: options.storage });
  const hubToken = hub ? new HubTokenAuth({ token: hub.token }) : null;
  const strategy = () => (settings.viaHub && hubToken ? hubToken : password);
  const client = new GalleryClient({
    serverUrl: settings.serverUrl,
    auth: strategy(),
    trans: options.trans,
    fetch: options.fetch
  });
  settings.changed.connect(() => client.connect(settings.serverUrl, strategy()));
  return client;
}
