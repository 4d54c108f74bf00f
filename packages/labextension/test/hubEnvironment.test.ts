import { hubBaseUrl, hubServiceUrl, readHubEnvironment, resolveServer } from '../src/services/hubEnvironment';

/** PageConfig as a single-user JupyterLab sees it; options missing from the page read as blank. */
function pageConfig(options: Record<string, string>) {
  return { getOption: (name: string) => options[name] ?? '', getToken: () => options.token ?? '' };
}

const PAGE = 'https://hub.example.org';

describe('readHubEnvironment', () => {
  it('finds no hub in a plain JupyterLab, whose page has no hubPrefix', () => {
    expect(readHubEnvironment(pageConfig({ baseUrl: '/', token: 'server-token' }))).toBeNull();
  });

  it('reads the hub prefix, host and the page token inside a hub', () => {
    const hub = readHubEnvironment(
      pageConfig({ hubPrefix: '/hub/', hubHost: '', hubUser: 'alice', baseUrl: '/user/alice/', token: 'abc' })
    );
    expect(hub).toEqual({ hubPrefix: '/hub/', hubHost: '', token: 'abc' });
  });
});

describe('hubBaseUrl', () => {
  it.each([
    ['/hub/', '', 'https://hub.example.org/'],
    ['/hub', '', 'https://hub.example.org/'],
    ['/jupyter/hub/', '', 'https://hub.example.org/jupyter/'],
    ['/a/b/hub/', '', 'https://hub.example.org/a/b/'],
    ['/hub/', 'https://other.example.org', 'https://other.example.org/'],
    ['/jupyter/hub/', 'https://other.example.org/', 'https://other.example.org/jupyter/']
  ])('prefix %s with hubHost “%s” is at %s', (hubPrefix, hubHost, expected) => {
    expect(hubBaseUrl({ hubPrefix, hubHost }, PAGE)).toBe(expected);
  });
});

describe('hubServiceUrl', () => {
  it('puts the service under services/<name> of the hub’s base URL, on the page’s origin', () => {
    expect(hubServiceUrl({ hubPrefix: '/hub/', hubHost: '' }, 'gallery', PAGE)).toBe(
      'https://hub.example.org/services/gallery'
    );
    expect(hubServiceUrl({ hubPrefix: '/jupyter/hub/', hubHost: '' }, 'nb-gallery', PAGE)).toBe(
      'https://hub.example.org/jupyter/services/nb-gallery'
    );
  });

  it('keeps an odd service name inside its path segment', () => {
    expect(hubServiceUrl({ hubPrefix: '/hub/', hubHost: '' }, 'my gallery/x', PAGE)).toBe(
      'https://hub.example.org/services/my%20gallery%2Fx'
    );
  });
});

describe('resolveServer', () => {
  const hub = { hubPrefix: '/jupyter/hub/', hubHost: '', token: 't' };
  const base = { hubServiceName: 'gallery', pageOrigin: PAGE, defaultServerUrl: 'http://127.0.0.1:8765' };

  it('uses the local default outside a hub when the setting is empty', () => {
    expect(resolveServer({ ...base, serverUrlSetting: '', hub: null })).toEqual({
      serverUrl: 'http://127.0.0.1:8765',
      viaHub: false
    });
  });

  it('finds the hub’s gallery service inside a hub when the setting is empty', () => {
    expect(resolveServer({ ...base, serverUrlSetting: '  ', hub })).toEqual({
      serverUrl: 'https://hub.example.org/jupyter/services/gallery',
      viaHub: true
    });
  });

  it('lets an explicit server URL win inside a hub, for a gallery outside it', () => {
    expect(resolveServer({ ...base, serverUrlSetting: 'https://gallery.example.org/', hub })).toEqual({
      serverUrl: 'https://gallery.example.org',
      viaHub: false
    });
  });

  it('keeps an explicit server URL outside a hub as before', () => {
    expect(resolveServer({ ...base, serverUrlSetting: 'http://127.0.0.1:9999', hub: null })).toEqual({
      serverUrl: 'http://127.0.0.1:9999',
      viaHub: false
    });
  });
});
