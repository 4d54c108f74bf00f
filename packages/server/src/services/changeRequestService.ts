import {
  diffNotebooks,
  type ChangeRequestStatus,
  type IAcceptChangeRequest,
  type IChangeRequest,
  type IChangeRequestDetail,
  type IChangeRequestListQuery,
  type IChangeRequestListResponse,
  type ICreateChangeRequest,
  type IDecideChangeRequest,
  type IMergedSaveResponse,
  type IMergedWith
} from '@notebook-gallery/core';
import {
  authorizeChangeRequest,
  authorizeNotebook,
  canEdit,
  type ChangeRequestAction,
  type ICaller
} from '../auth/permissions';
import { ChangeRequestClosedError } from '../errors/ChangeRequestClosedError';
import { ChangeRequestNotFoundError } from '../errors/ChangeRequestNotFoundError';
import { LimitReachedError } from '../errors/LimitReachedError';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { IChangeRequestRecord, IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { INotebookRecord } from '../repositories/notebookRepository';
import type { ChangeRequestStore } from '../storage/changeRequestStore';
import type { NotebookStore } from '../storage/notebookStore';
import { prepareNotebook, type IPreparedNotebook } from '../storage/preparedNotebook';
import type { SecretCheck } from './secretCheck';
import { auditAsAdmin, userOf } from './authorizedNotebook';
import type { InboxService } from './inboxService';
import type { NotebookSummaries } from './notebookSummary';
import { mergedMessage, mergeWithLatest } from './threeWayMerge';

/** What the service needs; built by the composition root. */
export interface IChangeRequestServiceParts {
  /** The secret check a proposal and its acceptance run. */
  secrets: SecretCheck;
  /** Turns records into summaries for a caller. */
  summaries: NotebookSummaries;
  store: NotebookStore;
  proposals: ChangeRequestStore;
  changeRequests: IChangeRequestRepository;
  audit: Pick<IAuditLogRepository, 'record'>;
  /** Tells the notebook's owners of a new change request, and its proposer of the decision. */
  inbox: Pick<InboxService, 'notify' | 'owners'>;
  /** Open change requests one proposer may have on one notebook and in all; unlimited when absent. */
  caps?: { openPerNotebook: number; openPerUser: number };
}

/** A change request and the notebook it belongs to, after the caller was authorized for an action. */
interface IAuthorizedRequest {
  notebook: INotebookRecord;
  request: IChangeRequestRecord;
}

/**
 * Change requests: a reader who may not edit a notebook proposes a version of it; whoever may edit it accepts
 * (a new revision authored by the proposer, merged three-way when the notebook moved on) or declines it; the
 * proposer may withdraw it. Rules: auth/permissions.ts (authorizeChangeRequest); listings across notebooks apply
 * the same rules in SQL.
 */
export class ChangeRequestService {
  constructor(private readonly _parts: IChangeRequestServiceParts) {}

  /**
   * Stores the caller's version of a notebook as an open change request based on `baseRevision`.
   * @throws {NotebookNotFoundError} when the caller may not read the notebook.
   * @throws {RevisionNotFoundError} when `baseRevision` is not a revision of it.
   * @throws {NotebookFormatError} when the notebook is not acceptable nbformat 4.
   * @throws {LimitReachedError} when the caller has as many open change requests as the caps allow.
   * @throws {SecretsFoundError} when the proposal holds what looks like secrets nobody confirmed.
   */
  async create(caller: ICaller, id: string, body: ICreateChangeRequest): Promise<IChangeRequest> {
    const user = userOf(caller);
    const { store, proposals } = this._parts;
    const notebook = await store.get(id);
    authorizeNotebook(caller, notebook, 'read');
    await store.revision(id, body.baseRevision);
    const prepared = prepareNotebook(body.notebook);
    // Counted under the notebook's lock, so a burst of parallel proposals cannot all pass the same count, and
    // counted again in the transaction that inserts the row, so proposals on other notebooks (or replicas) cannot
    // either.
    const request = await store.exclusive(id, async () => {
      await this._checkCaps(user.username, id);
      const clearance = await this._parts.secrets.check([id], prepared.notebook, body.confirmedSecrets);
      const proposed = await proposals.propose(
        notebook,
        {
          prepared,
          proposer: user.username,
          baseRevision: body.baseRevision,
          message: body.message.trim() || `Change request for ${notebook.title}`
        },
        () => this._checkCaps(user.username, id)
      );
      await this._parts.secrets.record(id, clearance, user.username);
      return proposed;
    });
    await this._parts.inbox.notify(
      (await this._parts.inbox.owners(notebook)).map(username => ({ username, kind: 'change-request' as const })),
      { notebook, actor: user.username, changeRequestId: request.id }
    );
    return Private.toApi(request, canEdit(caller, notebook));
  }

  /**
   * The notebook's change requests, newest first: all of them for whoever may edit it, the caller's own otherwise.
   * @throws {NotebookNotFoundError} when the caller may not read the notebook.
   */
  async listForNotebook(
    caller: ICaller,
    id: string,
    status?: ChangeRequestStatus
  ): Promise<IChangeRequestListResponse> {
    const user = userOf(caller);
    const notebook = await this._parts.store.get(id);
    authorizeNotebook(caller, notebook, 'read');
    const editor = canEdit(caller, notebook);
    const rows = await this._parts.changeRequests.listForNotebook(id, {
      status,
      proposer: editor ? undefined : user.username
    });
    return { items: rows.map(row => Private.toApi(row, editor)) };
  }

  /**
   * Change requests across notebooks, newest first: `proposer` the caller's own (on notebooks they still read),
   * `reviewer` those on notebooks the caller may edit; both when `role` is absent.
   */
  async listForCaller(caller: ICaller, query: IChangeRequestListQuery): Promise<IChangeRequestListResponse> {
    userOf(caller);
    const rows = await this._parts.changeRequests.listForCaller(caller, query.role ?? 'any', query.status);
    return { items: rows.map(row => Private.toApi(row.record, row.callerMayEdit)) };
  }

  /**
   * One change request with the diff from its base revision to the proposal.
   * @throws {NotebookNotFoundError} / {ChangeRequestNotFoundError} when the caller may not see it.
   */
  async detail(caller: ICaller, id: string, requestId: string): Promise<IChangeRequestDetail> {
    const { notebook, request } = await this._authorized(caller, id, requestId, 'view');
    const [base, proposal] = await Promise.all([
      this._parts.store.readNotebook(notebook, request.baseRevision),
      this._parts.proposals.readNotebook(request)
    ]);
    return { ...Private.toApi(request, canEdit(caller, notebook)), diff: diffNotebooks(base, proposal) };
  }

  /**
   * The proposed notebook's stored bytes.
   * @throws {NotebookNotFoundError} / {ChangeRequestNotFoundError} when the caller may not see it.
   */
  async content(caller: ICaller, id: string, requestId: string): Promise<Buffer> {
    return this._parts.proposals.readContent((await this._authorized(caller, id, requestId, 'view')).request);
  }

  /**
   * Accepts an open change request: a new revision authored by the proposer (committed by the caller, as a git
   * merge of the proposal commit), merged three-way with the latest revision when the notebook moved on since the
   * request's base.
   * @throws {NotebookNotFoundError} / {ChangeRequestNotFoundError} when the caller may not see it.
   * @throws {ForbiddenError} when the caller may not edit the notebook.
   * @throws {ChangeRequestClosedError} when it is no longer open.
   * @throws {MergeConflictError} when the proposal and the newer revisions changed the same part differently.
   * @throws {SecretsFoundError} when what would be committed holds what looks like secrets nobody confirmed.
   */
  async accept(
    caller: ICaller,
    id: string,
    requestId: string,
    body: IAcceptChangeRequest
  ): Promise<IMergedSaveResponse> {
    const user = userOf(caller);
    const { store } = this._parts;
    return store.exclusive(id, async () => {
      const { notebook, request } = await this._open(caller, id, requestId, 'decide', 'change-request.accept');
      const proposal = await this._parts.proposals.readNotebook(request);
      let prepared: IPreparedNotebook;
      let mergedWith: IMergedWith | undefined;
      // Users read this in History, so it names people, not the request's internal id.
      let message = `${request.message} (proposed by ${request.proposer}, accepted by ${user.username})`;
      if (request.baseRevision === notebook.headSha) {
        prepared = prepareNotebook(proposal);
      } else {
        const merge = await mergeWithLatest(
          store,
          notebook,
          request.baseRevision,
          proposal,
          `This change request and the revisions saved since its base revision changed the same part ` +
            `differently, so it cannot be accepted as it is; ask ${request.proposer} to submit it again from the ` +
            'latest revision, or open it, make the changes yourself and save'
        );
        prepared = merge.prepared;
        mergedWith = merge.mergedWith;
        message = mergedMessage(message, merge.mergedWith);
      }
      const decision = (acceptedRevision: string) => ({
        status: 'accepted' as const,
        decidedAt: new Date().toISOString(),
        decidedBy: user.username,
        comment: body.comment?.trim() || null,
        acceptedRevision
      });
      const clearance = await this._parts.secrets.check([id], prepared.notebook, body.confirmedSecrets);
      const result = await store.update(notebook, {
        prepared,
        author: request.proposer,
        committer: user.username,
        baseRevision: notebook.headSha,
        message,
        mergeParent: request.commitSha,
        withinTransaction: async revision => {
          await this._parts.proposals.decide(request, decision(revision.sha));
        }
      });
      await this._parts.secrets.record(id, clearance, user.username);
      if (!result.changed) {
        // The proposal equals the latest revision already: nothing to commit, but the request is settled.
        await this._parts.proposals.decide(request, decision(notebook.headSha));
      }
      await this._parts.inbox.notify([{ username: request.proposer, kind: 'change-request-accepted' }], {
        notebook,
        actor: user.username,
        changeRequestId: request.id,
        revision: result.record.headSha
      });
      return {
        ...(await this._parts.summaries.one(result.record, caller)),
        changed: result.changed,
        merged: mergedWith !== undefined,
        ...(mergedWith ? { mergedWith, notebook: prepared.notebook } : {})
      };
    });
  }

  /**
   * Declines an open change request, with the reviewer's comment.
   * @throws {NotebookNotFoundError} / {ChangeRequestNotFoundError} when the caller may not see it.
   * @throws {ForbiddenError} when the caller may not edit the notebook.
   * @throws {ChangeRequestClosedError} when it is no longer open.
   */
  async decline(caller: ICaller, id: string, requestId: string, body: IDecideChangeRequest): Promise<IChangeRequest> {
    return this._close(caller, id, requestId, 'decide', 'declined', body.comment);
  }

  /**
   * Withdraws the caller's own open change request.
   * @throws {NotebookNotFoundError} / {ChangeRequestNotFoundError} when the caller may not see it.
   * @throws {ForbiddenError} when the caller did not propose it.
   * @throws {ChangeRequestClosedError} when it is no longer open.
   */
  async withdraw(caller: ICaller, id: string, requestId: string): Promise<IChangeRequest> {
    return this._close(caller, id, requestId, 'withdraw', 'withdrawn');
  }

  private async _close(
    caller: ICaller,
    id: string,
    requestId: string,
    action: 'decide' | 'withdraw',
    status: 'declined' | 'withdrawn',
    comment?: string
  ): Promise<IChangeRequest> {
    const user = userOf(caller);
    return this._parts.store.exclusive(id, async () => {
      const { notebook, request } = await this._open(
        caller,
        id,
        requestId,
        action,
        status === 'declined' ? 'change-request.decline' : 'change-request.withdraw'
      );
      const decision = {
        status,
        decidedAt: new Date().toISOString(),
        decidedBy: user.username,
        comment: comment?.trim() || null,
        acceptedRevision: null
      };
      if (!(await this._parts.proposals.decide(request, decision))) {
        throw new ChangeRequestClosedError(request.id);
      }
      if (status === 'declined') {
        await this._parts.inbox.notify([{ username: request.proposer, kind: 'change-request-declined' }], {
          notebook,
          actor: user.username,
          changeRequestId: request.id
        });
      }
      return Private.toApi({ ...request, ...decision }, canEdit(caller, notebook));
    });
  }

  /**
   * {@link _authorized} for a change, which needs the request open; audits what only an admin role allowed.
   * @throws {ChangeRequestClosedError}
   */
  /** Each open change request is a git ref and an item in the owners' inbox: one user may not pile them up. */
  private async _checkCaps(proposer: string, notebookId: string): Promise<void> {
    const caps = this._parts.caps;
    if (!caps) {
      return;
    }
    const open = await this._parts.changeRequests.countOpen(proposer, notebookId);
    if (open.onNotebook >= caps.openPerNotebook) {
      throw new LimitReachedError(
        'open-change-requests-per-notebook',
        caps.openPerNotebook,
        `You have ${caps.openPerNotebook} open change requests on this notebook, the most this gallery allows ` +
          '(--max-open-change-requests-per-notebook); withdraw one, or wait until its owners decide, then propose again'
      );
    }
    if (open.total >= caps.openPerUser) {
      throw new LimitReachedError(
        'open-change-requests',
        caps.openPerUser,
        `You have ${caps.openPerUser} open change requests, the most this gallery allows ` +
          '(--max-open-change-requests); withdraw some, or wait until their owners decide, then propose again'
      );
    }
  }

  private async _open(
    caller: ICaller,
    id: string,
    requestId: string,
    action: ChangeRequestAction,
    auditAction: string
  ): Promise<IAuthorizedRequest> {
    const authorized = await this._authorized(caller, id, requestId, action);
    const { notebook, request } = authorized;
    if (request.status !== 'open') {
      throw new ChangeRequestClosedError(request.id, request.status);
    }
    if (authorized.asAdmin && caller.user) {
      await auditAsAdmin(this._parts, caller.user, auditAction, notebook, { changeRequest: request.id });
    }
    return { notebook, request };
  }

  /**
   * Loads the notebook and the change request and checks `action` (see authorizeChangeRequest).
   * @throws {NotebookNotFoundError} / {ChangeRequestNotFoundError} / {ForbiddenError}
   */
  private async _authorized(
    caller: ICaller,
    id: string,
    requestId: string,
    action: ChangeRequestAction
  ): Promise<IAuthorizedRequest & { asAdmin: boolean }> {
    const user = userOf(caller);
    // Read for the caller: accepting answers with the notebook's summary, `starred` included.
    const notebook = await this._parts.store.get(id, user.username);
    authorizeNotebook(caller, notebook, 'read');
    const request = await this._parts.changeRequests.find(id, requestId);
    if (!request) {
      throw new ChangeRequestNotFoundError(id, requestId);
    }
    const { asAdmin } = authorizeChangeRequest(caller, notebook, request, action);
    return { notebook, request, asAdmin };
  }
}

namespace Private {
  /** A change request as the API shows it; `callerMayEdit` is whether the caller may edit its notebook. */
  export function toApi(record: IChangeRequestRecord, callerMayEdit: boolean): IChangeRequest {
    return {
      id: record.id,
      notebookId: record.notebookId,
      notebookTitle: record.notebookTitle,
      proposer: record.proposer,
      message: record.message,
      baseRevision: record.baseRevision,
      status: record.status,
      createdAt: record.createdAt,
      decidedAt: record.decidedAt,
      decidedBy: record.decidedBy,
      comment: record.comment,
      acceptedRevision: record.acceptedRevision,
      canDecide: callerMayEdit && record.status === 'open'
    };
  }
}
