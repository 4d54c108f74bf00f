/**
 * API shapes of stars, usage activity, search facets and tag autocomplete. The counts they feed also appear in every
 * notebook summary (see `summaryProperties` in notebooks.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { NotebookScopeSchema } from './notebooks';

/** Reply of `PUT` and `DELETE /api/notebooks/:id/star`: whether the caller now stars it, and its star count. */
export const StarResponseSchema = Type.Object(
  { starred: Type.Boolean(), stars: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false }
);
export type IStarResponse = Static<typeof StarResponseSchema>;

/** What a client saw the caller do with a notebook: look at it, open it in JupyterLab, or download it. */
export const ActivityKindSchema = Type.Union([Type.Literal('view'), Type.Literal('open'), Type.Literal('download')]);
export type ActivityKind = Static<typeof ActivityKindSchema>;

/** `POST /api/notebooks/:id/activity` body. */
export const ActivityRequestSchema = Type.Object({ kind: ActivityKindSchema }, { additionalProperties: false });
export type IActivityRequest = Static<typeof ActivityRequestSchema>;

/** `GET /api/notebooks/facets` query: the listing's filters whose result set the facets count. */
export const FacetsQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500, description: 'A search, as the q of GET /api/notebooks' })),
  scope: Type.Optional(NotebookScopeSchema),
  starred: Type.Optional(Type.Boolean({ description: 'Only notebooks the caller starred' }))
});
export type IFacetsQuery = Static<typeof FacetsQuerySchema>;

/** One value of a facet and how many notebooks of the result set have it. */
export const FacetValueSchema = Type.Object(
  { value: Type.String(), count: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false }
);
export type IFacetValue = Static<typeof FacetValueSchema>;

/** `GET /api/notebooks/facets` reply: the ten most frequent values of each facet, most frequent first. */
export const FacetsResponseSchema = Type.Object(
  {
    tags: Type.Array(FacetValueSchema),
    owners: Type.Array(FacetValueSchema),
    languages: Type.Array(FacetValueSchema, { description: 'Kernel languages, lower case' })
  },
  { additionalProperties: false }
);
export type IFacetsResponse = Static<typeof FacetsResponseSchema>;

/** Most tags `GET /api/tags` answers when the query does not say. */
export const TAG_LIST_DEFAULT_LIMIT = 10;

/** `GET /api/tags` query. */
export const TagsQuerySchema = Type.Object({
  prefix: Type.Optional(
    Type.String({ maxLength: 50, description: 'Start of the tag, any case; all tags when absent' })
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: TAG_LIST_DEFAULT_LIMIT }))
});
export type ITagsQuery = Static<typeof TagsQuerySchema>;

/** `GET /api/tags` reply: tags of notebooks the caller may read, most used first. */
export const TagsResponseSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({ tag: Type.String(), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })
    )
  },
  { additionalProperties: false }
);
export type ITagsResponse = Static<typeof TagsResponseSchema>;
