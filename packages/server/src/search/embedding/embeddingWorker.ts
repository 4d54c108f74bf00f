import { parentPort, workerData } from 'node:worker_threads';
import type { EmbedReply, IEmbedRequest } from './embeddingThread';
import { openOnnxEmbedder } from './onnxEmbedder';

/*
 * The embedding thread (embeddingThread.ts): loads the model, says it is ready, then embeds one text at a time.
 * Started by loadEmbeddingModel, never imported.
 */

const port = parentPort;
if (port === null) {
  throw new Error('embeddingWorker.js runs only as the embedding thread');
}
const { dir } = workerData as { dir: string };

openOnnxEmbedder(dir).then(
  embedder => {
    port.postMessage({ ready: true, model: embedder.model, dimensions: embedder.dimensions } satisfies EmbedReply);
    // One at a time, in order: the session runs on one thread anyway, and a queue keeps answers in request order.
    let turn = Promise.resolve();
    port.on('message', ({ id, text, maxChunks }: IEmbedRequest) => {
      turn = turn.then(async () => {
        try {
          const vector = await embedder.embed(text, maxChunks);
          port.postMessage({ id, vector } satisfies EmbedReply, [vector.buffer]);
        } catch (error) {
          port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies EmbedReply);
        }
      });
    });
  },
  (error: unknown) => {
    port.postMessage({
      ready: false,
      error: error instanceof Error ? error.message : String(error)
    } satisfies EmbedReply);
  }
);
