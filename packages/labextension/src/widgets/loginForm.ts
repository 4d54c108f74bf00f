import type { IAuthConfig } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import { waitForSsoToken } from '../services/auth/ssoLogin';
import type { IGalleryClient } from '../tokens';
import { element, labelledInput } from './dom';

/**
 * The sidebar's logged-out face: a plain labelled form, so it works with any screen reader.
 * It offers what the server's auth config allows: password login, single sign-on, registration.
 */
export class LoginForm extends Widget {
  /** Create a form that logs in through `options.client`. */
  constructor(options: LoginForm.IOptions) {
    super({ node: document.createElement('form') });
    this._client = options.client;
    this._trans = options.trans;
    this.addClass('jp-NotebookGallery-login');
    const trans = this._trans;

    const form = this.node as HTMLFormElement;
    const headingId = `jp-NotebookGallery-login-${UUID.uuid4()}`;
    form.setAttribute('aria-labelledby', headingId);
    form.noValidate = true;

    this._heading = element('h2', 'jp-NotebookGallery-heading');
    this._heading.id = headingId;
    this._serverNode = element('p', 'jp-NotebookGallery-server');
    this._noticeNode = element('p', 'jp-NotebookGallery-notice');
    this._noticeNode.setAttribute('role', 'status');

    this._ssoButton = element('button', 'jp-mod-styled jp-mod-accept jp-NotebookGallery-sso');
    this._ssoButton.type = 'button';
    this._ssoButton.addEventListener('click', () => void this._ssoLogin());
    this._orNode = element('p', 'jp-NotebookGallery-or', trans.__('or'));

    const username = labelledInput(trans.__('Username'), { autocomplete: 'username' });
    const password = labelledInput(trans.__('Password'), {
      type: 'password',
      autocomplete: 'current-password'
    });
    const email = labelledInput(trans.__('Email'), {
      type: 'email',
      autocomplete: 'email',
      hint: trans.__('Accounts are open to email addresses at the domains your gallery’s administrator allows.')
    });
    this._usernameInput = username.input;
    this._passwordInput = password.input;
    this._emailInput = email.input;
    this._emailField = email.node;
    this._submitButton = element('button', 'jp-mod-styled jp-mod-accept');
    this._submitButton.type = 'submit';
    this._passwordSection = element('div', 'jp-NotebookGallery-passwordLogin');
    this._passwordSection.append(username.node, password.node, email.node, this._submitButton);

    this._errorNode = element('div', 'jp-NotebookGallery-error');
    this._errorNode.setAttribute('role', 'alert');

    this._modeButton = element('button', 'jp-NotebookGallery-link');
    this._modeButton.type = 'button';
    this._modeButton.addEventListener('click', () => this._setRegistering(!this._registering));

    form.append(
      this._heading,
      this._serverNode,
      this._noticeNode,
      this._ssoButton,
      this._orNode,
      this._passwordSection,
      this._errorNode,
      this._modeButton
    );
    form.addEventListener('submit', event => {
      event.preventDefault();
      void this._submit();
    });
    this._client.authChanged.connect(this._update, this);
    this._render();
    this._update();
  }

  /** Show why the user is being asked to log in, or clear it with null. */
  setNotice(text: string | null): void {
    this._noticeNode.textContent = text ?? '';
  }

  /** Put the cursor in the first empty field, or on the single sign-on button when that is all there is. */
  focusFirstField(): void {
    if (this._passwordSection.hidden) {
      this._ssoButton.focus();
      return;
    }
    (this._usernameInput.value ? this._passwordInput : this._usernameInput).focus();
  }

  dispose(): void {
    this._client.authChanged.disconnect(this._update, this);
    super.dispose();
  }

  private async _submit(): Promise<void> {
    const trans = this._trans;
    const username = this._usernameInput.value.trim();
    const password = this._passwordInput.value;
    const email = this._emailInput.value.trim();
    const needsEmail = this._registering && this._config?.registration === 'domains';
    if (!username || !password || (needsEmail && !email)) {
      this._errorNode.textContent = needsEmail
        ? trans.__('Enter a username, a password and your email address.')
        : trans.__('Enter your username and password.');
      this._focusFirstEmpty();
      return;
    }
    await this._busy(async () => {
      if (this._registering) {
        await this._client.register({ username, password, email: needsEmail ? email : undefined });
        this._setRegistering(false);
      } else {
        await this._client.login(username, password);
      }
      this._passwordInput.value = '';
    }, this._passwordInput);
  }

  private async _ssoLogin(): Promise<void> {
    const ssoLoginUrl = this._config?.ssoLoginUrl;
    if (!ssoLoginUrl) {
      return;
    }
    await this._busy(async () => {
      const message = await waitForSsoToken({ ssoLoginUrl, serverUrl: this._client.serverUrl, trans: this._trans });
      await this._client.loginWithSsoToken(message);
    }, this._ssoButton);
  }

  /** Run a login attempt with the form marked busy; on failure show the server's message inline. */
  private async _busy(attempt: () => Promise<void>, focusOnError: HTMLElement): Promise<void> {
    this._errorNode.textContent = '';
    this._setBusy(true);
    try {
      await attempt();
      this.setNotice(null);
    } catch (error) {
      this._errorNode.textContent = error instanceof Error ? error.message : String(error);
      if (focusOnError instanceof HTMLInputElement) {
        focusOnError.select();
      }
      focusOnError.focus();
    } finally {
      this._setBusy(false);
    }
  }

  private _focusFirstEmpty(): void {
    const inputs = [this._usernameInput, this._passwordInput];
    if (!this._emailField.hidden) {
      inputs.push(this._emailInput);
    }
    (inputs.find(input => !input.value.trim()) ?? this._usernameInput).focus();
  }

  private _setBusy(busy: boolean): void {
    this._isBusy = busy;
    this._submitButton.disabled = busy;
    this._ssoButton.disabled = busy;
    this.node.setAttribute('aria-busy', String(busy));
    this._render();
  }

  private _setRegistering(registering: boolean): void {
    this._registering = registering;
    this._errorNode.textContent = '';
    this._render();
    this._focusFirstEmpty();
  }

  /** Each time the form shows, the server (maybe a new one) may offer different ways in. */
  private _update(): void {
    this._serverNode.textContent = this._trans.__('Gallery server: %1', this._client.serverUrl);
    if (!this._client.isLoggedIn) {
      void this._loadConfig();
    }
  }

  private async _loadConfig(): Promise<void> {
    const serverUrl = this._client.serverUrl;
    let config: IAuthConfig | null;
    try {
      config = await this._client.authConfig();
    } catch {
      // An older or unreachable server: offer the password form, whose login reports the problem.
      config = null;
    }
    if (serverUrl === this._client.serverUrl) {
      this._config = config;
      if (!this._canRegister()) {
        this._registering = false;
      }
      this._render();
    }
  }

  private _canRegister(): boolean {
    const config = this._config;
    return config !== null && config.password && config.registration !== 'closed';
  }

  private _render(): void {
    const trans = this._trans;
    const config = this._config;
    const passwordAllowed = config?.password ?? true;
    const ssoLabel = config?.ssoLoginUrl ? config.ssoLabel || trans.__('single sign-on') : null;
    const registering = this._registering;

    this._heading.textContent = registering
      ? trans.__('Create a Notebook Gallery account')
      : trans.__('Log in to the Notebook Gallery');
    this._ssoButton.hidden = ssoLabel === null || registering;
    this._ssoButton.textContent = ssoLabel === null ? '' : trans.__('Log in with %1', ssoLabel);
    this._orNode.hidden = this._ssoButton.hidden || !passwordAllowed;
    this._passwordSection.hidden = !passwordAllowed;
    this._emailField.hidden = !(registering && config?.registration === 'domains');
    this._passwordInput.autocomplete = registering ? 'new-password' : 'current-password';
    this._submitButton.textContent = registering
      ? this._isBusy
        ? trans.__('Creating account…')
        : trans.__('Create account')
      : this._isBusy
        ? trans.__('Logging in…')
        : trans.__('Log in');
    this._modeButton.hidden = !this._canRegister();
    this._modeButton.textContent = registering ? trans.__('I already have an account') : trans.__('Create an account');
  }

  private _client: IGalleryClient;
  private _trans: TranslationBundle;
  private _config: IAuthConfig | null = null;
  private _registering = false;
  private _isBusy = false;
  private _heading: HTMLElement;
  private _serverNode: HTMLElement;
  private _noticeNode: HTMLElement;
  private _ssoButton: HTMLButtonElement;
  private _orNode: HTMLElement;
  private _passwordSection: HTMLElement;
  private _usernameInput: HTMLInputElement;
  private _passwordInput: HTMLInputElement;
  private _emailInput: HTMLInputElement;
  private _emailField: HTMLElement;
  private _errorNode: HTMLElement;
  private _submitButton: HTMLButtonElement;
  private _modeButton: HTMLButtonElement;
}

/** Options of the login form. */
export namespace LoginForm {
  /** Construction options. */
  export interface IOptions {
    client: IGalleryClient;
    trans: TranslationBundle;
  }
}
