import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IImportSource, ImportSourceEntry } from './importSource';
import { contentKey, parseNotebookFile, titleOf, tooBigReason } from './notebookFile';

/** Folders Jupyter writes its autosaves into; never imported. */
const IGNORED_FOLDERS = new Set(['.ipynb_checkpoints']);

/**
 * A folder tree of `.ipynb` files: each file is one notebook with one revision (its content; an edited file adds a
 * revision on the next run), titled by its first markdown heading or else its file name, tagged with the names of
 * the folders it sits in. Files are read in name order, one at a time; symlinks are followed, a loop is reported.
 */
export class FolderSource implements IImportSource {
  readonly kind = 'folder' as const;
  readonly origin: string;

  constructor(
    private readonly _root: string,
    private readonly _maxBytes: number
  ) {
    this.origin = `folder:${path.resolve(_root)}`;
  }

  async count(): Promise<number> {
    let count = 0;
    for await (const file of walk(this._root)) {
      if (file.kind === 'file') {
        count++;
      }
    }
    return count;
  }

  async *items(): AsyncIterable<ImportSourceEntry> {
    for await (const found of walk(this._root)) {
      if (found.kind === 'error') {
        yield { kind: 'error', path: found.relative, reason: found.reason };
        continue;
      }
      const { relative } = found;
      let bytes: Buffer;
      let stat: fs.Stats;
      try {
        stat = await fs.promises.stat(found.absolute);
        if (stat.size > this._maxBytes) {
          // Not read at all: the size alone refuses it.
          yield { kind: 'error', path: relative, reason: tooBigReason(stat.size, this._maxBytes) };
          continue;
        }
        bytes = await fs.promises.readFile(found.absolute);
      } catch (error) {
        yield { kind: 'error', path: relative, reason: reasonOf(error) };
        continue;
      }
      const parsed = parseNotebookFile(bytes, this._maxBytes);
      if (!parsed.ok) {
        yield { kind: 'error', path: relative, reason: parsed.reason };
        continue;
      }
      const folders = relative.split('/').slice(0, -1);
      yield {
        kind: 'item',
        sourceKey: relative,
        path: relative,
        metadata: {
          title: titleOf(parsed.notebook, path.basename(relative, '.ipynb')),
          tags: folders
        },
        revisions: [
          {
            revisionKey: contentKey(bytes),
            notebook: parsed.notebook,
            author: {},
            date: stat.mtime,
            message: `Import ${relative}`
          }
        ]
      };
    }
  }
}

/** A notebook file found by {@link walk}, or a path it could not follow. */
type Found = { kind: 'file'; relative: string; absolute: string } | { kind: 'error'; relative: string; reason: string };

/**
 * Every `.ipynb` file under `root`, depth first in name order, with `/`-separated relative paths. Symlinks are
 * followed; a directory reached again through one (a loop) is reported instead of walked forever.
 */
async function* walk(root: string): AsyncGenerator<Found> {
  const seen = new Set<string>();
  async function* visit(directory: string, relative: string): AsyncGenerator<Found> {
    let real: string;
    let names: string[];
    try {
      real = await fs.promises.realpath(directory);
      if (seen.has(real)) {
        yield {
          kind: 'error',
          relative: relative || '.',
          reason: 'a symlink loop (this folder is already being read)'
        };
        return;
      }
      seen.add(real);
      names = (await fs.promises.readdir(directory)).sort();
    } catch (error) {
      yield { kind: 'error', relative: relative || '.', reason: reasonOf(error) };
      return;
    }
    for (const name of names) {
      const absolute = path.join(directory, name);
      const child = relative ? `${relative}/${name}` : name;
      let stat: fs.Stats;
      try {
        stat = await fs.promises.stat(absolute);
      } catch (error) {
        if (name.endsWith('.ipynb') || (error as NodeJS.ErrnoException).code === 'ELOOP') {
          yield { kind: 'error', relative: child, reason: reasonOf(error) };
        }
        continue;
      }
      if (stat.isDirectory()) {
        if (!IGNORED_FOLDERS.has(name)) {
          yield* visit(absolute, child);
        }
      } else if (stat.isFile() && name.endsWith('.ipynb')) {
        yield { kind: 'file', relative: child, absolute };
      }
    }
  }
  yield* visit(root, '');
}

/** A file system error in words. */
function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') {
    return 'a symlink loop';
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return 'unreadable (permission denied)';
  }
  if (code === 'ENOENT') {
    return 'a broken symlink';
  }
  return `unreadable (${code ?? (error as Error).message})`;
}
