import type {
  IParentRef,
  IRevision,
  IShare,
  NotebookScope,
  NotebookSort,
  PrincipalKind,
  Visibility
} from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { ISnippet } from '../search/snippet';

/** A notebook as the database knows it; the service turns it into an INotebookSummary for a particular caller. */
export interface INotebookRecord {
  /** Row id shared with the search index. */
  seq: number;
  id: string;
  title: string;
  description: string;
  tags: string[];
  /** The owning user's name, or for a group-owned notebook the owning group's. */
  owner: string;
  ownerKind: PrincipalKind;
  visibility: Visibility;
  /** The owning group (group-owned) or the group `group` visibility publishes to; otherwise null. */
  group: string | null;
  shares: IShare[];
  createdAt: string;
  updatedAt: string;
  headSha: string;
  headBlobSha: string;
  revisionCount: number;
  parent: IParentRef | null;
  signals: INotebookSignals;
}

/** Stars and usage counts of a notebook, and whether the user it was read for starred it. */
export interface INotebookSignals {
  stars: number;
  /** Whether the viewer the record was read for starred it; false when read for nobody. */
  starred: boolean;
  views: number;
  downloads: number;
  opens: number;
  /** Runs reported by health reports. */
  runs: number;
  /** log2 of the decayed trending score plus half-lives since the epoch (services/trending.ts); null: no use yet. */
  trendingKey: number | null;
  /** 0..1 from health reports; null: no evidence yet. */
  healthScore: number | null;
}

/** The signals of a notebook nobody has starred, used or run yet. */
export const NO_SIGNALS: Readonly<INotebookSignals> = {
  stars: 0,
  starred: false,
  views: 0,
  downloads: 0,
  opens: 0,
  runs: 0,
  trendingKey: null,
  healthScore: null
};

/**
 * Who owns a notebook and who else sees it, as stored: for a group-owned notebook `group` is the owning group and
 * `owner` the user who made it group-owned; otherwise `owner` is the owning user and `group` the group that
 * `group` visibility publishes to (or null).
 */
export interface INotebookOwnership {
  ownerKind: PrincipalKind;
  owner: string;
  visibility: Visibility;
  group: string | null;
}

/** Title, description and tags: what the search index and PATCH change without a commit. */
export interface INotebookMetadata {
  title: string;
  description: string;
  tags: string[];
}

/** One commit as the database records it. */
export interface IRevisionRow {
  number: number;
  sha: string;
  blobSha: string;
  author: string;
  message: string;
  createdAt: string;
}

/** A revision as the API shows it, with the blob of its notebook file. */
export interface IStoredRevision extends IRevision {
  blobSha: string;
}

/**
 * A notebook's identity and head, read for every notebook in one query: what the start-up check and fsck compare
 * with git, and what backup, rebuild-index and the record journal backfill list.
 */
export interface INotebookHead {
  id: string;
  seq: number;
  title: string;
  /** The owner as listed (the owning group's name for a group-owned notebook). */
  owner: string;
  /** The stored owner user (for a group-owned notebook the user who made it so, which `owner` does not show). */
  ownerUser: string;
  headSha: string;
  revisionCount: number;
}

/** A new notebook row with its first revision. */
export interface INewNotebook extends INotebookOwnership, INotebookMetadata {
  id: string;
  parent: IParentRef | null;
  revision: IRevisionRow;
}

/** A list request after schema validation. */
export interface IListRequest {
  q?: string;
  scope?: NotebookScope;
  tag?: string;
  owner?: string;
  /** Only notebooks the caller starred. */
  starred?: boolean;
  sort?: NotebookSort;
  limit: number;
  cursor?: string;
}

/** One page of a listing; `snippets` is keyed by notebook id and only filled for searches. */
export interface IListPage {
  records: INotebookRecord[];
  snippets: Map<string, ISnippet>;
  nextCursor: string | null;
}

/**
 * Notebook rows, their tags, shares and revisions, and the listing query. Several calls make one change inside an
 * {@link IUnitOfWork} transaction.
 */
export interface INotebookRepository {
  /**
   * The notebook with this id, read once (row, tags, shares and signals), or undefined; `signals.starred` is for
   * `viewer` (false when null or absent).
   */
  find(id: string, viewer?: string | null): Promise<INotebookRecord | undefined>;
  /** The notebooks with these ids that exist, in the order given, read in one pass (as {@link find}). */
  findMany(ids: readonly string[], viewer?: string | null): Promise<INotebookRecord[]>;
  /** The head commit the database acknowledged for `id`, or undefined when it has no row. */
  headOf(id: string): Promise<string | undefined>;
  /** Every notebook's head (see {@link INotebookHead}), oldest first. */
  listHeads(): Promise<INotebookHead[]>;
  /** Whether some notebook is titled exactly `title`. */
  existsWithTitle(title: string): Promise<boolean>;
  /** Revision `sha` of notebook `id`, or undefined when it has no such revision. */
  findRevision(id: string, sha: string): Promise<IStoredRevision | undefined>;
  /** Revision number `number` of notebook `id`, or undefined. */
  revisionByNumber(id: string, number: number): Promise<IStoredRevision | undefined>;
  /** The revisions of `id`, newest first. */
  listRevisions(id: string): Promise<IRevision[]>;
  /** The revisions of `id` with their blobs, newest first (fsck reads each from git). */
  listStoredRevisions(id: string): Promise<IStoredRevision[]>;
  /**
   * One page of the notebooks `caller` may read, filtered, sorted and, with `q`, matched by full-text search.
   * @throws {InvalidRequestError} when the cursor was not issued for this sort order.
   */
  list(caller: ICaller, request: IListRequest): Promise<IListPage>;
  /** The notebooks saved as copies of `id` that `caller` may read, newest first (filtered in the query). */
  listForks(caller: ICaller, id: string): Promise<INotebookRecord[]>;
  /** How many notebooks were saved as copies of `id`, whoever may read them. */
  countForks(id: string): Promise<number>;
  /** Inserts a notebook with its tags and first revision; returns its row id for the search index. */
  insert(notebook: INewNotebook): Promise<number>;
  /** Records a new revision and makes it the head. */
  addRevision(id: string, revision: IRevisionRow): Promise<void>;
  /** Replaces title and description, and the tags when `tags` is given; `updatedAt` is set to `when`. */
  updateMetadata(
    id: string,
    metadata: Omit<INotebookMetadata, 'tags'> & { tags?: string[] },
    when: string
  ): Promise<void>;
  /** Sets visibility and the publishing group. */
  setAccess(id: string, access: { visibility: Visibility; group: string | null }): Promise<void>;
  /** Replaces the explicit shares. */
  replaceShares(id: string, shares: readonly IShare[]): Promise<void>;
  /** Sets owner, visibility and group. */
  setOwnership(id: string, ownership: INotebookOwnership): Promise<void>;
  /**
   * Forgets revisions `numbers` whose commits are gone from git (fsck --repair, before it records the repair commit
   * with {@link addRevision}); the revision count stays, so no revision number is given twice.
   */
  forgetRevisions(id: string, numbers: readonly number[]): Promise<void>;
  /** Removes the notebook's row with its tags, shares and revisions. */
  remove(id: string): Promise<void>;
}
