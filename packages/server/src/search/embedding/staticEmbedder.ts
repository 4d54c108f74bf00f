import fs from 'node:fs';
import path from 'node:path';
import type { ILogger } from '../../logger';
import { BpeTokenizer, type IBpeVocabulary } from './bpeTokenizer';

/** The files of an embedding model directory, as `scripts/lib.sh` extracts them from the pinned package. */
export const MODEL_FILES = { weights: 'embedding.safetensors', tokenizer: 'tokenizer.json' } as const;

/** Turns text into a unit vector whose dot product with another says how alike their meanings are. */
export interface ITextEmbedder {
  readonly dimensions: number;
  /** Unit length; all zeros when the text has no token. */
  embed(text: string): Float32Array;
}

/** Characters of a text that are embedded: a static model averages tokens, so more text only dilutes. */
export const MAX_EMBEDDED_CHARS = 20_000;

/**
 * A static embedding model (WordLlama: one learned vector per token, averaged and normalised). No transformer runs:
 * a query embeds in microseconds on the thread that asks, and a notebook in about a millisecond, so embeddings can
 * be computed inside the save's transaction like the search index.
 */
export class StaticEmbedder implements ITextEmbedder {
  constructor(
    private readonly _tokenizer: BpeTokenizer,
    private readonly _table: Float32Array,
    readonly dimensions: number
  ) {}

  embed(text: string): Float32Array {
    const out = new Float32Array(this.dimensions);
    const ids = this._tokenizer.encode(text.slice(0, MAX_EMBEDDED_CHARS));
    const rows = this._table.length / this.dimensions;
    for (const id of ids) {
      if (id >= rows) {
        continue;
      }
      const base = id * this.dimensions;
      for (let d = 0; d < this.dimensions; d++) {
        out[d] += this._table[base + d];
      }
    }
    let norm = 0;
    for (let d = 0; d < this.dimensions; d++) {
      norm += out[d] * out[d];
    }
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let d = 0; d < this.dimensions; d++) {
        out[d] *= scale;
      }
    }
    return out;
  }
}

/**
 * The embedding model in `dir`, or null when there is none, in which case search ranks by words alone and this
 * logs one line saying so (the server calls it once at start). `dir` undefined: the caller is a command that does
 * not search (import, fsck, user…) and was given no model; it stays silent, and the server embeds what it saved
 * when it next starts with a model.
 * @throws {Error} when the directory holds the files but they are not a model this code reads.
 */
export function loadEmbeddingModel(dir: string | null | undefined, log: ILogger): ITextEmbedder | null {
  if (dir === undefined) {
    return null;
  }
  const weights = dir === null ? undefined : path.join(dir, MODEL_FILES.weights);
  const tokenizer = dir === null ? undefined : path.join(dir, MODEL_FILES.tokenizer);
  if (weights === undefined || tokenizer === undefined || !fs.existsSync(weights) || !fs.existsSync(tokenizer)) {
    log.warn(
      { embeddingModel: dir ?? null },
      'search ranks by words alone: no embedding model (install it with scripts/lib.sh ensure_embedding_model and ' +
        'pass --embedding-model or GALLERY_EMBEDDING_MODEL)'
    );
    return null;
  }
  const config = JSON.parse(fs.readFileSync(tokenizer, 'utf8')) as { model?: Partial<IBpeVocabulary> };
  if (typeof config.model?.vocab !== 'object' || !Array.isArray(config.model.merges)) {
    throw new Error(`${tokenizer} is not a BPE tokenizer.json (model.vocab and model.merges)`);
  }
  const { table, dimensions } = readFloat16Matrix(fs.readFileSync(weights));
  return new StaticEmbedder(
    new BpeTokenizer({ vocab: config.model.vocab, merges: config.model.merges }),
    table,
    dimensions
  );
}

/** The one tensor of a safetensors file, a float16 matrix, as float32. */
function readFloat16Matrix(file: Buffer): { table: Float32Array; dimensions: number } {
  const headerLength = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype?: string; shape?: number[]; data_offsets?: [number, number] }
  >;
  const tensor = Object.entries(header).find(([name]) => name !== '__metadata__')?.[1];
  if (tensor?.dtype !== 'F16' || tensor.shape?.length !== 2 || tensor.data_offsets === undefined) {
    throw new Error('the embedding weights are not one float16 matrix');
  }
  const [rows, dimensions] = tensor.shape;
  const start = 8 + headerLength + tensor.data_offsets[0];
  // Every float16 value once in a table: converting 8 million values one by one took seconds at start.
  const halves = new Float32Array(65_536);
  for (let bits = 0; bits < halves.length; bits++) {
    halves[bits] = float16(bits);
  }
  // A copy at offset 0, so it is aligned for 16-bit reads; safetensors is little-endian, as x86-64 and arm64 are.
  const words = new Uint16Array(
    file.buffer.slice(file.byteOffset + start, file.byteOffset + start + 2 * rows * dimensions)
  );
  const table = new Float32Array(rows * dimensions);
  for (let i = 0; i < table.length; i++) {
    table[i] = halves[words[i]];
  }
  return { table, dimensions };
}

function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) {
    return sign * 2 ** -14 * (fraction / 1024);
  }
  if (exponent === 0x1f) {
    return fraction ? NaN : sign * Infinity;
  }
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
