import { fakeSettings } from './fakeSettings';
import { GallerySettings } from '../src/services/settings';

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

  it('checks copies for updates every 10 minutes and never updates them by itself, until told otherwise', () => {
    const settings = new GallerySettings();
    expect(settings.updateCheckMinutes).toBe(10);
    expect(settings.autoUpdateUnedited).toBe(false);
    const { settings: registry, edit } = fakeSettings({ updateCheckMinutes: 0, autoUpdateUnedited: true });
    settings.follow(registry);
    expect(settings.updateCheckMinutes).toBe(0);
    expect(settings.autoUpdateUnedited).toBe(true);
    // A value the schema would refuse never turns into a timer firing without pause.
    edit('updateCheckMinutes', -5);
    expect(settings.updateCheckMinutes).toBe(10);
  });

  it('reports whether notebooks run only when the user turns it on, and stops when they turn it off', () => {
    const settings = new GallerySettings();
    expect(settings.reportHealth).toBe(false);
    const { settings: registry, edit } = fakeSettings({ reportHealth: true });
    settings.follow(registry);
    expect(settings.reportHealth).toBe(true);
    edit('reportHealth', false);
    expect(settings.reportHealth).toBe(false);
  });
});

describe('GallerySettings inside JupyterHub', () => {
  const hub = { hubPrefix: '/hub/', hubHost: '', token: 'hub-token' };
  const pageOrigin = 'https://hub.example.org';

  it('finds the hub’s gallery service before and after the settings load, with an empty server URL', () => {
    const settings = new GallerySettings({ hub, pageOrigin });
    expect(settings.serverUrl).toBe('https://hub.example.org/services/gallery');
    expect(settings.viaHub).toBe(true);
    settings.follow(fakeSettings({ serverUrl: '', hubServiceName: 'gallery', folder: 'gallery' }).settings);
    expect(settings.serverUrl).toBe('https://hub.example.org/services/gallery');
    expect(settings.viaHub).toBe(true);
  });

  it('follows the hub service name without a reload, and a cleared name means gallery', () => {
    const { settings: registry, edit } = fakeSettings({ serverUrl: '', hubServiceName: 'nbgallery', folder: '' });
    const settings = new GallerySettings({ hub, pageOrigin });
    settings.follow(registry);
    expect(settings.serverUrl).toBe('https://hub.example.org/services/nbgallery');
    const changed = jest.fn();
    settings.changed.connect(changed);
    edit('hubServiceName', ' ');
    expect(settings.hubServiceName).toBe('gallery');
    expect(settings.serverUrl).toBe('https://hub.example.org/services/gallery');
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('lets a server URL the admin set win, and goes back to the hub when it is cleared', () => {
    const { settings: registry, edit } = fakeSettings({ serverUrl: 'https://gallery.example.org', folder: '' });
    const settings = new GallerySettings({ hub, pageOrigin });
    settings.follow(registry);
    expect(settings.serverUrl).toBe('https://gallery.example.org');
    expect(settings.viaHub).toBe(false);
    edit('serverUrl', '');
    expect(settings.serverUrl).toBe('https://hub.example.org/services/gallery');
    expect(settings.viaHub).toBe(true);
  });

  it('keeps an existing user’s explicit old default outside a hub', () => {
    const settings = new GallerySettings();
    settings.follow(fakeSettings({ serverUrl: 'http://127.0.0.1:8765', folder: 'gallery' }).settings);
    expect(settings.serverUrl).toBe('http://127.0.0.1:8765');
    expect(settings.viaHub).toBe(false);
  });
});
