import type {
  IImportRevisionRequestBody as IImportRevisionRequest,
  IImportRevisionResponse as IImportRevisionResult
} from '@notebook-gallery/core';
import { prepareNotebook, type IPreparedNotebook } from '../storage/preparedNotebook';
import type { ICaller } from '../auth/permissions';
import { ForbiddenError } from '../errors/ForbiddenError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import type { IImportRepository } from '../repositories/importRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { ICommitSignature } from '../storage/gitRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { userOf } from './authorizedNotebook';
import { normalizeTags } from './notebookService';
import type { SecretCheck } from './secretCheck';
import { resolveAccess, type IGroupLookup, type IUserLookup } from './sharingPolicy';

/** The shape of the ids `newNotebookId` makes (16 base64url characters). */
const NOTEBOOK_ID = /^[A-Za-z0-9_-]{16}$/;

/** A full git commit id, as a merge parent must be given. */
const MERGE_PARENT = /^[0-9a-f]{40}$/;

/** What the service needs; built by the composition root. */
export interface IImportServiceParts {
  store: NotebookStore;
  imports: IImportRepository;
  unitOfWork: IUnitOfWork;
  users: IUserLookup;
  groups: IGroupLookup;
  /** The secret check every save runs; an import is refused for the same findings a save would be. */
  secrets: SecretCheck;
}

/**
 * The one way imports write, for `notebook-gallery import --data-dir` in process and the admin route of a live
 * server alike: each revision is validated and stripped like a save, committed with the source's author and date,
 * and recorded with its source keys in the same transaction as its rows, so it is applied exactly once however often
 * a run is repeated or cut short.
 */
export class ImportService {
  constructor(private readonly _parts: IImportServiceParts) {}

  /**
   * Applies one revision of an imported notebook: creates the notebook for its first, adds a revision for the next,
   * answers `skipped` for one an earlier run applied.
   * @throws {ForbiddenError} when the caller is not an admin.
   * @throws {InvalidRequestError} for an unknown owner, author or group, or a date that is not one.
   * @throws {NotebookFormatError} when the notebook is not acceptable nbformat 4.
   */
  async applyRevision(caller: ICaller, request: IImportRevisionRequest): Promise<IImportRevisionResult> {
    if (!userOf(caller).isAdmin) {
      throw new ForbiddenError('Only admins may import notebooks');
    }
    const { store, imports } = this._parts;
    const { origin, sourceKey, revisionKey } = request;
    // One item at a time: its first revision has no notebook id to lock yet.
    return store.exclusive(`import\0${origin}\0${sourceKey}`, async () => {
      const known = await imports.findNotebook(origin, sourceKey);
      if (known !== undefined && (await imports.isApplied(origin, sourceKey, revisionKey))) {
        return { notebookId: known, status: 'skipped' };
      }
      const prepared = prepareNotebook(request.notebook);
      // Confirmations count as for a save of the notebook this item already became.
      const clearance = await this._parts.secrets.check(
        known === undefined ? [] : [known],
        prepared.notebook,
        request.confirmedSecrets
      );
      await this._assertUser(request.username, 'author');
      const signature = Private.signature(request.authorName, request.authorEmail, request.date, 'date');
      const committerSignature =
        request.committer === undefined
          ? undefined
          : Private.signature(
              request.committer.name,
              request.committer.email,
              request.committer.date,
              'committer.date'
            );
      const record = (notebookId: string, revision: string): Promise<void> =>
        imports.recordApplied({
          origin,
          sourceKey,
          revisionKey,
          notebookId,
          revision,
          importedAt: new Date().toISOString()
        });
      if (request.mergeParent !== undefined && !MERGE_PARENT.test(request.mergeParent)) {
        throw new InvalidRequestError(
          `"mergeParent" must be a 40-hex commit id, got ${JSON.stringify(request.mergeParent)}`
        );
      }
      if (known === undefined) {
        if (request.mergeParent !== undefined) {
          throw new InvalidRequestError("A notebook's first revision cannot be a merge: it has no earlier revision");
        }
        const created = await this._create(caller, request, prepared, signature, record);
        await this._parts.secrets.record(created.notebookId, clearance, userOf(caller).username);
        return created;
      }
      return store.exclusive(known, async () => {
        const current = await store.get(known);
        // Checked here, not left to the save's integrity check: a missing merge parent is the request's fault.
        if (request.mergeParent !== undefined && !(await store.hasCommit(known, request.mergeParent))) {
          throw new InvalidRequestError(
            `The merge parent ${request.mergeParent.slice(0, 7)} is not a commit of this notebook's repository: ` +
              'write the proposal commit of the change request it accepted first'
          );
        }
        const result = await store.update(current, {
          prepared,
          author: request.username,
          baseRevision: current.headSha,
          message: request.message,
          signature,
          committerSignature,
          mergeParent: request.mergeParent,
          recordedAt: Private.recordedAt(request),
          withinTransaction: revision => record(known, revision.sha)
        });
        if (!result.changed) {
          await this._parts.unitOfWork.transaction(() => record(known, current.headSha));
          return { notebookId: known, status: 'unchanged' };
        }
        await this._parts.secrets.record(known, clearance, userOf(caller).username);
        return { notebookId: known, status: 'applied' };
      });
    });
  }

  private async _create(
    caller: ICaller,
    request: IImportRevisionRequest,
    prepared: IPreparedNotebook,
    signature: ICommitSignature,
    record: (notebookId: string, revision: string) => Promise<void>
  ): Promise<IImportRevisionResult> {
    const { metadata } = request;
    await this._assertUser(metadata.owner, 'owner');
    const ownerKind = metadata.ownedByGroup ? 'group' : 'user';
    if (metadata.ownedByGroup && metadata.group === null) {
      throw new InvalidRequestError('A notebook owned by a group needs the group');
    }
    const access = await resolveAccess(
      this._parts.groups,
      caller,
      { ownerKind, group: metadata.ownedByGroup ? metadata.group : null },
      { visibility: metadata.visibility, group: metadata.ownedByGroup ? undefined : metadata.group }
    );
    // An id from an archive names a directory: only one shaped like the ids this gallery makes, and free, is kept.
    const wanted =
      request.wantedId !== undefined &&
      NOTEBOOK_ID.test(request.wantedId) &&
      (await this._parts.store.find(request.wantedId)) === undefined
        ? request.wantedId
        : undefined;
    const title = metadata.title.trim() || 'Untitled';
    const result = await this._parts.store.create({
      ...access,
      id: wanted,
      ownerKind,
      owner: metadata.owner,
      author: request.username,
      title,
      description: metadata.description.trim(),
      tags: normalizeTags(metadata.tags),
      message: request.message.trim() || `Create ${title}`,
      parent: null,
      prepared,
      signature,
      recordedAt: Private.recordedAt(request),
      withinTransaction: async (revision, id) => record(id, revision.sha)
    });
    return { notebookId: result.record.id, status: 'created' };
  }

  /** @throws {InvalidRequestError} when `username` has no account. */
  private async _assertUser(username: string, role: 'owner' | 'author'): Promise<void> {
    if ((await this._parts.users.find(username)) === undefined) {
      throw new InvalidRequestError(
        `The ${role} "${username}" has no account here: add it ("notebook-gallery user add ${username}") or map ` +
          'the author to another user with --author-map'
      );
    }
  }
}

namespace Private {
  /** The request's date as the rows keep it (to the millisecond; its commit has it to the second). */
  export function recordedAt(request: IImportRevisionRequest): string {
    return new Date(Date.parse(request.date)).toISOString();
  }

  /**
   * A git signature from the source's name, email and ISO time (the author's, also the committer's unless the source
   * names another, so a re-import is identical).
   * @throws {InvalidRequestError} when the time is not one.
   */
  export function signature(name: string, email: string, date: string, field: string): ICommitSignature {
    const millis = Date.parse(date);
    if (Number.isNaN(millis)) {
      throw new InvalidRequestError(`"${field}" must be an ISO 8601 time, got ${JSON.stringify(date)}`);
    }
    return { name, email, timestamp: Math.floor(millis / 1000) };
  }
}
