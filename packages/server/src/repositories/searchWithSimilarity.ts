import type { ISearchIndex } from './searchIndexRepository';
import type { ISimilarityRepository } from './similarityRepository';

/**
 * The search index, with the similarity vectors following each of its writes: the store and startup repair update
 * the search index inside the transaction of every create, save, metadata change and delete, so the vectors and
 * their document counts change in that same transaction, with no batch job. A transfer changes neither (the read
 * rule is applied when the similar notebooks are asked for).
 */
export function withSimilarity(search: ISearchIndex, similarity: ISimilarityRepository): ISearchIndex {
  return {
    async put(seq, entry, text) {
      await search.put(seq, entry, text);
      await similarity.put(seq, entry, text);
    },
    async putMetadata(seq, metadata) {
      await search.putMetadata(seq, metadata);
      await similarity.putMetadata(seq, metadata);
    },
    putOwner: (seq, owner) => search.putOwner(seq, owner),
    async remove(seq) {
      await search.remove(seq);
      await similarity.remove(seq);
    },
    pendingText: () => search.pendingText(),
    clearPending: id => search.clearPending(id)
  };
}
