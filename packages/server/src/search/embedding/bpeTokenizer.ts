/**
 * The tokenizer of a SentencePiece-style byte-pair-encoding vocabulary (LLaMA 2's, as the embedding model ships it
 * in the Hugging Face `tokenizer.json` form): spaces become `▁`, one `▁` is prepended, each word is merged by the
 * rank of its merges, and a character the vocabulary lacks falls back to its UTF-8 bytes (`<0xNN>`). Written here
 * rather than taken from a package: it is forty lines, and the packages that do it need a compiler or a runtime
 * download.
 */
export interface IBpeVocabulary {
  /** Token text to id. */
  vocab: Record<string, number>;
  /** `"left right"` pairs, best first. */
  merges: readonly string[];
}

const SPACE = '\u2581';
/** A word and the spaces before it: the unit merges never cross (LLaMA's merges join no `▁` to a previous word). */
const PIECES = new RegExp(`${SPACE}*[^${SPACE}]+|${SPACE}+`, 'gu');
/** Words are cut to this many characters: a base64 blob or a minified line is not worth merging. */
const MAX_PIECE_CHARS = 64;
/** Tokenised pieces kept, so common words are merged once per process. */
const CACHE_LIMIT = 50_000;

export class BpeTokenizer {
  private readonly _vocab: Map<string, number>;
  private readonly _ranks: Map<string, number>;
  private readonly _cache = new Map<string, readonly number[]>();

  constructor(vocabulary: IBpeVocabulary) {
    this._vocab = new Map(Object.entries(vocabulary.vocab));
    this._ranks = new Map(vocabulary.merges.map((merge, rank) => [merge, rank]));
  }

  /** The token ids of `text`, without the begin-of-sequence token (the model pools tokens, it reads no order). */
  encode(text: string): number[] {
    if (text === '') {
      return [];
    }
    const normalized = SPACE + text.replace(/ /g, SPACE);
    const ids: number[] = [];
    for (const match of normalized.matchAll(PIECES)) {
      ids.push(...this._piece(match[0].slice(0, MAX_PIECE_CHARS)));
    }
    return ids;
  }

  private _piece(piece: string): readonly number[] {
    const cached = this._cache.get(piece);
    if (cached !== undefined) {
      return cached;
    }
    let symbols = [...piece];
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < symbols.length - 1; i++) {
        const rank = this._ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best === -1) {
        break;
      }
      symbols = [...symbols.slice(0, best), symbols[best] + symbols[best + 1], ...symbols.slice(best + 2)];
    }
    const ids: number[] = [];
    for (const symbol of symbols) {
      const id = this._vocab.get(symbol);
      if (id !== undefined) {
        ids.push(id);
        continue;
      }
      for (const byte of Buffer.from(symbol, 'utf8')) {
        const fallback = this._vocab.get(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
        if (fallback !== undefined) {
          ids.push(fallback);
        }
      }
    }
    if (this._cache.size >= CACHE_LIMIT) {
      this._cache.clear();
    }
    this._cache.set(piece, ids);
    return ids;
  }
}
