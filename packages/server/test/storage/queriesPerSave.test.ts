import { sqliteDatabase } from '../../src/compositionRoot';
import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * One save reads the notebook's record once. Before the notebook service, a revision save read it three times (the
 * route, the store's conflict check, the reply) in 15 notebook statements; now it takes 9 (the ninth reads the
 * record's stars and usage counts with its tags and shares), plus 4 for reproducibility metadata and health:
 * recording the revision's environment, looking for health reports to recompute, and the reply's environment and
 * health (one query each); and 1 that reads the head again inside the transaction that records the revision, so that
 * two saves on one base (two replicas, each with its own lock) are never both recorded; and 1 that queues the notebook
 * for its embedding. The top-k engine's upkeep is counted apart.
 */

let gallery: ITestGallery;

beforeEach(async () => {
  gallery = await startTestGallery();
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

/** Records the SQL of every statement the app's connection runs. */
function recordStatements(): string[] {
  const db = sqliteDatabase(gallery.app.gallery);
  const prepare = db.prepare.bind(db);
  const seen: string[] = [];
  // The connection hands back the same statement for the same SQL: wrap each statement once.
  const recorded = new WeakSet<object>();
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    if (recorded.has(statement)) {
      return statement;
    }
    recorded.add(statement);
    for (const method of ['run', 'get', 'all'] as const) {
      const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        seen.push(source.replace(/\s+/g, ' ').trim());
        return original(...args);
      };
    }
    return statement;
  }) as typeof db.prepare;
  return seen;
}

it('a revision save reads the record once, in sixteen notebook statements, and changes one word of the ranking', async () => {
  const token = await gallery.login('ann');
  const first = (
    await gallery.request(token, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('v1'), title: 'Counted' }
    })
  ).json();
  const statements = recordStatements();
  const response = await gallery.request(token, {
    method: 'PUT',
    url: `/api/notebooks/${first.id}`,
    payload: { notebook: sampleNotebook('v2'), baseRevision: first.revision }
  });
  expect(response.statusCode).toBe(200);
  // The top-k engine's tables follow the search index in the same transaction, reading back the row FTS5 was given
  // (repositories/sqlite/sqliteTopKIndex.ts); counted apart. The edit changed one word (v1 to v2): its upkeep is a
  // diff, one posting written and one deleted, not a rewrite of the notebook's postings.
  const ranking = statements.filter(
    sql => /\btopk_\w+/.test(sql) || sql.startsWith('SELECT title, description, tags, owner, language')
  );
  expect(ranking.filter(sql => sql.startsWith('INSERT INTO topk_postings'))).toHaveLength(1);
  expect(ranking.filter(sql => sql.startsWith('DELETE FROM topk_postings'))).toHaveLength(1);
  const notebookSide = statements.filter(
    sql => !/\b(users|group_members|api_tokens)\b/.test(sql) && !ranking.includes(sql)
  );
  expect(notebookSide.filter(sql => sql.startsWith('SELECT * FROM notebooks WHERE id'))).toHaveLength(1);
  expect(notebookSide.filter(sql => sql === 'SELECT head_sha FROM notebooks WHERE id = ?')).toHaveLength(1);
  // The fifteenth finds who follows the notebook (starred or copied it), whose inboxes hear of the new revision; the
  // sixteenth queues the notebook for its embedding, which is computed after the save (search/embedding).
  expect(notebookSide.filter(sql => sql.startsWith('INSERT INTO embedding_queue'))).toHaveLength(1);
  expect(notebookSide).toHaveLength(16);
});
