import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { HTML_ACCEPT, saveNotebook } from './pageHelpers';

/* Pages behind a login proxy that names the user in a header: they work as they are, and forms still need XSRF. */

let gallery: ITestGallery;
let nb: { id: string; revision: string };

beforeAll(async () => {
  gallery = await startTestGallery({ 'trusted-header': 'X-Remote-User', 'public-url': 'https://gallery.example' });
  const olga = await gallery.login('olga');
  nb = await saveNotebook(gallery, olga, { notebook: sampleNotebook('x'), title: 'Proxied', visibility: 'public' });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

// light-my-request's requests come from 127.0.0.1, a trusted proxy by default.
const proxied = { accept: HTML_ACCEPT, 'x-remote-user': 'pat' };

it('shows pages to the user the proxy names, with no Log out (the proxy owns the login)', async () => {
  const response = await gallery.app.inject({ method: 'GET', url: `/n/${nb.id}`, headers: proxied });
  expect(response.statusCode).toBe(200);
  expect(response.body).toContain('Logged in as <strong>pat</strong>');
  expect(response.body).not.toContain('action="/logout"');
  expect(response.body).toContain(`value="https://gallery.example/n/${nb.id}"`);
});

it("needs the XSRF token in a form, since the proxy adds its header to other sites' requests too", async () => {
  const post = (fields: Record<string, string>) =>
    gallery.app.inject({
      method: 'POST',
      url: `/n/${nb.id}/star`,
      headers: { ...proxied, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString()
    });
  expect((await post({ starred: 'true' })).statusCode).toBe(403);
  const page = await gallery.app.inject({ method: 'GET', url: `/n/${nb.id}`, headers: proxied });
  const token = /name="_xsrf" value="([^"]+)"/.exec(page.body)?.[1];
  expect(token).toBeDefined();
  const response = await post({ starred: 'true', _xsrf: token! });
  expect(response.statusCode).toBe(303);
  const other = await post({ starred: 'true', _xsrf: gallery.app.xsrf.token('proxy:someone-else') });
  expect(other.statusCode).toBe(403);
});

it('shows a proxied name made of markup as a plain username, never as markup', async () => {
  const response = await gallery.app.inject({
    method: 'GET',
    url: `/n/${nb.id}`,
    headers: { ...proxied, 'x-remote-user': '<img src=x onerror=alert(1)>' }
  });
  expect(response.statusCode).toBe(200);
  expect(response.body).toContain('Logged in as <strong>img-src-x-onerror-alert-1-</strong>');
  expect(response.body).not.toContain('<img src=x');
});
