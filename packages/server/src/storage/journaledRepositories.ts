import type { IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { ICommentRepository } from '../repositories/commentRepository';
import type { INewNotebook, INotebookRepository } from '../repositories/notebookRepository';
import type { ISecretAllowlistRepository } from '../repositories/secretAllowlistRepository';
import type { ISignalRepository } from '../repositories/signalRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { RecordEntry, RecordJournal } from './recordJournal';

/** What the journaling repositories write through. */
export interface IJournalingParts {
  journal: RecordJournal;
  unitOfWork: IUnitOfWork;
}

/**
 * The notebook repository, with every write also appended to the notebook's record journal in the same transaction
 * (so the repositories, not each caller, keep git the record). Reads go straight to `inner`.
 */
export function journaledNotebooks(inner: INotebookRepository, parts: IJournalingParts): INotebookRepository {
  const write = journalWriter(parts);
  return withWrites(inner, {
    insert: notebook =>
      write(notebook.id, { op: 'notebook.insert', notebook: newNotebookFields(notebook) }, () =>
        inner.insert(notebook)
      ),
    addRevision: (id, revision) =>
      write(id, { op: 'notebook.addRevision', revision }, () => inner.addRevision(id, revision)),
    updateMetadata: (id, metadata, when) =>
      write(id, { op: 'notebook.updateMetadata', metadata, when }, () => inner.updateMetadata(id, metadata, when)),
    setAccess: (id, access) => write(id, { op: 'notebook.setAccess', access }, () => inner.setAccess(id, access)),
    replaceShares: (id, shares) =>
      write(id, { op: 'notebook.replaceShares', shares: [...shares] }, () => inner.replaceShares(id, shares)),
    setOwnership: (id, ownership) =>
      write(id, { op: 'notebook.setOwnership', ownership }, () => inner.setOwnership(id, ownership))
  });
}

/** The change request repository, journaling proposals and decisions like {@link journaledNotebooks}. */
export function journaledChangeRequests(
  inner: IChangeRequestRepository,
  parts: IJournalingParts
): IChangeRequestRepository {
  const write = journalWriter(parts);
  return withWrites(inner, {
    insert: request => write(request.notebookId, { op: 'changeRequest.insert', request }, () => inner.insert(request)),
    decide: (notebookId, requestId, decision) =>
      parts.unitOfWork.transaction(async () => {
        const decided = await inner.decide(notebookId, requestId, decision);
        if (decided) {
          parts.journal.append(notebookId, { op: 'changeRequest.decide', requestId, decision });
        }
        return decided;
      })
  });
}

/** The comment repository, journaling every change like {@link journaledNotebooks}. */
export function journaledComments(inner: ICommentRepository, parts: IJournalingParts): ICommentRepository {
  const write = journalWriter(parts);
  const onComment = (id: string, entry: RecordEntry, change: () => Promise<void>): Promise<void> =>
    parts.unitOfWork.transaction(async () => {
      const comment = await inner.find(id);
      if (comment) {
        await write(comment.notebookId, entry, change);
      } else {
        await change();
      }
    });
  return withWrites(inner, {
    insert: comment => {
      const { id, notebookId, author, body, createdAt, parentId, changeRequestId, anchor } = comment;
      const fields = { id, notebookId, author, body, createdAt, parentId, changeRequestId, anchor };
      return write(notebookId, { op: 'comment.insert', comment: fields }, () => inner.insert(comment));
    },
    setBody: (id, body, editedAt) =>
      onComment(id, { op: 'comment.setBody', id, body, editedAt }, () => inner.setBody(id, body, editedAt)),
    setResolved: (id, at, by) =>
      onComment(id, { op: 'comment.setResolved', id, at, by }, () => inner.setResolved(id, at, by)),
    delete: id => onComment(id, { op: 'comment.delete', id }, () => inner.delete(id))
  });
}

/** The signal repository, journaling stars (what a user chose; counts and activity are not journaled). */
export function journaledSignals(inner: ISignalRepository, parts: IJournalingParts): ISignalRepository {
  const write = journalWriter(parts);
  return withWrites(inner, {
    setStar: (id, username, starred, at) =>
      write(id, { op: 'star.set', username, starred, at }, () => inner.setStar(id, username, starred, at))
  });
}

/**
 * The secret check's confirmations, journaled so rebuild-index keeps them: they are what users chose, like stars
 * (fingerprints only, as in the table).
 */
export function journaledSecretAllowlist(
  inner: ISecretAllowlistRepository,
  parts: IJournalingParts
): ISecretAllowlistRepository {
  const write = journalWriter(parts);
  return withWrites(inner, {
    add: (notebookId, fingerprints, confirmedBy, when) =>
      write(notebookId, { op: 'secretAllowlist.add', fingerprints: [...fingerprints], confirmedBy, when }, () =>
        inner.add(notebookId, fingerprints, confirmedBy, when)
      )
  });
}

/**
 * Only the fields of a new notebook row: callers pass wider objects (the store passes the prepared notebook's bytes
 * along), which must not reach the journal.
 */
function newNotebookFields(notebook: INewNotebook): INewNotebook {
  const { id, title, description, tags, ownerKind, owner, visibility, group, parent, revision } = notebook;
  const { number, sha, blobSha, author, message, createdAt } = revision;
  return {
    id,
    title,
    description,
    tags,
    ownerKind,
    owner,
    visibility,
    group,
    parent,
    revision: { number, sha, blobSha, author, message, createdAt }
  };
}

/** Runs `change` and appends `entry` to notebook `notebookId`'s journal, both or neither. */
function journalWriter(parts: IJournalingParts) {
  return <T>(notebookId: string, entry: RecordEntry, change: () => Promise<T>): Promise<T> =>
    parts.unitOfWork.transaction(async () => {
      const result = await change();
      parts.journal.append(notebookId, entry);
      return result;
    });
}

/**
 * `inner` with the methods in `writes` replaced; every other method is `inner`'s own, called on `inner`. A proxy
 * rather than hand-written delegation, so a read method added to the interface needs no change here.
 */
function withWrites<T extends object>(inner: T, writes: Partial<T>): T {
  return new Proxy(inner, {
    get(target, key) {
      if (Object.prototype.hasOwnProperty.call(writes, key)) {
        return writes[key as keyof T];
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    }
  });
}
