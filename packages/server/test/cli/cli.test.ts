import * as fs from 'node:fs';
import { ANONYMOUS } from '../../src/auth/permissions';
import { openGallery, sqliteDatabase } from '../../src/compositionRoot';
import { buildServer, runCli, startServer } from '../helpers/cliProcess';
import { fsck, git, repositoryIds } from '../helpers/git';
import { makeDataDir } from '../helpers/testGallery';

let dataDir: string;

beforeAll(() => {
  buildServer();
}, 120_000);

beforeEach(() => {
  dataDir = makeDataDir();
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('notebook-gallery user add', () => {
  it('adds a user with the password from stdin, and refuses a second user of the same name', () => {
    const added = runCli(['user', 'add', 'ann', '--data-dir', dataDir], { input: 's3cret\n' });
    expect(added).toMatchObject({ status: 0, stdout: 'Added user ann\n' });

    const again = runCli(['user', 'add', 'ann', '--password', 'other', '--data-dir', dataDir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('User "ann" already exists');
  });

  it('adds admins with --admin and reads GALLERY_DATA_DIR', () => {
    const added = runCli(['user', 'add', 'root', '--admin', '--password', 'pw'], {
      env: { GALLERY_DATA_DIR: dataDir }
    });
    expect(added).toMatchObject({ status: 0, stdout: 'Added admin root\n' });
  });

  it('refuses an empty password and a bad name with a clear message', () => {
    const empty = runCli(['user', 'add', 'ann', '--data-dir', dataDir], { input: '\n' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('password must not be empty');
    const badName = runCli(['user', 'add', '../ann', '--password', 'x', '--data-dir', dataDir]);
    expect(badName.status).toBe(1);
    expect(badName.stderr).toContain('username "../ann" must be');
  });

  it('explains usage mistakes', () => {
    const missing = runCli(['user', 'add', '--data-dir', dataDir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('expected: notebook-gallery user add NAME');
    const unknownFlag = runCli(['user', 'add', 'ann', '--colour', 'red']);
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toContain("Unknown option '--colour'");
  });
});

describe('notebook-gallery user disable and enable', () => {
  it('disables and enables an account, audited, and names an unknown user', async () => {
    runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir]);
    expect(runCli(['user', 'disable', 'ann', '--data-dir', dataDir])).toMatchObject({
      status: 0,
      stdout: 'Disabled user ann\n'
    });
    const context = await openGallery({ dataDir, fsync: false });
    try {
      expect(await context.accounts.find('ann')).toBeUndefined();
      expect(sqliteDatabase(context).prepare('SELECT actor, action, target FROM audit_log').all()).toEqual([
        { actor: '(command line)', action: 'user.disable', target: 'user:ann' }
      ]);
    } finally {
      await context.close();
    }
    expect(runCli(['user', 'enable', 'ann', '--data-dir', dataDir])).toMatchObject({
      status: 0,
      stdout: 'Enabled user ann\n'
    });
    const again = await openGallery({ dataDir, fsync: false });
    try {
      expect(await again.accounts.find('ann')).toEqual({ username: 'ann', isAdmin: false });
    } finally {
      await again.close();
    }
    const unknown = runCli(['user', 'disable', 'bob', '--data-dir', dataDir]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No user "bob"');
    const misuse = runCli(['user', 'disable', 'ann', '--admin', '--data-dir', dataDir]);
    expect(misuse.status).toBe(2);
    expect(misuse.stderr).toContain('--admin goes with "user add", not "user disable"');
  });

  it('sets a password without the old one, for an account an import made without one', async () => {
    const context = await openGallery({ dataDir, fsync: false });
    try {
      // As an import or a single sign-on login makes it: no password, so no password login.
      await context.accounts.externalUser('imported');
      await expect(context.accounts.verify('imported', 'new-pw')).rejects.toThrow();
    } finally {
      await context.close();
    }
    expect(runCli(['user', 'password', 'imported', '--data-dir', dataDir], { input: 'new-pw\n' })).toMatchObject({
      status: 0,
      stdout: 'Set the password of imported; their other sessions are signed out\n'
    });
    const again = await openGallery({ dataDir, fsync: false });
    try {
      await expect(again.accounts.verify('imported', 'new-pw')).resolves.toMatchObject({ username: 'imported' });
      await expect(again.accounts.verify('imported', 'other')).rejects.toThrow();
    } finally {
      await again.close();
    }
    const unknown = runCli(['user', 'password', 'nobody', '--password', 'x', '--data-dir', dataDir]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No user "nobody"');
    const empty = runCli(['user', 'password', 'imported', '--data-dir', dataDir], { input: '\n' });
    expect(empty.status).not.toBe(0);
    expect(empty.stderr).toContain('must not be empty');
  });
});

describe('notebook-gallery seed', () => {
  it('adds the example notebooks once, as valid stripped commits', async () => {
    runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir]);
    const first = runCli(['seed', '--owner', 'ann', '--data-dir', dataDir]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('added   Welcome to the Notebook Gallery');
    const ids = repositoryIds(dataDir);
    expect(ids).toHaveLength(5);

    const second = runCli(['seed', '--owner', 'ann', '--data-dir', dataDir]);
    expect(second.status).toBe(0);
    expect(second.stdout).not.toContain('added');
    expect(repositoryIds(dataDir)).toEqual(ids);

    for (const id of ids) {
      const repo = `${dataDir}/repos/${id.slice(0, 2)}/${id}.git`;
      expect(fsck(repo).status).toBe(0);
      expect(git(repo, 'log', '--format=%an', 'main')).toBe('ann');
    }
    const gallery = await openGallery({ dataDir, fsync: false });
    try {
      const found = await gallery.notebooks.list(ANONYMOUS, { q: 'read_csv', limit: 10 });
      expect(found.items.map(item => item.title)).toEqual(['Loading a CSV with pandas']);
    } finally {
      await gallery.close();
    }
  });

  it('needs an existing owner', () => {
    const result = runCli(['seed', '--owner', 'ghost', '--data-dir', dataDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No user "ghost"');
  });
});

describe('notebook-gallery serve', () => {
  it('prints where it listens, answers, and stops cleanly on SIGTERM', async () => {
    const server = await startServer(dataDir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(await server.kill('SIGTERM')).toBe(0);
    // A warning here would land in the hub's log at every start (Fastify's deprecations, Node's own).
    expect(server.output()).not.toMatch(/deprecat|warning/i);
  });

  it('fails fast on a bad option', () => {
    const result = runCli(['serve', '--port', 'eighty', '--data-dir', dataDir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535, got "eighty"');
  });
});

describe('server.pid', () => {
  it('names the running server, so restore refuses, and goes when the server stops', async () => {
    const server = await startServer(dataDir);
    try {
      expect(fs.readFileSync(`${dataDir}/server.pid`, 'utf8')).toBe(`${server.child.pid}\n`);
      const restore = runCli(['restore', dataDir, '--data-dir', dataDir]);
      expect(restore.status).toBe(1);
      expect(restore.stderr).toContain(`a gallery server (process ${server.child.pid}) is running on ${dataDir}`);
    } finally {
      expect(await server.kill('SIGTERM')).toBe(0);
    }
    expect(fs.existsSync(`${dataDir}/server.pid`)).toBe(false);
  });
});

describe('--help', () => {
  it.each([
    [[]],
    [['--help']],
    [['serve', '--help']],
    [['user', '--help']],
    [['seed', '--help']],
    [['backup', '--help']],
    [['restore', '--help']],
    [['rebuild-index', '--help']]
  ])('explains %p', args => {
    const result = runCli(args);
    expect(result.stdout).toMatch(/^Usage: notebook-gallery/);
    expect(result.status).toBe(args.length === 0 ? 2 : 0);
  });

  it('lists every option with its environment variable', () => {
    const { stdout } = runCli(['serve', '--help']);
    for (const env of [
      'GALLERY_DATA_DIR',
      'GALLERY_HOST',
      'GALLERY_PORT',
      'GALLERY_CORS_ORIGINS',
      'GALLERY_BODY_LIMIT'
    ]) {
      expect(stdout).toContain(env);
    }
  });
});
