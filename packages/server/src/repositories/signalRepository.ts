import type { ActivityKind, IFacetsResponse, NotebookScope } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { INotebookRecord } from './notebookRepository';

/** One view, open or download, as the signal service hands it to the repository. */
export interface IActivityEvent {
  notebookId: string;
  username: string;
  kind: ActivityKind;
  /** When it happened, in milliseconds since the epoch. */
  at: number;
  /** A repeat by the same user of the same kind less than this long after the last counted one is not counted. */
  windowMs: number;
  /** The notebook's trending key once this event counts, from its current key (null: none yet). */
  nextTrendingKey(current: number | null): number;
}

/** The filters of a listing that facets count over (see IListRequest). */
export interface IFacetRequest {
  q?: string;
  scope?: NotebookScope;
  starred?: boolean;
}

/** How many readable notebooks carry a tag. */
export interface ITagCount {
  tag: string;
  count: number;
}

/** "People who opened this also opened": notebooks ranked by how many users opened both. */
export interface ICoOpenSource {
  /**
   * Up to `limit` notebooks `caller` may read (filtered in the query), other than `id`, opened by users who opened
   * `id`, those most such users opened first (ties: most recently opened first).
   */
  alsoOpened(caller: ICaller, id: string, limit: number): Promise<INotebookRecord[]>;
}

/** Stars, counted activity, facets and tag counts. */
export interface ISignalRepository extends ICoOpenSource {
  /** Stars (or unstars) `id` for `username`; idempotent. Returns the notebook's star count afterwards. */
  setStar(id: string, username: string, starred: boolean, at: string): Promise<number>;
  /** Who starred `id` and when, oldest first. */
  listStars(id: string): Promise<{ username: string; at: string }[]>;
  /**
   * Counts the event unless the same user's last counted event of that kind on that notebook is within its window;
   * an open also records who opened what. Returns whether it was counted.
   */
  recordActivity(event: IActivityEvent): Promise<boolean>;
  /**
   * The ten most frequent tags, owners and kernel languages over every notebook `caller` may read that the filters
   * select.
   */
  facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse>;
  /** Tags of notebooks `caller` may read starting with `prefix` (any case), most used first. */
  tags(caller: ICaller, prefix: string, limit: number): Promise<ITagCount[]>;
  /** How many people opened a copy of `id` in JupyterLab (each counted once). */
  openerCount(id: string): Promise<number>;
}
