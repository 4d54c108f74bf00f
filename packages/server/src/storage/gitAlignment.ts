import { notebookSearchText, parseNotebook, type INotebook } from '@notebook-gallery/core';
import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type { INotebookHead, INotebookRepository } from '../repositories/notebookRepository';
import type { ISaveJournalRepository } from '../repositories/saveJournalRepository';
import type { ISearchIndex } from '../repositories/searchIndexRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import {
  readBlob,
  readBranchSync,
  readCommitInfo,
  readFirstParentChain,
  removeStaleBranchLock,
  setBranchHead,
  type BranchState,
  type ICommitInfo,
  type IGitIo
} from './gitRepository';
import { moveToTrash } from './notebookStore';
import { revisionEnvironment } from './preparedNotebook';
import { emptyRebuildReport, rebuildNotebook, type IIndexRebuildParts } from './indexRebuild';
import { describedRevisions, readRecordJournal, revisionRow, type RecordEntry } from './recordJournal';
import { listRepositoryIds, repositoryPath } from './repositoryLayout';
import { isAncestor, readOrNull, short } from './saveBase';

/** What a storage finding is about; the admin guide explains each ("Backups and repair"). */
export type FindingCode =
  | 'DATABASE_BEHIND_GIT'
  | 'BRANCH_BEHIND_DATABASE'
  | 'BRANCH_DAMAGED'
  | 'BRANCH_DIVERGED'
  | 'REPOSITORY_MISSING'
  | 'ORPHAN_REPOSITORY'
  | 'UNFINISHED_CREATE'
  | 'HEAD_DAMAGED'
  | 'PACK_DAMAGED'
  | 'REVISION_LOST'
  | 'HISTORY_LOST'
  | 'PROPOSAL_DAMAGED'
  | 'DATABASE_DAMAGED';

/** One problem the start-up check or fsck found, and whether it was repaired. */
export interface IStorageFinding {
  code: FindingCode;
  /** The notebook id (the repository's for an orphan); null for the database itself. */
  notebook: string | null;
  title: string | null;
  owner: string | null;
  /** What is wrong and, when repaired, what the repair did (and lost, if anything). */
  message: string;
  repaired: boolean;
}

/** What comparing git with the database needs; built by the composition root. */
export interface IAlignmentParts {
  dataDir: string;
  notebooks: INotebookRepository;
  search: ISearchIndex;
  environments: IEnvironmentRepository;
  journal: ISaveJournalRepository;
  unitOfWork: IUnitOfWork;
  git: IGitIo;
  /** Whether a user of this name exists: an adopted repository gets its first author as owner only then. */
  userExists: (username: string) => Promise<boolean>;
  refreshHealth: (notebookId: string) => Promise<void>;
  /** The plain repositories (and what else rebuild-index writes) that a record journal is replayed through. */
  records: IIndexRebuildParts;
}

/** The result of one comparison: what was found, and how many notebooks and repositories were looked at. */
export interface IAlignmentReport {
  findings: IStorageFinding[];
  notebooks: number;
  repositories: number;
  /** Revisions git had and the database lacked, recorded again (with `repair`): after a restore, saves made while the backup ran. */
  revisionsRecorded: number;
}

/**
 * Compares every notebook's branch with the head the database recorded, and every repository on disk with the
 * notebook rows, and with `repair` repairs in the direction that loses nothing: the database follows git (commits
 * git has and the database lost are recorded again under their own numbers; a repository without a row is adopted),
 * and a branch only ever moves forward to a commit the database acknowledged. What cannot be repaired without
 * losing something (diverged histories, a missing repository) is reported. Runs before serving, and in fsck.
 * A notebook whose branch equals its head costs one file read, so the check is quick on a large gallery.
 */
export async function alignWithGit(
  parts: IAlignmentParts,
  options: { repair: boolean; progress?: (done: number, total: number) => void }
): Promise<IAlignmentReport> {
  const findings: IStorageFinding[] = [];
  const tally = { revisionsRecorded: 0 };
  const heads = await parts.notebooks.listHeads();
  const repositories = new Set(listRepositoryIds(parts.dataDir));
  const inFlight = new Set((await parts.journal.pending()).map(entry => entry.notebookId));
  let done = 0;
  for (const head of heads) {
    options.progress?.(++done, heads.length);
    if (inFlight.has(head.id)) {
      continue;
    }
    const gitdir = repositoryPath(parts.dataDir, head.id);
    if (!repositories.delete(head.id)) {
      findings.push({
        ...about(head),
        code: 'REPOSITORY_MISSING',
        message:
          `its repository ${gitdir} is missing, so none of its ${head.revisionCount} revisions can be read; ` +
          'restore it from a backup',
        repaired: false
      });
      continue;
    }
    const branch = readBranchSync(gitdir);
    if (branch.kind === 'commit' && branch.sha === head.headSha) {
      continue;
    }
    const finding = await alignNotebook(parts, head, gitdir, options.repair, tally);
    if (finding) {
      findings.push(finding);
    }
  }
  for (const id of repositories) {
    if (!inFlight.has(id)) {
      findings.push(await alignOrphan(parts, id, options.repair));
    }
  }
  return { findings, notebooks: heads.length, repositories: heads.length + repositories.size, ...tally };
}

function about(head: INotebookHead): Pick<IStorageFinding, 'notebook' | 'title' | 'owner'> {
  return { notebook: head.id, title: head.title, owner: head.owner };
}

/** One notebook whose branch is not at the database's head; null when a save moved both meanwhile (fsck online). */
async function alignNotebook(
  parts: IAlignmentParts,
  head: INotebookHead,
  gitdir: string,
  repair: boolean,
  tally: { revisionsRecorded: number }
): Promise<IStorageFinding | null> {
  // fsck may run beside the server: look again, since a save in between moves the row and then the branch.
  const now = readBranchSync(gitdir);
  const headSha = (await parts.notebooks.headOf(head.id)) ?? head.headSha;
  if (now.kind === 'commit' && now.sha === headSha) {
    return null;
  }
  const current = { ...head, headSha };
  if (now.kind !== 'commit') {
    return repointDamagedBranch(parts, current, gitdir, now, repair);
  }
  if (await isAncestor(parts.git, gitdir, headSha, now.sha)) {
    return recordMissingRevisions(parts, current, gitdir, now.sha, repair, tally);
  }
  if (await isAncestor(parts.git, gitdir, now.sha, headSha)) {
    if (repair) {
      await removeStaleBranchLock(gitdir);
      await setBranchHead(parts.git, gitdir, headSha);
    }
    return {
      ...about(current),
      code: 'BRANCH_BEHIND_DATABASE',
      message:
        `its branch is at ${short(now.sha)}, an earlier revision than the latest the database acknowledged ` +
        `(${short(headSha)})` +
        (repair ? '; the branch was moved forward to it' : ''),
      repaired: repair
    };
  }
  return {
    ...about(current),
    code: 'BRANCH_DIVERGED',
    message:
      `its branch (${short(now.sha)}) and the database's latest revision (${short(headSha)}) are on different ` +
      'histories, or the history between them cannot be read; saves to it are refused until an administrator ' +
      'chooses one (git log both commits in its repository, then restore from a backup or point the branch by hand)',
    repaired: false
  };
}

async function repointDamagedBranch(
  parts: IAlignmentParts,
  head: INotebookHead,
  gitdir: string,
  branch: Exclude<BranchState, { kind: 'commit' }>,
  repair: boolean
): Promise<IStorageFinding> {
  const what = branch.kind === 'missing' ? 'is missing' : 'does not hold a commit id';
  const intact = (await readOrNull(() => readCommitInfo(parts.git, gitdir, head.headSha))) !== null;
  if (repair && intact) {
    await removeStaleBranchLock(gitdir);
    await setBranchHead(parts.git, gitdir, head.headSha);
  }
  return {
    ...about(head),
    code: 'BRANCH_DAMAGED',
    message:
      `its branch ref (refs/heads/main) ${what}` +
      (intact
        ? repair
          ? `; it was pointed at the latest revision the database acknowledged (${short(head.headSha)}), nothing lost`
          : `; its latest revision ${short(head.headSha)} is intact, so --repair points the branch at it`
        : `, and its latest revision's commit ${short(head.headSha)} is damaged too (see fsck)`),
    repaired: repair && intact
  };
}

/**
 * The branch is ahead of the database (its write-ahead log was lost after the commits were acknowledged, or a backup
 * copied saves made after its database snapshot): the commits between are recorded again as revisions, numbered on
 * from the database's count as they were first, as the record journal described them where it did.
 */
async function recordMissingRevisions(
  parts: IAlignmentParts,
  head: INotebookHead,
  gitdir: string,
  branchSha: string,
  repair: boolean,
  tally: { revisionsRecorded: number }
): Promise<IStorageFinding> {
  const chain = await firstParentChain(parts.git, gitdir, branchSha, head.headSha);
  const first = head.revisionCount + 1;
  const last = head.revisionCount + (chain?.length ?? 0);
  if (chain === null) {
    return {
      ...about(head),
      code: 'DATABASE_BEHIND_GIT',
      message: `its branch (${short(branchSha)}) is ahead of the database, but a commit between them is damaged`,
      repaired: false
    };
  }
  const notebooks = repair ? await readOrNull(() => readNotebooks(parts.git, gitdir, chain)) : [];
  if (notebooks === null) {
    return {
      ...about(head),
      code: 'DATABASE_BEHIND_GIT',
      message: `its branch (${short(branchSha)}) is ahead of the database, but a notebook file between them is damaged`,
      repaired: false
    };
  }
  if (repair) {
    const described = describedRevisions((await readRecordJournal(gitdir)).entries);
    const revisions = chain.map((commit, index) => revisionRow(first + index, commit, described));
    const record = (await parts.notebooks.find(head.id))!;
    await parts.unitOfWork.transaction(async () => {
      for (const [index, revision] of revisions.entries()) {
        // The journal already has the revisions it described (its append outlived the lost row): only the row.
        const rows =
          described.get(revision.sha)?.number === revision.number ? parts.records.notebooks : parts.notebooks;
        await rows.addRevision(head.id, revision);
        await parts.environments.put(head.id, revision.sha, revisionEnvironment(notebooks[index]));
      }
      await parts.search.put(record.seq, record, notebookSearchText(notebooks[notebooks.length - 1]));
      await parts.refreshHealth(head.id);
    });
    tally.revisionsRecorded += revisions.length;
  }
  const numbers = first === last ? `revision ${first}` : `revisions ${first} to ${last}`;
  return {
    ...about(head),
    code: 'DATABASE_BEHIND_GIT',
    message:
      `git has ${numbers} (up to ${short(branchSha)}) that the database lost (a lost write-ahead log?)` +
      (repair ? '; they were recorded again from git' : '; --repair records them again from git'),
    repaired: repair
  };
}

/**
 * A repository with no notebook row. Without a branch it is a create that was never acknowledged: moved to the
 * trash. With one, the notebook is adopted: from its record journal when it has one (everything users wrote comes
 * back, as rebuild-index brings it back), else from git alone: owner from its first commit's author, title from the
 * first commit's message, private, and the message says what is not recovered.
 */
async function alignOrphan(parts: IAlignmentParts, id: string, repair: boolean): Promise<IStorageFinding> {
  const gitdir = repositoryPath(parts.dataDir, id);
  const base = { notebook: id, title: null, owner: null };
  const branch = readBranchSync(gitdir);
  if (branch.kind === 'missing') {
    const target = repair ? await moveToTrash(parts.dataDir, id) : null;
    return {
      ...base,
      code: 'UNFINISHED_CREATE',
      message:
        `repository ${gitdir} has no branch and no notebook row: a create that was never acknowledged` +
        (target ? `; moved to ${target}` : '; --repair moves it to the trash'),
      repaired: repair
    };
  }
  if (branch.kind === 'damaged') {
    return {
      ...base,
      code: 'ORPHAN_REPOSITORY',
      message: `repository ${gitdir} has no notebook row and its branch ref is damaged; restore it from a backup`,
      repaired: false
    };
  }
  const chain = await firstParentChain(parts.git, gitdir, branch.sha, null);
  if (chain === null) {
    return {
      ...base,
      code: 'ORPHAN_REPOSITORY',
      message: `repository ${gitdir} has no notebook row and its history cannot be read whole; restore it from a backup`,
      repaired: false
    };
  }
  const journal = await readRecordJournal(gitdir);
  if (journal.entries.some(entry => entry.op === 'notebook.insert')) {
    return adoptFromJournal(parts, id, gitdir, journal.entries, chain.length, repair);
  }
  const owner = chain[0].author;
  const title = /^Create (.+)$/.exec(chain[0].message.split('\n')[0])?.[1] ?? `Recovered notebook ${id}`;
  if (!(await parts.userExists(owner))) {
    return {
      ...base,
      title,
      code: 'ORPHAN_REPOSITORY',
      message:
        `repository ${gitdir} (${chain.length} revisions) has no notebook row, and its first author "${owner}" ` +
        'is not a user here, so it cannot be adopted; add the user (notebook-gallery user add) and run fsck --repair',
      repaired: false
    };
  }
  const notebooks = repair ? await readOrNull(() => readNotebooks(parts.git, gitdir, chain)) : [];
  if (notebooks === null) {
    return {
      ...base,
      code: 'ORPHAN_REPOSITORY',
      message: `repository ${gitdir} has no notebook row and one of its notebook files is damaged; restore it from a backup`,
      repaired: false
    };
  }
  if (repair) {
    const revisions = chain.map((commit, index) => revisionRow(index + 1, commit, new Map()));
    await parts.unitOfWork.transaction(async () => {
      const entry = { title, description: '', tags: [], owner };
      const seq = await parts.notebooks.insert({
        ...entry,
        id,
        ownerKind: 'user',
        visibility: 'private',
        group: null,
        parent: null,
        revision: revisions[0]
      });
      for (const [index, revision] of revisions.entries()) {
        if (index > 0) {
          await parts.notebooks.addRevision(id, revision);
        }
        await parts.environments.put(id, revision.sha, revisionEnvironment(notebooks[index]));
      }
      await parts.search.put(seq, entry, notebookSearchText(notebooks[notebooks.length - 1]));
    });
  }
  return {
    ...base,
    title,
    owner,
    code: 'ORPHAN_REPOSITORY',
    message:
      `repository with ${chain.length} revisions has no notebook row (a lost write-ahead log?)` +
      (repair ? '; adopted' : '; --repair adopts it') +
      ` as a private notebook of ${owner} titled "${title}" from its first commit. It has no record journal, so its ` +
      'description, tags, sharing, change requests, comments and the notebook it was copied from are not recovered',
    repaired: repair
  };
}

/**
 * Adopts a repository without a row by replaying its record journal through the same code as rebuild-index (which
 * writes through the plain repositories, so the journal is not appended to again). Accounts the journal names that
 * the database lacks are added disabled, as rebuild-index adds them.
 */
async function adoptFromJournal(
  parts: IAlignmentParts,
  id: string,
  gitdir: string,
  entries: RecordEntry[],
  revisions: number,
  repair: boolean
): Promise<IStorageFinding> {
  const recorded = recordedNotebook(entries);
  const base = { notebook: id, title: recorded.title, owner: recorded.owner };
  const report = emptyRebuildReport();
  if (repair) {
    await rebuildNotebook(parts.records, { id, gitdir, entries }, report);
    if (report.unreadable.length > 0) {
      return {
        ...base,
        code: 'ORPHAN_REPOSITORY',
        message: `repository ${gitdir} has no notebook row and one of its notebook files is damaged; restore it from a backup`,
        repaired: false
      };
    }
  }
  const added = report.accountsAdded.length
    ? `; the accounts it names that were missing were added, disabled: ${report.accountsAdded.join(', ')}`
    : '';
  return {
    ...base,
    code: 'ORPHAN_REPOSITORY',
    message:
      `repository with ${revisions} revisions has no notebook row (a lost write-ahead log?)` +
      (repair ? '; adopted' : '; --repair adopts it') +
      ' from its record journal, with its title, description, tags, owner, sharing, change requests, comments and ' +
      `stars${added}`,
    repaired: repair
  };
}

/** The title and listed owner a record journal gives a notebook, for findings about it before it has a row. */
function recordedNotebook(entries: readonly RecordEntry[]): { title: string; owner: string } {
  let title = '';
  let owner = '';
  for (const entry of entries) {
    if (entry.op === 'notebook.insert') {
      title = entry.notebook.title;
      owner =
        entry.notebook.ownerKind === 'group' && entry.notebook.group ? entry.notebook.group : entry.notebook.owner;
    } else if (entry.op === 'notebook.updateMetadata') {
      title = entry.metadata.title;
    } else if (entry.op === 'notebook.setOwnership') {
      const { ownerKind, owner: user, group } = entry.ownership;
      owner = ownerKind === 'group' && group ? group : user;
    }
  }
  return { title, owner };
}

/** {@link readFirstParentChain}, or null when a commit on it is damaged or `stop` is not on it. */
function firstParentChain(io: IGitIo, gitdir: string, tip: string, stop: string | null): Promise<ICommitInfo[] | null> {
  return readOrNull(() => readFirstParentChain(io, gitdir, tip, stop));
}

async function readNotebooks(io: IGitIo, gitdir: string, commits: readonly ICommitInfo[]): Promise<INotebook[]> {
  const notebooks: INotebook[] = [];
  for (const commit of commits) {
    notebooks.push(parseNotebook(Buffer.from(await readBlob(io, gitdir, commit.blob)).toString('utf8')));
  }
  return notebooks;
}
