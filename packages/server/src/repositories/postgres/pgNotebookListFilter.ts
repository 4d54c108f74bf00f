import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { ISearchPlan } from '../../search/ftsQuery';
import { isEmptyQuery, parseSearchQuery } from '../../search/queryParser';
import type { IListRequest } from '../notebookRepository';
import { foldAscii } from './pgAsciiFold';
import type { PgParams } from './pgParams';
import { pgReadableNotebooks, pgScope } from './pgReadableNotebooks';
import { pgMatchingNotebooks, planWithVocabulary, tsQueryOf } from './pgSearchQuery';

/** The filters a listing, its facets and a meaning search share. */
export type IPgListFilterRequest = Pick<IListRequest, 'q' | 'scope' | 'tag' | 'owner' | 'starred'>;

/** The rows a listing selects: `FROM ${source} n WHERE ${where.join(' AND ')}`, values bound in the params given. */
export interface IPgListFilter {
  source: string;
  where: string[];
  /** The search plan when `q` was given, else null; `match` is its expression, null when it has none. */
  plan: ISearchPlan | null;
  match: string | null;
}

/**
 * The one builder of a listing's FROM and WHERE in PostgreSQL, for the list, its facets and the meaning search (twin
 * of sqlite/notebookListFilter.ts): the search as the row source when `q` holds words, and the read rule, scope,
 * owner, tag, starred and excluded words as conditions. Null when `q` holds nothing to search for, which matches no
 * notebook. `ranked` asks for the search's `rank` and `arm` columns (only a list sorted by relevance reads them).
 * `matching` false leaves the words out (source `notebooks`): the top-k engine finds the matches itself and asks
 * only which of them the other conditions keep (pgTopKListing.ts).
 */
export async function pgListFilter(
  db: PgDatabase,
  caller: ICaller,
  request: IPgListFilterRequest,
  params: PgParams,
  ranked: boolean,
  matching = true
): Promise<IPgListFilter | null> {
  const query = request.q === undefined ? null : parseSearchQuery(request.q);
  if (query && isEmptyQuery(query)) {
    return null;
  }
  const plan = query ? await planWithVocabulary(db, query) : null;
  const match = plan?.match ?? null;
  const source =
    matching && plan && match !== null
      ? await pgMatchingNotebooks(db, { ...plan, match }, params, ranked)
      : 'notebooks';
  const where: string[] = [pgReadableNotebooks(caller, params)];
  if (request.scope !== undefined) {
    where.push(pgScope(caller, request.scope, params));
  }
  for (const owner of [...(request.owner === undefined ? [] : [request.owner]), ...(plan?.owners ?? [])]) {
    where.push(`(CASE n.owner_kind WHEN 'group' THEN n.group_name ELSE n.owner END) = ${params.add(owner)}`);
  }
  for (const tag of [...(request.tag === undefined ? [] : [request.tag]), ...(plan?.tags ?? [])]) {
    // lower() lets the tag index serve; the ASCII fold makes it SQLite's NOCASE exactly.
    const value = params.add(tag.trim());
    where.push(
      `EXISTS (SELECT 1 FROM notebook_tags t WHERE t.notebook_id = n.id AND lower(t.tag) = lower(${value}::text)
        AND ${foldAscii('t.tag')} = ${foldAscii(`${value}::text`)})`
    );
  }
  if (request.starred === true) {
    // Nobody anonymous has starred anything.
    where.push(
      `EXISTS (SELECT 1 FROM notebook_stars st WHERE st.notebook_id = n.id AND st.username = ${params.add(caller.user?.username ?? null)}::text)`
    );
  }
  if (plan?.excluded) {
    where.push(
      `NOT EXISTS (SELECT 1 FROM notebook_search x WHERE x.seq = n.seq AND x.document @@ ${params.add(tsQueryOf(plan.excluded))}::tsquery)`
    );
  }
  return { source, where, plan, match };
}
