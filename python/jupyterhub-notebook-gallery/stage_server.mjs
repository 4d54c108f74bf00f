// Stages the gallery server for the jupyterhub-notebook-gallery wheel, offline:
//
//   node stage_server.mjs ROOT TARBALL_DIR OUT
//
// OUT/node_modules gets the server and core from their npm tarballs (exactly what `npm pack` ships) and
// a copy of every production dependency the root package-lock.json resolved for the server, in the same
// folder layout, so each package finds the very version the tests ran against (a fresh `npm install`
// from the tarballs would resolve the ranges anew). better-sqlite3's addon is compiled afterwards, by
// the build script, for the packaged Node.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const [root, tarballs, out] = process.argv.slice(2);
if (!root || !tarballs || !out) {
  console.error('usage: node stage_server.mjs ROOT TARBALL_DIR OUT');
  process.exit(2);
}

/** Our workspaces: where their folders are in the clone, and where they go in OUT. */
const WORKSPACES = {
  [join(root, 'packages', 'server')]: join('node_modules', '@notebook-gallery', 'server'),
  [join(root, 'packages', 'core')]: join('node_modules', '@notebook-gallery', 'core')
};

/** Where a folder that npm lists goes in OUT, or undefined for the root and our workspaces' own folders. */
function target(path) {
  for (const [from, to] of Object.entries(WORKSPACES)) {
    if (path === from) {
      return undefined;
    }
    if (path.startsWith(from + sep)) {
      return join(to, relative(from, path));
    }
  }
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(join('node_modules', '@notebook-gallery'))) {
    return undefined;
  }
  return rel;
}

// Every production dependency of the server, as installed in the clone (npm ci from package-lock.json).
const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable', '--workspace', 'packages/server'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024
})
  .split('\n')
  .filter(Boolean);

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'node_modules'), { recursive: true });

// Our two packages, from the tarballs npm pack wrote: the same files `npm install -g` would get.
for (const name of ['core', 'server']) {
  const tarball = readdirSync(tarballs).find(file => new RegExp(`^notebook-gallery-${name}-.+\\.tgz$`).test(file));
  if (!tarball) {
    throw new Error(`no notebook-gallery-${name}-*.tgz in ${tarballs}; run npm pack first`);
  }
  const dir = join(out, 'node_modules', '@notebook-gallery', name);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', join(tarballs, tarball), '-C', dir, '--strip-components=1']);
}

let copied = 0;
for (const path of new Set(listed)) {
  const to = target(path);
  if (to === undefined) {
    continue;
  }
  // A package's own nested node_modules are listed (and copied) on their own when production needs them.
  const nested = join(path, 'node_modules');
  cpSync(path, join(out, to), {
    recursive: true,
    dereference: true,
    filter: src => src !== nested && !/\.(map|d\.ts|d\.mts|d\.cts)$/.test(src)
  });
  copied += 1;
}

// better-sqlite3's build for the clone's Node is of no use; the build script compiles it for the packaged Node.
rmSync(join(out, 'node_modules', 'better-sqlite3', 'build'), { recursive: true, force: true });
if (!existsSync(join(out, 'node_modules', 'better-sqlite3', 'binding.gyp'))) {
  throw new Error('better-sqlite3 is not among the staged dependencies');
}

// onnxruntime-node ships its CPU runtime for every platform (about 290 MB); the wheel is for this machine's platform
// (its tag is better-sqlite3's addon's), so only this platform's runtime is kept (about 45 MB on linux x64).
const onnxBinaries = join(out, 'node_modules', 'onnxruntime-node', 'bin');
if (!existsSync(onnxBinaries)) {
  throw new Error('onnxruntime-node is not among the staged dependencies');
}
for (const napi of readdirSync(onnxBinaries)) {
  for (const platform of readdirSync(join(onnxBinaries, napi))) {
    for (const arch of platform === process.platform ? readdirSync(join(onnxBinaries, napi, platform)) : ['']) {
      if (platform !== process.platform || arch !== process.arch) {
        rmSync(join(onnxBinaries, napi, platform, arch), { recursive: true, force: true });
      }
    }
  }
}

const server = JSON.parse(
  readFileSync(join(out, 'node_modules', '@notebook-gallery', 'server', 'package.json'), 'utf8')
);
// The version the wheel takes (hatch-nodejs-version reads it), equal to the server's.
writeFileSync(
  join(out, 'package.json'),
  JSON.stringify({ name: 'jupyterhub-notebook-gallery-server', version: server.version, private: true }, null, 2) + '\n'
);
console.log(`staged the server ${server.version} and ${copied} dependencies in ${out}`);
