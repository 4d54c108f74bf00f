import { embedNotebook, metadataText, quantize } from '../search/embedding/notebookEmbeddings';
import type { ITextEmbedder } from '../search/embedding/staticEmbedder';
import type { IEmbeddingRepository } from './embeddingRepository';
import type { ISearchIndex } from './searchIndexRepository';

/**
 * The search index, with the notebooks' embeddings following each of its writes, as the similarity vectors do
 * (searchWithSimilarity.ts): the store, startup repair and rebuild-index update the search index inside the
 * transaction of every create, save, metadata change and delete, so the embeddings change in that same
 * transaction. A static model embeds a notebook in about a millisecond, so this costs the save little.
 */
export function withEmbeddings(
  search: ISearchIndex,
  embeddings: IEmbeddingRepository,
  embedder: ITextEmbedder
): ISearchIndex {
  return {
    async put(seq, entry, text) {
      await search.put(seq, entry, text);
      await embeddings.put(seq, embedNotebook(embedder, entry, text));
    },
    async putMetadata(seq, metadata) {
      await search.putMetadata(seq, metadata);
      await embeddings.putMetadata(seq, quantize(embedder.embed(metadataText(metadata))));
    },
    putOwner: (seq, owner) => search.putOwner(seq, owner),
    async remove(seq) {
      await embeddings.remove(seq);
      await search.remove(seq);
    },
    pendingText: () => search.pendingText(),
    clearPending: id => search.clearPending(id)
  };
}

/** Rows embedded per transaction by {@link backfillEmbeddings}. */
const BACKFILL_BATCH = 200;

/**
 * Embeds every notebook that has no embeddings yet, from the text the search index holds: the notebooks saved
 * before the model was installed, or before this version. The server runs it in the background once it serves:
 * at 100,000 notebooks it takes minutes, longer than a hub waits for a service to start, and a notebook not
 * embedded yet is still found by its words. It yields the event loop between batches so requests keep being
 * answered, and stops (with what it did) once `stopped()` says the gallery is closing. Returns how many it embedded.
 */
export async function backfillEmbeddings(
  embeddings: IEmbeddingRepository,
  embedder: ITextEmbedder,
  transaction: (work: () => Promise<void>) => Promise<void>,
  stopped: () => boolean = () => false
): Promise<number> {
  let done = 0;
  for (;;) {
    if (done > 0) {
      await new Promise(resolve => setImmediate(resolve));
    }
    if (stopped()) {
      return done;
    }
    const batch = await embeddings.missing(BACKFILL_BATCH);
    if (batch.length === 0) {
      return done;
    }
    await transaction(async () => {
      for (const notebook of batch) {
        await embeddings.put(notebook.seq, embedNotebook(embedder, notebook, notebook));
      }
    });
    done += batch.length;
  }
}
