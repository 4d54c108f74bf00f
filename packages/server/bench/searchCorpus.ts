import { parseNotebook, type INotebook } from '@notebook-gallery/core';
import { openGallery, type IGallery } from '@notebook-gallery/server';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A notebook of the relevance corpus, as a user would save it. */
export interface ICorpusNotebook {
  /** `folder/file.ipynb` under the corpus directory, or `examples/file.ipynb` for the seeded examples. */
  key: string;
  title: string;
  description: string;
  tags: string[];
  owner: string;
  notebook: INotebook;
}

/** An evaluation query, with the notebooks a user would be happy to see first. */
export interface ICorpusQuery {
  class: 'title' | 'word' | 'prefix' | 'typo' | 'paraphrase';
  q: string;
  expected: string[];
  /** `heldout`: written after the ranking was tuned on the others, and never tuned on. */
  set?: 'heldout';
}

/** A temporary gallery holding the corpus; `ids` maps corpus keys to notebook ids. */
export interface ICorpusGallery {
  gallery: IGallery;
  ids: Map<string, string>;
  close(): Promise<void>;
}

/** The server package's directory, from src, bench/lib or a test alike. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    dir = path.dirname(dir);
  }
  return dir;
}

const corpusDir = (): string => path.join(packageRoot(), 'test', 'fixtures', 'search-corpus');

/** The corpus: the real notebooks listed in `corpus.json`, then the gallery's seeded examples. */
export function loadSearchCorpus(): ICorpusNotebook[] {
  const dir = corpusDir();
  const listed = JSON.parse(fs.readFileSync(path.join(dir, 'corpus.json'), 'utf8')) as {
    file: string;
    title: string;
    owner: string;
  }[];
  const notebooks: ICorpusNotebook[] = listed.map(entry => ({
    key: entry.file,
    title: entry.title,
    description: '',
    tags: [],
    owner: entry.owner,
    notebook: parseNotebook(fs.readFileSync(path.join(dir, entry.file), 'utf8'))
  }));
  const examples = path.join(packageRoot(), 'examples');
  const index = JSON.parse(fs.readFileSync(path.join(examples, 'index.json'), 'utf8')) as {
    file: string;
    title: string;
    description: string;
    tags: string[];
  }[];
  for (const example of index) {
    notebooks.push({
      key: `examples/${example.file}`,
      title: example.title,
      description: example.description,
      tags: example.tags,
      owner: 'gallery',
      notebook: parseNotebook(fs.readFileSync(path.join(examples, example.file), 'utf8'))
    });
  }
  return notebooks;
}

/** The evaluation queries of `queries.json`. */
export function loadCorpusQueries(): ICorpusQuery[] {
  return JSON.parse(fs.readFileSync(path.join(corpusDir(), 'queries.json'), 'utf8')) as ICorpusQuery[];
}

/**
 * Saves the corpus into a new gallery in a temporary directory, each notebook by its owner through the notebook
 * service, as public notebooks. `close` removes the directory. The embedding model is the one
 * `GALLERY_EMBEDDING_MODEL` names, as for the server (none: words alone). `databaseUrl`: the rows in that (empty)
 * PostgreSQL database instead of SQLite in the directory; the caller drops it.
 */
export async function openCorpusGallery(
  notebooks = loadSearchCorpus(),
  embeddingModel: string | null = process.env.GALLERY_EMBEDDING_MODEL || null,
  databaseUrl: string | null = null
): Promise<ICorpusGallery> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-search-'));
  const gallery = await openGallery({
    dataDir,
    fsync: false,
    defaultVisibility: 'public',
    embeddingModel,
    databaseUrl
  });
  const ids = new Map<string, string>();
  for (const owner of new Set(notebooks.map(notebook => notebook.owner))) {
    await gallery.accounts.add(owner, `${owner}-password`);
  }
  for (const entry of notebooks) {
    const caller = { user: { username: entry.owner, isAdmin: false }, groups: new Map() };
    const saved = await gallery.notebooks.create(caller, {
      notebook: entry.notebook,
      title: entry.title,
      description: entry.description,
      tags: entry.tags
    });
    ids.set(entry.key, saved.id);
  }
  // Saves queue their notebooks for embedding; search by meaning finds them once the queue has drained.
  await gallery.embeddingQueue?.drain();
  return {
    gallery,
    ids,
    close: async () => {
      await gallery.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
