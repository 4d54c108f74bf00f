import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { IDatabaseCheck } from '../repositories/databaseCheckRepository';
import type { INotebookHead, IStoredRevision } from '../repositories/notebookRepository';
import { alignWithGit, type IAlignmentParts, type IStorageFinding } from './gitAlignment';
import {
  headIsIntact,
  objectIsIntact,
  readBlob,
  readCommitInfo,
  removeStaleBranchLock,
  repairHead,
  setBranchHead,
  writeNotebookCommit
} from './gitRepository';
import { repositoryPath } from './repositoryLayout';
import { readOrNull, short } from './saveBase';
import { isDatabaseDamage } from '../errors/DatabaseDamagedError';

/** What fsck needs: what the alignment needs, and the database's own check. */
export interface IStorageCheckParts extends IAlignmentParts {
  databaseCheck: IDatabaseCheck;
  /** Whose proposal commits are checked too. */
  changeRequests: IChangeRequestRepository;
}

/** Where fsck is: which step, and how far through it. */
export type FsckProgress = (step: 'database' | 'notebooks' | 'repositories', done: number, total: number) => void;

/** What fsck found, what it repaired, and what is still wrong afterwards. */
export interface IFsckReport {
  /** Every finding of the first pass, each saying whether --repair repaired it. */
  findings: IStorageFinding[];
  /** Findings of a second, read-only pass after repairing: what is still wrong. Equals `findings` without repair. */
  remaining: IStorageFinding[];
  notebooks: number;
  repositories: number;
  /** SQLite's integrity_check found the database damaged: only a restore mends that. */
  databaseDamaged: boolean;
}

/**
 * `notebook-gallery fsck`: the database's integrity check; every notebook's branch against the database and every
 * repository against the rows (storage/gitAlignment.ts); `HEAD`, the packs, and every revision's commit, tree and
 * notebook file. With `repair`, repairs what survives (see {@link repairLostHead}); then checks again, read-only, and
 * reports what is still wrong. The database is not changed when its own check fails.
 */
export async function checkStorage(
  parts: IStorageCheckParts,
  options: { repair: boolean; progress?: FsckProgress }
): Promise<IFsckReport> {
  options.progress?.('database', 0, 1);
  const problems = await parts.databaseCheck.integrityCheck();
  options.progress?.('database', 1, 1);
  const databaseFindings: IStorageFinding[] = problems.length
    ? [
        {
          code: 'DATABASE_DAMAGED',
          notebook: null,
          title: null,
          owner: null,
          message:
            `SQLite's integrity_check failed: ${problems.slice(0, 5).join('; ')}. Restore the latest backup ` +
            '(notebook-gallery restore); nothing was repaired, since repairs would write to the damaged file',
          repaired: false
        }
      ]
    : [];
  const repair = options.repair && problems.length === 0;
  const first = await checkOnce(parts, repair, options.progress).catch((error: unknown) => {
    // A damaged database may fail the reads of the other checks too: its own finding already says what to do.
    if (problems.length > 0 && isDatabaseDamage(error)) {
      return { findings: [], notebooks: 0, repositories: 0 };
    }
    throw error;
  });
  const findings = [...databaseFindings, ...first.findings];
  const remaining = repair
    ? [...databaseFindings, ...(await checkOnce(parts, false)).findings]
    : findings.filter(finding => !finding.repaired);
  return {
    findings,
    remaining,
    notebooks: first.notebooks,
    repositories: first.repositories,
    databaseDamaged: problems.length > 0
  };
}

async function checkOnce(
  parts: IStorageCheckParts,
  repair: boolean,
  progress?: FsckProgress
): Promise<{ findings: IStorageFinding[]; notebooks: number; repositories: number }> {
  const alignment = await alignWithGit(parts, {
    repair,
    progress: progress && ((done, total) => progress('repositories', done, total))
  });
  const findings = [...alignment.findings];
  const missing = new Set(
    alignment.findings.filter(finding => finding.code === 'REPOSITORY_MISSING').map(finding => finding.notebook)
  );
  const inFlight = new Set((await parts.journal.pending()).map(entry => entry.notebookId));
  const heads = await parts.notebooks.listHeads();
  let done = 0;
  for (const head of heads) {
    progress?.('notebooks', ++done, heads.length);
    if (!missing.has(head.id) && !inFlight.has(head.id)) {
      findings.push(...(await checkRepository(parts, head, repair)));
    }
  }
  return { findings, notebooks: alignment.notebooks, repositories: alignment.repositories };
}

/** `HEAD`, packs and every revision of one notebook's repository. */
async function checkRepository(
  parts: IStorageCheckParts,
  head: INotebookHead,
  repair: boolean
): Promise<IStorageFinding[]> {
  const gitdir = repositoryPath(parts.dataDir, head.id);
  const about = { notebook: head.id, title: head.title, owner: head.owner };
  const findings: IStorageFinding[] = [];
  if (!headIsIntact(gitdir)) {
    if (repair) {
      await repairHead(parts.git, gitdir);
    }
    findings.push({
      ...about,
      code: 'HEAD_DAMAGED',
      message:
        "its HEAD file does not point at the branch (stock git then refuses the repository); the gallery's reads " +
        `and saves do not use it${repair ? '; it was rewritten' : ', and --repair rewrites it'}`,
      repaired: repair
    });
  }
  for (const problem of packProblems(gitdir)) {
    findings.push({ ...about, code: 'PACK_DAMAGED', message: problem, repaired: false });
  }
  findings.push(...(await proposalFindings(parts, head, gitdir)));
  const revisions = await parts.notebooks.listStoredRevisions(head.id);
  const lost: ILostRevision[] = [];
  let intact: IStoredRevision | undefined;
  for (const revision of revisions) {
    const damage = await revisionDamage(parts, gitdir, revision);
    if (damage === null) {
      intact ??= revision;
    } else {
      lost.push({ revision, ...damage });
    }
  }
  const headLost = lost.length > 0 && lost[0].revision.revision === head.headSha;
  // A lost commit below the newest intact revision breaks the history every later save would build on.
  const historyBroken =
    intact !== undefined && lost.some(item => item.commitLost && item.revision.number < intact!.number);
  if (headLost || historyBroken) {
    findings.push(await repairLostHead(parts, head, gitdir, lost, intact, historyBroken, repair));
    return findings;
  }
  for (const { revision, what } of lost) {
    findings.push({
      ...about,
      code: 'REVISION_LOST',
      message:
        `revision ${revision.number} (${short(revision.revision)}, ${revision.createdAt}): ${what}; it cannot be ` +
        'read or compared any more, and only a backup brings it back (later revisions are intact)',
      repaired: false
    });
  }
  return findings;
}

/** Change requests whose proposal commit, tree or notebook file cannot be read back whole: nothing repairs them. */
async function proposalFindings(
  parts: IStorageCheckParts,
  head: INotebookHead,
  gitdir: string
): Promise<IStorageFinding[]> {
  const findings: IStorageFinding[] = [];
  for (const request of await parts.changeRequests.listForNotebook(head.id, {})) {
    const commit = await readOrNull(() => readCommitInfo(parts.git, gitdir, request.commitSha));
    const damaged =
      commit === null
        ? `its proposed commit ${short(request.commitSha)} (or its tree) is missing or damaged`
        : (await objectIsIntact(parts.git, gitdir, commit.blob))
          ? null
          : `its proposed notebook file (blob ${short(commit.blob)}) is missing or damaged`;
    if (damaged !== null) {
      findings.push({
        notebook: head.id,
        title: head.title,
        owner: head.owner,
        code: 'PROPOSAL_DAMAGED',
        message:
          `change request ${request.id} (${request.status}, by ${request.proposer}): ${damaged}, so it cannot be ` +
          'reviewed or accepted; restore the repository from a backup' +
          (request.status === 'open' ? ', or reject it' : ''),
        repaired: false
      });
    }
  }
  return findings;
}

/** A revision whose commit, tree or notebook file cannot be read back whole. */
interface ILostRevision {
  revision: IStoredRevision;
  what: string;
  /** The commit (or its tree) is gone, not only the notebook file: history through it is broken. */
  commitLost: boolean;
}

/** What is wrong with a revision's commit, tree or notebook file, or null when all three read back whole. */
async function revisionDamage(
  parts: IStorageCheckParts,
  gitdir: string,
  revision: IStoredRevision
): Promise<Omit<ILostRevision, 'revision'> | null> {
  const commit = await readOrNull(() => readCommitInfo(parts.git, gitdir, revision.revision));
  if (commit === null) {
    return { what: `its commit ${short(revision.revision)} (or its tree) is missing or damaged`, commitLost: true };
  }
  if (commit.blob !== revision.blobSha) {
    return {
      what: `its commit names notebook file ${short(commit.blob)}, the database ${short(revision.blobSha)}`,
      commitLost: false
    };
  }
  if (!(await objectIsIntact(parts.git, gitdir, revision.blobSha))) {
    return { what: `its notebook file (blob ${short(revision.blobSha)}) is missing or damaged`, commitLost: false };
  }
  return null;
}

/**
 * The latest revision is lost, or the history below the newest intact one is broken: the branch is re-pointed at a
 * repair commit, on top of the newest intact revision (or, when history below it is broken, as a new first commit),
 * carrying the newest notebook file that survives, and recorded as a new revision so no revision number is given
 * twice. The lost revisions leave the database, and the message names them. Without an intact revision nothing is
 * changed: only a backup helps.
 */
async function repairLostHead(
  parts: IStorageCheckParts,
  head: INotebookHead,
  gitdir: string,
  lost: readonly ILostRevision[],
  intact: IStoredRevision | undefined,
  historyBroken: boolean,
  repair: boolean
): Promise<IStorageFinding> {
  const about = { notebook: head.id, title: head.title, owner: head.owner };
  const names = lost.map(({ revision, what }) => `revision ${revision.number} (${what})`).join(', ');
  if (intact === undefined) {
    return {
      ...about,
      code: 'HISTORY_LOST',
      message: `no revision can be read any more: ${names}; restore its repository from a backup`,
      repaired: false
    };
  }
  // The notebook file of a newer lost revision may well survive (a lost commit leaves its blob): keep it.
  const newer = lost.filter(item => item.revision.number > intact.number);
  const survivor = await newestReadableFile(parts, gitdir, newer);
  const number = head.revisionCount + 1;
  const contentOf = survivor?.number ?? intact.number;
  const plan =
    `the branch ${repair ? 'now points' : 'would point'} at a repair commit (revision ${number}) ` +
    (historyBroken ? 'that starts a new history' : `on top of revision ${intact.number}, the newest intact one`) +
    `, with the notebook of revision ${contentOf}`;
  if (repair) {
    const content = survivor?.bytes ?? Buffer.from(await readBlob(parts.git, gitdir, intact.blobSha));
    const now = new Date();
    const message =
      `Repaired by notebook-gallery fsck: ${lost.map(item => `revision ${item.revision.number}`).join(', ')} ` +
      `lost; content of revision ${contentOf}`;
    const author = {
      name: 'notebook-gallery',
      email: 'fsck@notebook-gallery',
      timestamp: Math.floor(now.getTime() / 1000)
    };
    const written = await writeNotebookCommit(parts.git, gitdir, content, {
      parents: historyBroken ? [] : [intact.revision],
      author,
      message
    });
    await parts.unitOfWork.transaction(async () => {
      await parts.notebooks.forgetRevisions(
        head.id,
        lost.map(item => item.revision.number)
      );
      await parts.notebooks.addRevision(head.id, {
        number,
        sha: written.commit,
        blobSha: written.blob,
        author: 'notebook-gallery',
        message,
        createdAt: now.toISOString()
      });
    });
    await removeStaleBranchLock(gitdir);
    await setBranchHead(parts.git, gitdir, written.commit);
  }
  return {
    ...about,
    code: 'REVISION_LOST',
    message: `revisions are lost: ${names}; ${plan}${repair ? '' : ' with --repair'}`,
    repaired: repair
  };
}

async function newestReadableFile(
  parts: IStorageCheckParts,
  gitdir: string,
  lost: readonly ILostRevision[]
): Promise<{ number: number; bytes: Buffer } | null> {
  for (const { revision } of lost) {
    const bytes = await readOrNull(() => readBlob(parts.git, gitdir, revision.blobSha));
    if (bytes !== null) {
      return { number: revision.number, bytes: Buffer.from(bytes) };
    }
  }
  return null;
}

/**
 * Packs that are missing, truncated or altered: each `.pack` must have its `.idx`, end with the SHA-1 of its own
 * bytes, and carry the checksum its index recorded; an index without its pack means the pack was deleted.
 */
export function packProblems(gitdir: string): string[] {
  const dir = path.join(gitdir, 'objects', 'pack');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const problems: string[] = [];
  for (const name of names) {
    const base = name.replace(/\.(pack|idx)$/, '');
    if (name.endsWith('.idx') && !names.includes(`${base}.pack`)) {
      problems.push(`pack ${base}.pack is missing (its index is there): the objects it held are lost`);
    } else if (name.endsWith('.pack')) {
      const problem = packProblem(
        path.join(dir, name),
        names.includes(`${base}.idx`) ? path.join(dir, `${base}.idx`) : null
      );
      if (problem) {
        problems.push(`pack ${name} ${problem}: objects in it may be lost`);
      }
    }
  }
  return problems;
}

function packProblem(pack: string, index: string | null): string | null {
  if (index === null) {
    return 'has no index';
  }
  const bytes = fs.readFileSync(pack);
  if (bytes.length < 32 || bytes.subarray(0, 4).toString('latin1') !== 'PACK') {
    return 'is truncated or not a pack';
  }
  const trailer = bytes.subarray(bytes.length - 20);
  const computed = crypto
    .createHash('sha1')
    .update(bytes.subarray(0, bytes.length - 20))
    .digest();
  const indexBytes = fs.readFileSync(index);
  const recorded = indexBytes.subarray(indexBytes.length - 40, indexBytes.length - 20);
  if (!computed.equals(trailer) || !recorded.equals(trailer)) {
    return 'is truncated or damaged (its checksum does not match)';
  }
  return null;
}
