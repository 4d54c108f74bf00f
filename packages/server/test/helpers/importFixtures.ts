import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as git from 'isomorphic-git';
import { pack, type Header } from 'tar-stream';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { GENEROUS_LIMITS, testDatabaseOf } from './testGallery';
import { openGallery } from '../../src/compositionRoot';
import { runImport, type IImportOptions, type IImportReport } from '../../src/transfer/importPipeline';
import type { IImportSource } from '../../src/transfer/importSource';
import { openDataDirTarget } from '../../src/transfer/importTargets';

/** One entry of a test archive: a file with content, or any header (links, `..`, absolute paths) as given. */
export type TarEntry = { name: string; content: string | Buffer } | { header: Partial<Header> & Pick<Header, 'name'> };

/** Writes a tar archive (gzipped unless `gzip` is false) of `entries`, in order, to `file`. */
export async function writeTar(file: string, entries: Iterable<TarEntry>, gzip = true): Promise<void> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const entry of entries) {
    if ('header' in entry) {
      archive.entry(entry.header);
    } else {
      archive.entry(
        { name: entry.name },
        typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content
      );
    }
  }
  archive.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  fs.writeFileSync(file, gzip ? zlib.gzipSync(tar, { level: 1 }) : tar);
}

/** A git author in a test repository. */
export interface ITestAuthor {
  name: string;
  email: string;
}

/**
 * A working copy built with isomorphic-git: `commit` writes and removes files, stages everything and commits as
 * `author` at `seconds` (since the epoch), so dates are known exactly.
 */
export async function makeGitRepository(dir: string): Promise<{
  commit(
    author: ITestAuthor,
    seconds: number,
    message: string,
    changes: Record<string, string | null>
  ): Promise<string>;
}> {
  fs.mkdirSync(dir, { recursive: true });
  await git.init({ fs, dir, defaultBranch: 'main' });
  return {
    async commit(author, seconds, message, changes) {
      for (const [file, content] of Object.entries(changes)) {
        const absolute = path.join(dir, file);
        if (content === null) {
          fs.rmSync(absolute);
          await git.remove({ fs, dir, filepath: file });
        } else {
          fs.mkdirSync(path.dirname(absolute), { recursive: true });
          fs.writeFileSync(absolute, content);
          await git.add({ fs, dir, filepath: file });
        }
      }
      return git.commit({
        fs,
        dir,
        message,
        author: { ...author, timestamp: seconds, timezoneOffset: 0 }
      });
    }
  };
}

/** A notebook as the API shows it after an import: metadata, every revision and every revision's content. */
export interface IGalleryNotebookState {
  title: string;
  description: string;
  tags: string[];
  owner: string;
  visibility: string;
  revisions: {
    revision: string;
    number: number;
    author: string;
    message: string;
    createdAt: string;
    content: unknown;
  }[];
}

/**
 * Everything the API shows of every notebook in `dataDir` (and its PostgreSQL database when the tests run for
 * PostgreSQL, testDatabaseOf), read by an admin and sorted by title (ids differ between galleries): what two imports
 * are compared by.
 */
export async function galleryState(dataDir: string): Promise<IGalleryNotebookState[]> {
  const url = await testDatabaseOf(dataDir);
  const config = loadConfig(
    {
      'data-dir': dataDir,
      'log-level': 'silent',
      ...GENEROUS_LIMITS,
      ...(url === null ? {} : { 'database-url': url })
    },
    {}
  );
  const app = await buildApp(config);
  try {
    if (!(await app.accounts.find(STATE_READER))) {
      await app.accounts.add(STATE_READER, `${STATE_READER}-password`, true);
    }
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: STATE_READER, password: `${STATE_READER}-password` }
    });
    const headers = { authorization: `Bearer ${login.json().token as string}` };
    const get = async (url: string): Promise<any> => (await app.inject({ method: 'GET', url, headers })).json();
    const states: IGalleryNotebookState[] = [];
    for (const { id } of (await get('/api/notebooks?limit=100')).items as { id: string }[]) {
      const one = await get(`/api/notebooks/${id}`);
      const revisions = (await get(`/api/notebooks/${id}/revisions`)).items as IGalleryNotebookState['revisions'];
      const withContent: IGalleryNotebookState['revisions'] = [];
      for (const { revision, number, author, message, createdAt } of [...revisions].reverse()) {
        const content = await get(`/api/notebooks/${id}/content?revision=${revision}`);
        withContent.push({ revision, number, author, message, createdAt, content });
      }
      states.push({
        title: one.title,
        description: one.description,
        tags: one.tags,
        owner: one.owner,
        visibility: one.visibility,
        revisions: withContent
      });
    }
    return states.sort((a, b) => a.title.localeCompare(b.title));
  } finally {
    await app.close();
  }
}

/** The admin {@link galleryState} reads as (added when missing). */
const STATE_READER = 'state-reader';

/** Adds accounts (not admins, password `<name>-password`) to the gallery in `dataDir` (see {@link galleryState}). */
export async function addUsers(dataDir: string, ...names: string[]): Promise<void> {
  const databaseUrl = await testDatabaseOf(dataDir);
  const gallery = await openGallery({ dataDir, fsync: false, readWorkers: 1, databaseUrl });
  try {
    for (const name of names) {
      await gallery.accounts.add(name, `${name}-password`, false);
    }
  } finally {
    await gallery.close();
  }
}

/** The flags' defaults of `notebook-gallery import --owner ann`. */
export function importOptions(overrides: Partial<IImportOptions> = {}): IImportOptions {
  return {
    owner: 'ann',
    visibility: 'private',
    group: null,
    ownedByGroup: false,
    authorMap: new Map(),
    confirmedSecrets: [],
    ...overrides
  };
}

/** Runs an import of `source` into the stopped gallery in `dataDir` (see {@link galleryState}), in this process. */
export async function importInto(
  dataDir: string,
  source: IImportSource,
  overrides: Partial<IImportOptions> = {}
): Promise<IImportReport> {
  const target = await openDataDirTarget(dataDir, false, undefined, await testDatabaseOf(dataDir));
  try {
    return await runImport(source, target, importOptions(overrides));
  } finally {
    await target.close();
  }
}
