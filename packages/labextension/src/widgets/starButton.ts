import type { IStarResponse } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { element } from './dom';

/**
 * A toggle button that stars a notebook: `aria-pressed` says whether the user starred it, and it shows how many
 * people did. Its name stays "Star <title>" either way, as a toggle's name should.
 */
export class StarButton {
  /** Create the button; a click calls `options.toggle` with the state wanted and shows the server's answer. */
  constructor(options: StarButton.IOptions) {
    this._trans = options.trans;
    this._toggle = options.toggle;
    this.node = element('button', 'jp-NotebookGallery-star');
    this.node.type = 'button';
    this.node.setAttribute('aria-label', options.trans.__('Star %1', options.title));
    this._symbol = element('span', 'jp-NotebookGallery-starSymbol');
    this._symbol.setAttribute('aria-hidden', 'true');
    this._count = element('span', 'jp-NotebookGallery-starCount');
    this.node.append(this._symbol, this._count);
    this.node.addEventListener('click', event => {
      // The button sits inside a list item that opens the notebook on click.
      event.stopPropagation();
      void this._onClick();
    });
    this.update(options.starred, options.stars);
  }

  /** The `<button>`. */
  readonly node: HTMLButtonElement;

  /** Show `starred` and `stars`. */
  update(starred: boolean, stars: number): void {
    this._starred = starred;
    this.node.setAttribute('aria-pressed', String(starred));
    this.node.classList.toggle('jp-mod-starred', starred);
    this._symbol.textContent = starred ? '★' : '☆';
    this._count.textContent = String(stars);
    this.node.title = starred
      ? this._trans._n(
          'You starred this notebook; %1 person did. Select to remove your star.',
          'You starred this notebook; %1 people did. Select to remove your star.',
          stars
        )
      : this._trans._n(
          '%1 person starred this notebook. Star it to find it again under Show → Starred.',
          '%1 people starred this notebook. Star it to find it again under Show → Starred.',
          stars
        );
  }

  private async _onClick(): Promise<void> {
    // Not `disabled`: that would drop the keyboard focus while the server answers.
    if (this._pending) {
      return;
    }
    this._pending = true;
    this.node.setAttribute('aria-busy', 'true');
    try {
      const reply = await this._toggle(!this._starred);
      this.update(reply.starred, reply.stars);
    } catch {
      // The caller reports the failure; the button keeps showing the state the server last confirmed.
    } finally {
      this._pending = false;
      this.node.removeAttribute('aria-busy');
    }
  }

  private _trans: TranslationBundle;
  private _toggle: (starred: boolean) => Promise<IStarResponse>;
  private _starred = false;
  private _pending = false;
  private _symbol: HTMLElement;
  private _count: HTMLElement;
}

/** Options of the star button. */
export namespace StarButton {
  /** Construction options. */
  export interface IOptions {
    /** The notebook's title, for the button's name. */
    title: string;
    starred: boolean;
    stars: number;
    trans: TranslationBundle;
    /** Star (`true`) or unstar; resolves with the server's answer, rejects after reporting a failure. */
    toggle: (starred: boolean) => Promise<IStarResponse>;
  }
}
