import { AsyncResource } from 'node:async_hooks';
import type { ILogger } from '../logger';
import { embedNotebook } from '../search/embedding/notebookEmbeddings';
import type { ITextEmbedder } from '../search/embedding/textEmbedder';
import type { IEmbeddingRepository } from './embeddingRepository';
import type { ISearchIndex } from './searchIndexRepository';

/**
 * The search index, with each of its writes queueing the notebook for the embedding queue, as the similarity
 * vectors follow it (searchWithSimilarity.ts): the store, startup repair and rebuild-index update the search index
 * inside the transaction of every create, save, metadata change and delete, so the queue changes in that same
 * transaction, and a crash cannot lose a queued notebook. Queueing is one row write; the embedding itself, a few
 * hundred milliseconds of a transformer, happens after the transaction, in {@link EmbeddingQueue}. Without a model
 * the notebooks are still queued, so a server started later with one embeds what was saved meanwhile.
 */
export function withEmbeddings(
  search: ISearchIndex,
  embeddings: IEmbeddingRepository,
  queued: () => void = () => undefined
): ISearchIndex {
  return {
    async put(seq, entry, text) {
      await search.put(seq, entry, text);
      await embeddings.enqueue(seq);
      queued();
    },
    async putMetadata(seq, metadata) {
      await search.putMetadata(seq, metadata);
      await embeddings.enqueue(seq);
      queued();
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

/** Notebooks read from the queue at a time. */
const QUEUE_BATCH = 20;
/**
 * How often an idle queue looks for work it was not told of: notebooks another replica queued (PostgreSQL), or one
 * queued by a transaction that had not committed when the queue was woken.
 */
const POLL_MS = 2_000;

/**
 * The worker that embeds the queued notebooks one at a time, off the request path: it reads a notebook's text from
 * the search index, embeds it (a few hundred milliseconds, on onnxruntime's thread, so the event loop keeps serving),
 * and stores the vectors, which takes the notebook off the queue unless it was saved again meanwhile. Saves wake it;
 * a timer catches the rest. The queue is a table, so what a stopped server left is embedded on its next start.
 */
export class EmbeddingQueue {
  private _running: Promise<number> | null = null;
  private _again = false;
  private _stopped = false;
  private _timer: NodeJS.Timeout | null = null;
  /**
   * Where drains run: the async context the queue was made in. A save wakes the queue from inside its transaction,
   * and work started in that context would count as part of it (repositories/sqlite/sqliteConnectionGate.ts).
   */
  private readonly _context = new AsyncResource('EmbeddingQueue');

  constructor(
    private readonly _embeddings: IEmbeddingRepository,
    private readonly _embedder: ITextEmbedder,
    private readonly _log: ILogger
  ) {}

  /** Queues what this model has not embedded (all of it after a model change), then drains and keeps watching. */
  async start(): Promise<number> {
    const queued = await this._embeddings.enqueueStale(this._embedder.model);
    if (!this._stopped && this._timer === null) {
      this._timer = setInterval(() => this.wake(), POLL_MS);
      this._timer.unref();
    }
    this.wake();
    return queued;
  }

  /**
   * Drains soon, in the background, once the queue is started; a failure is logged and retried at the next wake.
   * Before `start()` saves only queue: a command (import, rebuild-index…) leaves the embedding to the server.
   */
  wake(): void {
    if (this._stopped || this._timer === null) {
      return;
    }
    this._context.runInAsyncScope(() => {
      this.drain().catch((error: unknown) => {
        this._log.error({ err: error }, 'could not embed the queued notebooks; retrying shortly');
      });
    });
  }

  /**
   * Embeds queued notebooks until none is left, and resolves with how many it embedded. A call while a drain runs
   * joins it, and that drain looks once more before it ends, so what was queued before the call is embedded.
   */
  drain(): Promise<number> {
    if (this._running !== null) {
      this._again = true;
      return this._running;
    }
    const running = this._context.runInAsyncScope(() => this._drain());
    this._running = running.finally(() => {
      this._running = null;
    });
    return this._running;
  }

  /** Stops taking work and waits for the notebook being embedded. */
  async stop(): Promise<void> {
    this._stopped = true;
    if (this._timer !== null) {
      clearInterval(this._timer);
      this._timer = null;
    }
    await this._running?.catch(() => 0);
  }

  private async _drain(): Promise<number> {
    let done = 0;
    do {
      this._again = false;
      for (;;) {
        const batch = this._stopped ? [] : await this._embeddings.queued(QUEUE_BATCH);
        if (batch.length === 0) {
          break;
        }
        for (const notebook of batch) {
          if (this._stopped) {
            return done;
          }
          const vectors = await embedNotebook(this._embedder, notebook, notebook);
          await this._embeddings.put(notebook.seq, vectors, this._embedder.model, notebook.queued);
          done++;
        }
      }
    } while (this._again && !this._stopped);
    return done;
  }
}
