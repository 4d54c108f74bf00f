import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAKE_CREDENTIALS } from '../../../core/test/secrets/fakeCredentials';
import { FolderSource } from '../../src/transfer/folderSource';
import { sampleNotebook } from '../helpers/fixtures';
import { addUsers, galleryState, importInto } from '../helpers/importFixtures';
import { dropTestDatabaseOf, makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

const LIMIT = 50 * 1024 * 1024;
let dataDir: string;
let folder: string;

beforeEach(async () => {
  dataDir = makeDataDir();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'import-folder-'));
  await addUsers(dataDir, 'ann');
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await dropTestDatabaseOf(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(folder, { recursive: true, force: true });
});

function write(relative: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
  fs.writeFileSync(path.join(folder, relative), content);
}

describe('import from a folder', () => {
  it('imports each notebook stripped, titled by its first heading or file name, tagged by its folders', async () => {
    write('physics/waves/Fourier.ipynb', JSON.stringify(sampleNotebook('# Fourier series\nSome text')));
    write('plain_name.ipynb', JSON.stringify(sampleNotebook('No heading here')));
    write('physics/.ipynb_checkpoints/Fourier-checkpoint.ipynb', JSON.stringify(sampleNotebook('# Autosave')));

    const report = await importInto(dataDir, new FolderSource(folder, LIMIT));

    expect(report.items.map(item => [item.path, item.applied, item.error])).toEqual([
      ['physics/waves/Fourier.ipynb', 1, null],
      ['plain_name.ipynb', 1, null]
    ]);
    const state = await galleryState(dataDir);
    expect(state.map(notebook => [notebook.title, notebook.tags, notebook.owner, notebook.visibility])).toEqual([
      ['Fourier series', ['physics', 'waves'], 'ann', 'private'],
      ['plain_name', [], 'ann', 'private']
    ]);
    for (const notebook of state) {
      const cells = (notebook.revisions[0].content as { cells: { outputs?: unknown[]; execution_count?: unknown }[] })
        .cells;
      expect(cells[1]).toMatchObject({ outputs: [], execution_count: null });
    }
  });

  it('reports each broken file with its path and reason, and imports the rest', async () => {
    write('good.ipynb', JSON.stringify(sampleNotebook('# Good')));
    write('not-json.ipynb', '{ "cells": [');
    write('empty.ipynb', '');
    write('old.ipynb', JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }));
    // Sparse: 60 MB on paper, refused by its size before it is read.
    fs.writeFileSync(path.join(folder, 'huge.ipynb'), '');
    fs.truncateSync(path.join(folder, 'huge.ipynb'), 60 * 1024 * 1024);
    fs.symlinkSync('.', path.join(folder, 'loop'));
    fs.symlinkSync('missing.ipynb', path.join(folder, 'dangling.ipynb'));

    const report = await importInto(dataDir, new FolderSource(folder, LIMIT));

    const failures = Object.fromEntries(
      report.items.filter(item => item.error !== null).map(item => [item.path, item.error])
    );
    expect(failures).toEqual({
      'dangling.ipynb': 'a broken symlink',
      'empty.ipynb': 'empty file',
      'huge.ipynb': "60.0 MiB, over the server's 50.0 MiB limit for a notebook",
      loop: 'a symlink loop (this folder is already being read)',
      'not-json.ipynb': expect.stringMatching(/^not JSON \(/),
      'old.ipynb': expect.stringContaining('nbformat 3 is not supported')
    });
    expect((await galleryState(dataDir)).map(notebook => notebook.title)).toEqual(['Good']);
  });

  it('adds nothing when run again, and a revision for a file that changed', async () => {
    write('a.ipynb', JSON.stringify(sampleNotebook('# A')));
    write('b.ipynb', JSON.stringify(sampleNotebook('# B')));
    await importInto(dataDir, new FolderSource(folder, LIMIT));
    const first = await galleryState(dataDir);

    const again = await importInto(dataDir, new FolderSource(folder, LIMIT));
    expect(again.items.map(item => [item.applied, item.skipped])).toEqual([
      [0, 1],
      [0, 1]
    ]);
    expect(await galleryState(dataDir)).toEqual(first);

    write('b.ipynb', JSON.stringify(sampleNotebook('# B', 'print(2)')));
    const changed = await importInto(dataDir, new FolderSource(folder, LIMIT));
    expect(changed.items.map(item => [item.path, item.applied, item.skipped])).toEqual([
      ['a.ipynb', 0, 1],
      ['b.ipynb', 1, 0]
    ]);
    const state = await galleryState(dataDir);
    expect(state.map(notebook => notebook.revisions.length)).toEqual([1, 2]);
  });

  it('refuses a notebook holding a secret with each finding masked and its fingerprint, until the admin confirms it', async () => {
    const key = FAKE_CREDENTIALS.find(credential => credential.rule === 'aws-access-key-id')!;
    write('clean.ipynb', JSON.stringify(sampleNotebook('# Clean')));
    write('leaky.ipynb', JSON.stringify(sampleNotebook('# Leaky', `import boto3\n${key.line}`)));

    const first = await importInto(dataDir, new FolderSource(folder, LIMIT));
    const leaky = first.items.find(item => item.path === 'leaky.ipynb')!;
    expect(first.items.find(item => item.path === 'clean.ipynb')).toMatchObject({ applied: 1, error: null });
    expect(leaky.applied).toBe(0);
    expect(leaky.error).toMatch(/looks like it holds a secret.*--confirm-secret FINGERPRINT/s);
    expect(leaky.error).toMatch(/cell 2, line 2: AWS access key ID \(AKIA.*\), fingerprint [0-9a-f]{64}/);
    // The report never carries the key itself, only its mask.
    expect(leaky.error).not.toContain(key.value);
    expect((await galleryState(dataDir)).map(notebook => notebook.title)).toEqual(['Clean']);

    const fingerprint = /fingerprint ([0-9a-f]{64})/.exec(leaky.error!)![1];
    const second = await importInto(dataDir, new FolderSource(folder, LIMIT), { confirmedSecrets: [fingerprint] });
    expect(second.items.find(item => item.path === 'leaky.ipynb')).toMatchObject({ applied: 1, error: null });
    expect(second.items.find(item => item.path === 'clean.ipynb')).toMatchObject({ applied: 0, skipped: 1 });
    expect((await galleryState(dataDir)).map(notebook => notebook.title).sort()).toEqual(['Clean', 'Leaky']);
  });
});
