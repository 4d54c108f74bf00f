import * as fs from 'node:fs';
import { StorageMissingError } from '../errors/StorageMissingError';

/**
 * A check that the data directory is still the one the server opened. Deleted (or unmounted) under a running server,
 * writes would otherwise go on "working": SQLite into its deleted file, git into directories it creates afresh, and
 * every save acknowledged would be lost. Compares device and inode, so a directory recreated at the same path
 * counts as gone too. One `stat` per write.
 * @throws {Error} when `dataDir` cannot be read now.
 */
export function dataDirectoryGuard(dataDir: string): () => void {
  const opened = fs.statSync(dataDir);
  return () => {
    let now: fs.Stats;
    try {
      now = fs.statSync(dataDir);
    } catch (error) {
      throw new StorageMissingError(error);
    }
    if (now.dev !== opened.dev || now.ino !== opened.ino) {
      throw new StorageMissingError(new Error(`${dataDir} was replaced while the server ran`));
    }
  };
}
