import type { ActivityKind, IFacetsResponse, IStarResponse, ITagsResponse } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { IListingQueries } from '../repositories/listingQueries';
import type { IFacetRequest, ISignalRepository } from '../repositories/signalRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { loadAuthorized, userOf } from './authorizedNotebook';
import { ACTIVITY_WEIGHTS, trendingKeyAfter } from './trending';

/** A user's repeated view, open or download of a notebook within this long counts once. */
export const ACTIVITY_WINDOW_MS = 3_600_000;

/** What the service needs; built by the composition root. */
export interface ISignalServiceParts {
  store: Pick<NotebookStore, 'get'>;
  audit: Pick<IAuditLogRepository, 'record'>;
  signals: ISignalRepository;
  /** Facets, counted off the event loop. */
  listings: Pick<IListingQueries, 'facets'>;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
}

/** Stars, usage activity, search facets and tag autocomplete; every use case checks read access first. */
export class SignalService {
  constructor(private readonly _parts: ISignalServiceParts) {}

  /**
   * Stars or unstars a notebook for the caller; doing it twice changes nothing.
   * @throws {UnauthorizedError} for the anonymous caller.
   * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
   */
  async setStar(caller: ICaller, id: string, starred: boolean): Promise<IStarResponse> {
    const user = userOf(caller);
    await this._readable(caller, id);
    const at = new Date(this._parts.now()).toISOString();
    return { starred, stars: await this._parts.signals.setStar(id, user.username, starred, at) };
  }

  /**
   * Records that the caller viewed, opened or downloaded a notebook. A repeat of the same kind by the same user
   * within {@link ACTIVITY_WINDOW_MS} of the last counted one is accepted but not counted.
   * @throws {UnauthorizedError} for the anonymous caller.
   * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
   */
  async recordActivity(caller: ICaller, id: string, kind: ActivityKind): Promise<void> {
    const user = userOf(caller);
    await this._readable(caller, id);
    const at = this._parts.now();
    await this._parts.signals.recordActivity({
      notebookId: id,
      username: user.username,
      kind,
      at,
      windowMs: ACTIVITY_WINDOW_MS,
      nextTrendingKey: current => trendingKeyAfter(current, ACTIVITY_WEIGHTS[kind], at)
    });
  }

  /**
   * The top tags, owners and languages of the notebooks the caller may read that the filters select.
   * @throws {ServerBusyError} when they are not counted within the query budget.
   */
  facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse> {
    return this._parts.listings.facets(caller, request);
  }

  /** Tags of readable notebooks starting with `prefix` (any case), most used first. */
  async tags(caller: ICaller, prefix: string, limit: number): Promise<ITagsResponse> {
    return { items: await this._parts.signals.tags(caller, prefix.trim(), limit) };
  }

  private async _readable(caller: ICaller, id: string): Promise<void> {
    await loadAuthorized(this._parts, caller, id, 'read', 'notebook.get');
  }
}
