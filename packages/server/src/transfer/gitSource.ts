import * as fs from 'node:fs';
import * as path from 'node:path';
import * as git from 'isomorphic-git';
import type { IImportItem, IImportRevision, IImportSource, ImportSourceEntry } from './importSource';
import { parseNotebookFile, titleOf } from './notebookFile';

/** How alike a deleted and an added notebook of one commit must be (shared lines) to count as a rename. */
const RENAME_SIMILARITY = 0.5;

/** One notebook's history as the walk finds it; blobs are read when the item is yielded. */
interface ITracked {
  sourceKey: string;
  path: string;
  deleted: boolean;
  revisions: { commit: string; blob: string; path: string; author: IAuthor; date: Date; message: string }[];
}

interface IAuthor {
  name: string;
  email: string;
}

/**
 * A git repository (a working copy or a bare one): every `.ipynb` file's history, replayed as revisions in commit
 * order (oldest first, along every parent) with the commit's author, date and message; a commit that does not change
 * a notebook adds no revision to it. A notebook deleted and added with the same or a near-same blob in one commit was
 * renamed: it stays one notebook with one history, keyed by its first path. A notebook deleted in the source keeps
 * its history up to the deletion and is imported private: the history is what an import of a repository is for, and
 * a notebook someone removed should not be published by the import (its owner can publish or delete it).
 */
export class GitSource implements IImportSource {
  readonly kind = 'git' as const;
  readonly origin: string;
  private readonly _gitdir: string;

  constructor(
    root: string,
    private readonly _maxBytes: number
  ) {
    this._gitdir = gitdirOf(root);
    this.origin = `git:${path.resolve(root)}`;
  }

  async count(): Promise<number> {
    return (await this._history()).length;
  }

  async *items(): AsyncIterable<ImportSourceEntry> {
    for (const tracked of await this._history()) {
      const revisions: IImportRevision[] = [];
      let latest: Record<string, unknown> | undefined;
      for (const revision of tracked.revisions) {
        const { blob } = await git.readBlob({ fs, gitdir: this._gitdir, oid: revision.blob });
        const parsed = parseNotebookFile(blob, this._maxBytes);
        if (!parsed.ok) {
          yield {
            kind: 'error',
            path: `${revision.path} (commit ${revision.commit.slice(0, 7)})`,
            reason: parsed.reason
          };
          continue;
        }
        latest = parsed.notebook;
        revisions.push({
          revisionKey: revision.commit,
          notebook: parsed.notebook,
          author: { name: revision.author.name, email: revision.author.email },
          date: revision.date,
          message: revision.message
        });
      }
      if (revisions.length === 0 || latest === undefined) {
        continue;
      }
      const item: IImportItem = {
        kind: 'item',
        sourceKey: tracked.sourceKey,
        path: tracked.path,
        metadata: {
          title: titleOf(latest, path.posix.basename(tracked.path, '.ipynb')),
          tags: tracked.path.split('/').slice(0, -1),
          visibility: tracked.deleted ? 'private' : undefined
        },
        revisions
      };
      yield item;
    }
  }

  /** Every notebook's history, in the order the notebooks first appeared. */
  private async _history(): Promise<ITracked[]> {
    const commits = (await git.log({ fs, gitdir: this._gitdir, ref: 'HEAD' })).reverse();
    const all: ITracked[] = [];
    const byPath = new Map<string, ITracked>();
    const usedKeys = new Set<string>();
    // The notebooks of each commit (by commit and by tree, as commits often share a tree): one walk per tree.
    const trees = new Map<string, Map<string, string>>();
    const byTree = new Map<string, Map<string, string>>();
    for (const { oid, commit } of commits) {
      const files = byTree.get(commit.tree) ?? (await notebookBlobs(this._gitdir, oid));
      byTree.set(commit.tree, files);
      trees.set(oid, files);
      const before = commit.parent.length > 0 ? (trees.get(commit.parent[0]) ?? new Map<string, string>()) : new Map();
      const deleted = [...before.keys()].filter(file => !files.has(file));
      const added = [...files.keys()].filter(file => !before.has(file));
      const renames = await this._renames(deleted, added, before, files);
      const author = { name: commit.author.name, email: commit.author.email };
      const date = new Date(commit.author.timestamp * 1000);
      const message = commit.message.trim() || `Commit ${oid.slice(0, 7)}`;
      for (const [from, to] of renames) {
        const tracked = byPath.get(from);
        if (tracked) {
          byPath.delete(from);
          byPath.set(to, tracked);
          tracked.path = to;
        }
      }
      for (const file of deleted) {
        if (!renames.has(file)) {
          const tracked = byPath.get(file);
          if (tracked) {
            tracked.deleted = true;
            byPath.delete(file);
          }
        }
      }
      for (const [file, blob] of files) {
        let tracked = byPath.get(file);
        if (!tracked) {
          // A path used again after its notebook was deleted is a new notebook.
          const sourceKey = usedKeys.has(file) ? `${file}@${oid}` : file;
          usedKeys.add(file);
          tracked = { sourceKey, path: file, deleted: false, revisions: [] };
          byPath.set(file, tracked);
          all.push(tracked);
        }
        const last = tracked.revisions[tracked.revisions.length - 1];
        if (last?.blob !== blob) {
          tracked.revisions.push({ commit: oid, blob, path: file, author, date, message });
        }
      }
    }
    return all;
  }

  /** Deleted path → added path for the renames of one commit: the same blob first, then the most alike above 50%. */
  private async _renames(
    deleted: string[],
    added: string[],
    before: Map<string, string>,
    after: Map<string, string>
  ): Promise<Map<string, string>> {
    const renames = new Map<string, string>();
    const open = new Set(added);
    for (const from of deleted) {
      const same = [...open].find(to => after.get(to) === before.get(from));
      if (same !== undefined) {
        renames.set(from, same);
        open.delete(same);
      }
    }
    for (const from of deleted.filter(file => !renames.has(file))) {
      let best: { to: string; score: number } | undefined;
      const old = await this._lines(before.get(from) as string);
      for (const to of open) {
        const score = similarity(old, await this._lines(after.get(to) as string));
        if (score >= RENAME_SIMILARITY && (best === undefined || score > best.score)) {
          best = { to, score };
        }
      }
      if (best) {
        renames.set(from, best.to);
        open.delete(best.to);
      }
    }
    return renames;
  }

  private async _lines(blob: string): Promise<string[]> {
    const { blob: bytes } = await git.readBlob({ fs, gitdir: this._gitdir, oid: blob });
    return Buffer.from(bytes).toString('utf8').split('\n');
  }
}

/** The git directory of a working copy (`<root>/.git`) or a bare repository (`<root>` itself). */
export function gitdirOf(root: string): string {
  const dotGit = path.join(root, '.git');
  return fs.existsSync(dotGit) ? dotGit : root;
}

/** Whether `root` is a git repository (a working copy or a bare one). */
export function isGitRepository(root: string): boolean {
  const gitdir = gitdirOf(root);
  return fs.existsSync(path.join(gitdir, 'HEAD')) && fs.existsSync(path.join(gitdir, 'objects'));
}

/** Path → blob of every `.ipynb` file in a commit's tree, Jupyter's checkpoint folders left out. */
async function notebookBlobs(gitdir: string, commit: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await git.walk({
    fs,
    gitdir,
    trees: [git.TREE({ ref: commit })],
    map: async (filepath, entries) => {
      const entry = entries[0];
      if (entry === null || filepath.split('/').includes('.ipynb_checkpoints')) {
        return null;
      }
      if (filepath.endsWith('.ipynb') && (await entry.type()) === 'blob') {
        files.set(filepath, await entry.oid());
      }
      return true;
    }
  });
  return files;
}

/** Dice coefficient of two files' lines (as multisets): 1 for the same lines, 0 for none in common. */
function similarity(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const line of a) {
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  let common = 0;
  for (const line of b) {
    const left = counts.get(line) ?? 0;
    if (left > 0) {
      common++;
      counts.set(line, left - 1);
    }
  }
  return a.length + b.length === 0 ? 1 : (2 * common) / (a.length + b.length);
}
