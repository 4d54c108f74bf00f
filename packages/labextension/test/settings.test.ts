import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal } from '@lumino/signaling';
import { GallerySettings } from '../src/services/settings';

/** The registry's settings object for our schema, with values the test can edit. */
function fakeSettings(values: Record<string, unknown>) {
  const changed = new Signal<unknown, void>({});
  const settings = {
    get: (key: string) => ({ composite: values[key] }),
    changed
  } as unknown as ISettingRegistry.ISettings;
  return { settings, edit: (key: string, value: unknown) => ((values[key] = value), changed.emit()) };
}

describe('GallerySettings', () => {
  it('uses the schema defaults until the settings load', () => {
    const settings = new GallerySettings();
    expect(settings.serverUrl).toBe('http://127.0.0.1:8765');
    expect(settings.folder).toBe('gallery');
  });

  it('follows the user’s edits and tells listeners', () => {
    const { settings: registry, edit } = fakeSettings({ serverUrl: ' https://gallery.example.org ', folder: 'shared' });
    const settings = new GallerySettings();
    settings.follow(registry);
    expect(settings.serverUrl).toBe('https://gallery.example.org');
    const changed = jest.fn();
    settings.changed.connect(changed);
    edit('folder', '');
    expect(settings.folder).toBe('');
    edit('serverUrl', '   ');
    // A cleared server field falls back to the default instead of breaking every request.
    expect(settings.serverUrl).toBe('http://127.0.0.1:8765');
    expect(changed).toHaveBeenCalledTimes(2);
  });
});
