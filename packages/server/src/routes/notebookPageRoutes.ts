import {
  NOTEBOOK_MIME_TYPE,
  slugify,
  type HealthStatus,
  type ILineageResponse,
  type INotebook,
  type INotebookSummary,
  type IRevisionListItem
} from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ElementContent } from 'hast';
import { XSRF_FIELD } from '../auth/xsrf';
import { RevisionNotFoundError } from '../errors/RevisionNotFoundError';
import { CommentThreads, type ICommentDraft } from '../pages/commentThreads';
import { pageTime } from '../pages/pageDate';
import type { IPages } from '../pages/pageTools';
import { commentPageRoutes } from './commentPageRoutes';

interface IIdParams {
  id: string;
}

interface IRevisionParams extends IIdParams {
  revision: string;
}

const ID_PARAMS = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['id']
} as const;
const REVISION_PARAMS = {
  type: 'object',
  properties: { ...ID_PARAMS.properties, revision: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['id', 'revision']
} as const;
const REVISION_QUERY = {
  type: 'object',
  properties: { revision: { type: 'string', minLength: 1, maxLength: 64 } }
} as const;
const STAR_FORM = {
  type: 'object',
  properties: {
    starred: { type: 'string', enum: ['true', 'false'] },
    back: { type: 'string', maxLength: 2000 },
    [XSRF_FIELD]: { type: 'string', maxLength: 200 }
  },
  required: ['starred']
} as const;

/** Forks listed on a notebook's page; the rest are counted. */
const FORKS_SHOWN = 20;

const HEALTH_TEXT: Record<HealthStatus, string> = {
  healthy: 'Runs cleanly',
  unhealthy: 'Runs fail',
  stale: 'No recent clean run',
  unknown: 'Not enough runs yet'
};

const VISIBILITY_TEXT = { public: 'Public', group: 'Group', private: 'Private' } as const;

/**
 * A notebook's pages: `/n/:id` (the latest revision; its share link), `/n/:id/r/:revision` (a permanent link), the
 * download of the stored .ipynb, the star form, and `/n/:id/open`, the one place that says where "Open in JupyterLab"
 * goes. Every read goes through the same services, with the same permission checks, as the API: a notebook the
 * visitor may not read, a missing one and a revision of another notebook are the same "not found" page.
 */
export const notebookPageRoutes: FastifyPluginAsync = async fastify => {
  const { pages, notebooks, revisions, config } = fastify;
  const { links } = pages;
  const signals = fastify.gallery.signals;
  pages.addFormParser(fastify);
  const page = { config: { page: true }, onRequest: pages.read };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    revision?: string,
    draft?: { comment: ICommentDraft; status: number }
  ) => {
    const { caller } = request;
    const summary = await notebooks.get(caller, id);
    const history = (await notebooks.listRevisions(caller, id)).items;
    const shown = revision === undefined ? history[0] : history.find(item => item.revision === revision);
    if (shown === undefined) {
      throw new RevisionNotFoundError(id, revision ?? '');
    }
    const content = await notebooks.content(caller, id, shown.revision);
    const notebook = JSON.parse((await content.read()).toString('utf8')) as INotebook;
    // Not the request's URL: a comment form that failed shows this page from its own POST route.
    const here = revision === undefined ? links.notebook(summary.id) : links.notebook(summary.id, shown.revision);
    const comments = new CommentThreads(pages, {
      notebookId: summary.id,
      list: await fastify.gallery.comments.list(caller, summary.id),
      notebook,
      shownRevision: shown.revision,
      shownNumber: shown.number,
      isLatest: shown.revision === history[0].revision,
      permanent: revision !== undefined,
      revisionNumbers: new Map(history.map(item => [item.revision, item.number])),
      canWrite: caller.user !== null,
      xsrfToken: pages.xsrfToken(request),
      loginUrl: pages.loginUrl(`${here}#comments`),
      draft: draft?.comment ?? null
    });
    const view: INotebookView = {
      summary,
      shown,
      latest: history[0],
      permanent: revision !== undefined,
      lineage: await revisions.lineage(caller, id),
      // With comments beside the cells, each cell's <li> takes them; otherwise the cells' kept HTML as it is.
      cells: comments.besideCells
        ? comments.commentedCells(await pages.cellItems(`${summary.id}@${shown.revision}`, notebook))
        : await pages.cells(`${summary.id}@${shown.revision}`, notebook),
      comments: comments.commentsSection(),
      shareUrl: Private.absolute(request, links.notebook(summary.id)),
      xsrfToken: pages.xsrfToken(request),
      here,
      loggedIn: caller.user !== null
    };
    return pages.send(request, reply, {
      title: summary.title,
      main: Private.notebookMain(pages, view),
      scripts: ['notebook-page.js'],
      status: draft?.status
    });
  };
  // The comment forms of this page post there; a form that fails shows this page again with the text kept.
  await fastify.register(commentPageRoutes, { show });

  fastify.get<{ Params: IIdParams }>(
    '/n/:id',
    {
      ...page,
      schema: { summary: "A notebook's page (its latest revision)", tags: ['pages'], hide: true, params: ID_PARAMS }
    },
    async (request, reply) => show(request, reply, request.params.id)
  );

  fastify.get<{ Params: IRevisionParams }>(
    '/n/:id/r/:revision',
    {
      ...page,
      schema: { summary: "A revision's page: a permanent link", tags: ['pages'], hide: true, params: REVISION_PARAMS }
    },
    async (request, reply) => show(request, reply, request.params.id, request.params.revision)
  );

  fastify.get<{ Params: IIdParams; Querystring: { revision?: string } }>(
    '/n/:id/download',
    {
      ...page,
      schema: {
        summary: 'Download the stored .ipynb (without outputs) of a revision, the latest by default',
        tags: ['pages'],
        hide: true,
        params: ID_PARAMS,
        querystring: REVISION_QUERY
      }
    },
    async (request, reply) => {
      const { id } = request.params;
      const summary = await notebooks.get(request.caller, id);
      const content = await notebooks.content(request.caller, id, request.query.revision);
      const name = slugify(summary.title);
      const ascii = name.replace(/[^\x20-\x7e]/g, '-').replace(/["\\]/g, '-');
      return reply
        .header(
          'content-disposition',
          `attachment; filename="${ascii}.ipynb"; filename*=UTF-8''${encodeURIComponent(name)}.ipynb`
        )
        .header('cache-control', 'private, no-cache')
        .type(NOTEBOOK_MIME_TYPE)
        .send(await content.read());
    }
  );

  fastify.post<{ Params: IIdParams; Body: { starred: 'true' | 'false'; back?: string } }>(
    '/n/:id/star',
    {
      config: { page: true, writeLimit: 'activity' },
      preHandler: pages.write,
      schema: {
        summary: 'Star or unstar from the page (a form post with the XSRF token)',
        tags: ['pages'],
        hide: true,
        params: ID_PARAMS,
        body: STAR_FORM
      }
    },
    async (request, reply) => {
      const { id } = request.params;
      await signals.setStar(request.caller, id, request.body.starred === 'true');
      const back = request.body.back ? links.next(request.body.back) : links.notebook(id);
      return reply.redirect(back, 303);
    }
  );

  fastify.get<{ Params: IIdParams; Querystring: { revision?: string } }>(
    '/n/:id/open',
    {
      ...page,
      schema: {
        summary: 'Open in JupyterLab: to the hub, to --lab-url, or a page explaining the sidebar',
        tags: ['pages'],
        hide: true,
        params: ID_PARAMS,
        querystring: REVISION_QUERY
      }
    },
    async (request, reply) => {
      const summary = await notebooks.get(request.caller, request.params.id);
      const revision = request.query.revision ?? summary.revision;
      // Checks the revision belongs to this notebook (the same 404 as any other), without reading it.
      await notebooks.content(request.caller, summary.id, revision);
      const target = Private.labTarget(config.hub?.baseUrl ?? null, config.labUrl, summary.id, revision);
      if (target !== null) {
        return reply.header('cache-control', 'no-store').redirect(target, 302);
      }
      return pages.send(request, reply, {
        title: `Open ${summary.title} in JupyterLab`,
        main: Private.openHelp(pages, summary)
      });
    }
  );
};

/** What a notebook's page shows. */
interface INotebookView {
  summary: INotebookSummary;
  /** The revision shown; `latest` is the newest. */
  shown: IRevisionListItem;
  latest: IRevisionListItem;
  /** Whether the page is the permanent link of `shown` (`/n/:id/r/:revision`). */
  permanent: boolean;
  lineage: ILineageResponse;
  cells: ElementContent;
  /** The `#comments` section's content after its heading (pages/commentThreads.ts). */
  comments: ElementContent[];
  shareUrl: string;
  xsrfToken: string | null;
  /** This page's path, to come back to after starring. */
  here: string;
  loggedIn: boolean;
}

namespace Private {
  /**
   * Where "Open in JupyterLab" goes, with the query the extension's router reads (`?gallery=<id>&revision=<rev>`):
   * in a hub, the hub's user-redirect (it sends each user to their own server, starting it if needed); standalone, the
   * configured JupyterLab; null when there is none.
   */
  export function labTarget(
    hubBaseUrl: string | null,
    labUrl: string | null,
    id: string,
    revision: string
  ): string | null {
    if (hubBaseUrl !== null) {
      return `${hubBaseUrl}hub/user-redirect/lab?${new URLSearchParams({ gallery: id, revision })}`;
    }
    if (labUrl === null) {
      return null;
    }
    const url = new URL(labUrl);
    url.searchParams.set('gallery', id);
    url.searchParams.set('revision', revision);
    return url.toString();
  }

  /** `path` as an absolute URL: from --public-url when set, else from the request (the visitor's own Host). */
  export function absolute(request: FastifyRequest, path: string): string {
    const publicUrl = request.server.config.publicUrl;
    if (publicUrl !== null) {
      return `${new URL(publicUrl).origin}${path}`;
    }
    const proto = request.headers['x-forwarded-proto'] === 'https' ? 'https' : request.protocol;
    return `${proto}://${request.host}${path}`;
  }

  export function notebookMain(pages: IPages, view: INotebookView): ElementContent[] {
    const { h } = pages;
    const { summary } = view;
    const description = summary.description.trim()
      ? [h('div', { className: ['nb-description'] }, [pages.renderer.renderMarkdown(summary.description)])]
      : [];
    return [
      h('article', { className: ['nb-page'] }, [
        h('header', { className: ['nb-header'] }, [
          h('h1', summary.title),
          revisionNotice(pages, view),
          ...description,
          facts(pages, view),
          actions(pages, view),
          shareLink(pages, view)
        ]),
        h('section', { className: ['nb-cells-section'], ariaLabelledBy: 'cells-heading' }, [
          h('h2', { id: 'cells-heading' }, `Notebook, revision ${view.shown.number}`),
          view.cells
        ]),
        h('section', { id: 'comments', ariaLabelledBy: 'comments-heading' }, [
          h('h2', { id: 'comments-heading' }, 'Comments'),
          ...view.comments
        ])
      ])
    ];
  }

  function revisionNotice(pages: IPages, view: INotebookView): ElementContent {
    const { h, links } = pages;
    const { shown, latest, summary } = view;
    const saved = [
      'Revision ',
      String(shown.number),
      ', saved ',
      pageTime(pages.h, shown.createdAt),
      ' by ',
      shown.author,
      '.'
    ];
    if (shown.revision !== latest.revision) {
      return h('p', { className: ['notice', 'nb-revision'], role: 'status' }, [
        ...saved,
        ' A newer revision exists: ',
        h('a', { href: links.notebook(summary.id) }, `see the latest (revision ${latest.number})`),
        '.'
      ]);
    }
    return h('p', { className: ['nb-revision'] }, [
      ...saved,
      ' ',
      view.permanent
        ? 'This is the latest revision.'
        : h('a', { href: links.notebook(summary.id, shown.revision) }, 'Permanent link to this revision')
    ]);
  }

  function facts(pages: IPages, view: INotebookView): ElementContent {
    const { h, links } = pages;
    const { summary, shown, lineage } = view;
    const environment = shown.environment;
    type Detail = string | ElementContent;
    const fact = (term: string, details: Detail | Detail[]): ElementContent[] => [
      h('dt', term),
      h('dd', Array.isArray(details) ? details : [details])
    ];
    const language = [environment.language, environment.languageVersion].filter(Boolean).join(' ');
    const rows: ElementContent[] = [
      ...fact('Owner', summary.ownerKind === 'group' ? `group ${summary.owner}` : summary.owner),
      ...fact(
        'Visibility',
        summary.visibility === 'group' && summary.group
          ? `${VISIBILITY_TEXT.group} (${summary.group})`
          : VISIBILITY_TEXT[summary.visibility]
      ),
      ...fact('Updated', pageTime(pages.h, summary.updatedAt)),
      ...fact(
        'Environment',
        [
          environment.kernelName ? `kernel ${environment.kernelName}` : 'kernel not recorded',
          language ? `, ${language}` : ''
        ].join('')
      ),
      ...fact(
        'Packages',
        environment.packages.length > 0
          ? h(
              'ul',
              { className: ['inline-list'] },
              environment.packages.map(name => h('li', h('code', name)))
            )
          : 'none imported'
      ),
      ...fact('Health', [
        h('span', { className: ['badge', `badge-${summary.health.status}`] }, HEALTH_TEXT[summary.health.status]),
        ` from ${summary.health.runs} run report${summary.health.runs === 1 ? '' : 's'}`
      ]),
      ...(summary.tags.length > 0
        ? fact(
            'Tags',
            h(
              'ul',
              { className: ['tag-list'] },
              summary.tags.map(tag => h('li', h('a', { href: links.href('/', { tag }) }, tag)))
            )
          )
        : [])
    ];
    if (lineage.parent) {
      rows.push(
        ...fact('Copied from', [
          h('a', { href: links.notebook(lineage.parent.id, lineage.parent.revision) }, lineage.parent.title),
          ` by ${lineage.parent.owner}`
        ])
      );
    } else if (lineage.parentHidden) {
      rows.push(...fact('Copied from', 'a notebook you cannot see'));
    }
    if (lineage.forks.length > 0) {
      const more = lineage.forks.length - FORKS_SHOWN;
      rows.push(
        ...fact('Copies', [
          h(
            'ul',
            { className: ['inline-list'] },
            lineage.forks
              .slice(0, FORKS_SHOWN)
              .map(fork => h('li', [h('a', { href: links.notebook(fork.id) }, fork.title), ` by ${fork.owner}`]))
          ),
          more > 0 ? ` and ${more} more` : ''
        ])
      );
    }
    return h('dl', { className: ['nb-facts'] }, rows);
  }

  function actions(pages: IPages, view: INotebookView): ElementContent {
    const { h, links } = pages;
    const { summary, shown } = view;
    const stars = h('span', { className: ['star-count'] }, `${summary.stars} star${summary.stars === 1 ? '' : 's'}`);
    const star = view.loggedIn
      ? h('form', { method: 'post', action: links.href(`/n/${encodeURIComponent(summary.id)}/star`) }, [
          h('input', { type: 'hidden', name: XSRF_FIELD, value: view.xsrfToken ?? '' }),
          h('input', { type: 'hidden', name: 'starred', value: summary.starred ? 'false' : 'true' }),
          h('input', { type: 'hidden', name: 'back', value: view.here }),
          h(
            'button',
            { type: 'submit', ariaPressed: summary.starred ? 'true' : 'false' },
            summary.starred ? '★ Starred' : '☆ Star'
          ),
          stars
        ])
      : h('span', [stars, ' ', h('a', { href: pages.loginUrl(view.here) }, 'Log in to star')]);
    const query = { revision: shown.revision };
    return h('div', { className: ['nb-actions'] }, [
      h(
        'a',
        { className: ['button', 'primary'], href: links.href(`/n/${encodeURIComponent(summary.id)}/open`, query) },
        'Open in JupyterLab'
      ),
      h(
        'a',
        {
          className: ['button'],
          href: links.href(`/n/${encodeURIComponent(summary.id)}/download`, query),
          download: ''
        },
        'Download .ipynb'
      ),
      h('a', { className: ['button'], href: links.href(`/n/${encodeURIComponent(summary.id)}/history`) }, 'History'),
      star
    ]);
  }

  /** The share link as text to copy (notebook-page.js adds a Copy link button beside it). */
  function shareLink(pages: IPages, view: INotebookView): ElementContent {
    const { h } = pages;
    return h('div', { className: ['nb-link'], dataCopyLink: '' }, [
      h('label', { htmlFor: 'nb-share-url' }, 'Link to this notebook'),
      h('input', { id: 'nb-share-url', type: 'url', readOnly: true, value: view.shareUrl })
    ]);
  }

  /** The page of "Open in JupyterLab" when the gallery knows no JupyterLab: how to open it from the sidebar. */
  export function openHelp(pages: IPages, summary: INotebookSummary): ElementContent[] {
    const { h, links } = pages;
    return [
      h('div', { className: ['narrow'] }, [
        h('h1', 'Open in JupyterLab'),
        h(
          'p',
          "This gallery does not know where your JupyterLab runs, so open the notebook from JupyterLab's Gallery sidebar:"
        ),
        h('ol', [
          h('li', 'Open your JupyterLab.'),
          h('li', 'Click the Gallery icon in the left sidebar, and log in if it asks.'),
          h('li', [
            'Search for ',
            h('strong', summary.title),
            ` (by ${summary.owner}) and click Open: it makes your own copy.`
          ])
        ]),
        h(
          'p',
          'Administrators can make this button go straight to JupyterLab with the --lab-url option of the gallery server.'
        ),
        h('p', [h('a', { href: links.notebook(summary.id) }, ['Back to ', summary.title])])
      ])
    ];
  }
}
