import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { extract, type Extract } from 'tar-stream';
import { ArchiveRefusedError } from '../errors/ArchiveRefusedError';
import { describeSize } from './notebookFile';

/** One entry as tar-stream streams it (its type is not exported by name). */
type Entry = Extract extends AsyncIterable<infer E> ? E : never;

/** What an archive may hold before it is refused. */
export interface ITarLimits {
  /** Entries of any kind (directories count). */
  maxEntries: number;
  /**
   * Bytes of the tar stream after decompression (headers included), counted as they stream: a gzip bomb stops here
   * rather than filling memory or disk.
   */
  maxTotalBytes: number;
  /** Bytes of one file (the server's limit for a notebook). */
  maxEntryBytes: number;
}

/** Limits for archives of notebooks: 50,000 entries, 20 GiB unpacked, 50 MiB a file. */
export const DEFAULT_TAR_LIMITS: ITarLimits = {
  maxEntries: 50_000,
  maxTotalBytes: 20 * 1024 ** 3,
  maxEntryBytes: 50 * 1024 * 1024
};

/** One file of an archive, by its normalised name (`a/b.ipynb`: no `./`, no trailing `/`). */
export interface ITarFile {
  name: string;
  bytes: Buffer;
}

/** What {@link checkTar} found: every file's name and size, and the bytes of those it was asked to keep. */
export interface ITarListing {
  files: { name: string; size: number }[];
  kept: Map<string, Buffer>;
}

/**
 * Reads the whole archive once and refuses it for any entry that could escape or mislead (`..`, an absolute path, a
 * symlink or hardlink, a device, a duplicate name), for too many entries or bytes, or for a truncated file. Keeps
 * the bytes of the files `keep` names (an index such as nbgallery's `metadata.json`, which comes last), and no other.
 * @throws {ArchiveRefusedError} naming the entry and why.
 */
export async function checkTar(
  file: string,
  limits: ITarLimits = DEFAULT_TAR_LIMITS,
  keep: (name: string) => boolean = () => false
): Promise<ITarListing> {
  const files: ITarListing['files'] = [];
  const kept = new Map<string, Buffer>();
  try {
    for await (const { name, size, entry } of scan(file, limits)) {
      if (keep(name)) {
        kept.set(name, await collect(entry));
      } else {
        entry.resume();
        await ended(entry);
      }
      files.push({ name, size });
    }
  } catch (error) {
    throw refusalOf(file, error);
  }
  return { files, kept };
}

/**
 * The one reader of archives for every archive source (nbgallery exports, our own): a tar file, gzipped or not, read
 * as a stream. It runs {@link checkTar} over the whole archive first, then streams it again yielding one file at a
 * time, so a refused archive yields nothing and nothing of it is imported. A caller that ran {@link checkTar} itself
 * passes its listing as `checked`.
 * @throws {ArchiveRefusedError} before anything is yielded.
 */
export async function* readTar(
  file: string,
  limits: ITarLimits = DEFAULT_TAR_LIMITS,
  checked?: ITarListing
): AsyncGenerator<ITarFile> {
  if (checked === undefined) {
    await checkTar(file, limits);
  }
  const files = scan(file, limits);
  while (true) {
    let next: ITarFile | undefined;
    try {
      const found = await files.next();
      next = found.done ? undefined : { name: found.value.name, bytes: await collect(found.value.entry) };
    } catch (error) {
      throw refusalOf(file, error);
    }
    if (next === undefined) {
      return;
    }
    yield next;
  }
}

/**
 * Streams the archive through every check and yields each file's entry, which the caller must consume before asking
 * for the next.
 * @throws {ArchiveRefusedError}
 */
async function* scan(file: string, limits: ITarLimits): AsyncGenerator<{ name: string; size: number; entry: Entry }> {
  const refuse = (reason: string, entry?: string): ArchiveRefusedError =>
    new ArchiveRefusedError(path.basename(file), reason, entry);
  const names = new Set<string>();
  let entries = 0;
  const input = await tarStream(file, limits, refuse);
  const tar = extract();
  input.on('error', error => tar.destroy(error));
  input.pipe(tar);
  try {
    for await (const entry of tar) {
      const raw = entry.header.name;
      entries++;
      if (entries > limits.maxEntries) {
        throw refuse(`more than ${limits.maxEntries} entries`);
      }
      const name = safeName(raw, refuse);
      const type = entry.header.type ?? 'file';
      if (type === 'symlink' || type === 'link') {
        const kind = type === 'symlink' ? 'symbolic' : 'hard';
        throw refuse(`a ${kind} link (to "${entry.header.linkname ?? ''}"); archives may hold only files`, raw);
      }
      if (type !== 'file' && type !== 'contiguous-file' && type !== 'directory') {
        throw refuse(`a ${type}; archives may hold only files`, raw);
      }
      if (names.has(name)) {
        throw refuse('a duplicate name (each name may appear once)', raw);
      }
      names.add(name);
      if (type === 'directory') {
        entry.resume();
        await ended(entry);
        continue;
      }
      const size = entry.header.size ?? 0;
      if (size > limits.maxEntryBytes) {
        throw refuse(`${describeSize(size)}, over the ${describeSize(limits.maxEntryBytes)} limit for one file`, raw);
      }
      yield { name, size, entry };
    }
  } catch (error) {
    input.destroy();
    tar.destroy();
    throw refusalOf(file, error);
  }
  if (entries === 0) {
    throw refuse('not a tar archive, or an empty one');
  }
}

/**
 * The file as a stream of tar bytes: gunzipped when it starts with gzip's magic number, and counted, so a gzip bomb
 * is stopped as it inflates past the limit.
 */
async function tarStream(
  file: string,
  limits: ITarLimits,
  refuse: (reason: string) => ArchiveRefusedError
): Promise<Readable> {
  const handle = await fs.promises.open(file, 'r');
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = fs.createReadStream(file);
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.byteLength;
      if (total > limits.maxTotalBytes) {
        const error = Object.assign(new Error('too big'), {
          refusal: refuse(`more than ${describeSize(limits.maxTotalBytes)} once unpacked (a gzip bomb?)`)
        });
        done(error);
        return;
      }
      done(null, chunk);
    }
  });
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  const stages: Readable[] = [raw];
  if (gzipped) {
    stages.push(raw.pipe(zlib.createGunzip()));
  }
  const last = stages[stages.length - 1];
  for (const stage of stages) {
    stage.on('error', error => counter.destroy(error));
  }
  return last.pipe(counter);
}

async function collect(entry: Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function ended(entry: Entry): Promise<void> {
  return new Promise((resolve, reject) => {
    entry.once('end', resolve);
    entry.once('error', reject);
  });
}

/** `./a/b/` → `a/b`; refuses absolute paths, `..` and names with a NUL or a backslash. */
function safeName(raw: string, refuse: (reason: string, entry?: string) => ArchiveRefusedError): string {
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    throw refuse('an absolute path; archives may hold only relative ones', raw);
  }
  if (raw.includes('\0') || raw.includes('\\')) {
    throw refuse('a name with a NUL or a backslash', raw);
  }
  const parts = raw.split('/').filter(part => part !== '' && part !== '.');
  if (parts.includes('..')) {
    throw refuse('a path that leaves the archive ("..")', raw);
  }
  if (parts.length === 0) {
    throw refuse('an empty name', raw);
  }
  return parts.join('/');
}

/**
 * Any error of reading an archive as the refusal it means: a refusal as it is (also one a stream carried), a stream
 * error as a truncated or unreadable archive. Errors surface where the bytes are read, in the entry's consumer too.
 */
function refusalOf(file: string, error: unknown): ArchiveRefusedError {
  if (error instanceof ArchiveRefusedError) {
    return error;
  }
  const carried = (error as { refusal?: ArchiveRefusedError } | null)?.refusal;
  return carried ?? new ArchiveRefusedError(path.basename(file), truncatedOr(error));
}

/** What a stream error means for people. */
function truncatedOr(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  if (/unexpected end|end of file|premature|truncated/i.test(message)) {
    return 'the archive is truncated (it ends in the middle of an entry)';
  }
  return `not a readable tar archive (${message})`;
}
