import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as git from 'isomorphic-git';
import type { IExportedGroup, IExportedUser } from '../repositories/exportSnapshotRepository';
import type { IArchiveExtras } from '../services/archiveExtrasService';
import type { IImportedChangeRequest } from '../services/importedChangeRequests';
import {
  BRANCH,
  changeRequestRef,
  gitIo,
  readBlob,
  readCommitInfo,
  readFirstParentChain
} from '../storage/gitRepository';
import { checkManifest, MANIFEST_FILE, type IArchiveManifest, type IExportedNotebook } from './archiveFormat';
import { parseGitBundle, unpackGitBundle } from './gitBundle';
import type { IImportExtras, IImportItem, IImportRevision, IImportSource, ImportSourceEntry } from './importSource';
import type { GalleryArchiveOpener } from './importSources';
import { readTar, type ITarFile } from './safeTarReader';

/** What our own archive carries beyond notebooks and revisions, as the import service's extra steps take it. */
export interface IGalleryImportExtras extends IImportExtras {
  wantedId: string;
  stars: string[];
  /** With their dates, which {@link IImportExtras.stars} has no room for. */
  starDates: Record<string, string>;
  comments: IExportedNotebook['comments'];
  changeRequests: IImportedChangeRequest[];
  /** The accounts the notebook names; the ones missing in the target are made without a password. */
  users: IExportedUser[];
  groups: IExportedGroup[];
}

/** The extras as the import service's extra steps take them (stars with their dates). */
export function archiveExtrasOf(extras: IGalleryImportExtras): IArchiveExtras {
  return {
    ...extras,
    shares: extras.shares ?? [],
    stars: extras.stars.map(username => ({ username, createdAt: extras.starDates[username] }))
  };
}

/** Whether an item's extras are our own archive's (other sources carry none of these). */
export function isGalleryExtras(extras: IImportExtras): extras is IGalleryImportExtras {
  const candidate = extras as Partial<IGalleryImportExtras>;
  return Array.isArray(candidate.users) && Array.isArray(candidate.comments) && Array.isArray(candidate.changeRequests);
}

/**
 * Our own export archive as an import source (`--from gallery`). Entries come in the order export writes them:
 * `manifest.json` (checked before anything is yielded, so a newer format version is refused whole), then per
 * notebook its bundle and its metadata; an item is yielded once both are read. Each revision keeps its commit id
 * as its key, its author (a gallery username, with the commit's name and email), its date and its message, so the
 * import service writes the same commits again for a linear history.
 */
export class GallerySource implements IImportSource {
  readonly kind = 'gallery' as const;
  private _manifest: IArchiveManifest | null = null;

  /**
   * @param origin the archive's resolved path.
   * @param entries the archive's files from the safe tar reader, in order.
   */
  constructor(
    readonly origin: string,
    private readonly _entries: AsyncIterable<ITarFile>
  ) {}

  /** The manifest, once {@link items} has read it. */
  get manifest(): IArchiveManifest | null {
    return this._manifest;
  }

  async *items(): AsyncIterable<ImportSourceEntry> {
    const pending = new Map<string, { bundle?: Uint8Array; metadata?: Uint8Array }>();
    for await (const entry of this._entries) {
      if (this._manifest === null) {
        if (entry.name !== MANIFEST_FILE) {
          checkManifest(null, this.origin);
        }
        this._manifest = checkManifest(parseJson(entry.bytes), this.origin);
        continue;
      }
      const match = /^notebooks\/([A-Za-z0-9_-]+)\/(history\.bundle|notebook\.json)$/.exec(entry.name);
      if (!match) {
        yield { kind: 'error', path: entry.name, reason: 'not a file an export writes' };
        continue;
      }
      const [, id, file] = match;
      const parts = pending.get(id) ?? {};
      parts[file === 'history.bundle' ? 'bundle' : 'metadata'] = entry.bytes;
      pending.set(id, parts);
      if (parts.bundle && parts.metadata) {
        pending.delete(id);
        yield await this._item(id, parts.bundle, parts.metadata);
      }
    }
    if (this._manifest === null) {
      checkManifest(null, this.origin);
    }
    for (const id of pending.keys()) {
      yield { kind: 'error', path: `notebooks/${id}`, reason: 'the archive lacks its history or its metadata' };
    }
  }

  async count(): Promise<number | undefined> {
    return this._manifest?.notebooks.length;
  }

  private async _item(id: string, bundle: Uint8Array, metadataBytes: Uint8Array): Promise<ImportSourceEntry> {
    const where = `notebooks/${id}`;
    const gitdir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'gallery-import-'));
    try {
      const metadata = parseJson(metadataBytes) as IExportedNotebook;
      if (metadata?.id !== id || !Array.isArray(metadata.revisions) || metadata.revisions.length === 0) {
        return {
          kind: 'error',
          path: `${where}/notebook.json`,
          reason: 'its metadata does not describe this notebook'
        };
      }
      const parsed = parseGitBundle(bundle);
      await unpackGitBundle(parsed, gitdir);
      return await readItem(gitdir, metadata, parsed.refs);
    } catch (error) {
      return { kind: 'error', path: where, reason: (error as Error).message };
    } finally {
      await fs.promises.rm(gitdir, { recursive: true, force: true });
    }
  }
}

/** Turns an unpacked bundle and its metadata into an item, checking that the two tell the same history. */
async function readItem(
  gitdir: string,
  metadata: IExportedNotebook,
  refs: readonly { name: string; commit: string }[]
): Promise<IImportItem> {
  const io = gitIo({ fsync: false });
  const head = refs.find(ref => ref.name === `refs/heads/${BRANCH}`);
  if (!head) {
    throw new Error(`its bundle has no refs/heads/${BRANCH}`);
  }
  const chain = await readFirstParentChain(io, gitdir, head.commit);
  const commits = chain.map(commit => commit.sha);
  const listed = metadata.revisions.map(revision => revision.commit);
  if (commits.join() !== listed.join()) {
    throw new Error(
      `its bundle's history (${commits.length} commits) is not the one its metadata lists (${listed.length})`
    );
  }
  const revisions: IImportRevision[] = [];
  for (const [index, revision] of metadata.revisions.entries()) {
    const { commit } = await readRawCommit(gitdir, revision.commit);
    if (commit.parent.length > 2) {
      throw new Error(
        `its revision ${revision.commit} has ${commit.parent.length} parents; a gallery writes at most two`
      );
    }
    const { author, committer } = commit;
    const sameCommitter =
      committer.name === author.name && committer.email === author.email && committer.timestamp === author.timestamp;
    revisions.push({
      revisionKey: revision.commit,
      notebook: parseJson(await readBlob(io, gitdir, chain[index].blob)),
      author: { username: revision.author, name: author.name, email: author.email },
      date: new Date(revision.createdAt),
      message: revision.message,
      ...(sameCommitter
        ? {}
        : { committer: { name: committer.name, email: committer.email, date: new Date(committer.timestamp * 1000) } }),
      ...(commit.parent.length === 2 ? { mergeParent: commit.parent[1] } : {})
    });
  }
  const changeRequests: IImportedChangeRequest[] = [];
  for (const request of metadata.changeRequests) {
    const ref = refs.find(candidate => candidate.name === changeRequestRef(request.id));
    if (ref?.commit !== request.commit) {
      throw new Error(`its bundle lacks the commit of change request ${request.id}`);
    }
    const info = await readCommitInfo(io, gitdir, request.commit);
    changeRequests.push({ ...request, notebook: parseJson(await readBlob(io, gitdir, info.blob)) });
  }
  const extras: IGalleryImportExtras = {
    wantedId: metadata.id,
    shares: metadata.shares.map(share => ({ kind: share.kind, name: share.principal, role: share.role })),
    stars: metadata.stars.map(star => star.username),
    starDates: Object.fromEntries(metadata.stars.map(star => [star.username, star.createdAt])),
    comments: metadata.comments,
    changeRequests,
    users: metadata.users,
    groups: metadata.groups
  };
  return {
    kind: 'item',
    sourceKey: metadata.id,
    path: `notebooks/${metadata.id}`,
    metadata: {
      title: metadata.title,
      description: metadata.description,
      tags: metadata.tags,
      visibility: metadata.visibility,
      owner: metadata.owner,
      ...(metadata.group !== null ? { group: metadata.group } : {}),
      ownedByGroup: metadata.ownerKind === 'group'
    },
    revisions,
    extras
  };
}

/** A commit with its parents and its author's and committer's emails and times, which {@link readCommitInfo} leaves out. */
async function readRawCommit(gitdir: string, oid: string): Promise<{ commit: git.CommitObject }> {
  return git.readCommit({ fs, gitdir, oid });
}

function parseJson(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

/** `--from gallery`: our own archive read through the safe tar reader (every check runs before anything is yielded). */
export const openGalleryArchive: GalleryArchiveOpener = (file, limits) =>
  new GallerySource(file, readTar(file, limits));
