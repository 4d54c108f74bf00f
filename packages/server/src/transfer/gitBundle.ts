import * as fs from 'node:fs';
import * as path from 'node:path';
import * as git from 'isomorphic-git';

/** The first line of a git bundle of version 2, the version every git since 1.5 reads. */
export const BUNDLE_SIGNATURE = '# v2 git bundle\n';

/** A ref a bundle carries: its full name (`refs/heads/main`, or `HEAD`) and the commit it points at. */
export interface IBundleRef {
  name: string;
  commit: string;
}

const OBJECT_ID = /^[0-9a-f]{40}$/;

/**
 * A git bundle (v2) of the commits `refs` name and everything they reach, read from bare repository `gitdir`:
 * the signature, one `<commit> <ref>` line per ref, a blank line, then a pack. isomorphic-git has no bundle API
 * (isomorphic-git#2348), but its `packObjects` writes the pack. Objects go into the pack sorted by id, so the same
 * history gives the same bytes (two exports of one gallery compare equal file by file).
 * @throws {Error} when an object the refs reach is missing or damaged.
 */
export async function createGitBundle(gitdir: string, refs: readonly IBundleRef[]): Promise<Uint8Array> {
  const oids = await reachableObjects(
    gitdir,
    refs.map(ref => ref.commit)
  );
  const { packfile } = await git.packObjects({ fs, gitdir, oids: [...oids].sort() });
  if (!packfile) {
    throw new Error(`isomorphic-git wrote no pack for ${gitdir}`);
  }
  const header = BUNDLE_SIGNATURE + refs.map(ref => `${ref.commit} ${ref.name}\n`).join('') + '\n';
  return Buffer.concat([Buffer.from(header, 'utf8'), packfile]);
}

/** Every commit, tree and blob reachable from `tips` (all parents, so a merge brings its proposal commit). */
async function reachableObjects(gitdir: string, tips: readonly string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  const commits = [...tips];
  while (commits.length > 0) {
    const oid = commits.pop() as string;
    if (seen.has(oid)) {
      continue;
    }
    seen.add(oid);
    const { commit } = await git.readCommit({ fs, gitdir, oid });
    await addTree(gitdir, commit.tree, seen);
    commits.push(...commit.parent);
  }
  return seen;
}

async function addTree(gitdir: string, oid: string, seen: Set<string>): Promise<void> {
  if (seen.has(oid)) {
    return;
  }
  seen.add(oid);
  const { tree } = await git.readTree({ fs, gitdir, oid });
  for (const entry of tree) {
    if (entry.type === 'tree') {
      await addTree(gitdir, entry.oid, seen);
    } else if (entry.type === 'blob') {
      seen.add(entry.oid);
    }
  }
}

/** A bundle's refs and its pack, split apart. */
export interface IParsedBundle {
  refs: IBundleRef[];
  pack: Uint8Array;
}

/**
 * Splits a v2 git bundle into its refs and its pack.
 * @throws {Error} when `bytes` is not a v2 bundle, or a ref line or the pack signature is malformed (prerequisite
 * lines, `-<commit>`, are refused: our exports carry whole histories).
 */
export function parseGitBundle(bytes: Uint8Array): IParsedBundle {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(0, BUNDLE_SIGNATURE.length).toString('utf8') !== BUNDLE_SIGNATURE) {
    throw new Error('not a v2 git bundle (it does not start with "# v2 git bundle")');
  }
  const end = buffer.indexOf('\n\n', BUNDLE_SIGNATURE.length - 1);
  if (end < 0) {
    throw new Error('the git bundle has no blank line after its refs');
  }
  const refs = buffer
    .subarray(BUNDLE_SIGNATURE.length, end + 1)
    .toString('utf8')
    .split('\n')
    .filter(line => line !== '')
    .map(line => {
      const [commit, name, ...rest] = line.split(' ');
      if (!OBJECT_ID.test(commit) || !name || rest.length > 0) {
        throw new Error(`the git bundle has a malformed ref line "${line.slice(0, 100)}"`);
      }
      return { commit, name };
    });
  const pack = buffer.subarray(end + 2);
  if (pack.subarray(0, 4).toString('latin1') !== 'PACK') {
    throw new Error('the git bundle holds no pack after its refs');
  }
  return { refs, pack };
}

/**
 * Unpacks a bundle's pack into bare repository `gitdir` (created when missing) and indexes it, so isomorphic-git can
 * read its commits; refs are not written (the caller decides what the history becomes).
 * @throws {Error} when the pack is damaged (its checksum or an object fails).
 */
export async function unpackGitBundle(bundle: IParsedBundle, gitdir: string): Promise<void> {
  await git.init({ fs, gitdir, bare: true });
  const relative = path.join('objects', 'pack', 'pack-bundle.pack');
  await fs.promises.mkdir(path.join(gitdir, 'objects', 'pack'), { recursive: true });
  await fs.promises.writeFile(path.join(gitdir, relative), bundle.pack);
  await git.indexPack({ fs, dir: gitdir, gitdir, filepath: relative });
}
