import type { INotebookEnvironment } from '@notebook-gallery/core';

/** What the gallery records of each revision: its environment and the hash of its code cells. */
export interface IRevisionEnvironment {
  environment: INotebookEnvironment;
  /** SHA-256 of the revision's non-blank code cells, so revisions with the same code can be recognised. */
  codeHash: string;
}

/** A revision the upgrade queued for its environment to be read from git. */
export interface IPendingRevision {
  notebookId: string;
  sha: string;
}

/**
 * Reproducibility metadata per revision, recorded in the transaction that records the revision.
 */
export interface IEnvironmentRepository {
  /** Records (or replaces) what revision `sha` of notebook `notebookId` needs to run. */
  put(notebookId: string, sha: string, recorded: IRevisionEnvironment): Promise<void>;
  /** The environments of a notebook's revisions, by SHA (revisions not recorded yet are missing). */
  forNotebook(notebookId: string): Promise<Map<string, INotebookEnvironment>>;
  /** The environment of each notebook's head revision, by notebook id, in one query. */
  forHeads(notebookIds: readonly string[]): Promise<Map<string, INotebookEnvironment>>;
  /** Revisions queued by the upgrade, heads first. */
  pending(): Promise<IPendingRevision[]>;
  /** Takes a revision off the {@link pending} queue. */
  clearPending(revision: IPendingRevision): Promise<void>;
}
