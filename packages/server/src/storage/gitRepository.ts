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

/** What `refs/heads/main` holds: a commit id, nothing (never written), or something that is not a commit id. */
export type BranchState = { kind: 'commit'; sha: string } | { kind: 'missing' } | { kind: 'damaged'; content: string };

const OBJECT_ID = /^[0-9a-f]{40}$/;

/**
 * Reads the branch ref as git would (the loose ref, else its line in `packed-refs`), synchronously: the start-up
 * check reads one per notebook and a promise each would cost more than the read.
 * @throws {Error} when the file system fails for another reason than a missing file.
 */
export function readBranchSync(gitdir: string): BranchState {
  let content: string;
  try {
    content = fs.readFileSync(branchRefPath(gitdir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
    return packedBranch(gitdir);
  }
  const sha = content.trim();
  return OBJECT_ID.test(sha) ? { kind: 'commit', sha } : { kind: 'damaged', content };
}

function packedBranch(gitdir: string): BranchState {
  let packed: string;
  try {
    packed = fs.readFileSync(path.join(gitdir, 'packed-refs'), 'utf8');
  } catch {
    return { kind: 'missing' };
  }
  const line = packed.split('\n').find(entry => entry.endsWith(` refs/heads/${BRANCH}`));
  const sha = line?.slice(0, 40);
  return sha && OBJECT_ID.test(sha) ? { kind: 'commit', sha } : { kind: 'missing' };
}

/** The content `HEAD` must have; anything else makes stock git refuse the repository. */
export const HEAD_CONTENT = `ref: refs/heads/${BRANCH}\n`;

/** Whether `HEAD` points at the branch, as {@link initRepository} left it. */
export function headIsIntact(gitdir: string): boolean {
  try {
    return fs.readFileSync(path.join(gitdir, 'HEAD'), 'utf8').trim() === HEAD_CONTENT.trim();
  } catch {
    return false;
  }
}

/** Rewrites a damaged `HEAD` the way {@link initRepository} wrote it (through a renamed temporary file). */
export async function repairHead(io: IGitIo, gitdir: string): Promise<void> {
  await writeFileAtomically(io, path.join(gitdir, 'HEAD'), HEAD_CONTENT);
}

async function writeFileAtomically(io: IGitIo, file: string, content: string): Promise<void> {
  const temporary = `${file}.lock`;
  await fs.promises.rm(temporary, { force: true });
  const handle = await fs.promises.open(temporary, 'wx');
  try {
    await handle.writeFile(content);
    if (io.durability.fsync) {
      await handle.sync();
    }
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, file);
  if (io.durability.fsync) {
    await fsyncDirectory(path.dirname(file));
  }
}

/** A commit as the storage checks read it: its parents, the notebook blob of its tree, who made it and why. */
export interface ICommitInfo {
  sha: string;
  parents: string[];
  /** The blob of notebook.ipynb in its tree. */
  blob: string;
  author: string;
  /** Seconds since the epoch. */
  timestamp: number;
  message: string;
}

/**
 * Reads commit `sha` and its tree (both checked against their ids), and `notebook.ipynb`'s blob id from the tree.
 * @throws {Error} when the commit or tree is missing or damaged, or the tree has no notebook file.
 */
export async function readCommitInfo(io: IGitIo, gitdir: string, sha: string): Promise<ICommitInfo> {
  const { commit } = await git.readCommit({ fs: io.fs, gitdir, oid: sha });
  const { tree } = await git.readTree({ fs: io.fs, gitdir, oid: commit.tree });
  const entry = tree.find(item => item.path === NOTEBOOK_FILE);
  if (!entry) {
    throw Object.assign(new Error(`tree ${commit.tree} of commit ${sha} has no ${NOTEBOOK_FILE}`), {
      code: 'ParseError'
    });
  }
  return {
    sha,
    parents: commit.parent,
    blob: entry.oid,
    author: commit.author.name,
    timestamp: commit.author.timestamp,
    message: commit.message.replace(/\n$/, '')
  };
}

/**
 * The commits from `stop` (exclusive; the root when null) up to `tip`, oldest first, following first parents: how
 * saves numbered the revisions (a merge's first parent is the revision it was accepted onto).
 * @throws {Error} when a commit on the way is missing or damaged, or `stop` is not on the chain.
 */
export async function readFirstParentChain(
  io: IGitIo,
  gitdir: string,
  tip: string,
  stop: string | null = null
): Promise<ICommitInfo[]> {
  const chain: ICommitInfo[] = [];
  let sha: string | undefined = tip;
  while (sha !== undefined && sha !== stop) {
    const commit: ICommitInfo = await readCommitInfo(io, gitdir, sha);
    chain.push(commit);
    sha = commit.parents[0];
  }
  if (stop !== null && sha === undefined) {
    throw Object.assign(new Error(`commit ${stop} is not on the first-parent history of ${tip}`), {
      code: 'NotFoundError'
    });
  }
  return chain.reverse();
}

/**
 * The revisions on `main`, oldest first (its first-parent chain from the root).
 * @throws {Error} when the branch ref is missing or damaged, or a commit on the chain is.
 */
export async function readRevisionChain(io: IGitIo, gitdir: string): Promise<ICommitInfo[]> {
  const branch = readBranchSync(gitdir);
  if (branch.kind !== 'commit') {
    throw Object.assign(new Error(`its branch ref refs/heads/${BRANCH} is ${branch.kind}`), { code: 'NotFoundError' });
  }
  return readFirstParentChain(io, gitdir, branch.sha);
}

/**
 * Whether object `oid` can be read back whole: a loose object is inflated and its id checked, a packed one read out
 * of its pack.
 */
export async function objectIsIntact(io: IGitIo, gitdir: string, oid: string): Promise<boolean> {
  try {
    await git.readObject({ fs: io.fs, gitdir, oid, format: 'content' });
    return true;
  } catch (error) {
    if (isObjectDamage(error)) {
      return false;
    }
    throw error;
  }
}

/** Error codes of isomorphic-git and zlib that mean an object is missing or its bytes are damaged. */
const DAMAGE_CODES = new Set([
  'NotFoundError',
  'InternalError',
  'ObjectTypeError',
  'ParseError',
  'Z_DATA_ERROR',
  'Z_BUF_ERROR',
  'ERR_OUT_OF_RANGE',
  'ERR_BUFFER_OUT_OF_BOUNDS'
]);

/**
 * Whether an error of a git read means the object is missing or damaged (rather than the disk being full, a
 * permission, or too many open files): a missing loose object or pack, a truncated pack, a failed id check.
 */
export function isObjectDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && DAMAGE_CODES.has(code)) ||
    error instanceof RangeError ||
    (error instanceof Error && /SHA check failed|not found|incorrect header check|unexpected end/i.test(error.message))
  );
}
