import type { IRevisionEnvironment } from '../../src/repositories/environmentRepository';
import type { IHealthAggregate, IHealthReportRow } from '../../src/repositories/healthRepository';
import type { IAppliedRevision } from '../../src/repositories/importRepository';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { BACKENDS } from '../helpers/repositoryBackends';
import { addRevision, addUsers, newNotebook, openNotebookBackend, type INotebookBackend } from './notebookBackends';

const FINGERPRINT = (char: string): string => char.repeat(64);

function environment(language: string, codeHash: string, packages: string[] = ['numpy']): IRevisionEnvironment {
  return {
    environment: { kernelName: `${language}3`, language, languageVersion: '3.12', packages },
    codeHash
  };
}

/*
 * The repositories of what hangs off a notebook, on both backends with the same assertions: the save journal, the
 * secret allowlist, import records, revision environments and health.
 */
describe.each(BACKENDS)('%s', backend => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend(backend);
    await addUsers(b, 'ann', 'bob', 'cat');
    await b.notebooks.insert(newNotebook('nb', 'ann'));
    await b.notebooks.insert(newNotebook('other', 'ann'));
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  describe('save journal', () => {
    it('numbers entries in order, keeps what is pending oldest first, and forgets cleared ones', async () => {
      expect(await b.journal.pending()).toEqual([]);
      const first = await b.journal.begin('nb', 'update', '2026-03-01T00:00:00.000Z', 'sha-before');
      const second = await b.journal.begin('new', 'create', '2026-03-01T00:00:01.000Z');
      const third = await b.journal.begin('other', 'delete', '2026-03-01T00:00:02.000Z');
      expect(second).toBeGreaterThan(first);
      expect(third).toBeGreaterThan(second);
      await b.journal.setSha(second, 'sha-created');
      expect(await b.sql('SELECT sha FROM save_journal WHERE seq = ?', second)).toEqual([{ sha: 'sha-created' }]);
      await b.journal.clear(first);
      await b.journal.clear(12345);
      expect(await b.journal.pending()).toEqual([
        { seq: second, notebookId: 'new', kind: 'create' },
        { seq: third, notebookId: 'other', kind: 'delete' }
      ]);
    });

    it('keeps entries of a notebook that is gone, for the repair to finish or undo', async () => {
      const seq = await b.journal.begin('other', 'delete', '2026-03-01T00:00:00.000Z');
      await b.notebooks.remove('other');
      expect(await b.journal.pending()).toEqual([{ seq, notebookId: 'other', kind: 'delete' }]);
    });
  });

  describe('secret allowlist', () => {
    it('keeps the first confirmation of each fingerprint and goes with its notebook', async () => {
      expect(await b.allowlist.forNotebook('nb')).toEqual(new Set());
      await b.allowlist.add('nb', [FINGERPRINT('a'), FINGERPRINT('b')], 'ann', '2026-03-01T00:00:00.000Z');
      await b.allowlist.add('nb', [FINGERPRINT('b'), FINGERPRINT('c'), FINGERPRINT('c')], 'bob', '2026-03-02');
      await b.allowlist.add('nb', [], 'bob', '2026-03-03');
      await b.allowlist.add('other', [FINGERPRINT('d')], 'bob', '2026-03-02');
      expect(await b.allowlist.forNotebook('nb')).toEqual(
        new Set([FINGERPRINT('a'), FINGERPRINT('b'), FINGERPRINT('c')])
      );
      expect(
        await b.sql('SELECT confirmed_by, confirmed_at FROM secret_allowlist WHERE fingerprint = ?', FINGERPRINT('b'))
      ).toEqual([{ confirmed_by: 'ann', confirmed_at: '2026-03-01T00:00:00.000Z' }]);
      await b.notebooks.remove('nb');
      expect(await b.allowlist.forNotebook('nb')).toEqual(new Set());
      expect(await b.allowlist.forNotebook('other')).toEqual(new Set([FINGERPRINT('d')]));
    });

    it('refuses a value that is not a fingerprint, storing none of the batch', async () => {
      await expect(b.allowlist.add('nb', [FINGERPRINT('a'), 'short'], 'ann', '2026-03-01')).rejects.toMatchObject({
        message: expect.any(String)
      });
      expect(await b.allowlist.forNotebook('nb')).toEqual(new Set());
    });

    it('keeps one confirmation when two replicas confirm the same fingerprints at once', async () => {
      const replica = b.replica();
      const batch = ['a', 'b', 'c', 'd'].map(FINGERPRINT);
      await Promise.all([
        b.allowlist.add('nb', batch, 'ann', '2026-03-01'),
        replica.allowlist.add('nb', [...batch].reverse(), 'bob', '2026-03-01')
      ]);
      expect((await b.allowlist.forNotebook('nb')).size).toBe(4);
    });
  });

  describe('import records', () => {
    const applied = (revisionKey: string, notebookId = 'nb'): IAppliedRevision => ({
      origin: 'jupyterhub-share',
      sourceKey: 'folder/a.ipynb',
      revisionKey,
      notebookId,
      revision: `sha-${revisionKey}`,
      importedAt: '2026-03-01T00:00:00.000Z'
    });

    it('maps a source key to its notebook on the first revision and remembers each applied revision', async () => {
      expect(await b.imports.findNotebook('jupyterhub-share', 'folder/a.ipynb')).toBeUndefined();
      await b.imports.recordApplied(applied('r1'));
      await b.imports.recordApplied(applied('r2', 'other'));
      expect(await b.imports.findNotebook('jupyterhub-share', 'folder/a.ipynb')).toBe('nb');
      expect(await b.imports.findNotebook('elsewhere', 'folder/a.ipynb')).toBeUndefined();
      expect(await b.imports.isApplied('jupyterhub-share', 'folder/a.ipynb', 'r1')).toBe(true);
      expect(await b.imports.isApplied('jupyterhub-share', 'folder/a.ipynb', 'r2')).toBe(true);
      expect(await b.imports.isApplied('jupyterhub-share', 'folder/a.ipynb', 'r3')).toBe(false);
      expect(await b.imports.isApplied('jupyterhub-share', 'folder/b.ipynb', 'r1')).toBe(false);
    });

    it('refuses to record the same revision twice', async () => {
      await b.imports.recordApplied(applied('r1'));
      await expect(b.imports.recordApplied(applied('r1'))).rejects.toMatchObject({ message: expect.any(String) });
      expect(await b.imports.isApplied('jupyterhub-share', 'folder/a.ipynb', 'r1')).toBe(true);
    });

    it('forgets an item when its notebook is deleted, so the next run imports it afresh', async () => {
      await b.imports.recordApplied(applied('r1'));
      await b.notebooks.remove('nb');
      expect(await b.imports.findNotebook('jupyterhub-share', 'folder/a.ipynb')).toBeUndefined();
      expect(await b.imports.isApplied('jupyterhub-share', 'folder/a.ipynb', 'r1')).toBe(false);
    });
  });

  describe('revision environments', () => {
    it('records and replaces a revision’s environment, by notebook and for heads', async () => {
      const second = await addRevision(b, 'nb', 2);
      await b.environments.put('nb', 'sha-nb-1', environment('python', 'h1'));
      await b.environments.put('nb', second, environment('julia', 'h2'));
      await b.environments.put('nb', second, environment('python', 'h2', ['pandas', 'numpy']));
      await b.environments.put('other', 'sha-other-1', environment('r', 'h3', []));
      expect(await b.environments.forNotebook('nb')).toEqual(
        new Map([
          ['sha-nb-1', { kernelName: 'python3', language: 'python', languageVersion: '3.12', packages: ['numpy'] }],
          [
            second,
            { kernelName: 'python3', language: 'python', languageVersion: '3.12', packages: ['pandas', 'numpy'] }
          ]
        ])
      );
      expect(await b.environments.forNotebook('missing')).toEqual(new Map());
      const heads = await b.environments.forHeads(['nb', 'other', 'missing']);
      expect([...heads.keys()].sort()).toEqual(['nb', 'other']);
      expect(heads.get('nb')?.packages).toEqual(['pandas', 'numpy']);
      expect(heads.get('other')?.language).toBe('r');
      expect(await b.environments.forHeads([])).toEqual(new Map());
    });

    it('lists queued revisions heads first, then by notebook and SHA in byte order, a deleted notebook’s last', async () => {
      await addRevision(b, 'nb', 2);
      await b.notebooks.insert(newNotebook('Zeta', 'ann'));
      const queue: [string, string][] = [
        ['nb', 'sha-nb-1'],
        ['gone', 'sha-gone-1'],
        ['nb', 'sha-nb-2'],
        ['other', 'sha-other-1'],
        ['Zeta', 'sha-Zeta-1'],
        ['Zeta', 'older-B'],
        ['Zeta', 'older-a']
      ];
      for (const [notebookId, sha] of queue) {
        await b.sql('INSERT INTO environment_backfill_queue (notebook_id, sha) VALUES (?, ?)', notebookId, sha);
      }
      const pending = (await b.environments.pending()).map(item => `${item.notebookId}@${item.sha}`);
      expect(pending).toEqual([
        'Zeta@sha-Zeta-1',
        'nb@sha-nb-2',
        'other@sha-other-1',
        'Zeta@older-B',
        'Zeta@older-a',
        'nb@sha-nb-1',
        'gone@sha-gone-1'
      ]);
      await b.environments.clearPending({ notebookId: 'nb', sha: 'sha-nb-2' });
      await b.environments.clearPending({ notebookId: 'gone', sha: 'sha-gone-1' });
      expect((await b.environments.pending()).length).toBe(5);
    });
  });

  describe('health', () => {
    const report = (revision: string, reporter: string, ok: number, failed = 0): IHealthReportRow => ({
      revision,
      reporter,
      codeCells: 4,
      ok,
      failed,
      reached: ok,
      reportedAt: `2026-03-0${ok}T00:00:00.000Z`
    });

    it('keeps one report per reporter and revision, as evidence about the latest revision', async () => {
      expect(await b.health.evidence('nb')).toBeUndefined();
      const second = await addRevision(b, 'nb', 2);
      const third = await addRevision(b, 'nb', 3);
      await b.environments.put('nb', 'sha-nb-1', environment('python', 'old-code'));
      await b.environments.put('nb', second, environment('python', 'same-code'));
      await b.environments.put('nb', third, environment('python', 'same-code'));
      await b.health.putReport('nb', report('sha-nb-1', 'bob', 1));
      await b.health.putReport('nb', report(second, 'bob', 2));
      await b.health.putReport('nb', report(second, 'bob', 3, 1));
      await b.health.putReport('nb', report(third, 'cat', 4));
      await b.health.putReport('other', report('sha-other-1', 'cat', 4));
      const evidence = await b.health.evidence('nb');
      expect(evidence?.headNumber).toBe(3);
      const byKey = (evidence?.reports ?? [])
        .map(({ reporter, revisionNumber, sameCodeAsHead, ok, failed, reached, codeCells, reportedAt }) => ({
          reporter,
          revisionNumber,
          sameCodeAsHead,
          ok,
          failed,
          reached,
          codeCells,
          reportedAt
        }))
        .sort((x, y) => x.revisionNumber - y.revisionNumber);
      expect(byKey).toEqual([
        {
          reporter: 'bob',
          revisionNumber: 1,
          sameCodeAsHead: false,
          ok: 1,
          failed: 0,
          reached: 1,
          codeCells: 4,
          reportedAt: '2026-03-01T00:00:00.000Z'
        },
        {
          reporter: 'bob',
          revisionNumber: 2,
          sameCodeAsHead: true,
          ok: 3,
          failed: 1,
          reached: 3,
          codeCells: 4,
          reportedAt: '2026-03-03T00:00:00.000Z'
        },
        {
          reporter: 'cat',
          revisionNumber: 3,
          sameCodeAsHead: true,
          ok: 4,
          failed: 0,
          reached: 4,
          codeCells: 4,
          reportedAt: '2026-03-04T00:00:00.000Z'
        }
      ]);
    });

    it('treats a revision without a recorded environment as different code unless it is the head', async () => {
      await b.health.putReport('nb', report('sha-nb-1', 'bob', 2));
      expect((await b.health.evidence('nb'))?.reports[0].sameCodeAsHead).toBe(true);
      await addRevision(b, 'nb', 2);
      expect((await b.health.evidence('nb'))?.reports[0].sameCodeAsHead).toBe(false);
    });

    it('stores aggregates and their runs and score where the listing sorts by them', async () => {
      const aggregate: IHealthAggregate = {
        score: 0.75,
        evidence: 1.5,
        runs: 3,
        lastRunAt: '2026-03-02T00:00:00.000Z',
        lastSuccessAt: null
      };
      await b.health.putAggregate('nb', aggregate);
      await b.health.putAggregate('other', { ...aggregate, score: null, runs: 1 });
      await b.health.putAggregate('other', { ...aggregate, score: 0.25, runs: 2, lastSuccessAt: '2026-03-03' });
      const aggregates = await b.health.aggregates(['nb', 'other', 'missing']);
      expect(aggregates).toEqual(
        new Map([
          ['nb', aggregate],
          ['other', { ...aggregate, score: 0.25, runs: 2, lastSuccessAt: '2026-03-03' }]
        ])
      );
      expect(await b.health.aggregates([])).toEqual(new Map());
      expect((await b.notebooks.find('nb'))?.signals).toMatchObject({ runs: 3, healthScore: 0.75 });
      expect((await b.notebooks.find('other'))?.signals).toMatchObject({ runs: 2, healthScore: 0.25 });
    });
  });
});
