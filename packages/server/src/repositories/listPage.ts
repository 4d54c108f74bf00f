import type { NotebookSort } from '@notebook-gallery/core';
import { encodeCursor } from '../search/listCursor';
import { searchSnippet, type ISnippet, type ISnippetSources } from '../search/snippet';

/** What both backends' listing queries select of a row besides the notebook, for its page, cursor and snippet. */
export interface IListedRow {
  id: string;
  seq: number;
  /** The value of the sort's key, for the cursor. */
  sort_key: string | number;
  /** Which expression of a search matched the row: 1 for the synonyms alone; absent or null without a search. */
  arm?: 0 | 1 | null;
}

/**
 * The page of a listing query's rows, which reads `limit + 1` so that one more row means a next page, and the cursor
 * to that page (after the page's last row), or null.
 */
export function listPage<R extends IListedRow>(
  rows: readonly R[],
  limit: number,
  sort: NotebookSort
): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ sort, key: last.sort_key, id: last.id }) : null;
  return { page, nextCursor };
}

/**
 * A search page's snippets, by notebook id: each row gets the snippet of the expression it matched, the words
 * (`match`) or only their synonyms; a row without text to quote, or without a phrase in it, gets none.
 */
export function pageSnippets(
  page: readonly IListedRow[],
  sources: ReadonlyMap<number, ISnippetSources>,
  match: string,
  synonymMatch: string | null | undefined
): Map<string, ISnippet> {
  const snippets = new Map<string, ISnippet>();
  for (const row of page) {
    const expression = row.arm === 1 ? synonymMatch : match;
    const source = sources.get(row.seq);
    const snippet = expression && source ? searchSnippet(source, expression) : undefined;
    if (snippet !== undefined) {
      snippets.set(row.id, snippet);
    }
  }
  return snippets;
}
