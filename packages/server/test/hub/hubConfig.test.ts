import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors/ConfigError';

const HUB_ENV = {
  JUPYTERHUB_SERVICE_URL: 'http://127.0.0.1:10101',
  JUPYTERHUB_SERVICE_PREFIX: '/services/gallery/',
  JUPYTERHUB_SERVICE_NAME: 'gallery',
  JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api/',
  JUPYTERHUB_API_TOKEN: 'secret'
};

describe('hub mode config', () => {
  it('is off without JUPYTERHUB_SERVICE_URL, and the hub options keep their defaults', () => {
    const config = loadConfig({}, {});
    expect(config.hub).toBeNull();
    expect(config).toMatchObject({ hubGroupRoles: [], hubCacheTtlSeconds: 60, hubSyncIntervalSeconds: 600 });
  });

  it('listens where JUPYTERHUB_SERVICE_URL says and serves under the prefix', () => {
    const config = loadConfig({ host: '0.0.0.0', port: '9000' }, HUB_ENV);
    expect(config).toMatchObject({ host: '127.0.0.1', port: 10101 });
    expect(config.hub).toEqual({
      serviceUrl: 'http://127.0.0.1:10101',
      prefix: '/services/gallery',
      apiUrl: 'http://127.0.0.1:8081/hub/api',
      apiToken: 'secret',
      serviceName: 'gallery',
      baseUrl: '/',
      clientId: 'service-gallery',
      oauthCallbackUrl: '/services/gallery/oauth_callback'
    });
  });

  it('takes the prefix from the service name when the hub gives none', () => {
    const env = { ...HUB_ENV, JUPYTERHUB_SERVICE_PREFIX: undefined, JUPYTERHUB_SERVICE_NAME: 'nbg' };
    expect(loadConfig({}, env).hub?.prefix).toBe('/services/nbg');
  });

  it('names the missing hub variable', () => {
    expect(() => loadConfig({}, { ...HUB_ENV, JUPYTERHUB_API_TOKEN: '' })).toThrow(
      new ConfigError(
        'JUPYTERHUB_SERVICE_URL is set (hub mode), but JUPYTERHUB_API_TOKEN is missing: the gallery reads the hub ' +
          'groups with it'
      )
    );
    expect(() => loadConfig({}, { ...HUB_ENV, JUPYTERHUB_API_URL: undefined })).toThrow(
      /JUPYTERHUB_API_URL is missing/
    );
    expect(() => loadConfig({}, { ...HUB_ENV, JUPYTERHUB_SERVICE_NAME: ' ' })).toThrow(
      /JUPYTERHUB_SERVICE_NAME is missing/
    );
    expect(() => loadConfig({}, { ...HUB_ENV, JUPYTERHUB_SERVICE_URL: 'not a url' })).toThrow(
      /JUPYTERHUB_SERVICE_URL: "not a url" is not a URL/
    );
    expect(() => loadConfig({}, { ...HUB_ENV, JUPYTERHUB_SERVICE_PREFIX: 'services/x' })).toThrow(
      /JUPYTERHUB_SERVICE_PREFIX must be a path/
    );
    expect(() => loadConfig({}, { ...HUB_ENV, JUPYTERHUB_OAUTH_CALLBACK_URL: '/elsewhere/oauth_callback' })).toThrow(
      /JUPYTERHUB_OAUTH_CALLBACK_URL must be under JUPYTERHUB_SERVICE_PREFIX/
    );
  });

  it('parses the hub group role mapping and refuses what it cannot read', () => {
    const config = loadConfig(
      { 'hub-group-roles': 'instructors=editor:course-101, tas = member:course-101,heads=owner:staff' },
      {}
    );
    expect(config.hubGroupRoles).toEqual([
      { hubGroup: 'instructors', role: 'editor', group: 'course-101' },
      { hubGroup: 'tas', role: 'member', group: 'course-101' },
      { hubGroup: 'heads', role: 'owner', group: 'staff' }
    ]);
    expect(() => loadConfig({}, { GALLERY_HUB_GROUP_ROLES: 'instructors=admin:course-101' })).toThrow(
      new ConfigError(
        'GALLERY_HUB_GROUP_ROLES: "instructors=admin:course-101" must be HUBGROUP=ROLE:GALLERYGROUP with ROLE ' +
          'member, editor or owner, e.g. instructors=editor:course-101'
      )
    );
  });

  it('reads the cache time and the sync interval; an interval of 0 turns the sync off', () => {
    const config = loadConfig({ 'hub-cache-ttl': '5m', 'hub-sync-interval': '0' }, {});
    expect(config).toMatchObject({ hubCacheTtlSeconds: 300, hubSyncIntervalSeconds: 0 });
    expect(loadConfig({}, { GALLERY_HUB_SYNC_INTERVAL: '1h' }).hubSyncIntervalSeconds).toBe(3600);
    expect(() => loadConfig({ 'hub-cache-ttl': '0' }, {})).toThrow(/--hub-cache-ttl must be a positive duration/);
  });
});
