import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How the gallery writes files that must survive a crash. */
export interface IDurability {
  /**
   * Whether writes reach the disk before they count as done (fsync of the file before its rename, then of its
   * directory), so they survive an OS crash or power loss, not only a killed process.
   */
  fsync: boolean;
}

/** Flushes a directory, so a file created, renamed or removed in it stays so after power loss. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes through a temporary file and a rename, so a killed process never leaves a truncated file; the temporary
 * name follows git's `tmp_obj_*` convention, which `git fsck` ignores. With `fsync`, the file is flushed before the
 * rename and the directory after it.
 */
export async function atomicWriteFile(
  file: string,
  data: string | Uint8Array,
  durability: IDurability,
  options?: { mode?: number }
): Promise<void> {
  const dir = path.dirname(file);
  const temporary = path.join(dir, `tmp_obj_${crypto.randomBytes(6).toString('hex')}`);
  try {
    const handle = await fs.promises.open(temporary, 'wx', options?.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      if (durability.fsync) {
        await handle.sync();
      }
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
  if (durability.fsync) {
    await fsyncDirectory(dir);
  }
}

/** The `fs` isomorphic-git is given: node's promises API with atomic (and, with fsync, durable) writes. */
export interface IGitFs {
  promises: typeof fs.promises;
}

/**
 * The file system isomorphic-git gets: node's, with atomic writes, because isomorphic-git writes loose objects in
 * place and skips objects whose file exists, so one torn write would corrupt every later commit of the same content.
 * With fsync, a directory it creates (an object fan-out directory) is flushed into its parent too.
 */
export function createGitFs(durability: IDurability): IGitFs {
  const writeFile = (file: fs.PathLike | fs.promises.FileHandle, data: string | Uint8Array, options?: unknown) => {
    const mode = typeof options === 'object' && options !== null ? (options as { mode?: number }).mode : undefined;
    return atomicWriteFile(String(file), data, durability, { mode });
  };
  const mkdir = async (dir: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
    const made = await fs.promises.mkdir(dir, options);
    if (durability.fsync) {
      await fsyncDirectory(path.dirname(String(dir)));
    }
    return made;
  };
  return { promises: { ...fs.promises, writeFile, mkdir } as typeof fs.promises };
}
