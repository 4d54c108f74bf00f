import { notebookSearchText, type INotebook } from '@notebook-gallery/core';
import type { IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { ICommentRepository } from '../repositories/commentRepository';
import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type { IGroupRepository } from '../repositories/groupRepository';
import type { INewNotebook, INotebookRepository, IRevisionRow } from '../repositories/notebookRepository';
import type { ISearchIndex } from '../repositories/searchIndexRepository';
import type { ISearchRanking } from '../repositories/searchRankingRepository';
import type { ISignalRepository } from '../repositories/signalRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import { NO_PASSWORD, type IUserRepository } from '../repositories/userRepository';

import { readBlob, readRevisionChain, type IGitIo, type ICommitInfo } from './gitRepository';
import { revisionEnvironment } from './preparedNotebook';
import { describedRevisions, readRecordJournal, revisionRow, type RecordEntry } from './recordJournal';
import { listRepositoryIds, repositoryPath } from './repositoryLayout';
import type { ISecretAllowlistRepository } from '../repositories/secretAllowlistRepository';

/** What the rebuild writes through: the plain repositories (not the journaling ones: it replays the journal). */
export interface IIndexRebuildParts {
  dataDir: string;
  git: IGitIo;
  unitOfWork: IUnitOfWork;
  notebooks: INotebookRepository;
  changeRequests: IChangeRequestRepository;
  comments: ICommentRepository;
  signals: ISignalRepository;
  secretAllowlist: ISecretAllowlistRepository;
  search: ISearchIndex;
  searchRanking: ISearchRanking;
  environments: IEnvironmentRepository;
  users: IUserRepository;
  groups: IGroupRepository;
  refreshHealth: (notebookId: string) => Promise<void>;
}

/** What a rebuild recovered and what it could not. */
export interface IRebuildReport {
  notebooks: number;
  revisions: number;
  changeRequests: number;
  comments: number;
  stars: number;
  /** Revisions on `main` that the journal did not describe, taken from the commit alone (time to the second). */
  revisionsFromGitOnly: number;
  /** Notebooks whose repository has no record journal: title, description, tags and sharing are defaults. */
  withoutJournal: string[];
  /** Repositories whose `main` or a commit on it could not be read: left out, with the reason. */
  unreadable: { id: string; reason: string }[];
  /** Notebooks the database listed whose repository is not in `repos/`: their rows are gone (see the trash). */
  withoutRepository: string[];
  /** Journal entries left out: lines a crash cut short, revisions not on `main`, changes whose target is gone. */
  entriesSkipped: number;
  /** Accounts and groups the records name but the database lacked, added (accounts disabled, without password). */
  accountsAdded: string[];
  groupsAdded: string[];
  /** Never written to git, so they start empty again. */
  notRecovered: string[];
}

/** Called after each repository with how many are done and how many there are. */
export type RebuildProgress = (done: number, total: number) => void;

const NOT_RECOVERED = [
  'views, downloads and opens',
  'activity and trending',
  'health reports',
  'inbox events and mutes'
];

/**
 * Rebuilds every notebook's rows from the repositories: the revisions are `main`'s first-parent chain (the database
 * follows git), and title, description, tags, ownership, sharing, change requests and comments are the record
 * journal replayed through the same repository methods that wrote them. Rows of notebooks whose repository is gone
 * are removed. Accounts, groups and tokens are not in git and are kept. Run on a stopped gallery.
 */
export async function rebuildIndex(
  parts: IIndexRebuildParts,
  progress: RebuildProgress = () => {}
): Promise<IRebuildReport> {
  const report = emptyRebuildReport();
  const existing = await parts.notebooks.listHeads();
  await parts.unitOfWork.transaction(async () => {
    for (const { id, seq } of existing) {
      await parts.search.remove(seq);
      await parts.notebooks.remove(id);
    }
  });
  const repositories = listRepositoryIds(parts.dataDir).map(id => ({ id, gitdir: repositoryPath(parts.dataDir, id) }));
  const onDisk = new Set(repositories.map(repository => repository.id));
  report.withoutRepository = existing.map(head => head.id).filter(id => !onDisk.has(id));
  const loaded: ILoadedRepository[] = [];
  for (const repository of repositories) {
    const journal = await readRecordJournal(repository.gitdir);
    report.entriesSkipped += journal.unreadable;
    const insert = journal.entries.find(entry => entry.op === 'notebook.insert');
    loaded.push({ ...repository, entries: journal.entries, createdAt: insert?.notebook.revision.createdAt ?? '' });
  }
  // Oldest first, so row ids (and ties in listings) keep the order the notebooks were made in.
  loaded.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  let done = 0;
  for (const repository of loaded) {
    await rebuildNotebook(parts, repository, report);
    progress(++done, loaded.length);
  }
  // Every notebook was ranked with the average length of the gallery before the rebuild; freeze today's.
  await parts.unitOfWork.transaction(() => parts.searchRanking.refresh());
  return report;
}

/** A report of nothing rebuilt yet. */
export function emptyRebuildReport(): IRebuildReport {
  return {
    notebooks: 0,
    revisions: 0,
    changeRequests: 0,
    comments: 0,
    stars: 0,
    revisionsFromGitOnly: 0,
    withoutJournal: [],
    unreadable: [],
    withoutRepository: [],
    entriesSkipped: 0,
    accountsAdded: [],
    groupsAdded: [],
    notRecovered: NOT_RECOVERED
  };
}

/** A repository with its record journal read. */
interface ILoadedRepository {
  id: string;
  gitdir: string;
  entries: RecordEntry[];
  createdAt: string;
}

/**
 * Writes the rows of one notebook that has none from its repository and record journal (the whole rebuild, and the
 * adoption of a repository without a row: storage/gitAlignment.ts), adding to `report`.
 */
export async function rebuildNotebook(
  parts: IIndexRebuildParts,
  repository: Pick<ILoadedRepository, 'id' | 'gitdir' | 'entries'>,
  report: IRebuildReport
): Promise<void> {
  const { id, gitdir, entries } = repository;
  let chain: ICommitInfo[];
  const environments = new Map<string, ReturnType<typeof revisionEnvironment>>();
  let head: INotebook | undefined;
  try {
    chain = await readRevisionChain(parts.git, gitdir);
    for (const commit of chain) {
      const notebook = parseNotebook(await readBlob(parts.git, gitdir, commit.blob));
      environments.set(commit.sha, revisionEnvironment(notebook));
      head = notebook;
    }
  } catch (error) {
    report.unreadable.push({ id, reason: (error as Error).message });
    return;
  }
  const described = describedRevisions(entries);
  const row = (number: number): IRevisionRow => {
    const made = revisionRow(number, chain[number - 1], described);
    if (described.get(made.sha)?.number !== number) {
      report.revisionsFromGitOnly++;
    }
    return made;
  };
  const owners = new Owners(parts, report);
  await parts.unitOfWork.transaction(async () => {
    const insert = entries.find(entry => entry.op === 'notebook.insert');
    const notebook: INewNotebook = insert
      ? { ...insert.notebook, id, revision: row(1) }
      : {
          id,
          title: `Recovered notebook ${id}`,
          description: '',
          tags: [],
          ownerKind: 'user',
          owner: chain[0].author,
          visibility: 'private',
          group: null,
          parent: null,
          revision: row(1)
        };
    if (!insert) {
      report.withoutJournal.push(id);
    }
    await owners.user(notebook.owner);
    await owners.group(notebook.group);
    await parts.notebooks.insert(notebook);
    let revisions = 1;
    for (const entry of entries) {
      if (entry.op === 'notebook.insert') {
        continue;
      }
      if (entry.op === 'notebook.addRevision') {
        const next = chain[revisions];
        if (next && entry.revision.sha === next.sha && entry.revision.number === revisions + 1) {
          await parts.notebooks.addRevision(id, row(++revisions));
        } else if (!chain.some(commit => commit.sha === entry.revision.sha)) {
          report.entriesSkipped++;
        }
        continue;
      }
      if (!(await replay(parts, id, entry, owners, chain))) {
        report.entriesSkipped++;
      }
    }
    while (revisions < chain.length) {
      await parts.notebooks.addRevision(id, row(++revisions));
    }
    for (const [sha, recorded] of environments) {
      await parts.environments.put(id, sha, recorded);
    }
    const record = (await parts.notebooks.find(id))!;
    await parts.search.put(record.seq, record, notebookSearchText(head!));
    await parts.refreshHealth(id);
    report.notebooks++;
    report.revisions += chain.length;
    report.changeRequests += (await parts.changeRequests.listForNotebook(id, {})).length;
    report.comments += (await parts.comments.listForNotebook(id)).length + (await reviewComments(parts, id));
    report.stars += (await parts.signals.listStars(id)).length;
  });
}

/** Replays one journal entry; false when it was left out because what it names is gone. */
async function replay(
  parts: IIndexRebuildParts,
  id: string,
  entry: Exclude<RecordEntry, { op: 'notebook.insert' } | { op: 'notebook.addRevision' }>,
  owners: Owners,
  chain: ICommitInfo[]
): Promise<boolean> {
  switch (entry.op) {
    case 'notebook.updateMetadata':
      await parts.notebooks.updateMetadata(id, entry.metadata, entry.when);
      return true;
    case 'notebook.setAccess':
      await owners.group(entry.access.group);
      await parts.notebooks.setAccess(id, entry.access);
      return true;
    case 'notebook.replaceShares':
      await parts.notebooks.replaceShares(id, entry.shares);
      return true;
    case 'notebook.setOwnership':
      await owners.user(entry.ownership.owner);
      await owners.group(entry.ownership.group);
      await parts.notebooks.setOwnership(id, entry.ownership);
      return true;
    case 'changeRequest.insert':
      // The proposal's parent must be a revision on main, or the request could never be reviewed.
      if (!chain.some(commit => commit.sha === entry.request.baseRevision)) {
        return false;
      }
      await owners.user(entry.request.proposer);
      await parts.changeRequests.insert({ ...entry.request, notebookId: id });
      return true;
    case 'changeRequest.decide':
      return parts.changeRequests.decide(id, entry.requestId, entry.decision);
    case 'comment.insert': {
      const { parentId, changeRequestId } = entry.comment;
      if (
        (parentId !== null && (await parts.comments.find(parentId)) === undefined) ||
        (changeRequestId !== null && (await parts.changeRequests.find(id, changeRequestId)) === undefined)
      ) {
        return false;
      }
      await owners.user(entry.comment.author);
      await parts.comments.insert({ ...entry.comment, notebookId: id });
      return true;
    }
    case 'secretAllowlist.add':
      await parts.secretAllowlist.add(id, entry.fingerprints, entry.confirmedBy, entry.when);
      return true;
    case 'star.set':
      await owners.user(entry.username);
      await parts.signals.setStar(id, entry.username, entry.starred, entry.at);
      return true;
    case 'comment.setBody':
    case 'comment.setResolved':
    case 'comment.delete': {
      if ((await parts.comments.find(entry.id))?.notebookId !== id) {
        return false;
      }
      if (entry.op === 'comment.setBody') {
        await parts.comments.setBody(entry.id, entry.body, entry.editedAt);
      } else if (entry.op === 'comment.setResolved') {
        await parts.comments.setResolved(entry.id, entry.at, entry.by);
      } else {
        await parts.comments.delete(entry.id);
      }
      return true;
    }
  }
}

/** The review comments of a notebook's change requests that `listForNotebook` leaves out (those not accepted). */
async function reviewComments(parts: IIndexRebuildParts, id: string): Promise<number> {
  let count = 0;
  for (const request of await parts.changeRequests.listForNotebook(id, {})) {
    if (request.status !== 'accepted') {
      count += (await parts.comments.listForChangeRequest(request.id)).length;
    }
  }
  return count;
}

/** Adds the accounts and groups the records name that the database lacks (a database lost with its accounts). */
class Owners {
  constructor(
    private readonly _parts: IIndexRebuildParts,
    private readonly _report: IRebuildReport
  ) {}

  async user(username: string): Promise<void> {
    if (await this._parts.users.find(username)) {
      return;
    }
    await this._parts.users.insert({
      username,
      passwordHash: NO_PASSWORD,
      isAdmin: false,
      email: null,
      createdAt: new Date().toISOString()
    });
    await this._parts.users.setDisabled(username, true);
    this._report.accountsAdded.push(username);
  }

  async group(name: string | null): Promise<void> {
    if (name !== null && (await this._parts.groups.ensure(name, new Date().toISOString()))) {
      this._report.groupsAdded.push(name);
    }
  }
}

function parseNotebook(bytes: Uint8Array): INotebook {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as INotebook;
}
