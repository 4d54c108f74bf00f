import { parentPort, workerData } from 'node:worker_threads';
import type { EmbedReply, IEmbedRequest } from './embeddingThread';
import { openOnnxEmbedder } from './onnxEmbedder';
import { lowerThisThreadPriority } from '../../threadPriority';

/*
 * The embedding thread (embeddingThread.ts): loads the model, says it is ready, then embeds one text at a time.
 * Started by loadEmbeddingModel, never imported.
 */

const port = parentPort;
if (port === null) {
  throw new Error('embeddingWorker.js runs only as the embedding thread');
}
// Before the model loads, so onnxruntime's threads start at this thread's priority.
lowerThisThreadPriority();
const { dir } = workerData as { dir: string };

openOnnxEmbedder(dir).then(
  embedder => {
    port.postMessage({ ready: true, model: embedder.model, dimensions: embedder.dimensions } satisfies EmbedReply);
    // Not in turn: a query need not wait for a notebook of the embedding queue (which sends one at a time) to
    // finish; the two runs overlap, each on one of onnxruntime's threads.
    port.on('message', ({ id, text, maxChunks }: IEmbedRequest) => {
      embedder.embed(text, maxChunks).then(
        vector => port.postMessage({ id, vector } satisfies EmbedReply, [vector.buffer]),
        (error: unknown) =>
          port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies EmbedReply)
      );
    });
  },
  (error: unknown) => {
    port.postMessage({
      ready: false,
      error: error instanceof Error ? error.message : String(error)
    } satisfies EmbedReply);
  }
);
