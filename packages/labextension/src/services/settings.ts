import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal, type ISignal } from '@lumino/signaling';
import type { IGallerySettings } from '../tokens';
import { resolveServer, type IHubEnvironment, type IResolvedServer } from './hubEnvironment';

/**
 * The extension's settings, read from the settings registry once and followed as the user edits
 * them; until they load (or when they cannot) the schema's defaults apply. A blank server URL
 * means "automatic": the hub's gallery service inside JupyterHub, the local default outside.
 */
export class GallerySettings implements IGallerySettings {
  /** Create the settings for a page inside `options.hub`, or outside any hub. */
  constructor(options: GallerySettings.IOptions = {}) {
    this._hub = options.hub ?? null;
    this._pageOrigin = options.pageOrigin ?? window.location.origin;
    this._server = this._resolve('');
  }

  get serverUrl(): string {
    return this._server.serverUrl;
  }

  get viaHub(): boolean {
    return this._server.viaHub;
  }

  get hubServiceName(): string {
    return this._hubServiceName;
  }

  get folder(): string {
    return this._folder;
  }

  get updateCheckMinutes(): number {
    return this._updateCheckMinutes;
  }

  get autoUpdateUnedited(): boolean {
    return this._autoUpdateUnedited;
  }

  get reportHealth(): boolean {
    return this._reportHealth;
  }

  get changed(): ISignal<IGallerySettings, void> {
    return this._changed;
  }

  /** Read `settings` now and again whenever they change. */
  follow(settings: ISettingRegistry.ISettings): void {
    const apply = (): void => {
      const serviceName = settings.get('hubServiceName').composite;
      // A cleared name must not point at `services/`, which is no service at all.
      this._hubServiceName =
        typeof serviceName === 'string' && serviceName.trim()
          ? serviceName.trim()
          : GallerySettings.DEFAULT_HUB_SERVICE_NAME;
      const serverUrl = settings.get('serverUrl').composite;
      this._server = this._resolve(typeof serverUrl === 'string' ? serverUrl : '');
      // Blank is allowed here: it puts copies at the Jupyter root.
      const folder = settings.get('folder').composite;
      this._folder = typeof folder === 'string' ? folder.trim() : GallerySettings.DEFAULT_FOLDER;
      const minutes = settings.get('updateCheckMinutes').composite;
      this._updateCheckMinutes =
        typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0
          ? minutes
          : GallerySettings.DEFAULT_UPDATE_CHECK_MINUTES;
      this._autoUpdateUnedited = settings.get('autoUpdateUnedited').composite === true;
      this._reportHealth = settings.get('reportHealth').composite === true;
      this._changed.emit();
    };
    apply();
    settings.changed.connect(apply);
  }

  private _resolve(serverUrlSetting: string): IResolvedServer {
    return resolveServer({
      serverUrlSetting,
      hubServiceName: this._hubServiceName,
      hub: this._hub,
      pageOrigin: this._pageOrigin,
      defaultServerUrl: GallerySettings.DEFAULT_SERVER_URL
    });
  }

  private _hub: IHubEnvironment | null;
  private _pageOrigin: string;
  private _hubServiceName = GallerySettings.DEFAULT_HUB_SERVICE_NAME;
  private _server: IResolvedServer;
  private _folder = GallerySettings.DEFAULT_FOLDER;
  private _updateCheckMinutes = GallerySettings.DEFAULT_UPDATE_CHECK_MINUTES;
  private _autoUpdateUnedited = false;
  private _reportHealth = false;
  private _changed = new Signal<IGallerySettings, void>(this);
}

/** Defaults and options of the gallery settings. */
export namespace GallerySettings {
  /** The server outside a hub when the `serverUrl` setting is blank (its schema default). */
  export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8765';
  export const DEFAULT_FOLDER = 'gallery';
  export const DEFAULT_HUB_SERVICE_NAME = 'gallery';
  export const DEFAULT_UPDATE_CHECK_MINUTES = 10;

  /** Construction options. */
  export interface IOptions {
    /** The hub this JupyterLab runs in (from `readHubEnvironment`); null or absent outside a hub. */
    hub?: IHubEnvironment | null;
    /** The page's origin, for a hub whose `hubHost` is blank; `window.location.origin` by default. */
    pageOrigin?: string;
  }
}
