import { normalizeServerUrl } from './serverUrl';

/** What a single-user JupyterLab started by JupyterHub learns about its hub from `PageConfig`. */
export interface IHubEnvironment {
  /** The hub's own path, such as `/hub/` or `/jupyter/hub/`. */
  readonly hubPrefix: string;
  /** The hub's origin when it differs from the page's (`https://hub.example.org`); usually blank. */
  readonly hubHost: string;
  /** The page's own token, which the hub issued for the user; blank when there is none. */
  readonly token: string;
}

/** The parts of JupyterLab's `PageConfig` this module reads, replaceable in tests. */
export interface IPageConfigReader {
  getOption(name: string): string;
  getToken(): string;
}

/**
 * The hub this JupyterLab runs in, or null outside a hub. JupyterHub's single-user server sets
 * `hubPrefix` in the page config; a plain `jupyter lab` leaves it blank.
 */
export function readHubEnvironment(pageConfig: IPageConfigReader): IHubEnvironment | null {
  const hubPrefix = pageConfig.getOption('hubPrefix').trim();
  if (!hubPrefix) {
    return null;
  }
  return {
    hubPrefix,
    hubHost: pageConfig.getOption('hubHost').trim(),
    token: pageConfig.getToken().trim()
  };
}

/**
 * The hub's base URL, with a trailing slash: the parent of `hubPrefix` (`/hub/` → `/`,
 * `/jupyter/hub/` → `/jupyter/`) on `hubHost`, or on `pageOrigin` when `hubHost` is blank.
 */
export function hubBaseUrl(hub: Pick<IHubEnvironment, 'hubPrefix' | 'hubHost'>, pageOrigin: string): string {
  const segments = hub.hubPrefix.split('/').filter(segment => segment !== '');
  // JupyterHub's prefix is always `<base_url>hub/`; dropping its last segment leaves the base URL.
  segments.pop();
  const path = segments.length > 0 ? `/${segments.join('/')}/` : '/';
  return `${normalizeServerUrl(hub.hubHost || pageOrigin)}${path}`;
}

/**
 * Where JupyterHub serves the service `serviceName`: `<hub base URL>services/<name>`, without a
 * trailing slash like every server URL the client holds.
 */
export function hubServiceUrl(
  hub: Pick<IHubEnvironment, 'hubPrefix' | 'hubHost'>,
  serviceName: string,
  pageOrigin: string
): string {
  return `${hubBaseUrl(hub, pageOrigin)}services/${encodeURIComponent(serviceName)}`;
}

/** Which gallery server the extension talks to, and whether it is the hub's own service. */
export interface IResolvedServer {
  /** Base URL of the gallery server, without a trailing slash. */
  readonly serverUrl: string;
  /** True when `serverUrl` is the hub service found automatically, reached with the page's hub token. */
  readonly viaHub: boolean;
}

/** Inputs of `resolveServer`. */
export interface IResolveServerOptions {
  /** The `serverUrl` setting; blank means "find it automatically". */
  serverUrlSetting: string;
  /** The `hubServiceName` setting. */
  hubServiceName: string;
  /** The hub this JupyterLab runs in, or null. */
  hub: IHubEnvironment | null;
  /** `window.location.origin`. */
  pageOrigin: string;
  /** The server used outside a hub when the setting is blank. */
  defaultServerUrl: string;
}

/**
 * Pick the gallery server: a `serverUrl` the admin or user set always wins (a gallery outside the
 * hub); a blank one means the hub's service inside a hub, and the local default outside.
 */
export function resolveServer(options: IResolveServerOptions): IResolvedServer {
  const explicit = normalizeServerUrl(options.serverUrlSetting);
  if (explicit) {
    return { serverUrl: explicit, viaHub: false };
  }
  if (options.hub) {
    return { serverUrl: hubServiceUrl(options.hub, options.hubServiceName, options.pageOrigin), viaHub: true };
  }
  return { serverUrl: normalizeServerUrl(options.defaultServerUrl), viaHub: false };
}
