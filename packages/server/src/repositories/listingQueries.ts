import type { IFacetsResponse } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { IListPage, IListRequest } from './notebookRepository';
import type { IFacetRequest } from './signalRepository';
import type { ISimilarNotebook } from './similarityRepository';

/**
 * The read-heavy queries behind listings and search: a page of notebooks, its facets, and similar notebooks. Unlike the
 * other repositories they run off the event loop (SQLite: worker threads with read-only connections,
 * sqlite/sqliteListingQueries.ts; PostgreSQL would use its connection pool) and within a time budget, never inside a
 * transaction. They see every write committed before they are asked.
 */
export interface IListingQueries {
  /**
   * {@link INotebookRepository.list}, off the event loop.
   * @throws {ServerBusyError} when it does not answer within the budget.
   * @throws {InvalidRequestError} for a cursor this server did not issue for this sort order.
   */
  list(caller: ICaller, request: IListRequest): Promise<IListPage>;
  /**
   * {@link ISignalRepository.facets}, off the event loop.
   * @throws {ServerBusyError} when it does not answer within the budget.
   */
  facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse>;
  /**
   * {@link ISimilarityRepository.similar}, off the event loop.
   * @throws {ServerBusyError} when it does not answer within the budget.
   */
  similar(caller: ICaller, seq: number, limit: number): Promise<ISimilarNotebook[]>;
  /** Stops answering; queries still running fail with ServerBusyError. */
  close(): Promise<void>;
}
