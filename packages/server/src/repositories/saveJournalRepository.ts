/** What a journal entry was doing to a notebook's repository when it was written. */
export type JournalKind = 'create' | 'update' | 'delete';

/** A repository change in flight: startup repair finishes or undoes each entry left behind. */
export interface IJournalEntry {
  seq: number;
  notebookId: string;
  kind: JournalKind;
}

/** The save journal: one entry per repository change between its first write and its last. */
export interface ISaveJournalRepository {
  /** Records that a change of `kind` to `notebookId` has begun; returns the entry's id. */
  begin(notebookId: string, kind: JournalKind, when: string, sha?: string): Promise<number>;
  /** Records the commit a create wrote. */
  setSha(seq: number, sha: string): Promise<void>;
  /** Removes a finished entry. */
  clear(seq: number): Promise<void>;
  /** Every entry left behind, oldest first. */
  pending(): Promise<IJournalEntry[]>;
}
