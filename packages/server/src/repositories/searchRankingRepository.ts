/**
 * The ranking tables of the top-k search engine (search/topKSearch.ts), beside the search index. The search index
 * keeps them current in the transaction of each of its writes; this interface is for what no single write does.
 */
export interface ISearchRanking {
  /**
   * Fills the tables for up to `limit` notebooks queued by the upgrade that added them, from what the search index
   * already holds (no git read); returns how many are still queued. Until none are, searches use FTS5's ranking.
   */
  fill(limit: number): Promise<number>;
  /**
   * Recomputes what the ranking froze at write time (the average notebook length BM25 normalises by) from the whole
   * index: `rebuild-index` calls it, since a gallery's notebooks may have grown or shrunk a lot since.
   */
  refresh(): Promise<void>;
}

/** A backend without the engine's tables yet (PostgreSQL until its twin, issue 18): nothing to fill or refresh. */
export const NO_SEARCH_RANKING: ISearchRanking = {
  fill: () => Promise.resolve(0),
  refresh: () => Promise.resolve()
};
