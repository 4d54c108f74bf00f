/**
 * What an admin runs first, in a fresh clone: the build the README gives (`npm run build`) and the block in
 * docs/jupyterhub.md that makes the wheel and the server's tarballs; then what `npm ci` and the documented
 * `npm install -g` would install, which must all run on the oldest Node that package.json's engines allows.
 * The clone is this checkout's working tree as git sees it (tracked and new files, nothing ignored): no .venv,
 * no dist/, no build output. Only node_modules is hard-linked from this checkout, so that npm ci's compile of
 * better-sqlite3 is not repeated; scripts/lib.sh's ensure_node_modules checks it with `npm ls` and keeps it.
 */
import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { dirname, join } from 'path';
import { ROOT, tempDir } from '../support/processes';

const HUB_DOC = join(ROOT, 'docs', 'jupyterhub.md');
const version = (manifest: string): string => JSON.parse(readFileSync(join(ROOT, manifest), 'utf8')).version;
const MARKER = '<!-- build -->';
/** A cold build: pip installs JupyterLab into the new .venv, then tsc and webpack run twice on 2 busy cores. */
const BUILD_TIMEOUT_MS = 20 * 60000;

/** The ```sh block right after the `<!-- build -->` marker in docs/jupyterhub.md. */
function documentedBuild(): string {
  const markdown = readFileSync(HUB_DOC, 'utf8');
  const at = markdown.indexOf(MARKER);
  const match = at < 0 ? null : /^\s*```sh\n([\s\S]*?)\n```/.exec(markdown.slice(at + MARKER.length));
  if (!match) {
    throw new Error(`${HUB_DOC}: the marker ${MARKER} must be followed by a \`\`\`sh block`);
  }
  return match[1];
}

/** This checkout as a fresh clone would have it, with its uncommitted changes, so the test checks the code at hand. */
function cloneWorkingTree(): string {
  const clone = join(tempDir('clone'), 'notebook-gallery');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString('utf8')
    .split('\0')
    .filter(file => file && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(clone, file));
    chmodSync(join(clone, file), statSync(join(ROOT, file)).mode);
  }
  for (const dir of ['', 'packages/core', 'packages/server', 'packages/labextension']) {
    if (existsSync(join(ROOT, dir, 'node_modules'))) {
      execFileSync('cp', ['-al', join(ROOT, dir, 'node_modules'), join(clone, dir, 'node_modules')]);
    }
  }
  // The build stamps: hard-linked, touching them in the clone would touch this checkout's too.
  rmSync(join(clone, 'node_modules', '.cache'), { recursive: true, force: true });
  return clone;
}

/** Run a shell command line in `cwd` as an admin would, failing with its output. */
function run(cwd: string, script: string): string {
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`\`${script}\` in ${cwd} failed (${result.status ?? result.signal}):\n${output}`);
  }
  return output;
}

describe('a fresh clone', () => {
  let clone: string;

  beforeAll(() => {
    clone = cloneWorkingTree();
  });

  afterAll(() => {
    rmSync(dirname(clone), { recursive: true, force: true });
  });

  it(
    'builds with `npm run build`, creating the .venv it needs',
    () => {
      expect(existsSync(join(clone, '.venv'))).toBe(false);
      run(clone, 'npm run build');
      expect(
        existsSync(join(clone, 'packages/labextension/jupyterlab_notebook_gallery/labextension/package.json'))
      ).toBe(true);
      expect(existsSync(join(clone, 'packages/server/lib/cli.js'))).toBe(true);
    },
    BUILD_TIMEOUT_MS
  );

  it(
    "makes the extension's and the server's wheels and the server tarballs in dist/ with the commands docs/jupyterhub.md gives",
    () => {
      run(clone, documentedBuild());
      expect(readdirSync(join(clone, 'dist')).sort()).toEqual([
        // Tagged for the platform its better-sqlite3 was compiled on (scripts/lib.sh's addon_wheel_tag).
        expect.stringMatching(
          new RegExp(
            `^jupyterhub_notebook_gallery-${version('packages/server/package.json')}-py3-none-manylinux_\\d+_\\d+_\\w+\\.whl$`
          )
        ),
        `jupyterlab_notebook_gallery-${version('packages/labextension/package.json')}-py3-none-any.whl`,
        `notebook-gallery-core-${version('packages/core/package.json')}.tgz`,
        `notebook-gallery-server-${version('packages/server/package.json')}.tgz`
      ]);
    },
    BUILD_TIMEOUT_MS
  );

  it(
    "installs with npm ci, and the server's tarballs with npm install -g, with no engine warning on the oldest Node allowed",
    () => {
      const engines = (manifest: string) => JSON.parse(readFileSync(join(clone, manifest), 'utf8')).engines;
      const range: string = engines('package.json').node;
      expect(range).toMatch(/^>=\d+$/);
      // What the admin installs globally asks for the same Node as the repository (and scripts/lib.sh's check).
      expect(engines('packages/server/package.json')).toEqual(engines('package.json'));
      // npm checks every package's engines against --node-version; --dry-run resolves without installing.
      const check = `--dry-run --ignore-scripts --no-audit --no-fund --node-version=${range.slice(2)}.0.0`;
      expect(run(clone, `npm ci ${check}`)).not.toMatch(/EBADENGINE/);
      // The global install resolves the server's dependencies afresh from the npm registry, as on the hub machine.
      const prefix = tempDir('global');
      mkdirSync(join(prefix, 'lib'));
      const tarballs = readdirSync(join(clone, 'dist'))
        .filter(name => name.endsWith('.tgz'))
        .map(name => `./dist/${name}`);
      expect(tarballs).toHaveLength(2);
      expect(run(clone, `npm install -g --prefix ${prefix} ${check} ${tarballs.join(' ')}`)).not.toMatch(/EBADENGINE/);
    },
    BUILD_TIMEOUT_MS
  );
});
