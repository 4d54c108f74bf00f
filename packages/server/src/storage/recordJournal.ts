import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IChangeRequestDecision, INewChangeRequest } from '../repositories/changeRequestRepository';
import type { INewComment } from '../repositories/commentRepository';
import type {
  INewNotebook,
  INotebookMetadata,
  INotebookOwnership,
  IRevisionRow
} from '../repositories/notebookRepository';
import type { IShare, Visibility } from '@notebook-gallery/core';
import { atomicWriteFile, type IDurability } from './atomicFs';
import type { ICommitInfo } from './gitRepository';
import { repositoryPath } from './repositoryLayout';

/**
 * The file, inside a notebook's bare repository, that records every change to the notebook's rows: git keeps the
 * notebook's content and history, this journal keeps what users wrote around it (title, sharing, change requests,
 * comments), so the database can be rebuilt from the repositories alone. It sits beside git's own files, outside
 * every commit's tree, so the notebook's history and diffs never show it, and it travels with the repository (into
 * the trash on delete, into a backup).
 */
export const RECORD_JOURNAL_FILE = 'gallery-record.jsonl';

/**
 * One change, named after the repository method that made it and carrying that method's arguments, so a rebuild
 * replays it through the same method. Entries only ever get added (`v` says which shape).
 */
export type RecordEntry =
  | { op: 'notebook.insert'; notebook: INewNotebook }
  | { op: 'notebook.addRevision'; revision: IRevisionRow }
  | {
      op: 'notebook.updateMetadata';
      metadata: Omit<INotebookMetadata, 'tags'> & { tags?: string[] };
      when: string;
    }
  | { op: 'notebook.setAccess'; access: { visibility: Visibility; group: string | null } }
  | { op: 'notebook.replaceShares'; shares: IShare[] }
  | { op: 'notebook.setOwnership'; ownership: INotebookOwnership }
  | { op: 'changeRequest.insert'; request: INewChangeRequest }
  | { op: 'changeRequest.decide'; requestId: string; decision: IChangeRequestDecision }
  | { op: 'comment.insert'; comment: INewComment }
  | { op: 'comment.setBody'; id: string; body: string; editedAt: string }
  | { op: 'comment.setResolved'; id: string; at: string | null; by: string | null }
  | { op: 'comment.delete'; id: string }
  | { op: 'star.set'; username: string; starred: boolean; at: string }
  | { op: 'secretAllowlist.add'; fingerprints: string[]; confirmedBy: string; when: string };

/** A journal as read back: the entries that parse, and how many lines did not (a write cut short by a crash). */
export interface IRecordJournalContent {
  entries: RecordEntry[];
  unreadable: number;
}

/** Where notebook `id`'s journal is. */
export function recordJournalPath(dataDir: string, id: string): string {
  return path.join(repositoryPath(dataDir, id), RECORD_JOURNAL_FILE);
}

/**
 * Appends entries to notebooks' record journals, inside the database transaction that makes the same change: when
 * the append fails the change rolls back, so nothing is acknowledged that the journal lacks. Synchronous, so the
 * transaction waits on no other turn of the event loop for it.
 */
export class RecordJournal {
  constructor(
    private readonly _dataDir: string,
    private readonly _durability: IDurability
  ) {}

  /**
   * Appends `entry` to notebook `notebookId`'s journal, flushed to disk first when the gallery fsyncs. Each entry
   * starts with a newline, so an entry a crash cut short never swallows the next one.
   * @throws {Error} when the repository is missing or the file cannot be written.
   */
  append(notebookId: string, entry: RecordEntry): void {
    const fd = fs.openSync(recordJournalPath(this._dataDir, notebookId), 'a', 0o600);
    try {
      fs.writeSync(fd, journalLines([entry]));
      if (this._durability.fsync) {
        fs.fsyncSync(fd);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Writes a whole journal for a notebook that has none (saved before journals existed): through a temporary file and
 * a rename, so a crash leaves no journal rather than half of one.
 */
export async function writeRecordJournal(
  dataDir: string,
  id: string,
  entries: readonly RecordEntry[],
  durability: IDurability
): Promise<void> {
  await atomicWriteFile(recordJournalPath(dataDir, id), journalLines(entries), durability, { mode: 0o600 });
}

/** Entries as journal text: each on its own line, and each line started with a newline (see {@link RecordJournal.append}). */
function journalLines(entries: readonly RecordEntry[]): string {
  return entries.map(entry => `\n${JSON.stringify({ v: 1, ...entry })}`).join('');
}

/** Reads the record journal in bare repository `gitdir`; empty when it has none. */
export async function readRecordJournal(gitdir: string): Promise<IRecordJournalContent> {
  let text: string;
  try {
    text = await fs.promises.readFile(path.join(gitdir, RECORD_JOURNAL_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { entries: [], unreadable: 0 };
    }
    throw error;
  }
  const content: IRecordJournalContent = { entries: [], unreadable: 0 };
  for (const line of text.split('\n')) {
    if (line === '') {
      continue;
    }
    try {
      const entry = JSON.parse(line) as RecordEntry & { v?: number };
      delete entry.v;
      content.entries.push(entry);
    } catch {
      content.unreadable++;
    }
  }
  return content;
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
