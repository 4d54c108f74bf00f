import type { GalleryDatabase } from '../../src/db/database';
import { runSql } from '../helpers/backendSql';
import type { IBackendDatabase } from '../helpers/repositoryBackends';

/**
 * Checks the similarity tables against a recount, on either backend: each term's document count equals the vectors
 * holding it, no term is kept that none holds, every notebook (and nothing else) has a vector of at most 64 terms,
 * and each vector's impacts have unit length.
 */
export async function expectConsistentVectors(database: IBackendDatabase): Promise<void> {
  expect(
    await runSql(
      database,
      `SELECT kind, term, documents, recount FROM (
         SELECT s.kind, s.term, s.documents, (SELECT count(*) FROM notebook_terms t WHERE t.term_id = s.id) AS recount
         FROM similarity_terms s) counted
       WHERE documents <> recount`
    )
  ).toEqual([]);
  const seqs = async (sql: string) =>
    (await runSql<{ seq: number | string }>(database, sql)).map(row => Number(row.seq));
  expect(await seqs('SELECT notebook_seq AS seq FROM similarity_vectors ORDER BY 1')).toEqual(
    await seqs('SELECT seq FROM notebooks ORDER BY 1')
  );
  expect(
    await runSql(
      database,
      `SELECT notebook_seq, count(*) AS terms, sum(impact * impact) AS length FROM notebook_terms
       GROUP BY notebook_seq HAVING count(*) > 64 OR abs(sum(impact * impact) - 1) > 1e-9
         OR notebook_seq NOT IN (SELECT notebook_seq FROM similarity_vectors)`
    )
  ).toEqual([]);
}

/** A SQLite connection someone else closes, for {@link expectConsistentVectors}. */
export function onSqlite(sqlite: GalleryDatabase): IBackendDatabase {
  return { backend: 'sqlite', sqlite, close: async () => undefined };
}
