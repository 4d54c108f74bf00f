/**
 * API shapes of `GET /api/notebooks/:id/similar`: notebooks like one notebook by what they contain, and the
 * notebooks that the people who opened it also opened.
 */
import { Type, type Static } from '@sinclair/typebox';
import { NotebookSummarySchema } from './notebooks';

/** Similar notebooks per reply when the query does not say. */
export const SIMILAR_DEFAULT_LIMIT = 5;

/** `GET /api/notebooks/:id/similar` query. */
export const SimilarQuerySchema = Type.Object({
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 20,
      default: SIMILAR_DEFAULT_LIMIT,
      description: 'How many of each list, at most'
    })
  )
});
export type ISimilarQuery = Static<typeof SimilarQuerySchema>;

/** A similar notebook: its summary, how similar it is, and why. */
export const SimilarNotebookSchema = Type.Object(
  {
    ...NotebookSummarySchema.properties,
    score: Type.Number({ minimum: 0, maximum: 1, description: 'Cosine similarity of the two notebooks' }),
    reasons: Type.Array(Type.String(), {
      maxItems: 3,
      description: 'The shared terms that weigh most, for example "uses pandas" or "mentions histogram"'
    })
  },
  { additionalProperties: false }
);
export type ISimilarNotebook = Static<typeof SimilarNotebookSchema>;

/** `GET /api/notebooks/:id/similar` reply; both lists hold only notebooks the caller may read, best first. */
export const SimilarResponseSchema = Type.Object(
  {
    similar: Type.Array(SimilarNotebookSchema, {
      description: 'Notebooks sharing packages, names in code and words with this one (TF-IDF cosine)'
    }),
    alsoOpened: Type.Array(NotebookSummarySchema, {
      description: 'Notebooks that the people who opened this one also opened'
    })
  },
  { additionalProperties: false }
);
export type ISimilarResponse = Static<typeof SimilarResponseSchema>;
