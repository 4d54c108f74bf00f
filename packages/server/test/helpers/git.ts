import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Runs the stock `git` binary against a bare repository and returns its trimmed stdout. */
export function git(gitdir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitdir, ...args], { encoding: 'utf8' }).trim();
}

/** `git fsck --strict` exit status and output. */
export function fsck(gitdir: string): { status: number | null; output: string } {
  const result = spawnSync('git', ['--git-dir', gitdir, 'fsck', '--strict'], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** Every `<id>.git` directory under `<dataDir>/repos`, as notebook ids. */
export function repositoryIds(dataDir: string): string[] {
  const root = path.join(dataDir, 'repos');
  if (!fs.existsSync(root)) {
    return [];
  }
  return fs
    .readdirSync(root)
    .flatMap(shard => fs.readdirSync(path.join(root, shard)))
    .map(name => name.replace(/\.git$/, ''))
    .sort();
}
