import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { extract, pack } from 'tar-stream';
import type { IArchiveEntry } from '../../src/transfer/gallerySource';

/**
 * An archive's entries in order, read with tar-stream: a stand-in for the importer's safe tar reader (issue 19,
 * branch wip/importer), which the CLI hands to the source. These tests feed it archives export wrote.
 */
export async function* entriesOf(file: string): AsyncIterable<IArchiveEntry> {
  const reader = extract();
  fs.createReadStream(file).pipe(zlib.createGunzip()).pipe(reader);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) {
      chunks.push(chunk as Buffer);
    }
    yield { path: entry.header.name, data: Buffer.concat(chunks) };
  }
}

/** Every entry of an archive, in order. */
export async function readAll(file: string): Promise<IArchiveEntry[]> {
  const entries: IArchiveEntry[] = [];
  for await (const entry of entriesOf(file)) {
    entries.push(entry);
  }
  return entries;
}

/** Writes a tar.gz of `entries`, in order, and returns its path. */
export async function archiveOf(file: string, entries: readonly IArchiveEntry[]): Promise<string> {
  const writer = pack();
  const done = new Promise<void>((resolve, reject) => {
    writer.pipe(zlib.createGzip()).pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject);
  });
  for (const entry of entries) {
    writer.entry({ name: entry.path }, Buffer.from(entry.data));
  }
  writer.finalize();
  await done;
  return file;
}
