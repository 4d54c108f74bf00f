import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import { element, labelledInput } from './dom';
import type { IGalleryClient } from './tokens';

/** The sidebar's logged-out face: a plain labelled form, so it works with any screen reader. */
export class LoginForm extends Widget {
  /** Create a form that logs in through `options.client`. */
  constructor(options: LoginForm.IOptions) {
    super({ node: document.createElement('form') });
    this._client = options.client;
    this._trans = options.trans;
    this.addClass('jp-NotebookGallery-login');

    const form = this.node as HTMLFormElement;
    const headingId = `jp-NotebookGallery-login-${UUID.uuid4()}`;
    form.setAttribute('aria-labelledby', headingId);
    form.noValidate = true;

    const heading = element('h2', 'jp-NotebookGallery-heading', this._trans.__('Log in to the Notebook Gallery'));
    heading.id = headingId;
    this._serverNode = element('p', 'jp-NotebookGallery-server');
    this._noticeNode = element('p', 'jp-NotebookGallery-notice');
    this._noticeNode.setAttribute('role', 'status');

    const username = labelledInput(this._trans.__('Username'), { autocomplete: 'username' });
    const password = labelledInput(this._trans.__('Password'), {
      type: 'password',
      autocomplete: 'current-password'
    });
    this._usernameInput = username.input;
    this._passwordInput = password.input;
    this._errorNode = element('div', 'jp-NotebookGallery-error');
    this._errorNode.setAttribute('role', 'alert');
    this._submitButton = element('button', 'jp-mod-styled jp-mod-accept', this._trans.__('Log in'));
    this._submitButton.type = 'submit';

    form.append(
      heading,
      this._serverNode,
      this._noticeNode,
      username.node,
      password.node,
      this._errorNode,
      this._submitButton
    );
    form.addEventListener('submit', event => {
      event.preventDefault();
      void this._submit();
    });
    this._client.authChanged.connect(this._update, this);
    this._update();
  }

  /** Show why the user is being asked to log in, or clear it with null. */
  setNotice(text: string | null): void {
    this._noticeNode.textContent = text ?? '';
  }

  /** Put the cursor in the first empty field. */
  focusFirstField(): void {
    (this._usernameInput.value ? this._passwordInput : this._usernameInput).focus();
  }

  dispose(): void {
    this._client.authChanged.disconnect(this._update, this);
    super.dispose();
  }

  private async _submit(): Promise<void> {
    const username = this._usernameInput.value.trim();
    const password = this._passwordInput.value;
    if (!username || !password) {
      this._errorNode.textContent = this._trans.__('Enter your username and password.');
      this.focusFirstField();
      return;
    }
    this._errorNode.textContent = '';
    this._setBusy(true);
    try {
      await this._client.login(username, password);
      this._passwordInput.value = '';
      this.setNotice(null);
    } catch (error) {
      this._errorNode.textContent = error instanceof Error ? error.message : String(error);
      this._passwordInput.select();
      this._passwordInput.focus();
    } finally {
      this._setBusy(false);
    }
  }

  private _setBusy(busy: boolean): void {
    this._submitButton.disabled = busy;
    this._submitButton.textContent = busy ? this._trans.__('Logging in…') : this._trans.__('Log in');
    this.node.setAttribute('aria-busy', String(busy));
  }

  private _update(): void {
    this._serverNode.textContent = this._trans.__('Gallery server: %1', this._client.serverUrl);
  }

  private _client: IGalleryClient;
  private _trans: TranslationBundle;
  private _serverNode: HTMLElement;
  private _noticeNode: HTMLElement;
  private _usernameInput: HTMLInputElement;
  private _passwordInput: HTMLInputElement;
  private _errorNode: HTMLElement;
  private _submitButton: HTMLButtonElement;
}

/** Options of the login form. */
export namespace LoginForm {
  /** Construction options. */
  export interface IOptions {
    client: IGalleryClient;
    trans: TranslationBundle;
  }
}
