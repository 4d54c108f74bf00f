import type { NotebookScope } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import { planSearch, type ISearchPlan, type ITermVocabulary } from '../../search/ftsQuery';
import { isEmptyQuery, parseSearchQuery } from '../../search/queryParser';
import { readableNotebooksSql, scopeSql } from './readableNotebooksSql';
import { matchingNotebooksSql, MATCHING_ROWIDS_SQL } from './sqliteSearchIndex';

/** The filters a listing and its facets share. */
export interface IListFilterRequest {
  q?: string;
  scope?: NotebookScope;
  tag?: string;
  owner?: string;
  /** Only notebooks the caller starred. */
  starred?: boolean;
}

/**
 * The rows a listing selects: `SELECT ... FROM ${source} n WHERE ${where.join(' AND ')}`, with `params` bound in that
 * order. The read rule is always one of the `where` terms.
 */
export interface IListFilter {
  source: string;
  where: string[];
  params: unknown[];
  /** The part of `params` that `where` binds (`params` starts with the source's). */
  whereParams: unknown[];
  /** The owners (user or group names) every result must have, from `owner` and `owner:` in `q`. */
  owners: string[];
  /** The search plan when `q` was given, else null; `match` is its expression, null when it has none. */
  plan: ISearchPlan | null;
  match: string | null;
}

/**
 * The one builder of a listing's FROM and WHERE, for the list and its facets: the search (when `q` holds words)
 * as the row source, and the read rule, scope, owner, tag, starred and excluded words as conditions. Null when `q`
 * holds nothing to search for, which matches no notebook.
 */
export function listFilterSql(
  caller: ICaller,
  request: IListFilterRequest,
  vocabulary: ITermVocabulary
): IListFilter | null {
  const query = request.q === undefined ? null : parseSearchQuery(request.q);
  if (query && isEmptyQuery(query)) {
    return null;
  }
  const plan = query ? planSearch(query, vocabulary) : null;
  const match = plan?.match ?? null;
  const params: unknown[] = [];
  let source: string;
  if (plan && match !== null) {
    const matching = matchingNotebooksSql({ ...plan, match });
    source = matching.sql;
    params.push(...matching.params);
  } else {
    source = '(SELECT *, NULL AS rank, NULL AS arm FROM notebooks)';
  }
  const sourceParams = params.length;
  const readable = readableNotebooksSql(caller);
  const where: string[] = [readable.sql];
  params.push(...readable.params);
  if (request.scope !== undefined) {
    const scope = scopeSql(caller, request.scope);
    where.push(scope.sql);
    params.push(...scope.params);
  }
  const owners = [...(request.owner === undefined ? [] : [request.owner]), ...(plan?.owners ?? [])];
  for (const owner of owners) {
    where.push("(CASE n.owner_kind WHEN 'group' THEN n.group_name ELSE n.owner END) = ?");
    params.push(owner);
  }
  const tags = [...(request.tag === undefined ? [] : [request.tag]), ...(plan?.tags ?? [])];
  for (const tag of tags) {
    where.push('EXISTS (SELECT 1 FROM notebook_tags t WHERE t.notebook_id = n.id AND t.tag = ? COLLATE NOCASE)');
    params.push(tag.trim());
  }
  if (request.starred === true) {
    // Nobody anonymous has starred anything.
    where.push('EXISTS (SELECT 1 FROM notebook_stars st WHERE st.notebook_id = n.id AND st.username = ?)');
    params.push(caller.user?.username ?? null);
  }
  if (plan?.excluded) {
    where.push(`n.seq NOT IN (${MATCHING_ROWIDS_SQL})`);
    params.push(plan.excluded);
  }
  return { source, where, params, whereParams: params.slice(sourceParams), owners, plan, match };
}
