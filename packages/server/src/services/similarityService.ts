import type { ISimilarResponse } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { IListingQueries } from '../repositories/listingQueries';
import type { INotebookRepository } from '../repositories/notebookRepository';
import type { ICoOpenSource } from '../repositories/signalRepository';
import type { ISharedTerm } from '../repositories/similarityRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { loadAuthorized } from './authorizedNotebook';
import type { NotebookSummaries } from './notebookSummary';

/** What the service needs; built by the composition root. */
export interface ISimilarityServiceParts {
  store: Pick<NotebookStore, 'get'>;
  notebooks: Pick<INotebookRepository, 'findMany'>;
  /** Turns records into summaries for a caller. */
  summaries: NotebookSummaries;
  audit: Pick<IAuditLogRepository, 'record'>;
  /** The similar-notebook query, run off the event loop. */
  listings: Pick<IListingQueries, 'similar'>;
  /** "Also opened"; the list is empty without one. */
  coOpens?: ICoOpenSource;
}

/** Notebooks like a given one: by content (term vectors) and by who opened them. */
export class SimilarityService {
  constructor(private readonly _parts: ISimilarityServiceParts) {}

  /**
   * Up to `limit` notebooks most similar to notebook `id`, each with its score and reasons, and up to `limit` that
   * the people who opened it also opened; only notebooks the caller may read, never `id` itself.
   * @throws {NotebookNotFoundError} when notebook `id` does not exist or the caller may not read it.
   * @throws {ServerBusyError} when they are not found within the query budget.
   */
  async similar(caller: ICaller, id: string, limit: number): Promise<ISimilarResponse> {
    const { notebooks, listings, coOpens, summaries } = this._parts;
    const record = await loadAuthorized(this._parts, caller, id, 'read', 'notebook.get');
    const found = await listings.similar(caller, record.seq, limit);
    // One read for the whole list (rows, tags, shares, signals), then one for health and environment.
    const others = await notebooks.findMany(
      found.map(other => other.id),
      caller.user?.username ?? null
    );
    const byId = new Map(found.map(other => [other.id, other]));
    const similar = (await summaries.page(others, caller)).map(summary => {
      const match = byId.get(summary.id);
      return {
        ...summary,
        score: Math.min(1, match?.score ?? 0),
        reasons: (match?.shared ?? []).map(reasonText)
      };
    });
    const alsoOpened = await summaries.page(coOpens ? await coOpens.alsoOpened(caller, record.id, limit) : [], caller);
    return { similar, alsoOpened };
  }
}

/** "uses pandas", "code mentions histogram", "mentions histogram". */
function reasonText(shared: ISharedTerm): string {
  switch (shared.kind) {
    case 'package':
      return `uses ${shared.term}`;
    case 'identifier':
      return `code mentions ${shared.term}`;
    case 'word':
      return `mentions ${shared.term}`;
  }
}
