import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal, type ISignal } from '@lumino/signaling';
import type { IGallerySettings } from '../tokens';

/**
 * The extension's settings, read from the settings registry once and followed as the user edits
 * them; until they load (or when they cannot) the schema's defaults apply.
 */
export class GallerySettings implements IGallerySettings {
  get serverUrl(): string {
    return this._serverUrl;
  }

  get folder(): string {
    return this._folder;
  }

  get changed(): ISignal<IGallerySettings, void> {
    return this._changed;
  }

  /** Read `settings` now and again whenever they change. */
  follow(settings: ISettingRegistry.ISettings): void {
    const apply = (): void => {
      const serverUrl = settings.get('serverUrl').composite;
      // A cleared field must never leave the client without a server.
      this._serverUrl =
        typeof serverUrl === 'string' && serverUrl.trim() ? serverUrl.trim() : GallerySettings.DEFAULT_SERVER_URL;
      // Blank is allowed here: it puts copies at the Jupyter root.
      const folder = settings.get('folder').composite;
      this._folder = typeof folder === 'string' ? folder.trim() : GallerySettings.DEFAULT_FOLDER;
      this._changed.emit();
    };
    apply();
    settings.changed.connect(apply);
  }

  private _serverUrl = GallerySettings.DEFAULT_SERVER_URL;
  private _folder = GallerySettings.DEFAULT_FOLDER;
  private _changed = new Signal<IGallerySettings, void>(this);
}

/** Defaults of the gallery settings, the same as in schema/plugin.json. */
export namespace GallerySettings {
  export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8765';
  export const DEFAULT_FOLDER = 'gallery';
}
