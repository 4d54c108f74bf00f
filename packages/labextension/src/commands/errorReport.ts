import { ErrorCode } from '@notebook-gallery/core';
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';

/** What the commands need from the sidebar: where it is, and its login form and search box. */
export interface IGallerySidebarHandle {
  /** The DOM id the shell activates. */
  readonly id: string;
  /** Show the login form with a note saying why (inside JupyterHub, the hub login's status). */
  showLogin(notice: string | null): void;
  /** Focus the search box, or the login form when logged out. */
  focusSearch(): void;
  /** Show gallery notebook `id` in the sidebar's preview. */
  preview(id: string): Promise<void>;
}

/** How every gallery command tells the user about a failure or a missing login. */
export interface IErrorReport {
  /** Open the Gallery sidebar. */
  revealSidebar(): void;
  /** Open the sidebar's login form with `notice` saying why. */
  revealLogin(notice: string): void;
  /** Show the server's message under `title`; a lost login sends the user to the login form instead. */
  report(title: string, error: unknown): void;
}

/** The one way commands report failures, so a lost login always ends at the login form. */
export function errorReport(
  app: JupyterFrontEnd,
  client: IGalleryClient,
  sidebar: IGallerySidebarHandle,
  trans: TranslationBundle
): IErrorReport {
  const revealSidebar = (): void => {
    app.shell.activateById(sidebar.id);
  };
  const revealLogin = (notice: string): void => {
    revealSidebar();
    // Inside JupyterHub there is no form to log in with; the sidebar says what is missing.
    sidebar.showLogin(client.auth.canLogIn ? notice : null);
  };
  const report = (title: string, error: unknown): void => {
    const lostLogin =
      error instanceof GalleryError &&
      (error.code === ErrorCode.UNAUTHORIZED || error.code === ErrorCode.HUB_ACCESS_DENIED);
    if (lostLogin && !client.isLoggedIn) {
      revealLogin(trans.__('%1 Log in again, then try once more.', error.message));
      return;
    }
    void showErrorMessage(title, error instanceof Error ? error.message : String(error));
  };
  return { revealSidebar, revealLogin, report };
}
