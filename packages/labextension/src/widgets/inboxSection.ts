import type { IInboxEvent } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import type { InboxModel } from '../services/inboxModel';
import { CommandIDs } from '../tokens';
import { element } from './dom';

/**
 * The sidebar's inbox: a button with the unread count that opens the list of events (newest first; each opens the
 * notebook's preview, and a comment's event also the user's copy with the comments panel), with Mark all as read
 * and, per notebook, Mute. The
 * count also shows on the sidebar's tab (`title`).
 */
export class InboxSection extends Widget {
  /** Follow `options.inbox`; the count goes on `options.title` (the sidebar's tab) as well. */
  constructor(options: InboxSection.IOptions) {
    super();
    this._inbox = options.inbox;
    this._commands = options.commands;
    this._trans = options.trans;
    this._tab = options.tab ?? null;
    const trans = this._trans;
    this.addClass('jp-NotebookGallery-inbox');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('Inbox'));

    this._toggle = element('button', 'jp-NotebookGallery-inboxToggle');
    this._toggle.type = 'button';
    this._toggle.id = 'jp-NotebookGallery-inboxToggle';
    this._label = element('span', 'jp-NotebookGallery-inboxLabel', trans.__('Inbox'));
    this._badge = element('span', 'jp-NotebookGallery-inboxBadge');
    this._toggle.append(this._label, this._badge);
    this._toggle.addEventListener('click', () => this.setExpanded(!this._expanded));

    this._body = element('div', 'jp-NotebookGallery-inboxBody');
    this._body.id = 'jp-NotebookGallery-inboxBody';
    this._toggle.setAttribute('aria-controls', this._body.id);
    this._body.hidden = true;
    this.node.append(this._toggle, this._body);
    this._inbox.changed.connect(this._render, this);
    this._render();
  }

  /** Whether the list of events is open. */
  get expanded(): boolean {
    return this._expanded;
  }

  /** Open (loading the events) or close the list. */
  setExpanded(expanded: boolean): void {
    this._expanded = expanded;
    if (expanded) {
      this._loaded = false;
      void this._inbox.loadEvents().then(() => {
        this._loaded = true;
        this._render();
      });
    }
    this._render();
  }

  /** Open the list and put the focus on its first event (or on the toggle when it is empty). */
  async reveal(): Promise<void> {
    this.setExpanded(true);
    await this._inbox.loadEvents();
    this._loaded = true;
    this._render();
    (this._body.querySelector<HTMLElement>('.jp-NotebookGallery-inboxEvent') ?? this._toggle).focus();
  }

  dispose(): void {
    this._inbox.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const trans = this._trans;
    const unread = this._inbox.unread;
    // Hidden while the gallery has no inbox for this login (logged out, or a server from before inboxes).
    this.setHidden(unread === null && this._inbox.events.length === 0 && this._inbox.error === null);
    this._badge.textContent = unread ? String(unread) : '';
    this._badge.hidden = !unread;
    const countText = unread ? trans._n('%1 unread', '%1 unread', unread) : trans.__('nothing unread');
    this._toggle.setAttribute('aria-label', trans.__('Inbox, %1', countText));
    this._toggle.setAttribute('aria-expanded', String(this._expanded));
    if (this._tab) {
      const dataset: Record<string, string> = { ...this._tab.dataset };
      delete dataset.unread;
      this._tab.dataset = unread ? { ...dataset, unread: String(unread) } : dataset;
      this._tab.caption = unread
        ? trans._n('Notebook Gallery (%1 unread)', 'Notebook Gallery (%1 unread)', unread)
        : trans.__('Notebook Gallery');
    }
    this._body.hidden = !this._expanded;
    if (this._expanded) {
      this._renderBody();
    }
  }

  private _renderBody(): void {
    const trans = this._trans;
    const inbox = this._inbox;
    const events = inbox.events;
    const children: HTMLElement[] = [];
    if (inbox.error) {
      children.push(
        element('p', 'jp-NotebookGallery-hint', trans.__('The inbox could not be loaded. %1', inbox.error.message))
      );
    }
    if (events.length > 0) {
      const markAll = element('button', 'jp-mod-styled jp-mod-reject jp-NotebookGallery-inboxMarkAll');
      markAll.type = 'button';
      markAll.textContent = trans.__('Mark all as read');
      markAll.disabled = !inbox.unread;
      markAll.addEventListener('click', () => void inbox.markAllRead());
      children.push(markAll);
      const list = element('ul', 'jp-NotebookGallery-inboxList');
      list.append(...events.map(event => this._item(event)));
      children.push(list);
      if (inbox.hasMore) {
        const more = element('button', 'jp-mod-styled jp-mod-reject', trans.__('Show older events'));
        more.type = 'button';
        more.addEventListener('click', () => void inbox.loadEvents(true));
        children.push(more);
      }
    } else if (!inbox.error) {
      children.push(
        element(
          'p',
          'jp-NotebookGallery-hint',
          this._loaded
            ? trans.__(
                'Nothing here yet. Comments on your notebooks, replies, @mentions of you, change requests and updates to notebooks you starred or copied will show here.'
              )
            : trans.__('Loading your inbox…')
        )
      );
    }
    this._body.replaceChildren(...children);
  }

  private _item(event: IInboxEvent): HTMLElement {
    const trans = this._trans;
    const inbox = this._inbox;
    const item = element('li', `jp-NotebookGallery-inboxItem${event.read ? '' : ' jp-mod-unread'}`);
    const open = element('button', 'jp-NotebookGallery-inboxEvent');
    open.type = 'button';
    const text = InboxSection.eventText(trans, event);
    open.append(
      element('span', 'jp-NotebookGallery-inboxText', text),
      element('span', 'jp-NotebookGallery-itemMeta', Time.formatHuman(event.createdAt))
    );
    open.setAttribute('aria-label', event.read ? text : trans.__('Unread: %1', text));
    open.addEventListener('click', () => {
      void inbox.markRead(event.id);
      void this._commands.execute(CommandIDs.preview, { id: event.notebookId });
    });
    const muted = inbox.isMuted(event.notebookId);
    const mute = element('button', 'jp-NotebookGallery-linkButton', muted ? trans.__('Unmute') : trans.__('Mute'));
    mute.type = 'button';
    mute.setAttribute(
      'aria-label',
      muted
        ? trans.__('Unmute “%1”: get its events again', event.notebookTitle)
        : trans.__('Mute “%1”: get no more events about it', event.notebookTitle)
    );
    mute.addEventListener('click', () => void inbox.setMuted(event.notebookId, !muted));
    const actions = element('div', 'jp-NotebookGallery-inboxActions');
    if (event.commentId !== null) {
      // A comment is best read beside its cell: open the user's copy (the one made before, if any) and the panel.
      const show = element('button', 'jp-NotebookGallery-linkButton', trans.__('In my copy'));
      show.type = 'button';
      show.setAttribute('aria-label', trans.__('Show the comments in your copy of “%1”', event.notebookTitle));
      show.addEventListener('click', async () => {
        void inbox.markRead(event.id);
        await this._commands.execute(CommandIDs.open, { id: event.notebookId });
        await this._commands.execute(CommandIDs.comments, {});
      });
      actions.append(show);
    }
    actions.append(mute);
    item.append(open, actions);
    return item;
  }

  private _inbox: InboxModel;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _tab: Widget['title'] | null;
  private _toggle: HTMLButtonElement;
  private _label: HTMLElement;
  private _badge: HTMLElement;
  private _body: HTMLElement;
  private _expanded = false;
  private _loaded = false;
}

/** Options and text of the inbox section. */
export namespace InboxSection {
  /** Construction options. */
  export interface IOptions {
    inbox: InboxModel;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** The sidebar's title, whose tab shows the unread count. */
    tab?: Widget['title'];
  }

  /** What an event says, in one sentence. */
  export function eventText(trans: TranslationBundle, event: IInboxEvent): string {
    const title = event.notebookTitle;
    switch (event.kind) {
      case 'comment':
        return trans.__('%1 commented on “%2”', event.actor, title);
      case 'reply':
        return trans.__('%1 replied in a thread on “%2”', event.actor, title);
      case 'mention':
        return trans.__('%1 mentioned you on “%2”', event.actor, title);
      case 'change-request':
        return trans.__('%1 proposed changes to “%2”', event.actor, title);
      case 'change-request-accepted':
        return trans.__('%1 accepted your changes to “%2”', event.actor, title);
      case 'change-request-declined':
        return trans.__('%1 declined your changes to “%2”', event.actor, title);
      case 'revision':
        return trans.__('%1 saved a new version of “%2”', event.actor, title);
      default:
        return trans.__('%1 did something on “%2”', event.actor, title);
    }
  }
}
