import type { ICaller } from '../../auth/permissions';
import { InvalidRequestError } from '../../errors/InvalidRequestError';
import { parseSearchQuery } from '../../search/queryParser';
import type { IEmbeddingRepository } from '../embeddingRepository';
import type { IListPage, IListRequest, INotebookRepository } from '../notebookRepository';

/**
 * How many of the words' best matches are re-ranked with the query's meaning, and how many notebooks nearest in
 * meaning join them. Past the window, pages follow the words' ranking alone. The window's matches are listed with
 * their snippets, so it costs a search: 50 gave the same evaluation as 20 at twice the latency.
 */
export const HYBRID_WINDOW = 20;
export const VECTOR_CANDIDATES = 20;

/**
 * Reciprocal rank fusion: a notebook scores `1 / (K + rank)` in each ranking it is in, the meaning's ranking
 * weighted by {@link MEANING_WEIGHT}. Ranks, not scores, so neither BM25's scale nor the cosine's needs calibrating;
 * a weight below 1 keeps an exact title match first. Tuned on the evaluation's tuned-on queries.
 */
export const FUSION_K = 10;

/**
 * The least blended cosine at which a notebook counts as near in meaning. Below it, meaning adds nothing: a query
 * about nothing in the gallery still finds nothing, and unrelated notebooks do not trail every result list.
 * Tuned on the evaluation (no class lost) for the static model first; for all-MiniLM-L6-v2, 0.25 and 0.3 lost held-out
 * queries and a weight of 0.5 or 0.4 paraphrases, so both stay.
 */
export const MIN_MEANING_SCORE = 0.15;
export const MEANING_WEIGHT = 0.6;

/**
 * Meaning joins in from two words on. One word is a name, a term or the start of what is being typed, which words
 * answer well (the evaluation's word, prefix and typo classes) and fast; a notebook near in meaning to one word
 * would surprise whoever searched for it (the notebooks of an owner, say, followed by others).
 */
export const MIN_WORDS = 2;

/** Cursors of hybrid pages start with this, so they are told from the words' cursors. */
const CURSOR_PREFIX = 'h.';

type HybridCursor = { offset: number } | { words: string };

/**
 * One page of a search ranked by words and meaning together: the words' best {@link HYBRID_WINDOW} matches and the
 * {@link VECTOR_CANDIDATES} notebooks nearest in meaning that the caller may read (under the same filters), fused
 * by rank. It sits on top of the listing (it never changes how the words are matched or ranked) and answers like it
 * when there is no query vector (no model), the sort is not relevance, the query has fewer than {@link MIN_WORDS}
 * words, or it has phrases, exclusions or field filters (their meaning is exact, so only the words' matches may be
 * shown).
 */
export async function hybridList(
  parts: { notebooks: Pick<INotebookRepository, 'list' | 'findMany'>; embeddings: IEmbeddingRepository },
  caller: ICaller,
  request: IListRequest,
  query: Float32Array | null
): Promise<IListPage> {
  if (query === null || !Private.isPlainSearch(request)) {
    return parts.notebooks.list(caller, request);
  }
  const filter = { scope: request.scope, tag: request.tag, owner: request.owner, starred: request.starred };
  const cursor = request.cursor === undefined ? { offset: 0 } : Private.decode(request.cursor);
  const near = await parts.embeddings.nearest(caller, filter, query, VECTOR_CANDIDATES, MIN_MEANING_SCORE);
  if ('words' in cursor) {
    // Past the window: the words' ranking alone, without the near notebooks the window already showed.
    const shown = new Set(near.map(notebook => notebook.id));
    const page = await parts.notebooks.list(caller, { ...request, cursor: cursor.words });
    return {
      records: page.records.filter(record => !shown.has(record.id)),
      snippets: page.snippets,
      nextCursor: page.nextCursor === null ? null : Private.encode({ words: page.nextCursor })
    };
  }
  // A fixed window, whatever the page size, so every page size pages through the same order (a page larger than
  // the window ends at the window, with a cursor for the rest).
  const words = await parts.notebooks.list(caller, { ...request, cursor: undefined, limit: HYBRID_WINDOW });
  const fused = new Map<string, number>();
  words.records.forEach((record, rank) => fused.set(record.id, 1 / (FUSION_K + rank + 1)));
  near.forEach((notebook, rank) =>
    fused.set(notebook.id, (fused.get(notebook.id) ?? 0) + MEANING_WEIGHT / (FUSION_K + rank + 1))
  );
  const ranked = [...fused].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const pageIds = ranked.slice(cursor.offset, cursor.offset + request.limit);
  const byId = new Map(words.records.map(record => [record.id, record]));
  const missing = pageIds.filter(id => !byId.has(id));
  for (const record of await parts.notebooks.findMany(missing, caller.user?.username ?? null)) {
    byId.set(record.id, record);
  }
  const end = cursor.offset + request.limit;
  return {
    records: pageIds.flatMap(id => byId.get(id) ?? []),
    snippets: words.snippets,
    nextCursor:
      end < ranked.length
        ? Private.encode({ offset: end })
        : words.nextCursor === null
          ? null
          : Private.encode({ words: words.nextCursor })
  };
}

namespace Private {
  export function isPlainSearch(request: IListRequest): boolean {
    if (request.q === undefined || (request.sort !== undefined && request.sort !== 'relevance')) {
      return false;
    }
    const parsed = parseSearchQuery(request.q);
    return (
      parsed.terms.length >= MIN_WORDS &&
      parsed.phrases.length === 0 &&
      parsed.excluded.length === 0 &&
      parsed.tags.length === 0 &&
      parsed.owners.length === 0 &&
      parsed.languages.length === 0 &&
      parsed.packages.length === 0
    );
  }

  export function encode(cursor: HybridCursor): string {
    return CURSOR_PREFIX + Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
  }

  /** @throws {InvalidRequestError} for a cursor not issued by {@link hybridList}. */
  export function decode(cursor: string): HybridCursor {
    let decoded: unknown;
    try {
      decoded = cursor.startsWith(CURSOR_PREFIX)
        ? JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8'))
        : undefined;
    } catch {
      decoded = undefined;
    }
    if (typeof decoded === 'object' && decoded !== null) {
      const value = decoded as Record<string, unknown>;
      if (Number.isInteger(value.offset) && (value.offset as number) >= 0) {
        return { offset: value.offset as number };
      }
      if (typeof value.words === 'string') {
        return { words: value.words };
      }
    }
    throw new InvalidRequestError(
      'cursor is not valid for this query; pass back the nextCursor of the previous page with the same sort'
    );
  }
}
