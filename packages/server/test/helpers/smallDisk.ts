import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A real, small filesystem for storage-failure tests: a tmpfs of `sizeMiB` mounted on a new temporary directory. Needs
 * root (or passwordless sudo), as the server tests run in CI's container.
 * @throws {Error} saying so when the mount is refused.
 */
export function mountSmallDisk(dir: string, sizeMiB: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const args = ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir];
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch (error) {
    try {
      execFileSync('sudo', ['-n', 'mount', ...args], { stdio: 'pipe' });
    } catch {
      throw new Error(
        `the storage-failure tests mount a small tmpfs and need root or passwordless sudo: ${String(error)}`
      );
    }
  }
}

/** Runs `mount` with `args`, as {@link mountSmallDisk} could. */
function mount(...args: string[]): void {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch {
    execFileSync('sudo', ['-n', 'mount', ...args], { stdio: 'pipe' });
  }
}

/**
 * Makes `dir` read-only under a running server: a read-only bind mount of it over itself, as an admin (or a disk
 * remounted read-only after errors) would leave it. Remounting the whole filesystem read-only is refused while the
 * server holds files open for writing; the bind mount takes every file opened from now on.
 */
export function makeReadOnly(dir: string): void {
  mount('--bind', dir, dir);
  mount('-o', 'remount,bind,ro', dir);
}

/** Undoes {@link makeReadOnly}. */
export function makeWritable(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    execFileSync('sudo', ['-n', 'umount', '-l', dir], { stdio: 'pipe' });
  }
}

/** Unmounts it (lazily, so a file still open cannot keep it) and removes the directory. */
export function unmountSmallDisk(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    execFileSync('sudo', ['-n', 'umount', '-l', dir], { stdio: 'pipe' });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Fills the filesystem of `dir` to the last byte with one file, whose path it answers; delete it to free the space. */
export function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler.bin');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size > 0;) {
      try {
        fs.writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') {
          throw error;
        }
        size = size >> 1;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}
