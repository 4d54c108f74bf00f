import type { IShare, Visibility } from '@notebook-gallery/core';

/**
 * The input of the import pipeline (issue 19): every source (a folder of notebooks, a git repository, an nbgallery
 * export, our own export archive) yields {@link ImportSourceEntry} values, one per notebook, in a stable order. The
 * pipeline applies each item's revisions in order through the one import service, which keeps on the server which
 * source keys and revision keys it already applied: that is what makes a re-run add nothing and an interrupted run
 * resume. So keys must be stable across runs over the same input, and never depend on the time or on a random value.
 */
export interface IImportSource {
  /** What the source is, for messages and the `--json` report: `folder`, `git`, `nbgallery` or `gallery`. */
  readonly kind: ImportSourceKind;
  /**
   * A stable name of this source (its resolved path or URL), kept with the id mapping so keys of two different
   * sources never meet.
   */
  readonly origin: string;
  /**
   * The notebooks, each once, in the order they should be applied. A file the source cannot read yields an
   * {@link IImportItemError} and the source goes on with the next one. Throws only when the source as a whole cannot
   * be read (an archive refused by the safe reader: then nothing must have been yielded).
   */
  items(): AsyncIterable<ImportSourceEntry>;
  /** How many entries {@link items} will yield when known beforehand (progress bars show an ETA then). */
  count?(): Promise<number | undefined>;
}

/** The kinds of source `--from` names. */
export type ImportSourceKind = 'folder' | 'git' | 'nbgallery' | 'gallery';

/** One thing a source yields: a notebook to import, or a file it could not read. */
export type ImportSourceEntry = IImportItem | IImportItemError;

/** A file (or archive entry) a source could not turn into a notebook; reported with its path and the import goes on. */
export interface IImportItemError {
  kind: 'error';
  /** Where it was: a path inside the folder, repository or archive. */
  path: string;
  /** Why, in words for people: `not JSON (Unexpected token …)`, `nbformat 3 is not supported`, `empty file`. */
  reason: string;
}

/** One notebook of the source with its history, oldest revision first. */
export interface IImportItem {
  kind: 'item';
  /**
   * Stable and unique within the source: a relative path for a folder, the first path a notebook had in a git
   * repository (renames keep it), the uuid of an nbgallery notebook, the gallery id in our own archive.
   */
  sourceKey: string;
  /** Where it was, for messages (the last path for a renamed notebook). */
  path: string;
  metadata: IImportMetadata;
  /** At least one; applied in this order, each only once (by {@link IImportRevision.revisionKey}). */
  revisions: IImportRevision[];
  /** What only our own archive carries; other sources leave it out. */
  extras?: IImportExtras;
}

/** A notebook's metadata as the source knows it; the latest wins on a re-run only for a notebook it creates. */
export interface IImportMetadata {
  title: string;
  description?: string;
  tags?: string[];
  /** `private` when absent (the `--visibility` flag's default). */
  visibility?: Visibility;
  /** Gallery username of the owner; the `--owner` flag when absent. */
  owner?: string;
  /** Gallery group: the publishing group for `group` visibility, or the owner when `ownedByGroup`. */
  group?: string;
  ownedByGroup?: boolean;
}

/** Who made a revision in the source. */
export interface IImportAuthor {
  /** The name the source recorded (a git author name, an nbgallery user's name). */
  name?: string;
  email?: string;
  /**
   * The gallery user the revision is credited to, when the source already knows it (our own archive); otherwise
   * the pipeline maps `email`, then `name`, through `--author-map`, and falls back to the item's owner.
   */
  username?: string;
}

/** One revision of a notebook in the source. */
export interface IImportRevision {
  /**
   * Stable and unique within the item: a git commit id, a content hash for a single-file source, the revision id
   * in our own archive. A revision whose key the gallery already applied for this item is skipped.
   */
  revisionKey: string;
  /** The notebook as the source has it; parsed JSON, validated and stripped by the import service like a save. */
  notebook: unknown;
  author: IImportAuthor;
  /** When it was made in the source; the git commit keeps this date and the author's name and email. */
  date: Date;
  message: string;
  /**
   * Who committed it and when, when the source knows it and it is not the author at {@link date} (the reviewer who
   * accepted a change request); the commit keeps it, so the same commit is written again.
   */
  committer?: IImportCommitter;
  /**
   * The commit's second parent, when the source has the revision as a merge (our own archive: the proposal commit of
   * the change request it accepted). The target must have that commit before the revision is applied; see
   * {@link IImportExtras.changeRequests}.
   */
  mergeParent?: string;
}

/** A commit's committer as the source recorded it. */
export interface IImportCommitter {
  name: string;
  email: string;
  date: Date;
}

/** What only our own archive (the `exporter`'s `gallery` source) carries beyond notebooks and revisions. */
export interface IImportExtras {
  /** The gallery id the notebook had where it was exported; kept when no notebook here has it. */
  wantedId?: string;
  /** Explicit shares, as the sharing API takes them. */
  shares?: IShare[];
  /** Usernames who starred it. */
  stars?: string[];
  /** Shaped by the exporter's archive format; the import service applies them after the revisions. */
  comments?: unknown[];
  /** Shaped by the exporter's archive format. */
  changeRequests?: unknown[];
}
