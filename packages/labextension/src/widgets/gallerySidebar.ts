import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import { Panel } from '@lumino/widgets';
import { ChangeRequestStatus } from './changeRequestStatus';
import { GalleryBrowser } from './galleryBrowser';
import { HubStatus } from './hubStatus';
import { InboxSection } from './inboxSection';
import { galleryIcon } from './icons';
import { LoginForm } from './loginForm';
import type { HubConnection } from '../services/hubConnection';
import type { InboxModel } from '../services/inboxModel';
import type { IGalleryModel } from '../tokens';

/**
 * The left-area panel: the gallery browser when logged in; when logged out, the login form, or
 * inside JupyterHub (where the hub owns the login) the hub connection's status instead.
 */
export class GallerySidebar extends Panel {
  /** Create the sidebar; it switches faces whenever the client's login changes. */
  constructor(options: GallerySidebar.IOptions) {
    super();
    this._model = options.model;
    this.id = GallerySidebar.ID;
    this.addClass('jp-NotebookGallery');
    this.title.icon = galleryIcon;
    this.title.caption = options.trans.__('Notebook Gallery');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', options.trans.__('Notebook Gallery'));

    this._login = new LoginForm({ client: this._model.client, trans: options.trans });
    this._hub = new HubStatus({ connection: options.hubConnection, client: this._model.client, trans: options.trans });
    this._browser = new GalleryBrowser({
      model: this._model,
      commands: options.commands,
      trans: options.trans,
      updates: options.updates,
      localCopies: options.localCopies,
      rendermime: options.rendermime
    });
    this.addWidget(this._login);
    this.addWidget(this._hub);
    this.addWidget(this._browser);
    // Change requests to review and the user's own, under the list; it hides itself while there are none.
    this._changeRequests = new ChangeRequestStatus({
      model: this._model,
      commands: options.commands,
      trans: options.trans
    });
    this.addWidget(this._changeRequests);
    // The inbox and its unread count, at the bottom; it hides itself while the gallery has no inbox for this login.
    if (options.inbox) {
      this._inbox = new InboxSection({
        inbox: options.inbox,
        commands: options.commands,
        trans: options.trans,
        tab: this.title
      });
      this.addWidget(this._inbox);
    }
    this._model.client.authChanged.connect(this._update, this);
    this._update();
  }

  /**
   * Show the login form with a note saying why; the caller reveals the sidebar. Inside JupyterHub
   * there is no form: the hub status, which says why, gets the focus.
   */
  showLogin(notice: string | null = null): void {
    if (!this._model.client.auth.canLogIn) {
      this._hub.focus();
      return;
    }
    this._login.setNotice(notice);
    this._login.focusFirstField();
  }

  /** The change requests shown under the list, to reload after a proposal or a decision. */
  get changeRequests(): ChangeRequestStatus {
    return this._changeRequests;
  }

  /** Open the inbox's list of events and focus the first one; nothing without an inbox. */
  async revealInbox(): Promise<void> {
    await this._inbox?.reveal();
  }

  /** Show gallery notebook `id` in the preview pane (logged in only). */
  preview(id: string): Promise<void> {
    if (!this._model.client.isLoggedIn) {
      this.focusSearch();
      return Promise.resolve();
    }
    return this._browser.preview(id);
  }

  /** Focus the search box, or the login form (the hub status inside JupyterHub) when logged out. */
  focusSearch(): void {
    if (this._model.client.isLoggedIn) {
      this._browser.focusSearch();
    } else if (!this._model.client.auth.canLogIn) {
      this._hub.focus();
    } else {
      this._login.focusFirstField();
    }
  }

  /** Opening the sidebar (its tab, a command, a shortcut) puts the cursor where typing is useful. */
  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    // A dialog (Share, Delete…) keeps the keyboard: focus taken out of it is sent back to the dialog's first field by
    // its focus trap, away from the box the user is typing in.
    if (document.activeElement?.closest('.jp-Dialog')) {
      return;
    }
    if (this._model.client.isLoggedIn) {
      // Coming back to the sidebar keeps an open preview open.
      this._browser.focusCurrent();
    } else {
      this.focusSearch();
    }
  }

  dispose(): void {
    this._model.client.authChanged.disconnect(this._update, this);
    super.dispose();
  }

  private _update(): void {
    const { client } = this._model;
    const loggedIn = client.isLoggedIn;
    this._login.setHidden(loggedIn || !client.auth.canLogIn);
    this._hub.setHidden(loggedIn || client.auth.canLogIn);
    this._browser.setHidden(!loggedIn);
    const active = document.activeElement;
    // Right after logging in, focus sits on the hidden form (or fell to the body): move it on.
    if (
      loggedIn &&
      !this._wasLoggedIn &&
      this.isVisible &&
      (active === document.body || this._login.node.contains(active) || this._hub.node.contains(active))
    ) {
      this._browser.focusSearch();
    }
    this._wasLoggedIn = loggedIn;
  }

  private _model: IGalleryModel;
  private _login: LoginForm;
  private _hub: HubStatus;
  private _browser: GalleryBrowser;
  private _changeRequests: ChangeRequestStatus;
  private _inbox: InboxSection | null = null;
  private _wasLoggedIn = false;
}

/** Constants and options of the gallery sidebar. */
export namespace GallerySidebar {
  /** The DOM id, also the id the layout restorer and tests use. */
  export const ID = 'notebook-gallery-sidebar';

  /** Construction options. */
  export interface IOptions {
    model: IGalleryModel;
    /** Logs in with the page's JupyterHub token; its status shows while that login is missing. */
    hubConnection: HubConnection;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** Which notebooks have a newer revision than the user's copy, for *Update available* on their items. */
    updates?: GalleryBrowser.IUpdates;
    /** Renders the preview's markdown, sanitized. */
    rendermime?: IRenderMimeRegistry | null;
    /** The paths of the user's local copies of a gallery notebook, offered when it is gone from the gallery. */
    localCopies?: (id: string) => readonly string[];
    /** The user's inbox, shown with its unread count under the change requests. */
    inbox?: InboxModel;
  }
}
