import fs from 'node:fs';
import path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ITextEmbedder } from './textEmbedder';
import { WordPieceTokenizer } from './wordPieceTokenizer';

/** The files of an embedding model directory, as `scripts/lib.sh` extracts them from the pinned packages. */
export const MODEL_FILES = { model: 'model.onnx', vocabulary: 'vocab.txt' } as const;

/**
 * Tokens per model input. all-MiniLM-L6-v2 was trained on inputs of up to 256 (its `max_seq_length`); longer ones
 * are read worse, and cost quadratically more.
 */
export const MAX_TOKENS = 256;

/**
 * The model id stored with each vector: the model file, and (after the slash) the recipe of what is embedded, so a
 * change of either re-embeds every notebook. Bump the recipe when notebookEmbeddings.ts reads notebooks otherwise.
 */
const MODEL_ID = 'all-MiniLM-L6-v2-int8/1';

/**
 * A sentence-transformer (all-MiniLM-L6-v2, int8 ONNX) on onnxruntime's CPU provider: the mean of its last hidden
 * states over the tokens, L2 normalised, as sentence-transformers does. A query of a few words embeds in a few
 * milliseconds; an input of 256 tokens in about a hundred, which is why notebooks are embedded off the save, by the
 * embedding queue, and queries on demand.
 */
export class OnnxEmbedder implements ITextEmbedder {
  readonly model = MODEL_ID;

  constructor(
    private readonly _ort: typeof import('onnxruntime-node'),
    private readonly _session: InferenceSession,
    private readonly _tokenizer: WordPieceTokenizer,
    readonly dimensions: number
  ) {}

  async embed(text: string, maxChunks = 1): Promise<Float32Array> {
    const out = new Float32Array(this.dimensions);
    const chunks = this._tokenizer.encodeChunks(text, MAX_TOKENS, maxChunks);
    if (chunks[0].length === 2) {
      return out;
    }
    // Chunks after the first are averaged in: a notebook's later cells count, at the cost of one more run each.
    for (const ids of chunks) {
      const pooled = await meanPooled(this._ort, this._session, ids);
      for (let d = 0; d < this.dimensions; d++) {
        out[d] += pooled[d];
      }
    }
    return normalise(out);
  }

  close(): Promise<void> {
    return this._session.release();
  }
}

/** The model in `dir` (both {@link MODEL_FILES}), on this thread. The embedding thread calls it. */
export async function openOnnxEmbedder(dir: string): Promise<OnnxEmbedder> {
  const model = path.join(dir, MODEL_FILES.model);
  // Loaded here, not imported at the top: the native runtime (45 MB) stays out of commands that embed nothing.
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(model, {
    // One thread: the server's other work keeps the other core, and a query of a few words gains nothing from two.
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all'
  });
  const tokenizer = new WordPieceTokenizer(
    readVocabulary(fs.readFileSync(path.join(dir, MODEL_FILES.vocabulary), 'utf8'))
  );
  const dimensions = (await meanPooled(ort, session, [tokenizer.specials.cls, tokenizer.specials.sep])).length;
  if (dimensions === 0) {
    throw new Error(`${model} gives no hidden states`);
  }
  return new OnnxEmbedder(ort, session, tokenizer, dimensions);
}

/** `vocab.txt`: one token a line, its id the line's number from 0. */
export function readVocabulary(text: string): Map<string, number> {
  const vocabulary = new Map<string, number>();
  text.split('\n').forEach((token, id) => {
    const name = token.replace(/\r$/, '');
    if (name !== '' && !vocabulary.has(name)) {
      vocabulary.set(name, id);
    }
  });
  return vocabulary;
}

/** The mean of the hidden states of one input's tokens (every token is attended: no padding in a batch of one). */
async function meanPooled(
  ort: typeof import('onnxruntime-node'),
  session: InferenceSession,
  ids: readonly number[]
): Promise<Float32Array> {
  const length = ids.length;
  const shape = [1, length];
  const feeds: Record<string, Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), shape),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(length).fill(1n), shape),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(length), shape)
  };
  const hidden = (await session.run(feeds))[session.outputNames[0]];
  const width = Number(hidden.dims[2] ?? 0);
  const data = hidden.data as Float32Array;
  const pooled = new Float32Array(width);
  for (let token = 0; token < length; token++) {
    for (let d = 0; d < width; d++) {
      pooled[d] += data[token * width + d] / length;
    }
  }
  return normalise(pooled);
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) {
    norm += value * value;
  }
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let d = 0; d < vector.length; d++) {
      vector[d] *= scale;
    }
  }
  return vector;
}
