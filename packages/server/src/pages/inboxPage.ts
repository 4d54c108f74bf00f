import type { IInboxEvent, InboxEventKind } from '@notebook-gallery/core';
import type { Element, ElementContent } from 'hast';
import { XSRF_FIELD } from '../auth/xsrf';
import type { PageLinks } from './pageLinks';
import { pageTime } from './pageDate';
import type { IRenderLibraries } from './render/renderLibraries';

/** What the inbox page shows: one page of events, newest first, and how to get the next. */
export interface IInboxView {
  events: readonly IInboxEvent[];
  /** The query for the next (older) page; null on the last. */
  nextCursor: string | null;
  /** Whether this is a later page (not the newest events). */
  paged: boolean;
  onlyUnread: boolean;
  unread: number;
  /** Notebooks of the listed events the user muted. */
  muted: ReadonlySet<string>;
  xsrfToken: string | null;
  /** This page's URL, to come back to after a form. */
  here: string;
}

/** `h` and the links the page needs. */
export interface IInboxTools {
  h: IRenderLibraries['h'];
  links: PageLinks;
}

type Child = string | ElementContent;

/** What each kind of event says, around the link to its notebook. */
const SAY: Record<InboxEventKind, (actor: string, title: Element) => Child[]> = {
  comment: (actor, title) => [`${actor} commented on `, title],
  reply: (actor, title) => [`${actor} replied in a thread you wrote in, on `, title],
  mention: (actor, title) => [`${actor} mentioned you in a comment on `, title],
  'change-request': (actor, title) => [`${actor} proposed changes to `, title],
  'change-request-accepted': (actor, title) => [`${actor} accepted your proposed changes to `, title],
  'change-request-declined': (actor, title) => [`${actor} declined your proposed changes to `, title],
  revision: (actor, title) => [`${actor} saved a new revision of `, title]
};

/**
 * The content of `/inbox`: the user's events newest first, unread ones marked in words (not colour alone), each with a
 * link to its comment, change request or revision; "Mark all as read", mute and unmute of the listed notebooks, and
 * paging, all as links and form posts. With no events, what will appear here and how.
 */
export function inboxMain(tools: IInboxTools, view: IInboxView): ElementContent[] {
  const { h, links } = tools;
  const main: ElementContent[] = [
    h('h1', 'Inbox'),
    h('p', { className: ['inbox-summary'] }, [
      view.unread === 0 ? 'Nothing unread. ' : `${view.unread} unread event${view.unread === 1 ? '' : 's'}. `,
      view.onlyUnread
        ? h('a', { href: links.href('/inbox') }, 'Show all events')
        : h('a', { href: links.href('/inbox', { unread: 'true' }) }, 'Show only unread events')
    ])
  ];
  if (view.unread > 0) {
    main.push(Private.form(tools, view, '/inbox/read', [['all', 'true']], 'Mark all as read'));
  }
  if (view.events.length === 0) {
    main.push(Private.empty(tools, view));
  } else {
    main.push(
      h(
        'ol',
        { className: ['inbox-events'], ariaLabel: 'Events, newest first' },
        view.events.map(event => Private.event(tools, view, event))
      )
    );
  }
  const pager: ElementContent[] = [];
  if (view.paged) {
    pager.push(
      h('a', { href: links.href('/inbox', { unread: view.onlyUnread ? 'true' : undefined }) }, 'Newest events')
    );
  }
  if (view.nextCursor !== null) {
    pager.push(
      h(
        'a',
        {
          href: links.href('/inbox', { unread: view.onlyUnread ? 'true' : undefined, cursor: view.nextCursor }),
          rel: 'next'
        },
        'Older events'
      )
    );
  }
  if (pager.length > 0) {
    main.push(h('nav', { className: ['inbox-pager'], ariaLabel: 'Inbox pages' }, pager));
  }
  const notebooks = new Map<string, string>();
  for (const event of view.events) {
    notebooks.set(event.notebookId, event.notebookTitle);
  }
  if (notebooks.size > 0) {
    main.push(
      h('section', { className: ['inbox-mutes'], ariaLabelledBy: 'inbox-mutes-heading' }, [
        h('h2', { id: 'inbox-mutes-heading' }, 'Notebooks on this page'),
        h('p', 'A muted notebook brings you no new events until you unmute it; what is listed here stays.'),
        h(
          'ul',
          [...notebooks].map(([id, title]) => {
            const muted = view.muted.has(id);
            return h('li', [
              h('a', { href: links.notebook(id) }, title),
              muted ? ' (muted) ' : ' ',
              Private.form(
                tools,
                view,
                '/inbox/mute',
                [
                  ['notebookId', id],
                  ['muted', muted ? 'false' : 'true']
                ],
                muted ? `Unmute ${title}` : `Mute ${title}`
              )
            ]);
          })
        )
      ])
    );
  }
  return main;
}

namespace Private {
  /** Where an event leads: the comment, the revision, or the notebook (change requests are reviewed in JupyterLab). */
  function target(links: PageLinks, event: IInboxEvent): string {
    if (event.commentId !== null) {
      return `${links.notebook(event.notebookId)}#comment-${event.commentId}`;
    }
    if (event.revision !== null) {
      return links.notebook(event.notebookId, event.revision);
    }
    return links.notebook(event.notebookId);
  }

  export function event(tools: IInboxTools, view: IInboxView, event: IInboxEvent): Element {
    const { h, links } = tools;
    const title = h('a', { href: target(links, event) }, event.notebookTitle);
    return h('li', { className: ['inbox-event', event.read ? 'inbox-event--read' : 'inbox-event--unread'] }, [
      h('p', { className: ['inbox-event__line'] }, [
        ...(event.read ? [] : [h('strong', { className: ['inbox-event__unread'] }, 'Unread'), ' ']),
        ...SAY[event.kind](event.actor, title),
        ' ',
        pageTime(h, event.createdAt)
      ]),
      ...(event.read ? [] : [form(tools, view, '/inbox/read', [['id', event.id]], 'Mark as read')])
    ]);
  }

  export function empty(tools: IInboxTools, view: IInboxView): Element {
    const { h, links } = tools;
    if (view.onlyUnread || view.paged) {
      return h('p', { className: ['empty-state'] }, [
        view.onlyUnread ? 'No unread events. ' : 'No older events. ',
        h('a', { href: links.href('/inbox') }, 'Show all events'),
        '.'
      ]);
    }
    return h('div', { className: ['empty-state'] }, [
      h('p', 'Your inbox is empty.'),
      h(
        'p',
        'It will list what concerns you: comments on your notebooks, replies in threads you wrote in, comments that ' +
          'mention you by @name, change requests to your notebooks and what became of yours, and new revisions of ' +
          'notebooks you starred or copied.'
      ),
      h('p', [
        'To start, find a notebook in ',
        h('a', { href: links.href('/') }, 'the gallery'),
        ' and star it, copy it into JupyterLab, or comment on it.'
      ])
    ]);
  }

  /** A one-button form post to `path` with the XSRF token and where to come back to. */
  export function form(
    tools: IInboxTools,
    view: IInboxView,
    path: string,
    hidden: [string, string][],
    button: string
  ): Element {
    const { h, links } = tools;
    return h('form', { className: ['inline-form'], method: 'post', action: links.href(path) }, [
      h('input', { type: 'hidden', name: XSRF_FIELD, value: view.xsrfToken ?? '' }),
      h('input', { type: 'hidden', name: 'back', value: view.here }),
      ...hidden.map(([name, value]) => h('input', { type: 'hidden', name, value })),
      h('button', { type: 'submit' }, button)
    ]);
  }
}
