/**
 * The tokenizer of BERT's uncased WordPiece vocabulary, as all-MiniLM-L6-v2 was trained with it (Hugging Face
 * `BertNormalizer` + `BertPreTokenizer` + `WordPiece`): control characters dropped, CJK ideographs split apart,
 * accents stripped, lower case, split at whitespace and around every punctuation character, then each word cut
 * greedily into the longest pieces the vocabulary has (`##` marks a piece inside a word); a word that cannot be
 * cut, or is longer than 100 characters, is `[UNK]`. Written here rather than taken from a package for the reason
 * bpeTokenizer.ts gives: it is short, and the packages that do it need a compiler or a runtime download.
 */

/** The token ids a sequence needs besides its text. */
export interface IWordPieceSpecials {
  cls: number;
  sep: number;
  unk: number;
  pad: number;
}

/** Words longer than this are `[UNK]`, as the reference tokenizer does (`max_input_chars_per_word`). */
const MAX_WORD_CHARS = 100;
/** Tokenised words kept, so common words are cut once per process. */
const CACHE_LIMIT = 50_000;
const CONTINUATION = '##';

/** ASCII punctuation counts even where Unicode calls it a symbol (`$`, `+`, `^`…), as BERT's rule does. */
const PUNCTUATION = /[!-/:-@[-`{-~]|\p{P}/u;
const WHITESPACE = /\s/u;
/** Other (Cc, Cf, Cs, Co, Cn) and U+FFFD: dropped by `clean_text`; tab, newline and return are whitespace. */
const CONTROL = /[\p{C}\uFFFD]/u;
const MARK = /\p{Mn}/gu;

export class WordPieceTokenizer {
  private readonly _cache = new Map<string, readonly number[]>();

  /**
   * @param _vocab token text to id (`tokenizer.json`'s `model.vocab`, or the lines of `vocab.txt` by number).
   * @throws {Error} when the vocabulary lacks one of the special tokens.
   */
  constructor(private readonly _vocab: ReadonlyMap<string, number>) {
    this.specials = {
      cls: special(_vocab, '[CLS]'),
      sep: special(_vocab, '[SEP]'),
      unk: special(_vocab, '[UNK]'),
      pad: special(_vocab, '[PAD]')
    };
  }

  readonly specials: IWordPieceSpecials;

  /** The ids of `text`'s words, without `[CLS]` and `[SEP]` (see {@link encodeChunks}). */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const word of words(text)) {
      ids.push(...this._word(word));
    }
    return ids;
  }

  /**
   * `text` as model inputs: `[CLS] … [SEP]` sequences of at most `maxTokens` ids each, at most `maxChunks` of them
   * (the rest of the text is not read). An empty text gives one `[CLS] [SEP]`.
   */
  encodeChunks(text: string, maxTokens: number, maxChunks = 1): number[][] {
    const room = maxTokens - 2;
    const chunks: number[][] = [];
    let current: number[] = [];
    for (const word of words(text)) {
      for (const id of this._word(word)) {
        if (current.length === room) {
          chunks.push(current);
          if (chunks.length === maxChunks) {
            return chunks.map(ids => this._wrap(ids));
          }
          current = [];
        }
        current.push(id);
      }
    }
    if (current.length > 0 || chunks.length === 0) {
      chunks.push(current);
    }
    return chunks.map(ids => this._wrap(ids));
  }

  private _wrap(ids: number[]): number[] {
    return [this.specials.cls, ...ids, this.specials.sep];
  }

  private _word(word: string): readonly number[] {
    const cached = this._cache.get(word);
    if (cached !== undefined) {
      return cached;
    }
    const ids = this._pieces(word);
    if (this._cache.size >= CACHE_LIMIT) {
      this._cache.clear();
    }
    this._cache.set(word, ids);
    return ids;
  }

  private _pieces(word: string): number[] {
    const chars = [...word];
    if (chars.length > MAX_WORD_CHARS) {
      return [this.specials.unk];
    }
    const ids: number[] = [];
    for (let start = 0; start < chars.length;) {
      let end = chars.length;
      let found: number | undefined;
      for (; end > start; end--) {
        const piece = (start > 0 ? CONTINUATION : '') + chars.slice(start, end).join('');
        found = this._vocab.get(piece);
        if (found !== undefined) {
          break;
        }
      }
      if (found === undefined) {
        return [this.specials.unk];
      }
      ids.push(found);
      start = end;
    }
    return ids;
  }
}

/** The words and punctuation marks of `text`, normalised as BERT uncased reads them. */
function* words(text: string): Generator<string> {
  let word = '';
  for (const char of normalize(text)) {
    if (WHITESPACE.test(char)) {
      if (word !== '') {
        yield word;
        word = '';
      }
    } else if (PUNCTUATION.test(char) || isCjk(char.codePointAt(0) ?? 0)) {
      if (word !== '') {
        yield word;
        word = '';
      }
      yield char;
    } else {
      word += char;
    }
  }
  if (word !== '') {
    yield word;
  }
}

/** Drops control characters, strips accents (decomposes and drops the marks), lower-cases. */
function normalize(text: string): string {
  let clean = '';
  for (const char of text) {
    if (char === '\0' || (CONTROL.test(char) && !WHITESPACE.test(char))) {
      continue;
    }
    clean += char;
  }
  return clean.normalize('NFD').replace(MARK, '').toLowerCase();
}

/** The CJK Unified Ideographs blocks BERT splits into one token each (not Hiragana, Katakana or Hangul). */
function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function special(vocab: ReadonlyMap<string, number>, token: string): number {
  const id = vocab.get(token);
  if (id === undefined) {
    throw new Error(`the WordPiece vocabulary has no ${token}`);
  }
  return id;
}
