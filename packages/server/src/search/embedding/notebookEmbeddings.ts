import type { INotebookSearchText } from '@notebook-gallery/core';
import type { ITextEmbedder } from './textEmbedder';

/** A notebook's two embeddings, each a unit vector quantised to int8 (see {@link quantize}). */
export interface INotebookEmbeddings {
  /** Of its title, description and tags. */
  metadata: Int8Array;
  /** Of its markdown and code. */
  text: Int8Array;
}

/** What a notebook's metadata says (the repositories' INotebookMetadata has these fields). */
export interface IEmbeddedMetadata {
  title: string;
  description: string;
  tags: readonly string[];
}

/** What title, description and tags say, as one text to embed. */
export function metadataText(metadata: IEmbeddedMetadata): string {
  return [metadata.title, metadata.description, metadata.tags.join(' ')].filter(part => part !== '').join('\n');
}

/** What the cells say: the prose first (it says what the notebook does), then the code, as one text to embed. */
export function cellsText(text: Pick<INotebookSearchText, 'markdown' | 'code'>): string {
  return `${text.markdown}\n${text.code}`;
}

/**
 * Model inputs (of 256 tokens) read of a notebook's cells. Each costs about a hundred milliseconds of one core, in
 * the background; chosen on the evaluation (npm run eval:search), see docs/architecture.md.
 */
export const CELL_CHUNKS = 1;

/** Both embeddings of a notebook: a few hundred milliseconds, so the embedding queue does it after the save. */
export async function embedNotebook(
  embedder: ITextEmbedder,
  metadata: IEmbeddedMetadata,
  text: Pick<INotebookSearchText, 'markdown' | 'code'>
): Promise<INotebookEmbeddings> {
  return {
    metadata: quantize(await embedder.embed(metadataText(metadata))),
    text: quantize(await embedder.embed(cellsText(text), CELL_CHUNKS))
  };
}

/**
 * A unit vector as int8, scaled so its largest component is ±127: a quarter of the float32 size, and the cosine
 * with a float query (dot product over the int8 vector's norm) moves by well under 1% (measured on the evaluation
 * corpus; the ranking did not change).
 */
export function quantize(vector: Float32Array): Int8Array {
  let max = 0;
  for (const value of vector) {
    max = Math.max(max, Math.abs(value));
  }
  const out = new Int8Array(vector.length);
  if (max === 0) {
    return out;
  }
  const scale = 127 / max;
  for (let i = 0; i < vector.length; i++) {
    out[i] = Math.round(vector[i] * scale);
  }
  return out;
}

/** The cosine of a unit float query and an int8 vector; 0 for an all-zero vector or one of another length. */
export function cosine(query: Float32Array, vector: Int8Array): number {
  if (vector.length !== query.length) {
    return 0;
  }
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < vector.length; i++) {
    dot += query[i] * vector[i];
    norm += vector[i] * vector[i];
  }
  return norm === 0 ? 0 : dot / Math.sqrt(norm);
}
