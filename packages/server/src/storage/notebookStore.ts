import type { IParentRef, IRevision, IShare, PrincipalKind, Visibility } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GalleryDatabase } from '../db/database';
import { NotebookNotFoundError } from '../errors/NotebookNotFoundError';
import { RevisionConflictError } from '../errors/RevisionConflictError';
import { RevisionNotFoundError } from '../errors/RevisionNotFoundError';
import type { SearchIndex } from '../search/searchIndex';
import { crashPoint } from './faultInjection';
import {
  initRepository,
  readBlob,
  removeStaleBranchLock,
  setBranchHead,
  writeNotebookCommit,
  type ICommitSignature,
  type IWrittenCommit
} from './gitRepository';
import { KeyedMutex } from './keyedMutex';
import { normalizeTags, toRecords, type INotebookRecord, type INotebookRow } from './notebookRecord';
import type { IPreparedNotebook } from './preparedNotebook';
import { newNotebookId, repositoryPath, trashPath } from './repositoryLayout';

/**
 * Who owns a notebook and who else sees it, as stored: for a group-owned notebook `group` is the owning group and
 * `owner` the user who made it group-owned; otherwise `owner` is the owning user and `group` the group that
 * `group` visibility publishes to (or null).
 */
export interface INotebookOwnership {
  ownerKind: PrincipalKind;
  owner: string;
  visibility: Visibility;
  group: string | null;
}

/** A new notebook; `owner` is also the author of its first revision. */
export interface ICreateNotebookInput extends INotebookOwnership {
  prepared: IPreparedNotebook;
  title: string;
  description?: string;
  tags?: string[];
  message?: string;
  parent?: IParentRef;
}

/** A new revision of an existing notebook. */
export interface IUpdateNotebookInput {
  id: string;
  prepared: IPreparedNotebook;
  author: string;
  baseRevision: string;
  message?: string;
}

/** Metadata changes; absent fields stay as they are. */
export interface IPatchNotebookInput {
  title?: string;
  description?: string;
  tags?: string[];
  /** New visibility and publishing group, checked by the caller. */
  access?: { visibility: Visibility; group: string | null };
}

/** The notebook after a save, and whether the save made a commit. */
export interface ISaveResult {
  record: INotebookRecord;
  changed: boolean;
}

/** What startup reconciliation found and fixed. */
export interface IReconcileReport {
  /** Notebooks whose branch was moved to the head SQLite acknowledged. */
  refsRepaired: number;
  /** Repositories of creates that were never acknowledged, removed. */
  createsRolledBack: number;
  /** Repositories of acknowledged deletes, moved to the trash. */
  deletesFinished: number;
}

interface IJournalRow {
  seq: number;
  notebook_id: string;
  kind: 'create' | 'update' | 'delete';
}

interface IRevisionRow {
  number: number;
  sha: string;
  blob_sha: string;
  author: string;
  message: string;
  created_at: string;
}

/** Email address recorded in commits, since gallery users have none. */
export function commitEmail(username: string): string {
  return `${username}@users.noreply.notebook-gallery`;
}

/**
 * Notebooks as one bare git repository each plus their rows in SQLite. Every change follows the same order:
 * git objects, then one SQLite transaction with a journal row (the acknowledgement point), then the branch ref,
 * then the journal row is deleted; {@link NotebookStore.reconcile} finishes or undoes whatever a crash interrupted.
 */
export class NotebookStore {
  private readonly _locks = new KeyedMutex();

  constructor(
    private readonly _db: GalleryDatabase,
    private readonly _dataDir: string,
    private readonly _search: SearchIndex
  ) {}

  /**
   * The notebook with this id.
   * @throws {NotebookNotFoundError}
   */
  get(id: string): INotebookRecord {
    const row = this._db.prepare('SELECT * FROM notebooks WHERE id = ?').get(id) as INotebookRow | undefined;
    if (!row) {
      throw new NotebookNotFoundError(id);
    }
    return toRecords(this._db, [row])[0];
  }

  /**
   * The notebook's revisions, newest first, from SQLite alone.
   * @throws {NotebookNotFoundError}
   */
  listRevisions(id: string): IRevision[] {
    this.get(id);
    const rows = this._db
      .prepare(
        'SELECT number, sha, author, message, created_at FROM revisions WHERE notebook_id = ? ORDER BY number DESC'
      )
      .all(id) as IRevisionRow[];
    return rows.map(row => ({
      revision: row.sha,
      number: row.number,
      author: row.author,
      message: row.message,
      createdAt: row.created_at
    }));
  }

  /**
   * The committed .ipynb bytes of a revision (the latest when `revision` is absent).
   * @throws {NotebookNotFoundError}
   * @throws {RevisionNotFoundError}
   */
  async readContent(id: string, revision?: string): Promise<Buffer> {
    const record = this.get(id);
    let blob = record.headBlobSha;
    if (revision !== undefined && revision !== record.headSha) {
      const row = this._db
        .prepare('SELECT blob_sha FROM revisions WHERE notebook_id = ? AND sha = ?')
        .get(id, revision) as { blob_sha: string } | undefined;
      if (!row) {
        throw new RevisionNotFoundError(id, revision);
      }
      blob = row.blob_sha;
    }
    return Buffer.from(await readBlob(repositoryPath(this._dataDir, id), blob));
  }

  /**
   * Creates a notebook with its first revision.
   * @throws {NotebookNotFoundError} or {RevisionNotFoundError} when `parent` does not exist.
   */
  async create(input: ICreateNotebookInput): Promise<ISaveResult> {
    if (input.parent) {
      this._assertRevisionExists(input.parent.id, input.parent.revision);
    }
    const id = newNotebookId();
    return this._locks.run(id, async () => {
      const title = input.title.trim();
      const metadata = { title, description: input.description?.trim() ?? '', tags: normalizeTags(input.tags ?? []) };
      const now = new Date();
      const gitdir = repositoryPath(this._dataDir, id);
      // Journaled before the directory exists, so reconciliation can remove it if the create is never acknowledged.
      const journal = this._db
        .prepare("INSERT INTO save_journal (notebook_id, kind, created_at) VALUES (?, 'create', ?)")
        .run(id, now.toISOString()).lastInsertRowid;
      const message = input.message?.trim() || `Create ${title}`;
      let written: IWrittenCommit;
      try {
        await initRepository(gitdir);
        written = await writeNotebookCommit(gitdir, input.prepared.bytes, null, signature(input.owner, now), message);
      } catch (error) {
        await fs.promises.rm(gitdir, { recursive: true, force: true });
        this._db.prepare('DELETE FROM save_journal WHERE seq = ?').run(journal);
        throw error;
      }
      crashPoint('after-objects');
      this._db.transaction(() => {
        const seq = this._db
          .prepare(
            `INSERT INTO notebooks (id, title, description, owner, created_at, updated_at, head_sha, head_blob_sha,
               revision_count, parent_id, parent_revision, owner_kind, visibility, group_name)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`
          )
          .run(
            id,
            metadata.title,
            metadata.description,
            input.owner,
            now.toISOString(),
            now.toISOString(),
            written.commit,
            written.blob,
            input.parent?.id ?? null,
            input.parent?.revision ?? null,
            input.ownerKind,
            input.visibility,
            input.group
          ).lastInsertRowid as number;
        this._insertTags(id, metadata.tags);
        this._insertRevision(id, 1, written.commit, written.blob, input.owner, message, now);
        this._search.put(seq, metadata, input.prepared.searchText);
        this._db.prepare('UPDATE save_journal SET sha = ? WHERE seq = ?').run(written.commit, journal);
      })();
      crashPoint('after-commit-db');
      await setBranchHead(gitdir, written.commit);
      crashPoint('after-ref');
      this._db.prepare('DELETE FROM save_journal WHERE seq = ?').run(journal);
      return { record: this.get(id), changed: true };
    });
  }

  /**
   * Saves a new revision, unless the stripped notebook equals the latest one.
   * @throws {NotebookNotFoundError}
   * @throws {RevisionConflictError} when `baseRevision` is not the latest revision.
   */
  async update(input: IUpdateNotebookInput): Promise<ISaveResult> {
    return this._locks.run(input.id, async () => {
      const current = this.get(input.id);
      if (current.headSha !== input.baseRevision) {
        throw new RevisionConflictError(input.id, input.baseRevision, current.headSha);
      }
      if (current.headBlobSha === input.prepared.blobId) {
        return { record: current, changed: false };
      }
      const now = new Date();
      const gitdir = repositoryPath(this._dataDir, input.id);
      const message = input.message?.trim() || `Update ${current.title}`;
      const written = await writeNotebookCommit(
        gitdir,
        input.prepared.bytes,
        current.headSha,
        signature(input.author, now),
        message
      );
      crashPoint('after-objects');
      const journal = this._db.transaction(() => {
        const number = current.revisionCount + 1;
        this._insertRevision(input.id, number, written.commit, written.blob, input.author, message, now);
        this._db
          .prepare(
            'UPDATE notebooks SET updated_at = ?, head_sha = ?, head_blob_sha = ?, revision_count = ? WHERE id = ?'
          )
          .run(now.toISOString(), written.commit, written.blob, number, input.id);
        this._search.put(current.seq, current, input.prepared.searchText);
        return this._db
          .prepare("INSERT INTO save_journal (notebook_id, kind, sha, created_at) VALUES (?, 'update', ?, ?)")
          .run(input.id, written.commit, now.toISOString()).lastInsertRowid;
      })();
      crashPoint('after-commit-db');
      await setBranchHead(gitdir, written.commit);
      crashPoint('after-ref');
      this._db.prepare('DELETE FROM save_journal WHERE seq = ?').run(journal);
      return { record: this.get(input.id), changed: true };
    });
  }

  /**
   * Changes title, description or tags; these live in SQLite only, so no commit is made.
   * @throws {NotebookNotFoundError}
   */
  async patch(id: string, changes: IPatchNotebookInput): Promise<INotebookRecord> {
    return this._locks.run(id, async () => {
      const current = this.get(id);
      const metadata = {
        title: changes.title?.trim() ?? current.title,
        description: changes.description?.trim() ?? current.description,
        tags: changes.tags ? normalizeTags(changes.tags) : current.tags
      };
      this._db.transaction(() => {
        this._db
          .prepare('UPDATE notebooks SET title = ?, description = ?, updated_at = ? WHERE id = ?')
          .run(metadata.title, metadata.description, new Date().toISOString(), id);
        if (changes.tags) {
          this._db.prepare('DELETE FROM notebook_tags WHERE notebook_id = ?').run(id);
          this._insertTags(id, metadata.tags);
        }
        if (changes.access) {
          this._db
            .prepare('UPDATE notebooks SET visibility = ?, group_name = ? WHERE id = ?')
            .run(changes.access.visibility, changes.access.group, id);
        }
        this._search.putMetadata(current.seq, metadata);
      })();
      return this.get(id);
    });
  }

  /**
   * Replaces visibility, publishing group and explicit shares (principals already checked by the caller).
   * @throws {NotebookNotFoundError}
   */
  async setSharing(
    id: string,
    sharing: { visibility: Visibility; group: string | null; shares: IShare[] }
  ): Promise<INotebookRecord> {
    return this._locks.run(id, async () => {
      this.get(id);
      this._db.transaction(() => {
        this._db
          .prepare('UPDATE notebooks SET visibility = ?, group_name = ? WHERE id = ?')
          .run(sharing.visibility, sharing.group, id);
        this._db.prepare('DELETE FROM notebook_shares WHERE notebook_id = ?').run(id);
        const insert = this._db.prepare(
          'INSERT INTO notebook_shares (notebook_id, principal_kind, principal, role) VALUES (?, ?, ?, ?)'
        );
        for (const share of sharing.shares) {
          insert.run(id, share.kind, share.name, share.role);
        }
      })();
      return this.get(id);
    });
  }

  /**
   * Gives the notebook a new owner (checked by the caller); shares stay.
   * @throws {NotebookNotFoundError}
   */
  async transfer(id: string, ownership: INotebookOwnership): Promise<INotebookRecord> {
    return this._locks.run(id, async () => {
      this.get(id);
      this._db
        .prepare('UPDATE notebooks SET owner_kind = ?, owner = ?, visibility = ?, group_name = ? WHERE id = ?')
        .run(ownership.ownerKind, ownership.owner, ownership.visibility, ownership.group, id);
      return this.get(id);
    });
  }

  /**
   * Removes the notebook's rows and moves its repository to `<dataDir>/trash/`; nothing is destroyed.
   * @throws {NotebookNotFoundError}
   */
  async delete(id: string): Promise<void> {
    await this._locks.run(id, async () => {
      const current = this.get(id);
      const journal = this._db.transaction(() => {
        this._search.remove(current.seq);
        this._db.prepare('DELETE FROM notebooks WHERE id = ?').run(id);
        return this._db
          .prepare("INSERT INTO save_journal (notebook_id, kind, created_at) VALUES (?, 'delete', ?)")
          .run(id, new Date().toISOString()).lastInsertRowid;
      })();
      await this._moveToTrash(id);
      this._db.prepare('DELETE FROM save_journal WHERE seq = ?').run(journal);
    });
  }

  /**
   * Finishes or undoes every change a crash interrupted, so git and SQLite agree: notebooks SQLite knows get their
   * branch pointed at the acknowledged head, repositories of unacknowledged creates are removed, and repositories
   * of acknowledged deletes are moved to the trash. Run before serving requests.
   */
  async reconcile(): Promise<IReconcileReport> {
    const report: IReconcileReport = { refsRepaired: 0, createsRolledBack: 0, deletesFinished: 0 };
    const entries = this._db
      .prepare('SELECT seq, notebook_id, kind FROM save_journal ORDER BY seq')
      .all() as IJournalRow[];
    for (const entry of entries) {
      const gitdir = repositoryPath(this._dataDir, entry.notebook_id);
      const row = this._db.prepare('SELECT head_sha FROM notebooks WHERE id = ?').get(entry.notebook_id) as
        { head_sha: string } | undefined;
      if (row) {
        await removeStaleBranchLock(gitdir);
        await setBranchHead(gitdir, row.head_sha);
        report.refsRepaired++;
      } else if (entry.kind === 'delete') {
        if (fs.existsSync(gitdir)) {
          await this._moveToTrash(entry.notebook_id);
        }
        report.deletesFinished++;
      } else if (entry.kind === 'create') {
        await fs.promises.rm(gitdir, { recursive: true, force: true });
        report.createsRolledBack++;
      }
      this._db.prepare('DELETE FROM save_journal WHERE seq = ?').run(entry.seq);
    }
    return report;
  }

  private _assertRevisionExists(id: string, revision: string): void {
    this.get(id);
    if (!this._db.prepare('SELECT 1 FROM revisions WHERE notebook_id = ? AND sha = ?').get(id, revision)) {
      throw new RevisionNotFoundError(id, revision);
    }
  }

  private _insertTags(id: string, tags: string[]): void {
    const insert = this._db.prepare('INSERT INTO notebook_tags (notebook_id, position, tag) VALUES (?, ?, ?)');
    tags.forEach((tag, position) => insert.run(id, position, tag));
  }

  private _insertRevision(
    id: string,
    number: number,
    sha: string,
    blob: string,
    author: string,
    message: string,
    when: Date
  ): void {
    this._db
      .prepare(
        'INSERT INTO revisions (notebook_id, number, sha, blob_sha, author, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
      )
      .run(id, number, sha, blob, author, message, when.toISOString());
  }

  private async _moveToTrash(id: string): Promise<void> {
    const target = trashPath(this._dataDir, id, new Date());
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.rename(repositoryPath(this._dataDir, id), target);
  }
}

function signature(username: string, when: Date): ICommitSignature {
  return { name: username, email: commitEmail(username), timestamp: Math.floor(when.getTime() / 1000) };
}
