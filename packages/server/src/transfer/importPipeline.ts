import type {
  IImportRevisionRequestBody,
  IImportRevisionResponse,
  ISecretFinding,
  Visibility
} from '@notebook-gallery/core';
import type { IRestoredExtras } from '../services/archiveExtrasService';
import type { IImportAuthor, IImportExtras, IImportItem, IImportMetadata, IImportSource } from './importSource';

/**
 * One revision as the import service takes it, whichever way it travels (in process for `--data-dir`, as the body
 * of `POST /api/admin/import/revisions` for `--server`): everything the service needs to apply it alone, so a run
 * can stop after any revision and resume at the next. Its schema is core's, so both ways check the same shape.
 */
export type IImportRevisionRequest = IImportRevisionRequestBody;

/** Metadata with every default filled in by the pipeline; used when a revision creates its notebook. */
export type IResolvedMetadata = IImportRevisionRequestBody['metadata'];

/**
 * What applying one revision did: `created` the notebook with its first revision, `applied` a new revision,
 * `unchanged` (stripped, it equals the latest: recorded, no commit), or `skipped` (an earlier run applied it).
 */
export type IImportRevisionResult = IImportRevisionResponse;

/** Where revisions go: the import service in this process, or a live server's admin route. Both answer alike. */
export interface IImportTarget {
  /**
   * Applies one revision, or answers `skipped` when an earlier run did.
   * @throws {Error} with a message for people when the revision is refused (not a notebook, a secret, no owner).
   */
  apply(request: IImportRevisionRequest): Promise<IImportRevisionResult>;
  /**
   * Our own archive's extras, before an item's revisions: makes the accounts and groups it names that are missing.
   * @returns the accounts made without a password.
   */
  beforeItem?(extras: IImportExtras): Promise<{ usersWithoutPassword: string[] }>;
  /** Our own archive's extras, after an item's revisions: shares, stars, change requests and comments. */
  afterItem?(notebookId: string, extras: IImportExtras, confirmedSecrets: readonly string[]): Promise<IRestoredExtras>;
  /**
   * Our own archive's extras, before a revision that merges `commit` (the proposal of the change request it
   * accepted): writes that commit's objects from the item's change requests, so the revision is written as the same
   * merge commit. A target without it imports such a revision as an ordinary one (its commit id then differs).
   * @returns whether the target now holds `commit`; when not, the revision is imported as an ordinary one.
   */
  writeMergeParent?(
    notebookId: string,
    extras: IImportExtras,
    commit: string,
    confirmedSecrets: readonly string[]
  ): Promise<boolean>;
  close(): Promise<void>;
}

/** The flags that fill in what a source leaves out. */
export interface IImportOptions {
  /** Owner of notebooks whose source names none, and author of revisions no map entry names. */
  owner: string;
  visibility: Visibility;
  group: string | null;
  ownedByGroup: boolean;
  /** Email or name (exactly as the source has it) → gallery username (`--author-map`). */
  authorMap: ReadonlyMap<string, string>;
  /** Fingerprints of findings the admin confirmed as not secrets (`--confirm-secret`), sent with every revision. */
  confirmedSecrets: readonly string[];
}

/** What happened to one item of the source; `--json` prints these. */
export interface IImportItemReport {
  sourceKey: string | null;
  path: string;
  galleryId: string | null;
  applied: number;
  skipped: number;
  error: string | null;
  /** Our own archive: accounts this item needed that were made without a password. */
  usersWithoutPassword?: string[];
  /** Our own archive: its extras, when the target restores them. */
  restored?: IRestoredExtras;
}

/** Told of progress, so the CLI can draw bars in a terminal and print lines otherwise. */
export interface IImportProgress {
  itemStarted(item: { path: string; revisions: number }): void;
  revisionDone(): void;
  itemDone(report: IImportItemReport): void;
}

/** The whole run. */
export interface IImportReport {
  items: IImportItemReport[];
}

/**
 * Reads every item of `source` and applies its revisions in order through `target`. An item that fails (a file the
 * source could not read, a revision the service refused) is reported with its path and reason, and the run goes on
 * with the next item; the revisions of that item applied before the failure stay.
 */
export async function runImport(
  source: IImportSource,
  target: IImportTarget,
  options: IImportOptions,
  progress?: IImportProgress
): Promise<IImportReport> {
  const items: IImportItemReport[] = [];
  for await (const entry of source.items()) {
    if (entry.kind === 'error') {
      const report = {
        sourceKey: null,
        path: entry.path,
        galleryId: null,
        applied: 0,
        skipped: 0,
        error: entry.reason
      };
      items.push(report);
      progress?.itemDone(report);
      continue;
    }
    progress?.itemStarted({ path: entry.path, revisions: entry.revisions.length });
    const report = await importItem(source.origin, entry, target, options, progress);
    items.push(report);
    progress?.itemDone(report);
  }
  return { items };
}

async function importItem(
  origin: string,
  item: IImportItem,
  target: IImportTarget,
  options: IImportOptions,
  progress?: IImportProgress
): Promise<IImportItemReport> {
  const report: IImportItemReport = {
    sourceKey: item.sourceKey,
    path: item.path,
    galleryId: null,
    applied: 0,
    skipped: 0,
    error: null
  };
  const metadata = resolveMetadata(item.metadata, options);
  try {
    if (item.extras !== undefined && target.beforeItem !== undefined) {
      report.usersWithoutPassword = (await target.beforeItem(item.extras)).usersWithoutPassword;
    }
    for (const revision of item.revisions) {
      const author = authorOf(revision.author, metadata.owner, options.authorMap);
      const merged =
        revision.mergeParent !== undefined &&
        report.galleryId !== null &&
        item.extras !== undefined &&
        target.writeMergeParent !== undefined &&
        (await target.writeMergeParent(report.galleryId, item.extras, revision.mergeParent, options.confirmedSecrets));
      const { committer } = revision;
      const result = await target.apply({
        origin,
        sourceKey: item.sourceKey,
        metadata,
        revisionKey: revision.revisionKey,
        notebook: revision.notebook,
        authorName: author.name,
        authorEmail: author.email,
        username: author.username,
        date: revision.date.toISOString(),
        message: revision.message,
        ...(committer !== undefined
          ? { committer: { name: committer.name, email: committer.email, date: committer.date.toISOString() } }
          : {}),
        ...(merged ? { mergeParent: revision.mergeParent } : {}),
        ...(item.extras?.wantedId !== undefined ? { wantedId: item.extras.wantedId } : {}),
        ...(options.confirmedSecrets.length > 0 ? { confirmedSecrets: [...options.confirmedSecrets] } : {})
      });
      report.galleryId = result.notebookId;
      if (result.status === 'skipped') {
        report.skipped++;
      } else {
        report.applied++;
      }
      progress?.revisionDone();
    }
    if (item.extras !== undefined && target.afterItem !== undefined && report.galleryId !== null) {
      report.restored = await target.afterItem(report.galleryId, item.extras, options.confirmedSecrets);
    }
  } catch (error) {
    report.error = importErrorText(error);
  }
  return report;
}

/** The source's metadata with the flags' defaults for what it leaves out. */
export function resolveMetadata(metadata: IImportMetadata, options: IImportOptions): IResolvedMetadata {
  return {
    title: metadata.title,
    description: metadata.description ?? '',
    tags: metadata.tags ?? [],
    visibility: metadata.visibility ?? options.visibility,
    owner: metadata.owner ?? options.owner,
    group: metadata.group ?? options.group,
    ownedByGroup: metadata.ownedByGroup ?? options.ownedByGroup
  };
}

/**
 * Who a revision is credited to: the username the source knows, else the `--author-map` entry for its email, then
 * its name, else the notebook's owner. The commit keeps the source's own name and email whichever user it maps to.
 */
export function authorOf(
  author: IImportAuthor,
  owner: string,
  authorMap: ReadonlyMap<string, string>
): { name: string; email: string; username: string } {
  const username =
    author.username ??
    (author.email !== undefined ? authorMap.get(author.email) : undefined) ??
    (author.name !== undefined ? authorMap.get(author.name) : undefined) ??
    owner;
  return {
    name: author.name ?? username,
    email: author.email ?? `${username}@users.noreply.notebook-gallery`,
    username
  };
}

/**
 * What a failed item's report says. A refusal for secrets lists every finding masked with its fingerprint and says
 * how to go on from the command line (the save's own message names the API field, which an admin here never sees).
 */
export function importErrorText(error: unknown): string {
  const findings = (error as { details?: { findings?: ISecretFinding[] } }).details?.findings;
  if (!Array.isArray(findings) || findings.length === 0) {
    return (error as Error).message;
  }
  const lines = findings.map(finding => {
    const place = finding.cellIndex < 0 ? 'notebook metadata' : `cell ${finding.cellIndex + 1}`;
    return `  ${place}, line ${finding.line}: ${finding.description} (${finding.masked}), fingerprint ${finding.fingerprint}`;
  });
  return (
    `it looks like it holds ${findings.length === 1 ? 'a secret' : `${findings.length} secrets`}; remove ` +
    `${findings.length === 1 ? 'it' : 'them'} from the source, or, for what is not a secret, run again with ` +
    `--confirm-secret FINGERPRINT:\n${lines.join('\n')}`
  );
}
