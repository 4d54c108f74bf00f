import { notebookSearchText, type INotebook } from '@notebook-gallery/core';
import type { IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type { INotebookRepository, IRevisionRow } from '../repositories/notebookRepository';
import type { ISearchIndex } from '../repositories/searchIndexRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import { readBlob, readRevisionChain, readCommitInfo, type IGitIo, type ICommitInfo } from './gitRepository';
import { revisionEnvironment } from './preparedNotebook';
import { readRecordJournal, type RecordEntry } from './recordJournal';
import { repositoryPath } from './repositoryLayout';

/** What following git needs: the plain repositories (the journal already holds what it adopts). */
export interface IGitFollowingParts {
  dataDir: string;
  git: IGitIo;
  unitOfWork: IUnitOfWork;
  notebooks: INotebookRepository;
  changeRequests: IChangeRequestRepository;
  search: ISearchIndex;
  environments: IEnvironmentRepository;
  refreshHealth: (notebookId: string) => void;
}

/** What {@link adoptNewerCommits} did. */
export interface IAdoptReport {
  /** Revisions on `main` newer than the database's head, now rows. */
  revisionsAdopted: number;
  /** Notebooks whose `main` does not contain the database's head: left alone, for `fsck` to judge. */
  diverged: string[];
}

/**
 * Makes the database follow git after a restore: a notebook whose `main` moved past the head the database
 * acknowledged (saves acknowledged after the database snapshot, whose commits the copied repository has) gets
 * those revisions as rows, described by the record journal where it has them, else by the commit.
 */
export async function adoptNewerCommits(parts: IGitFollowingParts): Promise<IAdoptReport> {
  const report: IAdoptReport = { revisionsAdopted: 0, diverged: [] };
  for (const { id, headSha } of parts.notebooks.listHeads()) {
    const gitdir = repositoryPath(parts.dataDir, id);
    let chain: ICommitInfo[];
    try {
      chain = await readRevisionChain(parts.git, gitdir);
    } catch {
      report.diverged.push(id);
      continue;
    }
    const known = chain.findIndex(commit => commit.sha === headSha);
    if (known === chain.length - 1) {
      continue;
    }
    if (known < 0) {
      report.diverged.push(id);
      continue;
    }
    const described = describedRevisions((await readRecordJournal(gitdir)).entries);
    const newer = chain.slice(known + 1);
    const notebooks = new Map<string, INotebook>();
    for (const commit of newer) {
      notebooks.set(
        commit.sha,
        JSON.parse(Buffer.from(await readBlob(parts.git, gitdir, commit.blob)).toString('utf8'))
      );
    }
    parts.unitOfWork.transaction(() => {
      for (const [offset, commit] of newer.entries()) {
        parts.notebooks.addRevision(id, revisionRow(known + 2 + offset, commit, described));
        parts.environments.put(id, commit.sha, revisionEnvironment(notebooks.get(commit.sha)!));
      }
      const record = parts.notebooks.find(id)!;
      parts.search.put(record.seq, record, notebookSearchText(notebooks.get(record.headSha)!));
      parts.refreshHealth(id);
    });
    report.revisionsAdopted += newer.length;
  }
  return report;
}

/** What {@link checkCommits} found. */
export interface ICommitCheckReport {
  notebooks: number;
  /** Commits the database names (revisions and change request proposals) that were read from git. */
  commits: number;
  /** Commits the database names that git lacks or cannot read. */
  missing: { notebookId: string; commit: string; what: string }[];
}

/** Reads every commit the database names (each revision, each proposal) from git, to show a restore is whole. */
export async function checkCommits(parts: IGitFollowingParts): Promise<ICommitCheckReport> {
  const report: ICommitCheckReport = { notebooks: 0, commits: 0, missing: [] };
  for (const { id } of parts.notebooks.listHeads()) {
    const gitdir = repositoryPath(parts.dataDir, id);
    const named = [
      ...parts.notebooks
        .listRevisions(id)
        .map(revision => ({ commit: revision.revision, what: `revision ${revision.number}` })),
      ...parts.changeRequests.listForNotebook(id, {}).map(request => ({
        commit: request.commitSha,
        what: `change request ${request.id}`
      }))
    ];
    for (const { commit, what } of named) {
      try {
        await readCommitInfo(parts.git, gitdir, commit);
        report.commits++;
      } catch {
        report.missing.push({ notebookId: id, commit, what });
      }
    }
    report.notebooks++;
  }
  return report;
}

/** The revision rows the journal recorded, by commit. */
export function describedRevisions(entries: readonly RecordEntry[]): Map<string, IRevisionRow> {
  const described = new Map<string, IRevisionRow>();
  for (const entry of entries) {
    if (entry.op === 'notebook.insert') {
      described.set(entry.notebook.revision.sha, entry.notebook.revision);
    } else if (entry.op === 'notebook.addRevision') {
      described.set(entry.revision.sha, entry.revision);
    }
  }
  return described;
}

/**
 * Revision `number`'s row: as the journal recorded it when it recorded this commit under this number, else from the
 * commit (whose time git keeps to the second).
 */
export function revisionRow(number: number, commit: ICommitInfo, described: Map<string, IRevisionRow>): IRevisionRow {
  const journaled = described.get(commit.sha);
  if (journaled && journaled.number === number) {
    return { ...journaled, blobSha: commit.blob };
  }
  return {
    number,
    sha: commit.sha,
    blobSha: commit.blob,
    author: commit.author,
    message: commit.message,
    createdAt: new Date(commit.timestamp * 1000).toISOString()
  };
}
