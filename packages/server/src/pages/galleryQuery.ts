import {
  NotebookListQuerySchema,
  NotebookScopeSchema,
  NotebookSortSchema,
  type INotebookListQuery,
  type NotebookScope,
  type NotebookSort
} from '@notebook-gallery/core';

/**
 * The query of the gallery page: the parameters of `GET /api/notebooks`, by the same names and limits, so a page URL
 * and an API URL list the same notebooks. A GET form also sends its empty fields (`scope=`, `sort=`); those mean
 * "not set" here.
 */
export const GalleryPageQuerySchema: Record<string, unknown> = {
  ...NotebookListQuerySchema,
  properties: {
    ...NotebookListQuerySchema.properties,
    scope: { anyOf: [NotebookScopeSchema, { const: '' }] },
    sort: { anyOf: [NotebookSortSchema, { const: '' }] },
    limit: { type: 'integer', minimum: 1, maximum: 100 }
  }
};

/** The gallery page's query, validated by {@link GalleryPageQuerySchema}. */
export interface IGalleryPageQuery extends Omit<INotebookListQuery, 'scope' | 'sort'> {
  scope?: NotebookScope | '';
  sort?: NotebookSort | '';
}

/** The page's query as the list API takes it: empty fields dropped, the search trimmed. */
export function listQueryOf(query: IGalleryPageQuery): INotebookListQuery {
  const q = query.q?.trim();
  return {
    ...(q ? { q } : {}),
    ...(query.scope ? { scope: query.scope } : {}),
    ...(query.tag ? { tag: query.tag } : {}),
    ...(query.owner ? { owner: query.owner } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.starred ? { starred: true } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {})
  };
}

/** The order of the parameters in the page's links, so the same listing always has the same URL. */
const PARAMETERS: ReadonlyArray<keyof INotebookListQuery> = [
  'q',
  'scope',
  'starred',
  'tag',
  'owner',
  'sort',
  'limit',
  'cursor'
];

/** The query of a gallery page link (for `PageLinks.href('/', …)`): the set parameters, always in the same order. */
export function galleryLinkQuery(query: INotebookListQuery): Record<string, string | undefined> {
  const link: Record<string, string | undefined> = {};
  for (const key of PARAMETERS) {
    const value = query[key];
    if (value !== undefined && value !== '' && value !== false) {
      link[key] = String(value);
    }
  }
  return link;
}
