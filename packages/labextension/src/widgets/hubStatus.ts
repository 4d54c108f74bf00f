import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import type { HubConnection } from '../services/hubConnection';
import type { IGalleryClient } from '../tokens';
import { element } from './dom';

/**
 * The sidebar's face inside JupyterHub while the gallery has not accepted the hub login: never a
 * login form, but what is happening, the server's message, what to do next and a Try again
 * button. The message sits in an alert region so screen readers read each new outcome.
 */
export class HubStatus extends Widget {
  /** Create a view of `options.connection` for the gallery that `options.client` talks to. */
  constructor(options: HubStatus.IOptions) {
    super({ node: document.createElement('section') });
    this._connection = options.connection;
    this._client = options.client;
    this._trans = options.trans;
    this.addClass('jp-NotebookGallery-hub');
    const trans = this._trans;

    const heading = element('h2', 'jp-NotebookGallery-heading', trans.__('Notebook Gallery in JupyterHub'));
    heading.id = `jp-NotebookGallery-hub-${UUID.uuid4()}`;
    this.node.setAttribute('aria-labelledby', heading.id);
    this._serverNode = element('p', 'jp-NotebookGallery-server');
    this._statusNode = element('p', 'jp-NotebookGallery-status');
    this._statusNode.setAttribute('role', 'status');
    this._alertNode = element('div', 'jp-NotebookGallery-error');
    this._alertNode.setAttribute('role', 'alert');
    this._retryButton = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Try again'));
    this._retryButton.type = 'button';
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    this._retryButton.addEventListener('click', () => {
      if (this._connection.status !== 'connecting') {
        void this._connection.connect();
      }
    });
    this.node.append(heading, this._serverNode, this._statusNode, this._alertNode, this._retryButton);

    this._connection.stateChanged.connect(this._render, this);
    this._render();
  }

  /** Put the keyboard on Try again when it can help, otherwise on the panel itself. */
  focus(): void {
    if (!this._retryButton.hidden) {
      this._retryButton.focus();
      return;
    }
    this.node.tabIndex = -1;
    this.node.focus();
  }

  dispose(): void {
    this._connection.stateChanged.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const trans = this._trans;
    const { status, error } = this._connection;
    this._serverNode.textContent = trans.__('Gallery service: %1', this._client.serverUrl);
    const connecting = status === 'connecting';
    this.node.setAttribute('aria-busy', String(connecting));
    this._statusNode.textContent = connecting ? trans.__('Connecting to the gallery with your JupyterHub login…') : '';

    const lines = Private.explain(trans, status, error?.status ?? null, error?.message ?? '');
    this._alertNode.replaceChildren(...lines.map(line => element('p', 'jp-NotebookGallery-errorMessage', line)));
    this._retryButton.hidden = status === 'noToken' || status === 'connected' || status === 'inactive';
    this._retryButton.setAttribute('aria-disabled', String(connecting));
    this._retryButton.textContent = connecting ? trans.__('Connecting…') : trans.__('Try again');
  }

  private _connection: HubConnection;
  private _client: IGalleryClient;
  private _trans: TranslationBundle;
  private _serverNode: HTMLElement;
  private _statusNode: HTMLElement;
  private _alertNode: HTMLElement;
  private _retryButton: HTMLButtonElement;
}

/** Options of the hub status panel. */
export namespace HubStatus {
  /** Construction options. */
  export interface IOptions {
    connection: HubConnection;
    client: IGalleryClient;
    trans: TranslationBundle;
  }
}

namespace Private {
  /** The server's message (when there is one) followed by what the user can do about it. */
  export function explain(
    trans: TranslationBundle,
    status: HubConnection['status'],
    httpStatus: number | null,
    message: string
  ): string[] {
    switch (status) {
      case 'noToken':
        return [
          trans.__('JupyterHub did not give this JupyterLab a token for the gallery.'),
          trans.__(
            'Reload the page. If this message stays, tell your JupyterHub administrator: the gallery needs JupyterHub 2 or newer and JupyterLab started by the hub.'
          )
        ];
      case 'denied':
        return [
          message,
          httpStatus === 401
            ? trans.__(
                'Your JupyterHub login is no longer valid here. Log out of JupyterHub (File → Log Out), log in again, then press Try again.'
              )
            : trans.__(
                'The gallery uses your JupyterHub login, so there is no separate gallery password. Once your administrator has granted access, log out of JupyterHub (File → Log Out) and log in again, then press Try again.'
              )
        ];
      case 'unreachable':
        return [
          message,
          trans.__(
            'The gallery service may be starting or stopped. Press Try again in a moment; if it keeps failing, tell your JupyterHub administrator.'
          )
        ];
      case 'failed':
        return [
          message,
          trans.__(
            'If this keeps happening, tell your JupyterHub administrator. The gallery is expected at the service name set in Settings → Notebook Gallery → Hub service name.'
          )
        ];
      default:
        return [];
    }
  }
}
