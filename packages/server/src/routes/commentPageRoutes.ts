import { COMMENT_BODY_MAX_LENGTH, type ICreateCommentRequest } from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { XSRF_FIELD } from '../auth/xsrf';
import { GalleryError } from '../errors/GalleryError';
import { InvalidAnchorError } from '../errors/InvalidAnchorError';
import { RateLimitedError } from '../errors/RateLimitedError';
import type { ICommentDraft } from '../pages/commentThreads';

/** Shows a notebook's page (the latest revision, or `revision`), with a comment form's text and error when given. */
export type ShowNotebookPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  revision?: string,
  draft?: { comment: ICommentDraft; status: number }
) => Promise<FastifyReply>;

interface IOptions {
  show: ShowNotebookPage;
}

interface IIdParams {
  id: string;
}

interface ICommentParams extends IIdParams {
  commentId: string;
}

/** What every comment form sends: the XSRF token, and the revision shown when it is not the latest. */
interface IFormBase {
  [XSRF_FIELD]?: string;
  shown?: string;
}

interface ICommentForm extends IFormBase {
  body: string;
  cellId?: string;
  revision?: string;
  parentId?: string;
}

const ID = { type: 'string', minLength: 1, maxLength: 64 } as const;
const ID_PARAMS = { type: 'object', properties: { id: ID }, required: ['id'] } as const;
const COMMENT_PARAMS = {
  type: 'object',
  properties: { id: ID, commentId: ID },
  required: ['id', 'commentId']
} as const;
const FORM_BASE = {
  [XSRF_FIELD]: { type: 'string', maxLength: 200 },
  shown: ID
} as const;
/**
 * The text is not limited here but by the handler, so that a comment too long comes back on the page with its text
 * instead of a validation error; this bound only keeps what is parsed finite (a form far past the limit).
 */
const BODY = { type: 'string', maxLength: COMMENT_BODY_MAX_LENGTH * 20 } as const;
const COMMENT_FORM = {
  type: 'object',
  properties: { ...FORM_BASE, body: BODY, cellId: ID, revision: ID, parentId: ID },
  required: ['body']
} as const;
const EDIT_FORM = { type: 'object', properties: { ...FORM_BASE, body: BODY }, required: ['body'] } as const;
const ACTION_FORM = { type: 'object', properties: FORM_BASE } as const;

/**
 * The comment forms of a notebook's page, for browsers without JavaScript: write (on the notebook or a cell), reply, edit, resolve, reopen and delete, each a form post with the XSRF token that calls the comment service
 * as the API does (same permissions, same rate limit), then redirects to the comment (post, redirect, get). A comment
 * that cannot be saved (empty, too long, too many at once, its cell gone) shows the page again with a sentence that
 * says why and the text kept in its form. Registered by routes/notebookPageRoutes.ts, whose page it shows.
 */
export const commentPageRoutes: FastifyPluginAsync<IOptions> = async (fastify, { show }) => {
  const { pages } = fastify;
  const { links } = pages;
  const comments = fastify.gallery.comments;
  // Counted here, not by the route's config: a 429 here shows the page again with the comment's text kept.
  const rateLimited = fastify.writeLimit('comment');
  // The form parser comes from routes/notebookPageRoutes.ts, which registers this plugin.
  const form = { config: { page: true }, preHandler: pages.write };
  /** A form whose handler counts the `comment` limit itself, not through the route's config. */
  const commentForm = { ...form, config: { page: true, writeLimit: false as const } };
  const pageOf = (id: string, shown: string | undefined, fragment: string) =>
    `${shown === undefined ? links.notebook(id) : links.notebook(id, shown)}#${fragment}`;

  /** Runs `save`; a failure the writer can fix shows the page again with `draft`'s text and why. */
  const saving = async (
    request: FastifyRequest<{ Params: IIdParams; Body: IFormBase & { body?: string } }>,
    reply: FastifyReply,
    target: string,
    save: () => Promise<string>
  ) => {
    const { id } = request.params;
    const { shown } = request.body;
    const text = request.body.body ?? '';
    try {
      return reply.redirect(await save(), 303);
    } catch (error) {
      const message = Private.fixable(error, text);
      if (message === null) {
        throw error;
      }
      const status = error instanceof GalleryError ? error.statusCode : 400;
      if (error instanceof RateLimitedError) {
        reply.header('retry-after', String(error.details.retryAfterSeconds));
      }
      return show(request, reply, id, shown, { comment: { target, body: text, message }, status });
    }
  };

  fastify.post<{ Params: IIdParams; Body: ICommentForm }>(
    '/n/:id/comments',
    {
      ...commentForm,
      schema: {
        summary: 'Comment on the notebook or a cell, or reply, from the page (a form post)',
        tags: ['pages'],
        hide: true,
        params: ID_PARAMS,
        body: COMMENT_FORM
      }
    },
    async (request, reply) => {
      const { id } = request.params;
      const { body, cellId, revision, parentId, shown } = request.body;
      const target = parentId ? `reply:${parentId}` : cellId ? `cell:${cellId}` : 'notebook';
      return saving(request, reply, target, async () => {
        Private.checkText(body);
        const create: ICreateCommentRequest = { body };
        if (parentId) {
          create.parentId = parentId;
        } else if (cellId) {
          create.anchor = { cellId, ...(revision ? { revision } : {}) };
        }
        await rateLimited(request);
        const comment = await comments.create(request.caller, id, create);
        return pageOf(id, shown, `comment-${comment.id}`);
      });
    }
  );

  fastify.post<{ Params: ICommentParams; Body: IFormBase & { body: string } }>(
    '/n/:id/comments/:commentId/edit',
    {
      ...commentForm,
      schema: {
        summary: 'Change the text of your comment from the page (a form post)',
        tags: ['pages'],
        hide: true,
        params: COMMENT_PARAMS,
        body: EDIT_FORM
      }
    },
    async (request, reply) => {
      const { commentId } = request.params;
      return saving(request, reply, `edit:${commentId}`, async () => {
        Private.checkText(request.body.body);
        await rateLimited(request);
        const comment = await comments.edit(request.caller, commentId, request.body.body);
        return pageOf(comment.notebookId, request.body.shown, `comment-${comment.id}`);
      });
    }
  );

  for (const [action, resolved] of [
    ['resolve', true],
    ['reopen', false]
  ] as const) {
    fastify.post<{ Params: ICommentParams; Body: IFormBase }>(
      `/n/:id/comments/:commentId/${action}`,
      {
        ...form,
        schema: {
          summary: `${resolved ? 'Resolve' : 'Reopen'} a comment thread from the page (a form post)`,
          tags: ['pages'],
          hide: true,
          params: COMMENT_PARAMS,
          body: ACTION_FORM
        }
      },
      async (request, reply) => {
        const comment = await comments.setResolved(request.caller, request.params.commentId, resolved);
        return reply.redirect(pageOf(comment.notebookId, request.body.shown, `comment-${comment.id}`), 303);
      }
    );
  }

  fastify.post<{ Params: ICommentParams; Body: IFormBase }>(
    '/n/:id/comments/:commentId/delete',
    {
      ...form,
      schema: {
        summary: 'Delete a comment (and its replies) from the page (a form post)',
        tags: ['pages'],
        hide: true,
        params: COMMENT_PARAMS,
        body: ACTION_FORM
      }
    },
    async (request, reply) => {
      await comments.delete(request.caller, request.params.commentId);
      return reply.redirect(pageOf(request.params.id, request.body.shown, 'comments'), 303);
    }
  );
};

namespace Private {
  /** A mistake in the form itself, found before the service is asked. */
  class DraftError extends Error {}

  /** The text must say something and fit: the limits the API's schema sets (packages/core schemas/comments.ts). */
  export function checkText(body: string): void {
    if (!/\S/.test(body)) {
      throw new DraftError('Write something before sending: the comment is empty.');
    }
    if (body.length > COMMENT_BODY_MAX_LENGTH) {
      throw new DraftError(
        `The comment is ${body.length.toLocaleString('en')} characters long; at most ` +
          `${COMMENT_BODY_MAX_LENGTH.toLocaleString('en')} fit. Shorten it and send it again.`
      );
    }
  }

  /** The sentence for a failure the writer can fix (their text is kept); null for any other, which is thrown on. */
  export function fixable(error: unknown, text: string): string | null {
    if (error instanceof DraftError) {
      return error.message;
    }
    if (error instanceof RateLimitedError) {
      const seconds = Number(error.details.retryAfterSeconds);
      return (
        `You have written many comments in a short time. Wait ${seconds} second${seconds === 1 ? '' : 's'}, ` +
        'then send this one again: your text is kept below.'
      );
    }
    if (error instanceof InvalidAnchorError) {
      return error.details.field === 'anchor.cellId' || error.details.field === 'anchor.revision'
        ? 'This cell is not in the notebook any more: it changed while you were writing. Your text is kept ' +
            'here; reload the page to see the notebook as it is now.'
        : `${error.message}.`;
    }
    if (error instanceof GalleryError && error.statusCode === 400) {
      return text ? `${error.message}.` : null;
    }
    return null;
  }
}
