import type { INotebook, IParentRef, IRevision, IShare, Visibility } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICaller } from '../auth/permissions';
import { NotebookNotFoundError } from '../errors/NotebookNotFoundError';
import { RevisionConflictError } from '../errors/RevisionConflictError';
import { RevisionNotFoundError } from '../errors/RevisionNotFoundError';
import { StorageDamagedError } from '../errors/StorageDamagedError';
import type { ILogger } from '../logger';
import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type {
  INotebookMetadata,
  INotebookOwnership,
  INotebookRecord,
  INotebookRepository,
  IRevisionRow,
  IStoredRevision
} from '../repositories/notebookRepository';
import { NO_SIGNALS } from '../repositories/notebookRepository';
import type { ISaveJournalRepository } from '../repositories/saveJournalRepository';
import { SINGLE_PROCESS, type INotebookWriteLock } from '../repositories/notebookWriteLock';
import type { ISearchIndex } from '../repositories/searchIndexRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import {
  initRepository,
  isObjectDamage,
  readBlob,
  readCommitInfo,
  removeStaleBranchLock,
  setBranchHead,
  writeNotebookCommit,
  type ICommitSignature,
  type IGitIo,
  type IWrittenCommit
} from './gitRepository';
import { KeyedMutex } from './keyedMutex';
import type { IPreparedNotebook } from './preparedNotebook';
import { checkSaveBase, readOrNull, short } from './saveBase';
import { newNotebookId, repositoryPath, trashPath } from './repositoryLayout';
import type { SaveHook } from './saveHooks';

/** A new notebook, already authorized and normalized; `owner` is also the author of its first revision unless `author`. */
export interface ICreateNotebookInput extends INotebookOwnership, INotebookMetadata {
  prepared: IPreparedNotebook;
  message: string;
  parent: IParentRef | null;
  /** The first revision's author when it is not the owner (an import credits the source's author). */
  author?: string;
  /** The id to give it (an import keeping the id its archive had, checked free by the caller); new when absent. */
  id?: string;
  /** The commit's author and committer and the revision's time, when not the owner now (an import keeps the source's). */
  signature?: ICommitSignature;
  /**
   * The revision's time as the database keeps it, with the milliseconds git drops (an import of our own archive keeps
   * the exported time exactly); the signature's second when absent.
   */
  recordedAt?: string;
  /** Rows to write in the transaction that creates the notebook, so they commit with it or not at all. */
  withinTransaction?: (revision: IRevisionRow, id: string) => Promise<void>;
}

/** A new revision of a notebook whose current record the caller read under {@link NotebookStore.exclusive}. */
export interface IUpdateNotebookInput {
  prepared: IPreparedNotebook;
  /** The revision's author (a change request's proposer when it is accepted). */
  author: string;
  /** Who committed it when that is not the author (the reviewer accepting a change request). */
  committer?: string;
  baseRevision: string;
  /** Commit message; "Update <title>" when absent. */
  message?: string;
  /** A second parent, making the commit a git merge (the proposal commit of an accepted change request). */
  mergeParent?: string;
  /** Rows to write in the transaction that acknowledges the revision, so they commit with it or not at all. */
  withinTransaction?: (revision: IRevisionRow) => Promise<void>;
  /**
   * The commit's author and committer and the revision's time, when not `author` now: an import keeps the source's
   * name, email and date (and so writes the same commit however often it is run).
   */
  signature?: ICommitSignature;
  /**
   * The commit's committer as a source recorded it, when that is not `signature` (an import of the revision that
   * accepted a change request keeps its reviewer's name, email and time); `committer` at the time of the save when
   * absent.
   */
  committerSignature?: ICommitSignature;
  /** The revision's time with milliseconds, as for a create. */
  recordedAt?: string;
}

/** The notebook after a save, and whether the save made a commit. */
export interface ISaveResult {
  record: INotebookRecord;
  changed: boolean;
}

/** What the store needs; built by the composition root. */
export interface INotebookStoreParts {
  dataDir: string;
  notebooks: INotebookRepository;
  search: ISearchIndex;
  journal: ISaveJournalRepository;
  unitOfWork: IUnitOfWork;
  git: IGitIo;
  hook: SaveHook;
  log: ILogger;
  /**
   * Keeps other processes from writing a notebook this one writes (PostgreSQL replicas); none when absent (SQLite:
   * one process owns the data directory).
   */
  writeLock?: INotebookWriteLock;
  /** Reproducibility metadata, recorded with each revision. */
  environments: IEnvironmentRepository;
  /** Recomputes a notebook's health after its latest revision changed; runs inside the save's transaction. */
  refreshHealth: (notebookId: string) => Promise<void>;
  /**
   * Told of each new revision of an existing notebook once it is acknowledged (the inbox tells its followers), with
   * the notebook's record as the save left it (so the listener reads no row again); `actor` is who saved it (the
   * committer when that is not the author). The save awaits it; it must not reject.
   */
  onRevision?: (notebook: INotebookRecord, revision: string, actor: string) => Promise<void>;
}

/** The address git commits carry for a gallery user (the gallery knows no real email addresses). */
export function commitEmail(username: string): string {
  return `${username}@users.noreply.notebook-gallery`;
}

/**
 * A notebook is a bare git repository (its history) plus rows in the database (metadata, revisions, search). A
 * save writes the git objects, then commits the rows and a journal entry in one transaction (the moment the save is
 * acknowledged), then moves the branch ref and clears the entry; saveRecovery.ts finishes whatever a crash cut
 * short. Writes to one notebook run one at a time inside {@link NotebookStore.exclusive}.
 */
export class NotebookStore {
  private readonly _locks = new KeyedMutex();

  constructor(private readonly _parts: INotebookStoreParts) {}

  /**
   * Runs `task` while no other write to notebook `id` runs, so what it reads stays current until it writes.
   * Every write method below expects to be called inside it.
   */
  exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    // Writers of a notebook in this process queue in memory; the one at the head then takes the lock other replicas
    // see (holding a database connection only while it writes).
    const shared = this._parts.writeLock ?? SINGLE_PROCESS;
    return this._locks.run(id, () => shared.run(id, task));
  }

  /**
   * The notebook with this id; its `signals.starred` is for `viewer`.
   * @throws {NotebookNotFoundError}
   */
  async get(id: string, viewer: string | null = null): Promise<INotebookRecord> {
    const record = await this._parts.notebooks.find(id, viewer);
    if (!record) {
      throw new NotebookNotFoundError(id);
    }
    return record;
  }

  /** The notebook with this id, or undefined. */
  find(id: string): Promise<INotebookRecord | undefined> {
    return this._parts.notebooks.find(id);
  }

  /** The notebook's revisions, newest first, from the database alone. */
  listRevisions(record: INotebookRecord): Promise<IRevision[]> {
    return this._parts.notebooks.listRevisions(record.id);
  }

  /**
   * The committed .ipynb bytes of a revision (the latest when `revision` is absent).
   * @throws {RevisionNotFoundError}
   */
  async readContent(record: INotebookRecord, revision?: string): Promise<Buffer> {
    return this.readBlob(record, await this.contentBlob(record, revision));
  }

  /**
   * The git blob of a revision's .ipynb file (the latest when `revision` is absent), from the database alone: it
   * names the file's bytes, so it serves as their ETag.
   * @throws {RevisionNotFoundError}
   */
  async contentBlob(record: INotebookRecord, revision?: string): Promise<string> {
    return revision !== undefined && revision !== record.headSha
      ? (await this.revision(record.id, revision)).blobSha
      : record.headBlobSha;
  }

  /**
   * The bytes of blob `blobSha` of the notebook's repository (one of {@link contentBlob}).
   * @throws {StorageDamagedError} when the blob is missing or damaged in git.
   */
  async readBlob(record: INotebookRecord, blobSha: string): Promise<Buffer> {
    try {
      return Buffer.from(await readBlob(this._parts.git, this._gitdir(record.id), blobSha));
    } catch (error) {
      if (isObjectDamage(error)) {
        const which = blobSha === record.headBlobSha ? "its latest revision's" : "a revision's";
        throw new StorageDamagedError(
          record.id,
          record.title,
          `${which} notebook file (blob ${short(blobSha)}) is missing or unreadable`
        );
      }
      throw error;
    }
  }

  /**
   * A stored notebook of a revision, parsed (it was validated before it was committed).
   * @throws {RevisionNotFoundError}
   */
  async readNotebook(record: INotebookRecord, revision?: string): Promise<INotebook> {
    return JSON.parse((await this.readContent(record, revision)).toString('utf8')) as INotebook;
  }

  /**
   * Revision `sha` of notebook `id`.
   * @throws {RevisionNotFoundError} when notebook `id` has no revision `sha`, even if another notebook has.
   */
  async revision(id: string, sha: string): Promise<IStoredRevision> {
    const found = await this._parts.notebooks.findRevision(id, sha);
    if (found === undefined) {
      throw new RevisionNotFoundError(id, sha);
    }
    return found;
  }

  /** Revision `sha` of notebook `id`, or undefined. */
  findRevision(id: string, sha: string): Promise<IStoredRevision | undefined> {
    return this._parts.notebooks.findRevision(id, sha);
  }

  /** Revision number `number` of notebook `id`, or undefined (there is none before 1). */
  revisionByNumber(id: string, number: number): Promise<IStoredRevision | undefined> {
    return this._parts.notebooks.revisionByNumber(id, number);
  }

  /** Whether notebook `id`'s repository holds commit `sha` (readable), reachable from a ref or not. */
  async hasCommit(id: string, sha: string): Promise<boolean> {
    return (await readOrNull(() => readCommitInfo(this._parts.git, this._gitdir(id), sha))) !== null;
  }

  /** The notebooks saved as copies of `record` that `caller` may read, newest first. */
  listForks(caller: ICaller, record: INotebookRecord): Promise<INotebookRecord[]> {
    return this._parts.notebooks.listForks(caller, record.id);
  }

  /** Creates a notebook with its first revision; runs under the new id's lock itself. */
  async create(input: ICreateNotebookInput): Promise<ISaveResult> {
    const id = input.id ?? newNotebookId();
    return this.exclusive(id, async () => {
      const { journal, unitOfWork, notebooks, search } = this._parts;
      const now = new Date().toISOString();
      const when = input.signature ? (input.recordedAt ?? signatureTime(input.signature)) : now;
      const gitdir = this._gitdir(id);
      // Journaled before the directory exists, so repair can remove it if the create is never acknowledged.
      const entry = await journal.begin(id, 'create', now);
      let written: IWrittenCommit;
      try {
        await initRepository(this._parts.git, gitdir);
        written = await writeNotebookCommit(this._parts.git, gitdir, input.prepared.bytes, {
          parents: [],
          author: input.signature ?? signature(input.owner, now),
          message: input.message
        });
      } catch (error) {
        await fs.promises.rm(gitdir, { recursive: true, force: true });
        await journal.clear(entry);
        throw error;
      }
      await this._parts.hook('after-objects');
      const revision = revisionRow(1, written, input.author ?? input.owner, input.message, when);
      const seq = await unitOfWork.transaction(async () => {
        const rowId = await notebooks.insert({ ...input, id, revision });
        await input.withinTransaction?.(revision, id);
        await search.put(rowId, { ...input, owner: displayOwner(input) }, input.prepared.searchText);
        await this._parts.environments.put(id, written.commit, input.prepared.recorded);
        await journal.setSha(entry, written.commit);
        return rowId;
      });
      await this._parts.hook('after-commit-db');
      await this._publish(id, written.commit, entry);
      const record: INotebookRecord = {
        seq,
        id,
        title: input.title,
        description: input.description,
        tags: input.tags,
        owner: displayOwner(input),
        ownerKind: input.ownerKind,
        visibility: input.visibility,
        group: input.group,
        shares: [],
        createdAt: when,
        updatedAt: when,
        headSha: written.commit,
        headBlobSha: written.blob,
        revisionCount: 1,
        parent: input.parent,
        signals: { ...NO_SIGNALS }
      };
      return { record, changed: true };
    });
  }

  /**
   * Saves a new revision of `current` (read inside {@link exclusive}), unless the stripped notebook equals the
   * latest one. The record returned is `current` updated in memory, not read again.
   * @throws {RevisionConflictError} when `baseRevision` is not the latest revision.
   * @throws {StorageDamagedError} when the head commit or blob, the branch or the merge parent is damaged.
   */
  async update(current: INotebookRecord, input: IUpdateNotebookInput): Promise<ISaveResult> {
    if (current.headSha !== input.baseRevision) {
      throw new RevisionConflictError(current.id, input.baseRevision, current.headSha);
    }
    await checkSaveBase(this._parts.git, this._gitdir(current.id), current, input.mergeParent);
    if (current.headBlobSha === input.prepared.blobId) {
      return { record: current, changed: false };
    }
    const { journal, unitOfWork, notebooks, search } = this._parts;
    const now = new Date().toISOString();
    const when = input.signature ? (input.recordedAt ?? signatureTime(input.signature)) : now;
    const message = input.message?.trim() || `Update ${current.title}`;
    const written = await writeNotebookCommit(this._parts.git, this._gitdir(current.id), input.prepared.bytes, {
      parents: input.mergeParent ? [current.headSha, input.mergeParent] : [current.headSha],
      author: input.signature ?? signature(input.author, now),
      committer: input.committerSignature ?? (input.committer ? signature(input.committer, now) : undefined),
      message
    });
    await this._parts.hook('after-objects');
    const revision = revisionRow(current.revisionCount + 1, written, input.author, message, when);
    const entry = await unitOfWork.transaction(async () => {
      // The head read before the commit was written may have moved since (another replica's save): checked again
      // where the revision is recorded, so two saves on one base never both succeed.
      const head = await notebooks.headOf(current.id);
      if (head === undefined) {
        throw new NotebookNotFoundError(current.id);
      }
      if (head !== current.headSha) {
        throw new RevisionConflictError(current.id, input.baseRevision, head);
      }
      await notebooks.addRevision(current.id, revision);
      await search.put(current.seq, current, input.prepared.searchText);
      await this._parts.environments.put(current.id, written.commit, input.prepared.recorded);
      await this._parts.refreshHealth(current.id);
      await input.withinTransaction?.(revision);
      return journal.begin(current.id, 'update', now, written.commit);
    });
    await this._parts.hook('after-commit-db');
    await this._publish(current.id, written.commit, entry);
    const record: INotebookRecord = {
      ...current,
      updatedAt: when,
      headSha: written.commit,
      headBlobSha: written.blob,
      revisionCount: revision.number
    };
    await this._parts.onRevision?.(record, written.commit, input.committer ?? input.author);
    return { record, changed: true };
  }

  /**
   * Changes title, description or tags, and visibility with its group when `access` is given; these live in the
   * database only, so no commit is made.
   */
  async patch(
    current: INotebookRecord,
    metadata: INotebookMetadata,
    tagsChanged: boolean,
    access?: { visibility: Visibility; group: string | null }
  ): Promise<INotebookRecord> {
    const { unitOfWork, notebooks, search } = this._parts;
    await unitOfWork.transaction(async () => {
      await notebooks.updateMetadata(
        current.id,
        { title: metadata.title, description: metadata.description, tags: tagsChanged ? metadata.tags : undefined },
        new Date().toISOString()
      );
      if (access) {
        await notebooks.setAccess(current.id, access);
      }
      await search.putMetadata(current.seq, metadata);
    });
    return this.get(current.id);
  }

  /** Replaces visibility, publishing group and explicit shares (already checked by the caller). */
  async setSharing(
    current: INotebookRecord,
    sharing: { visibility: Visibility; group: string | null; shares: IShare[] }
  ): Promise<INotebookRecord> {
    const { unitOfWork, notebooks } = this._parts;
    await unitOfWork.transaction(async () => {
      await notebooks.setAccess(current.id, sharing);
      await notebooks.replaceShares(current.id, sharing.shares);
    });
    return this.get(current.id);
  }

  /** Gives the notebook a new owner (checked by the caller); shares stay. */
  async transfer(current: INotebookRecord, ownership: INotebookOwnership): Promise<INotebookRecord> {
    const { unitOfWork, notebooks, search } = this._parts;
    await unitOfWork.transaction(async () => {
      await notebooks.setOwnership(current.id, ownership);
      await search.putOwner(current.seq, displayOwner(ownership));
    });
    return this.get(current.id);
  }

  /**
   * Moves the repository to `<dataDir>/trash/` first, then removes the rows; nothing is destroyed. When the move
   * fails the rows stay, so the notebook stays whole and readable.
   * @throws {Error} when the repository cannot be moved (the notebook is then unchanged).
   */
  async delete(current: INotebookRecord): Promise<void> {
    const { journal, unitOfWork, notebooks, search } = this._parts;
    const entry = await journal.begin(current.id, 'delete', new Date().toISOString());
    let trashed: string;
    try {
      await this._parts.hook('before-trash');
      trashed = await moveToTrash(this._parts.dataDir, current.id);
    } catch (error) {
      await journal.clear(entry);
      throw error;
    }
    try {
      await unitOfWork.transaction(async () => {
        await search.remove(current.seq);
        await notebooks.remove(current.id);
        await journal.clear(entry);
      });
    } catch (error) {
      await fs.promises.rename(trashed, this._gitdir(current.id));
      await journal.clear(entry);
      throw error;
    }
  }

  /**
   * Points the branch at the acknowledged commit and clears the journal entry. The rows are committed by now, so
   * the save is acknowledged whatever happens here: a failed ref move is retried once, and if that fails too the
   * entry stays for startup repair (saveRecovery.ts) and the error is only logged.
   */
  private async _publish(id: string, commit: string, entry: number): Promise<void> {
    const gitdir = this._gitdir(id);
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await this._parts.hook('before-ref');
        await setBranchHead(this._parts.git, gitdir, commit);
      } catch (error) {
        await removeStaleBranchLock(gitdir).catch(() => undefined);
        if (attempt === 2) {
          this._parts.log.error(
            { err: error, notebook: id, commit },
            'could not move the branch after the save was committed; it is repaired at the next start'
          );
          return;
        }
        this._parts.log.warn({ err: error, notebook: id, commit }, 'moving the branch failed; retrying');
        continue;
      }
      break;
    }
    await this._parts.hook('after-ref');
    try {
      await this._parts.journal.clear(entry);
    } catch (error) {
      this._parts.log.warn({ err: error, notebook: id }, 'could not clear the save journal; startup repair will');
    }
  }

  private _gitdir(id: string): string {
    return repositoryPath(this._parts.dataDir, id);
  }
}

/**
 * Moves a notebook's repository into the trash.
 * @returns where it went.
 */
export async function moveToTrash(dataDir: string, id: string): Promise<string> {
  const target = trashPath(dataDir, id, new Date());
  await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await fs.promises.rename(repositoryPath(dataDir, id), target);
  return target;
}

function revisionRow(
  number: number,
  written: IWrittenCommit,
  author: string,
  message: string,
  when: string
): IRevisionRow {
  return { number, sha: written.commit, blobSha: written.blob, author, message, createdAt: when };
}

/** A signature's time as the database keeps times (ISO, to the second as git has it). */
function signatureTime(signature: ICommitSignature): string {
  return new Date(signature.timestamp * 1000).toISOString();
}

/** The git signature of a gallery user at an ISO time. */
export function signature(username: string, when: string): ICommitSignature {
  return { name: username, email: commitEmail(username), timestamp: Math.floor(Date.parse(when) / 1000) };
}

/** The name a notebook is listed under: the owning group's for a group-owned notebook, else the user's. */
function displayOwner(owner: {
  ownerKind: INotebookOwnership['ownerKind'];
  owner: string;
  group: string | null;
}): string {
  return owner.ownerKind === 'group' && owner.group !== null ? owner.group : owner.owner;
}
