import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as git from 'isomorphic-git';
import { createGitFs, fsyncDirectory, type IDurability, type IGitFs } from './atomicFs';

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

/** How the notebook repositories are written: the file system isomorphic-git uses, and whether writes are fsynced. */
export interface IGitIo {
  fs: IGitFs;
  durability: IDurability;
}

/** The git I/O for a durability setting. */
export function gitIo(durability: IDurability): IGitIo {
  return { fs: createGitFs(durability), durability };
}

/** Creates an empty bare repository whose HEAD points at `main`. */
export async function initRepository(io: IGitIo, gitdir: string): Promise<void> {
  await git.init({ fs: io.fs, gitdir, bare: true, defaultBranch: BRANCH });
}

/** The object id git gives a blob with these bytes (`git hash-object`), computed without touching disk. */
export function gitBlobId(bytes: Uint8Array): string {
  return crypto.createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/** The commit of one revision or proposal: its parents (none for the first, two for a merge) and who made it. */
export interface ICommitInput {
  parents: readonly string[];
  author: ICommitSignature;
  /** Who committed it when that is not the author (the reviewer who accepted a change request). */
  committer?: ICommitSignature;
  message: string;
}

/**
 * Writes the blob, tree and commit of one revision; no ref is moved, so an interrupted save leaves only
 * unreachable objects behind.
 */
export async function writeNotebookCommit(
  io: IGitIo,
  gitdir: string,
  bytes: Uint8Array,
  input: ICommitInput
): Promise<IWrittenCommit> {
  const { message } = input;
  const blob = await git.writeBlob({ fs: io.fs, gitdir, blob: bytes });
  const tree = await git.writeTree({
    fs: io.fs,
    gitdir,
    tree: [{ mode: '100644', path: NOTEBOOK_FILE, oid: blob, type: 'blob' }]
  });
  const commit = await git.writeCommit({
    fs: io.fs,
    gitdir,
    commit: {
      message: message.endsWith('\n') ? message : `${message}\n`,
      tree,
      parent: [...input.parents],
      author: { ...input.author, timezoneOffset: 0 },
      committer: { ...(input.committer ?? input.author), timezoneOffset: 0 }
    }
  });
  return { commit, blob };
}

/** Reads a blob's bytes by object id. */
export async function readBlob(io: IGitIo, gitdir: string, blob: string): Promise<Uint8Array> {
  const { blob: bytes } = await git.readBlob({ fs: io.fs, gitdir, oid: blob });
  return bytes;
}

/**
 * Points `refs/heads/main` at `commit` the way git does: write `main.lock`, then rename it over the ref, so a
 * reader (or a crash) sees the old or the new value, never a torn one. With fsync, the lock file is flushed before
 * the rename and the directory after it.
 * @throws {Error} when another writer holds the lock, or the file system fails.
 */
export async function setBranchHead(io: IGitIo, gitdir: string, commit: string): Promise<void> {
  await writeRef(io, branchRefPath(gitdir), commit);
}

/** Where change request `id` keeps its proposal commit reachable: `refs/change-requests/<id>`. */
export function changeRequestRef(id: string): string {
  return `refs/change-requests/${id}`;
}

/**
 * Points `refs/change-requests/<id>` at the proposal commit, durably and atomically like the branch.
 * @throws {Error} when the file system fails.
 */
export async function setChangeRequestRef(io: IGitIo, gitdir: string, id: string, commit: string): Promise<void> {
  await writeRef(io, path.join(gitdir, ...changeRequestRef(id).split('/')), commit);
}

/** Writes `<ref>.lock`, flushes it with fsync, renames it over `ref` and flushes the directory. */
async function writeRef(io: IGitIo, ref: string, commit: string): Promise<void> {
  const lock = `${ref}.lock`;
  await fs.promises.mkdir(path.dirname(ref), { recursive: true });
  const handle = await fs.promises.open(lock, 'wx');
  try {
    await handle.writeFile(`${commit}\n`);
    if (io.durability.fsync) {
      await handle.sync();
    }
  } finally {
    await handle.close();
  }
  await fs.promises.rename(lock, ref);
  if (io.durability.fsync) {
    await fsyncDirectory(path.dirname(ref));
  }
}

/** Removes a `main.lock` left by a process that died between writing and renaming it. */
export async function removeStaleBranchLock(gitdir: string): Promise<void> {
  await fs.promises.rm(`${branchRefPath(gitdir)}.lock`, { force: true });
}

function branchRefPath(gitdir: string): string {
  return path.join(gitdir, 'refs', 'heads', BRANCH);
}

/** One commit of a notebook repository as a revision sees it. */
export interface IRevisionCommit {
  commit: string;
  /** The notebook file's blob in the commit's tree. */
  blob: string;
  parents: string[];
  author: string;
  /** The message without the newline git ends it with. */
  message: string;
  /** When it was authored, to the second (git's precision). */
  createdAt: string;
}

/** The commit `main` points at. @throws {Error} when the ref is missing or unreadable. */
export async function readBranchHead(io: IGitIo, gitdir: string): Promise<string> {
  return git.resolveRef({ fs: io.fs, gitdir, ref: `refs/heads/${BRANCH}` });
}

/** Commit `commit` with the blob of its notebook file. @throws {Error} when either object is missing or damaged. */
export async function readRevisionCommit(io: IGitIo, gitdir: string, commit: string): Promise<IRevisionCommit> {
  const { commit: parsed } = await git.readCommit({ fs: io.fs, gitdir, oid: commit });
  const { oid: blob } = await git.readBlob({ fs: io.fs, gitdir, oid: commit, filepath: NOTEBOOK_FILE });
  return {
    commit,
    blob,
    parents: parsed.parent,
    author: parsed.author.name,
    message: parsed.message.endsWith('\n') ? parsed.message.slice(0, -1) : parsed.message,
    createdAt: new Date(parsed.author.timestamp * 1000).toISOString()
  };
}

/**
 * The revisions on `main`, oldest first: the first-parent chain from its head, which is how saves numbered them
 * (a merge's first parent is the revision it was accepted onto).
 * @throws {Error} when a commit on the chain is missing or damaged.
 */
export async function readRevisionChain(io: IGitIo, gitdir: string): Promise<IRevisionCommit[]> {
  const chain: IRevisionCommit[] = [];
  let next: string | undefined = await readBranchHead(io, gitdir);
  while (next !== undefined) {
    const commit = await readRevisionCommit(io, gitdir, next);
    chain.push(commit);
    next = commit.parents[0];
  }
  return chain.reverse();
}
