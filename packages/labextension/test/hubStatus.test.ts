import { Widget } from '@lumino/widgets';
import { connectClient } from '../src/services/connectClient';
import { HubConnection } from '../src/services/hubConnection';
import { GallerySettings } from '../src/services/settings';
import { HubStatus } from '../src/widgets/hubStatus';
import { FakeGallery, trans } from './helpers';

const HUB = { hubPrefix: '/hub/', hubHost: '', token: 'hub-token' };
const ME = '/services/gallery/api/auth/me';
const ASK_ADMIN = 'Ask your JupyterHub administrator for access to the gallery.';

/** The hub status panel, attached to the document as the sidebar shows it. */
function panelFor(gallery: FakeGallery) {
  const settings = new GallerySettings({ hub: HUB, pageOrigin: 'http://localhost' });
  const client = connectClient({ settings, hub: HUB, trans, fetch: gallery.fetch });
  const connection = new HubConnection(client);
  const panel = new HubStatus({ connection, client, trans });
  Widget.attach(panel, document.body);
  const button = () => panel.node.querySelector('button') as HTMLButtonElement;
  const alert = () => panel.node.querySelector('[role="alert"]')?.textContent ?? '';
  return { panel, connection, button, alert };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('HubStatus', () => {
  it('shows the server’s message, what to do next and a Try again button, never a login form', async () => {
    const gallery = new FakeGallery().on('GET', ME, {
      status: 403,
      body: { error: 'HUB_ACCESS_DENIED', message: ASK_ADMIN }
    });
    const { panel, connection, button, alert } = panelFor(gallery);
    await connection.connect();

    expect(alert()).toContain(ASK_ADMIN);
    expect(alert()).toContain('log out of JupyterHub');
    expect(panel.node.querySelector('input')).toBeNull();
    expect(panel.node.textContent).not.toMatch(/password:/i);
    expect(button().textContent).toBe('Try again');
    expect(button().hidden).toBe(false);
    panel.focus();
    expect(document.activeElement).toBe(button());
  });

  it('tries again when the button is pressed and clears the message once the gallery lets the user in', async () => {
    let granted = false;
    const gallery = new FakeGallery().on('GET', ME, () =>
      granted
        ? { status: 200, body: { username: 'alice', isAdmin: false } }
        : { status: 403, body: { error: 'HUB_ACCESS_DENIED', message: ASK_ADMIN } }
    );
    const { connection, button, alert } = panelFor(gallery);
    await connection.connect();
    expect(alert()).toContain(ASK_ADMIN);

    granted = true;
    const connected = new Promise<void>(resolve =>
      connection.stateChanged.connect(() => connection.status === 'connected' && resolve())
    );
    button().click();
    expect(button().getAttribute('aria-disabled')).toBe('true');
    await connected;
    expect(alert()).toBe('');
    expect(gallery.requests('GET', ME)).toHaveLength(2);
  });

  it('says the gallery is unreachable and offers Try again when the service does not answer', async () => {
    const gallery = new FakeGallery().on('GET', ME, 'network-error');
    const { connection, button, alert } = panelFor(gallery);
    await connection.connect();
    expect(alert()).toContain('could not be reached through JupyterHub');
    expect(alert()).toContain('Try again in a moment');
    expect(button().hidden).toBe(false);
  });
});
