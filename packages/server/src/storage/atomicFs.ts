import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes through a temporary file and a rename, so a killed process never leaves a truncated file; the temporary
 * name follows git's `tmp_obj_*` convention, which `git fsck` ignores.
 */
export async function atomicWriteFile(
  file: string,
  data: string | Uint8Array,
  options?: fs.WriteFileOptions
): Promise<void> {
  const temporary = path.join(path.dirname(file), `tmp_obj_${crypto.randomBytes(6).toString('hex')}`);
  try {
    await fs.promises.writeFile(temporary, data, options);
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The file system isomorphic-git gets: node's, with atomic writes, because isomorphic-git writes loose objects in
 * place and skips objects whose file exists, so one torn write would corrupt every later commit of the same content.
 */
export const gitFs = { promises: { ...fs.promises, writeFile: atomicWriteFile } };
