import path from 'node:path';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ILogger } from '../../logger';
import { MODEL_FILES } from './onnxEmbedder';
import type { ITextEmbedder } from './textEmbedder';

/** What the embedding thread is asked: a text to embed. */
export interface IEmbedRequest {
  id: number;
  text: string;
  maxChunks: number;
}

/** What it answers: once `ready` with the model's width, then each request's vector or error. */
export type EmbedReply =
  | { ready: true; model: string; dimensions: number }
  | { ready: false; error: string }
  | { id: number; vector: Float32Array }
  | { id: number; error: string };

/**
 * The thread's compiled script, through the package's lib/ from src/ too (ts-jest cannot start a worker from
 * TypeScript; see READ_WORKER_SCRIPT). A thread of its own also keeps onnxruntime out of jest's sandbox, whose typed
 * arrays are not the addon's.
 */
const EMBEDDING_THREAD_SCRIPT = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'lib',
  'search',
  'embedding',
  'embeddingWorker.js'
);

/**
 * The embedding model on a worker thread of its own (embeddingWorker.ts): tokenizing a notebook and pooling the
 * transformer's output take milliseconds that the event loop keeps for requests, and one model serves the queue and
 * the queries of every read worker. Requests are answered as they finish, not in turn.
 */
class ThreadEmbedder implements ITextEmbedder {
  private _next = 0;
  private readonly _waiting = new Map<number, { resolve(vector: Float32Array): void; reject(error: Error): void }>();

  constructor(
    private readonly _worker: Worker,
    readonly model: string,
    readonly dimensions: number
  ) {
    _worker.on('message', (reply: EmbedReply) => {
      if (!('id' in reply)) {
        return;
      }
      const waiting = this._waiting.get(reply.id);
      this._waiting.delete(reply.id);
      if (this._waiting.size === 0) {
        this._worker.unref();
      }
      if ('vector' in reply) {
        waiting?.resolve(reply.vector);
      } else {
        waiting?.reject(new Error(`could not embed a text: ${reply.error}`));
      }
    });
    _worker.on('error', error => this._failAll(error));
    _worker.on('exit', () => this._failAll(new Error('the embedding thread stopped')));
  }

  embed(text: string, maxChunks = 1): Promise<Float32Array> {
    const id = this._next++;
    return new Promise<Float32Array>((resolve, reject) => {
      this._waiting.set(id, { resolve, reject });
      // Kept alive while it owes an answer, not after: a gallery left open does not hold the process.
      this._worker.ref();
      this._worker.postMessage({ id, text, maxChunks } satisfies IEmbedRequest);
    });
  }

  async close(): Promise<void> {
    await this._worker.terminate();
  }

  private _failAll(error: Error): void {
    for (const waiting of this._waiting.values()) {
      waiting.reject(error);
    }
    this._waiting.clear();
  }
}

/**
 * The embedding model in `dir`, started on its thread, or null when there is none, in which case search ranks by
 * words alone and this logs one line saying so (the server calls it once at start). `dir` undefined: the caller is
 * a command that does not search (import, fsck, user…) and was given no model; it stays silent, and the server
 * embeds what it saved when it next starts with a model (saves queue their notebook whether or not one is loaded).
 * @throws {Error} when the directory holds the files but the model does not load.
 */
export async function loadEmbeddingModel(dir: string | null | undefined, log: ILogger): Promise<ITextEmbedder | null> {
  if (dir === undefined) {
    return null;
  }
  if (dir === null || !Object.values(MODEL_FILES).every(file => fs.existsSync(path.join(dir, file)))) {
    log.warn(
      { embeddingModel: dir ?? null },
      'search ranks by words alone: no embedding model (install it with scripts/lib.sh ensure_embedding_model and ' +
        'pass --embedding-model or GALLERY_EMBEDDING_MODEL)'
    );
    return null;
  }
  const worker = new Worker(EMBEDDING_THREAD_SCRIPT, { workerData: { dir } });
  const ready = await new Promise<EmbedReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!('ready' in ready) || !ready.ready) {
    await worker.terminate();
    throw new Error(`could not load the embedding model in ${dir}: ${'error' in ready ? ready.error : 'no answer'}`);
  }
  worker.unref();
  return new ThreadEmbedder(worker, ready.model, ready.dimensions);
}
