import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { pack } from 'tar-stream';
import { readTar, type ITarFile } from '../../src/transfer/safeTarReader';

/** Every file of an archive, in order, through the safe tar reader. */
export async function readAll(file: string): Promise<ITarFile[]> {
  const files: ITarFile[] = [];
  for await (const entry of readTar(file)) {
    files.push(entry);
  }
  return files;
}

/** Writes a tar.gz of `entries`, in order, and returns its path. */
export async function archiveOf(file: string, entries: readonly ITarFile[]): Promise<string> {
  const writer = pack();
  const done = new Promise<void>((resolve, reject) => {
    writer.pipe(zlib.createGzip()).pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject);
  });
  for (const entry of entries) {
    writer.entry({ name: entry.name }, entry.bytes);
  }
  writer.finalize();
  await done;
  return file;
}
