import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { ICommentRecord, ICommentRepository } from '../repositories/commentRepository';
import type { ISignalRepository } from '../repositories/signalRepository';
import type { INotebookHead, INotebookRepository, IRevisionRow } from '../repositories/notebookRepository';
import type { IDurability } from './atomicFs';
import { recordJournalPath, writeRecordJournal, type RecordEntry } from './recordJournal';
import { repositoryPath } from './repositoryLayout';

/** The file in the data directory that says every notebook has a record journal (written once, after the backfill). */
export const RECORD_JOURNALS_MARKER = 'record-journals-complete';

/** What the backfill reads: the plain repositories. */
export interface IRecordJournalBackfillParts {
  dataDir: string;
  durability: IDurability;
  notebooks: INotebookRepository;
  changeRequests: IChangeRequestRepository;
  comments: ICommentRepository;
  signals: ISignalRepository;
}

/**
 * Gives every notebook saved before record journals existed a journal written from its rows, so a rebuild can
 * recover it too. Runs once (a marker file records that it finished), before serving. Returns how many journals it
 * wrote.
 */
export async function backfillRecordJournals(parts: IRecordJournalBackfillParts): Promise<number> {
  const marker = path.join(parts.dataDir, RECORD_JOURNALS_MARKER);
  if (fs.existsSync(marker)) {
    return 0;
  }
  let written = 0;
  for (const head of await parts.notebooks.listHeads()) {
    // A notebook whose repository is gone gets none (the start-up check reports it) rather than stopping the start.
    if (
      fs.existsSync(repositoryPath(parts.dataDir, head.id)) &&
      !fs.existsSync(recordJournalPath(parts.dataDir, head.id))
    ) {
      await writeRecordJournal(parts.dataDir, head.id, await currentEntries(parts, head), parts.durability);
      written++;
    }
  }
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`, { mode: 0o600 });
  return written;
}

/** Entries that, replayed, give the notebook's rows as they are now. */
async function currentEntries(parts: IRecordJournalBackfillParts, head: INotebookHead): Promise<RecordEntry[]> {
  const { notebooks, changeRequests, comments } = parts;
  const record = (await notebooks.find(head.id))!;
  const revisions: IRevisionRow[] = [];
  for (const revision of (await notebooks.listRevisions(head.id)).reverse()) {
    revisions.push({
      number: revision.number,
      sha: revision.revision,
      blobSha: (await notebooks.findRevision(head.id, revision.revision))!.blobSha,
      author: revision.author,
      message: revision.message,
      createdAt: revision.createdAt
    });
  }
  const entries: RecordEntry[] = [
    {
      op: 'notebook.insert',
      notebook: {
        id: head.id,
        title: record.title,
        description: record.description,
        tags: record.tags,
        ownerKind: record.ownerKind,
        owner: head.ownerUser,
        visibility: record.visibility,
        group: record.group,
        parent: record.parent,
        revision: revisions[0]
      }
    },
    ...revisions.slice(1).map(revision => ({ op: 'notebook.addRevision' as const, revision }))
  ];
  if (record.updatedAt !== revisions[revisions.length - 1].createdAt) {
    const { title, description, tags } = record;
    entries.push({ op: 'notebook.updateMetadata', metadata: { title, description, tags }, when: record.updatedAt });
  }
  if (record.shares.length > 0) {
    entries.push({ op: 'notebook.replaceShares', shares: record.shares });
  }
  const requests = (await changeRequests.listForNotebook(head.id, {})).reverse();
  for (const request of requests) {
    const { id, notebookId, proposer, message, baseRevision, commitSha, blobSha, createdAt } = request;
    entries.push({
      op: 'changeRequest.insert',
      request: { id, notebookId, proposer, message, baseRevision, commitSha, blobSha, createdAt }
    });
  }
  const all: ICommentRecord[] = await comments.listForNotebook(head.id);
  for (const request of requests) {
    if (request.status !== 'accepted') {
      all.push(...(await comments.listForChangeRequest(request.id)));
    }
  }
  // Roots before their replies, in the order they were written.
  all.sort(
    (a, b) => Number(a.parentId !== null) - Number(b.parentId !== null) || a.createdAt.localeCompare(b.createdAt)
  );
  for (const comment of all) {
    const { editedAt, resolvedAt, resolvedBy, ...created } = comment;
    entries.push({ op: 'comment.insert', comment: created });
    if (editedAt !== null) {
      entries.push({ op: 'comment.setBody', id: comment.id, body: comment.body, editedAt });
    }
    if (resolvedAt !== null) {
      entries.push({ op: 'comment.setResolved', id: comment.id, at: resolvedAt, by: resolvedBy });
    }
  }
  for (const request of requests) {
    if (request.status !== 'open') {
      entries.push({
        op: 'changeRequest.decide',
        requestId: request.id,
        decision: {
          status: request.status,
          decidedAt: request.decidedAt!,
          decidedBy: request.decidedBy!,
          comment: request.comment,
          acceptedRevision: request.acceptedRevision
        }
      });
    }
  }
  for (const star of await parts.signals.listStars(head.id)) {
    entries.push({ op: 'star.set', username: star.username, starred: true, at: star.at });
  }
  return entries;
}
