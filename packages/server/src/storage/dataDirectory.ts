import * as fs from 'node:fs';

/** Mode of the data directory: only the gallery's own user may enter it (it holds password and token hashes). */
export const DATA_DIR_MODE = 0o700;

/**
 * Creates the data directory (mode 0700) when it does not exist.
 * @returns a warning to log when an existing directory lets other users in, with the command that fixes it;
 * otherwise null.
 * @throws {Error} when the directory cannot be created or is not a directory.
 */
export function prepareDataDirectory(dataDir: string): string | null {
  if (!fs.existsSync(dataDir)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
    // mkdir's mode is filtered by the umask, which could not add bits but might leave a stricter mode than asked.
    fs.chmodSync(dataDir, DATA_DIR_MODE);
    return null;
  }
  const mode = fs.statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) === 0) {
    return null;
  }
  return (
    `data directory ${dataDir} has mode ${mode.toString(8).padStart(4, '0')}, so other users of this machine can ` +
    `reach the database with its password and token hashes; run: chmod 700 ${dataDir}`
  );
}
