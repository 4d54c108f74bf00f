import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { BACKENDS } from '../helpers/repositoryBackends';
import { addRevision, addUsers, newNotebook, openNotebookBackend, type INotebookBackend } from './notebookBackends';

async function populate(b: INotebookBackend): Promise<void> {
  await addUsers(b, 'ann', 'bob');
  for (const id of ['nb1', 'nb2']) {
    await b.notebooks.insert(newNotebook(id, 'ann', { tags: ['t'] }));
    await addRevision(b, id, 2);
    await b.signals.setStar(id, 'bob', true, '2026-02-03T00:00:00.000Z');
  }
}

/*
 * IDatabaseCheck: both backends find nothing wrong with a database their repositories wrote. What each finds wrong
 * differs by design (SQLite checks its file's pages, PostgreSQL the gallery's invariants), so the damage cases are
 * PostgreSQL's own below.
 */
describe.each(BACKENDS)('database check on %s', backend => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend(backend);
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  it('finds nothing wrong with an empty database or one the repositories wrote', async () => {
    expect(await b.databaseCheck.quickCheck()).toEqual([]);
    await populate(b);
    await b.notebooks.forgetRevisions('nb1', [1]);
    await b.notebooks.remove('nb2');
    expect(await b.databaseCheck.quickCheck()).toEqual([]);
    expect(await b.databaseCheck.integrityCheck()).toEqual([]);
  });
});

describe('database check on postgres only', () => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend('postgres');
    await populate(b);
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  /** Runs `sql` with foreign keys and their cascades off, as a copy or restore that disabled them would. */
  async function withoutForeignKeys(...statements: string[]): Promise<void> {
    if (b.database.backend !== 'postgres') {
      throw new Error('postgres only');
    }
    const { pg } = b.database;
    await pg.transaction(async () => {
      await pg.execute('SET LOCAL session_replication_role = replica');
      for (const statement of statements) {
        await pg.execute(statement);
      }
    });
  }

  it('names rows left pointing at a notebook or user that is gone', async () => {
    await withoutForeignKeys("DELETE FROM notebooks WHERE id = 'nb2'", "DELETE FROM users WHERE username = 'bob'");
    // The quick check at start reads no table through: rows are only scanned by fsck's full check.
    expect(await b.databaseCheck.quickCheck()).toEqual([]);
    const problems = await b.databaseCheck.integrityCheck();
    expect(problems).toEqual([
      '1 row(s) of notebook_stars point at no row of notebooks (foreign key notebook_stars_notebook_id_fkey, ' +
        'e.g. notebook_id = nb2)',
      '2 row(s) of notebook_stars point at no row of users (foreign key notebook_stars_username_fkey, e.g. username = bob)',
      '1 row(s) of notebook_stats point at no row of notebooks (foreign key notebook_stats_notebook_id_fkey, ' +
        'e.g. notebook_id = nb2)',
      '1 row(s) of notebook_tags point at no row of notebooks (foreign key notebook_tags_notebook_id_fkey, ' +
        'e.g. notebook_id = nb2)',
      '2 row(s) of revisions point at no row of notebooks (foreign key revisions_notebook_id_fkey, e.g. notebook_id = nb2)'
    ]);
  });

  it('names a foreign key that is not enforced now, at every start', async () => {
    await b.sql('ALTER TABLE revisions DISABLE TRIGGER ALL');
    await b.sql('ALTER TABLE notebook_tags DROP CONSTRAINT notebook_tags_notebook_id_fkey');
    await b.sql(
      'ALTER TABLE notebook_tags ADD CONSTRAINT notebook_tags_notebook_id_fkey FOREIGN KEY (notebook_id) ' +
        'REFERENCES notebooks (id) ON DELETE CASCADE NOT VALID'
    );
    const expected = [
      'foreign key notebook_tags_notebook_id_fkey of notebook_tags was added NOT VALID: existing rows were never checked',
      'foreign key revisions_notebook_id_fkey of revisions is not enforced: its triggers are disabled'
    ];
    expect(await b.databaseCheck.quickCheck()).toEqual(expected);
    expect(await b.databaseCheck.integrityCheck()).toEqual(expected);
    await b.sql('ALTER TABLE revisions ENABLE TRIGGER ALL');
    await b.sql('ALTER TABLE notebook_tags VALIDATE CONSTRAINT notebook_tags_notebook_id_fkey');
    expect(await b.databaseCheck.quickCheck()).toEqual([]);
  });

  it('names a notebook without its stats row, or whose head is not its newest revision', async () => {
    await withoutForeignKeys("DELETE FROM notebook_stats WHERE notebook_id = 'nb1'");
    await b.sql("UPDATE notebooks SET head_sha = 'sha-nb2-1' WHERE id = 'nb2'");
    expect(await b.databaseCheck.quickCheck()).toEqual([
      'notebook nb1 has no notebook_stats row',
      'notebook nb2: head sha-nb2-1 (revision 2) is not its newest revision sha-nb2-2 (revision 2)'
    ]);
    await b.sql("UPDATE notebooks SET head_sha = 'sha-nb2-2', revision_count = 3 WHERE id = 'nb2'");
    await b.sql("DELETE FROM revisions WHERE notebook_id = 'nb1'");
    expect(await b.databaseCheck.quickCheck()).toEqual([
      'notebook nb1 has no notebook_stats row',
      'notebook nb1 has no revisions',
      'notebook nb2: head sha-nb2-2 (revision 3) is not its newest revision sha-nb2-2 (revision 2)'
    ]);
  });

  it('checks every index against its table with amcheck when an administrator installed it', async () => {
    await b.sql('CREATE EXTENSION amcheck');
    expect(await b.databaseCheck.integrityCheck()).toEqual([]);
    // Damage amcheck finds: rows written while an index was switched off, so the index lacks them.
    await b.sql('CREATE INDEX notebooks_by_title_check ON notebooks (title)');
    const ready = (flag: boolean) =>
      withoutForeignKeys(
        `UPDATE pg_index SET indisready = ${flag} WHERE indexrelid = 'notebooks_by_title_check'::regclass`
      );
    await ready(false);
    await b.notebooks.insert(newNotebook('unindexed', 'ann'));
    await ready(true);
    expect(await b.databaseCheck.quickCheck()).toEqual([]);
    expect(await b.databaseCheck.integrityCheck()).toEqual([
      expect.stringMatching(/^index notebooks_by_title_check: .*lacks matching index tuple/)
    ]);
  });
});
