import * as path from 'node:path';
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors/ConfigError';

describe('loadConfig', () => {
  it('has defaults that work with the JupyterLab scripts/start runs', () => {
    expect(loadConfig({}, {})).toEqual({
      dataDir: path.resolve('.gallery'),
      host: '127.0.0.1',
      port: 8765,
      corsOrigins: ['http://127.0.0.1:8888', 'http://localhost:8888'],
      bodyLimit: 50 * 1024 * 1024,
      tokenTtlSeconds: 7 * 24 * 3600,
      logLevel: 'info'
    });
  });

  it('takes GALLERY_* variables, and flags over them', () => {
    const env = { GALLERY_PORT: '9000', GALLERY_HOST: '0.0.0.0', GALLERY_CORS_ORIGINS: 'https://hub.example.org/' };
    const config = loadConfig({ port: '0', 'body-limit': '2MB', 'token-ttl': '12h' }, env);
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      corsOrigins: ['https://hub.example.org'],
      bodyLimit: 2_000_000,
      tokenTtlSeconds: 43200
    });
  });

  it.each([
    [{ port: '70000' }, {}, /--port must be a whole number from 0 to 65535, got "70000"/],
    [{}, { GALLERY_PORT: 'http' }, /GALLERY_PORT must be a whole number/],
    [{ 'body-limit': '5 bananas' }, {}, /--body-limit must be a positive size/],
    [{ 'token-ttl': '0' }, {}, /--token-ttl must be a positive duration/],
    [{ 'cors-origins': 'localhost:8888' }, {}, /--cors-origins: "localhost:8888"/],
    [{ 'cors-origins': 'http://x.org/lab' }, {}, /no path/],
    [{ 'log-level': 'loud' }, {}, /--log-level must be one of fatal, error/],
    [{ 'data-dir': ' ' }, {}, /--data-dir must not be empty/]
  ])('fails fast on %p %p', (flags, env, message) => {
    expect(() => loadConfig(flags, env)).toThrow(ConfigError);
    expect(() => loadConfig(flags, env)).toThrow(message);
  });
});
