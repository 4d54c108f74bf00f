import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildServer, CLI, runCli, startServer } from '../helpers/cliProcess';
import { sampleNotebook } from '../helpers/fixtures';
import { addUsers, galleryState, makeGitRepository } from '../helpers/importFixtures';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let dataDir: string;
let work: string;

beforeAll(() => {
  buildServer();
}, 120_000);

beforeEach(async () => {
  dataDir = makeDataDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
  await addUsers(dataDir, 'ann');
}, SETUP_TIMEOUT_MS);

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function folderOf(count: number): string {
  const folder = path.join(work, 'notebooks');
  fs.mkdirSync(folder, { recursive: true });
  for (let i = 1; i <= count; i++) {
    fs.writeFileSync(path.join(folder, `n${i}.ipynb`), JSON.stringify(sampleNotebook(`# Notebook ${i}`)));
  }
  return folder;
}

describe('notebook-gallery import', () => {
  it('prints a line per notebook and a summary when piped, and fails for a broken file', () => {
    const folder = folderOf(2);
    fs.writeFileSync(path.join(folder, 'broken.ipynb'), 'nope');

    const result = runCli(['import', folder, '--owner', 'ann', '--data-dir', dataDir]);

    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^failed {4}broken\.ipynb: not JSON/),
      expect.stringMatching(/^imported {2}n1\.ipynb → \S+: 1 revisions applied, 0 already there$/),
      expect.stringMatching(/^imported {2}n2\.ipynb → \S+: 1 revisions applied, 0 already there$/),
      'Imported 2 of 2 notebooks: 2 revisions applied, 0 already there; 1 failed (listed above).'
    ]);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('prints machine-readable results with --json', () => {
    const folder = folderOf(1);
    const first = runCli(['import', folder, '--owner', 'ann', '--data-dir', dataDir, '--json']);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.source).toEqual({ kind: 'folder', location: folder });
    expect(report.items).toEqual([
      { sourceKey: 'n1.ipynb', path: 'n1.ipynb', galleryId: expect.any(String), applied: 1, skipped: 0, error: null }
    ]);
    const again = JSON.parse(runCli(['import', folder, '--owner', 'ann', '--data-dir', dataDir, '--json']).stdout);
    expect(again.items).toEqual([{ ...report.items[0], applied: 0, skipped: 1 }]);
  });

  it('draws progress bars in a terminal', () => {
    const folder = folderOf(3);
    const command = [process.execPath, CLI, 'import', folder, '--owner', 'ann', '--data-dir', dataDir]
      .map(arg => `'${arg}'`)
      .join(' ');
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    // cli-progress redraws in place (cursor moves, throttled): the overall bar with its count and ETA, the current
    // notebook's revisions bar naming it, then, once the bars are cleared, the lines and the summary.
    expect(result.stdout).toContain('\u001b[1A');
    expect(result.stdout).toMatch(/notebooks \[[░█]+\] [0-3]\/3 ETA \d+s/);
    expect(result.stdout).toMatch(/revisions \[[░█]+\] [01]\/1 n[1-3]\.ipynb/);
    expect(result.stdout).toContain('Imported 3 of 3 notebooks: 3 revisions applied, 0 already there.');
  });

  it('refuses a data directory a live server is using, and says how to go on', () => {
    fs.writeFileSync(path.join(dataDir, 'server.pid'), `${process.pid}\n`);
    const result = runCli(['import', folderOf(1), '--owner', 'ann', '--data-dir', dataDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`a gallery server (process ${process.pid}) is running on ${dataDir}`);
    fs.rmSync(path.join(dataDir, 'server.pid'));
    expect(fs.readdirSync(path.join(dataDir)).includes('repos')).toBe(false);
  });

  it('imports into a running server as an admin, refuses a non-admin, and gives the same gallery as --data-dir', async () => {
    const folder = folderOf(2);
    const direct = makeDataDir();
    try {
      await addUsers(direct, 'ann');
      expect(runCli(['import', folder, '--owner', 'ann', '--data-dir', direct]).status).toBe(0);

      const live = makeDataDir();
      await addUsers(live, 'ann');
      const admin = runCli(['user', 'add', 'root', '--admin', '--password', 'pw', '--data-dir', live]);
      expect(admin.status).toBe(0);
      const server = await startServer(live);
      try {
        const importAs = async (username: string, password: string) =>
          runCli([
            'import',
            folder,
            '--owner',
            'ann',
            '--server',
            server.url,
            '--token',
            await login(server.url, username, password)
          ]);
        const refused = await importAs('ann', 'ann-password');
        expect(refused.status).toBe(1);
        expect(refused.stdout).toContain('n1.ipynb: Only admins may import notebooks (HTTP 403)');

        const imported = await importAs('root', 'pw');
        expect(imported.stdout).toContain('Imported 2 of 2 notebooks: 2 revisions applied');
        expect(imported.status).toBe(0);
      } finally {
        await server.kill('SIGTERM');
      }
      expect(await galleryState(live)).toEqual(await galleryState(direct));
      fs.rmSync(live, { recursive: true, force: true });
    } finally {
      fs.rmSync(direct, { recursive: true, force: true });
    }
  }, 120_000);

  it("waits out the server's import rate limit and goes on", async () => {
    const folder = folderOf(3);
    expect(runCli(['user', 'add', 'root', '--admin', '--password', 'pw', '--data-dir', dataDir]).status).toBe(0);
    const server = await startServer(dataDir, { args: ['--import-rate-limit', '2/2s'] });
    try {
      const token = await login(server.url, 'root', 'pw');
      const result = runCli(['import', folder, '--owner', 'ann', '--server', server.url, '--token', token]);
      expect(result.stdout).toContain('Imported 3 of 3 notebooks: 3 revisions applied, 0 already there.');
      expect(result.status).toBe(0);
    } finally {
      await server.kill('SIGTERM');
    }
  }, 120_000);

  it('ends, after a SIGKILL halfway and a second run, with the gallery one uninterrupted run makes', async () => {
    const repository = path.join(work, 'repo');
    const repo = await makeGitRepository(repository);
    const author = { name: 'Ann', email: 'ann@example.org' };
    for (let commit = 0; commit < 6; commit++) {
      const changes: Record<string, string> = {};
      for (let n = 0; n < 12; n++) {
        changes[`nb${String(n).padStart(2, '0')}.ipynb`] = JSON.stringify(
          sampleNotebook(`# Notebook ${n}`, `x = ${commit}`)
        );
      }
      await repo.commit(author, 1_600_000_000 + commit, `Commit ${commit}`, changes);
    }
    const args = ['import', repository, '--owner', 'ann'];

    const whole = makeDataDir();
    try {
      await addUsers(whole, 'ann');
      expect(runCli([...args, '--data-dir', whole]).status).toBe(0);
      const expected = await galleryState(whole);
      expect(expected.flatMap(n => n.revisions)).toHaveLength(72);

      // Killed once the first notebook is reported: its next notebook is somewhere in the middle of its revisions.
      const child = spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe']
      });
      const exited = new Promise(resolve => child.once('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>(resolve => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('imported')) {
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      expect(await exited).toBe('SIGKILL');
      const cut = await galleryState(dataDir);
      expect(cut.flatMap(n => n.revisions).length).toBeLessThan(72);

      const resumed = runCli([...args, '--data-dir', dataDir]);
      expect(resumed.status).toBe(0);
      expect(await galleryState(dataDir)).toEqual(expected);
    } finally {
      fs.rmSync(whole, { recursive: true, force: true });
    }
  }, 180_000);
});

/** An access token of `username`, from the running server's login route. */
async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password })
  });
  return ((await response.json()) as { token: string }).token;
}
