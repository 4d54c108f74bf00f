import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as git from 'isomorphic-git';
import { gitFs } from './atomicFs';

/** The one file each notebook repository tracks. */
export const NOTEBOOK_FILE = 'notebook.ipynb';

/** The branch whose head is the notebook's latest revision. */
export const BRANCH = 'main';

/** Who made a commit and when. */
export interface ICommitSignature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** The objects a save wrote. */
export interface IWrittenCommit {
  commit: string;
  blob: string;
}

/** Creates an empty bare repository whose HEAD points at `main`. */
export async function initRepository(gitdir: string): Promise<void> {
  await git.init({ fs: gitFs, gitdir, bare: true, defaultBranch: BRANCH });
}

/** The object id git gives a blob with these bytes (`git hash-object`), computed without touching disk. */
export function gitBlobId(bytes: Uint8Array): string {
  return crypto.createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/**
 * Writes the blob, tree and commit of one revision; the branch is not moved, so an interrupted save leaves only
 * unreachable objects behind.
 */
export async function writeNotebookCommit(
  gitdir: string,
  bytes: Uint8Array,
  parent: string | null,
  signature: ICommitSignature,
  message: string
): Promise<IWrittenCommit> {
  const blob = await git.writeBlob({ fs: gitFs, gitdir, blob: bytes });
  const tree = await git.writeTree({
    fs: gitFs,
    gitdir,
    tree: [{ mode: '100644', path: NOTEBOOK_FILE, oid: blob, type: 'blob' }]
  });
  const person = { ...signature, timezoneOffset: 0 };
  const commit = await git.writeCommit({
    fs: gitFs,
    gitdir,
    commit: {
      message: message.endsWith('\n') ? message : `${message}\n`,
      tree,
      parent: parent ? [parent] : [],
      author: person,
      committer: person
    }
  });
  return { commit, blob };
}

/** Reads a blob's bytes by object id. */
export async function readBlob(gitdir: string, blob: string): Promise<Uint8Array> {
  const { blob: bytes } = await git.readBlob({ fs: gitFs, gitdir, oid: blob });
  return bytes;
}

/**
 * Points `refs/heads/main` at `commit` the way git does: write `main.lock`, then rename it over the ref, so a
 * reader (or a crash) sees the old or the new value, never a torn one.
 * @throws {Error} when another writer holds the lock.
 */
export async function setBranchHead(gitdir: string, commit: string): Promise<void> {
  const ref = branchRefPath(gitdir);
  const lock = `${ref}.lock`;
  await fs.promises.mkdir(path.dirname(ref), { recursive: true });
  await fs.promises.writeFile(lock, `${commit}\n`, { flag: 'wx' });
  await fs.promises.rename(lock, ref);
}

/** Removes a `main.lock` left by a process that died between writing and renaming it. */
export async function removeStaleBranchLock(gitdir: string): Promise<void> {
  await fs.promises.rm(`${branchRefPath(gitdir)}.lock`, { force: true });
}

/** The commit `main` points at, or null when the branch does not exist yet. */
export async function readBranchHead(gitdir: string): Promise<string | null> {
  try {
    return (await fs.promises.readFile(branchRefPath(gitdir), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

function branchRefPath(gitdir: string): string {
  return path.join(gitdir, 'refs', 'heads', BRANCH);
}
