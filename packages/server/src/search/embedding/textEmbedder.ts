/** Turns text into a unit vector whose dot product with another says how alike their meanings are. */
export interface ITextEmbedder {
  /**
   * Names the model and how notebooks are read into it. Stored with every vector, so vectors of different models
   * are never compared: another model re-embeds every notebook in the background (see searchWithEmbeddings.ts).
   */
  readonly model: string;
  readonly dimensions: number;
  /** Unit length; all zeros when the text has no token. Reads at most `maxChunks` model inputs of the text. */
  embed(text: string, maxChunks?: number): Promise<Float32Array>;
  /** Frees the model (the gallery's close calls it). */
  close(): Promise<void>;
}
