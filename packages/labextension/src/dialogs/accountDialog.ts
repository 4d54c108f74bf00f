import type { ApiTokenKind, IApiTokenInfo } from '@notebook-gallery/core';
import { Dialog } from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import type { IGalleryClient } from '../tokens';
import { element, labelledInput } from '../widgets/dom';
import { EnterAwareBody } from './enterAwareBody';

/** What `showAccount` needs from the app. */
export interface IShowAccountOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
}

/** How the account dialog ended: closed by the user (maybe logged out) or by Sign out everywhere. */
export type AccountOutcome = 'closed' | 'signedOutEverywhere';

/**
 * Let the logged-in user change their password, sign out everywhere and manage their access
 * tokens, all in one dialog. Failures show the server's message inside the dialog; losing the
 * login (revoking this JupyterLab's own token, or signing out everywhere) closes it.
 */
export async function showAccount(options: IShowAccountOptions): Promise<AccountOutcome> {
  const { client, trans } = options;
  const body = new Private.AccountBody(options);
  const dialog = new Dialog({
    title: trans.__('Your gallery account'),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })],
    focusNodeSelector: 'input',
    hasClose: true
  });
  const closeOnLogout = (): void => {
    if (!client.isLoggedIn && !dialog.isDisposed) {
      dialog.reject();
    }
  };
  client.authChanged.connect(closeOnLogout);
  try {
    await dialog.launch();
  } finally {
    client.authChanged.disconnect(closeOnLogout);
  }
  return body.signedOutEverywhere ? 'signedOutEverywhere' : 'closed';
}

namespace Private {
  /** The sections; each is a real form, so Enter submits the section it was pressed in. */
  export class AccountBody extends EnterAwareBody {
    constructor(options: IShowAccountOptions) {
      super();
      this._client = options.client;
      this._trans = options.trans;
      this.addClass('jp-NotebookGallery-form');
      this.addClass('jp-NotebookGallery-accountForm');
      this.node.append(this._passwordSection(), this._tokenSection(), this._signOutSection());
    }

    /** Whether the user signed out everywhere from this dialog. */
    get signedOutEverywhere(): boolean {
      return this._signedOutEverywhere;
    }

    protected onAfterAttach(msg: Message): void {
      super.onAfterAttach(msg);
      void this._loadTokens();
    }

    /** Keep Enter from the dialog, so the browser submits the form or presses the button instead. */
    protected onEnter(event: KeyboardEvent): void {
      event.stopPropagation();
    }

    private _passwordSection(): HTMLElement {
      const trans = this._trans;
      const { form, heading } = Private.section(trans.__('Change password'));
      const current = labelledInput(trans.__('Current password'), {
        type: 'password',
        autocomplete: 'current-password'
      });
      const fresh = labelledInput(trans.__('New password'), {
        type: 'password',
        autocomplete: 'new-password',
        hint: trans.__('At least 8 characters.')
      });
      const repeat = labelledInput(trans.__('Repeat new password'), {
        type: 'password',
        autocomplete: 'new-password'
      });
      const submit = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Change password'));
      submit.type = 'submit';
      const alert = Private.alertNode();
      const status = Private.statusNode();
      const newRow = element('div', 'jp-NotebookGallery-passwordRow');
      newRow.append(fresh.node, repeat.node);
      form.append(heading, current.node, newRow, submit, alert, status);

      form.addEventListener('submit', event => {
        event.preventDefault();
        void (async () => {
          alert.textContent = '';
          status.textContent = '';
          if (!current.input.value) {
            alert.textContent = trans.__('Type your current password.');
            current.input.focus();
            return;
          }
          if (fresh.input.value !== repeat.input.value) {
            alert.textContent = trans.__('The new passwords do not match. Type the same one twice.');
            repeat.input.focus();
            return;
          }
          submit.disabled = true;
          try {
            await this._client.changePassword({
              currentPassword: current.input.value,
              newPassword: fresh.input.value
            });
            form.reset();
            status.textContent = trans.__(
              'Password changed. Every other JupyterLab and login of yours was signed out; this one stays logged in. Personal access tokens you created by name keep working: revoke any you no longer trust below.'
            );
            void this._loadTokens();
          } catch (error) {
            alert.textContent = Private.messageOf(error);
            current.input.focus();
          } finally {
            submit.disabled = false;
          }
        })();
      });
      return form;
    }

    private _tokenSection(): HTMLElement {
      const trans = this._trans;
      const section = element('section', 'jp-NotebookGallery-accountSection');
      const headingId = `jp-NotebookGallery-tokens-${UUID.uuid4()}`;
      const heading = element('h3', 'jp-NotebookGallery-subheading', trans.__('Access tokens'));
      heading.id = headingId;
      section.setAttribute('aria-labelledby', headingId);
      const intro = element(
        'p',
        'jp-NotebookGallery-hint',
        trans.__(
          'Personal tokens let scripts reach the gallery without your password; they keep working after a password change. Session tokens are logins: this JupyterLab logs in with one, so revoking it logs you out here.'
        )
      );
      this._listNode.setAttribute('role', 'list');
      this._listNode.setAttribute('aria-labelledby', headingId);
      this._listStatus.setAttribute('role', 'status');
      section.append(heading, intro, this._listStatus, this._listNode, this._listAlert, this._createForm());
      return section;
    }

    /** Sign out everywhere, confirmed in place because it logs this JupyterLab out too. */
    private _signOutSection(): HTMLElement {
      const trans = this._trans;
      const section = element('section', 'jp-NotebookGallery-accountSection');
      const heading = element('h3', 'jp-NotebookGallery-subheading', trans.__('Sign out everywhere'));
      heading.id = `jp-NotebookGallery-signout-${UUID.uuid4()}`;
      section.setAttribute('aria-labelledby', heading.id);
      const intro = element(
        'p',
        'jp-NotebookGallery-hint',
        trans.__(
          'Ends every login of yours: other JupyterLabs, other browsers and this JupyterLab. Personal access tokens keep working. Use it if you left a login open somewhere.'
        )
      );
      const actions = element('div', 'jp-NotebookGallery-signOutActions');
      const alert = Private.alertNode();
      const start = element('button', 'jp-mod-styled jp-mod-warn', trans.__('Sign out everywhere'));
      start.type = 'button';
      const ask = (): void => {
        const question = element(
          'span',
          'jp-NotebookGallery-tokenText',
          trans.__('This JupyterLab will be logged out too.')
        );
        question.id = `jp-NotebookGallery-signout-question-${UUID.uuid4()}`;
        const confirm = element('button', 'jp-mod-styled jp-mod-warn', trans.__('Sign out everywhere now'));
        confirm.type = 'button';
        // Focus lands on the button, so the question must be read with it.
        confirm.setAttribute('aria-describedby', question.id);
        const keep = element('button', 'jp-mod-styled jp-mod-reject', trans.__('Cancel'));
        keep.type = 'button';
        keep.setAttribute('aria-label', trans.__('Cancel signing out everywhere'));
        keep.addEventListener('click', () => {
          actions.replaceChildren(start);
          start.focus();
        });
        confirm.addEventListener('click', () => {
          void (async () => {
            alert.textContent = '';
            confirm.disabled = true;
            // Set first: the dialog closes as soon as the client forgets the login.
            this._signedOutEverywhere = true;
            try {
              await this._client.signOutEverywhere();
            } catch (error) {
              this._signedOutEverywhere = false;
              alert.textContent = Private.messageOf(error);
              confirm.disabled = false;
              confirm.focus();
            }
          })();
        });
        actions.replaceChildren(question, confirm, keep);
        confirm.focus();
      };
      start.addEventListener('click', ask);
      actions.append(start);
      section.append(heading, intro, actions, alert);
      return section;
    }

    private _createForm(): HTMLElement {
      const trans = this._trans;
      const { form, heading } = Private.section(trans.__('Create a token'), 'h4');
      const name = labelledInput(trans.__('Token name'), {
        placeholder: trans.__('What it is for, e.g. nightly script')
      });
      const submit = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Create token'));
      submit.type = 'submit';
      const row = element('div', 'jp-NotebookGallery-addShare');
      row.append(name.node, submit);
      const alert = Private.alertNode();
      const secret = element('div', 'jp-NotebookGallery-secret');
      secret.hidden = true;
      form.append(heading, row, alert, secret);

      form.addEventListener('submit', event => {
        event.preventDefault();
        void (async () => {
          alert.textContent = '';
          const tokenName = name.input.value.trim();
          if (!tokenName) {
            alert.textContent = trans.__('Give the token a name, so you know later what uses it.');
            name.input.focus();
            return;
          }
          submit.disabled = true;
          try {
            const created = await this._client.createToken({ name: tokenName });
            name.input.value = '';
            this._showSecret(secret, created.token);
            await this._loadTokens();
            // The refreshed list is taller and pushes the secret down: bring it back into view.
            secret.scrollIntoView({ block: 'nearest' });
          } catch (error) {
            alert.textContent = Private.messageOf(error);
            name.input.focus();
          } finally {
            submit.disabled = false;
          }
        })();
      });
      return form;
    }

    /** Show a new token's secret, the one time the server hands it out. */
    private _showSecret(container: HTMLElement, token: string): void {
      const trans = this._trans;
      const field = labelledInput(trans.__('New token'), {
        value: token,
        hint: trans.__('Copy it now: it will not be shown again.')
      });
      field.input.readOnly = true;
      field.input.classList.add('jp-NotebookGallery-secretInput');
      const copy = element('button', 'jp-mod-styled jp-mod-reject', trans.__('Copy'));
      copy.type = 'button';
      const status = Private.statusNode();
      copy.addEventListener('click', () => {
        void (async () => {
          try {
            await navigator.clipboard.writeText(token);
            status.textContent = trans.__('Copied.');
          } catch {
            // No clipboard access (an insecure origin, a denied permission): leave it to the keyboard.
            field.input.focus();
            field.input.select();
            status.textContent = trans.__('Selected: press Ctrl+C (⌘C on a Mac) to copy it.');
          }
        })();
      });
      // The Copy button sits beside the input, between its label and the hint.
      const row = element('div', 'jp-NotebookGallery-secretRow');
      field.input.replaceWith(row);
      row.append(field.input, copy);
      container.replaceChildren(field.node, status);
      container.hidden = false;
      field.input.focus();
      field.input.select();
    }

    private async _loadTokens(): Promise<void> {
      const trans = this._trans;
      this._listAlert.textContent = '';
      if (!this._tokens) {
        this._listStatus.textContent = trans.__('Loading your tokens…');
      }
      try {
        this._tokens = await this._client.listTokens();
        this._listStatus.textContent = this._tokens.length ? '' : trans.__('You have no tokens.');
      } catch (error) {
        this._listStatus.textContent = '';
        this._listAlert.textContent = Private.messageOf(error);
        return;
      }
      if (!this.isDisposed) {
        this._renderTokens();
      }
    }

    private _renderTokens(): void {
      const trans = this._trans;
      const tokens = this._tokens ?? [];
      this._listNode.hidden = tokens.length === 0;
      this._listNode.replaceChildren(
        ...tokens.map(token => {
          const row = element('li', 'jp-NotebookGallery-tokenRow');
          const text = element('div', 'jp-NotebookGallery-tokenText');
          const title = element('span', 'jp-NotebookGallery-tokenName', token.name);
          const isThis = token.id === this._client.tokenId;
          if (isThis) {
            title.append(' ', element('span', 'jp-NotebookGallery-shareKind', trans.__('(this JupyterLab)')));
          }
          text.append(title);
          const kind = token.kind ?? 'personal';
          const meta = element('span', 'jp-NotebookGallery-tokenMeta');
          meta.append(
            element('span', `jp-NotebookGallery-tokenKind jp-mod-${kind}`, Private.kindLabel(trans, kind)),
            ` · ${Private.describe(trans, token)}`
          );
          text.append(meta);
          const revoke = element('button', 'jp-mod-styled jp-mod-reject jp-NotebookGallery-remove', trans.__('Revoke'));
          revoke.type = 'button';
          revoke.setAttribute('aria-label', trans.__('Revoke %1', token.name));
          revoke.addEventListener('click', () => {
            if (isThis) {
              this._confirmRevoke(row, token);
            } else {
              void this._revoke(token);
            }
          });
          row.append(text, revoke);
          return row;
        })
      );
    }

    /** Revoking this JupyterLab's own token logs it out, so ask first, inside the row. */
    private _confirmRevoke(row: HTMLElement, token: IApiTokenInfo): void {
      const trans = this._trans;
      const question = element(
        'span',
        'jp-NotebookGallery-tokenText',
        trans.__('Revoking “%1” logs this JupyterLab out of the gallery.', token.name)
      );
      const confirm = element('button', 'jp-mod-styled jp-mod-warn', trans.__('Revoke and log out'));
      confirm.type = 'button';
      confirm.addEventListener('click', () => void this._revoke(token));
      const keep = element('button', 'jp-mod-styled jp-mod-reject', trans.__('Keep it'));
      keep.type = 'button';
      keep.addEventListener('click', () => {
        this._renderTokens();
        this._revokeButton(token)?.focus();
      });
      row.replaceChildren(question, confirm, keep);
      confirm.focus();
    }

    private async _revoke(token: IApiTokenInfo): Promise<void> {
      const trans = this._trans;
      this._listAlert.textContent = '';
      const index = (this._tokens ?? []).findIndex(item => item.id === token.id);
      try {
        await this._client.deleteToken(token.id);
      } catch (error) {
        this._listAlert.textContent = Private.messageOf(error);
        return;
      }
      if (this.isDisposed) {
        return;
      }
      this._listStatus.textContent = trans.__('Revoked “%1”.', token.name);
      await this._loadTokens();
      if (this._tokens?.length === 0) {
        this._listStatus.textContent = trans.__('Revoked “%1”. You have no tokens left.', token.name);
      }
      // Keep the keyboard user in the list: on the next row's Revoke, else on the name box.
      const buttons = this._listNode.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-remove');
      const next = buttons[Math.min(index, buttons.length - 1)];
      (next ?? this.node.querySelector<HTMLInputElement>('.jp-NotebookGallery-input'))?.focus();
    }

    private _revokeButton(token: IApiTokenInfo): HTMLButtonElement | null {
      const index = (this._tokens ?? []).findIndex(item => item.id === token.id);
      return this._listNode.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-remove')[index] ?? null;
    }

    private _client: IGalleryClient;
    private _trans: TranslationBundle;
    private _signedOutEverywhere = false;
    private _tokens: IApiTokenInfo[] | null = null;
    private _listNode = element('ul', 'jp-NotebookGallery-shares');
    private _listStatus = element('p', 'jp-NotebookGallery-hint');
    private _listAlert = Private.alertNode();
  }

  /** A form named by its heading. */
  export function section(title: string, level: 'h3' | 'h4' = 'h3'): { form: HTMLFormElement; heading: HTMLElement } {
    const form = element('form', 'jp-NotebookGallery-accountSection');
    form.noValidate = true;
    const heading = element(level, 'jp-NotebookGallery-subheading', title);
    heading.id = `jp-NotebookGallery-section-${UUID.uuid4()}`;
    form.setAttribute('aria-labelledby', heading.id);
    return { form, heading };
  }

  export function alertNode(): HTMLElement {
    const node = element('p', 'jp-NotebookGallery-error');
    node.setAttribute('role', 'alert');
    return node;
  }

  export function statusNode(): HTMLElement {
    const node = element('p', 'jp-NotebookGallery-status');
    node.setAttribute('role', 'status');
    return node;
  }

  /** The server's message (a `GalleryError` carries it), never a stack trace. */
  export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
  }

  /** "Session" for logins, "Personal" for tokens created by name. */
  export function kindLabel(trans: TranslationBundle, kind: ApiTokenKind): string {
    return kind === 'session' ? trans.__('Session') : trans.__('Personal');
  }

  /** "Created 3 days ago · Never used · Expires in 2 months". */
  export function describe(trans: TranslationBundle, token: IApiTokenInfo): string {
    return [
      trans.__('Created %1', Time.formatHuman(token.createdAt)),
      token.lastUsedAt ? trans.__('Last used %1', Time.formatHuman(token.lastUsedAt)) : trans.__('Never used'),
      token.expiresAt ? trans.__('Expires %1', Time.formatHuman(token.expiresAt)) : trans.__('Never expires')
    ].join(' · ');
  }
}
