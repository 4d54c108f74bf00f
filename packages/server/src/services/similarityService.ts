import type { ISimilarResponse } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { ICoOpenSource } from '../repositories/coOpenSource';
import type { INotebookRepository } from '../repositories/notebookRepository';
import type { ISharedTerm, ISimilarityRepository } from '../repositories/similarityRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { loadAuthorized } from './authorizedNotebook';
import { toSummary } from './notebookSummary';

/** What the service needs; built by the composition root. */
export interface ISimilarityServiceParts {
  store: Pick<NotebookStore, 'get'>;
  notebooks: Pick<INotebookRepository, 'find'>;
  audit: Pick<IAuditLogRepository, 'record'>;
  similarity: ISimilarityRepository;
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
   */
  similar(caller: ICaller, id: string, limit: number): ISimilarResponse {
    const { notebooks, similarity, coOpens } = this._parts;
    const record = loadAuthorized(this._parts, caller, id, 'read', 'notebook.get');
    const similar = similarity.similar(caller, record.seq, limit).flatMap(found => {
      const other = notebooks.find(found.id);
      return other
        ? [{ ...toSummary(other, caller), score: Math.min(1, found.score), reasons: found.shared.map(reasonText) }]
        : [];
    });
    const alsoOpened = (coOpens?.alsoOpened(caller, record.id, limit) ?? []).map(other => toSummary(other, caller));
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
