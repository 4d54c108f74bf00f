import {
  COMMENT_MENTIONS_MAX,
  commentMentions,
  type CommentState,
  type IComment,
  type ICommentListResponse,
  type ICommentThread,
  type ICreateCommentRequest,
  type IEarlierCell,
  type IRevisionCommentsResponse
} from '@notebook-gallery/core';
import * as crypto from 'node:crypto';
import { authorizeChangeRequest, authorizeNotebook, canEdit, withoutAdmin, type ICaller } from '../auth/permissions';
import { ChangeRequestNotFoundError } from '../errors/ChangeRequestNotFoundError';
import { CommentNotFoundError } from '../errors/CommentNotFoundError';
import { ForbiddenError } from '../errors/ForbiddenError';
import { GalleryError } from '../errors/GalleryError';
import { InvalidAnchorError } from '../errors/InvalidAnchorError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { IChangeRequestRecord, IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { ICommentAnchorRecord, ICommentRecord, ICommentRepository } from '../repositories/commentRepository';
import type { INotebookRecord } from '../repositories/notebookRepository';
import type { ChangeRequestStore } from '../storage/changeRequestStore';
import type { NotebookStore } from '../storage/notebookStore';
import { auditAsAdmin, userOf } from './authorizedNotebook';
import { CommentCells, lineCount, type CellsById } from './commentCells';
import type { InboxService, IRecipientCandidate } from './inboxService';

/** What the service needs; built by the composition root. */
export interface ICommentServiceParts {
  store: Pick<NotebookStore, 'get' | 'revision' | 'findRevision' | 'readNotebook'>;
  proposals: Pick<ChangeRequestStore, 'readNotebook'>;
  changeRequests: Pick<IChangeRequestRepository, 'find' | 'listForNotebook'>;
  comments: ICommentRepository;
  audit: Pick<IAuditLogRepository, 'record'>;
  inbox: Pick<InboxService, 'notify' | 'owners'>;
}

/** A comment and its notebook, after the caller was found to see it. */
interface IVisibleComment {
  comment: ICommentRecord;
  notebook: INotebookRecord;
}

/**
 * Comments on a notebook, a cell or lines of a cell, with one level of replies, edits, resolve and reopen, and the
 * review comments of change requests. Anyone who may read a notebook reads and writes its comments; authors edit
 * their own; authors and whoever may edit the notebook resolve, reopen and delete. A review comment is seen by
 * those who see its change request until the request is accepted, then by every reader. A comment on a notebook
 * the caller may not read is answered as if it did not exist.
 */
export class CommentService {
  private readonly _cells = new CommentCells();

  constructor(private readonly _parts: ICommentServiceParts) {}

  /**
   * The notebook's threads with their state against the latest revision (or, with `changeRequestId`, the review
   * threads of that change request against its proposal).
   * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
   * @throws {ChangeRequestNotFoundError} when the caller may not see that change request.
   */
  async list(caller: ICaller, id: string, changeRequestId?: string): Promise<ICommentListResponse> {
    const notebook = await this._readable(caller, id);
    if (changeRequestId !== undefined) {
      const request = await this._visibleRequest(caller, notebook, changeRequestId);
      const proposal = await this._cellsOfProposal(request);
      return this._threads(caller, notebook, await this._parts.comments.listForChangeRequest(request.id), {
        revision: request.commitSha,
        cells: proposal
      });
    }
    const latest = await this._cellsAt(notebook, notebook.headSha);
    return this._threads(caller, notebook, await this._parts.comments.listForNotebook(id), {
      revision: notebook.headSha,
      cells: latest
    });
  }

  /**
   * The review threads of the change requests whose acceptance made `revision`, with states against it.
   * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
   * @throws {RevisionNotFoundError} when `revision` is not one of its revisions.
   */
  async forRevision(caller: ICaller, id: string, revision: string): Promise<IRevisionCommentsResponse> {
    const notebook = await this._readable(caller, id);
    await this._parts.store.revision(id, revision);
    const accepted = (await this._parts.changeRequests.listForNotebook(id, { status: 'accepted' }))
      .filter(request => request.acceptedRevision === revision)
      .reverse();
    if (accepted.length === 0) {
      return { reviews: [] };
    }
    const cells = await this._cellsAt(notebook, revision);
    const reviews = [];
    for (const request of accepted) {
      const listed = await this._threads(
        caller,
        notebook,
        await this._parts.comments.listForChangeRequest(request.id),
        {
          revision,
          cells
        }
      );
      reviews.push({
        changeRequestId: request.id,
        proposer: request.proposer,
        threads: [...listed.threads, ...listed.outdated]
      });
    }
    return { reviews };
  }

  /**
   * Adds a comment (or a reply to a thread) and tells whom it concerns.
   * @throws {UnauthorizedError} for the anonymous caller.
   * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
   * @throws {ChangeRequestNotFoundError} when the caller may not see the change request.
   * @throws {InvalidAnchorError} for a revision, cell or lines the notebook does not have.
   * @throws {InvalidRequestError} for too many mentions, or a reply to a comment of another thread or notebook.
   */
  async create(caller: ICaller, id: string, request: ICreateCommentRequest): Promise<IComment> {
    const user = userOf(caller);
    const notebook = await this._readable(caller, id);
    const changeRequest =
      request.changeRequestId === undefined
        ? null
        : await this._visibleRequest(caller, notebook, request.changeRequestId);
    Private.checkMentions(request.body);
    let parentId: string | null = null;
    let anchor: ICommentAnchorRecord | null = null;
    if (request.parentId !== undefined) {
      if (request.anchor !== undefined) {
        throw new InvalidRequestError('A reply has its thread’s anchor: send either parentId or anchor', 'anchor');
      }
      const parent = await this._parts.comments.find(request.parentId);
      if (!parent || parent.notebookId !== id || parent.changeRequestId !== (changeRequest?.id ?? null)) {
        throw new InvalidRequestError(
          `Comment "${request.parentId}" is not a comment of this notebook${changeRequest ? '’s change request' : ''}`,
          'parentId'
        );
      }
      parentId = parent.parentId ?? parent.id;
    } else if (request.anchor !== undefined) {
      anchor = await this._anchor(notebook, changeRequest, request.anchor);
    }
    const comment: ICommentRecord = {
      id: crypto.randomBytes(12).toString('base64url'),
      notebookId: id,
      author: user.username,
      body: request.body,
      createdAt: new Date().toISOString(),
      editedAt: null,
      resolvedAt: null,
      resolvedBy: null,
      parentId,
      changeRequestId: changeRequest?.id ?? null,
      anchor
    };
    await this._parts.comments.insert(comment);
    await this._tell(notebook, comment, changeRequest);
    return this._toApi(caller, notebook, comment);
  }

  /**
   * Changes the text of the caller's own comment; it shows as edited.
   * @throws {CommentNotFoundError} when it does not exist or the caller may not see it.
   * @throws {ForbiddenError} when the caller did not write it.
   * @throws {InvalidRequestError} for too many mentions.
   */
  async edit(caller: ICaller, commentId: string, body: string): Promise<IComment> {
    const user = userOf(caller);
    const { comment, notebook } = await this._visible(caller, commentId);
    if (comment.author !== user.username) {
      throw new ForbiddenError(`Only ${comment.author}, who wrote comment "${commentId}", may edit it`);
    }
    Private.checkMentions(body);
    const editedAt = new Date().toISOString();
    await this._parts.comments.setBody(commentId, body, editedAt);
    return this._toApi(caller, notebook, { ...comment, body, editedAt });
  }

  /**
   * Resolves or reopens a comment's thread (its root).
   * @throws {CommentNotFoundError} when it does not exist or the caller may not see it.
   * @throws {ForbiddenError} when the caller neither wrote it nor may edit the notebook.
   */
  async setResolved(caller: ICaller, commentId: string, resolved: boolean): Promise<IComment> {
    const user = userOf(caller);
    const { comment, notebook } = await this._visible(caller, commentId);
    if (comment.author !== user.username && !canEdit(caller, notebook)) {
      throw new ForbiddenError(
        `Only ${comment.author}, who wrote comment "${commentId}", or those who may edit the notebook may ` +
          (resolved ? 'resolve' : 'reopen') +
          ' it'
      );
    }
    const at = resolved ? new Date().toISOString() : null;
    const by = resolved ? user.username : null;
    await this._parts.comments.setResolved(commentId, at, by);
    return this._toApi(caller, notebook, { ...comment, resolvedAt: at, resolvedBy: by });
  }

  /**
   * Deletes a comment (a thread's root takes its replies with it).
   * @throws {CommentNotFoundError} when it does not exist or the caller may not see it.
   * @throws {ForbiddenError} when the caller neither wrote it nor may edit the notebook.
   */
  async delete(caller: ICaller, commentId: string): Promise<void> {
    const user = userOf(caller);
    const { comment, notebook } = await this._visible(caller, commentId);
    if (comment.author !== user.username) {
      if (!canEdit(caller, notebook)) {
        throw new ForbiddenError(
          `Only ${comment.author}, who wrote comment "${commentId}", or those who may edit the notebook may delete it`
        );
      }
      if (!canEdit(withoutAdmin(caller), notebook)) {
        await auditAsAdmin(this._parts, user, 'comment.delete', notebook, {
          comment: commentId,
          author: comment.author
        });
      }
    }
    await this._parts.comments.delete(commentId);
  }

  private async _readable(caller: ICaller, id: string): Promise<INotebookRecord> {
    const notebook = await this._parts.store.get(id, caller.user?.username ?? null);
    authorizeNotebook(caller, notebook, 'read');
    return notebook;
  }

  /** @throws {ChangeRequestNotFoundError} when the notebook has no such request or the caller may not see it. */
  private async _visibleRequest(
    caller: ICaller,
    notebook: INotebookRecord,
    requestId: string
  ): Promise<IChangeRequestRecord> {
    const request = await this._parts.changeRequests.find(notebook.id, requestId);
    if (!request) {
      throw new ChangeRequestNotFoundError(notebook.id, requestId);
    }
    authorizeChangeRequest(caller, notebook, request, 'view');
    return request;
  }

  /**
   * The comment and its notebook when the caller may see both; one answer for every reason they may not.
   * @throws {CommentNotFoundError}
   */
  private async _visible(caller: ICaller, commentId: string): Promise<IVisibleComment> {
    const comment = await this._parts.comments.find(commentId);
    if (!comment) {
      throw new CommentNotFoundError(commentId);
    }
    try {
      const notebook = await this._readable(caller, comment.notebookId);
      if (comment.changeRequestId !== null) {
        const request = await this._parts.changeRequests.find(notebook.id, comment.changeRequestId);
        if (!request) {
          throw new CommentNotFoundError(commentId);
        }
        // Once accepted, a review's comments belong to the notebook's discussion.
        if (request.status !== 'accepted') {
          authorizeChangeRequest(caller, notebook, request, 'view');
        }
      }
      return { comment, notebook };
    } catch (error) {
      if (error instanceof GalleryError && error.statusCode === 404) {
        throw new CommentNotFoundError(commentId);
      }
      throw error;
    }
  }

  /** @throws {InvalidAnchorError} */
  private async _anchor(
    notebook: INotebookRecord,
    changeRequest: IChangeRequestRecord | null,
    requested: NonNullable<ICreateCommentRequest['anchor']>
  ): Promise<ICommentAnchorRecord> {
    let revision: string;
    let cells: CellsById;
    if (changeRequest) {
      revision = changeRequest.commitSha;
      if (requested.revision !== undefined && requested.revision !== revision) {
        throw new InvalidAnchorError(
          `A review comment is on the change request’s proposed version, ${revision}, not revision ${requested.revision}`,
          'anchor.revision'
        );
      }
      cells = await this._cellsOfProposal(changeRequest);
    } else {
      revision = requested.revision ?? notebook.headSha;
      if ((await this._parts.store.findRevision(notebook.id, revision)) === undefined) {
        throw new InvalidAnchorError(`Notebook "${notebook.id}" has no revision "${revision}"`, 'anchor.revision');
      }
      cells = await this._cellsAt(notebook, revision);
    }
    const cell = cells.get(requested.cellId);
    if (!cell) {
      throw new InvalidAnchorError(
        `There is no cell with id "${requested.cellId}" in revision ${revision} of this notebook`,
        'anchor.cellId'
      );
    }
    const lines = requested.lines ?? null;
    if (lines) {
      const count = lineCount(cell.source);
      if (lines.from > lines.to) {
        throw new InvalidAnchorError(`The line range ${lines.from}–${lines.to} ends before it starts`, 'anchor.lines');
      }
      if (lines.to > count) {
        throw new InvalidAnchorError(
          `Cell "${requested.cellId}" has ${count} line${count === 1 ? '' : 's'} in revision ${revision}, so lines ` +
            `${lines.from}–${lines.to} are outside it`,
          'anchor.lines'
        );
      }
    }
    return { cellId: requested.cellId, revision, sourceHash: cell.hash, lines };
  }

  private _cellsAt(notebook: INotebookRecord, revision: string): Promise<CellsById> {
    return this._cells.of(notebook.id, revision, () => this._parts.store.readNotebook(notebook, revision));
  }

  private _cellsOfProposal(request: IChangeRequestRecord): Promise<CellsById> {
    return this._cells.of(request.notebookId, request.commitSha, () => this._parts.proposals.readNotebook(request));
  }

  /** The cells of the version a comment was written on: a revision, or its change request's proposal. */
  private async _cellsWritten(notebook: INotebookRecord, comment: ICommentRecord): Promise<CellsById> {
    const anchor = comment.anchor as ICommentAnchorRecord;
    if (comment.changeRequestId !== null) {
      const request = await this._parts.changeRequests.find(notebook.id, comment.changeRequestId);
      if (request && request.commitSha === anchor.revision) {
        return this._cellsOfProposal(request);
      }
    }
    return this._cellsAt(notebook, anchor.revision);
  }

  /** Roots with their replies and states against `target`; git is read only for cells whose hash differs. */
  private async _threads(
    caller: ICaller,
    notebook: INotebookRecord,
    comments: readonly ICommentRecord[],
    target: { revision: string; cells: CellsById }
  ): Promise<ICommentListResponse> {
    const editor = caller.user !== null && canEdit(caller, notebook);
    const replies = new Map<string, IComment[]>();
    for (const comment of comments) {
      if (comment.parentId !== null) {
        const list = replies.get(comment.parentId) ?? [];
        list.push(this._toApi(caller, notebook, comment, editor));
        replies.set(comment.parentId, list);
      }
    }
    const threads: ICommentThread[] = [];
    const outdated: ICommentThread[] = [];
    for (const comment of comments) {
      if (comment.parentId !== null) {
        continue;
      }
      const anchor = comment.anchor;
      let state: CommentState = 'notebook';
      let earlier: IEarlierCell | null = null;
      if (anchor) {
        const now = target.cells.get(anchor.cellId);
        state = now === undefined ? 'outdated' : now.hash === anchor.sourceHash ? 'current' : 'changed';
        if (state !== 'current') {
          earlier = await this._earlier(notebook, comment);
        }
      }
      const thread = {
        comment: this._toApi(caller, notebook, comment, editor),
        state,
        earlier,
        replies: replies.get(comment.id) ?? []
      };
      (state === 'outdated' ? outdated : threads).push(thread);
    }
    return { revision: target.revision, threads, outdated };
  }

  /** The cell as the comment saw it, or null when that version cannot be read any more. */
  private async _earlier(notebook: INotebookRecord, comment: ICommentRecord): Promise<IEarlierCell | null> {
    const anchor = comment.anchor as ICommentAnchorRecord;
    try {
      const cell = (await this._cellsWritten(notebook, comment)).get(anchor.cellId);
      return cell ? { revision: anchor.revision, source: cell.source } : null;
    } catch {
      return null;
    }
  }

  /** Who hears of a new comment: those it mentions, the others in its thread, the notebook's owners. */
  private async _tell(
    notebook: INotebookRecord,
    comment: ICommentRecord,
    changeRequest: IChangeRequestRecord | null
  ): Promise<void> {
    const { inbox, comments } = this._parts;
    const candidates: IRecipientCandidate[] = commentMentions(comment.body).map(username => ({
      username,
      kind: 'mention'
    }));
    if (comment.parentId !== null) {
      for (const username of await comments.threadAuthors(comment.parentId)) {
        candidates.push({ username, kind: 'reply' });
      }
    }
    for (const username of [...(await inbox.owners(notebook)), ...(changeRequest ? [changeRequest.proposer] : [])]) {
      candidates.push({ username, kind: 'comment' });
    }
    await inbox.notify(candidates, {
      notebook,
      actor: comment.author,
      commentId: comment.id,
      changeRequestId: changeRequest?.id,
      visibleTo: changeRequest
        ? caller => caller.user?.username === changeRequest.proposer || canEdit(caller, notebook)
        : undefined
    });
  }

  /** `editor`: whether the caller may edit the notebook, when the caller already knows (a list asks once). */
  private _toApi(
    caller: ICaller,
    notebook: INotebookRecord,
    comment: ICommentRecord,
    editor = caller.user !== null && canEdit(caller, notebook)
  ): IComment {
    const mine = caller.user !== null && caller.user.username === comment.author;
    return {
      id: comment.id,
      notebookId: comment.notebookId,
      author: comment.author,
      body: comment.body,
      createdAt: comment.createdAt,
      editedAt: comment.editedAt,
      resolved: comment.resolvedAt !== null,
      resolvedAt: comment.resolvedAt,
      resolvedBy: comment.resolvedBy,
      parentId: comment.parentId,
      anchor: comment.anchor,
      changeRequestId: comment.changeRequestId,
      mentions: commentMentions(comment.body),
      canEdit: mine,
      canDelete: mine || editor,
      canResolve: mine || editor
    };
  }
}

namespace Private {
  /** @throws {InvalidRequestError} when the text mentions more people than one comment may. */
  export function checkMentions(body: string): void {
    const count = commentMentions(body).length;
    if (count > COMMENT_MENTIONS_MAX) {
      throw new InvalidRequestError(
        `The comment mentions ${count} people; one comment may mention at most ${COMMENT_MENTIONS_MAX}`,
        'body'
      );
    }
  }
}
