import {
  diffNotebooks,
  type ILineageRef,
  type ILineageResponse,
  type IMergedSaveResponse,
  type INotebook,
  type IParentRevision,
  type IRestoreRevisionRequest,
  type IRevisionDiffQuery,
  type IRevisionDiffResponse
} from '@notebook-gallery/core';
import { notebookAccess, type ICaller } from '../auth/permissions';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { INotebookRecord } from '../repositories/notebookRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { prepareNotebook } from '../storage/preparedNotebook';
import { loadAuthorized, userOf } from './authorizedNotebook';
import type { NotebookSummaries } from './notebookSummary';
import type { SecretCheck } from './secretCheck';

/** What the service needs; built by the composition root. */
export interface IRevisionServiceParts {
  /** Turns records into summaries for a caller. */
  summaries: NotebookSummaries;
  store: NotebookStore;
  audit: Pick<IAuditLogRepository, 'record'>;
  /** A restore is a save too: an old revision may predate the secret check. */
  secrets: SecretCheck;
}

/**
 * The history use cases beyond saving: what changed between two revisions, bringing an old revision back as a new
 * one (history is never rewritten), and where a notebook was forked from and to. Each authorizes through
 * permissions.ts first, like the notebook service.
 */
export class RevisionService {
  constructor(private readonly _parts: IRevisionServiceParts) {}

  /**
   * The structured diff between two revisions of one notebook: `to` defaults to the latest, `from` to the revision
   * before `to`. Before the first revision (answered with `from: null`) comes the parent's revision a fork was made
   * from, so a fork's first revision shows what the forker changed; an empty notebook when there is no parent the
   * caller may read (`parentHidden` for a fork).
   * @throws {NotebookNotFoundError} when the caller may not read the notebook.
   * @throws {RevisionNotFoundError} when either revision is not a revision of this notebook.
   */
  async diff(caller: ICaller, id: string, query: IRevisionDiffQuery): Promise<IRevisionDiffResponse> {
    const { store } = this._parts;
    const record = await loadAuthorized(this._parts, caller, id, 'read', 'notebook.get');
    const to = await store.revision(id, query.to ?? record.headSha);
    const from =
      query.from !== undefined ? await store.revision(id, query.from) : await store.revisionByNumber(id, to.number - 1);
    const toNotebook = await store.readNotebook(record, to.revision);
    const parent = from || query.from !== undefined ? null : await this._readableParentRevision(caller, record);
    const fromNotebook = from
      ? await store.readNotebook(record, from.revision)
      : parent
        ? await store.readNotebook(parent.record, parent.ref.revision)
        : Private.emptyLike(toNotebook);
    return {
      from: from ? { revision: from.revision, number: from.number } : null,
      to: { revision: to.revision, number: to.number },
      parent: parent?.ref ?? null,
      parentHidden: !from && query.from === undefined && record.parent !== null && parent === null,
      diff: diffNotebooks(fromNotebook, toNotebook)
    };
  }

  /** The parent's revision `record` was forked from, when there is one and the caller may read it. */
  private async _readableParentRevision(
    caller: ICaller,
    record: INotebookRecord
  ): Promise<{ record: INotebookRecord; ref: IParentRevision } | null> {
    const { store } = this._parts;
    if (!record.parent) {
      return null;
    }
    const parent = await store.find(record.parent.id);
    const revision = parent && (await store.findRevision(parent.id, record.parent.revision));
    if (!parent || !revision || notebookAccess(caller, parent) === 'none') {
      return null;
    }
    const { id, title, owner, ownerKind } = parent;
    return {
      record: parent,
      ref: { id, title, owner, ownerKind, revision: revision.revision, number: revision.number }
    };
  }

  /**
   * Saves an old revision's notebook as a new revision on top of the latest ("Restored revision N" unless a
   * message is given); no commit when it equals the latest.
   * @throws {NotebookNotFoundError} / {ForbiddenError} when the caller may not read / edit the notebook.
   * @throws {RevisionNotFoundError} when `revision` is not a revision of this notebook.
   * @throws {SecretsFoundError} when the old revision holds what looks like secrets nobody confirmed.
   */
  async restore(caller: ICaller, id: string, request: IRestoreRevisionRequest): Promise<IMergedSaveResponse> {
    const user = userOf(caller);
    const { store } = this._parts;
    return store.exclusive(id, async () => {
      const current = await loadAuthorized(this._parts, caller, id, 'edit', 'notebook.restore');
      const old = await store.revision(id, request.revision);
      const prepared = prepareNotebook(await store.readNotebook(current, old.revision));
      const clearance = await this._parts.secrets.check([id], prepared.notebook, request.confirmedSecrets);
      const result = await store.update(current, {
        prepared,
        author: user.username,
        baseRevision: current.headSha,
        message: request.message?.trim() || `Restored revision ${old.number}`
      });
      await this._parts.secrets.record(id, clearance, user.username);
      return { ...(await this._parts.summaries.one(result.record, caller)), changed: result.changed, merged: false };
    });
  }

  /**
   * What the notebook was forked from (only when the caller may read it; `parentHidden` otherwise, also when it
   * was deleted) and its forks the caller may read, newest first.
   * @throws {NotebookNotFoundError} when the caller may not read the notebook.
   */
  async lineage(caller: ICaller, id: string): Promise<ILineageResponse> {
    const { store } = this._parts;
    const record = await loadAuthorized(this._parts, caller, id, 'read', 'notebook.get');
    let parent: ILineageRef | null = null;
    if (record.parent) {
      const found = await store.find(record.parent.id);
      if (found && notebookAccess(caller, found) !== 'none') {
        parent = Private.ref(found, record.parent.revision);
      }
    }
    const forks = (await store.listForks(caller, record)).map(fork =>
      Private.ref(fork, fork.parent?.revision ?? record.headSha)
    );
    return { parent, parentHidden: record.parent !== null && parent === null, forks };
  }
}

namespace Private {
  /** A notebook with nothing in it, of the same format: what the first revision is compared with. */
  export function emptyLike(notebook: INotebook): INotebook {
    return { nbformat: notebook.nbformat, nbformat_minor: notebook.nbformat_minor, metadata: {}, cells: [] };
  }

  /** A notebook in a lineage, with the revision the fork was made from. */
  export function ref(record: INotebookRecord, revision: string): ILineageRef {
    return { id: record.id, title: record.title, owner: record.owner, revision };
  }
}
