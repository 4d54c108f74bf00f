import * as git from 'isomorphic-git';
import { StorageDamagedError } from '../errors/StorageDamagedError';
import type { INotebookRecord } from '../repositories/notebookRepository';
import { isObjectDamage, objectIsIntact, readBranchSync, readCommitInfo, type IGitIo } from './gitRepository';

/**
 * Checks, before a save writes anything, that what it builds on is whole: the branch is at the head the database
 * acknowledged (or behind it, when a ref move failed after a save), and the head commit, its tree, its blob and its
 * parents, and a merge's second parent, can be read back (older history is fsck's to check). So a save never commits on top of a missing parent or blob, and never
 * moves the branch off commits the database does not know.
 * @throws {StorageDamagedError} saying what is damaged, when anything is.
 */
export async function checkSaveBase(
  io: IGitIo,
  gitdir: string,
  record: INotebookRecord,
  mergeParent?: string
): Promise<void> {
  const damaged = (what: string): StorageDamagedError => new StorageDamagedError(record.id, record.title, what);
  const branch = readBranchSync(gitdir);
  if (branch.kind === 'missing') {
    throw damaged('its branch ref (refs/heads/main) is missing');
  }
  if (branch.kind === 'damaged') {
    throw damaged('its branch ref (refs/heads/main) does not hold a commit id');
  }
  const head = await readOrNull(() => readCommitInfo(io, gitdir, record.headSha));
  if (head === null) {
    throw damaged(`its latest revision's commit ${short(record.headSha)} is missing or unreadable`);
  }
  for (const parent of head.parents) {
    if (!(await objectIsIntact(io, gitdir, parent))) {
      throw damaged(`the commit ${short(parent)} before its latest revision is missing or unreadable`);
    }
  }
  if (head.blob !== record.headBlobSha || !(await objectIsIntact(io, gitdir, record.headBlobSha))) {
    throw damaged(`its latest revision's notebook file (blob ${short(record.headBlobSha)}) is missing or unreadable`);
  }
  if (branch.sha !== record.headSha && !(await isAncestor(io, gitdir, branch.sha, record.headSha))) {
    throw damaged(
      `its branch points at commit ${short(branch.sha)}, which is not an earlier revision of its latest revision ` +
        `${short(record.headSha)} in the database`
    );
  }
  if (mergeParent !== undefined && (await readOrNull(() => readCommitInfo(io, gitdir, mergeParent))) === null) {
    throw damaged(`the proposal commit ${short(mergeParent)} it merges is missing or unreadable`);
  }
}

/** Whether `ancestor` is `sha` or reachable from it; false when history between them cannot be read. */
export async function isAncestor(io: IGitIo, gitdir: string, ancestor: string, sha: string): Promise<boolean> {
  if (ancestor === sha) {
    return true;
  }
  const found = await readOrNull(() => git.isDescendent({ fs: io.fs, gitdir, oid: sha, ancestor, depth: -1 }));
  return found === true;
}

/** What `read` returns, or null when it fails because an object is missing or damaged. */
export async function readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isObjectDamage(error)) {
      return null;
    }
    throw error;
  }
}

/** The seven-character form of an object id that messages show. */
export function short(sha: string): string {
  return sha.slice(0, 7);
}
