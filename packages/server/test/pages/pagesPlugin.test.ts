import { PAGE_CONTENT_SECURITY_POLICY } from '../../src/plugins/pagesPlugin';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/* The page foundation: assets, the page shell, and errors as pages for browsers while the API keeps its JSON. */

let gallery: ITestGallery;

beforeAll(async () => {
  gallery = await startTestGallery();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('assets', () => {
  it('serves the pages style sheet as CSS with a cache header', async () => {
    const response = await gallery.app.inject({ method: 'GET', url: '/assets/pages.css' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toContain('prefers-color-scheme: dark');
  });

  it('caches a versioned URL for good, and only the current version', async () => {
    const page = await gallery.app.inject({ method: 'GET', url: '/no-such-page', headers: html });
    const href = /<link rel="stylesheet" href="([^"]*pages\.css\?v=[^"]+)"/.exec(page.body)?.[1];
    expect(href).toBeDefined();
    const versioned = await gallery.app.inject({ method: 'GET', url: href!.replace(/&amp;/g, '&') });
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const stale = await gallery.app.inject({ method: 'GET', url: '/assets/pages.css?v=old' });
    expect(stale.headers['cache-control']).toBe('public, max-age=300');
  });

  it.each([
    '/assets/../package.json',
    '/assets/%2e%2e/package.json',
    '/assets/..%2fpackage.json',
    '/assets/%2e%2e%2f%2e%2e%2fsrc%2fapp.ts',
    '/assets/',
    '/assets/missing.css'
  ])('serves nothing outside the assets folder: %s', async url => {
    const response = await gallery.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('"name"');
    expect(response.body).not.toContain('buildApp');
  });
});

describe('errors', () => {
  it('answers a browser asking for an unknown page with an HTML page, the page CSP and what to do next', async () => {
    const response = await gallery.app.inject({ method: 'GET', url: '/no-such-page', headers: html });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(response.body).toMatch(/^<!doctype html>/);
    expect(response.body).toContain('<h1>Page not found</h1>');
    expect(response.body).toContain('<a class="skip-link" href="#main">Skip to content</a>');
    expect(response.body).toContain('<label for="site-search-q" class="visually-hidden">Search notebooks</label>');
    expect(response.body).toContain('<main id="main" tabindex="-1">');
    expect(response.body).toContain('href="/login?next=%2Fno-such-page"');
  });

  it('keeps JSON for API routes and for clients that do not ask for HTML', async () => {
    for (const [url, headers] of [
      ['/api/nothing-here', html],
      ['/no-such-page', { accept: 'application/json' }]
    ] as const) {
      const response = await gallery.app.inject({ method: 'GET', url, headers });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'NOT_FOUND' });
    }
    const api = await gallery.app.inject({ method: 'GET', url: '/api/notebooks/missing', headers: html });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ error: 'UNAUTHORIZED' });
  });

  it('leaves /healthz as it was', async () => {
    const response = await gallery.app.inject({ method: 'GET', url: '/healthz', headers: html });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
