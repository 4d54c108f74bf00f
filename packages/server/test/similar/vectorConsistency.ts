import type { GalleryDatabase } from '../../src/db/database';

/**
 * Checks the similarity tables against a recount: each term's document count equals the vectors holding it, no term
 * is kept that none holds, every notebook (and nothing else) has a vector of at most 64 terms, and each vector's
 * impacts have unit length.
 */
export function expectConsistentVectors(db: GalleryDatabase): void {
  expect(
    db
      .prepare(
        `SELECT s.kind, s.term, s.documents, (SELECT count(*) FROM notebook_terms t WHERE t.term_id = s.id) AS recount
         FROM similarity_terms s WHERE s.documents <> recount`
      )
      .all()
  ).toEqual([]);
  const seqs = (sql: string) => (db.prepare(sql).all() as { seq: number }[]).map(row => row.seq);
  expect(seqs('SELECT notebook_seq AS seq FROM similarity_vectors ORDER BY 1')).toEqual(
    seqs('SELECT seq FROM notebooks ORDER BY 1')
  );
  expect(
    db
      .prepare(
        `SELECT notebook_seq, count(*) AS terms, sum(impact * impact) AS length FROM notebook_terms
         GROUP BY notebook_seq HAVING terms > 64 OR abs(length - 1) > 1e-9
           OR notebook_seq NOT IN (SELECT notebook_seq FROM similarity_vectors)`
      )
      .all()
  ).toEqual([]);
}
