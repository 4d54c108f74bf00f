import type {
  ICreateNotebookRequest,
  IDeletionImpact,
  IMergedSaveResponse,
  INotebookListResponse,
  INotebookSummary,
  IPatchNotebookRequest,
  IRevisionListResponse,
  ISaveNotebookResponse,
  ISharing,
  ITransferRequest,
  IUpdateNotebookRequest,
  Visibility
} from '@notebook-gallery/core';
import { authorizeNotebook, hasGroupRole, withoutAdmin, type ICaller, type NotebookAction } from '../auth/permissions';
import {
  assertGroupExists,
  checkShares,
  resolveAccess,
  resolveTransfer,
  type IGroupLookup,
  type IUserLookup
} from './sharingPolicy';
import { ForbiddenError } from '../errors/ForbiddenError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type { IListingQueries } from '../repositories/listingQueries';
import type { IListRequest, INotebookRecord, INotebookRepository } from '../repositories/notebookRepository';
import type { ISignalRepository } from '../repositories/signalRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { NotebookStore } from '../storage/notebookStore';
import { prepareNotebook } from '../storage/preparedNotebook';
import type { SecretCheck } from './secretCheck';
import { loadAuthorized, userOf } from './authorizedNotebook';
import { UNKNOWN_ENVIRONMENT, type NotebookSummaries } from './notebookSummary';
import { mergedMessage, mergeWithLatest } from './threeWayMerge';

/** What the service needs; built by the composition root. */
export interface INotebookServiceParts {
  /** Turns records into summaries for a caller. */
  summaries: NotebookSummaries;
  /** Each revision's environment, for the revision list. */
  environments: Pick<IEnvironmentRepository, 'forNotebook'>;
  store: NotebookStore;
  notebooks: INotebookRepository;
  /** Listings and searches, run off the event loop. */
  listings: Pick<IListingQueries, 'list'>;
  /** Who exists, for shares and transfers. */
  users: IUserLookup;
  /** Which groups exist, for group ownership, visibility and shares. */
  groups: IGroupLookup;
  audit: Pick<IAuditLogRepository, 'record'>;
  /** Who opened copies, for what a deletion affects. */
  openers: Pick<ISignalRepository, 'openerCount'>;
  /** Visibility of a new notebook when the save does not choose one. */
  defaultVisibility: Visibility;
  /** The secret check every save runs. */
  secrets: SecretCheck;
  /** Makes a permission check and the change it allows one transaction. */
  unitOfWork: IUnitOfWork;
}

/**
 * The notebook use cases, for the HTTP routes, the CLI and the bench alike. Each takes the caller and, before it
 * changes anything, authorizes through permissions.ts, prepares (validates, strips, serialises) any notebook it is
 * given, and audits what only the caller's admin role allowed.
 */
export class NotebookService {
  constructor(private readonly _parts: INotebookServiceParts) {}

  /**
   * One page of the notebooks the caller may read, filtered, sorted or searched.
   * @throws {InvalidRequestError} for a cursor this server did not issue for this sort order.
   * @throws {ServerBusyError} when the page is not found within the query budget.
   */
  async list(caller: ICaller, request: IListRequest): Promise<INotebookListResponse> {
    const page = await this._parts.listings.list(caller, request);
    const summaries = await this._parts.summaries.page(page.records, caller);
    return {
      items: summaries.map(summary => {
        const snippet = page.snippets.get(summary.id);
        return snippet === undefined
          ? summary
          : { ...summary, snippet: snippet.text, snippetHighlights: snippet.highlights };
      }),
      nextCursor: page.nextCursor
    };
  }

  /** Whether some notebook is titled exactly `title` (examples are matched by title). */
  existsWithTitle(title: string): Promise<boolean> {
    return this._parts.notebooks.existsWithTitle(title);
  }

  /**
   * Saves a notebook as a new notebook owned by the caller, or by a group the caller owns or edits.
   * @throws {NotebookNotFoundError} or {RevisionNotFoundError} when `parent` does not exist or the caller cannot
   * read it.
   * @throws {InvalidRequestError} for a missing, unknown or pointless group.
   * @throws {ForbiddenError} when the caller may not save into or publish to the group.
   * @throws {NotebookFormatError} when the notebook is not acceptable nbformat 4.
   * @throws {SecretsFoundError} when it holds what looks like secrets nobody confirmed (a copy inherits its
   * parent's confirmations).
   */
  async create(caller: ICaller, request: ICreateNotebookRequest): Promise<ISaveNotebookResponse> {
    const user = userOf(caller);
    const { notebook, visibility, group, ownedByGroup, parent } = request;
    const { store, groups } = this._parts;
    if (parent) {
      // A copy must not reveal that a notebook the caller cannot read exists.
      authorizeNotebook(caller, await store.get(parent.id), 'read');
    }
    let ownerGroup: string | null = null;
    if (ownedByGroup) {
      if (group === undefined) {
        throw new InvalidRequestError('"ownedByGroup" needs the "group" that will own the notebook');
      }
      await assertGroupExists(groups, group);
      if (!hasGroupRole(caller, group, 'editor')) {
        throw new ForbiddenError(`Only owners and editors of group "${group}" may save notebooks owned by it`);
      }
      ownerGroup = group;
    }
    const ownerKind = ownerGroup ? 'group' : 'user';
    const access = await resolveAccess(
      groups,
      caller,
      { ownerKind, group: ownerGroup },
      { visibility: visibility ?? this._parts.defaultVisibility, group: ownerGroup ? undefined : group }
    );
    const prepared = prepareNotebook(notebook);
    if (parent) {
      // A copy must name a revision its parent really has (404 REVISION_NOT_FOUND otherwise).
      await store.revision(parent.id, parent.revision);
    }
    const clearance = await this._parts.secrets.check(
      parent ? [parent.id] : [],
      prepared.notebook,
      request.confirmedSecrets
    );
    const title = request.title.trim();
    const result = await store.create({
      ...access,
      ownerKind,
      owner: user.username,
      title,
      description: request.description?.trim() ?? '',
      tags: normalizeTags(request.tags ?? []),
      message: request.message?.trim() || `Create ${title}`,
      parent: parent ? { id: parent.id, revision: parent.revision } : null,
      prepared
    });
    await this._parts.secrets.record(result.record.id, clearance, user.username);
    if (ownerGroup && !hasGroupRole(withoutAdmin(caller), ownerGroup, 'editor')) {
      await this._parts.audit.record(user.username, 'notebook.create', result.record.id, { group: ownerGroup });
    }
    return { ...(await this._parts.summaries.one(result.record, caller)), changed: result.changed };
  }

  /**
   * A notebook's metadata.
   * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
   */
  async get(caller: ICaller, id: string): Promise<INotebookSummary> {
    return this._parts.summaries.one(await this._authorized(caller, id, 'read', 'notebook.get'), caller);
  }

  /**
   * Saves a new revision, unless the stripped notebook equals the latest one. Reads the notebook once. With
   * `merge` and a stale `baseRevision`, merges base, this notebook and the latest revision three-way, and commits
   * the merge on top of the latest revision when it is clean.
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / edit it.
   * @throws {NotebookFormatError} when the notebook is not acceptable nbformat 4.
   * @throws {RevisionConflictError} when `baseRevision` is not the latest revision and no merge was asked for, or
   * it is no revision of this notebook.
   * @throws {MergeConflictError} when the merge has conflicts; nothing is committed.
   * @throws {SecretsFoundError} when what would be committed holds what looks like secrets nobody confirmed.
   */
  async saveRevision(caller: ICaller, id: string, request: IUpdateNotebookRequest): Promise<IMergedSaveResponse> {
    const user = userOf(caller);
    const { store } = this._parts;
    return store.exclusive(id, async () => {
      const current = await this._authorized(caller, id, 'edit', 'notebook.put');
      const prepared = prepareNotebook(request.notebook);
      const stale = request.baseRevision !== current.headSha;
      const { secrets } = this._parts;
      if (!request.merge || !stale || (await store.findRevision(current.id, request.baseRevision)) === undefined) {
        const clearance = await secrets.check([current.id], prepared.notebook, request.confirmedSecrets);
        const result = await store.update(current, {
          prepared,
          author: user.username,
          baseRevision: request.baseRevision,
          message: request.message
        });
        await secrets.record(current.id, clearance, user.username);
        return { ...(await this._parts.summaries.one(result.record, caller)), changed: result.changed, merged: false };
      }
      const merge = await mergeWithLatest(
        store,
        current,
        request.baseRevision,
        prepared.notebook,
        `Notebook "${id}" was saved by someone else since revision ${request.baseRevision}, and both saves changed ` +
          'the same part differently; choose a version for each conflict and save again on the latest revision'
      );
      const message = request.message?.trim() || `Update ${current.title}`;
      // The merge is what gets committed: the other side's cells were checked when they were saved.
      const mergedClearance = await secrets.check([current.id], merge.prepared.notebook, request.confirmedSecrets);
      const result = await store.update(current, {
        prepared: merge.prepared,
        author: user.username,
        baseRevision: current.headSha,
        message: mergedMessage(message, merge.mergedWith)
      });
      await secrets.record(current.id, mergedClearance, user.username);
      return {
        ...(await this._parts.summaries.one(result.record, caller)),
        changed: result.changed,
        merged: true,
        mergedWith: merge.mergedWith,
        notebook: merge.prepared.notebook
      };
    });
  }

  /**
   * Changes title, description, tags or visibility; no new revision.
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / manage it.
   * @throws {InvalidRequestError} for a missing, unknown or pointless group.
   */
  async patch(caller: ICaller, id: string, request: IPatchNotebookRequest): Promise<INotebookSummary> {
    const { store, groups } = this._parts;
    // The check and the change are one transaction: the notebook read is the one changed.
    const patched = await store.exclusive(id, () =>
      this._parts.unitOfWork.transaction(async () => {
        const current = await this._authorized(caller, id, 'manage', 'notebook.patch');
        const { visibility, group, title, description, tags } = request;
        const access =
          visibility === undefined && group === undefined
            ? undefined
            : await resolveAccess(groups, caller, current, { visibility: visibility ?? current.visibility, group });
        const metadata = {
          title: title?.trim() ?? current.title,
          description: description?.trim() ?? current.description,
          tags: tags ? normalizeTags(tags) : current.tags
        };
        return store.patch(current, metadata, tags !== undefined, access);
      })
    );
    return this._parts.summaries.one(patched, caller);
  }

  /**
   * What deleting the notebook would affect, for the confirmation that names it: its revisions, the forks saved from
   * it (counted whoever may read them: the owner learns how many, never which) and the people who opened a copy.
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / manage it.
   */
  async deletionImpact(caller: ICaller, id: string): Promise<IDeletionImpact> {
    const record = await this._authorized(caller, id, 'manage', 'notebook.get');
    return {
      revisions: record.revisionCount,
      forks: await this._parts.notebooks.countForks(record.id),
      openedBy: await this._parts.openers.openerCount(record.id)
    };
  }

  /**
   * Deletes a notebook: its repository goes to the trash, then its rows.
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / manage it.
   */
  async delete(caller: ICaller, id: string): Promise<void> {
    const { store } = this._parts;
    await store.exclusive(id, async () => {
      await store.delete(await this._authorized(caller, id, 'manage', 'notebook.delete'));
    });
  }

  /**
   * The committed .ipynb file of a revision (the latest when `revision` is absent): the blob that names its bytes,
   * and how to read them. The caller is checked first; a reply can then be validated against the blob (ETag)
   * without reading the file.
   * @throws {NotebookNotFoundError} when the caller may not read it.
   * @throws {RevisionNotFoundError}
   */
  async content(caller: ICaller, id: string, revision?: string): Promise<{ blobSha: string; read(): Promise<Buffer> }> {
    const record = await this._authorized(caller, id, 'read', 'notebook.get');
    const blobSha = await this._parts.store.contentBlob(record, revision);
    return { blobSha, read: () => this._parts.store.readBlob(record, blobSha) };
  }

  /**
   * The notebook's revisions, newest first.
   * @throws {NotebookNotFoundError} when the caller may not read it.
   */
  async listRevisions(caller: ICaller, id: string): Promise<IRevisionListResponse> {
    const record = await this._authorized(caller, id, 'read', 'notebook.get');
    const environments = await this._parts.environments.forNotebook(record.id);
    return {
      items: (await this._parts.store.listRevisions(record)).map(revision => ({
        ...revision,
        environment: environments.get(revision.revision) ?? UNKNOWN_ENVIRONMENT
      }))
    };
  }

  /**
   * Who can see the notebook (managers only).
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / manage it.
   */
  async getSharing(caller: ICaller, id: string): Promise<ISharing> {
    return Private.sharingOf(await this._authorized(caller, id, 'manage', 'notebook.get'));
  }

  /**
   * Replaces visibility, group and explicit shares.
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / manage it.
   * @throws {InvalidRequestError} naming an unknown or repeated user or group.
   */
  async setSharing(caller: ICaller, id: string, sharing: ISharing): Promise<ISharing> {
    const { store, users, groups } = this._parts;
    return store.exclusive(id, () =>
      this._parts.unitOfWork.transaction(async () => {
        const current = await this._authorized(caller, id, 'manage', 'notebook.put');
        const access = await resolveAccess(groups, caller, current, sharing);
        const shares = await checkShares(users, groups, sharing.shares);
        return Private.sharingOf(await store.setSharing(current, { ...access, shares }));
      })
    );
  }

  /**
   * Gives the notebook to another user, or to a group the caller owns or edits.
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / manage it.
   * @throws {InvalidRequestError} for an unknown user or group.
   */
  async transfer(caller: ICaller, id: string, request: ITransferRequest): Promise<INotebookSummary> {
    const user = userOf(caller);
    const { store, users, groups } = this._parts;
    const transferred = await store.exclusive(id, () =>
      this._parts.unitOfWork.transaction(async () => {
        const current = await this._authorized(caller, id, 'manage', 'notebook.post');
        const { owner } = request;
        const ownership = await resolveTransfer(users, groups, { ...caller, user }, current, owner);
        if (owner.kind === 'group' && !hasGroupRole(withoutAdmin(caller), owner.name, 'editor')) {
          await this._parts.audit.record(user.username, 'notebook.transfer-to-group', current.id, {
            group: owner.name
          });
        }
        return store.transfer(current, ownership);
      })
    );
    return this._parts.summaries.one(transferred, caller);
  }

  /**
   * Loads the notebook and checks `action`, auditing as `auditAction` when only the admin role allows it.
   * @throws {NotebookNotFoundError} / {ForbiddenError}
   */
  private _authorized(
    caller: ICaller,
    id: string,
    action: NotebookAction,
    auditAction: string
  ): Promise<INotebookRecord> {
    return loadAuthorized(this._parts, caller, id, action, auditAction);
  }
}

namespace Private {
  /** The sharing settings of a notebook, as the sharing use cases answer them. */
  export function sharingOf(record: INotebookRecord): ISharing {
    return { visibility: record.visibility, group: record.group, shares: record.shares };
  }
}

/** Trims tags, drops blanks and repeats (case-insensitively), keeping the first spelling and the order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      result.push(tag);
    }
  }
  return result;
}
